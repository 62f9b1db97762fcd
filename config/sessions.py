"""Database sessions (Django's) that know when they were last written, are not written when a
request stores what they already hold, and that a lost database connection at the end of a
request cannot turn into an error page for work already done (SESSION_ENGINE =
"config.sessions").

Each write records its time (WRITTEN_KEY, seconds since the epoch, from the login on), which
`config.middleware.IdleSessionMiddleware` reads to write an idle session again at most once
a minute. viewflow's list pages store the list's address in the session at every request
(`StoreRequestPathMixin`, "vf-pin-location"), and Django marks a session modified at any
assignment, so every page of a list would write the session back. Assigning a text or a
number equal to the one stored changes nothing here; other values (lists, dicts, which a
caller may have changed in place before assigning them again) still mark the session.
"""

import logging
import time

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError, connections, router

logger = logging.getLogger(__name__)

WRITTEN_KEY = "_written_at"
_UNCHANGED_IF_EQUAL = (str, int, float, bool, type(None))
_MISSING = object()


class SessionStore(db.SessionStore):
    """Django's database sessions, except for a save that fails because the connection was
    lost (a PostgreSQL restart, a failover): it is tried once more on a new connection, and
    if the database is still away it is given up with a warning instead of failing.

    SessionMiddleware saves the session after the view has done its work. A restart at that
    moment used to answer 400 ("the session was deleted") to a clerk whose document had just
    been issued and sent: told it failed, she would send it again under a new number. What a
    give-up loses is this request's change to the session (the idle clock, at worst a login
    that must be redone), never the request's work. A session really deleted meanwhile (a
    logout in another tab) still fails the save, as Django intends.
    """

    def save(self, must_create=False):
        # The data the backend is about to encode (read the same way as Django's save does).
        self._get_session(no_load=must_create)[WRITTEN_KEY] = int(time.time())
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

    def __setitem__(self, key, value):
        stored = self._session.get(key, _MISSING)
        if isinstance(value, _UNCHANGED_IF_EQUAL) and type(stored) is type(value) and (
            stored == value
        ):
            return
        super().__setitem__(key, value)

    def _connection_lost(self, error: UpdateError) -> bool:
        # Django raises UpdateError from the DatabaseError of the UPDATE: a connection error
        # (OperationalError), or "did not affect any rows" for a session deleted meanwhile.
        # Inside a transaction the connection belongs to the caller: not ours to replace.
        connection = connections[router.db_for_write(self.model)]
        return isinstance(error.__context__, OperationalError) and not connection.in_atomic_block
