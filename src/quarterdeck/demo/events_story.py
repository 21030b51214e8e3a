"""The time line behind the demo events: when each product and feature became usable, and how
many of its users use each feature on each day of the window.

Dates come from the demo's own stage histories (history.py), so a feature's usage starts on the
day its history says it reached ``launch``. Features and products that are mature or sunset today
are treated as established before the window (their made-up histories squeeze years into one):
mature ones hold steady, sunset ones decay — faster once their successor has launched.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from quarterdeck.demo.events_catalog import LAUNCHED_FEATURE, SUCCESSORS
from quarterdeck.demo.history import history
from quarterdeck.launches.demo_story import FLOPPED
from quarterdeck.transfer.text import path_names

NEVER = 1_000_000  # a day index beyond any window
ALWAYS = -NEVER
LIVE_STAGES = ("launch", "growth", "mature", "sunset")


@dataclass(frozen=True)
class Window:
    """``days`` whole UTC days ending with ``end`` (inclusive); day 0 is the first. The stage
    histories are made up relative to ``now`` (default: noon of ``end``); the demo loader uses
    the current moment, and a history date can move by a day with the time of day."""

    end: dt.date
    days: int
    now: dt.datetime | None = None

    @property
    def anchor(self) -> dt.datetime:
        return self.now or dt.datetime.combine(self.end, dt.time(12), tzinfo=dt.UTC)

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)

    @property
    def last(self) -> int:
        return self.days - 1

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def date(self, index: int) -> dt.date:
        return self.start + dt.timedelta(days=index)


@dataclass(frozen=True)
class ProductLife:
    name: str
    stage: str
    everyone_from: int  # day index from which every customer can use it (NEVER: not yet)
    partners_from: int  # day index from which design partners can (its build day)


@dataclass(frozen=True)
class FeatureLife:
    product: str
    name: str
    kind: str
    stage: str
    launch: int  # day index it reached launch (ALWAYS for established features, NEVER if not)
    sunset: int


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = (resources.files("quarterdeck.demo") / "data" / name).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def _stage_days(
    item_type: str, path: tuple[str, ...], stage: str, window: Window
) -> dict[str, int]:
    changes = history(item_type, path, stage, window.anchor)
    return {c["to_stage"]: window.index(dt.datetime.fromisoformat(c["at"]).date()) for c in changes}


def product_lives(window: Window) -> dict[str, ProductLife]:
    lives = {}
    for row in _rows("products.csv"):
        stage = row["stage"]
        days = _stage_days("product", (*path_names(row["line"]), row["name"]), stage, window)
        if stage in ("growth", "mature", "sunset"):
            everyone, partners = ALWAYS, ALWAYS
        else:
            everyone, partners = days.get("launch", NEVER), days.get("build", NEVER)
        lives[row["name"]] = ProductLife(row["name"], stage, everyone, min(everyone, partners))
    return lives


def feature_lives(window: Window) -> list[FeatureLife]:
    lives = []
    for row in _rows("features.csv"):
        path = (*path_names(row["line"]), row["product"], row["name"])
        stage = row["stage"]
        days = _stage_days("feature", path, stage, window)
        established = stage in ("mature", "sunset")
        launch = ALWAYS if established else days.get("launch", NEVER)
        lives.append(
            FeatureLife(
                row["product"], row["name"], row["kind"], stage, launch, days.get("sunset", NEVER)
            )
        )
    return lives


def _rising(since: int, last: int, peak: float, jump: float) -> float:
    """A launch: ``jump`` of the peak on day one, the rest over a month, then slow growth."""
    ramp = jump + (1 - jump) * min(1.0, since / 30)
    return min(0.95, peak * ramp * (1 + 0.25 * since / max(last, 1)))


def _decaying(life: FeatureLife, day: int, last: int, successor: int | None) -> float:
    if successor is not None and successor > 0:
        # Flat until the replacement ships, then customers move over within a couple of months.
        level = 0.7 if day < successor else max(0.04, 0.7 * math.exp((successor - day) / 28))
    else:
        level = 0.6 * math.exp(-2.0 * day / max(last, 1))
    return level * (0.5 if day >= life.sunset else 1.0)


def feature_reach(life: FeatureLife, day: int, last: int, successor: int | None = None) -> float:
    """The share of a product's users who use this feature on ``day`` (0 when not usable)."""
    if life.kind == "initiative" or life.stage not in LIVE_STAGES:
        return 0.0  # an initiative's usage is its sub-features' events
    if life.stage == "sunset":
        if SUCCESSORS.get((life.product, life.name)) == FLOPPED[1]:  # nobody moved to it
            return 0.7 * (0.5 if day >= life.sunset else 1.0)
        return _decaying(life, day, last, successor)
    if life.stage == "mature":
        return 0.6
    if day < life.launch:
        return 0.0
    if (life.product, life.name) == LAUNCHED_FEATURE:
        return _rising(day - life.launch, last, peak=0.8, jump=0.4)
    if (life.product, life.name) == FLOPPED:  # the launch that did not take off
        return _rising(day - life.launch, last, peak=0.07, jump=0.8)
    return _rising(day - life.launch, last, peak=0.55, jump=0.3)


def successor_launch(life: FeatureLife, lives: list[FeatureLife]) -> int | None:
    name = SUCCESSORS.get((life.product, life.name))
    found = [other.launch for other in lives if (other.product, other.name) == (life.product, name)]
    return found[0] if found else None


def product_trend(product: ProductLife, day: int, last: int) -> float:
    """How much a product is used as a second product: a sunset product fades away."""
    if product.stage == "sunset":
        return math.exp(-1.5 * day / max(last, 1))
    return 1.0
