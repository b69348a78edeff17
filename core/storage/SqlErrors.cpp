#include "storage/SqlErrors.h"

namespace rd {

namespace {

// SQLite primary and extended result codes (sqlite3.h).
constexpr int SqliteBusy = 5;
constexpr int SqliteLocked = 6;
constexpr int SqliteCorrupt = 11;
constexpr int SqliteNotADatabase = 26;
constexpr int SqliteConstraint = 19;
constexpr int SqliteConstraintCheck = 275;
constexpr int SqliteConstraintForeignKey = 787;
constexpr int SqliteConstraintPrimaryKey = 1555;
constexpr int SqliteConstraintUnique = 2067;

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? code : -1;
}

QString sqlState(const QSqlError &error)
{
    // QPSQL reports the SQLSTATE as the native error code.
    const QString code = error.nativeErrorCode();
    return code.size() == 5 ? code : QString();
}

bool textContains(const QSqlError &error, const char *needle)
{
    return error.databaseText().contains(QLatin1String(needle), Qt::CaseInsensitive);
}

} // namespace

bool SqlErrors::isUniqueViolation(const QSqlError &error)
{
    if (sqlState(error) == QLatin1String("23505"))
        return true;
    const int code = sqliteCode(error);
    return code == SqliteConstraintUnique || code == SqliteConstraintPrimaryKey
        || (code == SqliteConstraint && textContains(error, "UNIQUE constraint failed"));
}

bool SqlErrors::isForeignKeyViolation(const QSqlError &error)
{
    if (sqlState(error) == QLatin1String("23503"))
        return true;
    const int code = sqliteCode(error);
    return code == SqliteConstraintForeignKey
        || (code == SqliteConstraint && textContains(error, "FOREIGN KEY constraint failed"));
}

bool SqlErrors::isCheckViolation(const QSqlError &error)
{
    if (sqlState(error) == QLatin1String("23514"))
        return true;
    const int code = sqliteCode(error);
    return code == SqliteConstraintCheck
        || (code == SqliteConstraint && textContains(error, "CHECK constraint failed"));
}

bool SqlErrors::isCorruption(const QSqlError &error)
{
    const QString state = sqlState(error);
    if (state == QLatin1String("XX001") || state == QLatin1String("XX002"))
        return true;
    const int code = sqliteCode(error) & 0xff; // primary code of an extended one
    return code == SqliteCorrupt || code == SqliteNotADatabase
        || textContains(error, "file is not a database")
        || textContains(error, "database disk image is malformed");
}

bool SqlErrors::isBusy(const QSqlError &error)
{
    const QString state = sqlState(error);
    if (state == QLatin1String("40001") || state == QLatin1String("40P01")
        || state == QLatin1String("55P03"))
        return true;
    const int code = sqliteCode(error) & 0xff;
    return code == SqliteBusy || code == SqliteLocked;
}

Error SqlErrors::toError(const QSqlError &error, const QString &what)
{
    const QString detail = error.text();
    if (isUniqueViolation(error)) {
        return Error(ErrorCode::Duplicate,
            tr("Could not finish %1: the value is already in use.").arg(what), {}, detail);
    }
    if (isCorruption(error)) {
        return Error(ErrorCode::DatabaseCorrupt,
            tr("Could not finish %1: the database file is damaged.").arg(what), {}, detail);
    }
    if (isBusy(error)) {
        return Error(ErrorCode::DatabaseError,
            tr("Could not finish %1: the database is busy. Try again.").arg(what), {}, detail);
    }
    return Error(ErrorCode::DatabaseError,
        tr("Could not finish %1: the database reported an error.").arg(what), {}, detail);
}

} // namespace rd
