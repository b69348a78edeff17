#pragma once

#include "BenchOptions.h"
#include "CustomerListCandidate.h"

namespace rd::bench {

// Registers every scenario for every candidate (Candidates.cpp) on one
// backend, named "BM_<Scenario>/<Backend>/<candidate>". The context must
// outlive the benchmark run.
//
// Each benchmark times its operation by hand (UseManualTime) from the
// operation to the last data() of the screen it leads to; setup (opening
// the list before a scroll, fetching every row before the naive sort) is
// not timed. Every run reports the counters median_ms, p95_ms and max_ms
// over its iterations (for Search: one iteration per term, the 20 terms in
// turn), rows (rows read per screen) and, for PeakMemory (open, then
// scroll through everything), peak_rss_mb (VmHWM, reset before the open)
// and added_mb (that peak minus the RSS before the open).
void registerCustomerBenchmarks(const BenchContext &context, const BenchOptions &options);

// How many benchmarks stopped with an error (Google Benchmark reports them
// but still exits with 0).
int failedBenchmarks();

} // namespace rd::bench
