"""Database sessions that a lost database connection at the end of a request cannot turn into
an error page for work already done (SESSION_ENGINE = "config.sessions")."""

import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError, connections, router

logger = logging.getLogger(__name__)


class SessionStore(db.SessionStore):
    """Django's database sessions, except for a save that fails because the connection was
    lost (a PostgreSQL restart, a failover): it is tried once more on a new connection, and
    if the database is still away it is given up with a warning instead of failing.

    SessionMiddleware saves the session after the view has done its work, at every request
    (SESSION_SAVE_EVERY_REQUEST moves the idle clock). A restart at that moment used to answer
    400 ("the session was deleted") to a clerk whose document had just been issued and sent:
    told it failed, she would send it again under a new number. What a give-up loses is this
    request's change to the session (the idle clock, at worst a login that must be redone),
    never the request's work. A session really deleted meanwhile (a logout in another tab)
    still fails the save, as Django intends.
    """

    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            if not self._connection_lost(error):
                raise
        # The broken connection is dropped; the next query opens a new one.
        connections[router.db_for_write(self.model)].close()
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if not self._connection_lost(error):
                raise
            logger.warning("Session not saved, the database is out of reach: %s",
                           error.__context__)
        else:
            logger.info("Session saved on a new connection after the last one was lost")

    def _connection_lost(self, error: UpdateError) -> bool:
        # Django raises UpdateError from the DatabaseError of the UPDATE: a connection error
        # (OperationalError), or "did not affect any rows" for a session deleted meanwhile.
        # Inside a transaction the connection belongs to the caller: not ours to replace.
        connection = connections[router.db_for_write(self.model)]
        return isinstance(error.__context__, OperationalError) and not connection.in_atomic_block
