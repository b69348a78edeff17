#pragma once

namespace rd {

class AuditService;
class Authenticator;
class CatalogueService;
class ConnectionProfile;
class ClientAccountService;
class Clock;
class CredentialStore;
class CustomerImportService;
class CustomerService;
class ImpersonationService;
class OutboxService;
class ResellerService;
class SettingsService;
class TransferService;
class UserService;

// The core services the windows and dialogs work with, created by the
// composition root (app/) and handed down. Every call a widget makes goes
// through one of them with the acting Session; they check permissions.
struct UiServices
{
    CustomerService &customers;
    ResellerService &resellers;
    TransferService &transfers;
    UserService &users;
    SettingsService &settings;
    CatalogueService &catalogue;
    OutboxService &outbox;
    // The system keychain (SMTP and PostgreSQL passwords).
    CredentialStore &credentials;
    Authenticator &authenticator;
    const Clock &clock;
    // The client view and the usage import.
    ClientAccountService &clientAccount;
    // Login As (rule 9).
    ImpersonationService &impersonation;
    AuditService &audit;
    // The open database, for work on a thread of its own (its own
    // connection: the customer export).
    const ConnectionProfile &database;
    // Bulk import of customers from CSV.
    CustomerImportService &customerImport;
};

} // namespace rd
