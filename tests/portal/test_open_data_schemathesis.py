"""第七条（八）: schemathesis against the open-data API's own OpenAPI document, in process (the
portal's WSGI application, the test database with a few published rows): for every operation,
generated queries never give a server error and every answer conforms to the document
(status code documented, body valid against its schema, JSON content type).

Kept modest (MAX_EXAMPLES per operation) so the run stays well under a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

from .open_data_helpers import open_world

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# Loaded at collection through the WSGI app: generating the document reads no database.
schema = schemathesis.openapi.from_wsgi("/api/open/v1/schema/", application)


@pytest.fixture
def published_rows(db, commission_staff):
    """A few published rows to answer with (and drafts, an objection that must not show).
    The WSGI handler closes the database connection at the end of each request (as in
    service); inside the test's transaction that would drop these rows, so the signal is held
    off as Django's own test client does."""
    open_world(commission_staff)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_its_openapi_document(case, published_rows):
    case.call_and_validate(checks=CHECKS)
