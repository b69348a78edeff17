#include "services/DemoData.h"

#include <QJsonObject>
#include <QRandomGenerator>

#include "domain/Currency.h"
#include "domain/EmailAddress.h"
#include "domain/Money.h"
#include "security/PasswordHasher.h"
#include "services/AuditLog.h"
#include "services/Clock.h"
#include "storage/CatalogueRepository.h"
#include "storage/CustomerRepository.h"
#include "storage/Database.h"
#include "storage/OrderRepository.h"
#include "storage/ResellerRepository.h"
#include "storage/UsageRepository.h"
#include "storage/UserRepository.h"
#include "storage/WriteTransaction.h"

namespace rd {

namespace {

constexpr int CustomerCount = 320;

const char *const CompanyWords[] = {"Alpine", "Harbor", "Juniper", "Granite", "Meadow", "Copper",
    "Summit", "Willow", "Beacon", "Cobalt", "Falcon", "Orchard", "Pioneer", "Quartz", "Redwood",
    "Saffron", "Tundra", "Vertex", "Atlas", "Birch", "Cedar", "Delta", "Ember", "Fjord"};
const char *const CompanyKinds[] = {"Foods", "Logistics", "Clinics", "Labs", "Robotics", "Studios",
    "Legal", "Retail", "Energy", "Analytics", "Travel", "Insurance"};
const char *const FirstNames[] = {"Ada", "Bruno", "Chloé", "Dmitri", "Elif", "Farah", "Gustav",
    "Hana", "Ivo", "Jonas", "Keiko", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa"};
const char *const LastNames[] = {"Andersen", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer",
    "García", "Huber", "Ito", "Jansen", "Kowalski", "Laurent", "Moreau", "Novak", "Okafor"};

template<typename T, std::size_t N> QString pick(const T (&list)[N], QRandomGenerator &random)
{
    return QString::fromUtf8(list[random.bounded(static_cast<quint32>(N))]);
}

QString asciiSlug(const QString &text)
{
    QString slug;
    for (const QChar c : text.normalized(QString::NormalizationForm_D).toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            slug.append(c);
    }
    return slug;
}

// Everything written in one transaction; any error rolls it all back.
class Seeder
{
public:
    Seeder(Database &db, const Clock &clock, QString passwordHash)
        : m_db(db)
        , m_now(clock.now())
        , m_passwordHash(std::move(passwordHash))
        , m_catalogue(db)
        , m_resellers(db)
        , m_customers(db)
        , m_users(db)
    { }

    Status run(DemoSummary &summary);

private:
    Result<qint64> user(const QString &email, const QString &name, bool withPassword);
    Status membership(qint64 userId, Role role, qint64 resellerId, qint64 customerId);
    Result<qint64> reseller(const QString &name, qint64 parentId, int commissionBp, int overrideBp,
        CustomerScope scope, qint64 priceListId, const QList<qint64> &plans);
    Status assignment(qint64 customerId, qint64 resellerId, AssignmentKind kind,
        const QDateTime &from, const QDateTime &until);
    // Rule 13: a few orders of each paid customer at its price-list price,
    // with the placing reseller's commission and its parent's override.
    Status orders(const QList<qint64> &paidCustomers);

    Database &m_db;
    QDateTime m_now;
    QString m_passwordHash;
    CatalogueRepository m_catalogue;
    ResellerRepository m_resellers;
    CustomerRepository m_customers;
    UserRepository m_users;
    QRandomGenerator m_random {20261123};
    int m_userCount = 0;
    int m_resellerCount = 0;
};

Result<qint64> Seeder::user(const QString &email, const QString &name, bool withPassword)
{
    const Result<EmailAddress> address = EmailAddress::parse(email);
    if (!address)
        return fail(address.error());
    UserRow u;
    u.email = address->typed();
    u.emailKey = address->key();
    u.displayName = name;
    if (withPassword) {
        u.passwordHash = m_passwordHash;
        u.mustChangePassword = false;
    }
    u.createdAt = m_now.addDays(-400);
    Result<qint64> id = m_users.insert(u);
    if (id)
        ++m_userCount;
    return id;
}

Status Seeder::membership(qint64 userId, Role role, qint64 resellerId, qint64 customerId)
{
    MembershipRow m;
    m.userId = userId;
    m.role = role;
    m.resellerId = resellerId;
    m.customerId = customerId;
    m.createdAt = m_now.addDays(-400);
    Result<qint64> id = m_users.insertMembership(m);
    return id ? Status() : fail(id.error());
}

Result<qint64> Seeder::reseller(const QString &name, qint64 parentId, int commissionBp,
    int overrideBp, CustomerScope scope, qint64 priceListId, const QList<qint64> &plans)
{
    ResellerRow r;
    r.name = name;
    r.parentId = parentId;
    r.commissionRateBp = commissionBp;
    r.overrideRateBp = overrideBp;
    r.customerScope = scope;
    r.pricing = priceListId ? PricingMode::Selected : PricingMode::Channel;
    r.priceListId = priceListId;
    r.createdAt = m_now.addDays(-500);
    Result<qint64> id = m_resellers.insert(r);
    if (!id)
        return id;
    ++m_resellerCount;
    if (Status offered = m_resellers.setOfferedPlans(*id, plans); !offered)
        return fail(offered.error());
    return id;
}

Status Seeder::assignment(qint64 customerId, qint64 resellerId, AssignmentKind kind,
    const QDateTime &from, const QDateTime &until)
{
    AssignmentRow a;
    a.customerId = customerId;
    a.resellerId = resellerId;
    a.kind = kind;
    a.assignedAt = from;
    a.endedAt = until;
    Result<qint64> id = m_customers.insertAssignment(a);
    return id ? Status() : fail(id.error());
}

Status Seeder::orders(const QList<qint64> &paidCustomers)
{
    OrderRepository orderRepository(m_db);
    for (const qint64 customerId : paidCustomers) {
        Result<CustomerRow> c = m_customers.find(customerId);
        if (!c)
            return fail(c.error());
        Result<PriceListRow> list = m_catalogue.priceList(c->priceListId);
        if (!list)
            return fail(list.error());
        Result<std::optional<qint64>> price = m_catalogue.price(c->priceListId, c->planId);
        if (!price)
            return fail(price.error());
        if (!price->has_value())
            continue;
        // The placing reseller earns its rate; its parent the override.
        int commissionBp = 0;
        int overrideBp = 0;
        qint64 parentId = 0;
        if (c->ownerResellerId != 0) {
            Result<ResellerRow> reseller = m_resellers.find(c->ownerResellerId);
            if (!reseller)
                return fail(reseller.error());
            commissionBp = reseller->commissionRateBp;
            parentId = reseller->parentId;
            overrideBp = parentId != 0 ? reseller->overrideRateBp : 0;
        }
        const Result<Currency> currency = Currency::parse(list->currency);
        if (!currency)
            return fail(currency.error());
        // (The demo inserts customers with their conversion time unset.)
        const QDateTime paidSince = c->convertedAt.isValid() ? c->convertedAt : c->createdAt;
        const qint64 sinceConversion = qMax<qint64>(1, paidSince.secsTo(m_now) / 86400); // days
        const int count = 1 + static_cast<int>(m_random.bounded(4u));
        for (int i = 0; i < count; ++i) {
            const int quantity = 1 + static_cast<int>(m_random.bounded(3u));
            const Money unit(**price, *currency);
            const Result<Money> total = unit.times(quantity);
            if (!total)
                return fail(total.error());
            OrderRow o;
            o.customerId = customerId;
            o.resellerId = c->ownerResellerId;
            o.parentResellerId = parentId;
            o.planId = c->planId;
            o.priceListId = c->priceListId;
            o.quantity = quantity;
            o.currency = list->currency;
            o.unitPrice = **price;
            o.total = total->minorUnits();
            o.commissionRateBp = commissionBp;
            o.commission = total->basisPoints(commissionBp).minorUnits();
            o.overrideRateBp = overrideBp;
            o.overrideCommission = total->basisPoints(overrideBp).minorUnits();
            o.createdAt = paidSince
                              .addDays(static_cast<qint64>(m_random.bounded(
                                  static_cast<quint32>(qMin<qint64>(sinceConversion, 365)))))
                              .addSecs(static_cast<int>(m_random.bounded(86400u)));
            if (o.createdAt > m_now)
                o.createdAt = m_now.addSecs(-3600);
            Result<qint64> id = orderRepository.insert(o);
            if (!id)
                return fail(id.error());
        }
    }
    return {};
}

Status Seeder::run(DemoSummary &summary)
{
    // Catalogue: four plans, the channel list in EUR and a partner list in USD.
    struct PlanSpec
    {
        const char *code;
        const char *name;
        int budget;
        qint64 eur;
        qint64 usd;
    };
    const PlanSpec planSpecs[]
        = {{"starter", "Starter", 1000, 2900, 3200}, {"standard", "Standard", 5000, 9900, 10900},
            {"professional", "Professional", 20000, 29900, 32900},
            {"enterprise", "Enterprise", 100000, 99900, 109900}};
    PriceListRow channel {0, QStringLiteral("Channel EUR"), QStringLiteral("EUR"), true, m_now, 1};
    PriceListRow partner {0, QStringLiteral("Partner USD"), QStringLiteral("USD"), false, m_now, 1};
    Result<qint64> channelId = m_catalogue.insertPriceList(channel);
    Result<qint64> partnerId = m_catalogue.insertPriceList(partner);
    if (!channelId || !partnerId)
        return fail(!channelId ? channelId.error() : partnerId.error());
    QList<qint64> plans;
    QList<int> budgets;
    for (const PlanSpec &spec : planSpecs) {
        PlanRow p;
        p.code = QString::fromLatin1(spec.code);
        p.name = QString::fromLatin1(spec.name);
        p.monthlyBudget = spec.budget;
        p.createdAt = m_now.addDays(-600);
        Result<qint64> id = m_catalogue.insertPlan(p);
        if (!id)
            return fail(id.error());
        if (Status s = m_catalogue.setPrice(*channelId, *id, spec.eur); !s)
            return s;
        if (Status s = m_catalogue.setPrice(*partnerId, *id, spec.usd); !s)
            return s;
        plans.append(*id);
        budgets.append(spec.budget);
    }
    const QList<qint64> withoutEnterprise = plans.mid(0, 3);

    // Vendor staff.
    Result<qint64> admin
        = user(DemoData::demoAdministratorEmail(), QStringLiteral("Avery Admin"), true);
    Result<qint64> support = user(
        QStringLiteral("support@demo.resellerdesk.test"), QStringLiteral("Sam Support"), true);
    if (!admin || !support)
        return fail(ErrorCode::DatabaseError, DemoData::tr("Could not create the demo staff."));
    if (Status s = membership(*admin, Role::Administrator, 0, 0); !s)
        return s;
    if (Status s = membership(*support, Role::Support, 0, 0); !s)
        return s;

    // Resellers: a hierarchy, one with its own price list, one that sees
    // every customer, one deactivated.
    Result<qint64> northwind = reseller(QStringLiteral("Northwind Partners"), 0, 1500, 0,
        CustomerScope::Assigned, 0, withoutEnterprise);
    if (!northwind)
        return fail(northwind.error());
    Result<qint64> contoso = reseller(QStringLiteral("Contoso Resellers"), 0, 2000, 0,
        CustomerScope::Assigned, *partnerId, plans);
    Result<qint64> fabrikam = reseller(
        QStringLiteral("Fabrikam Channel"), 0, 1200, 0, CustomerScope::Assigned, 0, plans);
    Result<qint64> east = reseller(QStringLiteral("Northwind East"), *northwind, 1000, 500,
        CustomerScope::Assigned, 0, withoutEnterprise);
    Result<qint64> tailspin = reseller(QStringLiteral("Tailspin Distribution"), 0, 1000, 0,
        CustomerScope::Assigned, 0, withoutEnterprise);
    if (!contoso || !fabrikam || !east || !tailspin)
        return fail(ErrorCode::DatabaseError, DemoData::tr("Could not create the demo resellers."));
    // Tailspin left the channel: deactivated, never deleted (rule 11).
    Result<ResellerRow> gone = m_resellers.find(*tailspin);
    if (!gone)
        return fail(gone.error());
    gone->active = false;
    gone->updatedAt = m_now.addDays(-20);
    if (Result<int> v = m_resellers.update(*gone); !v)
        return fail(v.error());

    struct Staff
    {
        const char *email;
        const char *name;
        Role role;
        qint64 reseller;
    };
    const Staff staff[] = {
        {"admin@northwind.test", "Nadia Northwind", Role::ResellerAdmin, *northwind},
        {"manager@northwind.test", "Milo Manager", Role::ResellerManager, *northwind},
        {"user@northwind.test", "Uma User", Role::ResellerUser, *northwind},
        {"admin@contoso.test", "Carlos Contoso", Role::ResellerAdmin, *contoso},
        {"admin@fabrikam.test", "Fiona Fabrikam", Role::ResellerAdmin, *fabrikam},
        {"admin@northwind-east.test", "Erik East", Role::ResellerAdmin, *east},
    };
    for (const Staff &s : staff) {
        Result<qint64> id = user(QString::fromLatin1(s.email), QString::fromUtf8(s.name), true);
        if (!id)
            return fail(id.error());
        if (Status m = membership(*id, s.role, s.reseller, 0); !m)
            return m;
    }

    // Customers, spread over the resellers, in every status.
    const QList<std::pair<qint64, int>> owners {
        {*northwind, 110}, {*contoso, 80}, {*fabrikam, 60}, {*east, 30}, {0, 25}, {*tailspin, 15}};
    QList<qint64> ownerPerCustomer;
    for (const auto &[owner, n] : owners) {
        for (int i = 0; i < n; ++i)
            ownerPerCustomer.append(owner);
    }
    int index = 0;
    QList<qint64> paidCustomers;
    qint64 litwareId = 0;
    qint64 litwareUser = 0;
    for (const qint64 owner : ownerPerCustomer) {
        ++index;
        const bool isLitware = owner == *contoso && litwareId == 0;
        const bool demoClient = index == 1; // the documented client login
        QString company;
        if (isLitware)
            company = QStringLiteral("Litware Inc.");
        else if (demoClient)
            company = QStringLiteral("Alpine Foods GmbH");
        else
            company = pick(CompanyWords, m_random) + QLatin1Char(' ') + pick(CompanyKinds, m_random)
                + (index % 3 == 0        ? QStringLiteral(" GmbH")
                        : index % 3 == 1 ? QStringLiteral(" Ltd")
                                         : QStringLiteral(" SAS"));
        const QString domain = demoClient
            ? QStringLiteral("alpinefoods.test")
            : asciiSlug(company) + QString::number(index) + QStringLiteral(".test");
        const QString first = demoClient ? QStringLiteral("Priya") : pick(FirstNames, m_random);
        const QString last = demoClient ? QStringLiteral("Costa") : pick(LastNames, m_random);
        const QString email
            = asciiSlug(first) + QLatin1Char('.') + asciiSlug(last) + QLatin1Char('@') + domain;
        Result<qint64> contactUser = user(email, first + QLatin1Char(' ') + last, demoClient);
        if (!contactUser)
            return fail(contactUser.error());

        const QList<qint64> &offered
            = owner == *contoso || owner == *fabrikam || owner == 0 ? plans : withoutEnterprise;
        const int planIndex
            = static_cast<int>(m_random.bounded(static_cast<quint32>(offered.size())));
        const QDateTime created = m_now.addDays(-static_cast<int>(m_random.bounded(365u)) - 1)
                                      .addSecs(static_cast<int>(m_random.bounded(86400u)));
        const int kind = static_cast<int>(m_random.bounded(100u));
        CustomerRow c;
        c.companyName = company;
        c.domain = domain;
        c.contactName = first + QLatin1Char(' ') + last;
        c.contactEmail = email;
        c.contactPhone = QStringLiteral("+4930%1").arg(1000000 + index * 37);
        c.planId = offered.at(planIndex);
        c.priceListId = owner == *contoso ? *partnerId : *channelId;
        c.ownerResellerId = owner;
        c.primaryUserId = *contactUser;
        c.createdAt = created;
        if (kind < 30 || demoClient) { // trial, running
            c.billingStatus = BillingStatus::Trial;
            c.createdAt = m_now.addDays(-static_cast<int>(m_random.bounded(13u)));
            c.trialEndsAt = c.createdAt.addDays(14);
            c.trialBudget = 500;
        } else if (kind < 42) { // trial, expired
            c.billingStatus = BillingStatus::Trial;
            c.trialEndsAt = created.addDays(14);
            c.trialBudget = 500;
        } else { // paid
            c.billingStatus = BillingStatus::Paid;
            c.convertedAt = created.addDays(10);
            c.convertedBy = *admin;
        }
        c.active = kind < 92 || demoClient || isLitware;
        c.noEmail = kind % 17 == 0;
        Result<qint64> customerId = m_customers.insert(c);
        if (!customerId)
            return fail(customerId.error());
        if (Status s = membership(*contactUser, Role::ClientAdmin, 0, *customerId); !s)
            return s;
        if (c.billingStatus == BillingStatus::Paid)
            paidCustomers.append(*customerId);

        // Assignment history: some customers came over from Contoso; Litware
        // was migrated to its own portal (the new owner is added below).
        if (isLitware) {
            if (Status s
                = assignment(*customerId, owner, AssignmentKind::Owner, created, m_now.addDays(-7));
                !s)
                return s;
        } else if (owner != 0) {
            if (owner == *northwind && index % 15 == 0) {
                const QDateTime movedAt = created.addDays(30) < m_now ? created.addDays(30) : m_now;
                if (Status s
                    = assignment(*customerId, *contoso, AssignmentKind::Owner, created, movedAt);
                    !s)
                    return s;
                if (Status s = assignment(*customerId, owner, AssignmentKind::Owner, movedAt, {});
                    !s)
                    return s;
            } else if (Status s
                       = assignment(*customerId, owner, AssignmentKind::Owner, created, {});
                       !s) {
                return s;
            }
            if (index % 10 == 0 && owner != *fabrikam) {
                if (Status s = assignment(*customerId, *fabrikam, AssignmentKind::Additional,
                        created.addDays(5) < m_now ? created.addDays(5) : created, {});
                    !s)
                    return s;
            }
        }

        // Three months of usage.
        const int budget = c.billingStatus == BillingStatus::Trial
            ? c.trialBudget
            : budgets.at(plans.indexOf(c.planId));
        for (int back = 0; back < 3; ++back) {
            const QDate month = m_now.date().addMonths(-back);
            if (QDateTime(QDate(month.year(), month.month(), 1).addMonths(1), QTime(0, 0), Qt::UTC)
                < c.createdAt)
                continue;
            const int used
                = static_cast<int>(m_random.bounded(static_cast<quint32>(budget + budget / 5 + 1)));
            if (Status s = UsageRepository(m_db).upsert(
                    *customerId, month.toString(QStringLiteral("yyyy-MM")), used, m_now);
                !s)
                return s;
        }

        if (demoClient) {
            Result<qint64> colleague = user(
                QStringLiteral("colleague@") + domain, QStringLiteral("Casey Colleague"), true);
            if (!colleague)
                return fail(colleague.error());
            if (Status s = membership(*colleague, Role::ClientUser, 0, *customerId); !s)
                return s;
        }
        if (isLitware) {
            litwareId = *customerId;
            litwareUser = *contactUser;
        }
    }

    // Litware was migrated to its own portal (rule 8): a sub-portal of
    // Contoso (which earns the override), now the owner; Litware's client
    // admin also runs the portal.
    ResellerRow portal;
    portal.name = QStringLiteral("Litware Inc.");
    portal.parentId = *contoso;
    portal.commissionRateBp = 1000;
    portal.overrideRateBp = 500;
    portal.pricing = PricingMode::Selected;
    portal.priceListId = *partnerId;
    portal.originCustomerId = litwareId;
    portal.createdAt = m_now.addDays(-7);
    Result<qint64> portalId = m_resellers.insert(portal);
    if (!portalId)
        return fail(portalId.error());
    ++m_resellerCount;
    if (Status s = m_resellers.setOfferedPlans(*portalId, plans); !s)
        return s;
    if (Status s = assignment(litwareId, *portalId, AssignmentKind::Owner, m_now.addDays(-7), {});
        !s)
        return s;
    Result<CustomerRow> litware = m_customers.find(litwareId);
    if (!litware)
        return fail(litware.error());
    litware->ownerResellerId = *portalId;
    litware->updatedAt = m_now.addDays(-7);
    if (Result<int> v = m_customers.update(*litware); !v)
        return fail(v.error());
    if (Status s = membership(litwareUser, Role::ResellerAdmin, *portalId, 0); !s)
        return s;
    // Orders last, so the random draws above (and the demo they make) stay
    // as they were.
    if (Status s = orders(paidCustomers); !s)
        return s;
    summary.customers = index;
    summary.resellers = m_resellerCount;
    summary.users = m_userCount;
    return {};
}

} // namespace

QString DemoData::demoPassword()
{
    return QStringLiteral("resellerdesk-demo");
}

QString DemoData::demoClientEmail()
{
    return QStringLiteral("priya.costa@alpinefoods.test");
}

QString DemoData::demoAdministratorEmail()
{
    return QStringLiteral("admin@demo.resellerdesk.test");
}

Result<DemoSummary> DemoData::seedIfEmpty(
    Database &db, const Clock &clock, const PasswordHasher &hasher)
{
    Result<QList<PlanRow>> plans = CatalogueRepository(db).plans();
    if (!plans)
        return fail(plans.error());
    Result<std::optional<UserRow>> admin
        = UserRepository(db).findByEmailKey(demoAdministratorEmail());
    if (!admin)
        return fail(admin.error());
    if (!plans->isEmpty() || admin->has_value())
        return DemoSummary {};

    Result<QString> hash = hasher.hash(demoPassword());
    if (!hash)
        return fail(hash.error());
    Result<WriteTransaction> transaction = WriteTransaction::begin(db);
    if (!transaction)
        return fail(transaction.error());
    DemoSummary summary;
    Seeder seeder(db, clock, *hash);
    if (Status seeded = seeder.run(summary); !seeded)
        return fail(seeded.error());
    AuditEntry entry;
    entry.action = QStringLiteral("demo.seed");
    entry.entityType = QStringLiteral("installation");
    entry.after = QJsonObject {{QStringLiteral("resellers"), summary.resellers},
        {QStringLiteral("customers"), summary.customers}, {QStringLiteral("users"), summary.users}};
    if (Status recorded = AuditLog(db, clock).recordWithoutSession(0, entry); !recorded)
        return fail(recorded.error());
    if (Status committed = transaction->commit(); !committed)
        return fail(committed.error());
    summary.seeded = true;
    return summary;
}

} // namespace rd
