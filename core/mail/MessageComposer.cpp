#include "mail/MessageComposer.h"

namespace rd {

namespace {

QString utcDate(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

} // namespace

QString MessageComposer::secretPlaceholder()
{
    return QStringLiteral("{{one-time-code}}");
}

ComposedMessage MessageComposer::setupEmail(const QString &companyName, const QString &contactName,
    const QString &loginEmail, const QDateTime &codeExpiresAt)
{
    ComposedMessage m;
    m.subject = tr("Your ResellerDesk account for %1").arg(companyName);
    m.body = tr("Hello %1,\n\n"
                "an account has been set up for %2.\n\n"
                "Sign in to ResellerDesk with\n"
                "  email: %3\n"
                "  temporary password: %4\n\n"
                "The temporary password works once and expires on %5. You will choose your own "
                "password when you sign in; after that ResellerDesk opens your account's view "
                "with your plan, trial and usage.\n")
                 .arg(contactName, companyName, loginEmail, secretPlaceholder(),
                     utcDate(codeExpiresAt));
    return m;
}

ComposedMessage MessageComposer::portalInvitation(
    const QString &portalName, const QString &contactName, const QString &loginEmail)
{
    ComposedMessage m;
    m.subject = tr("Your reseller portal %1 is ready").arg(portalName);
    m.body = tr("Hello %1,\n\n"
                "your reseller portal %2 has been created in ResellerDesk. Sign in as %3 with "
                "your usual password and choose \"%2\" to add and look after your own "
                "customers. Your account's own view stays available as before.\n")
                 .arg(contactName, portalName, loginEmail);
    return m;
}

ComposedMessage MessageComposer::userInvitation(const QString &contextName, const QString &userName,
    const QString &loginEmail, const QDateTime &codeExpiresAt)
{
    ComposedMessage m;
    m.subject = tr("You have been invited to ResellerDesk (%1)").arg(contextName);
    m.body
        = tr("Hello %1,\n\n"
             "you now have access to %2 in ResellerDesk.\n\n"
             "Sign in with\n"
             "  email: %3\n"
             "  temporary password: %4\n\n"
             "The temporary password works once and expires on %5; you will choose your "
             "own password when you sign in.\n")
              .arg(userName, contextName, loginEmail, secretPlaceholder(), utcDate(codeExpiresAt));
    return m;
}

ComposedMessage MessageComposer::trialReminder(
    const QString &companyName, const QString &contactName, const QDateTime &trialEndsAt)
{
    ComposedMessage m;
    m.subject = tr("Your ResellerDesk trial for %1 ends soon").arg(companyName);
    m.body = tr("Hello %1,\n\n"
                "the free trial of %2 ends on %3. Contact your reseller to continue with a paid "
                "plan.\n")
                 .arg(contactName, companyName, utcDate(trialEndsAt));
    return m;
}

} // namespace rd
