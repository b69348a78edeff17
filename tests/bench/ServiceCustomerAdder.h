#pragma once

#include <QList>
#include <QString>

#include "CustomerListCandidate.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/CustomerService.h"

namespace rd::bench {

// "ours": CustomerService::addCustomer as the Add Customer wizard calls it
// (every rule 1-5 check: fields, phone, plan offered by the reseller, the
// duplicate login, the domain warning; user, customer, membership, owner
// assignment, setup email and audit event in one transaction).
class ServiceCustomerAdder final : public CustomerAdderCandidate
{
public:
    explicit ServiceCustomerAdder(const BenchContext &context);

    Status add(int serial) override;
    // Archives the added customers (their users and audit events stay).
    Status cleanUp() override;

private:
    BenchContext m_context;
    SystemClock m_clock;
    AccessControl m_access;
    CustomerService m_service;
    QString m_tag; // unique per run: logins must stay unique across runs
    QList<qint64> m_added;
};

} // namespace rd::bench
