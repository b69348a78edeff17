#pragma once

#include "BenchOptions.h"
#include "CustomerListCandidate.h"

namespace rd::bench {

// BM_ImportCsv (issue 7, section 5): importing a CSV file of new customers
// (100,000 rows; 500 in a smoke run) into the generated database, SQLite
// only. Both candidates work on a copy of the database file made before
// the first of them runs (untimed), so the cached database never grows:
// - "ours": CustomerImportService end to end — read the file, validate
//   every row (the checks of Add Customer, duplicates in the file and in
//   the database), import in batches (customer, user, membership,
//   assignment, audit events, trial reminder, search index);
// - "sqlite3-cli": the physical reference, the sqlite3 shell's `.import` of
//   the same rows as bare customer rows into customers_ref, a copy of the
//   customers table with the same indexes (no triggers, no other table).
// Each reports median_ms and rows_per_s; ours also read_ms, preview_ms
// and import_ms.
void registerImportBenchmarks(const BenchContext &context, const BenchOptions &options);

// How many import benchmarks stopped with an error.
int failedImportBenchmarks();

} // namespace rd::bench
