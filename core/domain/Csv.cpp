#include "domain/Csv.h"

namespace rd {

bool Csv::looksLikeFormula(const QString &value)
{
    if (value.isEmpty())
        return false;
    switch (value.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
        return true;
    default:
        return false;
    }
}

QString Csv::field(const QString &value)
{
    QString text = looksLikeFormula(value) ? QLatin1Char('\'') + value : value;
    const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
        || text.contains(QLatin1Char('\r')) || text.contains(QLatin1Char('\n'));
    if (!quote)
        return text;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString Csv::line(const QStringList &fields)
{
    QString text;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            text += QLatin1Char(',');
        text += field(fields.at(i));
    }
    text += QStringLiteral("\r\n");
    return text;
}

QByteArray Csv::lineUtf8(const QStringList &fields)
{
    return line(fields).toUtf8();
}

QByteArray Csv::byteOrderMark()
{
    return QByteArrayLiteral("\xEF\xBB\xBF");
}

} // namespace rd
