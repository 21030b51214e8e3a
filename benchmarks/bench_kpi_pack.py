"""Benchmark: the KPI pack on generated events — Quarterdeck's engine against hand-written
DuckDB SQL over the same Parquet (and, on 10M events, pandas).

The pack (METRICS_SPEC §0 identity resolution throughout, UTC, the whole generated range):
DAU per product per day; weekly retention over 12 weeks (first-activity cohorts, any activity
returns); adoption of one feature per month (active users as the denominator); stickiness
(DAU/MAU) per day. Every contender runs in its own process, so each peak RSS is its own. The
numbers must agree exactly, or the run fails. The engine runs with its own DuckDB settings
(``DuckDBEngine``: memory_limit 2 GB, spilling to the temp folder); the hand-written SQL with
DuckDB's defaults (memory_limit 80 % of RAM); threads are DuckDB's default everywhere. Run:

    .venv/bin/python benchmarks/bench_kpi_pack.py --events 10M [--runs 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import eventgen
from benchmarks.kpi_baselines import duckdb_pack, pandas_pack
from quarterdeck.metrics.engine.engines import DUCKDB_MEMORY_LIMIT

Figures = dict[str, dict[Any, Any]]
FEATURE = "Dashboard Shared"
RETENTION_WEEKS = 12


def months(first: date, last: date) -> list[tuple[date, date]]:
    found, start = [], first.replace(day=1)
    while start <= last:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        found.append((max(start, first), min(following - timedelta(days=1), last)))
        start = following
    return found


def product_names() -> dict[str, str]:
    return {source: source.removeprefix("src-").title() for source in eventgen.PRODUCTS}


def engine_pack(data: Path, first: date, last: date) -> Figures:
    """The pack through Quarterdeck's public engine API; results normalised for comparison."""
    from quarterdeck.metrics.engine import (
        ActiveUsers,
        Adoption,
        Breakdown,
        DuckDBEngine,
        EventMatcher,
        FeatureAdoption,
        Product,
        Retention,
        run,
        run_many,
    )

    engine = DuckDBEngine.from_parquet(data)
    products = [Product(name, source_ids=(s,)) for s, name in product_names().items()]
    dau = run(
        ActiveUsers(
            start=first, end=last, measure="dau", breakdown=Breakdown.by_products(*products)
        ),
        engine,
    )
    retention = run(
        Retention(
            start=first, end=last, start_event=EventMatcher(), grain="week",
            periods=RETENTION_WEEKS, as_of=last,
        ),
        engine,
    )  # fmt: skip
    adoption = run_many(
        [
            FeatureAdoption(start=a, end=b, feature=EventMatcher(FEATURE))
            for a, b in months(first, last)
        ],
        engine,
    )
    stickiness = run(ActiveUsers(start=first, end=last, measure="stickiness"), engine)
    cells = {}
    for cohort in retention.cohorts:
        cells[(cohort.period, -1)] = cohort.size
        for n, kept in enumerate(cohort.retained):
            if kept:
                cells[(cohort.period, n)] = kept
    return {
        "dau": {(p.period, p.breakdown): int(p.value) for p in dau.points if p.value},
        "retention": cells,
        "adoption": {
            a: (r.ratios[0].numerator, r.ratios[0].denominator)
            for (a, _), r in zip(months(first, last), adoption, strict=True)
            if isinstance(r, Adoption)
        },
        "stickiness": {p.period: p.value for p in stickiness.points},
    }


CONTENDERS: dict[str, Callable[[Path, date, date], Figures]] = {
    "engine": engine_pack,
    "duckdb": duckdb_pack,
    "pandas": pandas_pack,
}


def _contender(name: str, data: str, first: date, last: date, runs: int, out: Any) -> None:
    """In a child process: run the pack ``runs`` times; times, figures and peak RSS to ``out``."""
    pack = CONTENDERS[name]
    seconds, figures = [], {}
    try:
        for _ in range(runs):
            started = time.perf_counter()
            figures = pack(Path(data), first, last)
            seconds.append(time.perf_counter() - started)
    except Exception as error:  # the parent reports it and fails
        out.put({"error": f"{type(error).__name__}: {error}"})
        raise
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    out.put({"seconds": seconds, "figures": figures, "peak": peak})


def measure(name: str, data: Path, first: date, last: date, runs: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_contender, args=(name, str(data), first, last, runs, out))
    child.start()
    while True:
        try:
            found: dict[str, Any] = out.get(timeout=5)
            break
        except queue.Empty:
            if not child.is_alive():
                raise SystemExit(f"FAILED: {name} died (exit code {child.exitcode})") from None
    child.join()
    if "error" in found:
        raise SystemExit(f"FAILED: {name}: {found['error']}")
    print(f"  {name}: {', '.join(f'{s:.2f}' for s in found['seconds'])} s", flush=True)
    return found


def differences(ours: Figures, theirs: Figures) -> list[str]:
    found = []
    for kpi, values in ours.items():
        other = theirs[kpi]
        for key in sorted(set(values) | set(other), key=str):
            if values.get(key) != other.get(key):
                found.append(f"{kpi} {key}: {values.get(key)!r} vs {other.get(key)!r}")
    return found


def check(results: dict[str, dict[str, Any]]) -> None:
    reference = results["engine"]["figures"]
    for name, found in results.items():
        wrong = differences(reference, found["figures"])
        if wrong:
            shown = "\n  ".join(wrong[:10])
            raise SystemExit(
                f"FAILED: engine and {name} disagree ({len(wrong)} values):\n  {shown}"
            )


def report(results: dict[str, dict[str, Any]], events: int, runs: int, load: float) -> str:
    figures = results["engine"]["figures"]
    median = {name: statistics.median(r["seconds"]) for name, r in results.items()}
    lines = [
        f"KPI pack on {events:,} events, {os.cpu_count()} cores, engine memory_limit "
        f"{DUCKDB_MEMORY_LIMIT}, "
        f"load average before the run {load:.2f}, median of {runs}",
        f"  figures: {len(figures['dau'])} product-days, {len(figures['retention'])} retention "
        f"cells, {len(figures['adoption'])} months, {len(figures['stickiness'])} days; "
        f"all contenders agree",
    ]
    for name, found in results.items():
        ratio = median[name] / median["duckdb"]
        runs_text = ", ".join(f"{s:.2f}" for s in found["seconds"])
        lines.append(
            f"  {name:<8} {median[name]:8.2f} s  (runs {runs_text})  ratio to hand-written "
            f"DuckDB {ratio:5.2f}  peak RSS {found['peak'] / 2**30:5.2f} GiB"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=eventgen.parse_count, default=eventgen.parse_count("10M"))
    parser.add_argument("--runs", type=int, default=None, help="default: 3 (1 above 10M events)")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--pandas", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    small = args.events <= 10_000_000
    runs = args.runs or (3 if small else 1)
    data = args.data or eventgen.default_dir(args.events)
    started = time.perf_counter()
    eventgen.ensure_events(data, args.events)
    print(f"events ready in {data} ({time.perf_counter() - started:.0f} s)", flush=True)
    params = eventgen.read_params(data)
    first = eventgen.FIRST_DAY
    last = first + timedelta(days=params.days - 1)
    load = os.getloadavg()[0]
    names = ["engine", "duckdb"] + (
        ["pandas"] if (args.pandas if args.pandas is not None else small) else []
    )
    results = {name: measure(name, data, first, last, runs) for name in names}
    check(results)
    print(report(results, eventgen.count_events(data), runs, load))


if __name__ == "__main__":
    main(sys.argv[1:])
