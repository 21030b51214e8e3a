"""Lists, paths and links written as one text cell, reversibly.

A backslash escapes the separator and itself, so any name survives a round trip: the line
``Ops/Fleet`` under ``Transport`` is the path ``Transport/Ops\\/Fleet``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def escape(text: str, separator: str) -> str:
    return text.replace("\\", "\\\\").replace(separator, "\\" + separator)


def join(items: Iterable[str], separator: str, spacer: str = "") -> str:
    return (separator + spacer).join(escape(item, separator) for item in items)


def split(text: str, separator: str) -> list[str]:
    """The parts of ``text``, unescaped and stripped; empty parts are dropped."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def path_text(names: Sequence[str]) -> str:
    return join(names, "/")


def path_names(text: str) -> tuple[str, ...]:
    return tuple(split(text, "/"))


def list_text(items: Iterable[str]) -> str:
    return join(items, ";", " ")


def link_text(link: dict[str, Any]) -> str:
    label, url = str(link.get("label") or ""), str(link.get("url") or "")
    return url if label in {"", url} else f"{label} <{url}>"


def links_text(links: Iterable[dict[str, Any]]) -> str:
    return list_text(link_text(link) for link in links)


def parse_link(text: str) -> dict[str, str]:
    """``Label <https://...>`` or a bare address (then the address is its own label)."""
    if text.endswith(">") and " <" in text:
        label, _, url = text[:-1].rpartition(" <")
        return {"label": label.strip() or url.strip(), "url": url.strip()}
    return {"label": text, "url": text}


def parse_links(text: str) -> list[dict[str, str]]:
    return [parse_link(part) for part in split(text, ";")]


# Spreadsheets run a cell that starts with one of these as a formula ("CSV injection"), so such
# cells are written behind a quote, which spreadsheets show as text and the import takes off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(text: str) -> str:
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguard_cell(text: str) -> str:
    return (
        text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text
    )
