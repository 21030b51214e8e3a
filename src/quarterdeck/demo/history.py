"""Stage histories for the demo portfolio: every item walked from idea to its stage today, with
dates spread over the last year and the reasons a product team would write down.

Deterministic for a given day: each item's dates come from a generator seeded with its path.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.portfolio.models import Stage
from quarterdeck.transfer.text import path_text

STAGES = list(Stage.values)

# The post-launch story's two launches are at least this many days old, so their +30, +60 and
# +90-day checks are all due; their walk up to launch moves back by whole weeks (same weekdays).
STORY_LAUNCH_AGES: dict[tuple[str, str], int] = {WORKED: 120, FLOPPED: 100}

REASONS: dict[str, list[str]] = {
    "idea": [
        "Raised at the quarterly portfolio review.",
        "Came out of the customer advisory board.",
        "Top request from Sales in lost-deal reviews.",
        "Support sees this in a growing share of tickets.",
    ],
    "discovery": [
        "Enough signal from customer interviews to invest in discovery.",
        "Approved for discovery at the portfolio review.",
        "Twelve accounts asked for it last quarter; worth understanding the job to be done.",
    ],
    "build": [
        "Discovery exit: the prototype tested well with six customers.",
        "Business case approved; engineering capacity allocated for two quarters.",
        "Design partners signed up; solution validated with a clickable prototype.",
    ],
    "launch": [
        "Beta with design partners met its success criteria.",
        "Feature-complete; launch plan signed off by Marketing and Support.",
        "Pilot at three sites went well; rolling out to all customers.",
    ],
    "growth": [
        "Generally available; adoption ramping across mid-market accounts.",
        "Hit the 30-day adoption target after launch.",
        "Now part of the standard sales pitch; usage growing every month.",
    ],
    "mature": [
        "Adoption has levelled off near the addressable base; focus moves to efficiency.",
        "Usage stable for two quarters; kept in maintenance mode.",
    ],
    "sunset": [
        "Superseded by its successor; migration plan agreed with Customer Success.",
        "Used by under 3% of accounts; retirement approved at the portfolio review.",
    ],
}


def workday(moment: dt.datetime) -> dt.datetime:
    """Move a moment off the weekend, into office hours."""
    while moment.weekday() >= 5:
        moment -= dt.timedelta(days=1)
    return moment.replace(hour=9 + moment.hour % 8, minute=moment.minute, second=0, microsecond=0)


def moments(rng: random.Random, steps: int, now: dt.datetime) -> list[dt.datetime]:
    """``steps + 1`` increasing moments within the last year, the latest a few weeks ago."""
    first = min(360, 45 + 55 * steps + rng.randint(0, 40))
    last = rng.randint(3, 40)
    gap = (first - last) / max(steps, 1)
    days = [first - gap * index + rng.uniform(-gap / 4, gap / 4) for index in range(steps + 1)]
    days[0], days[-1] = first, (last if steps else first)
    return sorted(
        workday(now - dt.timedelta(days=day, minutes=rng.randint(0, 480))) for day in days
    )


def history(
    item_type: str, path: tuple[str, ...], stage: str, now: dt.datetime
) -> list[dict[str, Any]]:
    """The stage-change rows of one item, oldest first."""
    rng = random.Random("/".join(path))  # noqa: S311 - made-up demo dates, not security
    walk = STAGES[: STAGES.index(stage) + 1]
    if stage == "sunset" and rng.random() < 0.5:
        walk.remove("mature")  # some things are retired before they ever mature
    stamps = moments(rng, len(walk) - 1, now)
    if item_type == "feature":
        stamps = _story_launch(tuple(path[-2:]), walk, stamps, now)
    rows = []
    for index, at in enumerate(stamps):
        rows.append(
            {
                "item_type": item_type,
                "item": path_text(path),
                "from_stage": walk[index - 1] if index else "",
                "to_stage": walk[index],
                "at": at.isoformat(),
                "reason": rng.choice(REASONS[walk[index]]),
            }
        )
    return rows


def _story_launch(
    key: tuple[str, ...], walk: list[str], stamps: list[dt.datetime], now: dt.datetime
) -> list[dt.datetime]:
    age = STORY_LAUNCH_AGES.get((key[0], key[-1]))
    if age is None or "launch" not in walk:
        return stamps
    launch = walk.index("launch")
    late = (stamps[launch] - (now - dt.timedelta(days=age))).total_seconds()
    if late <= 0:
        return stamps
    shift = dt.timedelta(weeks=-(-late // (7 * 86400)))
    return [at - shift if index <= launch else at for index, at in enumerate(stamps)]
