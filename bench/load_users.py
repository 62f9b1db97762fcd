"""The people of the load test (bench/load.py): locust users working seed 000 over HTTP.

`python -m bench.load_users PLAN.json RESULT.json` runs them in a process of its own: locust
patches the standard library for gevent when imported, which neither the bench process
(Django, forked workers) nor a test process may undergo. The plan, written by
`bench.load.users_run`, names the site, the people and their roles, the story's texts and
the pace; the result holds every request's time by page name, the errors, and what the
people saw done. Nothing here knows the database: people find their work in their pages.

Each person logs in through the login form, waits until everyone has, then works for the
plan's seconds, as in seed 000: Huyện ủy Lục Nam's clerks send signed requests to Ban Dân
tộc (“Gửi văn bản đã ký”) and watch them until answered; Ban Dân tộc's clerks register
them and issue the replies with the next number; the leaders direct, comment and sign; the
unit heads hand over and review; the specialists answer with a draft asking the deputies
for comments. Everyone else's work comes from their queue (“Việc chờ nhận”, taken with
“Nhận và xử lý”) or their inbox, polled like a person at a desk, with a look at the home
page now and then. Only the load's own documents are touched: their summaries carry a tag.

An error is an answer other than 2xx/3xx, a failed connection, or a page other than the one
the click leads to (a form shown again, a redirect elsewhere, the login page). A task taken
by a colleague a moment earlier is no error: the person goes back to their queue.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import gevent
from gevent.event import Event
from locust import HttpUser, task
from locust.env import Environment

ERRORS_KEPT = 10
TAG = re.compile(r"\(thử tải (\d+)\.(\d+)\)")
ROW = re.compile(
    r'lt-row__link" href="(/(incoming|outgoing)/(\d+)/(\w+)/(\d+)/)">([^<]*)</a>'
)
ANSWERED = "được trả lời ngày"
# What each role does, and the lists where that work shows (flow, list, steps).
DESKS = {
    "clerk": [("incoming", "queue", {"register"}), ("outgoing", "queue", {"issue"})],
    "leader": [
        ("incoming", "queue", {"direct"}),
        ("outgoing", "inbox", {"comment"}),
        ("outgoing", "queue", {"sign"}),
    ],
    "unit_head": [("incoming", "queue", {"hand_over"}), ("outgoing", "queue", {"review"})],
    "specialist": [("incoming", "inbox", {"handle"}), ("outgoing", "inbox", {"draft"})],
}
# Where a step's form leads once sent.
AFTER_STEP = {
    "handle": re.compile(r"^/outgoing/\d+/draft/\d+/execute/$"),
    "issue": re.compile(r"^/documents/\d+/$"),
}
# Otherwise back to the list the task was picked from (viewflow pins it in the session), or
# to the process's page.
BACK = re.compile(r"^/(incoming|outgoing)/(queue/|inbox/|\d+/)$")


class Record:
    """Every request's time by page name and the errors, filled by locust's request event."""

    def __init__(self):
        self.samples: dict[str, list[float]] = {}
        self.errors: list[dict] = []
        self.error_count = 0
        self.counts: dict[str, int] = {}
        self.story_seconds: list[float] = []

    def request(self, *, name, response_time, response, exception, url, **_kwargs):
        self.samples.setdefault(name, []).append(response_time)
        if exception is not None:
            self.failure(
                page=name, status=getattr(response, "status_code", None),
                url=re.sub(r"^https?://[^/]+", "", url or ""), reason=str(exception)[:300],
            )

    def user_error(self, *, user_instance, exception, tb, **_kwargs):
        """A person who could not go on (a page without what they needed to pick)."""
        self.failure(page="(person)", url="", reason=f"{type(exception).__name__}: {exception}")

    def failure(self, *, page: str, url: str, reason: str, status=None) -> None:
        """An unexpected page found by reading it, not by its status."""
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append({"page": page, "status": status, "url": url, "reason": reason})

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


RECORD = Record()
EVERYONE_IN = Event()


class FormReader(HTMLParser):
    """A page's form as a browser would send it untouched: each field's initial value(s)
    and, for choices, the options' labels (viewflow's vf-field-* elements)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}
        self.files: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if not name or "disabled" in attributes:
            return
        if tag == "input" and attributes.get("type") == "hidden":
            self.values[name] = [attributes.get("value") or ""]
        if not tag.startswith("vf-field-"):
            return
        if attributes.get("type") == "file":
            self.files.add(name)
            return
        if "optgroups" in attributes:
            options = [group["options"] for group in json.loads(attributes["optgroups"])]
            self.options[name] = [(option["value"], option["label"]) for option in options]
            self.values[name] = [option["value"] for option in options if option["selected"]]
        else:
            self.values[name] = [attributes.get("value") or ""]

    def choice(self, name: str, labels) -> list[str]:
        """The values of field `name`'s options whose label is one of `labels`."""
        return [value for value, label in self.options.get(name, []) if label in labels]


@dataclass
class Task:
    """A row of a task list: /<flow>/<process>/<step>/<task>/ and its label."""

    url: str
    flow: str
    step: str
    label: str

    @property
    def tag(self) -> str:
        found = TAG.search(self.label)
        return found.group(0) if found else ""


def task_rows(page: str) -> list[Task]:
    """The load's own tasks among a list page's rows."""
    rows = []
    for url, flow, _process, step, _task, label in ROW.findall(page):
        row = Task(url=url, flow=flow, step=step, label=html.unescape(label))
        if row.tag:
            rows.append(row)
    return rows


class Person(HttpUser):
    """One of the plan's people; its role says which desk it works at."""

    plan: dict = {}
    cast: list[dict] = []
    abstract = True

    def wait_time(self):
        low, high = self.plan["think"] if self.busy else self.plan["poll"]
        return self.random.uniform(low, high)

    def on_start(self):
        self.me = self.cast.pop(0)
        self.random = random.Random(f"{self.plan['seed']}-{self.me['username']}")
        self.busy = False
        self.cycles = 0
        self.in_flight: dict[str, dict] = {}
        self.sent = 0
        self.logged_in = self.log_in()
        RECORD.count("logged in" if self.logged_in else "could not log in")
        self.plan["arrived"] += 1
        if self.plan["arrived"] == self.plan["people_count"]:
            EVERYONE_IN.set()
        EVERYONE_IN.wait()
        # People do not all click at the same instant once the day starts.
        gevent.sleep(self.random.uniform(0, self.plan["poll"][1]))

    # What the browser does -------------------------------------------------------------

    def think(self):
        low, high = self.plan["think"]
        gevent.sleep(self.random.uniform(low, high))

    def page(self, name: str, url: str, *, login: bool = False) -> str | None:
        """GET a page a person opens; its HTML, or None after recording an error. Only
        the `login` page may ask for a password."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} where a page was expected")
                return None
            if not login and 'name="password"' in r.text:
                r.failure("the login page instead of the page")
                return None
            r.success()
            return r.text

    def post(self, name, url, data, *, expect: re.Pattern, files=None) -> str | None:
        """POST a form; the address it leads to, or None after recording an error."""
        with self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as r:
            where = r.headers.get("Location", "")
            if r.status_code != 302:
                r.failure(f"{r.status_code} instead of a redirect{_form_errors(r.text)}")
                return None
            if not expect.search(where):
                r.failure(f"led to {where}")
                return None
            r.success()
            return where

    def log_in(self) -> bool:
        page = self.page("login form", "/accounts/login/", login=True)
        data = {
            "csrfmiddlewaretoken": _csrf(page), "username": self.me["username"],
            "password": self.plan["password"],
        }
        where = self.post("login", "/accounts/login/", data, expect=re.compile(r"^/home/$"))
        return where is not None

    # The work ---------------------------------------------------------------------------

    @task
    def work(self):
        if not self.logged_in:  # the error is recorded; this person cannot work
            return
        self.cycles += 1
        if self.cycles % self.plan["home_every"] == 1:
            self.page("home", "/home/")
        if self.me["role"] == "hu_clerk":
            self.busy = self.hu_clerk()
            return
        flow, kind, steps = DESKS[self.me["role"]][self.cycles % len(DESKS[self.me["role"]])]
        listing = self.page(f"{flow} {kind}", f"/{flow}/{kind}/")
        rows = [row for row in task_rows(listing or "") if row.step in steps]
        if self.me["role"] == "clerk" and self.cycles % self.plan["register_every"] == 0:
            self.page("register book", f"/documents/register/{flow}/")
        self.busy = bool(rows)
        if not rows:
            return
        row = self.random.choice(rows)
        if kind == "queue":
            self.take_and_do(row)
        else:
            self.open_and_do(row)

    def take_and_do(self, row: Task):
        """“Nhận và xử lý” on a queue row: the task's form opens, unless a colleague took
        it a moment earlier (back to the queue) or has even done it since the list was
        read (to the process's page), each with a message."""
        process = row.url.split("/")[2]
        where = self.post(
            "take task", row.url + "assign/", {"csrfmiddlewaretoken": self.csrf()},
            expect=re.compile(
                rf"^({re.escape(row.url)}execute/|/{row.flow}/queue/|/{row.flow}/{process}/)$"
            ),
        )
        if where is None:
            return
        if not where.endswith("/execute/"):
            RECORD.count("taken by a colleague first")
            self.page(_page_name(where), where)
            return
        self.do(row, where)

    def open_and_do(self, row: Task):
        """A row of the inbox: the task already is the person's; it opens on its form."""
        with self.client.get(
            row.url, name="open task", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302 or not r.headers.get("Location", "").endswith("/execute/"):
                r.failure(f"{r.status_code} → {r.headers.get('Location')} opening a task")
                return
            r.success()
        self.do(row, r.headers["Location"])

    def do(self, row: Task, form_url: str):
        page = self.page(f"task form: {row.step}", form_url)
        if page is None:
            return
        self.think()
        form = FormReader()
        form.feed(page)
        data = self.fill(row, form)
        where = self.post(
            f"task sent: {row.step}", form_url, data,
            expect=AFTER_STEP.get(row.step, BACK),
        )
        if where is None:
            return
        RECORD.count(f"step {row.step}")
        if row.step == "handle":  # straight into the reply's draft
            self.do(Task(url=where.removesuffix("execute/"), flow="outgoing", step="draft",
                         label=row.label), where)
            return
        after = self.page(_page_name(where), where)
        if row.step == "issue" and after:
            docx = re.search(r'href="(/documents/\d+/files/\d+/)"[^>]*>[^<]*\.docx<', after)
            if docx is None:
                RECORD.failure(page="document", url=where, reason="no DOCX on the issued document")
            else:
                self.download("issued DOCX", docx.group(1))

    def fill(self, row: Task, form: FormReader) -> dict:
        """What the person types and picks on the step's form (the rest as the page has it)."""
        story, cast = self.plan["story"], self.plan["cast"]
        data = {name: values for name, values in form.values.items()}
        tag = row.tag
        if row.step == "direct":
            units = [unit for unit, people in cast["specialists"].items() if people]
            unit = self.random.choice(units)
            data.update(lead_unit=form.choice("lead_unit", {unit}), working_days="5",
                        instruction=story["instruction"])
        elif row.step == "hand_over":
            data["handler"] = [self.random.choice(
                form.choice("handler", set(cast["specialists"][self.me["unit"]]))
            )]
        elif row.step == "handle":
            data.update(outcome="reply", note="")
        elif row.step == "draft":
            data.update(
                summary=f"{story['reply_summary']} {tag}", body=story["reply_body"],
                copy_lines=story["copy_line"],
                commenters=form.choice("commenters", set(cast["commenters"])),
            )
        elif row.step == "comment":
            data["text"] = story["comment"]
        elif row.step in ("review", "sign"):
            data.update(decision="approve", reason="")
        return data

    def hu_clerk(self) -> bool:
        """Send a request when fewer than the plan's are waiting for their answer; else look
        at one of them (and, once answered, find the reply in the queue). Returns whether
        something was done."""
        if len(self.in_flight) < self.plan["in_flight"]:
            return self.send()
        url, request = self.random.choice(list(self.in_flight.items()))
        page = self.page("document", url)
        if page is None or ANSWERED not in page:
            return False
        del self.in_flight[url]
        RECORD.story_seconds.append(time.monotonic() - request["sent"])
        RECORD.count("answers seen")
        queue = self.page("incoming queue", "/incoming/queue/") or ""
        if not any(row.tag == request["tag"] for row in task_rows(queue)):
            RECORD.failure(page="incoming queue", url="/incoming/queue/",
                           reason=f"the reply {request['tag']} is not in the queue")
        return True

    def send(self) -> bool:
        story = self.plan["story"]
        page = self.page("send-signed form", "/documents/send-signed/")
        if page is None:
            return False
        self.think()
        form = FormReader()
        form.feed(page)
        self.sent += 1
        tag = f"(thử tải {self.me['index']}.{self.sent})"
        data = {name: values for name, values in form.values.items()}
        data.update(
            document_type=form.choice("document_type", {story["document_type"]}),
            summary=f"{story['request_summary']} {tag}",
            signer_name=story["signer_name"], signer_title=story["signer_title"],
            recipient_agencies=form.choice("recipient_agencies", {story["recipient"]}),
        )
        with open(self.plan["scan"], "rb") as scan:
            files = {"file": ("scan.pdf", scan.read(), "application/pdf")}
        where = self.post("send signed", "/documents/send-signed/", data, files=files,
                          expect=re.compile(r"^/documents/\d+/$"))
        if where is None:
            return False
        RECORD.count("requests sent")
        self.in_flight[where] = {"tag": tag, "sent": time.monotonic()}
        self.page("document", where)
        return True

    def download(self, name: str, url: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"{r.status_code}, not a DOCX")
            else:
                r.success()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


def _page_name(url: str) -> str:
    """A page's name in the figures: “incoming queue”, “process page”, “document”…"""
    if url.startswith("/documents/"):
        return "document"
    flow, rest = url.strip("/").split("/", 1)
    return "process page" if rest.isdigit() else f"{flow} {rest}"


def _csrf(page: str | None) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
    return found.group(1) if found else ""


def _form_errors(page: str) -> str:
    """The messages of a form shown again, for the error report."""
    found = re.findall(r'class="vf-form__error"[^>]*>([^<]+)', page)
    return f": {'; '.join(html.unescape(text).strip() for text in found[:3])}" if found else ""


def main(plan_path: str, result_path: str) -> None:
    with open(plan_path) as file:
        plan = json.load(file)
    people = [dict(person, index=index) for index, person in enumerate(plan["people"], 1)]
    plan.update(arrived=0, people_count=len(people))
    person_class = type("Person", (Person,), {
        "abstract": False, "host": plan["host"], "plan": plan, "cast": people,
    })
    environment = Environment(user_classes=[person_class], stop_timeout=plan["stop_timeout"])
    environment.events.request.add_listener(RECORD.request)
    environment.events.user_error.add_listener(RECORD.user_error)
    runner = environment.create_local_runner()
    began = time.monotonic()
    runner.start(len(people), spawn_rate=plan["spawn_rate"])
    everyone_in = EVERYONE_IN.wait(timeout=plan["ramp_limit"])
    ramp = time.monotonic() - began
    EVERYONE_IN.set()  # when the ramp took too long, those who are in start anyway
    started = time.monotonic()
    # A test may stop as soon as enough stories are answered; the bench works its seconds.
    while time.monotonic() - started < plan["seconds"] and (
        plan["until_answers"] is None
        or RECORD.counts.get("answers seen", 0) < plan["until_answers"]
    ):
        gevent.sleep(0.2)
    runner.stop()
    seconds = time.monotonic() - started
    runner.quit()
    with open(result_path, "w") as file:
        json.dump({
            "people": plan["people_count"], "everyone_in": everyone_in, "ramp_seconds": ramp,
            "seconds": seconds, "samples": RECORD.samples, "errors": RECORD.errors,
            "error_count": RECORD.error_count, "counts": RECORD.counts,
            "story_seconds": RECORD.story_seconds,
        }, file, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
