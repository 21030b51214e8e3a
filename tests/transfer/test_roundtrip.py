"""Export → empty instance → import → export again gives the same file, in both formats."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import ProductLine
from tests.transfer.helpers import counts, wipe


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def csv_files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_imports_into_an_empty_instance_unchanged(tmp_path: Path, fmt: str) -> None:
    run("demo")
    first, second = tmp_path / f"first.{fmt}", tmp_path / f"second.{fmt}"
    run("export", "--format", fmt, "--out", str(first))
    before = counts()
    wipe()
    assert counts()["features"] == 0

    run("import", str(first))
    run("export", "--format", fmt, "--out", str(second))

    after = counts()
    assert {k: after[k] for k in before if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    if fmt == "json":
        assert first.read_bytes() == second.read_bytes()
    else:
        assert csv_files(first) == csv_files(second)
        assert sorted(csv_files(first)) == [
            "features.csv",
            "lines.csv",
            "people.csv",
            "products.csv",
            "stage_changes.csv",
            "teams.csv",
        ]


@pytest.mark.django_db
def test_awkward_names_survive_the_csv_format(tmp_path: Path) -> None:
    """Slashes and semicolons in names, and cells a spreadsheet would run as formulas."""
    owner = Person.objects.create(name="Zoë O'Brien; Jr.", email=None)
    top = ProductLine.objects.create(name="Ops/Fleet", owner=owner, description="=HYPERLINK(1)")
    ProductLine.objects.create(
        name="A\\B",
        parent=top,
        target_segments=["Tier 1; EU", "-minus"],
        links=[{"label": "Spec <v2>", "url": "https://docs.example.com/a;b"}],
    )
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    run("export", "--format", "csv", "--out", str(first))
    lines_csv = csv_files(first)["lines.csv"]
    assert "'=HYPERLINK(1)" in lines_csv  # guarded against formula injection
    wipe()

    run("import", str(first))
    run("export", "--format", "csv", "--out", str(second))

    assert csv_files(first) == csv_files(second)
    child = ProductLine.objects.get(name="A\\B")
    assert child.parent is not None
    assert child.parent.name == "Ops/Fleet"
    assert child.target_segments == ["Tier 1; EU", "-minus"]
    assert child.links == [{"label": "Spec <v2>", "url": "https://docs.example.com/a;b"}]
    assert ProductLine.objects.get(name="Ops/Fleet").description == "=HYPERLINK(1)"
    assert child.parent.owner is not None
    assert child.parent.owner.name == "Zoë O'Brien; Jr."


@pytest.mark.django_db
def test_export_to_stdout_is_the_json_document() -> None:
    run("demo")
    result = CliRunner().invoke(cli, ["export"])
    assert result.exit_code == 0
    document = io.StringIO(result.stdout).read()
    assert document.lstrip().startswith("{")
    assert '"format": "quarterdeck"' in document
