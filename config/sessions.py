"""Database sessions (Django's) that know when they were last written, and are not written
when a request stores what they hold.

Each write records its time (WRITTEN_KEY, seconds since the epoch, from the login on), which
`config.middleware.IdleSessionMiddleware` reads to write an idle session again at most once
a minute. viewflow's list pages store the list's address in the session at every request
(`StoreRequestPathMixin`, "vf-pin-location"), and Django marks a session modified at any
assignment, so every page of a list would write the session back. Assigning a text or a
number equal to the one stored changes nothing here; other values (lists, dicts, which a
caller may have changed in place before assigning them again) still mark the session.
"""

import time

from django.contrib.sessions.backends import db

WRITTEN_KEY = "_written_at"
_UNCHANGED_IF_EQUAL = (str, int, float, bool, type(None))
_MISSING = object()


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        # The data the backend is about to encode (read the same way as Django's save does).
        self._get_session(no_load=must_create)[WRITTEN_KEY] = int(time.time())
        super().save(must_create=must_create)

    def __setitem__(self, key, value):
        stored = self._session.get(key, _MISSING)
        if isinstance(value, _UNCHANGED_IF_EQUAL) and type(stored) is type(value) and (
            stored == value
        ):
            return
        super().__setitem__(key, value)
