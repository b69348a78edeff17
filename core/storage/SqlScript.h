#pragma once

#include <QString>
#include <QStringList>

namespace rd {

// Splits a migration script into statements. QtSql runs one statement per
// exec(), so the migration runner needs them one by one. Understands
// '...' strings, "..." identifiers, -- and /* */ comments, PostgreSQL
// dollar-quoted bodies ($$ ... $$, $tag$ ... $tag$) and SQLite trigger
// bodies (CREATE TRIGGER ... BEGIN ...; ... END), whose inner semicolons do
// not end the statement. Comments are dropped; empty statements are skipped.
class SqlScript final
{
public:
    static QStringList split(const QString &script);
};

} // namespace rd
