#include <string>

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

// Issue 8: German and French, every string. The .ts files are the sources of
// the translations (translations/README.md); the build embeds them as .qm.
// These tests fail when a string of the sources is missing from a language
// or left unfinished, when a translation loses a placeholder or its
// keyboard accelerator, and when the embedded .qm is not the .ts.

namespace {

const QString SourceDir = QStringLiteral(RESELLERDESK_SOURCE_DIR);

struct Message
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    bool finished = true;
    QStringList forms; // one translation, or the plural forms
};

QList<Message> readTs(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "cannot read " << path.toStdString();
        return {};
    }
    QList<Message> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            Message message;
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
            while (xml.readNextStartElement()) {
                if (xml.name() == u"source") {
                    message.source = xml.readElementText();
                } else if (xml.name() == u"comment") {
                    message.comment = xml.readElementText();
                } else if (xml.name() == u"translation") {
                    const QStringView type = xml.attributes().value(QLatin1String("type"));
                    message.finished = type.isEmpty();
                    if (type == u"obsolete" || type == u"vanished")
                        message.finished = false;
                    if (message.numerus) {
                        while (xml.readNextStartElement()) {
                            if (xml.name() == u"numerusform")
                                message.forms.append(xml.readElementText());
                            else
                                xml.skipCurrentElement();
                        }
                    } else {
                        message.forms.append(xml.readElementText());
                    }
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages.append(message);
        }
    }
    EXPECT_FALSE(xml.hasError()) << path.toStdString() << ": " << xml.errorString().toStdString();
    return messages;
}

QString key(const Message &m)
{
    return m.context + QChar(0x1f) + m.source + QChar(0x1f) + m.comment;
}

// What lupdate finds in the sources today (the same command as
// translations/README.md gives), read once.
const QList<Message> &sourceMessages()
{
    static const QList<Message> messages = [] {
        QTemporaryDir dir;
        const QString ts = dir.filePath(QStringLiteral("sources.ts"));
        const QString lupdate
            = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
        QProcess process;
        process.setWorkingDirectory(SourceDir);
        process.start(lupdate,
            {QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-no-obsolete"),
                QStringLiteral("-silent"), QStringLiteral("-source-language"), QStringLiteral("en"),
                QStringLiteral("-target-language"), QStringLiteral("de"), QStringLiteral("core"),
                QStringLiteral("ui"), QStringLiteral("app"), QStringLiteral("-ts"), ts});
        if (!process.waitForFinished(120'000) || process.exitCode() != 0) {
            ADD_FAILURE() << "lupdate (" << lupdate.toStdString()
                          << ", package qt6-l10n-tools) failed: "
                          << process.readAllStandardError().toStdString();
            return QList<Message>();
        }
        return readTs(ts);
    }();
    return messages;
}

QString tsPath(const char *language)
{
    return SourceDir
        + QStringLiteral("/translations/resellerdesk_%1.ts").arg(QLatin1String(language));
}

// The placeholders a text must keep: %1…%99, %L1, %n, %Ln.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(%L?(?:n|\d{1,2}))"));
    QStringList found;
    for (const auto &match : pattern.globalMatch(text))
        found.append(match.captured());
    found.sort();
    return found;
}

// Keyboard accelerators: "&x" (not the literal "&&").
int accelerators(const QString &text)
{
    QString rest = text;
    rest.remove(QStringLiteral("&&"));
    // Entities like "&amp;" are decoded by the XML reader; a rich-text "&nbsp;"
    // is not an accelerator.
    static const QRegularExpression entity(QStringLiteral(R"(&[a-z]+;)"));
    rest.remove(entity);
    return static_cast<int>(rest.count(QLatin1Char('&')));
}

class TranslationsTest : public ::testing::TestWithParam<const char *>
{ };

TEST_P(TranslationsTest, EveryStringOfTheSourcesIsTranslated)
{
    const QList<Message> &sources = sourceMessages();
    ASSERT_GT(sources.size(), 1000);
    QHash<QString, Message> translated;
    for (const Message &m : readTs(tsPath(GetParam())))
        translated.insert(key(m), m);
    int missing = 0;
    for (const Message &source : sources) {
        const auto found = translated.constFind(key(source));
        const bool ok = found != translated.cend() && found->finished
            && std::none_of(found->forms.cbegin(), found->forms.cend(),
                [](const QString &form) { return form.trimmed().isEmpty(); })
            && !found->forms.isEmpty();
        if (!ok && ++missing <= 20) {
            ADD_FAILURE() << GetParam() << ": not translated: [" << source.context.toStdString()
                          << "] " << source.source.toStdString();
        }
    }
    EXPECT_EQ(missing, 0) << "refresh translations/resellerdesk_" << GetParam()
                          << ".ts as translations/README.md says, and translate the new strings";
}

TEST_P(TranslationsTest, TranslationsKeepPlaceholdersAndAccelerators)
{
    const QList<Message> messages = readTs(tsPath(GetParam()));
    ASSERT_FALSE(messages.isEmpty());
    for (const Message &m : messages) {
        if (!m.finished)
            continue;
        SCOPED_TRACE("[" + m.context.toStdString() + "] " + m.source.toStdString());
        if (m.numerus) {
            EXPECT_EQ(m.forms.size(), 2) << "singular and plural";
        }
        for (const QString &form : m.forms) {
            QStringList wanted = placeholders(m.source);
            QStringList found = placeholders(form);
            if (m.numerus) {
                // A singular may say "one" instead of %n.
                wanted.removeAll(QStringLiteral("%n"));
                wanted.removeAll(QStringLiteral("%Ln"));
                found.removeAll(QStringLiteral("%n"));
                found.removeAll(QStringLiteral("%Ln"));
            }
            EXPECT_EQ(found, wanted) << form.toStdString();
            EXPECT_EQ(accelerators(form), accelerators(m.source)) << form.toStdString();
        }
    }
}

// The .qm the ui library embeds is this .ts, compiled.
TEST_P(TranslationsTest, TheEmbeddedTranslationIsTheSource)
{
    QTranslator translator;
    ASSERT_TRUE(translator.load(
        QStringLiteral(":/i18n/resellerdesk_%1.qm").arg(QLatin1String(GetParam()))));
    int checked = 0;
    for (const Message &m : readTs(tsPath(GetParam()))) {
        if (!m.finished || m.forms.isEmpty())
            continue;
        const QByteArray context = m.context.toUtf8();
        const QByteArray source = m.source.toUtf8();
        const QByteArray comment = m.comment.toUtf8();
        if (m.numerus) {
            EXPECT_EQ(translator
                          .translate(context.constData(), source.constData(),
                              m.comment.isEmpty() ? nullptr : comment.constData(), 1)
                          .toStdString(),
                m.forms.constFirst().toStdString());
        } else {
            EXPECT_EQ(translator
                          .translate(context.constData(), source.constData(),
                              m.comment.isEmpty() ? nullptr : comment.constData())
                          .toStdString(),
                m.forms.constFirst().toStdString());
        }
        ++checked;
    }
    EXPECT_GT(checked, 1000);
}

INSTANTIATE_TEST_SUITE_P(Languages, TranslationsTest, ::testing::Values("de", "fr"),
    [](const ::testing::TestParamInfo<const char *> &language) {
        return std::string(language.param);
    });

} // namespace
