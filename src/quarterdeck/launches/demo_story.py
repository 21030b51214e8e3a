"""The demo's two launches, named once so PLANS's and CHECKS's demo steps (and the events
story) agree on them.

``WORKED`` is the launch that worked: its adoption jumps after launch (see demo/events.py).
``FLOPPED`` is the launch that did not: its usage stays low after launch and it misses its
success-metric target.
"""

from __future__ import annotations

from typing import Final

# (product name, feature name) in demo/data/features.csv
WORKED: Final = ("RouteIQ", "Drag-and-drop route planner")
FLOPPED: Final = ("DockFlow", "Yard check-in kiosk")
