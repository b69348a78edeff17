#include "mail/MimeMessage.h"

#include <ostream>

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTimeZone>

#include <gtest/gtest.h>

#include "mail/MessageComposer.h"

using namespace rd;

// GoogleTest prints QStrings and QByteArrays as text (argument-dependent lookup).
static void PrintTo(const QString &value, std::ostream *os)
{
    *os << '"' << value.toStdString() << '"';
}
static void PrintTo(const QByteArray &value, std::ostream *os)
{
    *os << '"' << value.toStdString() << '"';
}

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

MimeMessage::Fields asciiFields()
{
    MimeMessage::Fields f;
    f.from = {QStringLiteral("ResellerDesk"), QStringLiteral("noreply@reseller.example")};
    f.to = {QStringLiteral("Jane Doe"), QStringLiteral("jane@customer.example")};
    f.subject = QStringLiteral("Your ResellerDesk account");
    f.body = QStringLiteral("Hello Jane,\n\nyour account is ready.\n");
    f.date = QDateTime(QDate(2024, 3, 5), QTime(14, 7, 9), QTimeZone(3600));
    f.messageIdDomain = QStringLiteral("reseller.example");
    f.stableId = 42;
    f.stableSeed = QStringLiteral("2024-03-05T13:07:09Z");
    return f;
}

MimeMessage build(const MimeMessage::Fields &f)
{
    Result<MimeMessage> m = MimeMessage::create(f);
    EXPECT_TRUE(m.has_value()) << (m ? std::string() : m.error().toString().toStdString());
    return m ? *m : *MimeMessage::create(asciiFields());
}

QByteArray headerPart(const QByteArray &wire)
{
    return wire.left(wire.indexOf("\r\n\r\n") + 2);
}

QByteArray bodyPart(const QByteArray &wire)
{
    return wire.mid(wire.indexOf("\r\n\r\n") + 4);
}

// Lines without their CRLF; fails the test on a bare CR or LF.
QList<QByteArray> wireLines(const QByteArray &wire)
{
    EXPECT_TRUE(wire.endsWith("\r\n"));
    QList<QByteArray> lines = wire.split('\n');
    lines.removeLast();
    for (QByteArray &line : lines) {
        EXPECT_TRUE(line.endsWith('\r')) << line.toStdString();
        line.chop(1);
        EXPECT_FALSE(line.contains('\r')) << line.toStdString();
    }
    return lines;
}

// The unfolded value of a header (RFC 5322 §2.2.3: remove each CRLF before WSP).
QByteArray headerValue(const QByteArray &wire, const QByteArray &name)
{
    QByteArray unfolded = headerPart(wire);
    unfolded.replace("\r\n ", " ");
    for (const QByteArray &line : unfolded.split('\n')) {
        if (line.startsWith(QByteArray(name + ": ")))
            return line.mid(name.size() + 2).chopped(1);
    }
    return {};
}

// An independent quoted-printable decoder (RFC 2045 §6.7) for round trips.
QByteArray decodeQuotedPrintable(const QByteArray &encoded)
{
    QByteArray out;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded.at(i);
        if (c != '=') {
            out += c;
        } else if (encoded.mid(i + 1, 2) == "\r\n") {
            i += 2;
        } else {
            out += QByteArray::fromHex(encoded.mid(i + 1, 2));
            i += 2;
        }
    }
    return out;
}

struct Parsed
{
    QString subject;
    QString fromName;
    QString fromAddress;
    QString toName;
    QString toAddress;
    // Display names decoded by the RFC 2047 functions of email.header: the
    // modern parser of Python < 3.14 keeps the space between two adjacent
    // encoded-words in a display name (CPython gh-128110), which RFC 2047
    // §6.2 says to drop.
    QString legacyFromName;
    QString legacyToName;
    QString body;
    QString messageId;
    QString date;
    QString transferEncoding;
    QString defects;
};

// Python's standard email package (policy=default, the strict modern parser)
// reads the message as a mail client would.
Parsed parseWithPython(const QByteArray &wire)
{
    static const QString script = QStringLiteral(R"PY(
import sys, json, email, email.policy
from email.header import decode_header, make_header
from email.utils import parseaddr
with open(sys.argv[1], 'rb') as f:
    data = f.read()
m = email.message_from_bytes(data, policy=email.policy.default)
legacy = email.message_from_bytes(data, policy=email.policy.compat32)
def legacyName(header):
    name = parseaddr(legacy[header].replace('\r\n', '').replace('\n', ''))[0]
    return str(make_header(decode_header(name)))
frm = m['From'].addresses[0]
to = m['To'].addresses[0]
defects = [str(d) for d in m.defects]
for name in ('From', 'To', 'Subject', 'Date', 'Message-ID'):
    defects += [name + ': ' + str(d) for d in m[name].defects]
print(json.dumps({
    'subject': str(m['Subject']),
    'fromName': frm.display_name, 'fromAddress': frm.addr_spec,
    'toName': to.display_name, 'toAddress': to.addr_spec,
    'legacyFromName': legacyName('From'), 'legacyToName': legacyName('To'),
    'body': m.get_content().replace('\r\n', '\n'),
    'messageId': str(m['Message-ID']),
    'date': m['Date'].datetime.isoformat(),
    'cte': str(m['Content-Transfer-Encoding']),
    'defects': '; '.join(defects)}))
)PY");

    Parsed parsed;
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    EXPECT_FALSE(python.isEmpty()) << "python3 is required for the MIME cross-check";
    if (python.isEmpty())
        return parsed;

    QTemporaryFile file;
    EXPECT_TRUE(file.open());
    file.write(wire);
    file.close();

    QProcess process;
    process.start(python, {QStringLiteral("-c"), script, file.fileName()});
    EXPECT_TRUE(process.waitForFinished(30000));
    EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().toStdString();
    QJsonParseError error {};
    const QJsonObject json
        = QJsonDocument::fromJson(process.readAllStandardOutput(), &error).object();
    EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();

    parsed.subject = json.value(QStringLiteral("subject")).toString();
    parsed.fromName = json.value(QStringLiteral("fromName")).toString();
    parsed.fromAddress = json.value(QStringLiteral("fromAddress")).toString();
    parsed.toName = json.value(QStringLiteral("toName")).toString();
    parsed.toAddress = json.value(QStringLiteral("toAddress")).toString();
    parsed.legacyFromName = json.value(QStringLiteral("legacyFromName")).toString();
    parsed.legacyToName = json.value(QStringLiteral("legacyToName")).toString();
    parsed.body = json.value(QStringLiteral("body")).toString();
    parsed.messageId = json.value(QStringLiteral("messageId")).toString();
    parsed.date = json.value(QStringLiteral("date")).toString();
    parsed.transferEncoding = json.value(QStringLiteral("cte")).toString();
    parsed.defects = json.value(QStringLiteral("defects")).toString();
    return parsed;
}

QString withoutSpaces(QString text)
{
    return text.remove(QLatin1Char(' '));
}

void expectLineLimits(const QByteArray &wire)
{
    const QByteArray headers = headerPart(wire);
    for (const QByteArray &line : wireLines(headers)) {
        EXPECT_LE(line.size(), 78) << line.toStdString();
        for (const char c : line)
            EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "non-ASCII header: " << line.toStdString();
    }
    for (const QByteArray &line : wireLines(wire))
        EXPECT_LE(line.size(), 998);
}

const char *const JapaneseSubject = "ご注文の確認：ドメイン更新のお知らせ（株式会社サンプル）– "
                                    "お支払いは三十日以内にお願いいたします";

} // namespace

TEST(MimeMessageTest, AsciiMessageHasTheExpectedHeaders)
{
    const QByteArray wire = build(asciiFields()).toWire(true);
    const QByteArray headers = headerPart(wire);
    EXPECT_EQ(headers,
        "Date: Tue, 05 Mar 2024 14:07:09 +0100\r\n"
        "From: \"ResellerDesk\" <noreply@reseller.example>\r\n"
        "To: \"Jane Doe\" <jane@customer.example>\r\n"
        "Subject: Your ResellerDesk account\r\n"
        "Message-ID: "
            + build(asciiFields()).messageId()
            + "\r\n"
              "MIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=UTF-8\r\n"
              "Content-Transfer-Encoding: 8bit\r\n");
    EXPECT_EQ(bodyPart(wire), "Hello Jane,\r\n\r\nyour account is ready.\r\n");
    EXPECT_EQ(build(asciiFields()).envelopeFrom(), "noreply@reseller.example");
    EXPECT_EQ(build(asciiFields()).envelopeTo(), "jane@customer.example");
}

TEST(MimeMessageTest, NonAsciiNamesAndSubjectsBecomeEncodedWords)
{
    MimeMessage::Fields f = asciiFields();
    f.from.displayName = u8("Zoë Ångström");
    f.to.displayName = u8("山田 太郎");
    f.subject = u8("Überweisung für Müller GmbH — 3 €");
    const QByteArray wire = build(f).toWire(false);

    EXPECT_TRUE(headerValue(wire, "From").startsWith("=?UTF-8?B?"));
    EXPECT_TRUE(headerValue(wire, "From").endsWith("?= <noreply@reseller.example>"));
    EXPECT_TRUE(headerValue(wire, "To").startsWith("=?UTF-8?B?"));
    EXPECT_TRUE(headerValue(wire, "Subject").startsWith("=?UTF-8?B?"));
    expectLineLimits(wire);
}

TEST(MimeMessageTest, AsciiDisplayNamesAreQuotedAndEscaped)
{
    MimeMessage::Fields f = asciiFields();
    f.to.displayName = QStringLiteral("Doe, Jane \"JD\" \\ Sales");
    const QByteArray wire = build(f).toWire(true);
    EXPECT_EQ(
        headerValue(wire, "To"), "\"Doe, Jane \\\"JD\\\" \\\\ Sales\" <jane@customer.example>");
    EXPECT_EQ(parseWithPython(wire).toName, f.to.displayName);
}

TEST(MimeMessageTest, LongSubjectsAreFolded)
{
    MimeMessage::Fields f = asciiFields();
    f.subject = QStringLiteral("Reminder: the free trial of Northwind Traders International "
                               "Holdings Limited ends on 2024-03-12; contact your reseller to "
                               "continue with a paid plan before the end of the trial period");
    QByteArray wire = build(f).toWire(true);
    EXPECT_GE(headerPart(wire).count("\r\n "), 2);
    EXPECT_EQ(headerValue(wire, "Subject"), f.subject.toLatin1());
    expectLineLimits(wire);

    f.subject = u8(JapaneseSubject);
    wire = build(f).toWire(true);
    EXPECT_GE(headerPart(wire).count("\r\n =?UTF-8?B?"), 2);
    expectLineLimits(wire);

    // A very long word cannot fold at a space; it is encoded instead.
    f.subject = QStringLiteral("x").repeated(300);
    wire = build(f).toWire(true);
    EXPECT_TRUE(headerValue(wire, "Subject").startsWith("=?UTF-8?B?"));
    expectLineLimits(wire);
}

TEST(MimeMessageTest, TextLookingLikeAnEncodedWordIsEncoded)
{
    MimeMessage::Fields f = asciiFields();
    f.subject = QStringLiteral("Literal =?UTF-8?B?SGk=?= text");
    const QByteArray wire = build(f).toWire(true);
    EXPECT_TRUE(headerValue(wire, "Subject").startsWith("=?UTF-8?B?"));
    EXPECT_EQ(parseWithPython(wire).subject, f.subject);
}

TEST(MimeMessageTest, MessageIdIsStableForTheSameRow)
{
    const MimeMessage::Fields f = asciiFields();
    const QByteArray id = build(f).messageId();
    EXPECT_TRUE(
        QRegularExpression(QStringLiteral("^<outbox-42\\.[0-9a-f]{16}@reseller\\.example>$"))
            .match(QString::fromLatin1(id))
            .hasMatch())
        << id.toStdString();

    // A rebuild for a resend, even with a new date and text, keeps the id.
    MimeMessage::Fields resend = f;
    resend.date = f.date.addSecs(3600);
    resend.body = QStringLiteral("Other text");
    EXPECT_EQ(build(resend).messageId(), id);
    EXPECT_EQ(headerValue(build(resend).toWire(false), "Message-ID"), id);

    MimeMessage::Fields other = f;
    other.stableId = 43;
    EXPECT_NE(build(other).messageId(), id);
    other = f;
    other.stableSeed = QStringLiteral("another database");
    EXPECT_NE(build(other).messageId(), id);
    other = f;
    other.to.address = QStringLiteral("someone@customer.example");
    EXPECT_NE(build(other).messageId(), id);
}

TEST(MimeMessageTest, DateIsRfc5322WhateverTheLocale)
{
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    EXPECT_EQ(
        MimeMessage::formatDate(QDateTime(QDate(2024, 3, 5), QTime(14, 7, 9), QTimeZone(3600))),
        "Tue, 05 Mar 2024 14:07:09 +0100");
    EXPECT_EQ(MimeMessage::formatDate(
                  QDateTime(QDate(2023, 12, 31), QTime(23, 59, 59), QTimeZone::utc())),
        "Sun, 31 Dec 2023 23:59:59 +0000");
    EXPECT_EQ(MimeMessage::formatDate(
                  QDateTime(QDate(2024, 7, 1), QTime(0, 0), QTimeZone(-(9 * 3600 + 1800)))),
        "Mon, 01 Jul 2024 00:00:00 -0930");
    EXPECT_EQ(MimeMessage::formatDate(QDateTime(
                  QDate(2024, 10, 27), QTime(8, 5), QTimeZone(QByteArrayLiteral("Asia/Kolkata")))),
        "Sun, 27 Oct 2024 08:05:00 +0530");
    QLocale::setDefault(previous);

    MimeMessage::Fields f = asciiFields();
    f.date = QDateTime();
    ASSERT_FALSE(MimeMessage::create(f));
    EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("date"));
}

TEST(MimeMessageTest, QuotedPrintableBodyRoundTrips)
{
    MimeMessage::Fields f = asciiFields();
    f.body = u8("Grüße aus Köln — 3 € = drei Euro.\n"
                "Trailing blanks stay   \n"
                "\ttab first\r\n"
                ".a line starting with a dot\r"
                "From the start of a line\n")
        + u8("日本語のテキスト、").repeated(20) + QStringLiteral("\n")
        + QStringLiteral("a").repeated(2000);
    const QByteArray wire = build(f).toWire(false);
    EXPECT_EQ(headerValue(wire, "Content-Transfer-Encoding"), "quoted-printable");

    const QByteArray body = bodyPart(wire);
    for (const QByteArray &line : wireLines(body)) {
        EXPECT_LE(line.size(), 76) << line.toStdString();
        EXPECT_FALSE(line.endsWith(' ') || line.endsWith('\t')) << line.toStdString();
        for (const char c : line)
            EXPECT_TRUE((c >= 0x20 && c < 0x7f) || c == '\t') << line.toStdString();
    }
    QString expected = f.body;
    expected.replace(QStringLiteral("\r\n"), QStringLiteral("\n"))
        .replace(QLatin1Char('\r'), QLatin1Char('\n'));
    expected += QLatin1Char('\n');
    EXPECT_EQ(QString::fromUtf8(decodeQuotedPrintable(body))
                  .replace(QStringLiteral("\r\n"), QStringLiteral("\n")),
        expected);
    EXPECT_EQ(parseWithPython(wire).body, expected);
    expectLineLimits(wire);
}

TEST(MimeMessageTest, EightBitBodyIsRawUtf8WithCrlf)
{
    MimeMessage::Fields f = asciiFields();
    f.body = u8("Grüße, Zoë\nzweite Zeile\r\n日本語");
    const QByteArray wire = build(f).toWire(true);
    EXPECT_EQ(headerValue(wire, "Content-Transfer-Encoding"), "8bit");
    EXPECT_EQ(bodyPart(wire), u8("Grüße, Zoë\r\nzweite Zeile\r\n日本語\r\n").toUtf8());
    EXPECT_EQ(parseWithPython(wire).body, u8("Grüße, Zoë\nzweite Zeile\n日本語\n"));
}

TEST(MimeMessageTest, EightBitFallsBackToQuotedPrintableForOverlongLines)
{
    MimeMessage::Fields f = asciiFields();
    f.body = u8("ü").repeated(500); // 1000 octets on one line
    QByteArray wire = build(f).toWire(true);
    EXPECT_EQ(headerValue(wire, "Content-Transfer-Encoding"), "quoted-printable");
    expectLineLimits(wire);
    EXPECT_EQ(parseWithPython(wire).body, f.body + QLatin1Char('\n'));

    f.body = u8("ü").repeated(499); // 998 octets still fit
    wire = build(f).toWire(true);
    EXPECT_EQ(headerValue(wire, "Content-Transfer-Encoding"), "8bit");
    expectLineLimits(wire);
}

TEST(MimeMessageTest, DotStuffingDoublesLeadingDots)
{
    EXPECT_EQ(MimeMessage::dotStuffed(".\r\n"), "..\r\n");
    EXPECT_EQ(MimeMessage::dotStuffed("a\r\n.\r\nb.\r\n..c\r\n"), "a\r\n..\r\nb.\r\n...c\r\n");
    EXPECT_EQ(MimeMessage::dotStuffed("no dots\r\n"), "no dots\r\n");
    EXPECT_EQ(MimeMessage::dotStuffed(""), "");

    // A message whose body would otherwise end DATA early.
    MimeMessage::Fields f = asciiFields();
    f.body = QStringLiteral("before\n.\nafter\n");
    const QByteArray stuffed = MimeMessage::dotStuffed(build(f).toWire(true));
    EXPECT_FALSE(stuffed.contains("\r\n.\r\n"));
    EXPECT_TRUE(stuffed.endsWith("after\r\n"));
}

TEST(MimeMessageTest, LineBreaksInHeaderInputsAreRefused)
{
    const QString injections[] = {
        QStringLiteral("Hi\r\nBcc: victim@example.com"),
        QStringLiteral("Hi\nBcc: victim@example.com"),
        QStringLiteral("Hi\rBcc: victim@example.com"),
        QStringLiteral("Hi\r\n\r\nbody"),
        QStringLiteral("Hi\u0085Bcc: x"),
        QStringLiteral("Hi\tthere"),
    };
    for (const QString &bad : injections) {
        MimeMessage::Fields f = asciiFields();
        f.subject = bad;
        Result<MimeMessage> m = MimeMessage::create(f);
        ASSERT_FALSE(m) << bad.toStdString();
        EXPECT_EQ(m.error().code(), ErrorCode::InvalidInput);
        EXPECT_EQ(m.error().field(), QStringLiteral("subject"));

        f = asciiFields();
        f.from.displayName = bad;
        ASSERT_FALSE(MimeMessage::create(f));
        EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("fromName"));

        f = asciiFields();
        f.to.displayName = bad;
        ASSERT_FALSE(MimeMessage::create(f));
        EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("toName"));
    }
    const QString badAddresses[] = {
        QStringLiteral("jane@customer.example\r\nBcc: victim@example.com"),
        QStringLiteral("jane@customer.example\n"),
        QStringLiteral("jane@customer.example\r\n"),
        QStringLiteral("\r\njane@customer.example"),
    };
    for (const QString &bad : badAddresses) {
        MimeMessage::Fields f = asciiFields();
        f.to.address = bad;
        ASSERT_FALSE(MimeMessage::create(f)) << bad.toStdString();
        EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("toAddress"));
        f = asciiFields();
        f.from.address = bad;
        ASSERT_FALSE(MimeMessage::create(f)) << bad.toStdString();
        EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("fromAddress"));
    }
    MimeMessage::Fields f = asciiFields();
    f.messageIdDomain = QStringLiteral("reseller.example\r\nBcc: x@y.z");
    ASSERT_FALSE(MimeMessage::create(f));
    EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("messageIdDomain"));

    // Body line breaks are content, never headers.
    f = asciiFields();
    f.body = QStringLiteral("\r\nBcc: victim@example.com\r\n");
    const QByteArray wire = build(f).toWire(true);
    EXPECT_FALSE(headerPart(wire).contains("Bcc"));
}

TEST(MimeMessageTest, AddressesMustBeSendable)
{
    MimeMessage::Fields f = asciiFields();
    f.to.address = u8("jürgen@customer.example");
    ASSERT_FALSE(MimeMessage::create(f));
    EXPECT_EQ(MimeMessage::create(f).error().field(), QStringLiteral("toAddress"));

    f = asciiFields();
    f.to.address = QStringLiteral("not an address");
    ASSERT_FALSE(MimeMessage::create(f));

    // Internationalised domains go out as punycode.
    f = asciiFields();
    f.to.address = u8("info@bücher.example");
    f.messageIdDomain = u8("bücher.example");
    const MimeMessage m = build(f);
    EXPECT_EQ(m.envelopeTo(), "info@xn--bcher-kva.example");
    EXPECT_TRUE(m.messageId().endsWith("@xn--bcher-kva.example>"));

    f = asciiFields();
    f.stableId = 0;
    ASSERT_FALSE(MimeMessage::create(f));
}

TEST(MimeMessageTest, PythonEmailPackageReadsWhatWeWrite)
{
    struct Case
    {
        const char *fromName;
        const char *toName;
        const char *subject;
        const char *body;
    };
    const Case cases[] = {
        {"ResellerDesk", "Jane Doe", "Your account", "Hello Jane,\n\nplain ASCII.\n"},
        {"Zoë Ångström", "Jürgen Müller", "Überweisung für Müller GmbH — 3 €",
            "Grüße,\nZoë\n.\n..\n"},
        {"株式会社サンプル 営業部", "山田 太郎", JapaneseSubject,
            "山田様\n\nご注文ありがとうございます。\n"},
        {"", "A very long ASCII display name that cannot possibly fit on the To line at all",
            "Reminder: the free trial of Northwind Traders International Holdings Limited ends "
            "on 2024-03-12; contact your reseller",
            "Trailing space   \nequals = sign\n"},
        {"O'Brien \"Support\"", "", "Trial ends — in 3 days 🎉 (ok)", "Emoji 🎉 body\n"},
    };
    int caseNumber = 0;
    for (const Case &c : cases) {
        for (const bool eightBit : {true, false}) {
            SCOPED_TRACE(
                testing::Message() << "case " << caseNumber << (eightBit ? " 8bit" : " qp"));
            MimeMessage::Fields f = asciiFields();
            f.from.displayName = u8(c.fromName);
            f.to.displayName = u8(c.toName);
            f.subject = u8(c.subject);
            f.body = u8(c.body);
            f.date = QDateTime(QDate(2024, 2, 29), QTime(9, 30, 15), QTimeZone(-5 * 3600));
            const MimeMessage m = build(f);
            const QByteArray wire = m.toWire(eightBit);
            expectLineLimits(wire);

            const Parsed parsed = parseWithPython(wire);
            EXPECT_EQ(parsed.defects, QString());
            EXPECT_EQ(parsed.subject, f.subject);
            EXPECT_EQ(parsed.legacyFromName, f.from.displayName);
            EXPECT_EQ(parsed.legacyToName, f.to.displayName);
            EXPECT_EQ(withoutSpaces(parsed.fromName), withoutSpaces(f.from.displayName));
            EXPECT_EQ(withoutSpaces(parsed.toName), withoutSpaces(f.to.displayName));
            if (headerValue(wire, "From").count("=?") <= 1) {
                EXPECT_EQ(parsed.fromName, f.from.displayName);
            }
            if (headerValue(wire, "To").count("=?") <= 1) {
                EXPECT_EQ(parsed.toName, f.to.displayName);
            }
            EXPECT_EQ(parsed.fromAddress, f.from.address);
            EXPECT_EQ(parsed.toAddress, f.to.address);
            EXPECT_EQ(parsed.body, f.body);
            EXPECT_EQ(parsed.messageId, QString::fromLatin1(m.messageId()));
            EXPECT_EQ(parsed.date, QStringLiteral("2024-02-29T09:30:15-05:00"));
            EXPECT_EQ(parsed.transferEncoding,
                eightBit ? QStringLiteral("8bit") : QStringLiteral("quoted-printable"));
        }
        ++caseNumber;
    }
}

// Rule 9: the client learns who opened their view, why and until when; the
// notice carries no secret.
TEST(MessageComposerTest, LoginAsNoticeNamesWhoWhyAndUntilWhen)
{
    const QDateTime start(QDate(2026, 3, 14), QTime(9, 30), Qt::UTC);
    const rd::ComposedMessage m
        = rd::MessageComposer::loginAsNotice(QStringLiteral("Oakridge Dental"),
            QStringLiteral("Jürgen Müller"), QStringLiteral("Sam Support"),
            QStringLiteral("Ticket 4711: invoice question"), start, start.addSecs(3600));
    EXPECT_TRUE(m.subject.contains(QStringLiteral("Oakridge Dental")));
    for (const char *part : {"Jürgen Müller", "Sam Support", "Ticket 4711: invoice question",
             "2026-03-14 09:30 UTC", "2026-03-14 10:30 UTC"})
        EXPECT_TRUE(m.body.contains(QString::fromUtf8(part))) << part;
    EXPECT_FALSE(m.body.contains(rd::MessageComposer::secretPlaceholder()));
}

TEST(MessageComposerTest, PasswordResetCarriesOnlyThePlaceholder)
{
    const rd::ComposedMessage m = rd::MessageComposer::passwordReset(QStringLiteral("Northwind"),
        QStringLiteral("Ann"), QStringLiteral("ann@northwind.test"),
        QDateTime(QDate(2026, 3, 21), QTime(9, 30), Qt::UTC));
    EXPECT_TRUE(m.body.contains(rd::MessageComposer::secretPlaceholder()));
    EXPECT_TRUE(m.body.contains(QStringLiteral("2026-03-21 09:30 UTC")));
}
