"""Database sessions (Django's) that are not written when a request stores what they hold.

viewflow's list pages store the list's address in the session at every request
(`StoreRequestPathMixin`, "vf-pin-location"), and Django marks a session modified at any
assignment, so every page of a list would write the session back. Assigning a text or a
number equal to the one stored changes nothing here; other values (lists, dicts, which a
caller may have changed in place before assigning them again) still mark the session.
"""

from django.contrib.sessions.backends import db

_UNCHANGED_IF_EQUAL = (str, int, float, bool, type(None))
_MISSING = object()


class SessionStore(db.SessionStore):
    def __setitem__(self, key, value):
        stored = self._session.get(key, _MISSING)
        if isinstance(value, _UNCHANGED_IF_EQUAL) and type(stored) is type(value) and (
            stored == value
        ):
            return
        super().__setitem__(key, value)
