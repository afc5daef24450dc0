"""schemathesis against the live app's OpenAPI: no server error, no answer breaking its schema.

Bounded: a few examples per operation, no deadline (the machine is shared), derandomised
so a failure replays. Most cases are aimed at the ids of a real journey and its current
version, so the fuzzing reaches the edit services rather than stopping at 404 and 412.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 15


def test_no_operation_answers_a_server_error_or_breaks_its_schema(app, client, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25
    assert {"/api/v1/workshops/{workshop_id}/close",
            "/api/v1/journeys/{journey_id}/workshops"} <= {op.path for op in operations}
    headers = world.auth("owner")
    doc = client.get(f"/api/v1/journeys/{world.journey}", headers=headers).get_json()
    started = client.post(f"/api/v1/journeys/{world.journey}/workshops", headers=headers,
                          json={"title": "Fuzzed", "open_stages": [doc["stages"][0]["id"]]})
    assert started.status_code == 201
    real = {
        "journey_id": [world.journey, world.other_journey],
        "workshop_id": [started.get_json()["id"]],
        "step_id": [s["id"] for s in doc["steps"]],
        "stage_id": [s["id"] for s in doc["stages"]],
        "from_step": [t["from"] for t in doc["transitions"]],
        "to_step": [t["to"] for t in doc["transitions"]],
        "index": [0, 1], "revision": [1, 2], "check_id": ["ACC-01", "TRA-04"],
    }
    statuses: dict[str, set[int]] = {}

    def current_version() -> str:
        found = client.get(f"/api/v1/journeys/{world.journey}", headers=headers)
        return found.headers.get("ETag", '"1"')

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), aim=st.integers(0, 3), pick=st.integers(0, 50))
        def run(case, aim, pick):
            if aim and case.path_parameters:  # three in four cases name real ids
                for name, options in real.items():
                    if name in case.path_parameters:
                        case.path_parameters[name] = options[pick % len(options)]
                if case.headers is not None and "If-Match" in case.headers:
                    case.headers["If-Match"] = current_version()
            response = case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance])
            statuses.setdefault(case.operation.label, set()).add(response.status_code)

        run()
    assert set(statuses) == {op.label for op in operations}
    reached = {code for codes in statuses.values() for code in codes}
    assert {200, 404, 422} <= reached, statuses
