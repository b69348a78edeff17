#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"
#include "domain/Role.h"
#include "services/Session.h"
#include "storage/ImpersonationRepository.h"

namespace rd {

class AccessControl;
class Clock;
class Database;

// A client membership that Login As may open for one customer.
struct LoginAsTarget
{
    qint64 membershipId = 0;
    qint64 userId = 0;
    QString name;
    QString email;
    Role role = Role::ClientUser;
    bool primary = false; // the account's primary Client Admin (the default)
    // Why this membership cannot be opened by the asking session (e.g. the
    // membership is deactivated, or the person holds a role at or above the
    // actor's elsewhere); empty when it can.
    QString refusal;
};

// A Login As session that has started: its row and audit event are
// committed before this is returned (rule 9, audit before access).
struct LoginAsStarted
{
    Session session; // the client membership, impersonated by the actor
    qint64 impersonationId = 0;
    qint64 customerId = 0;
    QString companyName;
    QString clientUserName;
    bool customerActive = true; // a deactivated customer can be viewed, shown as such
    QDateTime startedAt;
    QDateTime expiresAt;
    qint64 noticeId = 0; // the client's notice in the outbox; 0 when none was queued
};

// Login As (DESIGN rule 9): time-boxed, audited impersonation of one client
// membership.
// - Allowed to Administrator, Support, and Reseller Admin for customers in
//   scope (§3 "Login As client", checked by AccessControl).
// - The target is one client membership of that customer (by default the
//   account's primary Client Admin), never a staff or reseller membership,
//   never a person who holds a role at or above the actor's anywhere, never
//   the actor themselves; no nesting (an impersonated session cannot start
//   another); a reason is required.
// - The session row and its "impersonation.start" event are committed before
//   any client data is returned; a notice is queued for the client when the
//   setting asks for it and the customer has not opted out of email.
// - The session expires after the "login_as_minutes" setting. AccessControl
//   refuses every read and write of an impersonated Session once its row has
//   ended or expired, and AuditLog records the impersonator on every event.
class ImpersonationService final
{
    Q_DECLARE_TR_FUNCTIONS(ImpersonationService)

public:
    static constexpr int MaxReasonLength = 1000;

    ImpersonationService(Database &db, const Clock &clock, AccessControl &access);

    // The client memberships of the customer, primary Client Admin first,
    // each with the reason it cannot be opened, if any. Checks Login As for
    // this customer like start() does.
    Result<QList<LoginAsTarget>> targets(const Session &actor, qint64 customerId) const;

    // Starts a session. clientMembershipId 0 opens the default target.
    Result<LoginAsStarted> start(
        const Session &actor, qint64 customerId, qint64 clientMembershipId, const QString &reason);

    // Ends the session of an impersonated Session (End Session, closing the
    // view, signing out, quitting, the time limit). Writes the end and an
    // "impersonation.end" event once; ending an ended session again changes
    // nothing. Past the time limit the end is recorded as expired, at the
    // time it expired.
    Status end(const Session &impersonated, ImpersonationEnd why);

    // Ends, as expired, the actor's sessions that were never ended and are
    // past their limit (left open by a crash or a lost connection), so the
    // audit log shows every session's end. A session still within its limit
    // is left alone: it may be live on another desktop. Returns how many
    // were ended.
    Result<int> endExpiredOf(const Session &actor);

    // Whether the impersonated Session may still be used: NotFound / ended /
    // expired are errors with a message for the user.
    Status check(const Session &impersonated) const;

private:
    struct Context;
    Result<Context> loadContext(const Session &actor, qint64 customerId) const;
    Status endRow(const ImpersonationSessionRow &row, ImpersonationEnd why);

    Database &m_db;
    const Clock &m_clock;
    AccessControl &m_access;
};

} // namespace rd
