#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QFont>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

#include <gtest/gtest.h>

#include "GuiFixture.h"
#include "GuiHelpers.h"
#include "audit/AuditEventDialog.h"
#include "audit/AuditLogPage.h"
#include "audit/AuditTableModel.h"
#include "audit/ImpersonationSessionTableModel.h"
#include "domain/Csv.h"
#include "mainwindow/MainWindow.h"
#include "storage/AuditRepository.h"

using namespace rd;
using namespace rd::test;

namespace {

// The demo installation plus a few audited changes: a new customer of
// Northwind (the demo Reseller Admin's portal) and one of Contoso, and an
// edit of the Northwind customer made during Login As, with a reason that
// a spreadsheet would take for a formula.
class AuditLogPageTest : public GuiBackendFixture
{
protected:
    void SetUp() override
    {
        GuiBackendFixture::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        m_admin = std::make_unique<Session>(admin());
        m_support = std::make_unique<Session>(support());
        Result<QList<ResellerSummary>> resellers = m_resellers->listResellers(*m_admin);
        ASSERT_TRUE(resellers.has_value());
        for (const ResellerSummary &r : std::as_const(*resellers)) {
            if (r.name == QStringLiteral("Northwind Partners"))
                m_northwind = r.id;
            if (r.name == QStringLiteral("Contoso Resellers"))
                m_contoso = r.id;
        }
        ASSERT_GT(m_northwind, 0);
        ASSERT_GT(m_contoso, 0);
        m_harbour = addCustomer(QStringLiteral("Harbour Lights"), m_northwind);
        m_oakridge = addCustomer(QStringLiteral("Oakridge Dental"), m_contoso);

        AuditEventRow e;
        e.occurredAt = m_clock.now().addSecs(60);
        e.actorUserId = m_admin->userId();
        e.impersonatorUserId = m_support->userId();
        e.action = QStringLiteral("customer.edit");
        e.entityType = QStringLiteral("customer");
        e.entityId = m_harbour;
        e.customerId = m_harbour;
        e.resellerId = m_northwind;
        e.beforeJson = QStringLiteral(
            "{\"companyName\":\"Harbour Lights\",\"contactName\":\"Robin Example\"}");
        e.afterJson = QStringLiteral(
            "{\"companyName\":\"Harbour Lights Ltd\",\"contactName\":\"Robin Example\"}");
        e.reason = QStringLiteral("=cmd|' /C calc'!A0");
        Result<qint64> id = AuditRepository(*m_db).append(e);
        ASSERT_TRUE(id.has_value()) << id.error().toString().toStdString();
        m_edit = *id;
    }

    qint64 addCustomer(const QString &company, qint64 resellerId)
    {
        Result<QList<PlanRow>> plans = m_customers->plansFor(*m_admin, resellerId);
        EXPECT_TRUE(plans && !plans->isEmpty());
        const QString slug = company.toLower().remove(QLatin1Char(' '));
        NewCustomer c;
        c.companyName = company;
        c.website = slug + QStringLiteral(".test");
        c.contactName = QStringLiteral("Robin Example");
        c.contactEmail = QStringLiteral("contact@") + slug + QStringLiteral(".test");
        c.resellerId = resellerId;
        c.planId = plans ? plans->constFirst().id : 0;
        c.sendSetupEmail = false;
        Result<CreatedCustomer> created = m_customers->addCustomer(*m_admin, c);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        return created ? created->customerId : 0;
    }

    std::unique_ptr<MainWindow> window(const Session &session)
    {
        m_session = std::make_unique<Session>(session);
        auto w = std::make_unique<MainWindow>(
            MainWindowContext {*m_session, services(), QStringLiteral("test.sqlite")});
        w->resize(1280, 800);
        return w;
    }

    // Opens the Audit Log section as a user does (its Alt+number action).
    AuditLogPage *openAuditLog(MainWindow &w)
    {
        AuditLogPage *page = w.auditLogPage();
        if (!page)
            return nullptr;
        int index = -1;
        for (int i = 0; i < w.navigation()->count(); ++i) {
            if (w.navigation()->item(i)->text() == QStringLiteral("Audit Log"))
                index = i;
        }
        EXPECT_GE(index, 0);
        auto *go = w.findChild<QAction *>(QStringLiteral("goToSection%1Action").arg(index + 1));
        EXPECT_NE(go, nullptr);
        if (go)
            go->trigger();
        EXPECT_TRUE(page->isVisible());
        return page;
    }

    static QSet<qint64> shownIds(const AuditLogPage &page)
    {
        QSet<qint64> ids;
        for (int row = 0; row < page.model()->rowCount(); ++row)
            ids.insert(page.model()->rowAt(row)->event.id);
        return ids;
    }

    // The events the service lists for the session with this filter.
    QSet<qint64> serviceIds(const Session &session, const AuditFilter &filter = {})
    {
        QSet<qint64> ids;
        for (const AuditListRow &row :
            m_audit->list(session, filter, {}, 1000).value_or(QList<AuditListRow> {}))
            ids.insert(row.event.id);
        return ids;
    }

    // Waits out the filter bar's typing delay.
    static void settle() { QTest::qWait(400); }

    // A Login As session as the Login As service writes it.
    qint64 insertSession(const Session &impersonator, const Session &client, qint64 resellerId,
        const QDateTime &started, const QDateTime &ended, const char *endReason)
    {
        QSqlQuery q(m_db->connection());
        q.prepare(QStringLiteral(
            "INSERT INTO impersonation_sessions (impersonator_user_id, impersonator_membership_id, "
            "client_user_id, client_membership_id, customer_id, reseller_id, reason, started_at, "
            "expires_at, ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id"));
        q.addBindValue(impersonator.userId());
        q.addBindValue(impersonator.membershipId());
        q.addBindValue(client.userId());
        q.addBindValue(client.membershipId());
        q.addBindValue(client.customerId());
        q.addBindValue(resellerId);
        q.addBindValue(QStringLiteral("Ticket 4711: invoice question"));
        q.addBindValue(started.toMSecsSinceEpoch());
        q.addBindValue(started.addSecs(3600).toMSecsSinceEpoch());
        q.addBindValue(ended.isValid() ? QVariant(ended.toMSecsSinceEpoch())
                                       : QVariant(QMetaType(QMetaType::LongLong)));
        q.addBindValue(endReason ? QVariant(QString::fromLatin1(endReason))
                                 : QVariant(QMetaType(QMetaType::QString)));
        EXPECT_TRUE(q.exec()) << q.lastError().text().toStdString();
        return q.next() ? q.value(0).toLongLong() : 0;
    }

    std::unique_ptr<Session> m_admin;
    std::unique_ptr<Session> m_support;
    std::unique_ptr<Session> m_session;
    qint64 m_northwind = 0;
    qint64 m_contoso = 0;
    qint64 m_harbour = 0;
    qint64 m_oakridge = 0;
    qint64 m_edit = 0;
};

} // namespace

// §3 "audit log, outbox": all, all, own portal, then nobody.
TEST_P(AuditLogPageTest, ThePageFollowsTheRole)
{
    for (const Session &reader : {admin(), support(), resellerAdmin()}) {
        SCOPED_TRACE(roleKey(reader.role()).toStdString());
        auto w = window(reader);
        ASSERT_NE(w->auditLogPage(), nullptr);
        EXPECT_EQ(w->auditLogPage()->objectName(), QStringLiteral("auditLogPage"));
        const int last = w->navigation()->count() - 1;
        EXPECT_EQ(w->navigation()->item(last)->text(), QStringLiteral("Audit Log"));
        EXPECT_EQ(w->navigation()->item(last - 1)->text(), QStringLiteral("Outbox"));
        EXPECT_NE(w->findChild<QAction *>(QStringLiteral("exportAuditAction")), nullptr);
    }
    for (const Session &other : {resellerManager(), resellerUser()}) {
        auto w = window(other);
        EXPECT_EQ(w->auditLogPage(), nullptr);
        for (int i = 0; i < w->navigation()->count(); ++i)
            EXPECT_NE(w->navigation()->item(i)->text(), QStringLiteral("Audit Log"));
        EXPECT_EQ(w->findChild<QAction *>(QStringLiteral("exportAuditAction")), nullptr);
        Result<QList<AuditListRow>> list = m_audit->list(other, {});
        ASSERT_FALSE(list.has_value());
        EXPECT_EQ(list.error().code(), ErrorCode::PermissionDenied);
    }
}

TEST_P(AuditLogPageTest, AdministratorSeesEveryEventAndTheFiltersNarrowThem)
{
    auto w = window(*m_admin);
    w->show();
    AuditLogPage *page = w->auditLogPage();
    ASSERT_NE(page, nullptr);
    QAbstractItemModelTester tester(
        page->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester sessionsTester(
        page->sessionsModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    openAuditLog(*w);
    const QSet<qint64> all = serviceIds(*m_admin);
    EXPECT_EQ(shownIds(*page), all);
    EXPECT_GE(all.size(), 4) << "the demo seed, two new customers and the edit";
    EXPECT_TRUE(w->toolBar()->actions().contains(
        w->findChild<QAction *>(QStringLiteral("exportAuditAction"))));

    // The Login As edit says so in words, in its own column.
    const int editRow = page->model()->rowOfId(m_edit);
    ASSERT_EQ(editRow, 0) << "newest first";
    const auto cell
        = [&](int column) { return page->model()->index(editRow, column).data().toString(); };
    EXPECT_EQ(
        cell(AuditTableModel::LoginAsBy), QStringLiteral("Login As: ") + m_support->userName());
    EXPECT_EQ(cell(AuditTableModel::Actor), m_admin->userName());
    EXPECT_EQ(cell(AuditTableModel::Action), QStringLiteral("customer.edit"));
    EXPECT_EQ(cell(AuditTableModel::Customer), QStringLiteral("Harbour Lights"));
    EXPECT_EQ(cell(AuditTableModel::Reseller), QStringLiteral("Northwind Partners"));
    EXPECT_EQ(cell(AuditTableModel::Entity), QStringLiteral("customer #%1").arg(m_harbour));
    const int seedRow = static_cast<int>(page->model()->rowCount()) - 1;
    EXPECT_EQ(page->model()->index(seedRow, AuditTableModel::Actor).data().toString(),
        QStringLiteral("System"));
    EXPECT_TRUE(
        page->model()->index(seedRow, AuditTableModel::LoginAsBy).data().toString().isEmpty());
    screenshot(w.get(), QStringLiteral("audit-log"));

    // Customer text, after the typing delay.
    type(*page, "auditCustomerFilter", QStringLiteral("oakridge"));
    settle();
    AuditFilter f;
    f.customer = QStringLiteral("oakridge");
    EXPECT_EQ(shownIds(*page), serviceIds(*m_admin, f));
    ASSERT_GE(page->model()->rowCount(), 1) << "adding a customer writes its events";
    for (int row = 0; row < page->model()->rowCount(); ++row)
        EXPECT_EQ(page->model()->rowAt(row)->event.customerId, m_oakridge);

    // The action drop-down lists what the log holds.
    find<QPushButton>(*page, "auditClearFilters")->click();
    EXPECT_EQ(shownIds(*page), all);
    const QStringList actions = items(*page, "auditActionFilter");
    EXPECT_EQ(actions.constFirst(), QStringLiteral("Any action"));
    EXPECT_TRUE(actions.contains(QStringLiteral("customer.create")));
    EXPECT_TRUE(actions.contains(QStringLiteral("demo.seed")));
    choose(*page, "auditActionFilter", QStringLiteral("customer.create"));
    f = {};
    f.action = QStringLiteral("customer.create");
    EXPECT_EQ(shownIds(*page), serviceIds(*m_admin, f));
    EXPECT_EQ(page->model()->rowCount(), 2);

    // Only Login As; the impersonator's name.
    find<QPushButton>(*page, "auditClearFilters")->click();
    find<QCheckBox>(*page, "auditOnlyLoginAs")->setChecked(true);
    EXPECT_EQ(shownIds(*page), (QSet<qint64> {m_edit}));
    find<QCheckBox>(*page, "auditOnlyLoginAs")->setChecked(false);
    type(*page, "auditImpersonatorFilter", QStringLiteral("support@"));
    settle();
    EXPECT_EQ(shownIds(*page), (QSet<qint64> {m_edit}));

    // Reseller, and a date range that ends before the events.
    find<QPushButton>(*page, "auditClearFilters")->click();
    choose(*page, "auditResellerFilter", m_contoso);
    f = {};
    f.resellerId = m_contoso;
    EXPECT_EQ(shownIds(*page), serviceIds(*m_admin, f));
    ASSERT_GE(page->model()->rowCount(), 1);
    for (int row = 0; row < page->model()->rowCount(); ++row)
        EXPECT_EQ(page->model()->rowAt(row)->event.resellerId, m_contoso);
    choose(*page, "auditResellerFilter", qint64(0));
    auto *to = find<QDateEdit>(*page, "auditToDate");
    EXPECT_EQ(to->text(), QStringLiteral("Any"));
    to->setDate(m_clock.now().toLocalTime().date().addDays(-1));
    EXPECT_EQ(page->model()->rowCount(), 0);
    EXPECT_EQ(text(*page, "auditCount"), QStringLiteral("No event matches"));
    to->setDate(m_clock.now().toLocalTime().date());
    EXPECT_EQ(shownIds(*page), all);
    EXPECT_EQ(text(*page, "auditCount"), QStringLiteral("Events: %1").arg(all.size()));

    // Filters have accessible names.
    for (const char *name : {"auditActorFilter", "auditImpersonatorFilter", "auditCustomerFilter",
             "auditResellerFilter", "auditActionFilter", "auditFromDate", "auditToDate",
             "auditTable", "auditSessionsTable"})
        EXPECT_FALSE(find<QWidget>(*page, name)->accessibleName().isEmpty()) << name;
}

TEST_P(AuditLogPageTest, ResellerAdminSeesOnlyItsOwnPortalsEvents)
{
    const Session reseller = resellerAdmin();
    auto w = window(reseller);
    w->show();
    AuditLogPage *page = openAuditLog(*w);
    ASSERT_NE(page, nullptr);
    const QSet<qint64> ids = shownIds(*page);
    EXPECT_EQ(ids, serviceIds(reseller));
    EXPECT_TRUE(ids.contains(m_edit));
    for (int row = 0; row < page->model()->rowCount(); ++row) {
        const AuditListRow *r = page->model()->rowAt(row);
        EXPECT_NE(r->event.customerId, m_oakridge) << "Contoso's customer";
        EXPECT_NE(r->event.action, QStringLiteral("demo.seed")) << "the vendor's event";
    }
    const QStringList resellers = items(*page, "auditResellerFilter");
    EXPECT_FALSE(resellers.contains(QStringLiteral("Contoso Resellers")));
    screenshot(w.get(), QStringLiteral("audit-log-reseller-admin"));
}

TEST_P(AuditLogPageTest, EnterOpensTheEventWithItsChanges)
{
    auto w = window(*m_admin);
    w->show();
    AuditLogPage *page = openAuditLog(*w);
    ASSERT_NE(page, nullptr);
    const int row = page->model()->rowOfId(m_edit);
    ASSERT_GE(row, 0);
    page->view()->setFocus();
    page->view()->setCurrentIndex(page->model()->index(row, 0));

    bool seen = false;
    whenModal([&](QWidget *modal) {
        seen = true;
        auto *dialog = qobject_cast<AuditEventDialog *>(modal);
        ASSERT_NE(dialog, nullptr) << modal->objectName().toStdString();
        EXPECT_EQ(dialog->objectName(), QStringLiteral("auditEventDialog"));
        EXPECT_EQ(text(*dialog, "auditEventAction"), QStringLiteral("customer.edit"));
        EXPECT_EQ(text(*dialog, "auditEventCustomer"), QStringLiteral("Harbour Lights"));
        EXPECT_EQ(text(*dialog, "auditEventReason"), QStringLiteral("=cmd|' /C calc'!A0"));
        EXPECT_TRUE(text(*dialog, "auditEventImpersonator").contains(m_support->userName()));
        QTableWidget *table = dialog->changesTable();
        ASSERT_EQ(table->rowCount(), 2);
        EXPECT_EQ(
            table->item(0, AuditEventDialog::FieldColumn)->text(), QStringLiteral("companyName"));
        EXPECT_EQ(table->item(0, AuditEventDialog::BeforeColumn)->text(),
            QStringLiteral("Harbour Lights"));
        EXPECT_EQ(table->item(0, AuditEventDialog::AfterColumn)->text(),
            QStringLiteral("Harbour Lights Ltd"));
        EXPECT_EQ(
            table->item(0, AuditEventDialog::ChangedColumn)->text(), QStringLiteral("changed"));
        EXPECT_TRUE(table->item(0, AuditEventDialog::FieldColumn)->font().bold());
        EXPECT_EQ(
            table->item(1, AuditEventDialog::FieldColumn)->text(), QStringLiteral("contactName"));
        EXPECT_TRUE(table->item(1, AuditEventDialog::ChangedColumn)->text().isEmpty());
        EXPECT_FALSE(table->item(1, AuditEventDialog::FieldColumn)->font().bold());
        screenshot(dialog, QStringLiteral("audit-event-dialog"));
        dialog->reject();
    });
    QTest::keyClick(page->view(), Qt::Key_Return);
    EXPECT_TRUE(seen) << "Enter opened the event";
}

TEST_P(AuditLogPageTest, ExportWritesTheFilteredEventsAsSafeCsv)
{
    auto w = window(*m_admin);
    w->show();
    AuditLogPage *page = openAuditLog(*w);
    ASSERT_NE(page, nullptr);
    choose(*page, "auditActionFilter", QStringLiteral("customer.edit"));

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("audit.csv"));
    Result<qint64> written = page->exportTo(path);
    ASSERT_TRUE(written.has_value()) << written.error().toString().toStdString();
    EXPECT_EQ(*written, 1);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    ASSERT_TRUE(bytes.startsWith(Csv::byteOrderMark()));
    const QStringList lines = QString::fromUtf8(bytes.mid(3)).split(QStringLiteral("\r\n"));
    ASSERT_EQ(lines.size(), 3) << "header, one event, end";
    EXPECT_TRUE(lines.at(0).startsWith(QStringLiteral("Time (UTC),Actor,Login As by,Action")));
    EXPECT_TRUE(lines.at(1).contains(QStringLiteral(",'=cmd|' /C calc'!A0,")))
        << lines.at(1).toStdString();
    EXPECT_TRUE(text(*page, "auditMessage").contains(QStringLiteral("audit.csv")));

    // A file that cannot be written is an error the user sees.
    bool told = false;
    whenModal([&](QWidget *modal) {
        told = qobject_cast<QMessageBox *>(modal) != nullptr;
        modal->close();
    });
    Result<qint64> refused = page->exportTo(dir.filePath(QStringLiteral("missing/dir/audit.csv")));
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(told);
}

TEST_P(AuditLogPageTest, TheSessionsTabListsLoginAsSessions)
{
    const Session client = signIn(DemoData::demoClientEmail());
    const QDateTime now = m_clock.now();
    const qint64 closed = insertSession(*m_support, client, m_northwind, now.addSecs(-3 * 3600),
        now.addSecs(-3 * 3600 + 12 * 60 + 5), "closed");
    // Support's, not the admin's: the admin's own main window would record a
    // leftover past its limit as ended (expired) when it opens.
    const qint64 expired
        = insertSession(*m_support, client, m_northwind, now.addSecs(-2 * 3600), {}, nullptr);
    const qint64 open
        = insertSession(*m_support, client, m_northwind, now.addSecs(-5 * 60), {}, nullptr);

    auto w = window(*m_admin);
    w->show();
    AuditLogPage *page = openAuditLog(*w);
    ASSERT_NE(page, nullptr);
    QAbstractItemModelTester tester(
        page->sessionsModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    page->tabs()->setCurrentIndex(AuditLogPage::SessionsTab);
    EXPECT_FALSE(find<QLineEdit>(*page, "auditActorFilter")->isEnabled())
        << "sessions have no actor filter";
    EXPECT_TRUE(find<QLineEdit>(*page, "auditImpersonatorFilter")->isEnabled());
    ImpersonationSessionTableModel *model = page->sessionsModel();
    ASSERT_EQ(model->rowCount(), 3);
    const auto cell = [&](qint64 id, int column) {
        return model->index(model->rowOfId(id), column).data().toString();
    };
    EXPECT_EQ(model->rowAt(0)->id, open) << "newest first";
    EXPECT_EQ(cell(open, ImpersonationSessionTableModel::Ended), QStringLiteral("open"));
    EXPECT_EQ(cell(open, ImpersonationSessionTableModel::Duration), QStringLiteral("05:00"));
    EXPECT_EQ(cell(open, ImpersonationSessionTableModel::HowEnded), QStringLiteral("Still open"));
    EXPECT_EQ(cell(expired, ImpersonationSessionTableModel::Ended), QStringLiteral("expired"));
    EXPECT_EQ(cell(expired, ImpersonationSessionTableModel::Duration), QStringLiteral("1:00:00"));
    EXPECT_EQ(cell(closed, ImpersonationSessionTableModel::Duration), QStringLiteral("12:05"));
    EXPECT_EQ(cell(closed, ImpersonationSessionTableModel::HowEnded), QStringLiteral("Closed"));
    EXPECT_EQ(cell(closed, ImpersonationSessionTableModel::Impersonator), m_support->userName());
    EXPECT_EQ(cell(closed, ImpersonationSessionTableModel::ClientUser), client.userName());
    EXPECT_EQ(cell(closed, ImpersonationSessionTableModel::Reason),
        QStringLiteral("Ticket 4711: invoice question"));
    EXPECT_EQ(text(*page, "auditCount"), QStringLiteral("Sessions: 3"));
    screenshot(w.get(), QStringLiteral("audit-log-sessions"));

    // The impersonator filter applies to the sessions too.
    type(*page, "auditImpersonatorFilter", QStringLiteral("support@"));
    settle();
    EXPECT_EQ(model->rowCount(), 3);
    type(*page, "auditImpersonatorFilter", QStringLiteral("admin@"));
    settle();
    EXPECT_EQ(model->rowCount(), 0);

    EXPECT_EQ(ImpersonationSessionTableModel::endReasonText(QStringLiteral("signed_out")),
        QStringLiteral("Signed out"));
    EXPECT_EQ(ImpersonationSessionTableModel::endReasonText(QStringLiteral("app_exit")),
        QStringLiteral("App exit"));
    EXPECT_EQ(ImpersonationSessionTableModel::durationText(59), QStringLiteral("00:59"));
    EXPECT_EQ(ImpersonationSessionTableModel::durationText(3600 + 61), QStringLiteral("1:01:01"));
}

RD_INSTANTIATE_FOR_BACKENDS(AuditLogPageTest);
