#include "client/ClientWindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include "client/ImpersonationBanner.h"
#include "common/Appearance.h"
#include "common/Feedback.h"
#include "common/Formatting.h"
#include "common/ThemedIcon.h"
#include "common/UiServices.h"
#include "domain/Role.h"
#include "domain/TextLimits.h"
#include "mainwindow/AboutDialog.h"
#include "security/Authenticator.h"
#include "services/Session.h"
#include "signin/ChangePasswordDialog.h"

namespace rd {

namespace {

// The frame around an impersonated window's content: the banner's amber.
const auto ImpersonatedFrameStyle = QStringLiteral("#clientFrame { border: 4px solid #b35c00; }");

QTableWidget *createTable(const QString &objectName, const QString &accessibleName,
    const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setObjectName(objectName);
    table->setAccessibleName(accessibleName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

// The country assumed for a phone number typed without "+": the desktop's
// own, or the service's default when the locale names none.
QString phoneRegion()
{
    const QString code = QLocale::territoryToCode(QLocale().territory());
    return code.size() == 2 ? code : ClientSettings().phoneRegion;
}

QTableWidgetItem *item(const QString &text, Qt::Alignment alignment = Qt::AlignLeft)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment | Qt::AlignVCenter);
    return cell;
}

QString statusWord(ClientAccountStatus status)
{
    switch (status) {
    case ClientAccountStatus::Trial:
        return ClientWindow::tr("Trial");
    case ClientAccountStatus::TrialExpired:
        return ClientWindow::tr("Trial expired");
    case ClientAccountStatus::Active:
        return ClientWindow::tr("Active");
    case ClientAccountStatus::Inactive:
        break;
    }
    return ClientWindow::tr("Inactive");
}

QStyle::StandardPixmap statusIcon(ClientAccountStatus status)
{
    switch (status) {
    case ClientAccountStatus::Trial:
        return QStyle::SP_MessageBoxInformation;
    case ClientAccountStatus::TrialExpired:
        return QStyle::SP_MessageBoxWarning;
    case ClientAccountStatus::Active:
        return QStyle::SP_DialogApplyButton;
    case ClientAccountStatus::Inactive:
        break;
    }
    return QStyle::SP_MessageBoxCritical;
}

} // namespace

ClientWindow::ClientWindow(const ClientWindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_session(context.session)
    , m_services(context.services)
    , m_databaseName(context.databaseName)
    , m_impersonation(context.impersonation)
{
    setObjectName(QStringLiteral("clientWindow"));
    resize(1100, 760);

    auto *frame = new QWidget(this);
    frame->setObjectName(QStringLiteral("clientFrame"));
    auto *outer = new QVBoxLayout(frame);
    outer->setSpacing(0);
    if (m_impersonation) {
        // The banner above everything, and a frame of its colour around
        // the whole content: nobody mistakes this window for their own.
        frame->setAttribute(Qt::WA_StyledBackground);
        frame->setStyleSheet(ImpersonatedFrameStyle);
        outer->setContentsMargins(4, 4, 4, 4);
        m_banner = new ImpersonationBanner(m_impersonation->companyName,
            m_impersonation->clientUserName, m_impersonation->actorDescription,
            m_impersonation->expiresAtUtc, m_services.clock, frame);
        connect(
            m_banner, &ImpersonationBanner::endRequested, this, &ClientWindow::endSessionRequested);
        connect(m_banner, &ImpersonationBanner::expired, this, &ClientWindow::sessionExpired);
        outer->addWidget(m_banner);
    } else {
        outer->setContentsMargins(0, 0, 0, 0);
    }

    m_readError = new QLabel(frame);
    m_readError->setObjectName(QStringLiteral("readErrorLabel"));
    m_readError->setWordWrap(true);
    m_readError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readError->setAlignment(Qt::AlignCenter);
    m_readError->setMargin(24);
    m_readError->hide();
    outer->addWidget(m_readError);

    auto *scroll = new QScrollArea(frame);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    m_content = createDashboard();
    scroll->setWidget(m_content);
    m_dashboardArea = scroll;
    outer->addWidget(scroll, 1);
    setCentralWidget(frame);

    createMenus();
    auto *who = new QLabel(m_impersonation
            ? tr("%1 viewing as %2").arg(m_session.impersonatorName(), m_session.userName())
            : tr("Signed in as %1 — %2")
                  .arg(m_session.userName(), roleDisplayName(m_session.role())),
        this);
    who->setObjectName(QStringLiteral("signedInLabel"));
    statusBar()->addWidget(who);
    auto *database = new QLabel(tr("Database: %1").arg(m_databaseName), this);
    database->setObjectName(QStringLiteral("databaseLabel"));
    statusBar()->addPermanentWidget(database);

    if (context.changes)
        connect(context.changes, &ChangeFeed::changed, this, &ClientWindow::changedElsewhere);
    refresh();
}

void ClientWindow::changedElsewhere(ChangeAreas areas)
{
    // What the dashboard shows: the account, its users, orders and usage,
    // its plan and prices, the settings it may change. The notifier has
    // already folded a burst of changes into one call.
    constexpr ChangeAreas shown {ChangeArea::Customers, ChangeArea::Users, ChangeArea::Orders,
        ChangeArea::Catalogue, ChangeArea::Settings};
    if (areas & shown)
        refresh();
}

ClientWindow::~ClientWindow() = default;

QWidget *ClientWindow::createDashboard()
{
    auto *content = new QWidget(this);
    content->setObjectName(QStringLiteral("clientDashboard"));
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(12);

    // Header: the company and its status, as a word with an icon.
    auto *header = new QHBoxLayout;
    m_company = new QLabel(content);
    m_company->setObjectName(QStringLiteral("companyLabel"));
    m_company->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_company->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_company->setFont(big);
    m_statusIcon = new QLabel(content);
    m_statusIcon->setObjectName(QStringLiteral("statusIcon"));
    m_status = new QLabel(content);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    header->addWidget(m_company);
    header->addSpacing(16);
    header->addWidget(m_statusIcon);
    header->addWidget(m_status);
    header->addStretch(1);
    layout->addLayout(header);

    m_inactiveNotice = new QLabel(content);
    m_inactiveNotice->setObjectName(QStringLiteral("inactiveNotice"));
    m_inactiveNotice->setWordWrap(true);
    m_inactiveNotice->setFrameShape(QFrame::StyledPanel);
    m_inactiveNotice->setMargin(8);
    m_inactiveNotice->setFont(bold);
    m_inactiveNotice->hide();
    layout->addWidget(m_inactiveNotice);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(12);

    auto *planGroup = new QGroupBox(tr("Plan and trial"), content);
    planGroup->setObjectName(QStringLiteral("planGroup"));
    auto *planLayout = new QVBoxLayout(planGroup);
    m_plan = new QLabel(planGroup);
    m_plan->setObjectName(QStringLiteral("planLabel"));
    m_trial = new QLabel(planGroup);
    m_trial->setObjectName(QStringLiteral("trialLabel"));
    m_trial->setFont(bold);
    m_trial->setWordWrap(true);
    planLayout->addWidget(m_plan);
    planLayout->addWidget(m_trial);

    auto *budgetGroup = new QGroupBox(tr("Identifications this month"), content);
    budgetGroup->setObjectName(QStringLiteral("budgetGroup"));
    auto *budgetLayout = new QVBoxLayout(budgetGroup);
    m_budgetBar = new QProgressBar(budgetGroup);
    m_budgetBar->setObjectName(QStringLiteral("budgetBar"));
    m_budgetBar->setAccessibleName(tr("Identification budget used"));
    m_budgetBar->setTextVisible(true);
    m_budget = new QLabel(budgetGroup);
    m_budget->setObjectName(QStringLiteral("budgetLabel"));
    m_budget->setWordWrap(true);
    budgetLayout->addWidget(m_budgetBar);
    budgetLayout->addWidget(m_budget);

    m_settingsGroup = new QGroupBox(tr("Account settings"), content);
    m_settingsGroup->setObjectName(QStringLiteral("settingsGroup"));
    auto *form = new QFormLayout(m_settingsGroup);
    m_contactName = new QLineEdit(m_settingsGroup);
    m_contactName->setObjectName(QStringLiteral("contactNameEdit"));
    m_contactName->setAccessibleName(tr("Contact name"));
    m_contactName->setMaxLength(static_cast<int>(TextLimits::ContactName));
    m_contactPhone = new QLineEdit(m_settingsGroup);
    m_contactPhone->setObjectName(QStringLiteral("contactPhoneEdit"));
    m_contactPhone->setAccessibleName(tr("Contact phone"));
    m_contactPhone->setMaxLength(static_cast<int>(TextLimits::PhoneInput));
    m_contactPhone->setPlaceholderText(tr("+49 30 1234567"));
    m_contactPhone->setToolTip(tr("With the country code, e.g. +49 30 1234567"));
    m_contactEmail = new QLabel(m_settingsGroup);
    m_contactEmail->setObjectName(QStringLiteral("contactEmailLabel"));
    m_contactEmail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_noEmail
        = new QCheckBox(tr("No notification emails (trial reminders, notices)"), m_settingsGroup);
    m_noEmail->setObjectName(QStringLiteral("noEmailCheck"));
    m_noEmail->setAccessibleName(tr("No notification emails"));
    m_settingsError = createHiddenReasonLabel(
        QStringLiteral("settingsError"), tr("Why the settings were not saved"), m_settingsGroup);
    m_settingsReason = createHiddenReasonLabel(QStringLiteral("settingsReason"),
        tr("Why the settings cannot be changed"), m_settingsGroup);
    m_save = new QPushButton(tr("&Save Settings"), m_settingsGroup);
    m_save->setObjectName(QStringLiteral("saveSettingsButton"));
    connect(m_save, &QPushButton::clicked, this, &ClientWindow::saveSettings);
    form->addRow(tr("Contact &name:"), m_contactName);
    form->addRow(tr("Contact &phone:"), m_contactPhone);
    form->addRow(tr("Login email:"), m_contactEmail);
    form->addRow(QString(), m_noEmail);
    form->addRow(QString(), m_settingsError);
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_settingsReason, 1);
    saveRow->addWidget(m_save, 0, Qt::AlignRight | Qt::AlignTop);
    form->addRow(saveRow);

    auto *usersGroup = new QGroupBox(tr("Users"), content);
    auto *usersLayout = new QVBoxLayout(usersGroup);
    m_users = createTable(QStringLiteral("usersTable"), tr("Users of the account"),
        {tr("Name"), tr("Email"), tr("Role"), tr("Status"), tr("Last sign-in")}, usersGroup);
    usersLayout->addWidget(m_users);

    auto *ordersGroup = new QGroupBox(tr("Recent orders"), content);
    auto *ordersLayout = new QVBoxLayout(ordersGroup);
    m_orders = createTable(QStringLiteral("ordersTable"), tr("Recent orders"),
        {tr("Date"), tr("Plan"), tr("Quantity"), tr("Total"), tr("Status")}, ordersGroup);
    m_noOrders = new QLabel(tr("No orders yet."), ordersGroup);
    m_noOrders->setObjectName(QStringLiteral("noOrdersLabel"));
    calmDown(m_noOrders, palette());
    ordersLayout->addWidget(m_noOrders, 0, Qt::AlignTop);
    ordersLayout->addWidget(m_orders);

    // The users table spans the window: its five columns (long role names
    // and dates in German and French) fit without scrolling sideways.
    grid->addWidget(planGroup, 0, 0);
    grid->addWidget(budgetGroup, 0, 1);
    grid->addWidget(usersGroup, 1, 0, 1, 2);
    grid->addWidget(m_settingsGroup, 2, 0);
    grid->addWidget(ordersGroup, 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);
    layout->addLayout(grid, 1);
    return content;
}

void ClientWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    QAction *password = file->addAction(tr("Change &Password…"));
    password->setObjectName(QStringLiteral("changePasswordAction"));
    password->setIcon(themedIcon(QStringLiteral("key")));
    // Rule 9: no credential changes while impersonated.
    password->setEnabled(!m_impersonation && !m_session.isImpersonated());
    if (!password->isEnabled())
        password->setToolTip(tr("Not available during Login As"));
    connect(password, &QAction::triggered, this, &ClientWindow::changePassword);
    if (!m_impersonation) {
        QAction *signOut = file->addAction(tr("Sign &Out"));
        signOut->setObjectName(QStringLiteral("signOutAction"));
        signOut->setIcon(themedIcon(QStringLiteral("sign-out")));
        signOut->setToolTip(tr("Sign out and sign in as another user"));
        connect(signOut, &QAction::triggered, this, &ClientWindow::signOutRequested);
    }
    file->addSeparator();
    if (m_impersonation) {
        QAction *close = file->addAction(tr("&Close Client View"));
        close->setObjectName(QStringLiteral("closeAction"));
        close->setShortcut(QKeySequence::Close);
        connect(close, &QAction::triggered, this, &QWidget::close);
    } else {
        QAction *quit = file->addAction(tr("&Quit"));
        quit->setObjectName(QStringLiteral("quitAction"));
        quit->setShortcut(QKeySequence::Quit);
        quit->setMenuRole(QAction::QuitRole);
        connect(quit, &QAction::triggered, this, &QWidget::close);
    }

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QAction *refresh = view->addAction(tr("&Refresh"));
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, &ClientWindow::refresh);
    refresh->setIcon(themedIcon(QStringLiteral("refresh")));
    view->addSeparator();
    view->addMenu(createAppearanceMenu(view));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    QAction *about = help->addAction(tr("&About ResellerDesk"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setIcon(themedIcon(QStringLiteral("help")));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &ClientWindow::showAbout);
}

void ClientWindow::refresh()
{
    Result<ClientDashboard> read
        = m_services.clientAccount.dashboard(m_session, m_session.customerId());
    if (!read) {
        m_dashboard.reset();
        showReadError(read.error().message());
        return;
    }
    m_dashboard = *read;
    display(*read);
}

void ClientWindow::showReadError(const QString &message)
{
    m_readError->setText(tr("The account cannot be shown: %1").arg(message));
    m_readError->show();
    m_dashboardArea->hide();
    const QString company = m_impersonation ? m_impersonation->companyName : QString();
    setWindowTitle(m_impersonation ? tr("Viewing %1 (Login As) — ResellerDesk").arg(company)
                                   : tr("ResellerDesk — %1").arg(m_databaseName));
}

void ClientWindow::display(const ClientDashboard &d)
{
    const QLocale locale;
    m_readError->hide();
    m_dashboardArea->show();
    setWindowTitle(m_impersonation ? tr("Viewing %1 as %2 (Login As) — ResellerDesk")
                                         .arg(d.companyName, m_impersonation->clientUserName)
                                   : tr("%1 — ResellerDesk").arg(d.companyName));

    m_company->setText(d.companyName);
    m_status->setText(statusWord(d.status));
    m_statusIcon->setPixmap(
        style()->standardIcon(statusIcon(d.status)).pixmap(QSize(20, 20), devicePixelRatioF()));
    m_statusIcon->setAccessibleName(statusWord(d.status));
    m_inactiveNotice->setVisible(!d.active);
    m_inactiveNotice->setText(
        tr("⚠ This account is deactivated. Its users cannot work with it until the reseller "
           "activates it again."));

    m_plan->setText(d.domain.isEmpty() ? tr("Plan: %1").arg(d.planName)
                                       : tr("Plan: %1 — %2").arg(d.planName, d.domain));
    if (!d.trial) {
        m_trial->setText(tr("Paid account"));
    } else if (d.status == ClientAccountStatus::TrialExpired
        || (d.trialDaysLeft == 0 && d.trialEndsAt.isValid())) {
        m_trial->setText(tr("Trial expired on %1").arg(dateText(d.trialEndsAt, locale)));
    } else {
        const QString left = d.trialDaysLeft == 1
            ? tr("Trial — 1 day left")
            : tr("Trial — %1 days left").arg(locale.toString(d.trialDaysLeft));
        m_trial->setText(
            left + QLatin1Char('\n') + tr("ends %1").arg(dateText(d.trialEndsAt, locale)));
    }

    const QString month = locale.toString(d.usageMonth, QStringLiteral("MMMM yyyy"));
    m_budgetBar->setRange(0, qMax(1, d.monthlyBudget));
    m_budgetBar->setValue(qMin(d.usedThisMonth, qMax(1, d.monthlyBudget)));
    m_budgetBar->setFormat(
        tr("%1 of %2").arg(locale.toString(d.usedThisMonth), locale.toString(d.monthlyBudget)));
    QString budget
        = tr("%1 of %2 identifications used in %3")
              .arg(locale.toString(d.usedThisMonth), locale.toString(d.monthlyBudget), month);
    if (d.usedThisMonth > d.monthlyBudget)
        budget += QLatin1Char('\n')
            + tr("Over budget by %1.").arg(locale.toString(d.usedThisMonth - d.monthlyBudget));
    m_budget->setText(budget);
    m_budgetBar->setAccessibleDescription(budget);

    m_users->setRowCount(static_cast<int>(d.users.size()));
    for (int row = 0; row < d.users.size(); ++row) {
        const ClientAccountUser &u = d.users.at(row);
        m_users->setItem(row, 0, item(u.name));
        m_users->setItem(row, 1, item(u.email));
        m_users->setItem(row, 2, item(roleDisplayName(u.role)));
        m_users->setItem(row, 3, item(u.active ? tr("Active") : tr("Deactivated")));
        m_users->setItem(row, 4,
            item(u.lastLoginAt.isValid() ? dateTimeText(u.lastLoginAt, locale) : tr("Never")));
    }
    m_users->resizeColumnsToContents();

    m_orders->setRowCount(static_cast<int>(d.recentOrders.size()));
    for (int row = 0; row < d.recentOrders.size(); ++row) {
        const ClientOrder &o = d.recentOrders.at(row);
        m_orders->setItem(row, 0, item(dateText(o.placedAt, locale)));
        m_orders->setItem(row, 1, item(o.planName));
        m_orders->setItem(row, 2, item(locale.toString(o.quantity), Qt::AlignRight));
        m_orders->setItem(
            row, 3, item(moneyText(o.totalMinor, o.currency, locale), Qt::AlignRight));
        m_orders->setItem(row, 4, item(o.cancelled ? tr("Cancelled") : tr("Placed")));
    }
    m_orders->resizeColumnsToContents();
    m_orders->setVisible(!d.recentOrders.isEmpty());
    m_noOrders->setVisible(d.recentOrders.isEmpty());

    m_contactName->setText(d.settings.contactName);
    m_contactPhone->setText(d.settings.contactPhone);
    m_contactEmail->setText(d.contactEmail);
    m_noEmail->setChecked(d.settings.noEmail);
    for (QWidget *field : {static_cast<QWidget *>(m_contactName),
             static_cast<QWidget *>(m_contactPhone), static_cast<QWidget *>(m_noEmail)})
        field->setEnabled(d.canEditSettings);
    m_save->setEnabled(d.canEditSettings);
    setReason(m_settingsReason, d.canEditSettings ? QString() : d.settingsReadOnlyReason);
    setReason(m_settingsError, QString());
}

void ClientWindow::saveSettings()
{
    if (!m_dashboard)
        return;
    ClientSettings settings = m_dashboard->settings;
    settings.contactName = m_contactName->text();
    settings.contactPhone = m_contactPhone->text();
    settings.phoneRegion = phoneRegion();
    settings.noEmail = m_noEmail->isChecked();
    Result<int> saved = m_services.clientAccount.updateSettings(
        m_session, m_dashboard->customerId, m_dashboard->version, settings);
    if (saved) {
        refresh();
        statusBar()->showMessage(tr("Your settings are saved."), 8000);
        return;
    }
    const Error &error = saved.error();
    if (error.code() == ErrorCode::Conflict) {
        if (askToReload(this, tr("Account settings"), error,
                tr("Reload shows the saved settings; your changes are discarded.")))
            refresh();
        return;
    }
    if (error.code() == ErrorCode::InvalidInput && !error.field().isEmpty()) {
        setReason(m_settingsError, error.message());
        if (error.field() == QLatin1String("contactPhone"))
            m_contactPhone->setFocus();
        else if (error.field() == QLatin1String("contactName"))
            m_contactName->setFocus();
        return;
    }
    showError(this, tr("Account settings"), error);
}

void ClientWindow::changePassword()
{
    if (m_impersonation || m_session.isImpersonated())
        return;
    auto *dialog = new ChangePasswordDialog(this);
    dialog->requireCurrentPassword();
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Status set = m_services.authenticator.setPassword(
            m_session.userId(), dialog->currentPassword(), dialog->newPassword());
        if (!set) {
            dialog->setError(set.error().message());
            dialog->open();
            return;
        }
        dialog->deleteLater();
        statusBar()->showMessage(tr("Your password is changed."), 8000);
    });
    connect(dialog, &QDialog::rejected, dialog, &QObject::deleteLater);
    dialog->open();
}

void ClientWindow::showAbout()
{
    auto *dialog = new AboutDialog(
        tr("Your account at a glance: plan, trial, identification budget, users and orders."),
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ClientWindow::closeEvent(QCloseEvent *event)
{
    QMainWindow::closeEvent(event);
    if (event->isAccepted())
        Q_EMIT closed();
}

} // namespace rd
