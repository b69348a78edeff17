#include "storage/SqlValues.h"

namespace rd {

QVariant SqlValues::time(const QDateTime &value)
{
    if (!value.isValid())
        return nullInt();
    return QVariant::fromValue<qint64>(value.toMSecsSinceEpoch());
}

QDateTime SqlValues::toTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant SqlValues::id(qint64 value)
{
    return value > 0 ? QVariant::fromValue<qint64>(value) : nullInt();
}

qint64 SqlValues::toId(const QVariant &value)
{
    return value.isNull() ? 0 : value.toLongLong();
}

QVariant SqlValues::optionalText(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

QVariant SqlValues::nullInt()
{
    return QVariant(QMetaType::fromType<qint64>());
}

} // namespace rd
