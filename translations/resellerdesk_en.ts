<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ClientAccountService</name>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>The contact&apos;s name may be at most %n character.</numerusform>
            <numerusform>The contact&apos;s name may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerImportService</name>
    <message numerus="yes">
        <source>Lines %1 to %2 could not be saved: %3 The batch with these lines was undone; %n row(s) before it were imported.</source>
        <translation>
            <numerusform>Lines %1 to %2 could not be saved: %3 The batch with these lines was undone; %n row before it was imported.</numerusform>
            <numerusform>Lines %1 to %2 could not be saved: %3 The batch with these lines was undone; %n rows before it were imported.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerService</name>
    <message numerus="yes">
        <source>The company name may be at most %n characters.</source>
        <translation>
            <numerusform>The company name may be at most %n character.</numerusform>
            <numerusform>The company name may be at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The contact&apos;s name may be at most %n characters.</source>
        <translation>
            <numerusform>The contact&apos;s name may be at most %n character.</numerusform>
            <numerusform>The contact&apos;s name may be at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other customer(s) already use the domain %1.</source>
        <translation>
            <numerusform>%n other customer already uses the domain %1.</numerusform>
            <numerusform>%n other customers already use the domain %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The reason may be at most %n characters.</source>
        <translation>
            <numerusform>The reason may be at most %n character.</numerusform>
            <numerusform>The reason may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DispatchCommand</name>
    <message numerus="yes">
        <source>Delivering the email of %1 through %2:%3, looking every %n second(s); stop with SIGTERM or Ctrl+C.</source>
        <translation>
            <numerusform>Delivering the email of %1 through %2:%3, looking every %n second; stop with SIGTERM or Ctrl+C.</numerusform>
            <numerusform>Delivering the email of %1 through %2:%3, looking every %n seconds; stop with SIGTERM or Ctrl+C.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DomainName</name>
    <message numerus="yes">
        <source>a domain may be at most %n characters.</source>
        <translation>
            <numerusform>a domain may be at most %n character.</numerusform>
            <numerusform>a domain may be at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>each part between dots may be at most %n characters.</source>
        <translation>
            <numerusform>each part between dots may be at most %n character.</numerusform>
            <numerusform>each part between dots may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmailAddress</name>
    <message numerus="yes">
        <source>The part before the @ may be at most %n characters (letters beyond A–Z count as two to four).</source>
        <translation>
            <numerusform>The part before the @ may be at most %n character (letters beyond A–Z count as two to four).</numerusform>
            <numerusform>The part before the @ may be at most %n characters (letters beyond A–Z count as two to four).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>An email address may be at most %n characters.</source>
        <translation>
            <numerusform>An email address may be at most %n character.</numerusform>
            <numerusform>An email address may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImpersonationService</name>
    <message numerus="yes">
        <source>The reason is too long: at most %n characters.</source>
        <translation>
            <numerusform>The reason is too long: at most %n character.</numerusform>
            <numerusform>The reason is too long: at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalAuthenticator</name>
    <message numerus="yes">
        <source>This account is locked after too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>This account is locked after too many failed attempts. Try again in %n minute.</numerusform>
            <numerusform>This account is locked after too many failed attempts. Try again in %n minutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LockoutPolicy</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message numerus="yes">
        <source>%1 amounts have at most %n decimal places.</source>
        <translation>
            <numerusform>%1 amounts have at most %n decimal place.</numerusform>
            <numerusform>%1 amounts have at most %n decimal places.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PasswordHasher</name>
    <message numerus="yes">
        <source>A password needs at least %n characters.</source>
        <translation>
            <numerusform>A password needs at least %n character.</numerusform>
            <numerusform>A password needs at least %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A password may be at most %n characters.</source>
        <translation>
            <numerusform>A password may be at most %n character.</numerusform>
            <numerusform>A password may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PhoneNumber</name>
    <message numerus="yes">
        <source>A phone number may be at most %n characters.</source>
        <translation>
            <numerusform>A phone number may be at most %n character.</numerusform>
            <numerusform>A phone number may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResellerService</name>
    <message numerus="yes">
        <source>%n of the chosen plans no longer exist or were archived.</source>
        <translation>
            <numerusform>%n of the chosen plans no longer exists or was archived.</numerusform>
            <numerusform>%n of the chosen plans no longer exist or were archived.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SmtpSettings</name>
    <message numerus="yes">
        <source>The user name may have at most %n characters and no line breaks.</source>
        <translation>
            <numerusform>The user name may have at most %n character and no line breaks.</numerusform>
            <numerusform>The user name may have at most %n characters and no line breaks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The sender name may have at most %n characters.</source>
        <translation>
            <numerusform>The sender name may have at most %n character.</numerusform>
            <numerusform>The sender name may have at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SmtpTransport</name>
    <message numerus="yes">
        <source>no answer within %n second(s)</source>
        <translation>
            <numerusform>no answer within %n second</numerusform>
            <numerusform>no answer within %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No answer from the mail server within %n second(s) (%1).</source>
        <translation>
            <numerusform>No answer from the mail server within %n second (%1).</numerusform>
            <numerusform>No answer from the mail server within %n seconds (%1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrialPolicy</name>
    <message numerus="yes">
        <source>A trial can last at most %1 days after the account was created; this trial can be extended by at most %n more day(s).</source>
        <translation>
            <numerusform>A trial can last at most %1 days after the account was created; this trial can be extended by at most %n more day.</numerusform>
            <numerusform>A trial can last at most %1 days after the account was created; this trial can be extended by at most %n more days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UserService</name>
    <message numerus="yes">
        <source>The name may be at most %n characters.</source>
        <translation>
            <numerusform>The name may be at most %n character.</numerusform>
            <numerusform>The name may be at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The filter may be at most %n characters; shorten it.</source>
        <translation>
            <numerusform>The filter may be at most %n character; shorten it.</numerusform>
            <numerusform>The filter may be at most %n characters; shorten it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::AddUserDialog</name>
    <message numerus="yes">
        <source>%n accounts match.</source>
        <translation>
            <numerusform>%n account matches.</numerusform>
            <numerusform>%n accounts match.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ChangePasswordDialog</name>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>At least %n character</numerusform>
            <numerusform>At least %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::CloneCustomersDialog</name>
    <message numerus="yes">
        <source>Clone %n customer(s) to another reseller. Customers that cannot be cloned are skipped and listed afterwards.</source>
        <translation>
            <numerusform>Clone %n customer to another reseller. A customer that cannot be cloned is skipped and listed afterwards.</numerusform>
            <numerusform>Clone %n customers to another reseller. Customers that cannot be cloned are skipped and listed afterwards.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) cloned to %1.</source>
        <translation>
            <numerusform>%n customer cloned to %1.</numerusform>
            <numerusform>%n customers cloned to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped, as listed below.</source>
        <translation>
            <numerusform>%n skipped, as listed below.</numerusform>
            <numerusform>%n skipped, as listed below.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::CompanyPage</name>
    <message numerus="yes">
        <source>%n other customers already use the domain %1. Make sure this is not a customer that exists already.</source>
        <translation>
            <numerusform>%n other customer already uses the domain %1. Make sure this is not a customer that exists already.</numerusform>
            <numerusform>%n other customers already use the domain %1. Make sure this is not a customer that exists already.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ConvertTrialDialog</name>
    <message numerus="yes">
        <source>%Ln identification(s) a month (the trial has %1)</source>
        <translation>
            <numerusform>%Ln identification a month (the trial has %1)</numerusform>
            <numerusform>%Ln identifications a month (the trial has %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln identification(s) a month</source>
        <translation>
            <numerusform>%Ln identification a month</numerusform>
            <numerusform>%Ln identifications a month</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ends on %1 (%n day(s) left)</source>
        <translation>
            <numerusform>Ends on %1 (%n day left)</numerusform>
            <numerusform>Ends on %1 (%n days left)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::CustomersPage</name>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n customer imported.</numerusform>
            <numerusform>%n customers imported.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::EditCustomerDialog</name>
    <message numerus="yes">
        <source>%1 (%Ln identification(s) a month)</source>
        <translation>
            <numerusform>%1 (%Ln identification a month)</numerusform>
            <numerusform>%1 (%Ln identifications a month)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ExtendTrialDialog</name>
    <message numerus="yes">
        <source>%1 (%n day(s) left)</source>
        <translation>
            <numerusform>%1 (%n day left)</numerusform>
            <numerusform>%1 (%n days left)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>At most %n day at a time.</numerusform>
            <numerusform>At most %n days at a time.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::FirstRunDialog</name>
    <message numerus="yes">
        <source>At least %n characters</source>
        <translation>
            <numerusform>At least %n character</numerusform>
            <numerusform>At least %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ImportCustomersDialog</name>
    <message numerus="yes">
        <source>%n row(s) in the file: </source>
        <translation>
            <numerusform>%n row in the file: </numerusform>
            <numerusform>%n rows in the file: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import stopped: %n customer(s) imported (lines %1–%2); the unfinished batch was undone and %3 valid rows were not imported.</source>
        <translation>
            <numerusform>Import stopped: %n customer imported (lines %1–%2); the unfinished batch was undone and %3 valid rows were not imported.</numerusform>
            <numerusform>Import stopped: %n customers imported (lines %1–%2); the unfinished batch was undone and %3 valid rows were not imported.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) imported.</source>
        <translation>
            <numerusform>%n customer imported.</numerusform>
            <numerusform>%n customers imported.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) refused; save the error report to correct and import them.</source>
        <translation>
            <numerusform>%n row refused; save the error report to correct and import it.</numerusform>
            <numerusform>%n rows refused; save the error report to correct and import them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Import %n Customer(s)</source>
        <translation>
            <numerusform>&amp;Import %n Customer</numerusform>
            <numerusform>&amp;Import %n Customers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::LoginAsDialog</name>
    <message numerus="yes">
        <source>You will see %1 exactly as the chosen client user sees it. The session is recorded in the audit log with your reason, ends after %n minute(s), and password, email and user changes are refused while it lasts.</source>
        <translation>
            <numerusform>You will see %1 exactly as the chosen client user sees it. The session is recorded in the audit log with your reason, ends after %n minute, and password, email and user changes are refused while it lasts.</numerusform>
            <numerusform>You will see %1 exactly as the chosen client user sees it. The session is recorded in the audit log with your reason, ends after %n minutes, and password, email and user changes are refused while it lasts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters.</source>
        <translation>
            <numerusform>At most %n character.</numerusform>
            <numerusform>At most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::MailStatusIndicator</name>
    <message numerus="yes">
        <source>Mail: %n failing</source>
        <translation>
            <numerusform>Mail: %n failing</numerusform>
            <numerusform>Mail: %n failing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mail: %n pending</source>
        <translation>
            <numerusform>Mail: %n pending</numerusform>
            <numerusform>Mail: %n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails waiting to be sent</source>
        <translation>
            <numerusform>%n email waiting to be sent</numerusform>
            <numerusform>%n emails waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails failed</source>
        <translation>
            <numerusform>%n email failed</numerusform>
            <numerusform>%n emails failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails of unknown outcome (not resent automatically)</source>
        <translation>
            <numerusform>%n email of unknown outcome (not resent automatically)</numerusform>
            <numerusform>%n emails of unknown outcome (not resent automatically)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::OutboxPage</name>
    <message numerus="yes">
        <source>%n emails</source>
        <translation>
            <numerusform>%n email</numerusform>
            <numerusform>%n emails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails are queued again.</source>
        <translation>
            <numerusform>%n email is queued again.</numerusform>
            <numerusform>%n emails are queued again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %n Emails</source>
        <translation>
            <numerusform>Cancel %n Email</numerusform>
            <numerusform>Cancel %n Emails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel the %n selected emails?</source>
        <translation>
            <numerusform>Cancel the %n selected email?</numerusform>
            <numerusform>Cancel the %n selected emails?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n emails are cancelled.</source>
        <translation>
            <numerusform>%n email is cancelled.</numerusform>
            <numerusform>%n emails are cancelled.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::PlanPage</name>
    <message numerus="yes">
        <source>%1-day trial with %Ln identifications</source>
        <translation>
            <numerusform>%1-day trial with %Ln identification</numerusform>
            <numerusform>%1-day trial with %Ln identifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln identification a month</numerusform>
            <numerusform>%1 — %Ln identifications a month</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::RaiseTrialBudgetDialog</name>
    <message numerus="yes">
        <source>%Ln identification(s)</source>
        <translation>
            <numerusform>%Ln identification</numerusform>
            <numerusform>%Ln identifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The trial budget is already at the maximum of %Ln identification(s).</source>
        <translation>
            <numerusform>The trial budget is already at the maximum of %Ln identification.</numerusform>
            <numerusform>The trial budget is already at the maximum of %Ln identifications.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln identification(s).</source>
        <translation>
            <numerusform>At most %Ln identification.</numerusform>
            <numerusform>At most %Ln identifications.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ResellerDialog</name>
    <message numerus="yes">
        <source>%1 — %Ln identifications a month</source>
        <translation>
            <numerusform>%1 — %Ln identification a month</numerusform>
            <numerusform>%1 — %Ln identifications a month</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ResellersPage</name>
    <message numerus="yes">
        <source>%1 of %Ln resellers</source>
        <translation>
            <numerusform>%1 of %Ln reseller</numerusform>
            <numerusform>%1 of %Ln resellers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln resellers</source>
        <translation>
            <numerusform>%Ln reseller</numerusform>
            <numerusform>%Ln resellers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::ReviewPage</name>
    <message numerus="yes">
        <source>%1 gets an email with the login and a one-time password that is valid for %n days, and how to open the client view.</source>
        <translation>
            <numerusform>%1 gets an email with the login and a one-time password that is valid for %n day, and how to open the client view.</numerusform>
            <numerusform>%1 gets an email with the login and a one-time password that is valid for %n days, and how to open the client view.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::TextLimits</name>
    <message numerus="yes">
        <source>%1 may be at most %n characters.</source>
        <translation>
            <numerusform>%1 may be at most %n character.</numerusform>
            <numerusform>%1 may be at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rd::UsersPage</name>
    <message numerus="yes">
        <source>Showing %1 of %n memberships</source>
        <translation>
            <numerusform>Showing %1 of %n membership</numerusform>
            <numerusform>Showing %1 of %n memberships</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n memberships</source>
        <translation>
            <numerusform>%n membership</numerusform>
            <numerusform>%n memberships</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n Memberships</source>
        <translation>
            <numerusform>Reactivate %n Membership</numerusform>
            <numerusform>Reactivate %n Memberships</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can be used again (unless their portal or account is deactivated).</source>
        <translation>
            <numerusform>The %n selected membership can be used again (unless its portal or account is deactivated).</numerusform>
            <numerusform>The %n selected memberships can be used again (unless their portal or account is deactivated).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n Memberships</source>
        <translation>
            <numerusform>Deactivate %n Membership</numerusform>
            <numerusform>Deactivate %n Memberships</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n selected memberships can no longer be used. Nothing is deleted: you can reactivate them later. A user with no usable membership left cannot sign in.</source>
        <translation>
            <numerusform>The %n selected membership can no longer be used. Nothing is deleted: you can reactivate it later. A user with no usable membership left cannot sign in.</numerusform>
            <numerusform>The %n selected memberships can no longer be used. Nothing is deleted: you can reactivate them later. A user with no usable membership left cannot sign in.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n memberships reactivated.</source>
        <translation>
            <numerusform>%n membership reactivated.</numerusform>
            <numerusform>%n memberships reactivated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n memberships deactivated.</source>
        <translation>
            <numerusform>%n membership deactivated.</numerusform>
            <numerusform>%n memberships deactivated.</numerusform>
        </translation>
    </message>
</context>
</TS>
