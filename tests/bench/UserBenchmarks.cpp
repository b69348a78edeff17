#include "UserBenchmarks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <QAbstractTableModel>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSortFilterProxyModel>

#include <benchmark/benchmark.h>

#include "Memory.h"
#include "services/AccessControl.h"
#include "services/Clock.h"
#include "services/UserService.h"
#include "users/UserTableModel.h"

namespace rd::bench {

namespace {

using Clock = std::chrono::steady_clock;

int g_failures = 0;

enum class UserScenario { FirstScreen, ScrollToEnd, JumpToMiddle, Filter };

const char *scenarioName(UserScenario scenario)
{
    switch (scenario) {
    case UserScenario::FirstScreen:
        return "BM_UsersFirstScreen";
    case UserScenario::ScrollToEnd:
        return "BM_UsersScrollToEnd";
    case UserScenario::JumpToMiddle:
        return "BM_UsersJumpToMiddle";
    case UserScenario::Filter:
        break;
    }
    return "BM_UsersFilter";
}

// The text typed in UsersFilter: a first name, the start of about 2 % of
// the generated client admins' emails and names (ours: a prefix; naive: the
// proxy's "contains", which finds the same people here).
const QString FilterTerm = QStringLiteral("sven");

// The old Users page: every membership of the scope held whole.
class NaiveUserModel final : public QAbstractTableModel
{
public:
    explicit NaiveUserModel(QList<UserListRow> rows)
        : m_rows(std::move(rows))
    { }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : UserTableModel::ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::UserRole))
            return {};
        const UserListRow &row = m_rows.at(index.row());
        switch (index.column()) {
        case UserTableModel::Email:
            return row.email;
        case UserTableModel::Name:
            return row.displayName;
        case UserTableModel::Role:
            return roleDisplayName(row.role);
        case UserTableModel::Context:
            return UserTableModel::contextText(row);
        case UserTableModel::Status:
            return UserTableModel::statusText(row);
        case UserTableModel::LastSignIn:
            return row.lastLoginAt;
        default:
            return {};
        }
    }

private:
    QList<UserListRow> m_rows;
};

// One way of showing the Users page, as the page does it.
class UserList
{
public:
    UserList(const BenchContext &context, bool naive)
        : m_context(context)
        , m_naive(naive)
        , m_access(context.db, m_clock)
        , m_service(context.db, m_clock, m_access)
    { }

    QAbstractItemModel &model()
    {
        if (m_naive)
            return *m_proxy;
        return *m_model;
    }

    Status open(const QString &filter = {})
    {
        if (m_naive) {
            Result<QList<UserListRow>> rows = m_service.listUsers(m_context.admin);
            if (!rows)
                return fail(rows.error());
            m_proxy.reset();
            m_rows = std::make_unique<NaiveUserModel>(std::move(*rows));
            m_proxy = std::make_unique<QSortFilterProxyModel>();
            m_proxy->setSourceModel(m_rows.get());
            m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
            m_proxy->setSortLocaleAware(true);
            m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
            m_proxy->setFilterKeyColumn(-1);
            m_proxy->sort(UserTableModel::Email, Qt::AscendingOrder);
            if (!filter.isEmpty())
                m_proxy->setFilterFixedString(filter);
            return {};
        }
        if (!m_model)
            m_model = std::make_unique<UserTableModel>(m_context.admin, m_service);
        UserPageQuery query;
        query.filter = filter;
        m_sinceQuery.start();
        return m_model->setQuery(query);
    }

    // A user presses Ctrl+End or drags the scroll bar some time after the
    // list opened: by then the worker has its connection and the anchors.
    Status settle(bool report)
    {
        if (m_naive)
            return {};
        const QDeadlineTimer deadline(600000);
        QEventLoop loop;
        while (!m_model->anchorsComplete()) {
            if (deadline.hasExpired())
                return fail(ErrorCode::Unavailable, QStringLiteral("no anchors in 10 minutes"));
            loop.processEvents(QEventLoop::WaitForMoreEvents);
        }
        if (report) {
            std::fprintf(stderr,
                "bench: users: %d anchors for %lld rows in %lld ms after the query\n",
                m_model->anchorCount(), static_cast<long long>(m_model->total()),
                static_cast<long long>(m_sinceQuery.elapsed()));
        }
        return {};
    }

    // Ours: the pages data() asked for are read on the worker; waits until
    // they arrived (the view repaints then). Naive: in memory already.
    Status waitForRows(int first, int rows)
    {
        if (m_naive)
            return {};
        const QDeadlineTimer deadline(30000);
        QEventLoop loop;
        while (m_model->isReading()) {
            if (deadline.hasExpired())
                return fail(ErrorCode::Unavailable, QStringLiteral("the screen did not arrive"));
            loop.processEvents(QEventLoop::WaitForMoreEvents);
        }
        const int last = std::min(m_model->rowCount(), first + rows) - 1;
        for (int r = first; r <= last; ++r) {
            if (!m_model->cachedUserAt(r))
                return fail(ErrorCode::Unavailable, QStringLiteral("row %1 was not read").arg(r));
        }
        return {};
    }

private:
    const BenchContext &m_context;
    bool m_naive;
    SystemClock m_clock;
    AccessControl m_access;
    UserService m_service;
    std::unique_ptr<UserTableModel> m_model;
    std::unique_ptr<NaiveUserModel> m_rows;
    std::unique_ptr<QSortFilterProxyModel> m_proxy;
    QElapsedTimer m_sinceQuery;
};

// rowCount(), then data() of every cell of the screen's rows.
int readScreen(QAbstractItemModel &model, int first, int rows)
{
    const int last = std::min(model.rowCount(), first + rows);
    const int columns = model.columnCount();
    qsizetype characters = 0;
    for (int r = first; r < last; ++r) {
        for (int c = 0; c < columns; ++c)
            characters += model.data(model.index(r, c)).toString().size();
    }
    benchmark::DoNotOptimize(characters);
    return std::max(0, last - first);
}

void run(benchmark::State &state, const BenchContext &context, bool naive, UserScenario scenario)
{
    std::vector<double> ms;
    double addedMb = 0;
    double rssMb = 0;
    for (auto _ : state) {
        Memory::releaseFreed();
        const qint64 before = Memory::residentKb();
        auto list = std::make_unique<UserList>(context, naive);
        if (scenario == UserScenario::ScrollToEnd || scenario == UserScenario::JumpToMiddle) {
            // Opened untimed: the scenario is the move.
            if (Status opened = list->open(); !opened) {
                ++g_failures;
                state.SkipWithError(opened.error().toString().toStdString().c_str());
                return;
            }
            readScreen(list->model(), 0, context.screenRows);
            const bool jump = scenario == UserScenario::JumpToMiddle;
            if (Status settled = jump ? list->settle(ms.empty()) : Status(); !settled) {
                ++g_failures;
                state.SkipWithError(settled.error().toString().toStdString().c_str());
                return;
            }
        }
        const auto start = Clock::now();
        if (scenario == UserScenario::FirstScreen || scenario == UserScenario::Filter) {
            const QString filter = scenario == UserScenario::Filter ? FilterTerm : QString();
            if (Status opened = list->open(filter); !opened) {
                ++g_failures;
                state.SkipWithError(opened.error().toString().toStdString().c_str());
                return;
            }
        }
        QAbstractItemModel &model = list->model();
        int first = 0;
        if (scenario == UserScenario::ScrollToEnd)
            first = std::max(0, model.rowCount() - context.screenRows);
        else if (scenario == UserScenario::JumpToMiddle)
            first = model.rowCount() / 2;
        // data() of every cell: placeholders for rows not read yet, which
        // the worker reads; the screen counts once they arrived.
        int rows = readScreen(model, first, context.screenRows);
        if (Status arrived = list->waitForRows(first, context.screenRows); !arrived) {
            ++g_failures;
            state.SkipWithError(arrived.error().toString().toStdString().c_str());
            return;
        }
        rows = readScreen(model, first, context.screenRows);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        state.SetIterationTime(seconds);
        ms.push_back(seconds * 1000.0);
        state.counters["rows"] = rows;
        state.counters["total"] = model.rowCount();
        rssMb = static_cast<double>(Memory::residentKb()) / 1024.0;
        addedMb = static_cast<double>(Memory::residentKb() - before) / 1024.0;
    }
    std::sort(ms.begin(), ms.end());
    if (ms.empty())
        return;
    const auto at = [&ms](double p) {
        const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ms.size())));
        return ms[std::clamp<std::size_t>(rank, 1, ms.size()) - 1];
    };
    state.counters["median_ms"] = ms.size() % 2 == 0
        ? (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2.0
        : ms[ms.size() / 2];
    state.counters["p95_ms"] = at(0.95);
    state.counters["max_ms"] = ms.back();
    if (scenario == UserScenario::FirstScreen) {
        state.counters["rss_mb"] = rssMb;
        state.counters["added_mb"] = addedMb;
    }
}

} // namespace

int failedUserBenchmarks()
{
    return g_failures;
}

void registerUserBenchmarks(const BenchContext &context, const BenchOptions &options)
{
    const BenchContext *ctx = &context;
    const std::string backend = backendName(context.backend).toStdString();
    for (const UserScenario scenario : {UserScenario::FirstScreen, UserScenario::ScrollToEnd,
             UserScenario::JumpToMiddle, UserScenario::Filter}) {
        for (const bool naive : {false, true}) {
            const int iterations = options.smoke ? 1 : naive ? 2 : 10;
            const std::string name = std::string(scenarioName(scenario)) + "/" + backend + "/"
                + (naive ? "naive" : "ours");
            benchmark::RegisterBenchmark(name.c_str(),
                [ctx, naive, scenario](
                    benchmark::State &state) { run(state, *ctx, naive, scenario); })
                ->Iterations(iterations)
                ->UseManualTime()
                ->Unit(benchmark::kMillisecond);
        }
    }
}

} // namespace rd::bench
