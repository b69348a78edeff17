#include "customers/CustomerDetailPanel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "common/Formatting.h"
#include "common/UiServices.h"
#include "customers/CustomerTableModel.h"
#include "domain/Permission.h"
#include "domain/TrialPolicy.h"
#include "services/Clock.h"
#include "services/CustomerService.h"
#include "services/Session.h"
#include "services/UserService.h"

namespace rd {

namespace {

QTableWidget *createTable(const QString &objectName, const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int column = 0; column < cells.size(); ++column) {
        auto *item = new QTableWidgetItem(cells.at(column));
        item->setToolTip(cells.at(column));
        table->setItem(row, column, item);
    }
}

// Pretty-printed JSON, or the text as stored when it is not JSON.
QString jsonText(const QString &json)
{
    if (json.isEmpty())
        return QString();
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8());
    return document.isNull()
        ? json
        : QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

CustomerDetailPanel::CustomerDetailPanel(
    const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("customerDetailPanel"));
    setAccessibleName(tr("Customer details"));

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *close = new QToolButton(this);
    close->setObjectName(QStringLiteral("closeDetailButton"));
    close->setText(tr("Close"));
    close->setToolTip(tr("Close the details (Esc)"));
    close->setAccessibleName(tr("Close the customer details"));
    connect(close, &QToolButton::clicked, this, &CustomerDetailPanel::closeRequested);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("detailMessage"));
    m_message->setWordWrap(true);
    m_message->hide();

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));

    auto *overview = new QWidget(m_tabs);
    m_overview = new QFormLayout(overview);
    m_overview->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_tabs->addTab(overview, tr("Overview"));

    m_assignments = createTable(QStringLiteral("assignmentTable"),
        {tr("Reseller"), tr("Kind"), tr("From"), tr("By"), tr("Until"), tr("Ended by")}, m_tabs);
    m_tabs->addTab(m_assignments, tr("Assignments"));

    m_users = createTable(QStringLiteral("customerUsersTable"),
        {tr("Email"), tr("Name"), tr("Role"), tr("Status"), tr("Last sign-in")}, m_tabs);
    m_tabs->addTab(m_users, tr("Users"));

    m_auditTab = new QWidget(m_tabs);
    m_audit = createTable(QStringLiteral("customerAuditTable"),
        {tr("When"), tr("Action"), tr("By"), tr("Reason")}, m_auditTab);
    m_auditChange = new QPlainTextEdit(m_auditTab);
    m_auditChange->setObjectName(QStringLiteral("auditChange"));
    m_auditChange->setReadOnly(true);
    m_auditChange->setAccessibleName(tr("Before and after of the selected event"));
    m_auditChange->setPlaceholderText(tr("Select an event to see what it changed."));
    auto *auditSplitter = new QSplitter(Qt::Vertical, m_auditTab);
    auditSplitter->addWidget(m_audit);
    auditSplitter->addWidget(m_auditChange);
    auditSplitter->setStretchFactor(0, 3);
    auditSplitter->setStretchFactor(1, 2);
    auto *auditLayout = new QVBoxLayout(m_auditTab);
    auditLayout->setContentsMargins(0, 0, 0, 0);
    auditLayout->addWidget(auditSplitter);
    m_tabs->addTab(m_auditTab, tr("Audit trail"));
    connect(
        m_audit, &QTableWidget::currentCellChanged, this, [this](int row) { showAuditEvent(row); });

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    if (PermissionMatrix::allows(m_session.role(), Capability::LoginAs, Access::Write)) {
        auto *loginAs = new QToolButton(this);
        loginAs->setObjectName(QStringLiteral("detailLoginAsButton"));
        loginAs->setText(tr("Login As…"));
        loginAs->setToolTip(tr("See this customer's own view, as one of its client users "
                               "(audited, time-limited)"));
        loginAs->setAccessibleName(tr("Login As this customer"));
        connect(loginAs, &QToolButton::clicked, this, [this] {
            if (m_customerId > 0)
                Q_EMIT loginAsRequested(m_customerId, m_companyName);
        });
        top->addWidget(loginAs);
    }
    top->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);
}

CustomerDetailPanel::~CustomerDetailPanel() = default;

void CustomerDetailPanel::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT closeRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

void CustomerDetailPanel::showCustomer(qint64 customerId)
{
    m_customerId = customerId;
    reload();
}

void CustomerDetailPanel::reload()
{
    if (m_customerId == 0)
        return;
    Result<CustomerDetail> detail = m_services.customers.customerDetail(m_session, m_customerId);
    if (!detail) {
        m_title->setText(tr("Customer"));
        m_message->setText(detail.error().message());
        m_message->show();
        m_tabs->setEnabled(false);
        return;
    }
    m_message->hide();
    m_tabs->setEnabled(true);
    fill(*detail);
}

void CustomerDetailPanel::fill(const CustomerDetail &detail)
{
    const CustomerRow &c = detail.customer;
    const QLocale locale;
    const QDateTime now = m_services.clock.now();
    m_title->setText(c.companyName);
    m_companyName = c.companyName;

    while (m_overview->rowCount() > 0)
        m_overview->removeRow(0);
    const auto add = [this](const QString &label, const QString &value, const char *name) {
        auto *field = new QLabel(value.isEmpty() ? tr("—") : value);
        field->setObjectName(QString::fromLatin1(name));
        field->setTextInteractionFlags(Qt::TextSelectableByMouse);
        field->setWordWrap(true);
        m_overview->addRow(label, field);
    };
    CustomerListRow asListed;
    asListed.active = c.active;
    asListed.billingStatus = c.billingStatus;
    asListed.trialEndsAt = c.trialEndsAt;
    add(tr("Status:"), CustomerTableModel::statusText(asListed, now), "detailStatus");
    add(tr("Website:"), c.domain, "detailDomain");
    add(tr("Contact:"), c.contactName, "detailContact");
    add(tr("Email (login):"), c.contactEmail, "detailEmail");
    add(tr("Phone:"), c.contactPhone, "detailPhone");
    add(tr("Reseller:"),
        c.ownerResellerId ? detail.ownerResellerName : tr("Direct account (no reseller)"),
        "detailReseller");
    add(tr("Plan:"),
        tr("%1 (%2 identifications a month)")
            .arg(detail.planName, locale.toString(detail.planMonthlyBudget)),
        "detailPlan");
    const QString price = detail.monthlyPriceMinor < 0
        ? detail.priceListName
        : tr("%1 — %2 a month")
              .arg(detail.priceListName,
                  moneyText(detail.monthlyPriceMinor, detail.priceListCurrency, locale));
    add(tr("Price list:"), price, "detailPriceList");
    if (c.billingStatus == BillingStatus::Trial) {
        add(tr("Trial ends:"), dateTimeText(c.trialEndsAt), "detailTrialEnds");
        add(tr("Trial budget:"), locale.toString(c.trialBudget), "detailTrialBudget");
    } else {
        add(tr("Paid since:"), dateTimeText(c.convertedAt), "detailConverted");
    }
    add(tr("Emails:"), c.noEmail ? tr("None (the “no email” flag is set)") : tr("Sent as usual"),
        "detailNoEmail");
    if (detail.setupPending)
        add(tr("Setup:"), tr("The client has not chosen a password yet"), "detailSetup");
    add(tr("Created:"), dateTimeText(c.createdAt), "detailCreated");

    m_assignments->setRowCount(int(detail.assignments.size()));
    for (int row = 0; row < detail.assignments.size(); ++row) {
        const AssignmentHistoryRow &a = detail.assignments.at(row);
        setRow(m_assignments, row,
            {a.resellerName, a.kind == AssignmentKind::Owner ? tr("Owner") : tr("Additional"),
                dateTimeText(a.assignedAt), a.assignedByName,
                a.endedAt.isValid() ? dateTimeText(a.endedAt) : tr("open"), a.endedByName});
    }
    m_assignments->resizeColumnsToContents();

    m_users->setRowCount(int(detail.users.size()));
    for (int row = 0; row < detail.users.size(); ++row) {
        const UserListRow &u = detail.users.at(row);
        setRow(m_users, row,
            {u.email, u.displayName, roleDisplayName(u.role),
                !u.active ? tr("Inactive") : (u.locked ? tr("Locked") : tr("Active")),
                u.lastLoginAt.isValid() ? dateTimeText(u.lastLoginAt) : tr("Never")});
    }
    m_users->resizeColumnsToContents();

    const int auditIndex = m_tabs->indexOf(m_auditTab);
    m_tabs->setTabVisible(auditIndex, detail.auditVisible);
    m_auditChanges.clear();
    m_audit->setRowCount(int(detail.audit.size()));
    for (int row = 0; row < detail.audit.size(); ++row) {
        const AuditListRow &a = detail.audit.at(row);
        QString by = a.actorName.isEmpty() ? tr("the system") : a.actorName;
        if (!a.impersonatorName.isEmpty())
            by = tr("%1 (Login As by %2)").arg(by, a.impersonatorName);
        setRow(
            m_audit, row, {dateTimeText(a.event.occurredAt), a.event.action, by, a.event.reason});
        QString change;
        if (!a.event.beforeJson.isEmpty())
            change += tr("Before:") + QLatin1Char('\n') + jsonText(a.event.beforeJson);
        if (!a.event.afterJson.isEmpty()) {
            if (!change.isEmpty())
                change += QLatin1String("\n\n");
            change += tr("After:") + QLatin1Char('\n') + jsonText(a.event.afterJson);
        }
        m_auditChanges.append(change);
    }
    m_audit->resizeColumnsToContents();
    m_auditChange->clear();
}

void CustomerDetailPanel::showAuditEvent(int row)
{
    m_auditChange->setPlainText(
        row >= 0 && row < m_auditChanges.size() ? m_auditChanges.at(row) : QString());
}

} // namespace rd
