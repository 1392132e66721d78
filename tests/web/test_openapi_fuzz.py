"""Property-based tests of the running API from its own OpenAPI document (schemathesis):
every operation with generated parameters and bodies, as a Marketing Manager with a commands
token, against uvicorn on 127.0.0.1; no answer may be a 5xx, and every answer must be
documented (status code, content type, body schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socmed_web.app import create_app
from tests.conftest import Backend
from tests.web.conftest import make_api
from tests.web.live import uvicorn_thread

CASES: list[str] = []
#: Generated cases per operation.
EXAMPLES = 25


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    backend = Backend("sqlite", Path(tmp_path_factory.mktemp("fuzz")) / "store", None)
    try:
        api, client = make_api(backend)
        with client:
            headers = api.session("rina.mm").headers
        api.draft_item()
        with uvicorn_thread(create_app(api.services)) as url:
            yield {"url": url, "headers": headers}
    finally:
        backend.close()


def _checker(operation: Any, live: dict[str, Any]) -> Any:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        CASES.append(operation.label)
        response = case.call(base_url=live["url"], headers=live["headers"])
        case.validate_response(response, checks=(
            not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance))

    return check


@pytest.mark.slow
def test_every_operation_conforms(live: dict[str, Any]) -> None:
    """Each operation of the document, `EXAMPLES` generated cases each (schemathesis'
    strategies driven by Hypothesis here, since its pytest plugin does not load under this
    pytest); the checks of every answer are schemathesis' own."""
    schema = schemathesis.openapi.from_url(f"{live['url']}/api/schema")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _checker(operation, live)()
        except Exception as error:  # one operation's failure must not hide the others'
            failures.append(f"{operation.label}: {str(error)[:600]}")
    print(f"\nschemathesis: {len(CASES)} generated cases over "
          f"{len(set(CASES))} operations")
    assert not failures, "\n\n".join(failures)
