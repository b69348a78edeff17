#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rd {

// Comma-separated values as RFC 4180 writes them, made safe to open in a
// spreadsheet:
// - a field holding a comma, a double quote, CR or LF is quoted, its quotes
//   doubled;
// - lines end with CRLF;
// - a file starts with a UTF-8 byte order mark, so spreadsheet apps read
//   it as UTF-8 rather than the system's legacy code page;
// - formula injection (OWASP "CSV Injection"): a field starting with =, +,
//   -, @, TAB or CR gets a leading apostrophe, so a spreadsheet shows the
//   text instead of running it as a formula. The apostrophe is part of the
//   field: a value read back keeps it.
class Csv final
{
public:
    Csv() = delete;

    // One field, protected and quoted as needed.
    static QString field(const QString &value);
    // One line: the fields separated by commas, ending with CRLF.
    static QString line(const QStringList &fields);
    // The same line as UTF-8 bytes.
    static QByteArray lineUtf8(const QStringList &fields);
    // The UTF-8 byte order mark (EF BB BF) that starts a file.
    static QByteArray byteOrderMark();
    // True when a spreadsheet could take the text for a formula.
    static bool looksLikeFormula(const QString &value);
};

} // namespace rd
