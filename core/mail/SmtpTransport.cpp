#include "mail/SmtpTransport.h"

#include <algorithm>
#include <expected>

#include <QDeadlineTimer>
#include <QHash>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStringList>

#include "mail/MimeMessage.h"
#include "services/Clock.h"

namespace rd {

namespace {

// A reply longer than this is not SMTP (RFC 5321 §4.5.3.1.5 allows 512).
constexpr qsizetype MaxReplyLine = 4096;
constexpr qsizetype MaxReplyLines = 100;
constexpr qsizetype MaxDetail = 400;
// QUIT is a courtesy: do not wait the full step timeout for it.
constexpr std::chrono::milliseconds QuitTimeout = std::chrono::seconds(3);

struct Reply
{
    int code = 0;
    QList<QByteArray> lines; // the text after "250-" / "250 "

    int kind() const { return code / 100; }
    QString text() const
    {
        QString joined
            = QString::number(code) + QLatin1Char(' ') + QString::fromUtf8(lines.join(' '));
        return joined.simplified().left(MaxDetail);
    }
};

DeliveryReceipt receipt(DeliveryOutcome outcome, QString detail)
{
    DeliveryReceipt result;
    result.outcome = outcome;
    result.detail = std::move(detail);
    return result;
}

// One SMTP conversation on one connection. Every step's failure is already
// the receipt to return, hence std::expected<…, DeliveryReceipt>.
class SmtpSession final
{
    Q_DECLARE_TR_FUNCTIONS(SmtpTransport)

public:
    template<typename T> using Step = std::expected<T, DeliveryReceipt>;

    explicit SmtpSession(const SmtpProfile &profile)
        : m_profile(profile)
    { }

    // Connect, greeting, EHLO, STARTTLS, AUTH: ready for MAIL FROM.
    Step<void> open();
    // MAIL FROM, RCPT TO, DATA.
    DeliveryReceipt transfer(const MimeMessage &message);
    // Best effort when the conversation is still in order; then closes.
    void close();

private:
    Step<void> connectToServer();
    Step<void> hello();
    Step<void> startTls();
    Step<void> authenticate();
    // Sends one command line (CRLF added) and reads the reply. The line is
    // never part of a receipt, so credentials may travel in it.
    Step<Reply> command(const QByteArray &line, const QString &step,
        DeliveryOutcome onFault = DeliveryOutcome::TemporaryFailure);
    Step<Reply> readReply(const QString &step, DeliveryOutcome onFault);
    bool writeAll(const QByteArray &data);
    // A reply that was not the one expected: 4xx temporary, 5xx permanent.
    DeliveryReceipt refusal(const Reply &reply, const QString &step,
        DeliveryOutcome otherwise = DeliveryOutcome::TemporaryFailure) const;
    // No usable reply: a timeout, a lost connection or garbage.
    DeliveryReceipt fault(const QString &step, DeliveryOutcome outcome);
    DeliveryReceipt temporary(const QString &detail) const
    {
        return receipt(DeliveryOutcome::TemporaryFailure, detail);
    }
    QString tlsErrorText() const;
    int remainingMs(const QDeadlineTimer &deadline) const
    {
        return static_cast<int>(std::max<qint64>(0, deadline.remainingTime()));
    }
    QByteArray clientName() const;

    const SmtpProfile &m_profile;
    QSslSocket m_socket;
    QByteArray m_buffer;
    QHash<QByteArray, QList<QByteArray>> m_extensions; // EHLO keyword → parameters
    bool m_timedOut = false;
    bool m_inOrder = true; // false after a fault: no QUIT then
};

SmtpSession::Step<void> SmtpSession::open()
{
    if (Step<void> connected = connectToServer(); !connected)
        return connected;
    Step<Reply> greeting = readReply(QStringLiteral("greeting"), DeliveryOutcome::TemporaryFailure);
    if (!greeting)
        return std::unexpected(greeting.error());
    if (greeting->code != 220)
        return std::unexpected(refusal(*greeting, QStringLiteral("greeting")));
    if (Step<void> greeted = hello(); !greeted)
        return greeted;
    if (m_profile.security == SmtpProfile::Security::StartTls) {
        if (Step<void> secured = startTls(); !secured)
            return secured;
    }
    if (!m_profile.userName.isEmpty())
        return authenticate();
    return {};
}

SmtpSession::Step<void> SmtpSession::connectToServer()
{
    const bool tls = m_profile.security != SmtpProfile::Security::Plain;
    if (tls) {
        if (!QSslSocket::supportsSsl())
            return std::unexpected(temporary(tr("TLS is not available on this computer.")));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setProtocol(QSsl::TlsV1_2OrLater);
        if (!m_profile.caFile.isEmpty()) {
            const QList<QSslCertificate> authorities
                = QSslCertificate::fromPath(m_profile.caFile, QSsl::Pem);
            if (authorities.isEmpty()) {
                return std::unexpected(temporary(
                    tr("The CA certificate file “%1” cannot be read or holds no certificate.")
                        .arg(m_profile.caFile)));
            }
            config.addCaCertificates(authorities);
        }
        m_socket.setSslConfiguration(config);
    }

    bool ready = false;
    if (m_profile.security == SmtpProfile::Security::ImplicitTls) {
        m_socket.connectToHostEncrypted(m_profile.host, m_profile.port);
        ready = m_socket.waitForEncrypted(static_cast<int>(m_profile.timeout.count()));
    } else {
        m_socket.connectToHost(m_profile.host, m_profile.port);
        ready = m_socket.waitForConnected(static_cast<int>(m_profile.timeout.count()));
    }
    if (ready) {
        // The body and the final "." are written separately; without this
        // Nagle holds the second write back for a delayed ACK (~40 ms each).
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return {};
    }
    m_inOrder = false;
    QString why = tlsErrorText();
    if (why.isEmpty()) {
        why = m_socket.error() == QAbstractSocket::SocketTimeoutError
            ? tr("no answer within %n second(s)", "",
                static_cast<int>(m_profile.timeout.count() / 1000))
            : m_socket.errorString();
    }
    return std::unexpected(temporary(tr("Cannot connect to the mail server %1:%2: %3")
                                         .arg(m_profile.host)
                                         .arg(m_profile.port)
                                         .arg(why)));
}

SmtpSession::Step<void> SmtpSession::hello()
{
    m_extensions.clear();
    Step<Reply> reply = command("EHLO " + clientName(), QStringLiteral("EHLO"));
    if (!reply)
        return std::unexpected(reply.error());
    if (reply->kind() == 5) {
        // An old server without ESMTP (RFC 5321 §4.1.4): no extensions then.
        reply = command("HELO " + clientName(), QStringLiteral("HELO"));
        if (!reply)
            return std::unexpected(reply.error());
        if (reply->code != 250)
            return std::unexpected(refusal(*reply, QStringLiteral("HELO")));
        return {};
    }
    if (reply->code != 250)
        return std::unexpected(refusal(*reply, QStringLiteral("EHLO")));
    // The first line greets; each further one is "KEYWORD params" (or the
    // old "AUTH=LOGIN" form).
    for (qsizetype i = 1; i < reply->lines.size(); ++i) {
        QList<QByteArray> words = reply->lines.at(i).simplified().split(' ');
        QByteArray keyword = words.takeFirst().toUpper();
        if (const qsizetype equals = keyword.indexOf('='); equals > 0) {
            words.prepend(keyword.mid(equals + 1));
            keyword.truncate(equals);
        }
        for (QByteArray &word : words)
            word = word.toUpper();
        m_extensions[keyword].append(words);
    }
    return {};
}

SmtpSession::Step<void> SmtpSession::startTls()
{
    if (!m_extensions.contains("STARTTLS")) {
        return std::unexpected(temporary(tr("The mail server %1 does not offer STARTTLS, which "
                                            "this profile requires.")
                                             .arg(m_profile.host)));
    }
    Step<Reply> reply = command("STARTTLS", QStringLiteral("STARTTLS"));
    if (!reply)
        return std::unexpected(reply.error());
    if (reply->code != 220)
        return std::unexpected(refusal(*reply, QStringLiteral("STARTTLS")));
    // Anything sent before the handshake could be an injected, unencrypted
    // reply (CVE-2011-0411 class): refuse rather than read it as secure.
    if (!m_buffer.isEmpty() || m_socket.bytesAvailable() > 0) {
        m_inOrder = false;
        return std::unexpected(
            temporary(tr("The mail server sent unexpected data before the TLS handshake.")));
    }
    m_socket.startClientEncryption();
    if (!m_socket.waitForEncrypted(static_cast<int>(m_profile.timeout.count()))) {
        m_inOrder = false;
        QString why = tlsErrorText();
        if (why.isEmpty())
            why = m_socket.errorString();
        return std::unexpected(
            temporary(tr("The TLS handshake with %1 failed: %2").arg(m_profile.host, why)));
    }
    // RFC 3207 §4.2: forget everything learnt before TLS.
    return hello();
}

SmtpSession::Step<void> SmtpSession::authenticate()
{
    if (!m_socket.isEncrypted() && !m_profile.allowCredentialsWithoutTls) {
        return std::unexpected(temporary(tr("The password is not sent over an unencrypted "
                                            "connection: choose STARTTLS or TLS for this "
                                            "mail server.")));
    }
    const QList<QByteArray> mechanisms = m_extensions.value("AUTH");
    const QByteArray user = m_profile.userName.toUtf8();
    const QByteArray password = m_profile.password.toUtf8();
    const QString step = QStringLiteral("AUTH");
    Step<Reply> reply;
    if (mechanisms.contains("PLAIN")) {
        reply = command("AUTH PLAIN " + QByteArray('\0' + user + '\0' + password).toBase64(), step);
    } else if (mechanisms.contains("LOGIN")) {
        reply = command("AUTH LOGIN", step);
        if (reply && reply->code == 334)
            reply = command(user.toBase64(), step);
        if (reply && reply->code == 334)
            reply = command(password.toBase64(), step);
    } else {
        return std::unexpected(temporary(tr("The mail server offers no sign-in method "
                                            "ResellerDesk supports (PLAIN or LOGIN).")));
    }
    if (!reply)
        return std::unexpected(reply.error());
    if (reply->code != 235)
        return std::unexpected(refusal(*reply, step));
    return {};
}

DeliveryReceipt SmtpSession::transfer(const MimeMessage &message)
{
    const bool eightBit = m_extensions.contains("8BITMIME");
    QByteArray mailFrom = "MAIL FROM:<" + message.envelopeFrom() + '>';
    if (eightBit)
        mailFrom += " BODY=8BITMIME";
    Step<Reply> reply = command(mailFrom, QStringLiteral("MAIL FROM"));
    if (!reply)
        return reply.error();
    if (reply->kind() != 2)
        return refusal(*reply, QStringLiteral("MAIL FROM"));

    reply = command("RCPT TO:<" + message.envelopeTo() + '>', QStringLiteral("RCPT TO"));
    if (!reply)
        return reply.error();
    if (reply->kind() != 2)
        return refusal(*reply, QStringLiteral("RCPT TO"));

    reply = command("DATA", QStringLiteral("DATA"));
    if (!reply)
        return reply.error();
    if (reply->code != 354)
        return refusal(*reply, QStringLiteral("DATA"));

    // Without the terminator the server cannot have accepted anything, so a
    // failure up to here is still worth a plain retry; from the terminator
    // on it may have been delivered.
    if (!writeAll(MimeMessage::dotStuffed(message.toWire(eightBit))))
        return fault(QStringLiteral("DATA"), DeliveryOutcome::TemporaryFailure);
    if (!writeAll(QByteArrayLiteral(".\r\n")))
        return fault(QStringLiteral("DATA"), DeliveryOutcome::Unknown);
    reply = readReply(QStringLiteral("DATA"), DeliveryOutcome::Unknown);
    if (!reply)
        return reply.error();
    if (reply->kind() != 2)
        return refusal(*reply, QStringLiteral("DATA"), DeliveryOutcome::Unknown);
    DeliveryReceipt sent = receipt(DeliveryOutcome::Sent, reply->text());
    sent.messageId = QString::fromLatin1(message.messageId());
    return sent;
}

void SmtpSession::close()
{
    if (m_inOrder && m_socket.state() == QAbstractSocket::ConnectedState
        && m_socket.write("QUIT\r\n") == 6) {
        const QDeadlineTimer deadline(std::min(m_profile.timeout, QuitTimeout));
        // The reply only tells us the server saw it; it changes nothing.
        while (!m_buffer.contains('\n') && m_socket.waitForReadyRead(remainingMs(deadline)))
            m_buffer += m_socket.readAll();
    }
    m_socket.abort();
}

SmtpSession::Step<Reply> SmtpSession::command(
    const QByteArray &line, const QString &step, DeliveryOutcome onFault)
{
    if (!writeAll(line + "\r\n"))
        return std::unexpected(fault(step, onFault));
    return readReply(step, onFault);
}

SmtpSession::Step<Reply> SmtpSession::readReply(const QString &step, DeliveryOutcome onFault)
{
    const QDeadlineTimer deadline(m_profile.timeout);
    Reply reply;
    for (;;) {
        const qsizetype end = m_buffer.indexOf('\n');
        if (end < 0) {
            if (m_buffer.size() > MaxReplyLine)
                return std::unexpected(fault(step, onFault));
            if (m_socket.bytesAvailable() == 0
                && !m_socket.waitForReadyRead(remainingMs(deadline))) {
                m_timedOut = m_socket.state() == QAbstractSocket::ConnectedState;
                return std::unexpected(fault(step, onFault));
            }
            m_buffer += m_socket.readAll();
            continue;
        }
        QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        // "250", "250-text" (more follows) or "250 text" (last line).
        const bool digits = line.size() >= 3
            && std::all_of(
                line.cbegin(), line.cbegin() + 3, [](char c) { return c >= '0' && c <= '9'; });
        const bool separated = line.size() == 3 || line.at(3) == ' ' || line.at(3) == '-';
        const int code = digits ? line.left(3).toInt() : 0;
        if (!digits || !separated || code < 200 || (reply.code != 0 && code != reply.code)
            || reply.lines.size() >= MaxReplyLines)
            return std::unexpected(fault(step, onFault));
        reply.code = code;
        reply.lines.append(line.mid(4));
        if (line.size() == 3 || line.at(3) == ' ')
            return reply;
    }
}

bool SmtpSession::writeAll(const QByteArray &data)
{
    if (m_socket.write(data) != data.size())
        return false;
    const QDeadlineTimer deadline(m_profile.timeout);
    while (m_socket.bytesToWrite() > 0) {
        if (!m_socket.waitForBytesWritten(remainingMs(deadline))) {
            m_timedOut = m_socket.state() == QAbstractSocket::ConnectedState;
            return false;
        }
    }
    return true;
}

DeliveryReceipt SmtpSession::refusal(
    const Reply &reply, const QString &step, DeliveryOutcome otherwise) const
{
    DeliveryOutcome outcome = otherwise;
    if (reply.kind() == 4)
        outcome = DeliveryOutcome::TemporaryFailure;
    else if (reply.kind() == 5)
        outcome = DeliveryOutcome::PermanentFailure;
    return receipt(outcome, tr("The mail server refused %1: %2").arg(step, reply.text()));
}

DeliveryReceipt SmtpSession::fault(const QString &step, DeliveryOutcome outcome)
{
    m_inOrder = false;
    QString why;
    if (m_timedOut) {
        why = tr("No answer from the mail server within %n second(s) (%1).", "",
            static_cast<int>(m_profile.timeout.count() / 1000))
                  .arg(step);
    } else if (m_socket.state() != QAbstractSocket::ConnectedState) {
        why = tr("The mail server closed the connection (%1).").arg(step);
    } else {
        why = tr("The mail server's answer is not valid SMTP (%1).").arg(step);
    }
    if (outcome == DeliveryOutcome::Unknown)
        why += QLatin1Char(' ') + tr("The message may have been delivered.");
    return receipt(outcome, why);
}

QString SmtpSession::tlsErrorText() const
{
    QStringList errors;
    for (const QSslError &error : m_socket.sslHandshakeErrors())
        errors.append(error.errorString());
    errors.removeDuplicates();
    return errors.join(QLatin1String("; "));
}

// EHLO wants our domain name; an address literal is always valid
// (RFC 5321 §4.1.3) and says no more than the connection already does.
QByteArray SmtpSession::clientName() const
{
    QHostAddress local = m_socket.localAddress();
    local.setScopeId({});
    if (local.protocol() == QAbstractSocket::IPv6Protocol)
        return "[IPv6:" + local.toString().toLatin1() + ']';
    return '[' + local.toString().toLatin1() + ']';
}

} // namespace

SmtpTransport::SmtpTransport(SmtpProfile profile, const Clock &clock)
    : m_profile(std::move(profile))
    , m_clock(clock)
{ }

DeliveryReceipt SmtpTransport::send(const OutgoingMail &mail)
{
    if (m_profile.host.isEmpty()) {
        return receipt(DeliveryOutcome::TemporaryFailure, tr("No mail server is set up."));
    }
    MimeMessage::Fields fields;
    fields.from = {m_profile.senderName, m_profile.senderAddress};
    fields.to = {{}, mail.recipient};
    fields.subject = mail.subject;
    fields.body = mail.body;
    fields.date = m_clock.now();
    fields.messageIdDomain = m_profile.senderAddress.section(QLatin1Char('@'), -1);
    fields.stableId = mail.outboxId;
    fields.stableSeed = m_profile.messageIdSeed + QLatin1Char('/') + mail.stableSeed;
    const Result<MimeMessage> message = MimeMessage::create(fields);
    if (!message) {
        // A bad sender is the profile's fault, fixed in settings: retry later.
        // Anything else is this message's own and will never get better.
        const QString &field = message.error().field();
        const bool profileFault = field == QLatin1String("fromName")
            || field == QLatin1String("fromAddress") || field == QLatin1String("messageIdDomain");
        return receipt(
            profileFault ? DeliveryOutcome::TemporaryFailure : DeliveryOutcome::PermanentFailure,
            message.error().message());
    }

    SmtpSession session(m_profile);
    DeliveryReceipt result;
    if (SmtpSession::Step<void> opened = session.open(); opened)
        result = session.transfer(*message);
    else
        result = opened.error();
    session.close();
    return result;
}

} // namespace rd
