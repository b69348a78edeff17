#include <string>

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

// The English "plural-only" translation (translations/resellerdesk_en.ts),
// installed by GuiTestMain as the app installs it: tr("%n customer(s)", n)
// must read "1 customer" / "3 customers", never "1 customer(s)".

namespace {

const QString SourceDir = QStringLiteral(RESELLERDESK_SOURCE_DIR);

// Strings that are known not to be in the .ts yet. Each entry must still
// occur in the sources (the test says when one can go).
// Counted strings that have no English forms yet, each with the reason;
// empty now. A fixed one must leave the list (the test says so).
const QSet<QString> KnownGaps {};

struct NumerusMessage
{
    QString context;
    QString source;
    QString comment;
    QStringList forms;
    bool finished = true;
};

QList<NumerusMessage> englishMessages()
{
    QFile file(SourceDir + QStringLiteral("/translations/resellerdesk_en.ts"));
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "cannot read " << file.fileName().toStdString();
        return {};
    }
    QList<NumerusMessage> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            const bool numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
            NumerusMessage message {context, {}, {}, {}, true};
            while (xml.readNextStartElement()) {
                if (xml.name() == u"source") {
                    message.source = xml.readElementText();
                } else if (xml.name() == u"comment") {
                    message.comment = xml.readElementText();
                } else if (xml.name() == u"translation") {
                    message.finished = xml.attributes().value(QLatin1String("type")).isEmpty();
                    while (xml.readNextStartElement()) {
                        if (xml.name() == u"numerusform")
                            message.forms.append(xml.readElementText());
                        else
                            xml.skipCurrentElement();
                    }
                } else {
                    xml.skipCurrentElement();
                }
            }
            if (numerus)
                messages.append(message);
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return messages;
}

// Reads one C++ string literal starting at the opening quote; returns its
// decoded text and moves pos past the closing quote.
QString readLiteral(const QString &code, qsizetype &pos)
{
    QString text;
    for (++pos; pos < code.size() && code[pos] != u'"'; ++pos) {
        if (code[pos] != u'\\' || pos + 1 >= code.size()) {
            text.append(code[pos]);
            continue;
        }
        const QChar escaped = code[++pos];
        if (escaped == u'n')
            text.append(u'\n');
        else if (escaped == u't')
            text.append(u'\t');
        else if (escaped == u'u' && pos + 4 < code.size()) {
            text.append(QChar(code.mid(pos + 1, 4).toUShort(nullptr, 16)));
            pos += 4;
        } else
            text.append(escaped);
    }
    ++pos;
    return text;
}

// Every string literal in code, adjacent literals ("a" "b") joined as the
// compiler joins them; comments and character literals are skipped.
QStringList stringLiterals(const QString &code)
{
    QStringList literals;
    qsizetype pos = 0;
    while (pos < code.size()) {
        const QChar c = code[pos];
        if (code.mid(pos, 2) == u"//") {
            pos = code.indexOf(u'\n', pos);
            if (pos < 0)
                break;
        } else if (code.mid(pos, 2) == u"/*") {
            pos = code.indexOf(u"*/", pos + 2);
            if (pos < 0)
                break;
            pos += 2;
        } else if (c == u'\'' && pos > 0 && code[pos - 1].isDigit()) {
            ++pos; // digit separator: 1'000
        } else if (c == u'\'') {
            for (++pos; pos < code.size() && code[pos] != u'\''; ++pos) {
                if (code[pos] == u'\\')
                    ++pos;
            }
            ++pos;
        } else if (c == u'"') {
            QString joined = readLiteral(code, pos);
            for (;;) {
                qsizetype next = pos;
                while (next < code.size() && code[next].isSpace())
                    ++next;
                if (next >= code.size() || code[next] != u'"')
                    break;
                pos = next;
                joined += readLiteral(code, pos);
            }
            literals.append(joined);
        } else {
            ++pos;
        }
    }
    return literals;
}

// User-visible strings that count something: "%n …" / "%Ln …" (tr with a
// count), or a "(s)" guess that should have been one.
QSet<QString> countedSourceStrings()
{
    static const QRegularExpression counted(QStringLiteral(R"(%L?n|\(s\))"));
    QSet<QString> strings;
    for (const char *folder : {"core", "ui", "app"}) {
        QDirIterator files(SourceDir + u'/' + QLatin1String(folder),
            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
            QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (!file.open(QIODevice::ReadOnly))
                continue;
            for (const QString &literal : stringLiterals(QString::fromUtf8(file.readAll()))) {
                if (literal.contains(counted))
                    strings.insert(literal);
            }
        }
    }
    return strings;
}

QString translated(const NumerusMessage &message, int n)
{
    const QByteArray context = message.context.toUtf8();
    const QByteArray source = message.source.toUtf8();
    const QByteArray comment = message.comment.toUtf8();
    return QCoreApplication::translate(context.constData(), source.constData(),
        message.comment.isEmpty() ? nullptr : comment.constData(), n);
}

// What translate() makes of a numerus form for n.
QString expected(QString form, int n)
{
    return form.replace(QStringLiteral("%Ln"), QLocale().toString(n))
        .replace(QStringLiteral("%n"), QString::number(n));
}

// As the user reads it (std::string: readable failure messages).
std::string shown(const char *context, const char *source, int n)
{
    return QCoreApplication::translate(context, source, nullptr, n).toStdString();
}

TEST(PluralFormsTest, CountsReadAsEnglish)
{
    const char *cloned = "%n customer(s) cloned to %1.";
    EXPECT_EQ(shown("rd::CloneCustomersDialog", cloned, 1), "1 customer cloned to %1.");
    EXPECT_EQ(shown("rd::CloneCustomersDialog", cloned, 3), "3 customers cloned to %1.");
    EXPECT_EQ(shown("rd::CloneCustomersDialog", cloned, 0), "0 customers cloned to %1.");

    // %Ln: the count in the user's locale.
    const char *budget = "%Ln identification(s) a month";
    EXPECT_EQ(shown("rd::ConvertTrialDialog", budget, 1), "1 identification a month");
    EXPECT_EQ(shown("rd::ConvertTrialDialog", budget, 1500),
        QLocale().toString(1500).toStdString() + " identifications a month");

    // Core messages (Q_DECLARE_TR_FUNCTIONS contexts) too, verb included.
    EXPECT_EQ(shown("CustomerService", "%n other customer(s) already use the domain %1.", 1),
        "1 other customer already uses the domain %1.");
}

// Every entry is filled in, keeps its placeholders, and is what the app gets
// (the .qm embedded in the ui library matches the .ts).
TEST(PluralFormsTest, EveryEntryIsFilledInAndEmbedded)
{
    static const QRegularExpression placeholder(QStringLiteral(R"(%L?n|%\d)"));
    const QList<NumerusMessage> messages = englishMessages();
    ASSERT_FALSE(messages.isEmpty());
    for (const NumerusMessage &message : messages) {
        SCOPED_TRACE(message.context.toStdString() + ": " + message.source.toStdString());
        EXPECT_TRUE(message.finished);
        ASSERT_EQ(message.forms.size(), 2) << "English has a singular and a plural form";

        QStringList wanted;
        for (const auto &match : placeholder.globalMatch(message.source))
            wanted.append(match.captured());
        wanted.sort();
        for (const QString &form : message.forms) {
            EXPECT_FALSE(form.contains(QStringLiteral("(s)"))) << form.toStdString();
            QStringList found;
            for (const auto &match : placeholder.globalMatch(form))
                found.append(match.captured());
            found.sort();
            EXPECT_EQ(found, wanted) << form.toStdString();
        }
        EXPECT_EQ(
            translated(message, 1).toStdString(), expected(message.forms[0], 1).toStdString());
        EXPECT_EQ(
            translated(message, 2).toStdString(), expected(message.forms[1], 2).toStdString());
    }
}

// A new tr("%n thing(s)", n) needs its English forms: refresh the .ts (see
// translations/README.md) and fill them in.
TEST(PluralFormsTest, EveryCountedSourceStringHasEnglishForms)
{
    QSet<QString> inTs;
    for (const NumerusMessage &message : englishMessages())
        inTs.insert(message.source);

    const QSet<QString> counted = countedSourceStrings();
    ASSERT_FALSE(counted.isEmpty());
    for (const QString &text : counted) {
        if (!KnownGaps.contains(text)) {
            EXPECT_TRUE(inTs.contains(text))
                << "not in translations/resellerdesk_en.ts: " << text.toStdString();
        }
    }
    for (const QString &gap : KnownGaps) {
        EXPECT_TRUE(counted.contains(gap) && !inTs.contains(gap))
            << "fixed, remove it from KnownGaps: " << gap.toStdString();
    }
}

} // namespace
