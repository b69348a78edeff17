#pragma once

#include "BenchOptions.h"
#include "CustomerListCandidate.h"

namespace rd::bench {

// BM_Clone1000 (issue 7, section 5: "clone 1,000 customers, <= 100 ms
// including their audit events"): 1,000 active customers of the generated
// reseller with the most open assignments are cloned, as additional
// assignments, to a reseller made for the iteration (untimed). Timed: the
// whole clone, checks, assignment rows and audit events, committed.
// - "ours": TransferService::cloneToReseller;
// - "naive": CloneNaiveBaseline (per customer a check query and
//   QSqlTableModel inserts of the assignment and its audit event).
// After each iteration (untimed) the target's assignments are ended and
// the target archived, so every iteration, and every later run, starts
// from the same open assignments. SQLite works on a copy of the cached
// file; PostgreSQL on the cached database, which keeps the history of each
// iteration (see tests/bench/README.md). Reports median_ms, p95_ms,
// max_ms and customers (cloned per iteration).
void registerCloneBenchmarks(const BenchContext &context, const BenchOptions &options);

// How many clone benchmarks stopped with an error.
int failedCloneBenchmarks();

} // namespace rd::bench
