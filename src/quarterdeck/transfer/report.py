"""The import report: one CSV row per bad or skipped row, to fix and import again."""

from __future__ import annotations

import csv
import io

from quarterdeck.transfer.schema import Issue

HEADER = ["file", "row", "column", "status", "message"]


def report_csv(errors: list[Issue], skipped: list[Issue], *, written: bool) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    status = "skipped" if written else "error"
    for issue in errors:
        writer.writerow([issue.file, issue.row or "", issue.column or "", status, issue.message])
    for issue in skipped:
        writer.writerow([issue.file, issue.row or "", issue.column or "", "skipped", issue.message])
    return out.getvalue()
