#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

// How a Login As session ended (stored as end_reason).
enum class ImpersonationEnd {
    Closed,    // the client view was closed, or End Session
    SignedOut, // the impersonator signed out
    Expired,   // the time limit passed
    AppExit,   // the program ended
};

// Stable key stored in end_reason: closed, signed_out, expired, app_exit.
QString impersonationEndKey(ImpersonationEnd end);
std::optional<ImpersonationEnd> impersonationEndFromKey(const QString &key);

struct ImpersonationSessionRow
{
    qint64 id = 0;
    qint64 impersonatorUserId = 0;
    qint64 impersonatorMembershipId = 0;
    qint64 clientUserId = 0;
    qint64 clientMembershipId = 0;
    qint64 customerId = 0;
    qint64 resellerId = 0; // the customer's owner when it started; 0 for a direct account
    QString reason;
    QDateTime startedAt;
    QDateTime expiresAt;
    QDateTime endedAt; // invalid while open
    std::optional<ImpersonationEnd> endReason;
    int version = 1;
};

// Login As sessions (rule 9). The database lets a row be written once and
// then only receive its end, once (migration 0002's triggers); nothing here
// updates anything else or deletes.
class ImpersonationRepository final
{
    Q_DECLARE_TR_FUNCTIONS(ImpersonationRepository)

public:
    explicit ImpersonationRepository(Database &db);

    Result<qint64> insert(const ImpersonationSessionRow &row);
    Result<ImpersonationSessionRow> find(qint64 id) const;
    // Sets the end of an open session. Returns false (and changes nothing)
    // when it had already ended.
    Result<bool> end(qint64 id, const QDateTime &endedAt, ImpersonationEnd why);
    // The sessions of this impersonator that were never ended (expired ones
    // included), oldest first.
    Result<QList<ImpersonationSessionRow>> openSessionsOf(qint64 impersonatorUserId) const;

private:
    Database &m_db;
};

} // namespace rd
