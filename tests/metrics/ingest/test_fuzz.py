"""Whatever JSON arrives, the answer is a 2xx or a 4xx with a reason — never a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quarterdeck.metrics.models import Source
from tests.metrics.ingest.conftest import Sender

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = ["type", "event", "userId", "anonymousId", "messageId", "timestamp", "sentAt",
          "originalTimestamp", "properties", "traits", "context", "groupId", "previousId",
          "name", "distinct_id", "uuid", "offset", "batch"]  # fmt: skip
SOMETIMES_RIGHT = {
    "type": st.sampled_from(["track", "page", "identify", "group", "alias", "screen"]),
    "event": st.sampled_from(["Clicked", "$identify", "$create_alias", "$groupidentify", "$set"]),
    "timestamp": st.sampled_from(["2024-01-01T00:00:00Z", "2099-01-01", "x"]),
    "userId": st.sampled_from(["u1", ""]),
    "distinct_id": st.sampled_from(["d1", ""]),
}
messages = st.fixed_dictionaries(
    {},
    optional={name: SOMETIMES_RIGHT.get(name, json_values) | json_values for name in FIELDS},
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ANSWERS = {200, 207, 400, 401, 413, 415}


@FUZZ
@given(
    batch=st.lists(messages | json_values, max_size=5),
    extra=st.dictionaries(st.text(max_size=8), json_values, max_size=2),
)
def test_segment_batch_never_fails(
    send: Sender, source: Source, batch: list[Any], extra: dict[str, Any]
) -> None:
    response = send.segment("/v1/batch", {**extra, "batch": batch}, source.write_key)
    assert response.status_code in ANSWERS, response.content
    assert response.json()


@FUZZ
@given(body=messages | json_values)
def test_segment_single_calls_never_fail(send: Sender, source: Source, body: Any) -> None:
    response = send.segment("/v1/track", body, source.write_key)
    assert response.status_code in ANSWERS, response.content


@FUZZ
@given(batch=st.lists(messages | json_values, max_size=5))
def test_posthog_never_fails(send: Sender, source: Source, batch: list[Any]) -> None:
    response = send.post("/batch/", {"api_key": source.write_key, "batch": batch})
    assert response.status_code in ANSWERS, response.content
    assert response.json()
