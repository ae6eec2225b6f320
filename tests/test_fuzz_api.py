"""Schemathesis against the running server's OpenAPI schema: no 5xx, responses match it.

Every operation of /openapi.json gets generated requests, valid and invalid ones, and each
response goes through schemathesis' checks (server errors, status codes, content types and
bodies documented in the schema). One check is left out: "schema-valid data must be
accepted". Some rules cannot be written in the schema, such as "a question needs at least one
printable character" or "a date must exist". Requests that break them get a 400 whose
`detail` says why; tests/test_api.py pins each of those messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .servers import writable_copy

TOKEN = "fuzz-token-8c2d"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def fuzz_server(seed_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with writable_copy(seed_index, tmp_path_factory.mktemp("fuzz"), TOKEN) as url:
        yield url


def test_api_never_errors_and_matches_its_schema(fuzz_server: str) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {(op.method.upper(), op.path) for op in operations}
    assert {("POST", "/api/search"), ("POST", "/api/documents")} <= paths
    statuses = {f"{op.method.upper()} {op.path}": _fuzz(op) for op in operations}
    for operation, codes in statuses.items():
        wanted = 1 if operation == "GET /api/health" else 10  # health takes no input
        assert len(codes) >= wanted, f"{operation} was barely exercised: {codes}"
        assert all(code < 500 for code in codes), operation
    assert 200 in statuses["POST /api/search"], "generated questions must also reach the search"
    # Random text is never prose, so generated documents are refused (400) as page furniture;
    # tests/test_documents_api.py covers accepted ones.


def _fuzz(operation) -> list[int]:  # type: ignore[no-untyped-def]
    """Run generated requests against one operation; the status codes it answered."""
    seen: list[int] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call_and_validate(
            headers=AUTH, timeout=120, excluded_checks=[positive_data_acceptance]
        )
        seen.append(response.status_code)

    check()
    return seen
