"""Product events for the demo company: about six months of Harborline's customers using its
products, written as the canonical events table (metrics.engine.schema) in date-partitioned
Parquet, ``<events dir>/date=YYYY-MM-DD/part-demo.parquet``.

The story the charts tell (names in events_catalog.py):

- a launch: the Drag-and-drop route planner (RouteIQ) has no usage before the day its stage
  history says it launched, then adoption jumps and keeps climbing;
- a decay: the Classic route editor it replaces loses its users once the planner ships, and
  halves again after its own sunset; every sunset feature fades;
- churn: about 8% of the accounts stop partway (activity tapers for four weeks, then nothing);
- sign-ups: new accounts arrive faster over time (and broker accounts after LoadBoard launches);
  their founders browse the public pages anonymously first, then sign up, and an ``identify``
  links the anonymous id to the new user id, so identity must be resolved retroactively;
- every user's first day in the window has an ``identify`` and a ``group`` row (user → account);
  feature events from the web apps also carry ``account_id`` directly.

Deterministic: the same seed, end date, length and scale give byte-identical files.
``QUARTERDECK_DEMO_EVENT_SCALE`` (default 1: about four million events) scales the number of
customers; the tests use a tiny scale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from quarterdeck.demo import events_sql
from quarterdeck.demo.events_catalog import DECAYING_FEATURE, LAUNCHED_FEATURE
from quarterdeck.demo.events_population import make_accounts, make_users
from quarterdeck.demo.events_story import NEVER, Window, feature_lives, product_lives
from quarterdeck.demo.events_tables import (
    day_micros,
    days_table,
    outcome_tables,
    product_days_table,
    users_table,
)
from quarterdeck.demo.events_visitors import visitor_rows
from quarterdeck.lib.env import ConfigError
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.metrics.engine.schema import EVENT_COLUMNS

DEFAULT_SEED: Final = 1729
DEFAULT_DAYS: Final = 182
CHUNK_DAYS: Final = 3  # a few days per query: faster and leaner than a week
PART_NAME: Final = "part-demo.parquet"
MARKER_NAME: Final = ".demo-generated"
SCALE_VARIABLE: Final = "QUARTERDECK_DEMO_EVENT_SCALE"
MAX_SCALE: Final = 20.0

_ARROW_TYPES: Final = {"VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us", tz="UTC")}
EVENTS_SCHEMA: Final = pa.schema(
    [pa.field(c.name, _ARROW_TYPES[c.sql_type], nullable=c.nullable) for c in EVENT_COLUMNS]
)


@dataclass(frozen=True)
class ChurnedAccount:
    account_id: str
    name: str
    plan: str
    churned_on: dt.date  # the account's users have no events after this day


@dataclass(frozen=True)
class DemoStory:
    """What the generated events show, for tests, notes and anyone checking the charts."""

    start: dt.date
    end: dt.date
    accounts: int
    users: int
    launched_feature: tuple[str, str]  # (product, feature)
    launched_on: dt.date
    decaying_feature: tuple[str, str]
    churned: tuple[ChurnedAccount, ...]


@dataclass(frozen=True)
class DemoEventsResult:
    directory: Path
    written: bool  # False: the demo events were already there, nothing changed
    events: int
    files: int
    bytes: int
    seconds: float


def demo_event_scale() -> float:
    """QUARTERDECK_DEMO_EVENT_SCALE: 1 ≈ four million events, 0.01 about fifteen thousand."""
    raw = os.environ.get(SCALE_VARIABLE, "1")
    try:
        scale = float(raw)
    except ValueError:
        scale = -1.0
    if not 0 < scale <= MAX_SCALE:
        raise ConfigError(
            f"{SCALE_VARIABLE}={raw!r}: expected a number above 0 and at most {MAX_SCALE:g}, "
            "e.g. 0.1 for a tenth of the demo events."
        )
    return scale


class _Simulation:
    """The customers and the tables the SQL expands (a second or two at scale 1)."""

    def __init__(self, window: Window, seed: int, scale: float) -> None:
        rng = random.Random(f"harborline-events:{seed}")  # noqa: S311 - made-up demo data
        self.window = window
        self.lives = product_lives(window)
        self.features = feature_lives(window)
        self.accounts = make_accounts(rng, self.lives, window, scale)
        self.users = make_users(rng, self.accounts, self.lives, window, scale)
        self.visitors = visitor_rows(rng, self.users, self.accounts, self.lives, window, scale)

    def story(self) -> DemoStory:
        launched = next(f for f in self.features if (f.product, f.name) == LAUNCHED_FEATURE)
        churned = tuple(
            ChurnedAccount(a.account_id, a.name, a.plan, self.window.date(a.churn))
            for a in self.accounts
            if a.churn < NEVER
        )
        return DemoStory(
            start=self.window.start,
            end=self.window.end,
            accounts=len({user.account for user in self.users}),
            users=len(self.users),
            launched_feature=LAUNCHED_FEATURE,
            launched_on=self.window.date(launched.launch),
            decaying_feature=DECAYING_FEATURE,
            churned=churned,
        )

    def tables(self) -> dict[str, pa.Table]:
        info, odds = outcome_tables(self.lives, self.features, self.window)
        return {
            "days": days_table(self.window),
            "users": users_table(self.users, self.accounts, self.window),
            "outcome_info": info,
            "odds": odds,
            "product_days": product_days_table(self.lives, self.window),
            "visitors": self.visitors,
        }


def _window(end: dt.date | None, days: int, now: dt.datetime | None) -> Window:
    if end is None:
        end = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date()
    return Window(end, days, now)


def demo_story(
    *,
    end: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    scale: float | None = None,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
) -> DemoStory:
    """The story of the events ``generate_demo_events`` writes with the same arguments."""
    window = _window(end, days, now)
    return _Simulation(window, seed, demo_event_scale() if scale is None else scale).story()


def _chunks(window: Window) -> Iterator[tuple[int, int]]:
    for first in range(0, window.days, CHUNK_DAYS):
        yield first, min(first + CHUNK_DAYS, window.days) - 1


def _as_canonical(rows: pa.Table) -> pa.Table:
    columns = [
        pc.cast(rows[name + "_us"], pa.timestamp("us", tz="UTC"))
        if field.type == pa.timestamp("us", tz="UTC")
        else rows[name]
        for name, field in zip(EVENTS_SCHEMA.names, EVENTS_SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=EVENTS_SCHEMA)


def _write_day(directory: Path, day: dt.date, rows: pa.Table) -> int:
    folder = directory / f"date={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{PART_NAME}.tmp"  # readers never see a half-written file
    # One contiguous table: the bytes must not depend on how DuckDB batched its output.
    pq.write_table(_as_canonical(rows).combine_chunks(), temporary, compression="zstd")
    os.replace(temporary, folder / PART_NAME)
    return (folder / PART_NAME).stat().st_size


def _remove_old_demo_files(directory: Path) -> None:
    """An earlier, interrupted or differently dated run must not leave rows behind."""
    (directory / MARKER_NAME).unlink(missing_ok=True)
    for old in directory.glob(f"date=*/{PART_NAME}"):
        old.unlink()


def _write_chunk(directory: Path, window: Window, rows: pa.Table, days: range) -> int:
    """Split one chunk's rows (ordered by time) by UTC date; the bytes written."""
    written = 0
    for day in days:
        today = rows.filter(pc.equal(rows["day_index"], day))
        if today.num_rows:
            written += _write_day(directory, window.date(day), today)
    return written


def generate_demo_events(
    directory: Path,
    *,
    end: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    scale: float | None = None,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    source_ids: Mapping[str, str] | None = None,
) -> DemoEventsResult:
    """Write the demo events for the ``days`` ending with ``end`` (default: the UTC date of
    ``now``, else today), replacing any earlier demo files in ``directory``; other Parquet files
    there are left alone. ``now`` anchors the stage histories as the demo loader did (default:
    noon of ``end``). ``source_ids`` maps each demo source's name to the id its events carry
    (the Source rows' ids; default: the names). A marker file (MARKER_NAME) records what was
    generated; written last."""
    began = time.monotonic()
    window = _window(end, days, now)
    scale = demo_event_scale() if scale is None else scale
    simulation = _Simulation(window, seed, scale)
    directory.mkdir(parents=True, exist_ok=True)
    _remove_old_demo_files(directory)
    progress = progress or NoProgress()
    progress.start("Events", window.days)
    con = events_sql.connect(simulation.tables(), window.last)
    events = size = 0
    try:
        for first, last in _chunks(window):
            micros = (day_micros(window.date(first)), day_micros(window.date(last + 1)))
            rows = events_sql.events_between(con, (first, last), micros, day_micros(window.start))
            rows = _with_source_ids(rows, source_ids or {})
            size += _write_chunk(directory, window, rows, range(first, last + 1))
            events += rows.num_rows
            progress.advance(last - first + 1)
    finally:
        con.close()
    files = len(list(directory.glob(f"date=*/{PART_NAME}")))
    result = DemoEventsResult(directory, True, events, files, size, time.monotonic() - began)
    record = {"seed": seed, "scale": scale, "source_ids": dict(source_ids or {})}
    _write_marker(directory, result, simulation.story(), record)
    return result


def _with_source_ids(rows: pa.Table, source_ids: Mapping[str, str]) -> pa.Table:
    if not source_ids:
        return rows
    names = pa.array(list(source_ids), pa.string())
    ids = pa.array(list(source_ids.values()), pa.string())
    column = rows["source_id"]
    mapped = pc.coalesce(pc.take(ids, pc.index_in(column, value_set=names)), column)
    return rows.set_column(rows.schema.get_field_index("source_id"), "source_id", mapped)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def _write_marker(
    directory: Path, result: DemoEventsResult, story: DemoStory, record: dict[str, Any]
) -> None:
    record = {
        **record,
        "result": {k: v for k, v in dataclasses.asdict(result).items() if k != "directory"},
        "story": dataclasses.asdict(story),
    }
    text = json.dumps(_jsonable(record), indent=2, ensure_ascii=False)
    (directory / MARKER_NAME).write_text(text + "\n", encoding="utf-8")


def _already_there(
    directory: Path, source_ids: Mapping[str, str] | None
) -> DemoEventsResult | None:
    try:
        marker = json.loads((directory / MARKER_NAME).read_text(encoding="utf-8"))
        recorded = marker["result"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none, or unreadable: generate again (the demo files are replaced)
    if marker.get("source_ids", {}) != dict(source_ids or {}):
        return None  # the sources were made again (a new database): their ids changed
    fields = ("events", "files", "bytes", "seconds")
    return DemoEventsResult(directory, False, *(recorded.get(name, 0) for name in fields))


def demo_events_ensure(
    directory: Path,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    source_ids: Mapping[str, str] | None = None,
) -> DemoEventsResult:
    """Generate the demo events (six months up to ``now``) into ``directory`` unless a finished
    run with the same source ids is already there."""
    return _already_there(directory, source_ids) or generate_demo_events(
        directory, now=now, progress=progress, source_ids=source_ids
    )
