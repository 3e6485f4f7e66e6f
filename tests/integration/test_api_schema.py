"""The API keeps its OpenAPI document's promises: schemathesis generates requests for every
operation, valid and invalid, sent with a token (as an administrator and as a clerk), and every
response must be documented, match its schema and content type, and never be a server error.

The number of examples per operation and mode is bounded so the run stays well under a
minute; raise ``MEDCOURT_SCHEMATHESIS_EXAMPLES`` for a deeper search. (The operations are
walked inside one test per user: schemathesis' lazy pytest fixture loader does not run on
pytest 9.)
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.integration.test_api_support import Demo, demo_fixture  # noqa: F401 - fixture

EXAMPLES = int(os.environ.get("MEDCOURT_SCHEMATHESIS_EXAMPLES", "8"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def check_operation(operation: Any, mode: GenerationMode, token: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @SETTINGS
    def run(case: Any) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:1500]}"
        # A request can have the documented form and still be refused by the court's rules (422, 409):
        # "schema-valid requests are accepted" is the one check that cannot hold for this API.
        case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])

    run()


@pytest.mark.parametrize("username", ["admin", "clerk"])
def test_every_operation_answers_as_documented(demo: Demo, username: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", demo.app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                check_operation(operation, mode, demo.tokens[username])
            except Exception as error:  # noqa: BLE001 - every operation is tried; all failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {type(error).__name__}: {str(error)[:3000]}")
    assert operations >= 25
    assert not failures, "\n\n".join(failures)
