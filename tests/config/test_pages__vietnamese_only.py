"""Every page a demo role reaches is in Vietnamese: no English word, no msgid left untranslated.

Each role's demo user logs in and follows, breadth-first, the links of the pages it sees
(menu, lists, documents, processes, tasks) over the demo data and a finished seed-000 story,
a few pages per URL shape. On every page the visible text and the attributes people read
(labels, titles, placeholders, alt texts, the options of Material selects) are checked
against a list of English interface words and against every msgid of our catalogs,
viewflow's, django-filter's and Django's that is shown untranslated.
"""

import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import django
import django_filters
import pytest
import viewflow
from django.conf import settings
from django.utils import translation

from workflows import demo
from workflows.story import seed000_play

pytestmark = pytest.mark.django_db

# One demo user per role (README's table): head, deputy, unit heads, specialist, clerks.
# (vanthu.hu: another agency, a Party body.)
ROLES = ["quyen.vt", "hung.nv", "minh.lv", "ha.nt", "mai.ht", "vanthu.hu"]
PAGES_PER_ROLE = 80
PAGES_PER_SHAPE = 2
SKIPPED = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/")

# Interface words an English page shows and a Vietnamese one never does (case-sensitive,
# whole words): viewflow's labels and node names, raw decision values, durations.
ENGLISH = re.compile(
    r"\b(Document|Artifact|Process|Processes|Task|Tasks|Start|End|Join|Split|Active|Inbox|"
    r"Queue|Archive|Dashboard|Assign|Unassign|Unassigned|Execute|Cancel|Back|Owner|Status|"
    r"Created|Assigned|Finished|Brief|Permission|Decision|Search|Filter|Previous|Next|"
    r"Submit|Save|Delete|Login|Logout|Profile|Applications|Export|Show all|None|True|False|"
    r"comments|approved|signed|answered|returned|submitted|reply|closed|"
    r"minutes?|hours?|days?|weeks?|months?|ago|listbox|picker|graph|downloadBPMN)\b"
)
# Vietnamese words that were wrong translations, and a space stranded before punctuation
# ("Bạn đã nhận công việc .").
WRONG = re.compile(r"^Chiều$|\w \.(\s|$)")
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "label")
SILENT = {"script", "style"}


class _Page(HTMLParser):
    """The links, the visible text and the read attributes of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.texts = [], []
        self._silent_tag = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._silent_tag is None and (
            tag in SILENT or "material-icons" in (attributes.get("class") or "")
        ):
            self._silent_tag = tag  # icon ligatures ("inbox", "download") are not words
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        self.texts += [attributes[name] for name in ATTRIBUTES if attributes.get(name)]
        if tag.startswith("md-") and attributes.get("value"):
            self.texts.append(attributes["value"])
        if attributes.get("optgroups"):
            for group in json.loads(attributes["optgroups"]):
                options = group["options"]
                for option in options if isinstance(options, list) else [options]:
                    self.texts.append(option["label"])

    def handle_endtag(self, tag):
        if tag == self._silent_tag:
            self._silent_tag = None

    def handle_data(self, data):
        if self._silent_tag is None and data.strip():
            self.texts.append(" ".join(data.split()))


def _msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {
        msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        for msgid in re.findall(r'^msgid "(.+)"$', text, flags=re.M)
    }


def _english_msgids() -> set[str]:
    """Every msgid of our catalogs, viewflow's, django-filter's and Django's that Vietnamese
    leaves as is."""
    catalogs = [
        Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po",
        Path(viewflow.__file__).parent / "locale/de/LC_MESSAGES/django.po",
        # The lists' filters (“Yesterday” of the day filter stayed English).
        Path(django_filters.__file__).parent / "locale/de/LC_MESSAGES/django.po",
        *Path(settings.BASE_DIR).glob("*/locale/vi/LC_MESSAGES/django.po"),
        *Path(settings.BASE_DIR).glob("locale/vi/LC_MESSAGES/django.po"),
    ]
    msgids = set().union(*(_msgids(path) for path in catalogs))
    with translation.override("vi"):
        return {
            msgid for msgid in msgids
            if re.search(r"[A-Za-z]{3}", msgid) and "%" not in msgid and "{" not in msgid
            and translation.gettext(msgid) == msgid
        }


def _shape(url: str) -> str:
    parts = urlsplit(url)
    query = sorted(param.split("=")[0] for param in parts.query.split("&") if param)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(query)


def crawl(client, english_msgids) -> tuple[dict[str, set[str]], int]:
    """Follow the site's links breadth-first; return {url: bad texts} and the pages read."""
    findings, seen, shapes = {}, set(), {}
    queue = deque(["/"])
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        bad = {
            text for text in page.texts
            if ENGLISH.search(text) or WRONG.search(text) or text in english_msgids
        }
        if bad:
            findings[url] = bad
        if response.status_code != 200:
            continue
        for link in page.links:
            link = link.split("#")[0]
            if not link.startswith("/") or link.startswith(SKIPPED) or link in seen:
                continue
            shape = _shape(link)
            if shapes.get(shape, 0) < PAGES_PER_SHAPE:
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(link)
    return findings, len(seen)


@pytest.fixture
def demo_with_story(world):
    """The demo's work in flight, plus the seed-000 story played to the end (finished
    processes, decisions, the issued reply)."""
    demo.load()
    seed000_play(out=lambda _line: None)


def test_every_page_each_role_reaches_is_in_vietnamese(client, world, demo_with_story):
    english_msgids = _english_msgids()
    report, pages = [], {}
    for username in ROLES:
        client.cookies.clear()
        client.force_login(world.user(username))
        findings, pages[username] = crawl(client, english_msgids)
        report += [f"{username} {url}: {sorted(texts)}" for url, texts in findings.items()]
    assert min(pages.values()) >= 30, pages  # the crawl reached the flows, not just home
    assert report == [], "\n".join(report)
