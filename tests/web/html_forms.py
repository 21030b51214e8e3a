"""Read a rendered form the way a browser would submit it, untouched."""

from __future__ import annotations

from html.parser import HTMLParser


class FormValues(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.values.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.values.setdefault(self._select, []).append(a.get("value", ""))
                self._selected = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea or ""] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.values[self._select] = [self._first_option]  # what a browser sends
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.values[self._textarea][0] += (
                data.removeprefix("\n") if not self.values[self._textarea][0] else data
            )


def form_values(
    html: str, *, skip: tuple[str, ...] = ("csrfmiddlewaretoken",)
) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html.split("<main", 1)[1])  # the page's own form, not the sign-out form
    return {name: values for name, values in parser.values.items() if name not in skip}
