#include "BenchDatabase.h"

#include <chrono>
#include <cstdio>
#include <vector>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

#include "TestDataWords.h"
#include "domain/Membership.h"
#include "domain/Role.h"
#include "storage/Database.h"
#include "storage/MigrationRunner.h"

namespace rd::bench {

namespace {

// Bump when the generated rows change, so cached databases are rebuilt.
constexpr int GeneratorVersion = 1;
constexpr quint64 Seed = 20261203;
constexpr int PlanCount = 4;
// Customers generated (and inserted, table by table) per chunk.
constexpr int ChunkCustomers = 2000;
constexpr int RowsPerStatement = 250;
// The generator's "now": fixed, so the data is the same in every run.
const qint64 GeneratedAtMs
    = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
constexpr qint64 DayMs = 86'400'000;

// SplitMix64: small, fast and the same on every platform.
class Random
{
public:
    explicit Random(quint64 seed)
        : m_state(seed)
    { }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int below(std::size_t n) { return static_cast<int>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    quint64 m_state;
};

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

struct Words
{
    QStringList list;
    QStringList slugs;
    explicit Words(std::span<const char *const> words)
    {
        for (const char *w : words) {
            list.append(QString::fromUtf8(w));
            slugs.append(asciiSlug(list.last()));
        }
    }
    int pick(Random &random) const { return random.below(static_cast<std::size_t>(list.size())); }
};

Error sqlError(const QString &what, const QSqlError &error)
{
    return Error(ErrorCode::DatabaseError, what, {}, error.text());
}

Status execRaw(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return fail(sqlError(sql.left(200), q.lastError()));
    return {};
}

QVariant nullId()
{
    return QVariant(QMetaType::fromType<qint64>());
}

// Multi-row INSERTs with bound values: one round trip per RowsPerStatement
// rows, the full-size statement prepared once.
class BatchInserter
{
public:
    BatchInserter(QSqlDatabase db, QString table, QStringList columns)
        : m_db(std::move(db))
        , m_table(std::move(table))
        , m_columns(std::move(columns))
        , m_full(m_db)
    { }

    void add(std::initializer_list<QVariant> row)
    {
        Q_ASSERT(static_cast<qsizetype>(row.size()) == m_columns.size());
        for (const QVariant &v : row)
            m_values.append(v);
    }

    qint64 inserted() const { return m_inserted; }

    Status flush()
    {
        const qsizetype width = m_columns.size();
        const qsizetype rows = m_values.size() / width;
        qsizetype done = 0;
        if (rows >= RowsPerStatement && !m_fullPrepared) {
            if (!m_full.prepare(sql(RowsPerStatement)))
                return fail(sqlError(QStringLiteral("prepare ") + m_table, m_full.lastError()));
            m_fullPrepared = true;
        }
        while (rows - done >= RowsPerStatement) {
            if (Status s = run(m_full, done * width, RowsPerStatement * width); !s)
                return s;
            done += RowsPerStatement;
        }
        if (done < rows) {
            QSqlQuery rest(m_db);
            if (!rest.prepare(sql(static_cast<int>(rows - done))))
                return fail(sqlError(QStringLiteral("prepare ") + m_table, rest.lastError()));
            if (Status s = run(rest, done * width, (rows - done) * width); !s)
                return s;
        }
        m_inserted += rows;
        m_values.clear();
        return {};
    }

private:
    QString sql(int rows) const
    {
        QString one = QStringLiteral("(?");
        for (qsizetype i = 1; i < m_columns.size(); ++i)
            one += QStringLiteral(", ?");
        one += QLatin1Char(')');
        QStringList all;
        all.reserve(rows);
        for (int i = 0; i < rows; ++i)
            all.append(one);
        return QStringLiteral("INSERT INTO ") + m_table + QStringLiteral(" (")
            + m_columns.join(QStringLiteral(", ")) + QStringLiteral(") VALUES ")
            + all.join(QStringLiteral(", "));
    }

    Status run(QSqlQuery &q, qsizetype from, qsizetype count)
    {
        for (qsizetype i = 0; i < count; ++i)
            q.bindValue(static_cast<int>(i), m_values.at(from + i));
        if (!q.exec())
            return fail(sqlError(QStringLiteral("insert into ") + m_table, q.lastError()));
        return {};
    }

    QSqlDatabase m_db;
    QString m_table;
    QStringList m_columns;
    QSqlQuery m_full;
    bool m_fullPrepared = false;
    QVariantList m_values;
    qint64 m_inserted = 0;
};

const QStringList FilledTables = {QStringLiteral("users"), QStringLiteral("customers"),
    QStringLiteral("memberships"), QStringLiteral("customer_assignments")};

// The secondary indexes of the bulk-filled tables, as the migrations
// created them: dropped before the insert, recreated from the same SQL
// after it (a sorted build is several times faster than row-by-row upkeep).
// PostgreSQL also fills customer_search (migration 9) through its triggers.
Result<QList<std::pair<QString, QString>>> secondaryIndexes(QSqlDatabase db, Dialect dialect)
{
    const QStringList filled = dialect == Dialect::SQLite
        ? FilledTables
        : FilledTables + QStringList {QStringLiteral("customer_search")};
    const QString tables
        = QStringLiteral("'") + filled.join(QStringLiteral("', '")) + QStringLiteral("'");
    const QString sql = dialect == Dialect::SQLite
        ? QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS "
                         "NOT NULL AND tbl_name IN (")
            + tables + QStringLiteral(") ORDER BY name")
        : QStringLiteral("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
                         "current_schema() AND i.tablename IN (")
            + tables
            + QStringLiteral(") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = "
                             "i.indexname) ORDER BY i.indexname");
    QSqlQuery q(db);
    if (!q.exec(sql))
        return fail(sqlError(QStringLiteral("listing indexes"), q.lastError()));
    QList<std::pair<QString, QString>> indexes;
    while (q.next())
        indexes.append({q.value(0).toString(), q.value(1).toString()});
    return indexes;
}

QString toBase36(qint64 n)
{
    return QString::number(n, 36);
}

void progress(const char *what, qint64 done, qint64 total)
{
    std::fprintf(stderr, "\rbench: generating %s %lld / %lld", what, static_cast<long long>(done),
        static_cast<long long>(total));
    if (done == total)
        std::fputc('\n', stderr);
    std::fflush(stderr);
}

Status fill(Database &database, const BenchOptions &options)
{
    QSqlDatabase db = database.connection();
    const Dialect dialect = database.dialect();
    const bool sqlite = dialect == Dialect::SQLite;
    if (sqlite) {
        for (const char *pragma : {"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"}) {
            if (Status s = execRaw(db, QString::fromLatin1(pragma)); !s)
                return s;
        }
    } else {
        for (const char *set : {"SET synchronous_commit = off",
                 "SET maintenance_work_mem = '256MB'", "SET client_min_messages = warning"}) {
            if (Status s = execRaw(db, QString::fromLatin1(set)); !s)
                return s;
        }
    }
    if (Status s = execRaw(db, QStringLiteral("BEGIN")); !s)
        return s;

    Result<QList<std::pair<QString, QString>>> indexes = secondaryIndexes(db, dialect);
    if (!indexes)
        return fail(indexes.error());
    for (const auto &[name, sql] : *indexes) {
        if (Status s = execRaw(db, QStringLiteral("DROP INDEX ") + name); !s)
            return s;
    }

    const qint64 now = GeneratedAtMs;
    // Catalogue: four plans on the default (channel) price list.
    if (Status s = execRaw(db,
            QStringLiteral("INSERT INTO price_lists (id, name, currency, is_default, created_at) "
                           "VALUES (1, 'Channel EUR', 'EUR', %1, %2)")
                .arg(sqlite ? QStringLiteral("1") : QStringLiteral("true"))
                .arg(now - 900 * DayMs));
        !s)
        return s;
    const char *const planNames[PlanCount] = {"Starter", "Standard", "Professional", "Enterprise"};
    const int budgets[PlanCount] = {1000, 5000, 20000, 100000};
    const int prices[PlanCount] = {2900, 9900, 29900, 99900};
    for (int p = 0; p < PlanCount; ++p) {
        const QString name = QString::fromLatin1(planNames[p]);
        if (Status s = execRaw(db,
                QStringLiteral("INSERT INTO plans (id, code, name, monthly_budget, created_at) "
                               "VALUES (%1, '%2', '%3', %4, %5)")
                    .arg(p + 1)
                    .arg(name.toLower(), name)
                    .arg(budgets[p])
                    .arg(now - 900 * DayMs));
            !s)
            return s;
        if (Status s = execRaw(db,
                QStringLiteral("INSERT INTO price_list_items (price_list_id, plan_id, "
                               "monthly_price) VALUES (1, %1, %2)")
                    .arg(p + 1)
                    .arg(prices[p]));
            !s)
            return s;
    }

    // The administrator the benchmarks act as.
    BatchInserter users(db, QStringLiteral("users"),
        {QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("email_key"),
            QStringLiteral("display_name"), QStringLiteral("must_change_password"),
            QStringLiteral("created_at")});
    BatchInserter memberships(db, QStringLiteral("memberships"),
        {QStringLiteral("id"), QStringLiteral("user_id"), QStringLiteral("role"),
            QStringLiteral("reseller_id"), QStringLiteral("customer_id"),
            QStringLiteral("created_at")});
    qint64 userId = 0;
    qint64 membershipId = 0;
    users.add({++userId, BenchDatabase::administratorEmail(), BenchDatabase::administratorEmail(),
        QStringLiteral("Bench Administrator"), false, now - 1000 * DayMs});
    memberships.add({++membershipId, userId, QStringLiteral("administrator"), nullId(), nullId(),
        now - 1000 * DayMs});

    // Resellers, each offering every plan, each with a Reseller Admin.
    Random random(Seed);
    const Words resellerWords(TestDataWords::resellerWords());
    const Words resellerKinds(TestDataWords::resellerKinds());
    BatchInserter resellers(db, QStringLiteral("resellers"),
        {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("commission_rate_bp"),
            QStringLiteral("created_at")});
    BatchInserter resellerPlans(db, QStringLiteral("reseller_plans"),
        {QStringLiteral("reseller_id"), QStringLiteral("plan_id")});
    for (int r = 1; r <= options.resellers; ++r) {
        const int w = (r - 1) % resellerWords.list.size();
        const int k = ((r - 1) / resellerWords.list.size()) % resellerKinds.list.size();
        const int round = (r - 1) / (resellerWords.list.size() * resellerKinds.list.size());
        QString name = resellerWords.list.at(w) + QLatin1Char(' ') + resellerKinds.list.at(k);
        if (round > 0)
            name += QLatin1Char(' ') + QString::number(round + 1);
        resellers.add({r, name, 500 + 100 * random.below(20), now - 800 * DayMs});
        for (int p = 1; p <= PlanCount; ++p)
            resellerPlans.add({r, p});
        const QString email = QStringLiteral("admin@") + resellerWords.slugs.at(w)
            + resellerKinds.slugs.at(k) + QString::number(r) + QStringLiteral(".example");
        users.add({++userId, email, email, QString(QStringLiteral("Admin of ") + name), false,
            now - 800 * DayMs});
        memberships.add({++membershipId, userId, QStringLiteral("reseller_admin"), r, nullId(),
            now - 800 * DayMs});
    }
    for (BatchInserter *b : {&resellers, &resellerPlans, &users, &memberships}) {
        if (Status s = b->flush(); !s)
            return s;
    }

    // Customers.
    const Words prefixes(TestDataWords::prefixes());
    const Words roots(TestDataWords::roots());
    const Words kinds(TestDataWords::kinds());
    const Words legalForms(TestDataWords::legalForms());
    const Words firstNames(TestDataWords::firstNames());
    const Words lastNames(TestDataWords::lastNames());
    const Words tlds(TestDataWords::topLevelDomains());
    BatchInserter customers(db, QStringLiteral("customers"),
        {QStringLiteral("id"), QStringLiteral("company_name"), QStringLiteral("domain"),
            QStringLiteral("contact_name"), QStringLiteral("contact_email"),
            QStringLiteral("contact_phone"), QStringLiteral("plan_id"),
            QStringLiteral("price_list_id"), QStringLiteral("owner_reseller_id"),
            QStringLiteral("primary_user_id"), QStringLiteral("billing_status"),
            QStringLiteral("trial_ends_at"), QStringLiteral("trial_budget"),
            QStringLiteral("converted_at"), QStringLiteral("converted_by"),
            QStringLiteral("active"), QStringLiteral("no_email"), QStringLiteral("created_at")});
    BatchInserter assignments(db, QStringLiteral("customer_assignments"),
        {QStringLiteral("id"), QStringLiteral("customer_id"), QStringLiteral("reseller_id"),
            QStringLiteral("kind"), QStringLiteral("assigned_at")});
    const QString phonePrefixes[] = {QStringLiteral("+4930"), QStringLiteral("+3314"),
        QStringLiteral("+4420"), QStringLiteral("+3120"), QStringLiteral("+3906")};
    qint64 assignmentId = 0;
    for (qint64 c = 1; c <= options.customers; ++c) {
        const int p = prefixes.pick(random);
        const int ro = roots.pick(random);
        const int k = kinds.pick(random);
        const int lf = legalForms.pick(random);
        const int fn = firstNames.pick(random);
        const int ln = lastNames.pick(random);
        const int tld = tlds.pick(random);
        // Compound names ("Northbridge"), so searches hit inside words too.
        const QString company = prefixes.list.at(p) + roots.list.at(ro) + QLatin1Char(' ')
            + kinds.list.at(k) + QLatin1Char(' ') + legalForms.list.at(lf);
        const QString domain = prefixes.slugs.at(p) + roots.slugs.at(ro) + QLatin1Char('-')
            + kinds.slugs.at(k) + QLatin1Char('-') + toBase36(c) + QLatin1Char('.')
            + tlds.list.at(tld);
        const QString contact = firstNames.list.at(fn) + QLatin1Char(' ') + lastNames.list.at(ln);
        const QString email = firstNames.slugs.at(fn) + QLatin1Char('.') + lastNames.slugs.at(ln)
            + QLatin1Char('@') + domain;
        const QString phone
            = phonePrefixes[random.below(5)] + QString::number(1'000'000 + random.below(9'000'000));
        // A few large resellers and a long tail; about 3 % direct accounts.
        const double u = random.unit();
        const qint64 owner = random.below(100) < 3
            ? 0
            : 1 + static_cast<qint64>(u * u * options.resellers) % options.resellers;
        const qint64 created = now - (1 + random.below(3 * 365)) * DayMs - random.below(DayMs);
        const int kind = random.below(100);
        const bool active = random.below(100) < 92;
        const bool noEmail = random.below(17) == 0;
        const int plan = 1 + random.below(PlanCount);

        users.add({++userId, email, email, contact, true, created});
        QVariant trialEnds = nullId();
        QVariant trialBudget = QVariant(QMetaType::fromType<int>());
        QVariant convertedAt = nullId();
        QVariant convertedBy = nullId();
        QString billing = QStringLiteral("paid");
        qint64 createdAt = created;
        if (kind < 30) { // trial, running
            billing = QStringLiteral("trial");
            createdAt = now - random.below(13) * DayMs - random.below(DayMs);
            trialEnds = createdAt + 14 * DayMs;
            trialBudget = 500;
        } else if (kind < 42) { // trial, expired
            billing = QStringLiteral("trial");
            trialEnds = created + 14 * DayMs;
            trialBudget = 500;
        } else { // paid
            convertedAt = created + 10 * DayMs;
            convertedBy = qint64 {1};
        }
        customers.add({c, company, domain, contact, email, phone, plan, 1,
            owner ? QVariant(owner) : nullId(), userId, billing, trialEnds, trialBudget,
            convertedAt, convertedBy, active, noEmail, createdAt});
        memberships.add(
            {++membershipId, userId, QStringLiteral("client_admin"), nullId(), c, createdAt});
        if (owner) {
            assignments.add({++assignmentId, c, owner, QStringLiteral("owner"), createdAt});
            if (random.below(10) == 0) {
                const qint64 other
                    = 1 + (owner + 1 + random.below(options.resellers - 1)) % options.resellers;
                if (other != owner)
                    assignments.add(
                        {++assignmentId, c, other, QStringLiteral("additional"), createdAt});
            }
        }
        if (c % ChunkCustomers == 0 || c == options.customers) {
            for (BatchInserter *b : {&users, &customers, &memberships, &assignments}) {
                if (Status s = b->flush(); !s)
                    return s;
            }
            if (c % (ChunkCustomers * 25) == 0 || c == options.customers)
                progress("customers", c, options.customers);
        }
    }

    std::fprintf(stderr, "bench: building %lld indexes\n", static_cast<long long>(indexes->size()));
    for (const auto &[name, sql] : *indexes) {
        if (Status s = execRaw(db, sql); !s)
            return s;
    }
    if (!sqlite) {
        // In company order, as migration 9 fills it for an existing database.
        if (Status s = execRaw(
                db, QStringLiteral("CLUSTER customer_search USING customer_search_company_idx"));
            !s)
            return s;
        // Explicit ids were inserted: move the identity sequences past them.
        for (const QString &table : FilledTables
                + QStringList {QStringLiteral("resellers"), QStringLiteral("plans"),
                    QStringLiteral("price_lists")}) {
            if (Status s = execRaw(db,
                    QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), (SELECT "
                                   "max(id) FROM %1))")
                        .arg(table));
                !s)
                return s;
        }
    }
    if (Status s = execRaw(db, QStringLiteral("COMMIT")); !s)
        return s;
    if (!sqlite) {
        // As a database in use for a while would be: statistics, visibility map.
        if (Status s = execRaw(db, QStringLiteral("VACUUM ANALYZE")); !s)
            return s;
    }
    return {};
}

// Changes whenever a migration changes. keyAt(dialect, n): the key of a
// database made when migration n was the newest (0: the newest now).
QString schemaKeyAt(Dialect dialect, int newest)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    const Result<QList<Migration>> migrations = MigrationRunner::load(dialect);
    int version = 0;
    if (migrations) {
        for (const Migration &m : *migrations) {
            if (newest > 0 && m.version > newest)
                break;
            hash.addData(m.sql.toUtf8());
            version = m.version;
        }
    }
    return QStringLiteral("s%1_%2_g%3")
        .arg(newest > 0 ? version : Database::latestSchemaVersion(dialect))
        .arg(QString::fromLatin1(hash.result().toHex().left(8)))
        .arg(GeneratorVersion);
}

QString schemaKey(Dialect dialect)
{
    return schemaKeyAt(dialect, 0);
}

// The keys of databases an earlier schema made that this build can migrate
// forward (the same migrations, fewer of them), newest first. A cached
// database is brought up to date the way a user's is, in seconds, instead
// of being generated again (ten minutes and more at 1M customers).
QStringList olderSchemaKeys(Dialect dialect)
{
    QStringList keys;
    for (int version = Database::latestSchemaVersion(dialect) - 1; version >= 1; --version)
        keys.append(schemaKeyAt(dialect, version));
    return keys;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Result<BenchDatabase::Info> ensureSqlite(const BenchOptions &options)
{
    const QString dir = BenchDatabase::cacheDirectory();
    if (!QDir().mkpath(dir))
        return fail(ErrorCode::DatabaseError, QStringLiteral("cannot create %1").arg(dir));
    const QString path = QDir(dir).filePath(QStringLiteral("customers-%1-%2.sqlite")
                                                .arg(options.customers)
                                                .arg(schemaKey(Dialect::SQLite)));
    if (QFile::exists(path))
        return BenchDatabase::Info {ConnectionProfile::sqlite(path), true, 0};
    for (const QString &older : olderSchemaKeys(Dialect::SQLite)) {
        const QString old = QDir(dir).filePath(
            QStringLiteral("customers-%1-%2.sqlite").arg(options.customers).arg(older));
        if (!QFile::exists(old))
            continue;
        const auto start = std::chrono::steady_clock::now();
        std::fprintf(
            stderr, "bench: migrating a copy of %s to the newest schema\n", qPrintable(old));
        // A copy: a build of another branch may still use the older file.
        const QString building = path + QStringLiteral(".building");
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(building + suffix);
        if (!QFile::copy(old, building))
            return fail(ErrorCode::DatabaseError, QStringLiteral("cannot copy %1").arg(old));
        {
            Result<std::unique_ptr<Database>> db
                = Database::open(ConnectionProfile::sqlite(building));
            if (!db)
                return fail(db.error());
        } // closing the connection checkpoints the WAL into the file
        if (!QFile::rename(building, path))
            return fail(ErrorCode::DatabaseError, QStringLiteral("cannot rename %1").arg(building));
        return BenchDatabase::Info {ConnectionProfile::sqlite(path), false, secondsSince(start)};
    }

    const auto start = std::chrono::steady_clock::now();
    const QString building = path + QStringLiteral(".building");
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(building + suffix);
    std::fprintf(stderr, "bench: building %s\n", qPrintable(path));
    {
        Result<std::unique_ptr<Database>> db = Database::open(ConnectionProfile::sqlite(building));
        if (!db)
            return fail(db.error());
        if (Status filled = fill(**db, options); !filled)
            return fail(filled.error());
    } // closing the connection checkpoints the WAL into the file
    if (!QFile::rename(building, path))
        return fail(ErrorCode::DatabaseError, QStringLiteral("cannot rename %1").arg(building));
    return BenchDatabase::Info {ConnectionProfile::sqlite(path), false, secondsSince(start)};
}

Result<BenchDatabase::Info> ensurePostgres(const BenchOptions &options)
{
    const std::optional<ConnectionProfile> server = BenchDatabase::postgresServer();
    if (!server)
        return fail(ErrorCode::DatabaseUnavailable,
            QStringLiteral("set RESELLERDESK_BENCH_PG_URL or RESELLERDESK_TEST_PG_URL"));
    const QString name = QStringLiteral("rd_bench_%1_%2")
                             .arg(options.customers)
                             .arg(schemaKey(Dialect::PostgreSQL))
                             .toLower();
    const QString adminName = QStringLiteral("rd-bench-admin");
    Result<BenchDatabase::Info> result = fail(ErrorCode::DatabaseError, QStringLiteral("not run"));
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), adminName);
        admin.setHostName(server->host());
        admin.setPort(server->port());
        admin.setDatabaseName(server->databaseName());
        admin.setUserName(server->userName());
        admin.setPassword(server->password());
        result = [&]() -> Result<BenchDatabase::Info> {
            if (!admin.open())
                return fail(sqlError(
                    QStringLiteral("connecting to the PostgreSQL server"), admin.lastError()));
            QSqlQuery exists(admin);
            exists.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
            exists.addBindValue(name);
            if (!exists.exec())
                return fail(sqlError(QStringLiteral("pg_database"), exists.lastError()));
            if (exists.next())
                return BenchDatabase::Info {server->withDatabaseName(name), true, 0};
            exists.finish();
            for (const QString &older : olderSchemaKeys(Dialect::PostgreSQL)) {
                const QString old
                    = QStringLiteral("rd_bench_%1_%2").arg(options.customers).arg(older).toLower();
                exists.addBindValue(old);
                if (!exists.exec())
                    return fail(sqlError(QStringLiteral("pg_database"), exists.lastError()));
                if (!exists.next())
                    continue;
                exists.finish();
                const auto start = std::chrono::steady_clock::now();
                std::fprintf(stderr,
                    "bench: migrating PostgreSQL database %s to the newest schema\n",
                    qPrintable(old));
                {
                    Result<std::unique_ptr<Database>> db
                        = Database::open(server->withDatabaseName(old));
                    if (!db)
                        return fail(db.error());
                }
                if (Status s = execRaw(admin,
                        QStringLiteral("ALTER DATABASE ") + old + QStringLiteral(" RENAME TO ")
                            + name);
                    !s)
                    return fail(s.error());
                return BenchDatabase::Info {
                    server->withDatabaseName(name), false, secondsSince(start)};
            }

            const auto start = std::chrono::steady_clock::now();
            const QString building = name + QStringLiteral("_building");
            std::fprintf(stderr, "bench: building PostgreSQL database %s\n", qPrintable(name));
            if (Status s = execRaw(admin, QStringLiteral("DROP DATABASE IF EXISTS ") + building);
                !s)
                return fail(s.error());
            if (Status s = execRaw(admin, QStringLiteral("CREATE DATABASE ") + building); !s)
                return fail(s.error());
            {
                Result<std::unique_ptr<Database>> db
                    = Database::open(server->withDatabaseName(building));
                if (!db)
                    return fail(db.error());
                if (Status filled = fill(**db, options); !filled)
                    return fail(filled.error());
            }
            if (Status s = execRaw(admin,
                    QStringLiteral("ALTER DATABASE ") + building + QStringLiteral(" RENAME TO ")
                        + name);
                !s)
                return fail(s.error());
            return BenchDatabase::Info {server->withDatabaseName(name), false, secondsSince(start)};
        }();
        admin.close();
    }
    QSqlDatabase::removeDatabase(adminName);
    return result;
}

// Runs `sql` statements on the server's maintenance database (never on the
// database they create or drop, which must have no connection).
Status onServer(const ConnectionProfile &profile, const QStringList &statements)
{
    const QString name = QStringLiteral("rd-bench-server");
    Status result;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        admin.setHostName(profile.host());
        admin.setPort(profile.port());
        admin.setDatabaseName(BenchDatabase::postgresServer()
                ? BenchDatabase::postgresServer()->databaseName()
                : QStringLiteral("postgres"));
        admin.setUserName(profile.userName());
        admin.setPassword(profile.password());
        if (!admin.open()) {
            result = fail(
                sqlError(QStringLiteral("connecting to the PostgreSQL server"), admin.lastError()));
        } else {
            for (const QString &sql : statements) {
                if (result = execRaw(admin, sql); !result)
                    break;
            }
        }
        admin.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace

Result<BenchDatabase::Info> BenchDatabase::ensure(Backend backend, const BenchOptions &options)
{
    return backend == Backend::SQLite ? ensureSqlite(options) : ensurePostgres(options);
}

QString BenchDatabase::administratorEmail()
{
    return QStringLiteral("bench.admin@resellerdesk.example");
}

Result<Session> BenchDatabase::administrator(Database &db)
{
    Result<QSqlQuery> q = db.prepare(QStringLiteral(
        "SELECT u.id, u.display_name, m.id FROM users u JOIN memberships m ON m.user_id = u.id "
        "WHERE u.email_key = ? AND m.role = 'administrator'"));
    if (!q)
        return fail(q.error());
    q->addBindValue(administratorEmail());
    if (Status done = db.exec(*q, QStringLiteral("finding the benchmark administrator")); !done)
        return fail(done.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, QStringLiteral("no benchmark administrator"));
    const qint64 userId = q->value(0).toLongLong();
    Result<Membership> membership = Membership::create(userId, Role::Administrator, 0);
    if (!membership)
        return fail(membership.error());
    membership->setId(q->value(2).toLongLong());
    return Session(userId, q->value(1).toString(), administratorEmail(), *membership);
}

std::optional<ConnectionProfile> BenchDatabase::postgresServer()
{
    QString url = qEnvironmentVariable("RESELLERDESK_BENCH_PG_URL");
    if (url.isEmpty())
        url = qEnvironmentVariable("RESELLERDESK_TEST_PG_URL");
    if (url.isEmpty())
        return std::nullopt;
    Result<ConnectionProfile> profile = ConnectionProfile::fromUrl(url);
    if (!profile || profile->dialect() != Dialect::PostgreSQL)
        return std::nullopt;
    return *profile;
}

QString BenchDatabase::cacheDirectory()
{
    const QString dir = qEnvironmentVariable("RESELLERDESK_BENCH_CACHE");
    if (!dir.isEmpty())
        return dir;
    // build/bench-cache next to the build directories (the binary is in
    // build/<preset>/tests/bench).
    QDir build(QCoreApplication::applicationDirPath());
    build.cd(QStringLiteral("../../.."));
    return build.filePath(QStringLiteral("bench-cache"));
}

Result<ConnectionProfile> BenchDatabase::copyPostgres(
    const ConnectionProfile &source, const QString &copyName)
{
    // FILE_COPY: copies the files after a checkpoint instead of WAL-logging
    // every block, several times faster for a large database.
    if (Status done = onServer(source,
            {QStringLiteral("DROP DATABASE IF EXISTS ") + copyName,
                QStringLiteral("CREATE DATABASE ") + copyName + QStringLiteral(" TEMPLATE ")
                    + source.databaseName() + QStringLiteral(" STRATEGY FILE_COPY")});
        !done)
        return fail(done.error());
    return source.withDatabaseName(copyName);
}

Status BenchDatabase::dropPostgres(const ConnectionProfile &copy)
{
    return onServer(copy, {QStringLiteral("DROP DATABASE IF EXISTS ") + copy.databaseName()});
}

} // namespace rd::bench
