#include "CloneNaiveBaseline.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSqlTableModel>
#include <QUuid>

#include "storage/Database.h"

namespace rd::bench {

namespace {

std::unexpected<Error> failed(const QString &what, const QSqlError &error)
{
    return fail(ErrorCode::DatabaseError, what, {}, error.text());
}

// A record of the model with only the fields set through set() generated
// (the id and the defaults are the database's).
class NewRecord
{
public:
    explicit NewRecord(const QSqlTableModel &model)
        : m_record(model.record())
    {
        for (int i = 0; i < m_record.count(); ++i)
            m_record.setGenerated(i, false);
    }

    void set(const QString &field, const QVariant &value)
    {
        m_record.setValue(field, value);
        m_record.setGenerated(field, true);
    }

    const QSqlRecord &record() const { return m_record; }

private:
    QSqlRecord m_record;
};

} // namespace

CloneNaiveBaseline::CloneNaiveBaseline(Database &db, qint64 actorUserId, qint64 actorMembershipId)
    : m_db(db)
    , m_actorUserId(actorUserId)
    , m_actorMembershipId(actorMembershipId)
{ }

Result<int> CloneNaiveBaseline::clone(const QList<qint64> &customerIds, qint64 targetResellerId)
{
    QSqlDatabase connection = m_db.connection();
    const QString batch = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString target = QString::number(targetResellerId);
    if (!connection.transaction())
        return failed(QStringLiteral("BEGIN"), connection.lastError());

    QSqlTableModel assignments(nullptr, connection);
    assignments.setTable(QStringLiteral("customer_assignments"));
    assignments.setEditStrategy(QSqlTableModel::OnManualSubmit);
    assignments.setFilter(QStringLiteral("reseller_id = ") + target);
    QSqlTableModel audit(nullptr, connection);
    audit.setTable(QStringLiteral("audit_events"));
    audit.setEditStrategy(QSqlTableModel::OnManualSubmit);
    audit.setFilter(QStringLiteral("batch_id = '") + batch + QLatin1Char('\''));
    if (!assignments.select() || !audit.select()) {
        connection.rollback();
        return failed(QStringLiteral("select"), assignments.lastError());
    }

    QSqlQuery check(connection);
    if (!check.prepare(QStringLiteral(
            "SELECT c.active, c.archived_at, c.owner_reseller_id, "
            "(SELECT count(*) FROM customer_assignments a WHERE a.customer_id = c.id "
            "AND a.reseller_id = ? AND a.ended_at IS NULL) FROM customers c WHERE c.id = ?"))) {
        connection.rollback();
        return failed(QStringLiteral("prepare"), check.lastError());
    }
    int cloned = 0;
    for (const qint64 id : customerIds) {
        check.addBindValue(targetResellerId);
        check.addBindValue(id);
        if (!check.exec()) {
            connection.rollback();
            return failed(QStringLiteral("check"), check.lastError());
        }
        if (!check.next() || !check.value(0).toBool() || !check.value(1).isNull()
            || check.value(3).toLongLong() > 0)
            continue; // missing, inactive, archived or already assigned: skipped
        const QVariant owner = check.value(2);
        check.finish();

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        NewRecord assignment(assignments);
        assignment.set(QStringLiteral("customer_id"), id);
        assignment.set(QStringLiteral("reseller_id"), targetResellerId);
        assignment.set(QStringLiteral("kind"), QStringLiteral("additional"));
        assignment.set(QStringLiteral("assigned_at"), now);
        assignment.set(QStringLiteral("assigned_by"), m_actorUserId);
        const QJsonObject after {{QStringLiteral("owner_reseller_id"), owner.toLongLong()},
            {QStringLiteral("target_reseller_id"), targetResellerId},
            {QStringLiteral("kind"), QStringLiteral("additional")}};
        NewRecord event(audit);
        event.set(QStringLiteral("occurred_at"), now);
        event.set(QStringLiteral("batch_id"), batch);
        event.set(QStringLiteral("actor_user_id"), m_actorUserId);
        event.set(QStringLiteral("actor_membership_id"), m_actorMembershipId);
        event.set(QStringLiteral("action"), QStringLiteral("customer.clone"));
        event.set(QStringLiteral("entity_type"), QStringLiteral("customer"));
        event.set(QStringLiteral("entity_id"), id);
        event.set(QStringLiteral("reseller_id"), targetResellerId);
        event.set(QStringLiteral("customer_id"), id);
        event.set(QStringLiteral("after_json"),
            QString::fromUtf8(QJsonDocument(after).toJson(QJsonDocument::Compact)));
        if (!assignments.insertRecord(-1, assignment.record()) || !assignments.submitAll()) {
            const QSqlError error = assignments.lastError();
            connection.rollback();
            return failed(QStringLiteral("assignment submitAll"), error);
        }
        if (!audit.insertRecord(-1, event.record()) || !audit.submitAll()) {
            const QSqlError error = audit.lastError();
            connection.rollback();
            return failed(QStringLiteral("audit submitAll"), error);
        }
        ++cloned;
    }
    if (!connection.commit())
        return failed(QStringLiteral("COMMIT"), connection.lastError());
    return cloned;
}

} // namespace rd::bench
