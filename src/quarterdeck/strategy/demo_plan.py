"""What Harborline's demo strategy says: the words, the tree of outcomes and, per bound key
result, how ambitious its target is (``share``: the part of the way from baseline to target the
end-of-quarter forecast covers; 1.2 comfortably on track, 0.85 at risk, 0.3 off track)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

VISION_DRAFT: Final = {
    "statement": (
        "Every load Harborline touches moves with no surprises: carriers plan and run their "
        "routes in one place, shippers find capacity in minutes, and partners connect through "
        "one open API."
    ),
    "horizon": "2026-2028",
}
VISION_REVISED: Final = {
    "statement": (
        "Every load Harborline touches moves with no surprises: carriers plan and run their "
        "routes in one place, shippers find capacity in minutes, warehouses run their docks "
        "and picking on Harborline, and partners connect through one open API."
    ),
}

# (name, description, lines, products)
PILLARS: Final = (
    (
        "Best-run fleets",
        "Carriers plan, dispatch and track every route in Harborline.",
        ("Transport",),
        ("RouteIQ", "DriverHub", "Telematics Connect"),
    ),
    (
        "Liquid freight marketplace",
        "Shippers and brokers find vetted capacity at a fair price in minutes.",
        ("Freight Marketplace",),
        ("LoadBoard", "RateDesk"),
    ),
    (
        "Warehouse operating system",
        "Docks, picking and inventory of every site on one system.",
        ("Warehouse",),
        ("DockFlow", "PickPath", "StockSight"),
    ),
    (
        "Open platform",
        "One API, single sign-on and integrations every product builds on.",
        ("Platform",),
        ("Connect API", "EDI Gateway"),
    ),
)


@dataclass(frozen=True)
class KrPlan:
    title: str
    source: str  # analytics | survey | revenue | manual
    subject: str  # a product (analytics), survey, line (revenue); "" for manual
    unit: str
    share: float = 1.2
    baseline: float = 0.0  # manual only: bound ones aim from their data
    target: float = 0.0


@dataclass(frozen=True)
class OutcomePlan:
    title: str
    description: str
    level: str
    subject: str  # the line or product ("" for company)
    owner: str  # e-mail name
    pillars: tuple[str, ...] = ()
    key_results: tuple[KrPlan, ...] = ()
    children: tuple[OutcomePlan, ...] = ()


TRANSPORT = OutcomePlan(
    "Grow Transport's recurring revenue",
    "Expansion in mid-market carriers pays for the routing investments.",
    "line",
    "Transport",
    "tomas.herrera",
    ("Best-run fleets",),
    (KrPlan("Transport MRR", "revenue", "Transport", "USD", 1.25),),
)
ROUTEIQ = OutcomePlan(
    "Route planners love the new planner",
    "The drag-and-drop planner replaces the classic editor for every planner.",
    "product",
    "RouteIQ",
    "lena.fischer",
    ("Best-run fleets",),
    (
        KrPlan("RouteIQ NPS", "survey", "RouteIQ NPS", "NPS", 1.15),
        KrPlan("RouteIQ monthly active users", "analytics", "RouteIQ", "users", 1.1),
    ),
)
DRIVERHUB = OutcomePlan(
    "Drivers trust DriverHub again",
    "Win back the drivers we lost in the summer outage: reliability first, then the new stops.",
    "product",
    "DriverHub",
    "arjun.mehta",
    ("Best-run fleets",),
    (
        KrPlan("DriverHub NPS back to its pre-outage level", "survey", "DriverHub NPS", "NPS", 1.1),
        KrPlan("DriverHub monthly active drivers", "analytics", "DriverHub", "users", 0.3),
    ),
)
LOADBOARD = OutcomePlan(
    "LoadBoard is where brokers post their loads",
    "Since launch, brokers post more loads every week; keep the pace through peak season.",
    "product",
    "LoadBoard",
    "nadia.haddad",
    ("Liquid freight marketplace",),
    (
        KrPlan("LoadBoard monthly active users", "analytics", "LoadBoard", "users", 1.2),
        KrPlan("LoadBoard NPS", "survey", "LoadBoard NPS", "NPS", 1.2),
    ),
)
WAREHOUSE = OutcomePlan(
    "PickPath in every 3PL site we serve",
    "Picking moves from paper to PickPath's handhelds across our 3PL customers.",
    "line",
    "Warehouse",
    "priya.raman",
    ("Warehouse operating system",),
    (
        KrPlan("PickPath monthly active users", "analytics", "PickPath", "users", 0.85),
        KrPlan("Warehouse MRR", "revenue", "Warehouse", "USD", 1.2),
    ),
)
PLATFORM = OutcomePlan(
    "Move EDI customers to the Connect API",
    "EDI Gateway retires next year; every EDI customer moves to the Connect API first.",
    "line",
    "Platform",
    "hannah.cho",
    ("Open platform",),
    (KrPlan("EDI customers migrated to the Connect API", "manual", "", "customers", 1.0, 0, 40),),
)
OUTCOMES: Final = (
    OutcomePlan(
        "Carriers run every route in Harborline",
        "Mid-market carriers plan, dispatch and track on Harborline, and their drivers like it.",
        "company",
        "",
        "dana.reyes",
        ("Best-run fleets",),
        children=(TRANSPORT, ROUTEIQ, DRIVERHUB),
    ),
    OutcomePlan(
        "Shippers find capacity in minutes",
        "The marketplace matches loads with vetted carriers the same hour.",
        "company",
        "",
        "dana.reyes",
        ("Liquid freight marketplace",),
        children=(LOADBOARD,),
    ),
    OutcomePlan(
        "Warehouses run on Harborline",
        "3PLs run docks and picking on Harborline across all their sites.",
        "company",
        "",
        "priya.raman",
        ("Warehouse operating system",),
        children=(WAREHOUSE,),
    ),
    OutcomePlan(
        "Retire EDI without losing a customer",
        "Every EDI customer is on the Connect API before the gateway closes.",
        "company",
        "",
        "hannah.cho",
        ("Open platform",),
        children=(PLATFORM,),
    ),
)

# Manual key result check-ins: (days after the quarter's start, value, note).
MANUAL_CHECK_INS: Final = (
    (5, 4, "First four customers moved in the pilot."),
    (19, 11, "Migration guide published; Tuesday office hours started."),
    (33, 17, "Two large shippers waiting on their own IT until mid-November."),
    (47, 26, "The two large shippers are done."),
    (54, 30, "Thirty on the API; the last ten have a date."),
)

# Outcome check-ins by their owners: (outcome title, author e-mail name, health, note).
CHECK_INS: Final = (
    (
        "Drivers trust DriverHub again",
        "arjun.mehta",
        "off_track",
        "The drivers who stayed like the app again (NPS is back), but the ones we lost in the "
        "outage have not come back: offline mode slipped to January. Two engineers moved from "
        "the stops redesign to reliability.",
    ),
    (
        "Route planners love the new planner",
        "dana.reyes",
        "on_track",
        "Planners who switched rate the new planner well; the classic editor is almost unused.",
    ),
    (
        "PickPath in every 3PL site we serve",
        "dana.reyes",
        "at_risk",
        "Two 3PLs delayed their handheld roll-out to January; we are helping with the devices.",
    ),
)
