#pragma once

#include <QCoreApplication>
#include <QSqlError>

#include "domain/Error.h"

namespace rd {

// Classifies driver errors of QSQLITE and QPSQL (SQLite result codes,
// PostgreSQL SQLSTATEs) so storage can turn them into rd::Error values.
class SqlErrors final
{
    Q_DECLARE_TR_FUNCTIONS(SqlErrors)

public:
    static bool isUniqueViolation(const QSqlError &error);
    static bool isForeignKeyViolation(const QSqlError &error);
    static bool isCheckViolation(const QSqlError &error);
    static bool isCorruption(const QSqlError &error);
    static bool isBusy(const QSqlError &error);

    // Unique violations become ErrorCode::Duplicate, corruption
    // ErrorCode::DatabaseCorrupt, anything else ErrorCode::DatabaseError.
    // `what` says what was being done, e.g. tr("saving the customer").
    static Error toError(const QSqlError &error, const QString &what);
};

} // namespace rd
