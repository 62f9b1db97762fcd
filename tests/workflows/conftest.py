"""Fixtures of the workflows tests that several modules use."""

import pytest
from django.utils import translation


@pytest.fixture
def vietnamese(client):
    """The pages in Vietnamese, as a Vietnamese browser gets them (and gettext in the test)."""
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        yield
