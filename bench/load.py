"""Load test (issue 13): people working seed 000 at once on gunicorn + PostgreSQL.

The scratch database gets the whole demo (`manage.py load_demo`) and a cast of people in
Ban Dân tộc and Huyện ủy Lục Nam: the six of seed 000 first, then more clerks, deputies
and specialists made like any person (the accounts service gives them their groups). A real
gunicorn serves it, started with the production command of the Dockerfile (its workers and
limits) on a free port of loopback, with DEBUG off; Celery publishes to a broker folder
nobody reads and e-mail stays in the outbox, as the story needs neither. The people
(bench/load_users.py, locust users in a process of their own) log in through the login
form, then work for the profile's seconds; the clock starts once everyone is in.

Afterwards the database is read: stories answered, and for every register and year the
run numbered in, the numbers 1..N (or from the starting number) each exactly once. The goal
is no error at all; the line also carries each page's p50/p95/max. PostgreSQL only: three
gunicorn workers writing one SQLite file is not a shape anyone runs.
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from itertools import product
from pathlib import Path

from .harness import (
    Measure,
    Profile,
    gunicorn_settings,
    log,
    median,
    percentile,
    scratch_database,
    server_shape,
)

GOAL_ERRORS = ("<=", 0)
ROOT = Path(__file__).resolve().parent.parent
BDT, HU = "bdt-bac-giang", "hu-luc-nam"
TAG_TEXT = "(thử tải "
# Seconds a person thinks before sending a form or after finishing a task, and between
# looks at a list that held nothing for them. "office": a click every 1–3 s while working,
# a look at one's lists every 10–20 s otherwise (50 such people offer 4–6 requests/s);
# "hurried" only serves the tests, to finish a story in seconds.
PACES = {
    "office": {"think": [1.0, 3.0], "poll": [10.0, 20.0]},
    "hurried": {"think": [0.02, 0.1], "poll": [0.4, 0.8]},
}
# Each Huyện ủy clerk keeps this many requests waiting for their answer.
IN_FLIGHT = 2
SPAWN_RATE = 10
RAMP_LIMIT = 180
STOP_TIMEOUT = 20
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hải", "Khánh", "Linh", "Nam", "Phương",
         "Quân", "Sơn", "Trang", "Việt", "Yến")


# The cast -------------------------------------------------------------------------------


def cast_sizes(size: int, *, units: int) -> dict[str, int]:
    """How many people of each role `size` people are: the proportions of an agency whose
    specialists outnumber everyone else, with `units` unit heads (at most), never fewer than
    seed 000's six (one of each role, a deputy to comment)."""
    if size < 6:
        raise ValueError("seed 000 needs six people")
    sizes = {
        "hu_clerk": max(1, round(size * 0.12)),
        "clerk": max(1, round(size * 0.08)),
        "head": 1,
        "deputy": max(1, round(size * 0.04)),
        "unit_head": min(units, 3 if size >= 12 else 1),
    }
    sizes["specialist"] = size - sum(sizes.values())
    return sizes


def cast_create(size: int) -> list[dict]:
    """The people of the load, made where missing; one dict per person for the plan.

    Seed 000's six come first (vanthu.hu, mai.ht, quyen.vt, hung.nv, lan.tt, tuan.nq), then
    the demo's other unit heads and specialists, then new people in the demo agencies, the
    specialists spread evenly over the units whose heads are in the cast.
    """
    from accounts.models import Role, Unit, User

    headed = Unit.objects.filter(agency__code=BDT, head__isnull=False).order_by("pk")
    sizes = cast_sizes(size, units=headed.count())
    units = list(headed.select_related("agency", "head")[: sizes["unit_head"]])
    people = {
        "hu_clerk": ["vanthu.hu"], "clerk": ["mai.ht"], "head": ["quyen.vt"],
        "deputy": ["hung.nv"], "unit_head": [unit.head.username for unit in units],
    }
    # tuan.nq drafts in seed 000: first, so that six people are its cast.
    specialists = dict(
        User.objects.filter(agency__code=BDT, role=Role.SPECIALIST, unit__in=units)
        .order_by("pk").values_list("username", "unit_id")
    )
    people["specialist"] = sorted(specialists, key=lambda username: username != "tuan.nq")
    names = _names_unused()
    for role, wanted in sizes.items():
        del people[role][wanted:]
        for number in range(len(people[role]) + 1, wanted + 1):
            unit = None
            if role == "specialist":
                placed = collections.Counter(specialists[p] for p in people["specialist"])
                unit = min(units, key=lambda u: placed[u.pk])
            username = _person_create(role=role, number=number, unit=unit, name=next(names))
            people[role].append(username)
            if unit is not None:
                specialists[username] = unit.pk
    users = User.objects.select_related("unit__agency").in_bulk(
        [username for usernames in people.values() for username in usernames],
        field_name="username",
    )
    return [
        {
            "username": username,
            "role": "leader" if role in ("head", "deputy") else role,
            "full_name": str(users[username]),
            "unit": str(users[username].unit) if users[username].unit else "",
            "deputy": role == "deputy",
        }
        for role, usernames in people.items()
        for username in usernames
    ]


def _names_unused() -> Iterator[str]:
    from accounts.models import User

    taken = set(User.objects.values_list("full_name", flat=True))
    for family, given, middle in product(FAMILY, GIVEN, MIDDLE):
        name = f"{family} {middle} {given}"
        if name not in taken:
            yield name


def _person_create(*, role: str, number: int, unit, name: str) -> str:
    """One more person of Ban Dân tộc or Huyện ủy Lục Nam, with the groups of their role."""
    from django.contrib.auth.hashers import make_password

    from accounts.demo import EMAIL_DOMAIN, PASSWORD
    from accounts.models import Agency, Role, Unit, User
    from accounts.services import user_sync_groups

    agency_code, kind, prefix, title = {
        "hu_clerk": (HU, Role.CLERK, "vanthu.hu", ""),
        "clerk": (BDT, Role.CLERK, "vanthu.bdt", ""),
        "deputy": (BDT, Role.DEPUTY, "photruongban.bdt", "PHÓ TRƯỞNG BAN"),
        "specialist": (BDT, Role.SPECIALIST, "chuyenvien.bdt", ""),
    }[role]
    agency = Agency.objects.get(code=agency_code)
    if role == "hu_clerk":
        unit = Unit.objects.get(agency=agency, symbol="VP")
    elif role == "clerk":
        unit = Unit.objects.get(agency=agency, symbol="HCTH")
    username = f"{prefix}{number:02d}"
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": name, "email": f"{username}@{EMAIL_DOMAIN}", "agency": agency,
            "unit": unit, "role": kind, "title": title, "is_active": True,
            "password": make_password(PASSWORD),
        },
    )
    user_sync_groups(user=user)
    return username


def passwords_for_gunicorn(cast: list[dict]) -> None:
    """The cast's password hashed as production stores it (the bench process hashes with
    MD5 for speed, which gunicorn's settings do not accept); one hash for everyone."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.demo import PASSWORD
    from accounts.models import User

    encoded = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8))
    User.objects.filter(username__in=[person["username"] for person in cast]).update(
        password=encoded
    )


# What the database says afterwards ----------------------------------------------------------


def counters_snapshot() -> dict[tuple[int, int], int]:
    """Every register's last number of every year, before the run."""
    from workflows.models import RegisterCounter

    return {
        (register, year): last
        for register, year, last in RegisterCounter.objects.values_list(
            "register_id", "year", "last_number"
        )
    }


def numbers_check(before: dict[tuple[int, int], int]) -> dict:
    """For every register and year the run numbered in, the documents' numbers are the
    year's first number (1, or the starting number set) to the counter, each exactly once."""
    from workflows.models import Document, RegisterCounter

    registers, ok = [], True
    for counter in RegisterCounter.objects.select_related("register__agency").order_by("pk"):
        if before.get((counter.register_id, counter.year)) == counter.last_number:
            continue
        numbers = collections.Counter(
            Document.objects.filter(
                register_id=counter.register_id, register_year=counter.year
            ).values_list("register_number", flat=True)
        )
        expected = set(range(counter.first_number or 1, counter.last_number + 1))
        entry = {
            "register": str(counter.register), "year": counter.year,
            "numbered_in_run": counter.last_number - before.get(
                (counter.register_id, counter.year), (counter.first_number or 1) - 1
            ),
            "last": counter.last_number,
            "duplicates": sorted(n for n, count in numbers.items() if count > 1),
            "missing": sorted(expected - set(numbers)),
            "beyond_counter": sorted(set(numbers) - expected),
        }
        entry["ok"] = not (entry["duplicates"] or entry["missing"] or entry["beyond_counter"])
        ok = ok and entry["ok"]
        registers.append(entry)
    return {"ok": ok and bool(registers), "registers": registers}


def stories_done() -> dict[str, int]:
    """The load's requests sent, replies issued, and requests answered (seed 000's end)."""
    from workflows.models import Direction, Document

    load = Document.objects.filter(summary__contains=TAG_TEXT)
    requests = load.filter(agency__code=HU, direction=Direction.OUTGOING)
    return {
        "sent": requests.count(),
        "replies_issued": load.filter(
            agency__code=BDT, direction=Direction.OUTGOING, status=Document.Status.ISSUED
        ).count(),
        "delivered": load.filter(agency__code=HU, direction=Direction.INCOMING).count(),
        "answered": requests.filter(answered_at__isnull=False).count(),
    }


# The people ---------------------------------------------------------------------------------


def plan_build(*, base_url: str, cast: list[dict], seconds: float, pace: str, scan: Path,
               in_flight: int = IN_FLIGHT, until_answers: int | None = None) -> dict:
    """What bench/load_users.py needs: the site, the people, the story's words, the pace."""
    from accounts.demo import PASSWORD
    from accounts.models import Agency, User
    from workflows.story import COMMENT, REPLY_BODY, REPLY_SUMMARY, REQUEST_SUMMARY

    hu_head = User.objects.get(agency__code=HU, role="head")
    unit_heads = {person["unit"] for person in cast if person["role"] == "unit_head"}
    specialists = {unit: [] for unit in sorted(unit_heads)}
    for person in cast:
        if person["role"] == "specialist":
            specialists[person["unit"]].append(person["full_name"])
    return {
        "host": base_url, "password": PASSWORD, "seed": 0, "seconds": seconds,
        **PACES[pace], "in_flight": in_flight, "until_answers": until_answers,
        "home_every": 6, "register_every": 10,
        "spawn_rate": SPAWN_RATE, "ramp_limit": RAMP_LIMIT, "stop_timeout": STOP_TIMEOUT,
        "scan": str(scan),
        "people": [
            {"username": p["username"], "role": p["role"], "unit": p["unit"]} for p in cast
        ],
        "cast": {
            "specialists": specialists,
            "commenters": [p["full_name"] for p in cast if p["deputy"]],
        },
        "story": {
            "request_summary": REQUEST_SUMMARY, "reply_summary": REPLY_SUMMARY,
            "reply_body": REPLY_BODY, "comment": COMMENT, "document_type": "Công văn",
            "signer_name": hu_head.get_full_name(), "signer_title": hu_head.title,
            "recipient": Agency.objects.get(code=BDT).name, "copy_line": "Lãnh đạo Ban",
            "instruction": "Tham mưu văn bản trả lời Huyện ủy Lục Nam.",
        },
    }


def users_run(*, base_url: str, cast: list[dict], seconds: float, pace: str,
              **options) -> dict:
    """Run the cast against `base_url` for `seconds` (after everyone logged in) in a
    process of its own, killed if it outlives its bound; its result. `options` go to the
    plan (`in_flight`, `until_answers`)."""
    from workflows.story import pdf_page

    with tempfile.TemporaryDirectory(prefix="lienthong-load-") as folder:
        folder = Path(folder)
        scan = folder / "scan.pdf"
        scan.write_bytes(pdf_page("Cong van 1719-CV/HU - Huyen uy Luc Nam"))
        plan = plan_build(base_url=base_url, cast=cast, seconds=seconds, pace=pace, scan=scan,
                          **options)
        (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
        bound = seconds + RAMP_LIMIT + STOP_TIMEOUT + 60
        subprocess.run(
            [sys.executable, "-m", "bench.load_users", str(folder / "plan.json"),
             str(folder / "result.json")],
            cwd=ROOT, check=True, timeout=bound, stdout=subprocess.DEVNULL,
        )
        return json.loads((folder / "result.json").read_text())


def pages_summary(samples: dict[str, list[float]]) -> dict[str, dict]:
    """Each page's count and p50/p95/max in milliseconds."""
    return {
        name: {
            "count": len(times), "p50": round(median(times), 1),
            "p95": round(percentile(times, 95), 1), "max": round(max(times), 1),
        }
        for name, times in sorted(samples.items()) if times
    }


# gunicorn -----------------------------------------------------------------------------------


def production_command() -> list[str]:
    """The gunicorn command line of the production image (Dockerfile's CMD)."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = re.search(r"^CMD (\[.*\])\s*$", dockerfile, re.MULTILINE)
    command = json.loads(found.group(1))
    if command[0] != "gunicorn":
        raise RuntimeError(f"the Dockerfile's CMD is not gunicorn: {command}")
    return command


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def gunicorn_serving(folder: Path) -> Iterator[str]:
    """gunicorn as production runs it, on the current (scratch) database, at a free port of
    loopback; yields its address. Its log is `folder/gunicorn.log`."""
    port = _free_port()
    # A --bind on the command line wins over the one of config/gunicorn.py.
    command = [*production_command(), "--bind", f"127.0.0.1:{port}"]
    base_url = f"http://127.0.0.1:{port}"
    (folder / "static").mkdir(exist_ok=True)
    env = {
        **{key: value for key, value in os.environ.items()
           if key not in ("CACHE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        # Broker and cache in files of the run's own: nobody's worker gets its messages.
        "VAR_DIR": str(folder / "var"),
        "STATIC_ROOT": str(folder / "static"),
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base_url,
    }
    with open(folder / "gunicorn.log", "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_answering(base_url, server, folder / "gunicorn.log")
            yield base_url
        finally:
            server.terminate()  # graceful: requests in progress finish first
            try:
                server.wait(40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_answering(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(base_url + "/accounts/login/", timeout=10) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer in 60 s: {log_path.read_text()[-2000:]}")


# The benchmark ------------------------------------------------------------------------------


def run(profile: Profile):
    """Yield the load test's one measure."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    params = {"users": profile.load_users, "seconds": profile.load_seconds,
              "pace": profile.load_pace, "profile": profile.name}
    if connection.vendor != "postgresql":
        yield Measure("load.errors", None, "", params=params,
                      skipped="PostgreSQL only (set DATABASE_URL)")
        return
    with scratch_database("load"), tempfile.TemporaryDirectory(prefix="lienthong-load-") as tmp:
        folder = Path(tmp)
        call_command("load_demo", stdout=io.StringIO())
        cast = cast_create(profile.load_users)
        passwords_for_gunicorn(cast)
        before = counters_snapshot()
        load_before = round(os.getloadavg()[0], 2)
        with gunicorn_serving(folder) as base_url:
            workers = gunicorn_settings()["workers"]
            log(f"load: {len(cast)} people on {server_shape()} at {base_url}, "
                f"{profile.load_seconds} s")
            result = users_run(base_url=base_url, cast=cast, seconds=profile.load_seconds,
                               pace=profile.load_pace)
        numbers = numbers_check(before)
        stories = stories_done()
        server_errors = (folder / "gunicorn.log").read_text().count("Internal Server Error")
        log_copy = settings.VAR_DIR / "bench-load-gunicorn.log"
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        log_copy.write_text((folder / "gunicorn.log").read_text())
    pages = pages_summary(result["samples"])
    measured = {name: page for name, page in pages.items() if name not in ("login form", "login")}
    requests = sum(page["count"] for page in measured.values())
    minutes = result["seconds"] / 60
    story_times = result["story_seconds"]
    yield Measure(
        "load.errors", result["error_count"], "errors",
        params={**params, "gunicorn_workers": workers}, goal=GOAL_ERRORS,
        check=numbers["ok"] and result["everyone_in"],
        extra={
            "measured_seconds": round(result["seconds"], 1),
            "ramp_seconds": round(result["ramp_seconds"], 1),
            "requests": requests,
            "requests_per_s": round(requests / result["seconds"], 1),
            "errors_first": result["errors"],
            "server_errors_logged": server_errors,
            "stories": stories,
            "stories_per_minute": round(stories["answered"] / minutes, 2),
            "story_seconds": (
                {"p50": round(median(story_times), 1), "p95": round(percentile(story_times, 95), 1)}
                if story_times else None
            ),
            "seen_by_people": result["counts"],
            "numbers": numbers,
            "pages": pages,
            "load_average_before": load_before,
            "gunicorn_log": str(log_copy),
        },
    )
