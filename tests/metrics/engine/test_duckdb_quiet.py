from __future__ import annotations

from pathlib import Path

from quarterdeck.metrics.engine import DuckDBEngine


def test_duckdb_engine_draws_no_progress_bar(tmp_path: Path) -> None:
    """A long query must not draw DuckDB's progress bar over the CLI's or a server's output."""
    engine = DuckDBEngine.from_parquet(tmp_path)
    (setting,) = engine.connection.execute(
        "SELECT current_setting('enable_progress_bar')"
    ).fetchone() or (None,)
    assert setting is False
