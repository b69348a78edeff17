#include "storage/SqlScript.h"

#include <QRegularExpression>

namespace rd {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// The word starting at i (letters, digits, underscore), upper-cased.
QString wordAt(const QString &text, qsizetype i)
{
    qsizetype end = i;
    while (end < text.size() && isWordChar(text.at(end)))
        ++end;
    return text.mid(i, end - i).toUpper();
}

bool startsTrigger(const QString &statement)
{
    static const QRegularExpression trigger(
        QStringLiteral("^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return trigger.match(statement).hasMatch();
}

} // namespace

QStringList SqlScript::split(const QString &script)
{
    QStringList statements;
    QString current;
    int blockDepth = 0; // BEGIN/CASE ... END nesting inside a trigger body
    const qsizetype n = script.size();

    auto flush = [&]() {
        const QString trimmed = current.trimmed();
        if (!trimmed.isEmpty())
            statements.append(trimmed);
        current.clear();
        blockDepth = 0;
    };

    qsizetype i = 0;
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();

        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            while (i < n && script.at(i) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            const qsizetype end = script.indexOf(QStringLiteral("*/"), i + 2);
            i = end < 0 ? n : end + 2;
            current.append(QLatin1Char(' '));
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            // Quoted text; a doubled quote is an escaped quote.
            qsizetype j = i + 1;
            while (j < n) {
                if (script.at(j) == c) {
                    if (j + 1 < n && script.at(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            const qsizetype end = j < n ? j + 1 : n;
            current.append(script.mid(i, end - i));
            i = end;
            continue;
        }
        if (c == QLatin1Char('$')) {
            static const QRegularExpression tagPattern(QStringLiteral("\\$[A-Za-z_]*\\$"));
            const QRegularExpressionMatch match = tagPattern.match(script, i,
                QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (match.hasMatch()) {
                const QString tag = match.captured();
                const qsizetype close = script.indexOf(tag, i + tag.size());
                const qsizetype end = close < 0 ? n : close + tag.size();
                current.append(script.mid(i, end - i));
                i = end;
                continue;
            }
        }
        if (c.isLetter() && (i == 0 || !isWordChar(script.at(i - 1)))) {
            const QString word = wordAt(script, i);
            if (startsTrigger(current + word)) {
                if (word == QLatin1String("BEGIN") || word == QLatin1String("CASE"))
                    ++blockDepth;
                else if (word == QLatin1String("END") && blockDepth > 0)
                    --blockDepth;
            }
            current.append(script.mid(i, word.size()));
            i += word.size();
            continue;
        }
        if (c == QLatin1Char(';') && blockDepth == 0) {
            flush();
            ++i;
            continue;
        }
        current.append(c);
        ++i;
    }
    flush();
    return statements;
}

} // namespace rd
