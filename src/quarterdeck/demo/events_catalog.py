"""How Harborline's products and features show up in product events: plain data.

``DEMO_PRODUCT_SOURCES`` names the one event source of each demo product (later turned into
Source rows); ``DEMO_FEATURE_EVENTS`` says, for every feature and initiative of the demo
portfolio, which event (and which property conditions) count as using it (later turned into
feature definitions). The generator in events.py emits exactly these events, so a definition
built from this table matches the demo data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

APP_URL: Final = "https://app.harborline.example"

DEMO_PRODUCT_SOURCES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "RouteIQ": "RouteIQ web app",
        "DriverHub": "DriverHub mobile app",
        "Telematics Connect": "Telematics Connect web app",
        "LoadBoard": "LoadBoard web app",
        "RateDesk": "RateDesk web app",
        "DockFlow": "DockFlow web app",
        "PickPath": "PickPath web app",
        "StockSight": "StockSight web app",
        "Connect API": "Connect API web app",
        "EDI Gateway": "EDI Gateway web app",
    }
)
"""Product name → the name of its event source. DriverHub is the drivers' phone app: it sends
``screen`` rows ("Screen Viewed"); every other product is a web app sending ``page`` rows."""

MOBILE_PRODUCTS: Final = frozenset({"DriverHub"})


@dataclass(frozen=True)
class FeatureEvent:
    """Using a feature = an event named ``event`` whose properties equal every ``where`` item.

    Feature events carry ``{"product": ..., "feature": ...}``; an initiative's definition has no
    ``feature`` condition, so it matches the shared event of all its sub-features.
    """

    product: str
    feature: str
    event: str
    where: Mapping[str, str] = field(default_factory=dict)

    @property
    def definition(self) -> dict[str, object]:
        return {"event": self.event, "where": dict(self.where)}


# (product, feature) → event name; initiatives are marked with a leading "*" on the event.
_EVENTS: Final = {
    ("RouteIQ", "Dynamic re-routing"): "Route Replanned",
    ("RouteIQ", "Multi-stop time windows"): "Time Windows Applied",
    ("RouteIQ", "EV range-aware routing"): "*EV Route Planned",
    ("RouteIQ", "Charging stop planner"): "EV Route Planned",
    ("RouteIQ", "Battery health from telematics"): "EV Route Planned",
    ("RouteIQ", "Driver break compliance"): "Driver Breaks Planned",
    ("RouteIQ", "Route cost simulator"): "Route Cost Simulated",
    ("RouteIQ", "Drag-and-drop route planner"): "Route Optimized",
    ("RouteIQ", "Classic route editor"): "Route Optimized",
    ("DriverHub", "Electronic proof of delivery"): "Delivery Proof Captured",
    ("DriverHub", "Offline mode"): "Offline Sync Completed",
    ("DriverHub", "In-app hours-of-service log"): "Duty Status Logged",
    ("DriverHub", "Driver chat with dispatch"): "Dispatch Message Sent",
    ("DriverHub", "Damage photo tagging"): "Damage Photo Tagged",
    ("DriverHub", "Driver scorecards"): "Scorecard Viewed",
    ("DriverHub", "SMS job notifications"): "Job Link Opened",
    ("Telematics Connect", "Live fleet map"): "Fleet Map Viewed",
    ("Telematics Connect", "ELD provider connectors"): "*Telematics Provider Synced",
    ("Telematics Connect", "Samsara connector"): "Telematics Provider Synced",
    ("Telematics Connect", "Geotab connector"): "Telematics Provider Synced",
    ("Telematics Connect", "Motive connector"): "Telematics Provider Synced",
    ("Telematics Connect", "Geofence alerts"): "Geofence Alert Opened",
    ("Telematics Connect", "Predictive ETA"): "ETA Prediction Viewed",
    ("Telematics Connect", "Cold-chain temperature monitoring"): "Temperature Excursion Reviewed",
    ("LoadBoard", "Load posting"): "Load Posted",
    ("LoadBoard", "Carrier matching engine"): "Carrier Matches Requested",
    ("LoadBoard", "Carrier onboarding and compliance"): "*Carrier Vetted",
    ("LoadBoard", "Insurance certificate verification"): "Carrier Vetted",
    ("LoadBoard", "Operating authority lookup"): "Carrier Vetted",
    ("LoadBoard", "Saved lane alerts"): "Lane Alert Saved",
    ("LoadBoard", "Load tendering via API"): "Load Tendered",
    ("RateDesk", "Instant spot quotes"): "Spot Quote Requested",
    ("RateDesk", "Contract rate benchmarking"): "Rate Benchmark Viewed",
    ("RateDesk", "Fuel surcharge calculator"): "Fuel Surcharge Calculated",
    ("RateDesk", "Quote-to-book conversion"): "Quote Booked",
    ("RateDesk", "Margin guardrails"): "Margin Warning Shown",
    ("DockFlow", "Dock appointment booking"): "Dock Appointment Booked",
    ("DockFlow", "Carrier self-service portal"): "Appointment Rescheduled",
    ("DockFlow", "Yard check-in kiosk"): "Driver Checked In",
    ("DockFlow", "Detention time tracking"): "Detention Report Viewed",
    ("DockFlow", "Door assignment optimiser"): "Door Assigned",
    ("DockFlow", "Paper gate pass"): "Gate Pass Printed",
    ("PickPath", "Wave picking"): "Pick List Completed",
    ("PickPath", "Batch and cluster picking"): "Batch Pick Started",
    ("PickPath", "Mobile scanner app"): "*Scanner Session Started",
    ("PickPath", "Zebra device support"): "Scanner Session Started",
    ("PickPath", "Voice picking"): "Scanner Session Started",
    ("PickPath", "Slotting recommendations"): "Slotting Recommendation Applied",
    ("StockSight", "Multi-site inventory view"): "Inventory View Opened",
    ("StockSight", "Low-stock alerts"): "Low Stock Alert Opened",
    ("StockSight", "Cycle count scheduler"): "Cycle Count Scheduled",
    ("StockSight", "ERP inventory sync"): "Inventory Synced",
    ("Connect API", "REST API v2"): "API Request Sent",
    ("Connect API", "Webhooks"): "Webhook Configured",
    ("Connect API", "API usage dashboard"): "API Usage Dashboard Viewed",
    ("Connect API", "Single sign-on (SAML and OIDC)"): "Signed In With SSO",
    ("Connect API", "Partner sandbox"): "Sandbox Created",
    ("Connect API", "Public API v1"): "API Request Sent",
    ("EDI Gateway", "X12 204/214/210 messages"): "EDI Message Sent",
    ("EDI Gateway", "AS2 connection manager"): "AS2 Connection Updated",
    ("EDI Gateway", "EDI-to-API migration assistant"): "EDI Mapping Tested",
}


def _feature_event(product: str, feature: str, event: str) -> FeatureEvent:
    if event.startswith("*"):
        return FeatureEvent(product, feature, event[1:], {"product": product})
    return FeatureEvent(product, feature, event, {"product": product, "feature": feature})


DEMO_FEATURE_EVENTS: Final[Mapping[tuple[str, str], FeatureEvent]] = MappingProxyType(
    {key: _feature_event(*key, event) for key, event in _EVENTS.items()}
)
"""(product name, feature name) → how using it shows in events, for every demo feature and
initiative. Features not yet launched have a definition too; they simply have no events yet."""

# Pages (web apps: path, title) or screens (the phone app: screen name) of each product.
PRODUCT_PAGES: Final[Mapping[str, tuple[tuple[str, str], ...]]] = MappingProxyType(
    {
        "RouteIQ": (
            ("/routes", "Routes"),
            ("/routes/plan", "Route plan"),
            ("/dispatch", "Dispatch board"),
            ("/reports", "Reports"),
        ),
        "DriverHub": (
            ("", "Today's Stops"),
            ("", "Stop Details"),
            ("", "Messages"),
            ("", "Profile"),
        ),
        "Telematics Connect": (
            ("/fleet", "Fleet"),
            ("/vehicles", "Vehicles"),
            ("/alerts", "Alerts"),
            ("/integrations", "Integrations"),
        ),
        "LoadBoard": (
            ("/loads", "Loads"),
            ("/loads/new", "Post a load"),
            ("/carriers", "Carriers"),
            ("/bids", "Bids"),
        ),
        "RateDesk": (
            ("/quotes", "Quotes"),
            ("/lanes", "Lanes"),
            ("/surcharges", "Fuel surcharges"),
        ),
        "DockFlow": (
            ("/appointments", "Appointments"),
            ("/yard", "Yard"),
            ("/doors", "Doors"),
            ("/reports", "Reports"),
        ),
        "PickPath": (
            ("/waves", "Waves"),
            ("/orders", "Orders"),
            ("/pickers", "Pickers"),
            ("/devices", "Devices"),
        ),
        "StockSight": (("/inventory", "Inventory"),),
        "Connect API": (
            ("/developers", "Developer portal"),
            ("/developers/keys", "API keys"),
            ("/developers/logs", "Request log"),
        ),
        "EDI Gateway": (
            ("/edi/partners", "Trading partners"),
            ("/edi/messages", "Messages"),
            ("/edi/migration", "Migration"),
        ),
    }
)
# What anonymous visitors see before they sign up.
PUBLIC_PAGES: Final = (("/tour", "Product tour"), ("/pricing", "Pricing"), ("/signup", "Sign up"))

# Which products each customer segment buys (segments as in the products' target segments).
SEGMENT_PRODUCTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "Mid-market carriers": ("RouteIQ", "DriverHub", "Telematics Connect"),
        "Enterprise shippers": (
            "RouteIQ",
            "Telematics Connect",
            "LoadBoard",
            "Connect API",
            "EDI Gateway",
        ),
        "Freight brokers": ("LoadBoard", "RateDesk"),
        "3PLs": ("DockFlow", "PickPath", "Connect API"),
        "Retail distribution centres": ("DockFlow", "PickPath", "StockSight"),
    }
)
SEGMENT_SHARES: Final = {
    "Mid-market carriers": 0.40,
    "Enterprise shippers": 0.20,
    "Freight brokers": 0.06,
    "3PLs": 0.20,
    "Retail distribution centres": 0.14,
}

# The story the charts tell (see events.py): a launch that lifts adoption, and the feature it
# replaces decaying as customers move over. Sunset features decay faster once their successor
# is launched.
LAUNCHED_FEATURE: Final = ("RouteIQ", "Drag-and-drop route planner")
DECAYING_FEATURE: Final = ("RouteIQ", "Classic route editor")
SUCCESSORS: Final = {
    ("RouteIQ", "Classic route editor"): "Drag-and-drop route planner",
    ("DockFlow", "Paper gate pass"): "Yard check-in kiosk",
    ("Connect API", "Public API v1"): "REST API v2",
    ("EDI Gateway", "X12 204/214/210 messages"): "EDI-to-API migration assistant",
}
