#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <gtest/gtest.h>

#include "ImportCommand.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerImportService.h"
#include "services/ResellerService.h"

using namespace rd;
using namespace rd::test;
using rd::app::ImportCommand;

namespace {

class ImportCommandTest : public DatabaseTest
{
protected:
    void SetUp() override
    {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        Result<TestWorld> world = TestWorld::create(db());
        ASSERT_TRUE(world.has_value()) << world.error().toString().toStdString();
        m_world = *world;
        m_access = std::make_unique<AccessControl>(db());
        m_imports = std::make_unique<CustomerImportService>(db(), m_clock, *m_access);
        m_resellers = std::make_unique<ResellerService>(db(), m_clock, *m_access);
    }

    QString writeFile(const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("customers.csv"));
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        return path;
    }

    int run(const Session &session, const QStringList &arguments)
    {
        m_out.clear();
        m_err.clear();
        QTextStream out(&m_out);
        QTextStream err(&m_err);
        return ImportCommand(*m_imports, *m_resellers, session, out, err).run(arguments);
    }

    int customers(const QString &where)
    {
        QSqlQuery q(db().connection());
        q.exec(QStringLiteral("SELECT count(*) FROM customers WHERE ") + where);
        return q.next() ? q.value(0).toInt() : -1;
    }

    const QByteArray Good = QByteArray("Company,Contact,Email,Plan\n"
                                       "Acme,Ada Lovelace,ada@cli.test,Standard\n"
                                       "Globex,Hank Scorpio,hank@cli.test,Standard\n");

    ManualClock m_clock {testNow()};
    TestWorld m_world;
    std::unique_ptr<AccessControl> m_access;
    std::unique_ptr<CustomerImportService> m_imports;
    std::unique_ptr<ResellerService> m_resellers;
    QTemporaryDir m_dir;
    QString m_out;
    QString m_err;
};

TEST_P(ImportCommandTest, ImportsEveryRowAndExitsWithZero)
{
    const QString file = writeFile(Good);
    EXPECT_EQ(
        run(*m_world.admin, {file, QStringLiteral("--reseller"), QStringLiteral("reseller b")}), 0)
        << m_err.toStdString();
    EXPECT_TRUE(m_out.contains(QStringLiteral("Rows: 2; imported: 2; refused: 0.")))
        << m_out.toStdString();
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test' AND owner_reseller_id = ")
                  + QString::number(m_world.resellerB)),
        2);
}

TEST_P(ImportCommandTest, PrintsEachRefusedRowAndExitsWithOne)
{
    const QString file = writeFile(Good
        + "Broken,Nobody,not-an-email,Standard\n"
          "Dup,Again,ada@cli.test,Standard\n");
    EXPECT_EQ(
        run(*m_world.resellerAdmin, {file, QStringLiteral("--reseller=Northwind Partners")}), 1);
    EXPECT_TRUE(m_err.contains(QStringLiteral("line 4: "))) << m_err.toStdString();
    EXPECT_TRUE(m_err.contains(QStringLiteral("line 5: ")));
    EXPECT_TRUE(m_out.contains(QStringLiteral("Rows: 4; imported: 2; refused: 2.")))
        << m_out.toStdString();
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test'")), 2);
}

TEST_P(ImportCommandTest, DryRunWritesNothing)
{
    const QString file = writeFile(Good);
    EXPECT_EQ(run(*m_world.admin,
                  {QStringLiteral("--dry-run"), file, QStringLiteral("--reseller"),
                      QStringLiteral("Northwind Partners")}),
        0);
    EXPECT_TRUE(m_out.contains(
        QStringLiteral("Dry run, nothing was written. Rows: 2; would be imported: 2; refused: 0.")))
        << m_out.toStdString();
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test'")), 0);
}

TEST_P(ImportCommandTest, UsageFileAndPermissionErrorsExitWithTwo)
{
    EXPECT_EQ(run(*m_world.admin, {}), 2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("Usage:")));
    EXPECT_EQ(run(*m_world.admin, {QStringLiteral("x.csv")}), 2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("--reseller")));
    EXPECT_EQ(run(*m_world.admin,
                  {m_dir.filePath(QStringLiteral("missing.csv")), QStringLiteral("--reseller"),
                      QStringLiteral("Northwind Partners")}),
        2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("cannot be opened")));
    EXPECT_EQ(run(*m_world.admin,
                  {writeFile(Good), QStringLiteral("--reseller"), QStringLiteral("Nobody Inc")}),
        2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("no reseller portal named")));
    EXPECT_EQ(run(*m_world.admin,
                  {writeFile("Company,Contact,Email\n\"open,x,y\n"), QStringLiteral("--reseller"),
                      QStringLiteral("Northwind Partners")}),
        2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("not valid CSV")));
    // A reseller membership imports into its own portal only; B is not even
    // visible to it.
    EXPECT_EQ(run(*m_world.resellerAdmin,
                  {writeFile(Good), QStringLiteral("--reseller"), QStringLiteral("Reseller B")}),
        2);
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test'")), 0);
}

TEST_P(ImportCommandTest, DirectAccountsWithADefaultPlanAndPaid)
{
    const QString file = writeFile("Company,Contact,Email,Plan\n"
                                   "Acme,Ada Lovelace,ada@cli.test,\n"
                                   "Globex,Hank Scorpio,hank@cli.test,Standard\n");
    // An administrator names a portal or asks for direct accounts.
    EXPECT_EQ(run(*m_world.admin, {file}), 2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("--direct"))) << m_err.toStdString();
    EXPECT_EQ(run(*m_world.admin,
                  {file, QStringLiteral("--direct"), QStringLiteral("--reseller"),
                      QStringLiteral("Reseller B")}),
        2);
    EXPECT_EQ(
        run(*m_world.admin,
            {file, QStringLiteral("--direct"), QStringLiteral("--plan"), QStringLiteral("Gold")}),
        2);
    EXPECT_TRUE(m_err.contains(QStringLiteral("no plan named “Gold”"))) << m_err.toStdString();
    EXPECT_TRUE(m_err.contains(QStringLiteral("Premium")));
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test'")), 0);

    EXPECT_EQ(run(*m_world.admin,
                  {file, QStringLiteral("--direct"), QStringLiteral("--plan=premium"),
                      QStringLiteral("--paid")}),
        0)
        << m_err.toStdString();
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test' AND owner_reseller_id IS "
                                       "NULL AND billing_status = 'paid'")),
        2);
    EXPECT_EQ(customers(QStringLiteral("contact_email = 'ada@cli.test' AND plan_id = ")
                  + QString::number(m_world.premiumPlanId)),
        1);
    EXPECT_EQ(customers(QStringLiteral("contact_email = 'hank@cli.test' AND plan_id = ")
                  + QString::number(m_world.catalogue.planId)),
        1);
}

TEST_P(ImportCommandTest, AResellersUserImportsIntoItsOwnPortalWithoutNamingIt)
{
    EXPECT_EQ(run(*m_world.resellerAdmin, {writeFile(Good)}), 0) << m_err.toStdString();
    EXPECT_EQ(customers(QStringLiteral("contact_email LIKE '%@cli.test' AND owner_reseller_id = ")
                  + QString::number(m_world.resellerA)),
        2);
}

RD_INSTANTIATE_FOR_BACKENDS(ImportCommandTest);

} // namespace
