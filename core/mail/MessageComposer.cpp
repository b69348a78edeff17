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

ComposedMessage MessageComposer::existingUserInvitation(const QString &contextName,
    const QString &userName, const QString &loginEmail, const QString &roleName)
{
    ComposedMessage m;
    m.subject = tr("You now have access to %1 in ResellerDesk").arg(contextName);
    m.body = tr("Hello %1,\n\n"
                "you now also have access to %2 in ResellerDesk, as %3.\n\n"
                "Sign in as usual with your email address %4 and your existing "
                "password, then choose %2 when ResellerDesk asks where to work.\n")
                 .arg(userName, contextName, roleName, loginEmail);
    return m;
}

ComposedMessage MessageComposer::passwordReset(const QString &contextName, const QString &userName,
    const QString &loginEmail, const QDateTime &codeExpiresAt)
{
    ComposedMessage m;
    m.subject = tr("Your ResellerDesk password has been reset");
    m.body
        = tr("Hello %1,\n\n"
             "your ResellerDesk password (for %2) has been reset; the old "
             "password no longer works.\n\n"
             "Sign in with\n"
             "  email: %3\n"
             "  temporary password: %4\n\n"
             "The temporary password works once and expires on %5; you will "
             "choose a new password when you sign in. If you did not ask for "
             "this, tell your administrator.\n")
              .arg(userName, contextName, loginEmail, secretPlaceholder(), utcDate(codeExpiresAt));
    return m;
}

ComposedMessage MessageComposer::loginAsNotice(const QString &companyName,
    const QString &contactName, const QString &actorName, const QString &reason,
    const QDateTime &startedAt, const QDateTime &endsAt)
{
    ComposedMessage m;
    m.subject = tr("Support opened your ResellerDesk account %1").arg(companyName);
    m.body = tr("Hello %1,\n\n"
                "%2 opened the ResellerDesk view of %3 on your behalf at %4 (until %5 at the "
                "latest).\n\n"
                "Reason given: %6\n\n"
                "Everything done during this visit is recorded in your account's audit trail. "
                "If you did not expect this, contact your reseller.\n")
                 .arg(contactName, actorName, companyName, utcDate(startedAt), utcDate(endsAt),
                     reason);
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
