#include "TestWorld.h"

#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/ResellerRepository.h"
#include "storage/UserRepository.h"

namespace rd::test {

namespace {

Result<qint64> addReseller(
    Database &db, const QString &name, qint64 parentId, bool seesAll, const QList<qint64> &plans)
{
    ResellerRow r;
    r.name = name;
    r.parentId = parentId;
    r.commissionRateBp = 1000;
    r.customerScope = seesAll ? CustomerScope::All : CustomerScope::Assigned;
    r.createdAt = testNow();
    Result<qint64> id = ResellerRepository(db).insert(r);
    if (!id)
        return id;
    if (Status offered = ResellerRepository(db).setOfferedPlans(*id, plans); !offered)
        return fail(offered.error());
    return id;
}

Result<qint64> addCustomer(Database &db, const Catalogue &catalogue, const QString &company,
    qint64 ownerId, const QList<qint64> &additional)
{
    CustomerRow c;
    c.companyName = company;
    c.domain = company.toLower().remove(QLatin1Char(' ')) + QStringLiteral(".example");
    c.contactName = QStringLiteral("Contact of ") + company;
    c.contactEmail = QStringLiteral("contact@") + c.domain;
    c.planId = catalogue.planId;
    c.priceListId = catalogue.priceListId;
    c.ownerResellerId = ownerId;
    c.trialEndsAt = testNow().addDays(14);
    c.trialBudget = 500;
    c.createdAt = testNow();
    CustomerRepository customers(db);
    Result<qint64> id = customers.insert(c);
    if (!id)
        return id;
    auto assign = [&](qint64 resellerId, AssignmentKind kind) -> Status {
        AssignmentRow a;
        a.customerId = *id;
        a.resellerId = resellerId;
        a.kind = kind;
        a.assignedAt = testNow();
        Result<qint64> done = customers.insertAssignment(a);
        return done ? Status() : fail(done.error());
    };
    if (ownerId > 0) {
        if (Status s = assign(ownerId, AssignmentKind::Owner); !s)
            return fail(s.error());
    }
    for (qint64 resellerId : additional) {
        if (Status s = assign(resellerId, AssignmentKind::Additional); !s)
            return fail(s.error());
    }
    return id;
}

Result<Session> addUser(Database &db, const QString &email, Role role, qint64 contextId)
{
    UserRow u;
    u.email = email;
    u.emailKey = email.toLower();
    u.displayName = roleKey(role) + QStringLiteral(" user");
    u.createdAt = testNow();
    UserRepository users(db);
    Result<qint64> userId = users.insert(u);
    if (!userId)
        return fail(userId.error());
    Result<Membership> membership = Membership::create(*userId, role, contextId);
    if (!membership)
        return fail(membership.error());
    MembershipRow m;
    m.userId = *userId;
    m.role = role;
    if (contextKindOf(role) == ContextKind::Reseller)
        m.resellerId = contextId;
    else if (contextKindOf(role) == ContextKind::Customer)
        m.customerId = contextId;
    m.createdAt = testNow();
    Result<qint64> membershipId = users.insertMembership(m);
    if (!membershipId)
        return fail(membershipId.error());
    membership->setId(*membershipId);
    return Session(*userId, u.displayName, email, *membership);
}

} // namespace

Result<TestWorld> TestWorld::create(Database &db)
{
    TestWorld w;
    Result<Catalogue> catalogue = seedCatalogue(db); // standard plan, default list, reseller A
    if (!catalogue)
        return fail(catalogue.error());
    w.catalogue = *catalogue;
    w.resellerA = catalogue->resellerId;

    PlanRow premium;
    premium.code = QStringLiteral("premium");
    premium.name = QStringLiteral("Premium");
    premium.monthlyBudget = 50000;
    premium.createdAt = testNow();
    Result<qint64> premiumId = CatalogueRepository(db).insertPlan(premium);
    if (!premiumId)
        return fail(premiumId.error());
    w.premiumPlanId = *premiumId;
    if (Status priced
        = CatalogueRepository(db).setPrice(w.catalogue.priceListId, *premiumId, 19900);
        !priced)
        return fail(priced.error());

    const QList<qint64> standard {w.catalogue.planId};
    Result<qint64> a1
        = addReseller(db, QStringLiteral("A1 Sub-portal"), w.resellerA, false, standard);
    Result<qint64> b = addReseller(
        db, QStringLiteral("Reseller B"), 0, false, {w.catalogue.planId, w.premiumPlanId});
    Result<qint64> c = addReseller(db, QStringLiteral("Reseller C (all)"), 0, true, standard);
    if (!a1 || !b || !c)
        return fail(ErrorCode::DatabaseError, QStringLiteral("seeding resellers failed"));
    w.resellerA1 = *a1;
    w.resellerB = *b;
    w.resellerC = *c;

    Result<qint64> ca = addCustomer(db, w.catalogue, QStringLiteral("Alpha"), w.resellerA, {});
    Result<qint64> cb = addCustomer(db, w.catalogue, QStringLiteral("Bravo"), w.resellerB, {});
    Result<qint64> cab
        = addCustomer(db, w.catalogue, QStringLiteral("Shared"), w.resellerB, {w.resellerA});
    Result<qint64> ca1 = addCustomer(db, w.catalogue, QStringLiteral("Sub"), w.resellerA1, {});
    Result<qint64> cd = addCustomer(db, w.catalogue, QStringLiteral("Direct"), 0, {});
    if (!ca || !cb || !cab || !ca1 || !cd)
        return fail(ErrorCode::DatabaseError, QStringLiteral("seeding customers failed"));
    w.customerA = *ca;
    w.customerB = *cb;
    w.customerAB = *cab;
    w.customerA1 = *ca1;
    w.customerDirect = *cd;

    struct Seat
    {
        std::optional<Session> *slot;
        const char *email;
        Role role;
        qint64 context;
    };
    const Seat seats[] = {
        {&w.admin, "admin@vendor.example", Role::Administrator, 0},
        {&w.support, "support@vendor.example", Role::Support, 0},
        {&w.resellerAdmin, "admin@a.example", Role::ResellerAdmin, w.resellerA},
        {&w.resellerManager, "manager@a.example", Role::ResellerManager, w.resellerA},
        {&w.resellerUser, "user@a.example", Role::ResellerUser, w.resellerA},
        {&w.resellerAdminB, "admin@b.example", Role::ResellerAdmin, w.resellerB},
        {&w.resellerAdminA1, "admin@a1.example", Role::ResellerAdmin, w.resellerA1},
        {&w.resellerAdminC, "admin@c.example", Role::ResellerAdmin, w.resellerC},
        {&w.clientAdmin, "admin@alpha.example", Role::ClientAdmin, w.customerA},
        {&w.clientUser, "user@alpha.example", Role::ClientUser, w.customerA},
    };
    for (const Seat &seat : seats) {
        Result<Session> session
            = addUser(db, QString::fromLatin1(seat.email), seat.role, seat.context);
        if (!session)
            return fail(session.error());
        seat.slot->emplace(*session);
    }
    return w;
}

const Session &TestWorld::as(Role role) const
{
    switch (role) {
    case Role::Administrator:
        return *admin;
    case Role::Support:
        return *support;
    case Role::ResellerAdmin:
        return *resellerAdmin;
    case Role::ResellerManager:
        return *resellerManager;
    case Role::ResellerUser:
        return *resellerUser;
    case Role::ClientAdmin:
        return *clientAdmin;
    case Role::ClientUser:
        break;
    }
    return *clientUser;
}

} // namespace rd::test
