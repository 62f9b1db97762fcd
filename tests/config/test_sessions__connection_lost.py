"""A session saved at the end of a request whose database connection was cut (a PostgreSQL
restart) is saved on a new connection, or given up with a warning while the database is away:
never an error for a request whose work is done. A session deleted meanwhile (a logout in
another tab) still fails its save, as in Django.

The connection is cut for real, by pg_terminate_backend from another connection; "away" is a
port nobody listens on.
"""

import psycopg
import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection

from config.sessions import SessionStore
from tests.net import free_port, shared_test_database_url

pytestmark = [
    # Outside a transaction, as in SessionMiddleware: inside one the connection is the caller's.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="pg_terminate_backend cuts a PostgreSQL connection"),
]


def _saved_session(note: str) -> SessionStore:
    """A session in the database holding `note`, loaded again as the next request would."""
    store = SessionStore()
    store["note"] = note
    store.create()
    store = SessionStore(store.session_key)
    assert store["note"] == note
    return store


def _cut_connection() -> None:
    """End this process's database connection from another one, as a restart does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(shared_test_database_url(), autocommit=True) as other:
        (ended,) = other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert ended


def _stored_note(session_key: str) -> str:
    return SessionStore(session_key).load()["note"]


def test_a_session_whose_connection_was_cut_is_saved_on_a_new_one():
    store = _saved_session("trước")
    store["note"] = "sau"
    _cut_connection()

    store.save()

    assert _stored_note(store.session_key) == "sau"


def test_with_the_database_out_of_reach_the_save_is_given_up_with_a_warning(caplog):
    store = _saved_session("trước")
    store["note"] = "sau"
    _cut_connection()
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = free_port()
    try:
        store.save()  # no exception: the request keeps its answer
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert "Session not saved, the database is out of reach" in caplog.text
    assert _stored_note(store.session_key) == "trước"


def test_a_session_deleted_meanwhile_still_fails_its_save():
    store = _saved_session("trước")
    store["note"] = "sau"
    Session.objects.filter(session_key=store.session_key).delete()

    with pytest.raises(UpdateError):
        store.save()
