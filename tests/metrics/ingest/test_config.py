"""The ingestion settings read from QUARTERDECK_* variables fail loudly when malformed."""

from __future__ import annotations

import pytest

from quarterdeck.lib.env import ConfigError, env_int

NAME = "QUARTERDECK_INGEST_MAX_BACKLOG_MB"


@pytest.mark.parametrize(("raw", "expected"), [(None, 1024), ("64", 64), (" 2 ", 2)])
def test_env_int(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int) -> None:
    if raw is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, raw)
    assert env_int(NAME, 1024, minimum=1) == expected


@pytest.mark.parametrize("raw", ["", "lots", "0", "-5", "1.5"])
def test_env_int_refuses_with_the_name(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ConfigError, match=f"{NAME}=.*at least 1"):
        env_int(NAME, 1024, minimum=1)
