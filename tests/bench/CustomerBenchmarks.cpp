#include "CustomerBenchmarks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <QAbstractItemModel>

#include <benchmark/benchmark.h>

#include "Candidates.h"
#include "Memory.h"
#include "TestDataWords.h"

namespace rd::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Rows shown of a search result (the target: "the first 50 matches").
constexpr int SearchMatches = 50;

// Per-iteration times, reported as counters (Google Benchmark itself
// reports the mean).
class Samples
{
public:
    void add(benchmark::State &state, Clock::duration elapsed)
    {
        const double seconds = std::chrono::duration<double>(elapsed).count();
        state.SetIterationTime(seconds);
        m_ms.push_back(seconds * 1000.0);
    }

    void report(benchmark::State &state)
    {
        if (m_ms.empty())
            return;
        std::sort(m_ms.begin(), m_ms.end());
        state.counters["median_ms"] = percentile(0.5);
        state.counters["p95_ms"] = percentile(0.95);
        state.counters["max_ms"] = m_ms.back();
    }

private:
    // Nearest-rank percentile of the sorted samples.
    double percentile(double p) const
    {
        if (p == 0.5 && m_ms.size() % 2 == 0)
            return (m_ms[m_ms.size() / 2 - 1] + m_ms[m_ms.size() / 2]) / 2.0;
        const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(m_ms.size())));
        return m_ms[std::clamp<std::size_t>(rank, 1, m_ms.size()) - 1];
    }

    std::vector<double> m_ms;
};

// What a view does to show a screen: rowCount(), then data() of every
// cell of the screen's rows. Returns the rows read.
int readScreen(QAbstractItemModel &model, int first, int rows)
{
    const int rowCount = model.rowCount();
    const int columns = model.columnCount();
    const int last = std::min(rowCount, first + rows);
    qsizetype characters = 0;
    for (int r = first; r < last; ++r) {
        for (int c = 0; c < columns; ++c)
            characters += model.data(model.index(r, c)).toString().size();
    }
    benchmark::DoNotOptimize(characters);
    return std::max(0, last - first);
}

std::string describe(const Error &error)
{
    return error.toString().toStdString();
}

int g_failures = 0;

void skip(benchmark::State &state, const std::string &why)
{
    ++g_failures;
    std::fprintf(stderr, "bench: error: %s\n", why.c_str());
    state.SkipWithError(why.c_str());
}

struct Iterations
{
    int ours;
    int naive;
    int smoke;
};

Iterations iterationsFor(Scenario scenario)
{
    switch (scenario) {
    case Scenario::FirstScreen:
        return {20, 5, 2};
    case Scenario::ScrollToEnd:
    case Scenario::JumpToMiddle:
        return {5, 3, 1};
    case Scenario::SortByCompany:
        return {10, 1, 1};
    case Scenario::Search: // rounds of all terms
        return {2, 1, 1};
    case Scenario::PeakMemory:
        return {1, 1, 1};
    }
    return {1, 1, 1};
}

const char *scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::FirstScreen:
        return "BM_FirstScreen";
    case Scenario::ScrollToEnd:
        return "BM_ScrollToEnd";
    case Scenario::JumpToMiddle:
        return "BM_JumpToMiddle";
    case Scenario::SortByCompany:
        return "BM_SortByCompany";
    case Scenario::Search:
        return "BM_Search";
    case Scenario::PeakMemory:
        return "BM_PeakMemory";
    }
    return "BM_Unknown";
}

// FirstScreen, ScrollToEnd, JumpToMiddle, SortByCompany: a fresh list per
// iteration; the operation and the reading of its screen are timed.
void runScreenScenario(benchmark::State &state, const BenchContext &context,
    const ListFactory &factory, Scenario scenario)
{
    Samples samples;
    int rows = 0;
    for (auto _ : state) {
        std::unique_ptr<CustomerListCandidate> list = factory(context);
        if (scenario != Scenario::FirstScreen) {
            if (Result<int> opened = list->open(); !opened) {
                skip(state, describe(opened.error()));
                break;
            }
            if (Status prepared = list->prepare(scenario); !prepared) {
                skip(state, describe(prepared.error()));
                break;
            }
        }
        const Clock::time_point start = Clock::now();
        Result<int> first = 0;
        switch (scenario) {
        case Scenario::FirstScreen:
            first = list->open();
            break;
        case Scenario::ScrollToEnd:
            first = list->scrollToEnd();
            break;
        case Scenario::JumpToMiddle:
            first = list->jumpTo(context.customerCount / 2);
            break;
        case Scenario::SortByCompany:
            first = list->sortByCompany();
            break;
        case Scenario::Search:
        case Scenario::PeakMemory:
            break;
        }
        if (!first) {
            skip(state, describe(first.error()));
            break;
        }
        rows = readScreen(list->model(), *first, context.screenRows);
        samples.add(state, Clock::now() - start);
        list.reset();
        Memory::releaseFreed();
    }
    samples.report(state);
    state.counters["rows"] = rows;
}

// One list, opened once; each iteration searches the next of the 20 terms.
void runSearch(benchmark::State &state, const BenchContext &context, const ListFactory &factory)
{
    const std::span<const char *const> terms = TestDataWords::searchTerms();
    std::unique_ptr<CustomerListCandidate> list = factory(context);
    if (Result<int> opened = list->open(); !opened) {
        skip(state, describe(opened.error()));
        return;
    }
    if (Status prepared = list->prepare(Scenario::Search); !prepared) {
        skip(state, describe(prepared.error()));
        return;
    }
    Samples samples;
    std::size_t next = 0;
    qint64 shown = 0;
    for (auto _ : state) {
        const QString term = QString::fromUtf8(terms[next++ % terms.size()]);
        const Clock::time_point start = Clock::now();
        Result<int> first = list->search(term, SearchMatches);
        if (!first) {
            skip(state, describe(first.error()));
            break;
        }
        shown += readScreen(list->model(), *first, SearchMatches);
        const Clock::duration took = Clock::now() - start;
        samples.add(state, took);
        // Which terms make the p95 (tests/bench/README.md).
        if (qEnvironmentVariableIsSet("RESELLERDESK_BENCH_TERMS"))
            std::fprintf(stderr, "bench: search term \"%s\" %.1f ms\n", qPrintable(term),
                std::chrono::duration<double, std::milli>(took).count());
    }
    samples.report(state);
    state.counters["terms"] = static_cast<double>(terms.size());
    state.counters["rows"]
        = benchmark::Counter(static_cast<double>(shown), benchmark::Counter::kAvgIterations);
}

void runPeakMemory(benchmark::State &state, const BenchContext &context, const ListFactory &factory)
{
    Samples samples;
    qint64 peakKb = 0;
    qint64 addedKb = 0;
    for (auto _ : state) {
        Memory::releaseFreed();
        const bool reset = Memory::resetPeak();
        const qint64 before = Memory::residentKb();
        const Clock::time_point start = Clock::now();
        // Opening counts: QPSQL reads the whole table in the naive select().
        std::unique_ptr<CustomerListCandidate> list = factory(context);
        if (Result<int> opened = list->open(); !opened) {
            skip(state, describe(opened.error()));
            break;
        }
        if (Status scrolled = list->scrollThroughAll(); !scrolled) {
            skip(state, describe(scrolled.error()));
            break;
        }
        const int rows = list->model().rowCount();
        readScreen(list->model(), std::max(0, rows - context.screenRows), context.screenRows);
        samples.add(state, Clock::now() - start);
        peakKb = reset ? Memory::peakKb() : Memory::residentKb();
        addedKb = peakKb - before;
        list.reset();
        Memory::releaseFreed();
    }
    samples.report(state);
    state.counters["peak_rss_mb"] = static_cast<double>(peakKb) / 1024.0;
    state.counters["added_mb"] = static_cast<double>(addedKb) / 1024.0;
}

void runAddCustomer(
    benchmark::State &state, const BenchContext &context, const AdderFactory &factory)
{
    static int serial = 0;
    std::unique_ptr<CustomerAdderCandidate> adder = factory(context);
    Samples samples;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        if (Status added = adder->add(++serial); !added) {
            skip(state, describe(added.error()));
            break;
        }
        samples.add(state, Clock::now() - start);
    }
    samples.report(state);
    if (Status cleaned = adder->cleanUp(); !cleaned)
        skip(state, describe(cleaned.error()));
}

std::string benchmarkName(const char *scenario, Backend backend, const Candidate &candidate)
{
    return std::string(scenario) + '/' + backendName(backend).toStdString() + '/' + candidate.name;
}

} // namespace

int failedBenchmarks()
{
    return g_failures;
}

void registerCustomerBenchmarks(const BenchContext &context, const BenchOptions &options)
{
    const std::vector<Candidate> all = candidates();
    auto iterations = [&](Scenario scenario, const Candidate &candidate) {
        const Iterations n = iterationsFor(scenario);
        const int count = options.smoke ? n.smoke : candidate.naive ? n.naive : n.ours;
        return scenario == Scenario::Search
            ? count * static_cast<int>(TestDataWords::searchTerms().size())
            : count;
    };
    const BenchContext *ctx = &context;

    for (const Scenario scenario : {Scenario::FirstScreen, Scenario::ScrollToEnd,
             Scenario::JumpToMiddle, Scenario::SortByCompany, Scenario::Search}) {
        for (const Candidate &candidate : all) {
            if (!candidate.list)
                continue;
            const ListFactory factory = candidate.list;
            benchmark::RegisterBenchmark(
                benchmarkName(scenarioName(scenario), context.backend, candidate).c_str(),
                [ctx, factory, scenario](benchmark::State &state) {
                    if (scenario == Scenario::Search)
                        runSearch(state, *ctx, factory);
                    else
                        runScreenScenario(state, *ctx, factory, scenario);
                })
                ->Iterations(iterations(scenario, candidate))
                ->UseManualTime()
                ->Unit(benchmark::kMillisecond);
        }
    }

    for (const Candidate &candidate : all) {
        if (!candidate.adder)
            continue;
        const AdderFactory factory = candidate.adder;
        const int count = options.smoke ? 2 : candidate.naive ? 5 : 200;
        benchmark::RegisterBenchmark(
            benchmarkName("BM_AddCustomer", context.backend, candidate).c_str(),
            [ctx, factory](benchmark::State &state) { runAddCustomer(state, *ctx, factory); })
            ->Iterations(count)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }

    // Last for this backend, ours first: the naive model's memory must not
    // be in the way of another candidate's peak.
    for (const Candidate &candidate : all) {
        if (!candidate.list)
            continue;
        const ListFactory factory = candidate.list;
        benchmark::RegisterBenchmark(
            benchmarkName(scenarioName(Scenario::PeakMemory), context.backend, candidate).c_str(),
            [ctx, factory](benchmark::State &state) { runPeakMemory(state, *ctx, factory); })
            ->Iterations(1)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }
}

} // namespace rd::bench
