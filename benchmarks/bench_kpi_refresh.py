"""Benchmark: KPI snapshot refresh — full (the whole history) vs incremental (one new day).

Figure: `kpis_refresh(full=True)` over the generated events (benchmarks/eventgen.py: four
products as source ids, 20 features as track events, identity and group rows), then
`kpis_refresh()` after `append_day` added one more day. Target: incremental ≤ 5 % of full.
The refresh keeps daily actor sets (kpis/actor_store.py) under QUARTERDECK_DATA_DIR (here a
fresh temporary directory), so the full refresh also builds them.
Each product is tracked by a `source_id` condition (ProductTracking) and has the 20 features
(FeatureUsage by event name), as a company would set it up. Run:

    .venv/bin/python benchmarks/bench_kpi_refresh.py [--events 10M] [--days 182] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import eventgen


def setup_django(events_dir: Path) -> None:
    os.environ["QUARTERDECK_DATA_DIR"] = tempfile.mkdtemp(prefix="qd-bench-")
    os.environ.pop("QUARTERDECK_DATABASE_URL", None)
    os.environ.pop("QUARTERDECK_EVENTS_WAREHOUSE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "quarterdeck.settings"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.EVENTS_DIR = events_dir
    call_command("migrate", verbosity=0)


def populate() -> None:
    from quarterdeck.metrics.models import FeatureUsage, ProductTracking
    from quarterdeck.portfolio.models import Feature, Product, ProductLine

    line = ProductLine.objects.create(name="Bench")
    for source in eventgen.PRODUCTS:
        product = Product.objects.create(name=source.removeprefix("src-").title(), line=line)
        ProductTracking.objects.create(
            product=product,
            conditions=[{"key": "source_id", "op": "eq", "value": source, "on": "column"}],
        )
        for event in eventgen.FEATURES:
            feature = Feature.objects.create(name=event, product=product)
            FeatureUsage.objects.create(feature=feature, event=event)


def count_events(directory: Path) -> int:
    import duckdb

    pattern = f"{directory}/date=*/*.parquet"
    row = duckdb.connect().execute(f"SELECT COUNT(*) FROM '{pattern}'").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def timed_refresh(**kwargs: Any) -> tuple[float, Any]:
    from quarterdeck.kpis.services import kpis_refresh

    started = time.perf_counter()
    result = kpis_refresh(**kwargs)
    seconds = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"refresh failed: {result.summary()['errors']}")
    return seconds, result


def report(label: str, seconds: float, result: Any) -> None:
    rows = sum(p.rows for p in result.products)
    spans = {f"{p.start} → {p.end}" for p in result.products}
    print(f"{label:<12} {seconds:8.2f} s  {rows:>8,} snapshot rows  days {', '.join(spans)}")


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=eventgen.parse_count, default=eventgen.parse_count("10M"))
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    directory = args.data or eventgen.default_dir(args.events)
    started = time.perf_counter()
    eventgen.ensure_events(directory, args.events, days=args.days)
    print(f"events ready in {time.perf_counter() - started:.1f} s: {directory}")
    setup_django(directory)
    populate()
    last: date = eventgen.FIRST_DAY + timedelta(days=args.days - 1)
    events = count_events(directory)
    print(f"{events:,} events, {args.days} days, 4 products x 20 features, cpus={os.cpu_count()}")
    print(f"load average before the full refresh: {load_average()}")
    full_seconds, full = timed_refresh(full=True, today=last)
    report("full", full_seconds, full)
    appended = eventgen.append_day(directory, last + timedelta(days=1))
    print(f"appended {appended:,} events for {last + timedelta(days=1)}")
    print(f"load average before the incremental refresh: {load_average()}")
    inc_seconds, incremental = timed_refresh(today=last + timedelta(days=1))
    report("incremental", inc_seconds, incremental)
    ratio = inc_seconds / full_seconds
    verdict = "OK" if ratio <= 0.05 else "ABOVE TARGET"
    print(f"incremental / full = {ratio:.1%} (target ≤ 5 %: {verdict})")


if __name__ == "__main__":
    main(sys.argv[1:])
