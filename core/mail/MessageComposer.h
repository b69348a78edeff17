#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace rd {

struct ComposedMessage
{
    QString subject;
    QString body;
};

// The texts of ResellerDesk's emails, translatable. A message that carries
// a secret holds only secretPlaceholder() in its body; the secret itself
// sits in the outbox row's secret column, is put in at delivery and is
// redacted afterwards, so it never reaches a log or the audit.
class MessageComposer final
{
    Q_DECLARE_TR_FUNCTIONS(MessageComposer)

public:
    static QString secretPlaceholder();

    static ComposedMessage setupEmail(const QString &companyName, const QString &contactName,
        const QString &loginEmail, const QDateTime &codeExpiresAt);
    // Rule 8: the customer's own reseller portal is ready.
    static ComposedMessage portalInvitation(
        const QString &portalName, const QString &contactName, const QString &loginEmail);
    // Rule 10: a new user; secretPlaceholder() stands for the one-time code.
    static ComposedMessage userInvitation(const QString &contextName, const QString &userName,
        const QString &loginEmail, const QDateTime &codeExpiresAt);
    // Rule 10: a login that already exists gets access to one more context;
    // no code, their password stays as it is.
    static ComposedMessage existingUserInvitation(const QString &contextName,
        const QString &userName, const QString &loginEmail, const QString &roleName);
    // secretPlaceholder() stands for the new one-time code.
    static ComposedMessage passwordReset(const QString &contextName, const QString &userName,
        const QString &loginEmail, const QDateTime &codeExpiresAt);
    // Rule 9: someone opened the client's view with Login As.
    static ComposedMessage loginAsNotice(const QString &companyName, const QString &contactName,
        const QString &actorName, const QString &reason, const QDateTime &startedAt,
        const QDateTime &endsAt);
    static ComposedMessage trialReminder(
        const QString &companyName, const QString &contactName, const QDateTime &trialEndsAt);
};

} // namespace rd
