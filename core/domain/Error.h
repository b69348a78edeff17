#pragma once

#include <expected>

#include <QCoreApplication>
#include <QString>

namespace rd {

// What went wrong, coarse enough for callers to branch on. The specific,
// user-facing explanation is in Error::message().
enum class ErrorCode {
    InvalidInput,        // a value breaks a domain rule (bad email, too long, ...)
    NotFound,            // the row or entity does not exist (or is not visible)
    PermissionDenied,    // the acting membership may not do this
    Duplicate,           // a unique rule refused the value (e.g. an email in use)
    Conflict,            // the row changed since it was read (rule 14)
    DatabaseUnavailable, // cannot open the file / reach the server / wrong password
    DatabaseCorrupt,     // the file is damaged or not an SQLite database
    NotOurDatabase,      // a valid database that is not a ResellerDesk database
    SchemaTooNew,        // written by a newer ResellerDesk
    MigrationFailed,     // a schema upgrade failed and was rolled back
    DatabaseError,       // any other storage failure
    Unavailable,         // an outside service (the keychain, a mail server) cannot be used
};

// An error as a value: a code, a translated message for the user, the input
// field it concerns (empty when none) and technical detail for logs (never
// translated, never shown as the main text).
class Error final
{
public:
    Error(ErrorCode code, QString message, QString field = {}, QString detail = {});

    ErrorCode code() const noexcept { return m_code; }
    const QString &message() const noexcept { return m_message; }
    const QString &field() const noexcept { return m_field; }
    const QString &detail() const noexcept { return m_detail; }

    // The message followed by the detail, for logs and tooltips.
    QString toString() const;

private:
    ErrorCode m_code;
    QString m_message;
    QString m_field;
    QString m_detail;
};

template<typename T> using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(
    ErrorCode code, QString message, QString field = {}, QString detail = {})
{
    return std::unexpected<Error>(
        Error(code, std::move(message), std::move(field), std::move(detail)));
}

inline std::unexpected<Error> fail(Error error)
{
    return std::unexpected<Error>(std::move(error));
}

} // namespace rd
