#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

// Identifications a customer used in one month, as the metering system
// reports them.
struct UsageRow
{
    qint64 customerId = 0;
    QString month; // "YYYY-MM"
    int used = 0;
    QDateTime updatedAt;
    int version = 1;
};

// The identification_usage table: one row per customer and month.
class UsageRepository final
{
    Q_DECLARE_TR_FUNCTIONS(UsageRepository)

public:
    explicit UsageRepository(Database &db);

    // The row of that month, or nothing when metering reported none.
    Result<std::optional<UsageRow>> find(qint64 customerId, const QString &month) const;

    // Sets the month's figure (inserted or replaced); the version counts
    // the changes.
    Status upsert(qint64 customerId, const QString &month, int used, const QDateTime &at);

private:
    Database &m_db;
};

} // namespace rd
