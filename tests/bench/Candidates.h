#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "CustomerListCandidate.h"

namespace rd::bench {

using ListFactory = std::function<std::unique_ptr<CustomerListCandidate>(const BenchContext &)>;
using AdderFactory = std::function<std::unique_ptr<CustomerAdderCandidate>(const BenchContext &)>;

// One implementation measured in every scenario it supports. Its name is
// the last part of the benchmark names ("BM_FirstScreen/SQLite/ours");
// scripts/bench pairs "ours" with "naive" and lists any other name as an
// extra row compared with "naive".
struct Candidate
{
    std::string name;
    // The naive baselines are slow at 1M rows: they run the fewest
    // iterations (see CustomerBenchmarks.cpp).
    bool naive = false;
    ListFactory list;   // empty: not measured in the list scenarios
    AdderFactory adder; // empty: not measured in AddCustomer
};

// Every candidate, in the order they run (ours before naive, so the naive
// model's memory is not in the way of the others' peak RSS).
std::vector<Candidate> candidates();

} // namespace rd::bench
