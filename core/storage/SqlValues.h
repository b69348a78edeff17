#pragma once

#include <QDateTime>
#include <QVariant>

namespace rd {

// Conversions between domain values and bound SQL values, identical on
// SQLite and PostgreSQL: times are milliseconds since the epoch (UTC), ids
// of 0 and invalid times are NULL, empty optional text is NULL.
class SqlValues final
{
public:
    static QVariant time(const QDateTime &value);
    static QDateTime toTime(const QVariant &value);

    static QVariant id(qint64 value);
    static qint64 toId(const QVariant &value);

    static QVariant optionalText(const QString &value);
    static QVariant nullInt();
};

} // namespace rd
