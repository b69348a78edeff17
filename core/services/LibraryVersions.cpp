#include "services/LibraryVersions.h"

#include <QSysInfo>
#include <QtGlobal>

#include <csv.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <xlsxwriter.h>

namespace rd {

namespace {

// PQlibVersion(): major * 10000 + minor since PostgreSQL 10.
QString libpqVersion()
{
    const int version = PQlibVersion();
    if (version >= 100000)
        return QStringLiteral("%1.%2").arg(version / 10000).arg(version % 10000);
    return QStringLiteral("%1.%2.%3")
        .arg(version / 10000)
        .arg(version / 100 % 100)
        .arg(version % 100);
}

} // namespace

QList<LibraryVersion> libraryVersions()
{
    QList<LibraryVersion> versions;
    versions.append({QStringLiteral("Qt"), QString::fromLatin1(qVersion())});
    versions.append({QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion())});
    versions.append({QStringLiteral("libpq"), libpqVersion()});
    versions.append({QStringLiteral("libsodium"), QString::fromLatin1(sodium_version_string())});
#ifdef RESELLERDESK_QTKEYCHAIN_VERSION
    versions.append(
        {QStringLiteral("QtKeychain"), QStringLiteral(RESELLERDESK_QTKEYCHAIN_VERSION)});
#endif
    versions.append({QStringLiteral("libxlsxwriter"), QString::fromLatin1(lxw_version())});
    versions.append({QStringLiteral("libcsv"),
        QStringLiteral("%1.%2.%3").arg(CSV_MAJOR).arg(CSV_MINOR).arg(CSV_RELEASE)});
    return versions;
}

QString versionReport(const QString &applicationName, const QString &applicationVersion)
{
    QString report = applicationName + QLatin1Char(' ') + applicationVersion + QLatin1Char('\n')
        + QSysInfo::prettyProductName() + QStringLiteral(" (") + QSysInfo::currentCpuArchitecture()
        + QStringLiteral(")\n");
    for (const LibraryVersion &library : libraryVersions())
        report += library.name + QStringLiteral(" ") + library.version + QLatin1Char('\n');
    return report;
}

} // namespace rd
