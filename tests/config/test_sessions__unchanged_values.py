"""Storing in the session what it already holds does not write it (config/sessions.py)."""

import pytest

from config.sessions import SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved():
    session = SessionStore()
    session.update({"vf-pin-location": "/incoming/queue/", "count": 1, "ids": [1, 2]})
    session.save()
    return SessionStore(session_key=session.session_key)


def test_the_same_text_or_number_again_is_no_change(saved):
    saved["vf-pin-location"] = "/incoming/queue/"
    saved["count"] = 1
    assert not saved.modified
    saved["vf-pin-location"] = "/incoming/inbox/"
    assert saved.modified


def test_a_new_key_or_another_type_is_a_change(saved):
    saved["count"] = True
    assert saved.modified
    other = SessionStore(session_key=saved.session_key)
    other["new"] = None
    assert other.modified


def test_a_list_assigned_again_is_a_change_even_if_equal(saved):
    # A caller may have changed the list in place and assign it back to have it saved.
    ids = saved["ids"]
    saved["ids"] = ids
    assert saved.modified
