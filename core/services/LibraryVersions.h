#pragma once

#include <QList>
#include <QString>

namespace rd {

// A library the application runs on, with the version in use.
struct LibraryVersion
{
    QString name;
    QString version;
};

// The libraries of this build, with the version actually loaded where the
// library can tell (Qt, SQLite, libpq, libsodium, libxlsxwriter), else the
// version it was built against (QtKeychain, libcsv). libphonenumber does
// not expose its version and is left out. For Help ▸ About and support.
QList<LibraryVersion> libraryVersions();

// The application's name and version, the operating system and every
// library above, one per line: what support asks for.
QString versionReport(const QString &applicationName, const QString &applicationVersion);

} // namespace rd
