#include "audit/AuditLogPage.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "audit/AuditEventDialog.h"
#include "audit/AuditTableModel.h"
#include "audit/ImpersonationSessionTableModel.h"
#include "common/Feedback.h"
#include "common/UiServices.h"
#include "services/AuditService.h"
#include "services/Clock.h"
#include "services/ResellerService.h"
#include "services/Session.h"

namespace rd {

namespace {

// A date edit at this date shows "Any": no bound.
const QDate AnyDate(2000, 1, 1);

QDateEdit *createDateEdit(const char *name, const QString &accessibleName, QWidget *parent)
{
    auto *edit = new QDateEdit(parent);
    edit->setObjectName(QString::fromLatin1(name));
    edit->setAccessibleName(accessibleName);
    edit->setCalendarPopup(true);
    edit->setMinimumDate(AnyDate);
    edit->setSpecialValueText(AuditLogPage::tr("Any"));
    edit->setDate(AnyDate);
    edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
    return edit;
}

QLineEdit *createTextFilter(
    const char *name, const QString &accessibleName, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QString::fromLatin1(name));
    edit->setAccessibleName(accessibleName);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    edit->setMaxLength(200);
    return edit;
}

QTableView *createTable(const char *name, const QString &accessibleName, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QString::fromLatin1(name));
    view->setAccessibleName(accessibleName);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionsMovable(true);
    return view;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

} // namespace

AuditLogPage::AuditLogPage(const Session &session, UiServices &services, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(services)
{
    setObjectName(QStringLiteral("auditLogPage"));
    m_model = new AuditTableModel(m_session, m_services.audit, this);
    m_sessionsModel
        = new ImpersonationSessionTableModel(m_session, m_services.audit, m_services.clock, this);

    m_actor = createTextFilter(
        "auditActorFilter", tr("Filter by actor"), tr("Part of a name or email"), this);
    m_impersonator = createTextFilter("auditImpersonatorFilter", tr("Filter by who used Login As"),
        tr("Part of a name or email"), this);
    m_onlyLoginAs = new QCheckBox(tr("Only &Login As"), this);
    m_onlyLoginAs->setObjectName(QStringLiteral("auditOnlyLoginAs"));
    m_onlyLoginAs->setToolTip(
        tr("Show only what was done while someone was logged in as a client"));
    m_customer = createTextFilter(
        "auditCustomerFilter", tr("Filter by customer"), tr("Part of the company name"), this);
    m_reseller = new QComboBox(this);
    m_reseller->setObjectName(QStringLiteral("auditResellerFilter"));
    m_reseller->setAccessibleName(tr("Filter by reseller"));
    m_reseller->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_action = new QComboBox(this);
    m_action->setObjectName(QStringLiteral("auditActionFilter"));
    m_action->setAccessibleName(tr("Filter by action"));
    m_action->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_from = createDateEdit("auditFromDate", tr("From date"), this);
    m_to = createDateEdit("auditToDate", tr("To date (inclusive)"), this);
    m_clear = new QPushButton(tr("Clear F&ilters"), this);
    m_clear->setObjectName(QStringLiteral("auditClearFilters"));

    auto *filters = new QGridLayout;
    filters->addWidget(buddyLabel(tr("&Actor:"), m_actor, this), 0, 0);
    filters->addWidget(m_actor, 0, 1);
    filters->addWidget(buddyLabel(tr("Login As &by:"), m_impersonator, this), 0, 2);
    filters->addWidget(m_impersonator, 0, 3);
    filters->addWidget(m_onlyLoginAs, 0, 4);
    filters->addWidget(buddyLabel(tr("C&ustomer:"), m_customer, this), 0, 5);
    filters->addWidget(m_customer, 0, 6);
    filters->addWidget(buddyLabel(tr("&Reseller:"), m_reseller, this), 1, 0);
    filters->addWidget(m_reseller, 1, 1);
    filters->addWidget(buddyLabel(tr("Actio&n:"), m_action, this), 1, 2);
    filters->addWidget(m_action, 1, 3);
    auto *dates = new QHBoxLayout;
    dates->addWidget(buddyLabel(tr("Fro&m:"), m_from, this));
    dates->addWidget(m_from);
    dates->addWidget(buddyLabel(tr("T&o:"), m_to, this));
    dates->addWidget(m_to);
    dates->addStretch(1);
    dates->addWidget(m_clear);
    filters->addLayout(dates, 1, 4, 1, 3);
    filters->setColumnStretch(1, 1);
    filters->setColumnStretch(3, 1);
    filters->setColumnStretch(6, 1);

    m_message = createReasonLabel(QStringLiteral("auditMessage"), this);
    m_message->hide();

    m_view = createTable("auditTable", tr("Audit events"), this);
    m_view->setModel(m_model);
    m_sessionsView = createTable("auditSessionsTable", tr("Login As sessions"), this);
    m_sessionsView->setModel(m_sessionsModel);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("auditTabs"));
    m_tabs->addTab(m_view, tr("Even&ts"));
    m_tabs->addTab(m_sessionsView, tr("Login As &Sessions"));

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("auditCount"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_count);
    setFocusProxy(m_view);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    createActions();

    // Typing waits a moment; a choice applies at once.
    for (QLineEdit *edit : {m_actor, m_impersonator, m_customer})
        connect(edit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &AuditLogPage::applyFilters);
    connect(m_onlyLoginAs, &QCheckBox::toggled, this, &AuditLogPage::applyFilters);
    for (QComboBox *combo : {m_reseller, m_action})
        connect(combo, &QComboBox::currentIndexChanged, this, &AuditLogPage::applyFilters);
    for (QDateEdit *edit : {m_from, m_to})
        connect(edit, &QDateEdit::dateChanged, this, &AuditLogPage::applyFilters);
    connect(m_clear, &QPushButton::clicked, this, &AuditLogPage::clearFilters);
    connect(m_view, &QTableView::activated, this,
        [this](const QModelIndex &index) { openEvent(index.row()); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        updateFilterAvailability();
        updateCount();
    });
    connect(m_model, &AuditTableModel::loaded, this, [this](const QString &error) {
        showMessage(error);
        updateCount();
    });
    connect(m_sessionsModel, &ImpersonationSessionTableModel::loaded, this,
        [this](const QString &error) {
            if (!error.isEmpty())
                showMessage(error);
            updateCount();
        });

    loadChoices();
    updateFilterAvailability();
    updateCount();
}

AuditLogPage::~AuditLogPage() = default;

void AuditLogPage::createActions()
{
    const auto make = [this](const QString &text, const char *name, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setStatusTip(tip);
        action->setToolTip(tip);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setProperty("toolBar", true);
        addAction(action);
        m_pageActions.append(action);
        return action;
    };
    m_export = make(tr("&Export CSV…"), "exportAuditAction",
        tr("Write every event that matches the filters to a CSV file"));
    m_pageActions.append(nullptr);
    // F5 is the window's Refresh; this is the same for the menu and tool bar.
    m_refresh = make(tr("Re&fresh"), "refreshAuditAction", tr("Load the audit log again"));
    connect(m_export, &QAction::triggered, this, &AuditLogPage::exportCsv);
    connect(m_refresh, &QAction::triggered, this, &AuditLogPage::refresh);
}

void AuditLogPage::loadChoices()
{
    // Rebuilt without signals; the current choices stay when still offered.
    const qint64 reseller = m_reseller->currentData().toLongLong();
    const QString action = m_action->currentData().toString();
    {
        const QSignalBlocker blockReseller(m_reseller);
        m_reseller->clear();
        m_reseller->addItem(tr("Any reseller"), qint64(0));
        if (Result<QList<ResellerSummary>> resellers
            = m_services.resellers.listResellers(m_session);
            resellers) {
            for (const ResellerSummary &r : std::as_const(*resellers))
                m_reseller->addItem(r.name, r.id);
        }
        m_reseller->setCurrentIndex(qMax(0, m_reseller->findData(reseller)));
    }
    {
        const QSignalBlocker blockAction(m_action);
        m_action->clear();
        m_action->addItem(tr("Any action"), QString());
        if (Result<QStringList> actions = m_services.audit.actions(m_session); actions) {
            for (const QString &key : std::as_const(*actions))
                m_action->addItem(key, key);
        }
        m_action->setCurrentIndex(action.isEmpty() ? 0 : qMax(0, m_action->findData(action)));
    }
}

AuditFilter AuditLogPage::filter() const
{
    AuditFilter f;
    f.actor = m_actor->text().trimmed();
    f.impersonator = m_impersonator->text().trimmed();
    f.onlyLoginAs = m_onlyLoginAs->isChecked();
    f.customer = m_customer->text().trimmed();
    f.resellerId = m_reseller->currentData().toLongLong();
    f.action = m_action->currentData().toString();
    if (m_from->date() > AnyDate)
        f.from = m_from->date().startOfDay();
    if (m_to->date() > AnyDate)
        f.to = m_to->date().addDays(1).startOfDay(); // the whole "to" day
    return f;
}

ImpersonationLogFilter AuditLogPage::sessionFilter() const
{
    const AuditFilter events = filter();
    ImpersonationLogFilter f;
    f.impersonator = events.impersonator;
    f.customer = events.customer;
    f.from = events.from;
    f.to = events.to;
    return f;
}

void AuditLogPage::applyFilters()
{
    if (m_clearing)
        return;
    m_debounce->stop();
    m_model->setFilter(filter());
    m_sessionsModel->setFilter(sessionFilter());
    if (m_model->rowCount() > 0 && !m_view->property("sized").toBool()) {
        // Fit the columns once to what is there; later the user's widths stay.
        m_view->resizeColumnsToContents();
        for (int column = 0; column < AuditTableModel::ColumnCount; ++column)
            m_view->setColumnWidth(column, qMin(m_view->columnWidth(column), 240));
        m_view->setProperty("sized", true);
    }
    if (m_sessionsModel->rowCount() > 0 && !m_sessionsView->property("sized").toBool()) {
        m_sessionsView->resizeColumnsToContents();
        for (int column = 0; column < ImpersonationSessionTableModel::ColumnCount; ++column)
            m_sessionsView->setColumnWidth(column, qMin(m_sessionsView->columnWidth(column), 240));
        m_sessionsView->setProperty("sized", true);
    }
}

void AuditLogPage::refresh()
{
    loadChoices();
    applyFilters();
}

void AuditLogPage::clearFilters()
{
    m_clearing = true;
    m_actor->clear();
    m_impersonator->clear();
    m_onlyLoginAs->setChecked(false);
    m_customer->clear();
    m_reseller->setCurrentIndex(0);
    m_action->setCurrentIndex(0);
    m_from->setDate(AnyDate);
    m_to->setDate(AnyDate);
    m_clearing = false;
    applyFilters();
}

void AuditLogPage::updateFilterAvailability()
{
    // Login As sessions have an impersonator, a customer and a start time;
    // the other filters concern events only.
    const bool events = m_tabs->currentIndex() == EventsTab;
    for (QWidget *w :
        std::initializer_list<QWidget *> {m_actor, m_onlyLoginAs, m_reseller, m_action})
        w->setEnabled(events);
}

void AuditLogPage::updateCount()
{
    const bool events = m_tabs->currentIndex() == EventsTab;
    const QAbstractItemModel *model = events ? static_cast<QAbstractItemModel *>(m_model)
                                             : static_cast<QAbstractItemModel *>(m_sessionsModel);
    // The exact number matching the filters (the models count them).
    const int total = model->rowCount();
    const QString number = QLocale().toString(total);
    if (total == 0)
        m_count->setText(events ? tr("No event matches") : tr("No Login As session matches"));
    else
        m_count->setText(events ? tr("Events: %1").arg(number) : tr("Sessions: %1").arg(number));
}

void AuditLogPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void AuditLogPage::openEvent(int row)
{
    const AuditListRow *listed = m_model->rowAt(row);
    if (!listed)
        return;
    // Read again through the service: the scope is checked on every call.
    Result<AuditListRow> event = m_services.audit.event(m_session, listed->event.id);
    if (!event) {
        showError(this, tr("Audit Event"), event.error());
        return;
    }
    AuditEventDialog dialog(*event, this);
    dialog.exec();
}

void AuditLogPage::exportCsv()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("audit-log-%1.csv")
            .arg(m_services.clock.now().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Audit Log"), suggested, tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    exportTo(path);
}

Result<qint64> AuditLogPage::exportTo(const QString &path)
{
    // All or nothing: the file appears only when every row was written.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        const Error error(ErrorCode::Unavailable,
            tr("The file %1 could not be created: %2")
                .arg(QDir::toNativeSeparators(path), file.errorString()));
        showError(this, tr("Export Audit Log"), error);
        return fail(error);
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    Result<qint64> written = m_services.audit.exportCsv(m_session, filter(), file);
    QApplication::restoreOverrideCursor();
    if (written && !file.commit()) {
        written = fail(ErrorCode::Unavailable,
            tr("The file %1 could not be saved: %2")
                .arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    if (!written) {
        file.cancelWriting();
        showError(this, tr("Export Audit Log"), written.error());
        return written;
    }
    showMessage(tr("Exported events: %1, to %2")
                    .arg(QLocale().toString(*written), QDir::toNativeSeparators(path)));
    return written;
}

} // namespace rd
