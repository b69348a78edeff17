#pragma once

#include <QCoreApplication>

#include "domain/Error.h"

namespace rd {

class Database;

// The queries behind the section 1 scope definition, so services can check a
// single entity against the acting membership.
class ScopeRepository final
{
    Q_DECLARE_TR_FUNCTIONS(ScopeRepository)

public:
    explicit ScopeRepository(Database &db);

    // A reseller's scope: customers with an open (owner or additional)
    // assignment to it, or every customer when its customer scope is "all".
    Result<bool> resellerSeesCustomer(qint64 resellerId, qint64 customerId) const;
    // The reseller itself or one of its direct sub-portals.
    Result<bool> isOwnOrSubPortal(qint64 ownResellerId, qint64 resellerId) const;
    // Whether the reseller's customer scope is "all".
    Result<bool> resellerSeesAllCustomers(qint64 resellerId) const;

private:
    Database &m_db;
};

} // namespace rd
