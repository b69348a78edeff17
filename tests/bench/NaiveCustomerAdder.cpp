#include "NaiveCustomerAdder.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSqlTableModel>

#include "storage/Database.h"

namespace rd::bench {

NaiveCustomerAdder::NaiveCustomerAdder(const BenchContext &context)
    : m_context(context)
    , m_table(std::make_unique<QSqlTableModel>(nullptr, context.db.connection()))
    , m_tag(QString::number(QDateTime::currentMSecsSinceEpoch(), 36))
{
    m_table->setTable(QStringLiteral("customers"));
    m_table->setEditStrategy(QSqlTableModel::OnManualSubmit);
    m_table->select();
}

NaiveCustomerAdder::~NaiveCustomerAdder() = default;

Status NaiveCustomerAdder::add(int serial)
{
    const QString n = QString::number(serial);
    const QString email = QStringLiteral("naive.added.") + m_tag + QLatin1Char('.') + n
        + QStringLiteral("@bench-added.example");
    QSqlQuery check(m_context.db.connection());
    check.prepare(
        QStringLiteral("SELECT count(*) FROM customers WHERE lower(contact_email) = lower(?)"));
    check.addBindValue(email);
    if (!check.exec() || !check.next())
        return fail(ErrorCode::DatabaseError, QStringLiteral("duplicate check"), {},
            check.lastError().text());
    if (check.value(0).toInt() > 0)
        return fail(ErrorCode::Duplicate, QStringLiteral("duplicate email"));

    QSqlRecord record = m_table->record();
    // Only the fields set below go into the INSERT (the id is the database's).
    for (int i = 0; i < record.count(); ++i)
        record.setGenerated(i, false);
    auto set = [&record](const QString &field, const QVariant &value) {
        record.setValue(field, value);
        record.setGenerated(field, true);
    };
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    set(QStringLiteral("company_name"), QString(QStringLiteral("Naive Added ") + n));
    const QString domain = QStringLiteral("naive-added-") + m_tag + QLatin1Char('-') + n
        + QStringLiteral(".example");
    set(QStringLiteral("domain"), domain);
    set(QStringLiteral("contact_name"), QStringLiteral("Nina Naive"));
    set(QStringLiteral("contact_email"), email);
    set(QStringLiteral("plan_id"), 2);
    set(QStringLiteral("price_list_id"), 1);
    set(QStringLiteral("owner_reseller_id"), 1);
    set(QStringLiteral("billing_status"), QStringLiteral("paid"));
    set(QStringLiteral("active"), true);
    set(QStringLiteral("no_email"), false);
    set(QStringLiteral("created_at"), now);
    if (!m_table->insertRecord(-1, record) || !m_table->submitAll())
        return fail(ErrorCode::DatabaseError, QStringLiteral("QSqlTableModel::submitAll"), {},
            m_table->lastError().text());
    return {};
}

Status NaiveCustomerAdder::cleanUp()
{
    QSqlQuery remove(m_context.db.connection());
    remove.prepare(QStringLiteral("DELETE FROM customers WHERE contact_email LIKE ?"));
    remove.addBindValue(QString(QStringLiteral("naive.added.") + m_tag + QStringLiteral(".%")));
    if (!remove.exec())
        return fail(
            ErrorCode::DatabaseError, QStringLiteral("cleanup"), {}, remove.lastError().text());
    return {};
}

} // namespace rd::bench
