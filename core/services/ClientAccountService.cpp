#include "services/ClientAccountService.h"

#include <csv.h>

#include <QHash>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

#include "domain/DomainName.h"
#include "domain/PhoneNumber.h"
#include "domain/TextLimits.h"
#include "domain/TrialPolicy.h"
#include "mail/MessageComposer.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "services/SettingsService.h"
#include "storage/CustomerRepository.h"
#include "storage/OrderRepository.h"
#include "storage/OutboxRepository.h"
#include "storage/UsageRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

// One record of a CSV file with the line it starts on.
struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

// Collects libcsv's callbacks into records.
struct CsvCollector
{
    QList<CsvRecord> records;
    CsvRecord current;
    int line = 1;        // the line of the byte being fed
    int recordStart = 0; // the line the current record started on; 0 between records
    bool badUtf8 = false;
};

void csvField(void *data, size_t length, void *collector)
{
    auto *c = static_cast<CsvCollector *>(collector);
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text
        = decoder.decode(QByteArrayView(static_cast<const char *>(data), qsizetype(length)));
    if (decoder.hasError())
        c->badUtf8 = true;
    c->current.fields.append(text);
}

void csvRecordEnd(int, void *collector)
{
    auto *c = static_cast<CsvCollector *>(collector);
    c->current.line = c->recordStart > 0 ? c->recordStart : c->line;
    c->records.append(c->current);
    c->current = CsvRecord();
    c->recordStart = 0;
}

// Parses csv (UTF-8 without its BOM) into records; an error for broken
// quoting or bytes that are not UTF-8.
Result<QList<CsvRecord>> parseCsv(const QByteArray &csv)
{
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return fail(ErrorCode::InvalidInput, ClientAccountService::tr("The file cannot be read."));
    CsvCollector collector;
    bool broken = false;
    // Byte by byte, so each record knows the line it starts on (quoted
    // fields may span lines).
    for (const char byte : csv) {
        if (collector.recordStart == 0 && byte != '\r' && byte != '\n')
            collector.recordStart = collector.line;
        if (csv_parse(&parser, &byte, 1, csvField, csvRecordEnd, &collector) != 1) {
            broken = true;
            break;
        }
        if (byte == '\n')
            ++collector.line;
    }
    if (!broken && csv_fini(&parser, csvField, csvRecordEnd, &collector) != 0)
        broken = true;
    csv_free(&parser);
    if (broken)
        return fail(ErrorCode::InvalidInput,
            ClientAccountService::tr(
                "The file is not valid CSV: a quoted field is not closed properly (line %1). "
                "Nothing was imported.")
                .arg(collector.recordStart > 0 ? collector.recordStart : collector.line));
    if (collector.badUtf8)
        return fail(ErrorCode::InvalidInput,
            ClientAccountService::tr(
                "The file is not UTF-8 text. Save it as UTF-8 CSV and import it again. "
                "Nothing was imported."));
    return collector.records;
}

QJsonObject settingsJson(const CustomerRow &c)
{
    return QJsonObject {{QStringLiteral("contact"), c.contactName},
        {QStringLiteral("phone"), c.contactPhone}, {QStringLiteral("noEmail"), c.noEmail}};
}

} // namespace

ClientAccountService::ClientAccountService(Database &db, const Clock &clock, AccessControl &access)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
{ }

ClientAccountStatus ClientAccountService::statusOf(const CustomerRow &c, const QDateTime &now)
{
    if (!c.active)
        return ClientAccountStatus::Inactive;
    if (c.billingStatus == BillingStatus::Paid)
        return ClientAccountStatus::Active;
    return TrialPolicy::isExpired(c.trialEndsAt, now) ? ClientAccountStatus::TrialExpired
                                                      : ClientAccountStatus::Trial;
}

Status ClientAccountService::mayEditSettings(
    const Session &session, const CustomerRow &customer) const
{
    if (session.role() == Role::ClientAdmin && session.customerId() == customer.id) {
        if (!customer.active)
            return fail(ErrorCode::PermissionDenied,
                tr("The account is deactivated, so its settings cannot be changed. Ask your "
                   "reseller to activate it again."));
        return {};
    }
    if (isClientRole(session.role()))
        return fail(ErrorCode::PermissionDenied,
            tr("Only the account's Client Admin can change these settings."));
    return m_access.requireForCustomer(
        session, Capability::ManageCustomers, Access::Write, customer.id);
}

Result<ClientDashboard> ClientAccountService::dashboard(
    const Session &session, qint64 customerId) const
{
    if (Status allowed
        = m_access.requireForCustomer(session, Capability::SeeCustomers, Access::Read, customerId);
        !allowed)
        return fail(allowed.error());
    CustomerRepository customers(m_db);
    Result<CustomerRow> customer = customers.find(customerId);
    if (!customer)
        return fail(customer.error());
    Result<CustomerLabels> labels = customers.labels(customerId);
    if (!labels)
        return fail(labels.error());

    const QDateTime now = m_clock.now();
    ClientDashboard d;
    d.customerId = customer->id;
    d.companyName = customer->companyName;
    d.domain = customer->domain;
    d.planName = labels->planName;
    d.status = statusOf(*customer, now);
    d.active = customer->active;
    d.trial = customer->billingStatus == BillingStatus::Trial;
    if (d.trial) {
        d.trialEndsAt = customer->trialEndsAt;
        d.trialDaysLeft = TrialPolicy::daysLeft(customer->trialEndsAt, now);
        d.monthlyBudget = customer->trialBudget;
    } else {
        d.monthlyBudget = labels->planMonthlyBudget;
    }
    const QDate today = now.toUTC().date();
    d.usageMonth = QDate(today.year(), today.month(), 1);
    d.usageMonthKey = d.usageMonth.toString(QStringLiteral("yyyy-MM"));
    Result<std::optional<UsageRow>> usage = UsageRepository(m_db).find(customerId, d.usageMonthKey);
    if (!usage)
        return fail(usage.error());
    d.usedThisMonth = usage->has_value() ? (*usage)->used : 0;

    Result<QList<UserListRow>> members = UserRepository(m_db).listMemberships(
        UserListScope {UserListScope::Kind::Customer, customerId}, now);
    if (!members)
        return fail(members.error());
    for (const UserListRow &m : *members)
        d.users.append({m.userId, m.displayName, m.email, m.role, m.active, m.lastLoginAt});

    Result<QList<OrderListRow>> orders
        = OrderRepository(m_db).recentForCustomer(customerId, RecentOrderLimit);
    if (!orders)
        return fail(orders.error());
    for (const OrderListRow &o : *orders)
        d.recentOrders.append(
            {o.id, o.createdAt, o.planName, o.quantity, o.total, o.currency, o.cancelled});

    d.settings.contactName = customer->contactName;
    d.settings.contactPhone = customer->contactPhone;
    d.settings.noEmail = customer->noEmail;
    d.contactEmail = customer->contactEmail;
    d.version = customer->version;
    const Status editable = mayEditSettings(session, *customer);
    d.canEditSettings = editable.has_value();
    if (!editable)
        d.settingsReadOnlyReason = editable.error().message();
    return d;
}

Result<int> ClientAccountService::updateSettings(
    const Session &session, qint64 customerId, int expectedVersion, const ClientSettings &settings)
{
    if (Status allowed
        = m_access.requireForCustomer(session, Capability::SeeCustomers, Access::Read, customerId);
        !allowed)
        return fail(allowed.error());
    CustomerRepository customers(m_db);
    Result<CustomerRow> before = customers.find(customerId);
    if (!before)
        return fail(before.error());
    if (Status allowed = mayEditSettings(session, *before); !allowed)
        return fail(allowed.error());
    if (before->version != expectedVersion)
        return fail(ErrorCode::Conflict,
            tr("%1 was changed by someone else. Reload it and make your change again.")
                .arg(before->companyName));

    // Validation first: nothing is written on bad input.
    CustomerRow after = *before;
    const QString contact = settings.contactName.trimmed();
    if (contact.isEmpty())
        return fail(ErrorCode::InvalidInput, tr("Enter the contact's name."),
            QStringLiteral("contactName"));
    if (TextLimits::characterCount(contact) > TextLimits::ContactName)
        return fail(ErrorCode::InvalidInput,
            tr("The contact's name may be at most %n characters.", nullptr,
                static_cast<int>(TextLimits::ContactName)),
            QStringLiteral("contactName"));
    after.contactName = contact;
    after.contactPhone.clear();
    if (!settings.contactPhone.trimmed().isEmpty()) {
        Result<PhoneNumber> phone = PhoneNumber::parse(settings.contactPhone, settings.phoneRegion);
        if (!phone)
            return fail(ErrorCode::InvalidInput, phone.error().message(),
                QStringLiteral("contactPhone"), phone.error().detail());
        after.contactPhone = phone->e164();
    }
    after.noEmail = settings.noEmail;

    const QJsonObject old = settingsJson(*before);
    const QJsonObject now = settingsJson(after);
    QJsonObject changedBefore;
    QJsonObject changedAfter;
    for (auto it = now.constBegin(); it != now.constEnd(); ++it) {
        if (old.value(it.key()) != it.value()) {
            changedBefore.insert(it.key(), old.value(it.key()));
            changedAfter.insert(it.key(), it.value());
        }
    }
    if (changedAfter.isEmpty())
        return before->version; // nothing to change

    // Rule 4/5: "no email" silences the pending trial reminder; clearing it
    // brings the reminder back.
    std::optional<TrialPolicy> policy;
    if (!after.noEmail && before->noEmail && after.billingStatus == BillingStatus::Trial) {
        Result<DomainSettings> shared = SettingsService(m_db, m_clock, m_access).current();
        if (!shared)
            return fail(shared.error());
        Result<TrialPolicy> trial = shared->trialPolicy();
        if (!trial)
            return fail(trial.error());
        policy = *trial;
    }

    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    after.updatedAt = m_clock.now();
    Result<int> version = customers.update(after);
    if (!version)
        return version;
    OutboxRepository outbox(m_db);
    if (after.noEmail && !before->noEmail) {
        if (Result<int> n = outbox.cancelPending(customerId, OutboxKind::TrialReminder); !n)
            return fail(n.error());
    } else if (policy && after.active) {
        const QDateTime notBefore = policy->reminderAt(after.trialEndsAt);
        if (notBefore > m_clock.now()) {
            const ComposedMessage message = MessageComposer::trialReminder(
                after.companyName, after.contactName, after.trialEndsAt);
            OutboxRow row;
            row.createdAt = m_clock.now();
            row.kind = OutboxKind::TrialReminder;
            row.customerId = customerId;
            row.resellerId = after.ownerResellerId;
            row.userId = after.primaryUserId;
            row.recipient = after.contactEmail;
            row.subject = message.subject;
            row.body = message.body;
            row.notBefore = notBefore;
            row.createdBy = session.userId();
            if (Result<qint64> queued = outbox.insert(row); !queued)
                return fail(queued.error());
        }
    }
    const AuditEntry entry {QStringLiteral("customer.client_settings"), QStringLiteral("customer"),
        customerId, after.ownerResellerId, customerId, changedBefore, changedAfter, {}, {}};
    if (Status recorded = AuditLog(m_db, m_clock).record(session, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    return version;
}

Result<UsageImportReport> ClientAccountService::importUsageCsv(
    const Session &session, const QByteArray &csv, bool dryRun)
{
    if (Status allowed = m_access.require(session, Capability::Catalogue, Access::Write); !allowed)
        return fail(allowed.error());

    QByteArray bytes = csv;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    Result<QList<CsvRecord>> records = parseCsv(bytes);
    if (!records)
        return fail(records.error());
    if (records->isEmpty())
        return fail(ErrorCode::InvalidInput,
            tr("The file is empty. It needs a header row with the columns customer_id (or "
               "domain), month and used. Nothing was imported."));

    // The header: names in any order, case and surrounding space ignored.
    const CsvRecord &header = records->constFirst();
    QHash<QString, int> columns;
    for (int i = 0; i < header.fields.size(); ++i)
        columns.insert(header.fields.at(i).trimmed().toLower(), i);
    const int idColumn = static_cast<int>(columns.value(QStringLiteral("customer_id"), -1));
    const int domainColumn = static_cast<int>(columns.value(QStringLiteral("domain"), -1));
    const int monthColumn = static_cast<int>(columns.value(QStringLiteral("month"), -1));
    const int usedColumn = static_cast<int>(columns.value(QStringLiteral("used"), -1));
    QStringList missing;
    if (idColumn < 0 && domainColumn < 0)
        missing.append(QStringLiteral("customer_id"));
    if (monthColumn < 0)
        missing.append(QStringLiteral("month"));
    if (usedColumn < 0)
        missing.append(QStringLiteral("used"));
    if (!missing.isEmpty())
        return fail(ErrorCode::InvalidInput,
            tr("The first row must be a header naming the columns customer_id (or domain), "
               "month and used; missing: %1. Nothing was imported.")
                .arg(missing.join(QStringLiteral(", "))));

    struct Valid
    {
        int line = 0;
        CustomerRow customer;
        QString month;
        int used = 0;
    };
    UsageImportReport report;
    report.dryRun = dryRun;
    QList<Valid> valid;
    QHash<QPair<qint64, QString>, int> seen; // customer and month -> line
    CustomerRepository customers(m_db);
    static const QRegularExpression monthPattern(QStringLiteral("^(\\d{4})-(\\d{2})$"));
    const auto columnCount = header.fields.size();
    for (qsizetype r = 1; r < records->size(); ++r) {
        const CsvRecord &record = records->at(r);
        ++report.rowsRead;
        auto refuse = [&](const QString &message) {
            report.refused.append({record.line, message});
        };
        if (record.fields.size() != columnCount) {
            refuse(tr("The row has %1 columns; the header has %2.")
                       .arg(record.fields.size())
                       .arg(columnCount));
            continue;
        }
        // The customer, by id or else by domain.
        std::optional<CustomerRow> customer;
        if (idColumn >= 0) {
            const QString text = record.fields.at(idColumn).trimmed();
            bool ok = false;
            const qint64 id = text.toLongLong(&ok);
            Result<CustomerRow> found = ok && id > 0
                ? customers.find(id)
                : Result<CustomerRow>(fail(ErrorCode::NotFound, QString()));
            if (!found && found.error().code() != ErrorCode::NotFound)
                return fail(found.error());
            if (!found) {
                refuse(tr("There is no customer with the id “%1”.").arg(text));
                continue;
            }
            customer = *found;
        } else {
            const QString text = record.fields.at(domainColumn).trimmed();
            Result<DomainName> domain = DomainName::parse(text);
            Result<QList<qint64>> ids
                = domain ? customers.idsWithDomain(domain->ascii()) : Result<QList<qint64>>();
            if (!ids)
                return fail(ids.error());
            if (!domain || ids->isEmpty()) {
                refuse(tr("There is no customer with the domain “%1”.").arg(text));
                continue;
            }
            if (ids->size() > 1) {
                refuse(tr("%1 customers use the domain “%2”; use the customer_id column to "
                          "say which one.")
                           .arg(ids->size())
                           .arg(text));
                continue;
            }
            Result<CustomerRow> found = customers.find(ids->constFirst());
            if (!found)
                return fail(found.error());
            customer = *found;
        }
        const QString month = record.fields.at(monthColumn).trimmed();
        const QRegularExpressionMatch match = monthPattern.match(month);
        const int monthNumber = match.hasMatch() ? match.captured(2).toInt() : 0;
        if (monthNumber < 1 || monthNumber > 12) {
            refuse(
                tr("The month “%1” is not a month in the form YYYY-MM (e.g. 2026-12).").arg(month));
            continue;
        }
        const QString usedText = record.fields.at(usedColumn).trimmed();
        bool ok = false;
        const int used = usedText.toInt(&ok);
        if (!ok || used < 0) {
            refuse(tr("“%1” is not a number of identifications (a whole number, 0 or more).")
                       .arg(usedText));
            continue;
        }
        const QPair<qint64, QString> key(customer->id, month);
        if (const int earlier = seen.value(key, 0); earlier > 0) {
            refuse(tr("%1 in %2 is already on line %3.")
                       .arg(customer->companyName, month)
                       .arg(earlier));
            continue;
        }
        seen.insert(key, record.line);
        valid.append({record.line, *customer, month, used});
    }
    report.imported = static_cast<int>(valid.size());
    if (dryRun || valid.isEmpty())
        return report;

    UsageRepository usage(m_db);
    AuditLog audit(m_db, m_clock);
    const QString batch = AuditLog::newBatchId();
    const QDateTime now = m_clock.now();
    Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
    if (!transaction)
        return fail(transaction.error());
    for (const Valid &row : valid) {
        Result<std::optional<UsageRow>> before = usage.find(row.customer.id, row.month);
        if (!before)
            return fail(before.error());
        if (Status saved = usage.upsert(row.customer.id, row.month, row.used, now); !saved)
            return fail(saved.error());
        QJsonObject old;
        if (before->has_value())
            old = QJsonObject {
                {QStringLiteral("month"), row.month}, {QStringLiteral("used"), (*before)->used}};
        const AuditEntry entry {QStringLiteral("usage.import"), QStringLiteral("usage"),
            row.customer.id, row.customer.ownerResellerId, row.customer.id, old,
            QJsonObject {{QStringLiteral("month"), row.month}, {QStringLiteral("used"), row.used},
                {QStringLiteral("line"), row.line}},
            {}, batch};
        if (Status recorded = audit.record(session, entry); !recorded)
            return fail(recorded.error());
    }
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    report.batchId = batch;
    return report;
}

} // namespace rd
