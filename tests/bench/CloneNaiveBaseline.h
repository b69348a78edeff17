#pragma once

#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {
class Database;
} // namespace rd

namespace rd::bench {

// The naive baseline of BM_Clone1000: what a straightforward Qt
// implementation of rule 6 does. In one transaction, per customer: a check
// query (exists, active, not archived, not yet assigned to the target),
// then QSqlTableModel::insertRecord of the new assignment and of its audit
// event, and submitAll() of both models (which re-selects them: each model
// is filtered to what this clone writes, so that stays small). Its audit
// JSON is smaller than ours (no "before" state, which would need another
// query per customer): the comparison flatters the baseline.
class CloneNaiveBaseline final
{
public:
    CloneNaiveBaseline(Database &db, qint64 actorUserId, qint64 actorMembershipId);

    // Clones the customers to the target as additional assignments and
    // returns how many were cloned (the others are skipped).
    Result<int> clone(const QList<qint64> &customerIds, qint64 targetResellerId);

private:
    Database &m_db;
    qint64 m_actorUserId = 0;
    qint64 m_actorMembershipId = 0;
};

} // namespace rd::bench
