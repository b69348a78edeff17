#include "Application.h"

#include <cstdio>

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include "mainwindow/MainWindow.h"
#include "storage/ConnectionProfile.h"
#include "storage/Database.h"

namespace rd::app {

namespace {

Result<ConnectionProfile> profileFor(const CommandLineOptions &options)
{
    if (!options.database.isEmpty())
        return ConnectionProfile::fromUrl(options.database);
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!QDir().mkpath(dataDir)) {
        return fail(ErrorCode::DatabaseUnavailable,
            QCoreApplication::translate(
                "rd::app::Application", "Cannot create the data folder “%1”.")
                .arg(QDir::toNativeSeparators(dataDir)));
    }
    const QString file
        = options.demo ? QStringLiteral("demo.sqlite") : QStringLiteral("resellerdesk.sqlite");
    return ConnectionProfile::sqlite(QDir(dataDir).filePath(file));
}

void showError(const Error &error)
{
    std::fprintf(stderr, "resellerdesk: %s\n", qPrintable(error.toString()));
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        return;
    QMessageBox box(QMessageBox::Critical,
        QCoreApplication::translate("rd::app::Application", "ResellerDesk"), error.message());
    if (!error.detail().isEmpty())
        box.setDetailedText(error.detail());
    box.exec();
}

} // namespace

Application::Application(CommandLineOptions options)
    : m_options(std::move(options))
{ }

Application::~Application() = default;

int Application::run()
{
    Result<ConnectionProfile> profile = profileFor(m_options);
    if (!profile) {
        showError(profile.error());
        return 1;
    }
    Result<std::unique_ptr<Database>> database = Database::open(*profile);
    if (!database) {
        showError(database.error());
        return 1;
    }
    m_database = std::move(*database);

    MainWindow::DatabaseInfo info;
    info.displayName = m_database->profile().displayName();
    info.schemaVersion = m_database->schemaVersion();
    info.isPostgres = m_database->dialect() == Dialect::PostgreSQL;
    m_mainWindow = std::make_unique<MainWindow>(info);
    m_mainWindow->show();

    if (!m_options.screenshot.isEmpty()) {
        QTimer::singleShot(300, m_mainWindow.get(), [this] {
            const bool saved = m_mainWindow->grab().save(m_options.screenshot, "PNG");
            if (!saved)
                std::fprintf(
                    stderr, "resellerdesk: cannot write %s\n", qPrintable(m_options.screenshot));
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}

} // namespace rd::app
