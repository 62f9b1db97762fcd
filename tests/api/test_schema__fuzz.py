"""schemathesis walks every operation of `/api/schema/` in-process (WSGI) with the clerk's
token and data the schema allows, and the API never answers with a server error."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from api.services import token_create
from config.wsgi import application
from workflows.story import request_send

# Loading the schema reads no database: it is served to anyone, before any test data.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def auth_header(world, settings):
    settings.API_RATE = "100000/minute"
    request_send()  # a document, its file, a register and a task in the clerk's queue
    _token, key = token_create(user=world.user("mai.ht"), name="schemathesis")
    # As Django's test client does: a request calling the WSGI application must not close
    # the test's database connection (its transaction holds the data above).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Token {key}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_with_a_server_error(case, auth_header):
    response = case.call(headers=auth_header)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
