"""viewflow's words on the site shell (menu, top bar) that every page shows.

viewflow 2.4 ships no Vietnamese; the project catalog (locale/vi) translates these for
viewflow's base templates. They live here as no-op marks so that `makemessages
--no-obsolete` keeps them; nothing imports this module. The flow pages' words are kept the
same way in workflows/viewflow_strings.py.
"""

from django.utils.translation import gettext_noop

SITE_SHELL = (
    gettext_noop("Applications"),
    gettext_noop("Login"),
    gettext_noop("Log out"),
    gettext_noop("Profile"),
)
