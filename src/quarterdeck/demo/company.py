"""Harborline, the demo company: a B2B SaaS for carriers, freight brokers, shippers and 3PLs.

Its teams, people, product lines, products and features are CSV files in ``data/``, in the
same format as an export (see quarterdeck.transfer.schema); the stage histories are made up
by history.py, relative to today. Here: the sign-ins, one per role.
"""

from __future__ import annotations

from typing import NamedTuple

DOMAIN = "harborline.example"
# Printed by `quarterdeck start --demo`; the demo is for trying Quarterdeck out, not for real data.
DEMO_PASSWORD = "quarterdeck-demo"  # noqa: S105


class Login(NamedTuple):
    role: str
    name: str
    email: str
    who: str


LOGINS = [
    Login("admin", "Sam Okafor", f"sam.okafor@{DOMAIN}", "Business systems administrator"),
    Login("leader", "Dana Reyes", f"dana.reyes@{DOMAIN}", "Head of Product"),
    Login("manager", "Jonah Whitfield", f"jonah.whitfield@{DOMAIN}", "Group PM, Fleet Operations"),
    Login("member", "Arjun Mehta", f"arjun.mehta@{DOMAIN}", "PM, DriverHub"),
    Login("contributor", "Rachel Goldberg", f"rachel.goldberg@{DOMAIN}", "VP Sales"),
    Login("viewer", "Elena Marsh", f"elena.marsh@{DOMAIN}", "CEO, reads roadmaps and scorecards"),
]
