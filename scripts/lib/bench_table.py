#!/usr/bin/python3
"""Turns bench_customers' Google Benchmark JSON into the Markdown table of
scripts/bench: one row per scenario and backend with ours, naive, the ratio
naive/ours and the issue 7 target. Standard library only.

    bench_table.py benchmarks.json [more.json ...] [--command "..."] > benchmarks.md

Several files (e.g. a SQLite run and a PostgreSQL run) are merged; a
benchmark in a later file replaces the same one in an earlier file.

Benchmark names are BM_<Scenario>/<Backend>/<candidate>[/iterations:N/...];
"ours" is compared with "naive", any other candidate gets a row of its own.
Times are the median over the iterations (counter median_ms), Search also
shows p95 (its target is on p95), PeakMemory the peak RSS in MB.
"""

import argparse
import json
import sys

# Issue 7 targets at 1M customers on SQLite; PostgreSQL within 2x.
TARGETS = {
    "FirstScreen": ("first screen", "median_ms", 50.0),
    "ScrollToEnd": ("scroll to end", "median_ms", 60.0),
    "JumpToMiddle": ("jump to the middle", "median_ms", 60.0),
    "SortByCompany": ("sort by company", "median_ms", 60.0),
    "Search": ("search, 20 terms", "p95_ms", 50.0),
    "AddCustomer": ("add customer (checks)", "median_ms", 5.0),
    # Checks, assignments and audit events of 1,000 customers, committed.
    "Clone1000": ("clone 1,000 customers", "median_ms", 100.0),
    "PeakMemory": ("peak memory after scrolling", "peak_rss_mb", 150.0),
    # 100,000 rows at 20,000 customers/s.
    "ImportCsv": ("import 100,000 CSV rows", "median_ms", 5000.0),
    # The Users page (an administrator's scope: a membership per customer),
    # held to the customer table's targets.
    "UsersFirstScreen": ("users: first screen", "median_ms", 50.0),
    "UsersScrollToEnd": ("users: scroll to end", "median_ms", 60.0),
    "UsersJumpToMiddle": ("users: jump to the middle", "median_ms", 60.0),
    "UsersFilter": ("users: filter by a name", "median_ms", 50.0),
}
# The "Naive" column of a scenario whose reference is not a naive model:
# import is compared with the database's own bulk loader of the bare rows
# (the sqlite3 shell's .import, psql's \copy).
BASELINE = {"ImportCsv": {"SQLite": "sqlite3-cli", "PostgreSQL": "psql-copy"}}


def baseline(scenario, backend):
    return BASELINE.get(scenario, {}).get(backend, "naive")
ORDER = list(TARGETS)
BACKENDS = ["SQLite", "PostgreSQL"]


def parse(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    results = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration":
            continue
        parts = b["name"].split("/")
        if len(parts) < 3 or not parts[0].startswith("BM_"):
            continue
        scenario, backend, candidate = parts[0][3:], parts[1], parts[2]
        results[(scenario, backend, candidate)] = b
    return data.get("context", {}), results


def value(bench, counter):
    if bench is None or bench.get("error_occurred"):
        return None
    v = bench.get(counter)
    if v is None and counter == "median_ms":
        v = bench.get("real_time")
    return float(v) if v is not None else None


def fmt(bench, scenario):
    if bench is None:
        return "–"
    if bench.get("error_occurred"):
        return "error: " + bench.get("error_message", "?")
    if scenario == "PeakMemory":
        return "%.0f MB (+%.0f)" % (value(bench, "peak_rss_mb"), value(bench, "added_mb") or 0)
    median = value(bench, "median_ms")
    text = ms(median)
    if scenario in ("Search", "Clone1000"):
        text += " (p95 %s)" % ms(value(bench, "p95_ms"))
    return text


def ms(v):
    if v is None:
        return "–"
    if v >= 1000:
        return "%.2f s" % (v / 1000)
    if v >= 10:
        return "%.0f ms" % v
    return "%.2f ms" % v


def ratio(naive, ours, counter):
    n, o = value(naive, counter), value(ours, counter)
    if n is None or o is None or o <= 0:
        return "–"
    r = n / o
    if r >= 10:
        return "%.0f×" % r
    if r >= 0.1:
        return "%.1f×" % r
    return "1/{:,.0f}".format(1 / r)  # ours is that many times slower


def target(scenario, backend, ours):
    _, counter, limit = TARGETS[scenario]
    if backend == "PostgreSQL" and scenario != "PeakMemory":
        limit *= 2
    unit = "MB" if scenario == "PeakMemory" else "ms"
    what = "p95 " if counter == "p95_ms" else ""
    text = "%s≤ %g %s" % (what, limit, unit)
    v = value(ours, counter)
    if v is None:
        return text, "–"
    return text, ("yes" if v <= limit else "no (%.1f× over)" % (v / limit))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("json", nargs="+")
    parser.add_argument("--command", default="")
    args = parser.parse_args()
    context, results = {}, {}
    for path in args.json:
        more_context, more = parse(path)
        context = context or more_context
        results.update(more)
    references = {name for names in BASELINE.values() for name in names.values()}
    candidates = sorted({c for (_, _, c) in results} - {"ours", "naive"} - references)

    out = []
    customers = context.get("customers", "?")
    try:
        customers = "{:,}".format(int(customers))
    except ValueError:
        pass
    out.append("## Benchmarks: %s customers, %s resellers" % (customers, context.get("resellers", "?")))
    out.append("")
    out.append("%s, %s × %s MHz, %s. Medians over each benchmark's iterations; the ratio is "
               "naive / ours (above 1: ours is faster). Targets from issue 7 (PostgreSQL: 2× the "
               "SQLite time)." % (context.get("date", "?"), context.get("num_cpus", "?"),
                                 context.get("mhz_per_cpu", "?"),
                                 "ResellerDesk " + context.get("build_type", "?") + " build"))
    if args.command:
        out.append("")
        out.append("Command: `%s`" % args.command)
    out.append("")
    out.append("| Scenario | Backend | Ours | Naive | Naive / ours | Target | Ours meets it |")
    out.append("|---|---|---|---|---|---|---|")
    for scenario in ORDER:
        label, counter, _ = TARGETS[scenario]
        for backend in BACKENDS:
            ours = results.get((scenario, backend, "ours"))
            naive = results.get((scenario, backend, baseline(scenario, backend)))
            if ours is None and naive is None:
                continue
            goal, met = target(scenario, backend, ours)
            out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                label, backend, fmt(ours, scenario), fmt(naive, scenario),
                ratio(naive, ours, counter), goal, met))
            for candidate in candidates:
                other = results.get((scenario, backend, candidate))
                if other is None:
                    continue
                goal, met = target(scenario, backend, other)
                out.append("| %s (%s) | %s | %s | %s | %s | %s | %s |" % (
                    label, candidate, backend, fmt(other, scenario), fmt(naive, scenario),
                    ratio(naive, other, counter), goal, met))
    out.append("")
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
