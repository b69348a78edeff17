#include "services/CustomerImportService.h"

#include <algorithm>

#include <csv.h>

#include <QBuffer>
#include <QHash>
#include <QIODevice>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>

#include "domain/Csv.h"
#include "domain/EmailAddress.h"
#include "mail/MessageComposer.h"
#include "security/OneTimeCode.h"
#include "services/AccessControl.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "services/Session.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerImportRepository.h"
#include "storage/Database.h"
#include "storage/OutboxRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

// How much of the file is read at a time.
constexpr qint64 ReadChunk = 64 * 1024;

// Collects libcsv's callbacks into records.
struct CsvReader
{
    ImportFile file;
    ImportFile::Record current;
    bool first = true;   // the next record is the header
    int line = 1;        // the line being fed
    int recordStart = 0; // the line the current record started on; 0 between records
};

void csvField(void *data, size_t length, void *reader)
{
    auto *r = static_cast<CsvReader *>(reader);
    const qsizetype kept = std::min(qsizetype(length), CustomerImportService::MaxFieldBytes);
    // A stateful decoder that is not flushed: a multi-byte character cut
    // at the limit is dropped, not taken for bad UTF-8.
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(QByteArrayView(static_cast<const char *>(data), kept));
    if (decoder.hasError() && r->current.notUtf8Column < 0)
        r->current.notUtf8Column = static_cast<int>(r->current.fields.size());
    r->current.fields.append(std::move(text));
}

void csvRecordEnd(int, void *reader)
{
    auto *r = static_cast<CsvReader *>(reader);
    r->current.line = r->recordStart > 0 ? r->recordStart : r->line;
    if (r->first) {
        r->file.header = r->current.fields;
        r->first = false;
    } else {
        r->file.records.append(std::move(r->current));
    }
    r->current = ImportFile::Record();
    r->recordStart = 0;
}

bool isBlankLine(QByteArrayView segment)
{
    for (const char c : segment) {
        if (c != '\r' && c != '\n')
            return false;
    }
    return true;
}

// Normalised header name: letters and digits only, lower case.
QString headerKey(const QString &name)
{
    QString key;
    for (const QChar c : name.toCaseFolded()) {
        if (c.isLetterOrNumber())
            key.append(c);
    }
    return key;
}

// Accepted spellings of yes and no in the flag columns, in any case.
std::optional<bool> parseFlag(const QString &text)
{
    const QString t = text.trimmed().toLower();
    static const QStringList yes {QStringLiteral("yes"), QStringLiteral("y"),
        QStringLiteral("true"), QStringLiteral("1"), QStringLiteral("x")};
    static const QStringList no {
        QStringLiteral("no"), QStringLiteral("n"), QStringLiteral("false"), QStringLiteral("0")};
    if (t.isEmpty() || no.contains(t))
        return false;
    if (yes.contains(t))
        return true;
    return std::nullopt;
}

} // namespace

CustomerImportService::CustomerImportService(
    Database &db, const Clock &clock, AccessControl &access, TrialPolicy trialPolicy)
    : m_db(db)
    , m_clock(clock)
    , m_access(access)
    , m_trialPolicy(trialPolicy)
    , m_customers(db, clock, access, trialPolicy)
{ }

Result<QList<PlanRow>> CustomerImportService::plansFor(
    const Session &session, qint64 resellerId) const
{
    return m_customers.plansFor(session, resellerId);
}

const ConnectionProfile &CustomerImportService::profile() const
{
    return m_db.profile();
}

Result<ImportFile> CustomerImportService::readCsv(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return readCsv(buffer);
}

Result<ImportFile> CustomerImportService::readCsv(QIODevice &device)
{
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return fail(ErrorCode::InvalidInput, tr("The file cannot be read."));
    CsvReader reader;
    bool broken = false;
    bool startOfFile = true;
    QByteArray pending; // a line not yet ended
    auto feed = [&](QByteArrayView segment) {
        // One line at a time (the segment ends with its LF, if any), so each
        // record knows the line it starts on.
        if (reader.recordStart == 0 && !isBlankLine(segment))
            reader.recordStart = reader.line;
        if (csv_parse(
                &parser, segment.data(), size_t(segment.size()), csvField, csvRecordEnd, &reader)
            != size_t(segment.size())) {
            broken = true;
            return;
        }
        if (segment.endsWith('\n'))
            ++reader.line;
    };
    while (!broken) {
        const QByteArray chunk = device.read(ReadChunk);
        if (chunk.isEmpty())
            break;
        QByteArrayView view(chunk);
        if (startOfFile) {
            pending.append(chunk);
            if (pending.size() < 3 && !device.atEnd())
                continue;
            if (pending.startsWith("\xEF\xBB\xBF"))
                pending.remove(0, 3);
            // Spreadsheets set to a comma decimal separator write semicolons.
            const qsizetype firstEnd = pending.indexOf('\n');
            const QByteArrayView firstLine
                = QByteArrayView(pending).first(firstEnd < 0 ? pending.size() : firstEnd);
            if (firstLine.count(';') > firstLine.count(','))
                csv_set_delim(&parser, ';');
            startOfFile = false;
            view = QByteArrayView(pending);
        }
        qsizetype from = 0;
        while (!broken && from < view.size()) {
            const qsizetype end = view.indexOf('\n', from);
            const qsizetype next = end < 0 ? view.size() : end + 1;
            feed(view.sliced(from, next - from));
            from = next;
        }
        pending.clear();
    }
    if (startOfFile && !pending.isEmpty() && !broken) {
        if (pending.startsWith("\xEF\xBB\xBF"))
            pending.remove(0, 3);
        feed(QByteArrayView(pending));
    }
    if (!broken && csv_fini(&parser, csvField, csvRecordEnd, &reader) != 0)
        broken = true;
    csv_free(&parser);
    if (!device.atEnd() && !broken)
        return fail(ErrorCode::InvalidInput,
            tr("The file cannot be read to its end: %1").arg(device.errorString()));
    if (broken)
        return fail(ErrorCode::InvalidInput,
            tr("The file is not valid CSV: the record starting on line %1 has a double quote "
               "that does not open or close a quoted field properly. Correct the quoting (a "
               "quote inside a quoted field is written twice) and import it again. Nothing was "
               "imported.")
                .arg(reader.recordStart > 0 ? reader.recordStart : reader.line));
    if (reader.first)
        return fail(ErrorCode::InvalidInput,
            tr("The file is empty. It needs a header row naming its columns (e.g. Company, "
               "Contact name, Email, Plan) and a row per customer."));
    if (reader.file.records.isEmpty())
        return fail(
            ErrorCode::InvalidInput, tr("The file has a header row but no customers below it."));
    return reader.file;
}

QString CustomerImportService::fieldKey(ImportField field)
{
    switch (field) {
    case ImportField::Company:
        return QStringLiteral("company");
    case ImportField::Website:
        return QStringLiteral("website");
    case ImportField::ContactName:
        return QStringLiteral("contactName");
    case ImportField::ContactEmail:
        return QStringLiteral("email");
    case ImportField::Phone:
        return QStringLiteral("phone");
    case ImportField::Plan:
        return QStringLiteral("plan");
    case ImportField::Billing:
        return QStringLiteral("status");
    case ImportField::NoEmail:
        break;
    }
    return QStringLiteral("noEmail");
}

QString CustomerImportService::fieldLabel(ImportField field)
{
    switch (field) {
    case ImportField::Company:
        return tr("Company");
    case ImportField::Website:
        return tr("Website");
    case ImportField::ContactName:
        return tr("Contact name");
    case ImportField::ContactEmail:
        return tr("Contact email");
    case ImportField::Phone:
        return tr("Phone");
    case ImportField::Plan:
        return tr("Plan");
    case ImportField::Billing:
        return tr("Trial or paid");
    case ImportField::NoEmail:
        break;
    }
    return tr("No email");
}

ImportMapping CustomerImportService::guessMapping(const QStringList &header)
{
    // Header names (as headerKey() writes them) for each field, best first.
    static const std::array<QStringList, ImportFieldCount> names {{
        {QStringLiteral("company"), QStringLiteral("companyname"), QStringLiteral("organisation"),
            QStringLiteral("organization"), QStringLiteral("customer"),
            QStringLiteral("customername"), QStringLiteral("account"), QStringLiteral("client")},
        {QStringLiteral("website"), QStringLiteral("domain"), QStringLiteral("web"),
            QStringLiteral("url"), QStringLiteral("site"), QStringLiteral("homepage")},
        {QStringLiteral("contactname"), QStringLiteral("contact"), QStringLiteral("name"),
            QStringLiteral("fullname"), QStringLiteral("person")},
        {QStringLiteral("contactemail"), QStringLiteral("email"), QStringLiteral("emailaddress"),
            QStringLiteral("mail"), QStringLiteral("login")},
        {QStringLiteral("phone"), QStringLiteral("contactphone"), QStringLiteral("telephone"),
            QStringLiteral("tel"), QStringLiteral("phonenumber"), QStringLiteral("mobile")},
        {QStringLiteral("plan"), QStringLiteral("planname"), QStringLiteral("product")},
        {QStringLiteral("trialorpaid"), QStringLiteral("trialpaid"), QStringLiteral("status"),
            QStringLiteral("billing"), QStringLiteral("billingstatus"), QStringLiteral("trial")},
        {QStringLiteral("noemail"), QStringLiteral("nomail"), QStringLiteral("donotemail"),
            QStringLiteral("optout")},
    }};
    QStringList keys;
    for (const QString &name : header)
        keys.append(headerKey(name));
    ImportMapping mapping;
    QSet<int> used;
    for (int f = 0; f < ImportFieldCount; ++f) {
        for (const QString &name : names.at(static_cast<size_t>(f))) {
            const int column = static_cast<int>(keys.indexOf(name));
            if (column >= 0 && !used.contains(column)) {
                mapping.columns.at(static_cast<size_t>(f)) = column;
                used.insert(column);
                break;
            }
        }
    }
    return mapping;
}

Result<ImportPreview> CustomerImportService::preview(const Session &session, const ImportFile &file,
    const ImportMapping &mapping, const ImportOptions &options) const
{
    Result<qint64> portal = m_customers.checkPortal(session, options.resellerId);
    if (!portal)
        return fail(portal.error());
    for (const int column : mapping.columns) {
        if (column >= file.header.size())
            return fail(ErrorCode::InvalidInput,
                tr("The column mapping names column %1, but the file has only %2 columns.")
                    .arg(column + 1)
                    .arg(file.header.size()));
    }
    for (const ImportField required :
        {ImportField::Company, ImportField::ContactName, ImportField::ContactEmail}) {
        if (mapping.column(required) < 0)
            return fail(ErrorCode::InvalidInput,
                tr("Choose the column that holds the field “%1”.").arg(fieldLabel(required)),
                fieldKey(required));
    }

    ImportPreview preview;
    preview.header = file.header;
    preview.mapping = mapping;
    preview.options = options;
    preview.resellerId = *portal;

    // Rule 3 once per plan, by name or code, case-insensitively.
    Result<QList<PlanRow>> plans = CatalogueRepository(m_db).plans();
    if (!plans)
        return fail(plans.error());
    QHash<QString, PlanRow> planByName;
    for (const PlanRow &plan : *plans) {
        planByName.insert(plan.name.trimmed().toCaseFolded(), plan);
        if (!plan.code.isEmpty() && !planByName.contains(plan.code.toCaseFolded()))
            planByName.insert(plan.code.toCaseFolded(), plan);
    }
    QHash<qint64, Result<CustomerPlacement>> placements;
    auto placementFor = [&](qint64 planId) -> const Result<CustomerPlacement> & {
        auto it = placements.constFind(planId);
        if (it == placements.constEnd())
            it = placements.insert(planId, m_customers.checkPlacement(session, *portal, planId, 0));
        return *it;
    };
    // The reseller itself (gone, deactivated) is a problem of the whole file.
    if (*portal != 0) {
        const qint64 probePlan
            = options.defaultPlanId != 0 ? options.defaultPlanId : plans->value(0).id;
        const Result<CustomerPlacement> &probe = placementFor(probePlan);
        if (!probe && probe.error().field() == QStringLiteral("reseller"))
            return fail(probe.error());
        if (probe)
            preview.resellerName = probe->resellerName;
    }

    auto cell = [&](const ImportFile::Record &record, ImportField field) {
        const int column = mapping.column(field);
        return column < 0 ? QString() : record.fields.at(column);
    };
    const qsizetype columnCount = file.header.size();
    QHash<QString, int> firstLineOfKey;
    preview.rows.reserve(file.records.size());
    for (const ImportFile::Record &record : file.records) {
        ImportRow row;
        row.line = record.line;
        row.fields = record.fields;
        auto issue = [&row](const QString &field, const QString &message) {
            row.issues.append({field, message});
        };
        if (record.notUtf8Column >= 0) {
            issue({},
                tr("Line %1 is not UTF-8 text (column %2). Save the file as UTF-8 CSV and "
                   "import it again.")
                    .arg(record.line)
                    .arg(record.notUtf8Column + 1));
            preview.rows.append(std::move(row));
            continue;
        }
        if (record.fields.size() != columnCount) {
            issue({},
                tr("The row has %1 columns; the header has %2.")
                    .arg(record.fields.size())
                    .arg(columnCount));
            preview.rows.append(std::move(row));
            continue;
        }

        NewCustomer input;
        input.companyName = cell(record, ImportField::Company);
        input.website = cell(record, ImportField::Website);
        input.contactName = cell(record, ImportField::ContactName);
        input.contactEmail = cell(record, ImportField::ContactEmail);
        input.contactPhone = cell(record, ImportField::Phone);
        input.phoneRegion = options.phoneRegion;
        std::expected<CheckedCustomerFields, QList<Error>> checked
            = CustomerService::checkFields(input);
        if (checked)
            row.customer = *checked;
        else
            for (const Error &error : checked.error())
                issue(error.field(), error.message());

        // The plan: by name, or the default.
        const QString planText = cell(record, ImportField::Plan).trimmed();
        if (planText.isEmpty()) {
            row.planId = options.defaultPlanId;
            if (row.planId == 0)
                issue(fieldKey(ImportField::Plan),
                    tr("Enter the plan, or choose a plan for rows without one."));
        } else if (const auto found = planByName.constFind(planText.toCaseFolded());
                   found != planByName.constEnd()) {
            row.planId = found->id;
        } else {
            issue(fieldKey(ImportField::Plan),
                tr("There is no plan named “%1”.").arg(planText.left(100)));
        }
        if (row.planId != 0) {
            const Result<CustomerPlacement> &placement = placementFor(row.planId);
            if (!placement)
                issue(placement.error().field(), placement.error().message());
        }

        const QString billing = cell(record, ImportField::Billing).trimmed().toLower();
        if (billing.isEmpty())
            row.trial = options.defaultTrial;
        else if (billing == QStringLiteral("trial") || billing == tr("trial").toLower())
            row.trial = true;
        else if (billing == QStringLiteral("paid") || billing == tr("paid").toLower())
            row.trial = false;
        else
            issue(fieldKey(ImportField::Billing),
                tr("“%1” is neither trial nor paid.").arg(billing.left(40)));

        const std::optional<bool> noEmail = parseFlag(cell(record, ImportField::NoEmail));
        if (noEmail)
            row.noEmail = *noEmail;
        else
            issue(fieldKey(ImportField::NoEmail),
                tr("“%1” is not yes or no.").arg(cell(record, ImportField::NoEmail).left(40)));

        // Rule 1 within the file: the first row with an address keeps it.
        if (checked) {
            const auto earlier = firstLineOfKey.constFind(row.customer.emailKey);
            if (earlier != firstLineOfKey.constEnd())
                issue(fieldKey(ImportField::ContactEmail),
                    tr("The email address %1 is already on line %2 of this file. Every login "
                       "needs its own address.")
                        .arg(row.customer.email)
                        .arg(*earlier));
            else
                firstLineOfKey.insert(row.customer.emailKey, row.line);
        }
        preview.rows.append(std::move(row));
    }

    // Rule 1 against the database, for the rows still valid.
    QStringList keys;
    for (const ImportRow &row : std::as_const(preview.rows)) {
        if (row.valid())
            keys.append(row.customer.emailKey);
    }
    Result<QSet<QString>> taken = CustomerImportRepository(m_db).existingEmailKeys(keys);
    if (!taken)
        return fail(taken.error());
    if (!taken->isEmpty()) {
        // The owner of a taken address is looked up (a search) for the
        // first ones only: a file imported twice has a duplicate per row.
        constexpr int NamedDuplicates = 20;
        int duplicates = 0;
        for (ImportRow &row : preview.rows) {
            if (!row.valid() || !taken->contains(row.customer.emailKey))
                continue;
            Result<EmailAddress> email = EmailAddress::parse(row.customer.email);
            if (!email)
                continue;
            const QString message = ++duplicates <= NamedDuplicates
                ? m_customers.duplicateEmailError(session, *email, row.customer.companyName)
                      .message()
                : tr("The email address %1 is already used by another ResellerDesk login. "
                     "Every login needs its own address.")
                      .arg(email->typed());
            row.issues.append({fieldKey(ImportField::ContactEmail), message});
        }
    }
    for (const ImportRow &row : std::as_const(preview.rows)) {
        if (row.valid())
            ++preview.validCount;
        else
            ++preview.invalidCount;
    }
    return preview;
}

Result<ImportResult> CustomerImportService::importRows(const Session &session,
    const ImportPreview &preview, const ImportProgress &progress, const std::atomic<bool> *cancel,
    int batchSize, int chunkRows)
{
    // The checks of Add Customer again, on this connection, now.
    Result<qint64> portal = m_customers.checkPortal(session, preview.options.resellerId);
    if (!portal)
        return fail(portal.error());
    if (*portal != preview.resellerId)
        return fail(ErrorCode::InvalidInput,
            tr("The preview was made for another reseller portal. Check the file again."));
    QHash<qint64, CustomerPlacement> placements;
    QList<const ImportRow *> valid;
    ImportResult result;
    for (const ImportRow &row : preview.rows) {
        if (!row.valid()) {
            QStringList reasons;
            for (const ImportIssue &issue : row.issues)
                reasons.append(issue.message);
            result.refused.append({row.line, reasons.join(QLatin1Char(' '))});
            continue;
        }
        if (!placements.contains(row.planId)) {
            Result<CustomerPlacement> placement
                = m_customers.checkPlacement(session, *portal, row.planId, 0);
            if (!placement)
                return fail(placement.error());
            placements.insert(row.planId, *placement);
        }
        valid.append(&row);
    }
    Result<TrialPolicy> policy = m_customers.currentTrialPolicy();
    if (!policy)
        return fail(policy.error());

    CustomerImportRepository writer(m_db);
    AuditLog audit(m_db, m_clock);
    result.batchId = AuditLog::newBatchId();
    const qint64 resellerId = *portal;
    const bool sendSetup = preview.options.sendSetupEmails;
    const int total = static_cast<int>(valid.size());
    batchSize = std::max(1, batchSize);

    chunkRows = std::max(1, chunkRows);

    // One chunk of rows: everything addCustomer creates for each, written
    // table by table (a statement per table, not per row: see
    // CustomerImportRepository). A row whose email address was taken since
    // the preview is refused, the others go on.
    auto writeChunk = [&](QList<const ImportRow *> rows, const QDateTime &now, QList<int> &imported,
                          QList<ImportRefusal> &refused) -> Status {
        // The logins first: the unique email key decides.
        QList<UserRow> users;
        QHash<QString, OneTimeCode> codes;
        users.reserve(rows.size());
        for (const ImportRow *row : std::as_const(rows)) {
            const CheckedCustomerFields &c = row->customer;
            UserRow user;
            user.email = c.email;
            user.emailKey = c.emailKey;
            user.displayName = c.contactName;
            user.mustChangePassword = true;
            if (sendSetup && !row->noEmail) {
                const OneTimeCode code = OneTimeCode::generate();
                user.setupCodeHash = code.hash();
                user.setupCodeExpiresAt = OneTimeCode::expiresAt(now);
                codes.insert(c.emailKey, code);
            }
            user.createdAt = now;
            user.createdBy = session.userId();
            users.append(std::move(user));
        }
        Result<QHash<QString, qint64>> userIds = writer.insertUsers(users);
        if (!userIds)
            return fail(userIds.error());
        QList<const ImportRow *> accepted;
        accepted.reserve(rows.size());
        for (const ImportRow *row : std::as_const(rows)) {
            if (userIds->contains(row->customer.emailKey)) {
                accepted.append(row);
                continue;
            }
            Result<EmailAddress> email = EmailAddress::parse(row->customer.email);
            refused.append({row->line,
                email ? m_customers.duplicateEmailError(session, *email, row->customer.companyName)
                            .message()
                      : email.error().message()});
        }
        if (accepted.isEmpty())
            return {};

        QList<CustomerRow> customers;
        customers.reserve(accepted.size());
        for (const ImportRow *row : std::as_const(accepted)) {
            const CheckedCustomerFields &c = row->customer;
            const CustomerPlacement &placement = placements[row->planId];
            CustomerRow customer;
            customer.companyName = c.companyName;
            customer.domain = c.domain;
            customer.contactName = c.contactName;
            customer.contactEmail = c.email;
            customer.contactPhone = c.phone;
            customer.planId = placement.plan.id;
            customer.priceListId = placement.priceList.id;
            customer.ownerResellerId = resellerId;
            customer.primaryUserId = userIds->value(c.emailKey);
            customer.billingStatus = row->trial ? BillingStatus::Trial : BillingStatus::Paid;
            if (row->trial) {
                customer.trialEndsAt = policy->trialEnd(now);
                customer.trialBudget = policy->trialBudget();
            }
            customer.noEmail = row->noEmail;
            customer.createdAt = now;
            customer.createdBy = session.userId();
            customers.append(std::move(customer));
        }
        Result<QHash<qint64, qint64>> customerIds = writer.insertCustomers(customers);
        if (!customerIds)
            return fail(customerIds.error());
        for (CustomerRow &customer : customers)
            customer.id = customerIds->value(customer.primaryUserId);

        QList<MembershipRow> memberships;
        QList<AssignmentRow> assignments;
        memberships.reserve(customers.size());
        for (const CustomerRow &customer : std::as_const(customers)) {
            MembershipRow membership;
            membership.userId = customer.primaryUserId;
            membership.role = Role::ClientAdmin;
            membership.customerId = customer.id;
            membership.createdAt = now;
            membership.createdBy = session.userId();
            memberships.append(std::move(membership));
            if (resellerId != 0) {
                AssignmentRow owner;
                owner.customerId = customer.id;
                owner.resellerId = resellerId;
                owner.kind = AssignmentKind::Owner;
                owner.assignedAt = now;
                owner.assignedBy = session.userId();
                assignments.append(std::move(owner));
            }
        }
        Result<QHash<qint64, qint64>> membershipIds = writer.insertMemberships(memberships);
        if (!membershipIds)
            return fail(membershipIds.error());
        Result<QHash<qint64, qint64>> assignmentIds = writer.insertAssignments(assignments);
        if (!assignmentIds)
            return fail(assignmentIds.error());

        // Rule 5: the setup emails in the same transaction; rule 4: the
        // trial reminders, as addCustomer queues them. Rule 12: one event
        // per entity, all sharing the import's batch id.
        QList<OutboxRow> mails;
        QList<AuditEventRow> events;
        events.reserve(accepted.size() * 4);
        for (qsizetype i = 0; i < accepted.size(); ++i) {
            const ImportRow &row = *accepted.at(i);
            const CheckedCustomerFields &c = row.customer;
            const CustomerRow &customer = customers.at(i);
            const CustomerPlacement &placement = placements[row.planId];
            const auto code = codes.constFind(c.emailKey);
            const bool setupEmail = code != codes.cend();
            if (setupEmail) {
                const ComposedMessage message = MessageComposer::setupEmail(
                    c.companyName, c.contactName, c.email, OneTimeCode::expiresAt(now));
                OutboxRow mail;
                mail.createdAt = now;
                mail.kind = OutboxKind::Setup;
                mail.customerId = customer.id;
                mail.resellerId = resellerId;
                mail.userId = customer.primaryUserId;
                mail.recipient = c.email;
                mail.subject = message.subject;
                mail.body = message.body;
                mail.secret = code->text();
                mail.notBefore = now;
                mail.createdBy = session.userId();
                mails.append(std::move(mail));
            }
            if (!row.noEmail && row.trial) {
                const QDateTime notBefore = policy->reminderAt(customer.trialEndsAt);
                if (notBefore > now) {
                    const ComposedMessage message = MessageComposer::trialReminder(
                        c.companyName, c.contactName, customer.trialEndsAt);
                    OutboxRow mail;
                    mail.createdAt = now;
                    mail.kind = OutboxKind::TrialReminder;
                    mail.customerId = customer.id;
                    mail.resellerId = resellerId;
                    mail.userId = customer.primaryUserId;
                    mail.recipient = c.email;
                    mail.subject = message.subject;
                    mail.body = message.body;
                    mail.notBefore = notBefore;
                    mail.createdBy = session.userId();
                    mails.append(std::move(mail));
                }
            }

            QJsonObject after {{QStringLiteral("company"), c.companyName},
                {QStringLiteral("domain"), c.domain}, {QStringLiteral("contact"), c.contactName},
                {QStringLiteral("email"), c.email}, {QStringLiteral("phone"), c.phone},
                {QStringLiteral("plan"), placement.plan.name},
                {QStringLiteral("priceList"), placement.priceList.name},
                {QStringLiteral("reseller"), placement.resellerName},
                {QStringLiteral("status"),
                    row.trial ? QStringLiteral("trial") : QStringLiteral("paid")},
                {QStringLiteral("setupEmail"), setupEmail},
                {QStringLiteral("noEmail"), row.noEmail}, {QStringLiteral("import"), true}};
            if (row.trial) {
                after.insert(QStringLiteral("trialEndsAt"),
                    customer.trialEndsAt.toString(Qt::ISODateWithMs));
                after.insert(QStringLiteral("trialBudget"), customer.trialBudget);
            }
            events.append(audit.eventFor(session,
                {QStringLiteral("customer.create"), QStringLiteral("customer"), customer.id,
                    resellerId, customer.id, {}, after, {}, result.batchId}));
            events.append(audit.eventFor(session,
                {QStringLiteral("user.create"), QStringLiteral("user"), customer.primaryUserId,
                    resellerId, customer.id, {},
                    QJsonObject {{QStringLiteral("email"), c.email},
                        {QStringLiteral("name"), c.contactName}},
                    {}, result.batchId}));
            events.append(audit.eventFor(session,
                {QStringLiteral("membership.create"), QStringLiteral("membership"),
                    membershipIds->value(customer.id), resellerId, customer.id, {},
                    QJsonObject {{QStringLiteral("role"), roleKey(Role::ClientAdmin)},
                        {QStringLiteral("user"), c.email}},
                    {}, result.batchId}));
            if (resellerId != 0)
                events.append(audit.eventFor(session,
                    {QStringLiteral("assignment.create"), QStringLiteral("assignment"),
                        assignmentIds->value(customer.id), resellerId, customer.id, {},
                        QJsonObject {{QStringLiteral("reseller"), placement.resellerName},
                            {QStringLiteral("kind"), QStringLiteral("owner")}},
                        {}, result.batchId}));
            imported.append(row.line);
        }
        if (Status queued = writer.insertOutbox(mails); !queued)
            return queued;
        return writer.appendAudit(events);
    };

    int done = 0;
    for (qsizetype start = 0; start < valid.size(); start += batchSize) {
        const qsizetype end = std::min<qsizetype>(start + batchSize, valid.size());
        Result<WriteTransaction> transaction = WriteTransaction::begin(m_db);
        if (!transaction)
            return fail(transaction.error());
        const QDateTime now = m_clock.now();
        QList<int> imported;
        QList<ImportRefusal> refused;
        for (qsizetype from = start; from < end; from += chunkRows) {
            if (cancel && cancel->load()) {
                // The unfinished batch goes; committed batches stay.
                transaction->rollback();
                result.cancelled = true;
                for (qsizetype j = start; j < valid.size(); ++j)
                    result.notImportedLines.append(valid.at(j)->line);
                return result;
            }
            const QList<const ImportRow *> chunk
                = valid.mid(from, std::min<qsizetype>(chunkRows, end - from));
            if (Status written = writeChunk(chunk, now, imported, refused); !written)
                return fail(Error(written.error().code(),
                    tr("Lines %1 to %2 could not be saved: %3 The batch with these lines was "
                       "undone; %n row(s) before it were imported.",
                        nullptr, static_cast<int>(result.importedLines.size()))
                        .arg(chunk.first()->line)
                        .arg(chunk.last()->line)
                        .arg(written.error().message()),
                    {}, written.error().detail()));
            done += static_cast<int>(chunk.size());
            if (progress)
                progress(done, total);
        }
        if (Status committed = transaction->commit(); !committed)
            return fail(committed.error());
        result.importedLines.append(imported);
        result.refused.append(refused);
        ++result.batchesCommitted;
    }
    std::sort(result.refused.begin(), result.refused.end(),
        [](const ImportRefusal &a, const ImportRefusal &b) { return a.line < b.line; });
    return result;
}

Result<ImportResult> CustomerImportService::importOnOwnConnection(const ConnectionProfile &profile,
    const Clock &clock, TrialPolicy trialPolicy, const Session &session,
    const ImportPreview &preview, const ImportProgress &progress, const std::atomic<bool> *cancel,
    int batchSize)
{
    Result<std::unique_ptr<Database>> db = Database::open(profile);
    if (!db)
        return fail(db.error());
    AccessControl access(**db, clock);
    CustomerImportService service(**db, clock, access, trialPolicy);
    return service.importRows(session, preview, progress, cancel, batchSize);
}

CustomerImportService::ImportJob CustomerImportService::importJob(
    const Session &session, const ImportPreview &preview) const
{
    return [profile = profile(), clock = &m_clock, policy = m_trialPolicy, session, preview](
               const ImportProgress &progress, const std::atomic<bool> *cancel) {
        return importOnOwnConnection(profile, *clock, policy, session, preview, progress, cancel);
    };
}

QByteArray CustomerImportService::errorReport(
    const ImportPreview &preview, const ImportResult *result)
{
    QByteArray out = Csv::byteOrderMark();
    QStringList header {tr("Line"), tr("Reason")};
    header.append(preview.header);
    out.append(Csv::lineUtf8(header));
    QHash<int, const ImportRow *> rowOfLine;
    for (const ImportRow &row : preview.rows)
        rowOfLine.insert(row.line, &row);
    auto write = [&](int line, const QString &reason) {
        QStringList fields {QString::number(line), reason};
        if (const ImportRow *row = rowOfLine.value(line))
            fields.append(row->fields);
        out.append(Csv::lineUtf8(fields));
    };
    if (result) {
        for (const ImportRefusal &refusal : result->refused)
            write(refusal.line, refusal.reason);
    } else {
        for (const ImportRow &row : preview.rows) {
            if (row.valid())
                continue;
            QStringList reasons;
            for (const ImportIssue &issue : row.issues)
                reasons.append(issue.message);
            write(row.line, reasons.join(QLatin1Char(' ')));
        }
    }
    return out;
}

} // namespace rd
