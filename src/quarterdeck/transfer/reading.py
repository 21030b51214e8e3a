"""Turn an uploaded file (JSON, a zip of CSV files, one CSV file) or a folder into tables."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from quarterdeck.transfer import csvfile, jsonfile
from quarterdeck.transfer.schema import ENTITIES, FileProblem, Issue, Row, Tables

MAX_UNPACKED = 200 * 1024 * 1024
ACCEPTED = "a .json export, a .zip of CSV files, or one CSV file named like " + ", ".join(
    csvfile.FILES
)


def decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FileProblem(
            [
                Issue(
                    name,
                    None,
                    None,
                    f"not UTF-8 text (byte 0x{content[exc.start]:02x} on line {line}); "
                    "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again",
                )
            ]
        ) from exc


def read_upload(name: str, content: bytes) -> Tables:
    if not content.strip():
        raise FileProblem([Issue(name, None, None, "the file is empty")])
    if content.startswith(b"PK\x03\x04"):
        return read_zip(name, content)
    text = decode(name, content)
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        return jsonfile.load(name, text)
    if name.lower().endswith(".csv"):
        return _tables({csvfile.entity_of(name): csvfile.load_table(name, text)})
    raise FileProblem([Issue(name, None, None, f"unrecognised file; expected {ACCEPTED}")])


def read_zip(name: str, content: bytes) -> Tables:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise FileProblem([Issue(name, None, None, "not a readable zip file")]) from exc
    members = [m for m in archive.infolist() if not m.is_dir() and not _is_clutter(m.filename)]
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise FileProblem([Issue(name, None, None, "the zip unpacks to more than 200 MB")])
    files = {m.filename: archive.read(m) for m in members}
    return read_files(name, files)


def read_folder(folder: Path) -> Tables:
    files = {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}
    return read_files(str(folder), files)


def read_path(path: Path) -> Tables:
    if path.is_dir():
        return read_folder(path)
    return read_upload(path.name, path.read_bytes())


def read_files(name: str, files: dict[str, bytes]) -> Tables:
    if not files:
        raise FileProblem(
            [Issue(name, None, None, f"no CSV files found; expected {', '.join(csvfile.FILES)}")]
        )
    issues: list[Issue] = []
    tables: dict[str, list[Row]] = {}
    for filename, content in files.items():
        try:
            entity = csvfile.entity_of(filename)
            if entity in tables:
                raise FileProblem(
                    [Issue(filename, None, None, f"a second {entity}.csv in the same upload")]
                )
            tables[entity] = csvfile.load_table(
                filename.rsplit("/", 1)[-1], decode(filename, content)
            )
        except FileProblem as problem:
            issues.extend(problem.issues)
    if issues:
        raise FileProblem(issues)
    return _tables(tables)


def _tables(found: dict[str, list[Row]]) -> Tables:
    """The tables found, in import order; a table that is not there is left out (not empty)."""
    return {entity: found[entity] for entity in ENTITIES if entity in found}


def _is_clutter(filename: str) -> bool:
    base = filename.rsplit("/", 1)[-1]
    return filename.startswith("__MACOSX/") or base.startswith(".")
