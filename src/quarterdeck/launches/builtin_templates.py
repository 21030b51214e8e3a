"""The launch templates Quarterdeck ships with (created when no template exists yet, and by the
demo). Offsets count days from launch day; negative is before it."""

from __future__ import annotations

from typing import Any


def _t(
    key: str, phase: str, title: str, function: str, offset: int, *depends: str, ms: bool = False
) -> dict[str, Any]:
    return {"key": key, "phase": phase, "title": title, "function": function,
            "offset_days": offset, "milestone": ms, "depends_on": list(depends)}  # fmt: skip


FEATURE_LAUNCH: dict[str, Any] = {
    "name": "Feature launch",
    "description": "A feature for existing customers: beta, docs, enablement, announcement.",
    "phases": ["Prepare", "Beta", "Launch", "Follow-up"],
    "tasks": [
        _t("spec", "Prepare", "Spec sign-off", "product", -42, ms=True),
        _t("design", "Prepare", "Final designs reviewed", "design", -35, "spec"),
        _t("pricing", "Prepare", "Pricing and packaging check", "product", -35, "spec"),
        _t("beta", "Beta", "Beta with design partners", "product", -28, "design"),
        _t("qa", "Beta", "QA complete", "engineering", -14, "beta"),
        _t("docs", "Beta", "Help-centre docs", "support", -10, "design"),
        _t("support", "Beta", "Support training", "support", -7, "docs"),
        _t("sales", "Beta", "Sales enablement (deck, demo script)", "sales", -7, "pricing"),
        _t("notes", "Launch", "Release notes", "product", -3, "qa"),
        _t("blog", "Launch", "Announcement blog post", "marketing", -2, "notes"),
        _t("inapp", "Launch", "In-app message", "marketing", 0, "notes"),
        _t("launch", "Launch", "Launch", "product", 0, "qa", "support", "sales", ms=True),
        _t("feedback", "Follow-up", "Collect early feedback", "product", 14, "launch"),
        _t("review", "Follow-up", "+30-day review", "product", 30, "launch", ms=True),
    ],
}

MAJOR_LAUNCH: dict[str, Any] = {
    "name": "Major product launch",
    "description": "A new product or a big bet: readiness review, press and analysts, webinar.",
    "phases": ["Readiness", "Beta", "Pre-launch", "Launch", "Follow-up"],
    "tasks": [
        _t("spec", "Readiness", "Spec and positioning sign-off", "product", -90, ms=True),
        _t("pricing", "Readiness", "Pricing and packaging decided", "product", -75, "spec"),
        _t("design", "Readiness", "Design complete", "design", -70, "spec"),
        _t("security", "Readiness", "Security and privacy review", "engineering", -45, "design"),
        _t("beta", "Beta", "Beta programme with 10 customers", "product", -60, "design"),
        _t("qa", "Beta", "QA and load tests complete", "engineering", -21, "beta"),
        _t(
            "readiness",
            "Pre-launch",
            "Launch readiness review",
            "product",
            -14,
            "qa",
            "security",
            ms=True,
        ),
        _t("docs", "Pre-launch", "Help centre and API docs", "support", -14, "design"),
        _t("support", "Pre-launch", "Support training and runbooks", "support", -10, "docs"),
        _t("sales", "Pre-launch", "Sales training and battlecards", "sales", -14, "pricing"),
        _t("analysts", "Pre-launch", "Analyst briefings", "marketing", -21, "pricing"),
        _t("press", "Pre-launch", "Press kit and embargoed briefings", "marketing", -10, "pricing"),
        _t("site", "Pre-launch", "Website product page", "marketing", -5, "pricing", "design"),
        _t("launch", "Launch", "Launch", "product", 0, "readiness", "support", "sales", ms=True),
        _t("announce", "Launch", "Press release and announcement", "marketing", 0, "press"),
        _t("webinar", "Launch", "Launch webinar", "marketing", 7, "launch"),
        _t("pipeline", "Follow-up", "First pipeline review", "sales", 21, "launch"),
        _t("review", "Follow-up", "+30-day review", "product", 30, "launch", ms=True),
        _t("retro", "Follow-up", "Launch retrospective", "product", 35, "review"),
    ],
}

BETA_PROGRAMME: dict[str, Any] = {
    "name": "Beta programme",
    "description": "A limited beta to learn before the general launch (launch day = beta start).",
    "phases": ["Recruit", "Run", "Decide"],
    "tasks": [
        _t("criteria", "Recruit", "Beta goals and exit criteria", "product", -21),
        _t("recruit", "Recruit", "Recruit beta customers", "sales", -14, "criteria"),
        _t("agreement", "Recruit", "Beta agreements signed", "sales", -7, "recruit"),
        _t("flags", "Recruit", "Feature flags and access", "engineering", -3),
        _t("guide", "Recruit", "Beta guide for customers", "support", -3, "criteria"),
        _t("start", "Run", "Beta starts", "product", 0, "agreement", "flags", "guide", ms=True),
        _t("checkins", "Run", "Weekly check-ins with beta customers", "product", 7, "start"),
        _t("survey", "Run", "Beta survey", "design", 21, "start"),
        _t(
            "decision",
            "Decide",
            "Go / no-go for general launch",
            "product",
            35,
            "survey",
            "checkins",
            ms=True,
        ),
    ],
}

BUILTINS: tuple[dict[str, Any], ...] = (FEATURE_LAUNCH, MAJOR_LAUNCH, BETA_PROGRAMME)
