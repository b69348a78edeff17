#include "ServiceCustomerAdder.h"

#include <QDateTime>
#include <QSqlQuery>

#include "storage/Database.h"
#include "storage/SqlValues.h"

namespace rd::bench {

ServiceCustomerAdder::ServiceCustomerAdder(const BenchContext &context)
    : m_context(context)
    , m_access(context.db, m_clock)
    , m_service(context.db, m_clock, m_access)
    , m_tag(QString::number(QDateTime::currentMSecsSinceEpoch(), 36))
{ }

Status ServiceCustomerAdder::add(int serial)
{
    NewCustomer input;
    const QString n = QString::number(serial);
    input.companyName = QStringLiteral("Benchmark Added ") + n + QStringLiteral(" GmbH");
    input.website = QStringLiteral("https://www.added-") + m_tag + QLatin1Char('-') + n
        + QStringLiteral(".example");
    input.contactName = QStringLiteral("Ada Added");
    input.contactEmail = QStringLiteral("ada.added.") + m_tag + QLatin1Char('.') + n
        + QStringLiteral("@bench-added.example");
    input.contactPhone = QStringLiteral("+49 30 901820");
    input.resellerId = 1;
    input.planId = 2;
    Result<CreatedCustomer> created = m_service.addCustomer(m_context.admin, input);
    if (!created)
        return fail(created.error());
    m_added.append(created->customerId);
    return {};
}

Status ServiceCustomerAdder::cleanUp()
{
    for (const qint64 id : std::as_const(m_added)) {
        Result<QSqlQuery> q = m_context.db.prepare(
            QStringLiteral("UPDATE customers SET archived_at = ? WHERE id = ?"));
        if (!q)
            return fail(q.error());
        q->addBindValue(SqlValues::time(m_clock.now()));
        q->addBindValue(id);
        if (Status done = m_context.db.exec(*q, QStringLiteral("archiving")); !done)
            return done;
    }
    m_added.clear();
    return {};
}

} // namespace rd::bench
