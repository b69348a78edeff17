// `resellerdesk export customers` as a script runs it: the built program,
// started with QProcess without a display, against an SQLite database this
// test prepares.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "ExportCommand.h"
#include "TestDatabase.h"
#include "TestWorld.h"
#include "domain/Csv.h"
#include "security/PasswordHasher.h"
#include "storage/UserRepository.h"

using namespace rd;
using namespace rd::app;
using namespace rd::test;

namespace {

const QString Password = QStringLiteral("correct horse battery");

std::string text(const Error &error)
{
    return error.toString().toStdString();
}

struct Finished
{
    int exitCode = -1;
    QString out;
    QString err;
};

class ExportCommandTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Result<std::unique_ptr<TestDatabase>> created = TestDatabase::create(Backend::SQLite);
        ASSERT_TRUE(created.has_value()) << text(created.error());
        m_testDatabase = std::move(*created);
        Result<std::unique_ptr<Database>> opened = m_testDatabase->open();
        ASSERT_TRUE(opened.has_value()) << text(opened.error());
        m_db = std::move(*opened);
        Result<TestWorld> world = TestWorld::create(*m_db);
        ASSERT_TRUE(world.has_value()) << text(world.error());
        m_world = std::move(*world);
        addUser(QStringLiteral("ops@vendor.example"), Role::Support, 0);
        addUser(QStringLiteral("partner@a.example"), Role::ResellerUser, m_world.resellerA);
        ASSERT_TRUE(m_files.isValid());
    }

    void addUser(const QString &email, Role role, qint64 resellerId)
    {
        UserRow u;
        u.email = email;
        u.emailKey = email;
        u.displayName = QStringLiteral("Script");
        u.passwordHash = PasswordHasher(PasswordCost::minimum()).hash(Password).value_or(QString());
        u.passwordChangedAt = testNow();
        u.mustChangePassword = false;
        u.createdAt = testNow();
        Result<qint64> id = UserRepository(*m_db).insert(u);
        ASSERT_TRUE(id.has_value()) << text(id.error());
        MembershipRow m;
        m.userId = *id;
        m.role = role;
        m.resellerId = resellerId;
        m.active = true;
        m.createdAt = testNow();
        ASSERT_TRUE(UserRepository(*m_db).insertMembership(m).has_value());
    }

    QString file(const QString &name) const { return m_files.filePath(name); }

    // The program without a display or a keychain, like a server's cron job.
    Finished run(const QStringList &arguments, const QString &password = Password) const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                 "RESELLERDESK_USER", "RESELLERDESK_PASSWORD"})
            environment.remove(QString::fromLatin1(name));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        if (!password.isNull())
            environment.insert(QStringLiteral("RESELLERDESK_PASSWORD"), password);
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setWorkingDirectory(m_files.path());
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(RESELLERDESK_APP_BINARY), arguments);
        Finished finished;
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
            ADD_FAILURE() << "the program did not finish";
            return finished;
        }
        finished.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        finished.out = QString::fromUtf8(process.readAllStandardOutput());
        finished.err = QString::fromUtf8(process.readAllStandardError());
        return finished;
    }

    QStringList exportArguments(const QString &user) const
    {
        return {QStringLiteral("export"), QStringLiteral("customers"), QStringLiteral("--database"),
            m_testDatabase->profile().filePath(), QStringLiteral("--user"), user};
    }

    // The company of each data line of a CSV export.
    static QStringList companies(const QString &path)
    {
        QFile csv(path);
        EXPECT_TRUE(csv.open(QIODevice::ReadOnly));
        const QByteArray content = csv.readAll();
        EXPECT_TRUE(content.startsWith(Csv::byteOrderMark()));
        QStringList names;
        const QList<QByteArray> lines = content.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines.at(i).isEmpty())
                names.append(QString::fromUtf8(lines.at(i).split(',').constFirst()));
        }
        return names;
    }

    std::unique_ptr<TestDatabase> m_testDatabase;
    std::unique_ptr<Database> m_db;
    TestWorld m_world;
    QTemporaryDir m_files;
};

TEST_F(ExportCommandTest, WritesTheSearchedSortedCustomersAndSaysHowMany)
{
    const QString output = file(QStringLiteral("out.csv"));
    QStringList arguments = exportArguments(QStringLiteral("ops@vendor.example"));
    arguments << QStringLiteral("--sort") << QStringLiteral("company")
              << QStringLiteral("--descending") << QStringLiteral("--output") << output;
    const Finished finished = run(arguments);
    ASSERT_EQ(finished.exitCode, 0) << finished.err.toStdString();
    EXPECT_EQ(finished.out.trimmed(), QStringLiteral("Exported 5 customers to %1.").arg(output));
    EXPECT_EQ(
        companies(output).join(QLatin1Char(' ')), QStringLiteral("Sub Shared Direct Bravo Alpha"));

    arguments = exportArguments(QStringLiteral("ops@vendor.example"));
    arguments << QStringLiteral("--search") << QStringLiteral("bravo") << QStringLiteral("-o")
              << output;
    const Finished searched = run(arguments);
    ASSERT_EQ(searched.exitCode, 0) << searched.err.toStdString();
    EXPECT_EQ(searched.out.trimmed(), QStringLiteral("Exported 1 customer to %1.").arg(output));
    EXPECT_EQ(companies(output), QStringList {QStringLiteral("Bravo")});
}

TEST_F(ExportCommandTest, AResellerUserExportsOnlyItsCustomers)
{
    const QString output = file(QStringLiteral("partner.csv"));
    QStringList arguments = exportArguments(QStringLiteral("partner@a.example"));
    arguments << QStringLiteral("-o") << output;
    const Finished finished = run(arguments);
    ASSERT_EQ(finished.exitCode, 0) << finished.err.toStdString();
    EXPECT_EQ(companies(output).join(QLatin1Char(' ')), QStringLiteral("Alpha Shared"));
}

TEST_F(ExportCommandTest, XlsxByFormatOrByTheFileName)
{
    QStringList arguments = exportArguments(QStringLiteral("ops@vendor.example"));
    arguments << QStringLiteral("--format") << QStringLiteral("xlsx");
    const Finished named = run(arguments);
    ASSERT_EQ(named.exitCode, 0) << named.err.toStdString();
    // The default name: customers-DATE.xlsx in the current directory.
    const QStringList written
        = QDir(m_files.path()).entryList({QStringLiteral("customers-*.xlsx")});
    ASSERT_EQ(written.size(), 1);
    EXPECT_TRUE(named.out.contains(written.constFirst())) << named.out.toStdString();

    const QString output = file(QStringLiteral("by-name.xlsx"));
    arguments = exportArguments(QStringLiteral("ops@vendor.example"));
    arguments << QStringLiteral("-o") << output;
    ASSERT_EQ(run(arguments).exitCode, 0);
    QProcess unzip;
    unzip.start(QStringLiteral("unzip"),
        {QStringLiteral("-p"), output, QStringLiteral("xl/worksheets/sheet1.xml")});
    ASSERT_TRUE(unzip.waitForFinished(30'000));
    EXPECT_EQ(unzip.exitCode(), 0);
    const QByteArray sheet = unzip.readAllStandardOutput();
    EXPECT_TRUE(sheet.contains("<dimension ref=\"A1:K6\"/>")) << sheet.left(400).toStdString();
}

TEST_F(ExportCommandTest, SignInMistakesExitWithStatusTwoAndWriteNothing)
{
    const QString output = file(QStringLiteral("never.csv"));
    QStringList arguments = exportArguments(QStringLiteral("ops@vendor.example"));
    arguments << QStringLiteral("-o") << output;
    const Finished wrong = run(arguments, QStringLiteral("not the password at all"));
    EXPECT_EQ(wrong.exitCode, 2);
    EXPECT_TRUE(wrong.err.contains(QStringLiteral("not correct"))) << wrong.err.toStdString();

    const Finished none = run(arguments, QString());
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_TRUE(none.err.contains(QStringLiteral("No password for ops@vendor.example")))
        << none.err.toStdString();
    EXPECT_FALSE(QFile::exists(output));
}

TEST_F(ExportCommandTest, UsageMistakesExitWithStatusTwo)
{
    const QString database = m_testDatabase->profile().filePath();
    const struct
    {
        QStringList arguments;
        const char *message;
    } cases[] = {
        {{QStringLiteral("export")}, "export customers"},
        {{QStringLiteral("export"), QStringLiteral("resellers")}, "export customers"},
        {{QStringLiteral("export"), QStringLiteral("customers")}, "--database"},
        {{QStringLiteral("export"), QStringLiteral("customers"), QStringLiteral("--database"),
             database, QStringLiteral("--format"), QStringLiteral("pdf")},
            "csv or xlsx"},
        {{QStringLiteral("export"), QStringLiteral("customers"), QStringLiteral("--database"),
             database, QStringLiteral("--sort"), QStringLiteral("budget")},
            "--sort takes one of company"},
        {{QStringLiteral("dispatch"), QStringLiteral("--database"), database,
             QStringLiteral("--search"), QStringLiteral("x")},
            "work only with export"},
        {{QStringLiteral("dispatch"), QStringLiteral("--database"), database,
             QStringLiteral("--user"), QStringLiteral("x@y.example")},
            "only with export and import"},
        {{QStringLiteral("import")}, "import FILE"},
        {{QStringLiteral("dispatch"), QStringLiteral("--database"), database,
             QStringLiteral("--lang"), QStringLiteral("xx")},
            "--lang takes one of en, de, fr"},
        {{QStringLiteral("import"), QStringLiteral("a.csv"), QStringLiteral("--database"), database,
             QStringLiteral("--dry-run"), QStringLiteral("--send-setup-emails")},
            "--dry-run"},
    };
    for (const auto &c : cases) {
        const Finished finished = run(c.arguments);
        EXPECT_EQ(finished.exitCode, 2) << c.arguments.join(QLatin1Char(' ')).toStdString();
        EXPECT_TRUE(finished.err.contains(QLatin1String(c.message)))
            << c.arguments.join(QLatin1Char(' ')).toStdString() << ": "
            << finished.err.toStdString();
    }
}

// Issue 8: --lang chooses the language of everything the program says,
// help and mistakes included (the translations are checked string by string
// in ui_tests' TranslationsTest).
TEST_F(ExportCommandTest, LangChoosesTheLanguageOfHelpAndMistakes)
{
    QMap<QString, QString> help;
    for (const QString &language :
        {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}) {
        const Finished finished
            = run({QStringLiteral("--lang"), language, QStringLiteral("--help")});
        EXPECT_EQ(finished.exitCode, 0) << language.toStdString();
        EXPECT_TRUE(finished.out.contains(QStringLiteral("--lang"))) << finished.out.toStdString();
        help.insert(language, finished.out);
    }
    EXPECT_NE(help.value(QStringLiteral("de")), help.value(QStringLiteral("en")));
    EXPECT_NE(help.value(QStringLiteral("fr")), help.value(QStringLiteral("en")));
    EXPECT_NE(help.value(QStringLiteral("fr")), help.value(QStringLiteral("de")));

    const Finished english
        = run({QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("export")});
    const Finished german
        = run({QStringLiteral("--lang"), QStringLiteral("de"), QStringLiteral("export")});
    EXPECT_EQ(german.exitCode, 2);
    EXPECT_TRUE(english.err.contains(QStringLiteral("export needs what to export")));
    EXPECT_FALSE(german.err.contains(QStringLiteral("export needs what to export")))
        << german.err.toStdString();
    EXPECT_TRUE(german.err.contains(QStringLiteral("export customers")))
        << german.err.toStdString();
}

// The import command as the built program runs it: sign-in, then the
// rows, one refused line on the error stream and the summary on the output.
TEST_F(ExportCommandTest, ImportSignsInAndReportsEveryRefusedRow)
{
    addUser(QStringLiteral("admin-cli@vendor.example"), Role::Administrator, 0);
    const QString csv = file(QStringLiteral("customers.csv"));
    QFile f(csv);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("Company,Contact,Email,Plan\n"
            "Acme Cli,Ada Lovelace,ada@cli.test,Standard\n"
            "Broken Cli,Nobody,not-an-email,Standard\n"
            "Globex Cli,Hank Scorpio,hank@cli.test,Standard\n");
    f.close();
    const QStringList arguments {QStringLiteral("import"), csv, QStringLiteral("--database"),
        m_testDatabase->profile().filePath(), QStringLiteral("--user"),
        QStringLiteral("admin-cli@vendor.example"), QStringLiteral("--reseller"),
        QStringLiteral("Reseller B")};

    const Finished dry = run(QStringList(arguments) << QStringLiteral("--dry-run"));
    EXPECT_EQ(dry.exitCode, 1) << dry.err.toStdString();
    EXPECT_TRUE(dry.out.contains(QStringLiteral("Dry run"))) << dry.out.toStdString();

    const Finished finished = run(arguments);
    EXPECT_EQ(finished.exitCode, 1) << finished.err.toStdString();
    EXPECT_TRUE(finished.err.contains(QStringLiteral("line 3: "))) << finished.err.toStdString();
    EXPECT_TRUE(finished.out.contains(QStringLiteral("imported: 2; refused: 1")))
        << finished.out.toStdString();
    QSqlQuery q(m_db->connection());
    ASSERT_TRUE(q.exec(
        QStringLiteral("SELECT count(*) FROM customers WHERE contact_email LIKE '%@cli.test'")));
    ASSERT_TRUE(q.next());
    EXPECT_EQ(q.value(0).toInt(), 2) << "the dry run wrote nothing, the import the two good rows";
}

TEST(ExportCommandOptions, FormatOutputAndQueryFromTheOptions)
{
    CommandLineOptions options;
    EXPECT_EQ(ExportCommand::formatOf(options), ExportFormat::Csv);
    options.output = QStringLiteral("/tmp/x.XLSX");
    EXPECT_EQ(ExportCommand::formatOf(options), ExportFormat::Xlsx);
    options.exportFormat = QStringLiteral("csv");
    EXPECT_EQ(ExportCommand::formatOf(options), ExportFormat::Csv);
    EXPECT_EQ(ExportCommand::outputOf(options, ExportFormat::Csv, QDate(2026, 1, 2)),
        QStringLiteral("/tmp/x.XLSX"));
    options.output.clear();
    EXPECT_TRUE(ExportCommand::outputOf(options, ExportFormat::Xlsx, QDate(2026, 1, 2))
                    .endsWith(QStringLiteral("/customers-2026-01-02.xlsx")));

    options.search = QStringLiteral("north");
    options.sort = QStringLiteral("created");
    options.descending = true;
    const CustomerQuery query = ExportCommand::queryOf(options);
    EXPECT_EQ(query.search, QStringLiteral("north"));
    EXPECT_EQ(query.sort, CustomerSort::Created);
    EXPECT_FALSE(query.ascending);
}

} // namespace
