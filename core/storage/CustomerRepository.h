#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

enum class BillingStatus { Trial, Paid };
enum class AssignmentKind { Owner, Additional };

struct CustomerRow
{
    qint64 id = 0;
    QString companyName;
    QString domain; // normalised (DomainName::ascii()), empty when none
    QString contactName;
    QString contactEmail;
    QString contactPhone; // E.164, empty when none
    qint64 planId = 0;
    qint64 priceListId = 0;
    qint64 ownerResellerId = 0; // 0: a direct account
    qint64 primaryUserId = 0;
    BillingStatus billingStatus = BillingStatus::Trial;
    QDateTime trialEndsAt;
    int trialBudget = 0;
    QDateTime convertedAt;
    qint64 convertedBy = 0;
    bool active = true;
    bool noEmail = false;
    QDateTime createdAt;
    qint64 createdBy = 0;
    QDateTime updatedAt;
    int version = 1;
};

struct AssignmentRow
{
    qint64 id = 0;
    qint64 customerId = 0;
    qint64 resellerId = 0;
    AssignmentKind kind = AssignmentKind::Additional;
    QDateTime assignedAt;
    qint64 assignedBy = 0;
    QDateTime endedAt;
    qint64 endedBy = 0;
    int version = 1;
};

// Customers (client accounts) and their reseller assignments.
class CustomerRepository final
{
    Q_DECLARE_TR_FUNCTIONS(CustomerRepository)

public:
    explicit CustomerRepository(Database &db);

    Result<qint64> insert(const CustomerRow &customer);
    Result<CustomerRow> find(qint64 id) const;
    // Applies only if the row still has customer.version (rule 14); returns
    // the new version, or ErrorCode::Conflict ("changed by someone else").
    Result<int> update(const CustomerRow &customer);

    // Other customers using this domain (a warning, not an error: rule 2).
    Result<QList<qint64>> idsWithDomain(const QString &domain, qint64 exceptId = 0) const;

    Result<qint64> insertAssignment(const AssignmentRow &assignment);
    Result<QList<AssignmentRow>> assignments(qint64 customerId) const;

private:
    Database &m_db;
};

} // namespace rd
