"""Inbox and queue pages: queries and latency with many processes, users and agencies.

The data is an organisation of many agencies (each with a head, a deputy, a clerk, four
units with their heads, and specialists), its permission groups made by the accounts
services (so the guardian rows are exactly the app's), and incoming processes spread over the
stages of IncomingFlow, written at COPY speed with the fields viewflow stores (flow_class and
flow_task as strings, owner_permission with its content type and object). The measured
people belong to the first agency: its head (the queue of documents to direct) and one
specialist (documents handed to them). Each page is measured at the small size and again
after the data has grown to the large one: one request through the Django test client in
this process (its queries, its time and the database's share of it), then `requests` more
served by gunicorn as production runs it (config/gunicorn.py, DEBUG off) to CLIENTS
clients at once, each a forked process with its kept-alive connection, not one after another.

The leader measured on the queue is the first agency's head whose groups also hold
LEADER_GRANTS unit and agency grants across the organisation (a provincial leader who follows
many bodies), so the queue's match runs over a thousand permission rows, not three.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from django.test.client import Client
from django.utils import timezone

from .harness import (
    Measure,
    Profile,
    QueryCounter,
    RowTemplate,
    analyze,
    forked,
    log,
    next_id,
    percentile,
    scratch_database,
    sequences_reset,
    server_shape,
    split,
    stopwatch,
    web_server,
)

GOAL_QUERIES = ("<=", 15)
GOAL_P95_MS = ("<=", 100)
UNITS_PER_AGENCY = 4
# Rows of the measured people's pages added at the small size, so that both sizes show
# full pages and any per-row query would show as a difference.
FOCUS_ROWS = 30
WARM_UP = 3
CLIENTS = 4
# Requests each client sends before the measured ones: enough for every thread of the
# server to have opened its database connection and warmed its caches.
SERVER_WARM_UP = 10
LEADER_GRANTS = 1_000
# What the grants give: the agency's and the unit's permissions of accounts' role groups.
AGENCY_PERMISSIONS = ("direct_incoming", "register_incoming", "sign_outgoing", "issue_outgoing")
UNIT_PERMISSIONS = ("distribute_unit_work", "handle_unit_work", "review_unit_drafts")


@dataclass
class Org:
    agencies: list[int] = field(default_factory=list)
    units: dict[int, list[int]] = field(default_factory=dict)
    heads: dict[int, int] = field(default_factory=dict)
    clerks: dict[int, int] = field(default_factory=dict)
    unit_heads: dict[int, int] = field(default_factory=dict)
    specialists: dict[int, list[int]] = field(default_factory=dict)


def org_build(*, agencies: int, users: int) -> Org:
    """Agencies, units, people and their permission groups, made in bulk."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Agency, Role, Unit, User
    from accounts.services import agency_role_group, unit_head_group, unit_members_group

    org = Org()
    made = Agency.objects.bulk_create(
        Agency(
            code=f"bench-{i:04d}", name=f"Cơ quan thử {i}", header_name=f"CƠ QUAN THỬ {i}",
            parent_line="UBND TỈNH BẮC GIANG", symbol=f"CQ{i}", place_name="Bắc Giang",
            email=f"cq{i}@bench.lienthong.vn",
        )
        for i in range(agencies)
    )
    units = Unit.objects.bulk_create(
        Unit(agency=agency, name=f"Phòng {j + 1}", symbol=f"P{j + 1}")
        for agency in made
        for j in range(UNITS_PER_AGENCY)
    )
    for unit in units:
        org.units.setdefault(unit.agency_id, []).append(unit.pk)
    password = make_password("lienthong2023")
    per_agency = users // agencies
    people = []
    for i, agency in enumerate(made):
        unit_ids = org.units[agency.pk]
        roles = [Role.HEAD, Role.DEPUTY, Role.CLERK] + [Role.UNIT_HEAD] * UNITS_PER_AGENCY
        roles += [Role.SPECIALIST] * (per_agency - len(roles))
        for k, role in enumerate(roles):
            unit_id = None
            if role == Role.UNIT_HEAD:
                unit_id = unit_ids[k - 3]
            elif role in (Role.SPECIALIST, Role.CLERK):
                unit_id = unit_ids[k % UNITS_PER_AGENCY]
            people.append(User(
                username=f"u{i:04d}.{k:03d}", full_name=f"Người dùng {i}.{k}",
                email=f"u{i}.{k}@bench.lienthong.vn", password=password,
                agency_id=agency.pk, unit_id=unit_id, role=role,
            ))
    people = User.objects.bulk_create(people, batch_size=2_000)
    for person in people:
        if person.role == Role.HEAD:
            org.heads[person.agency_id] = person.pk
        elif person.role == Role.CLERK:
            org.clerks[person.agency_id] = person.pk
        elif person.role == Role.UNIT_HEAD:
            org.unit_heads[person.unit_id] = person.pk
        elif person.role == Role.SPECIALIST:
            org.specialists.setdefault(person.agency_id, []).append(person.pk)
    Unit.objects.bulk_update(
        [Unit(pk=unit_id, head_id=head) for unit_id, head in org.unit_heads.items()],
        ["head"], batch_size=2_000,
    )
    org.agencies = [agency.pk for agency in made]

    # The groups and guardian rows through the services, as the app makes them.
    groups = {}
    for agency in made:
        for role in Role.values:
            groups[(agency.pk, role)] = agency_role_group(agency=agency, role=role).group_id
    members, heads = {}, {}
    for unit in Unit.objects.filter(agency__in=made).select_related("agency"):
        members[unit.pk] = unit_members_group(unit=unit).group_id
        heads[unit.pk] = unit_head_group(unit=unit).group_id
    through = User.groups.through
    rows = []
    for person in people:
        rows.append(through(user_id=person.pk, group_id=groups[(person.agency_id, person.role)]))
        if person.unit_id:
            rows.append(through(user_id=person.pk, group_id=members[person.unit_id]))
        if person.role == Role.UNIT_HEAD:
            rows.append(through(user_id=person.pk, group_id=heads[person.unit_id]))
    through.objects.bulk_create(rows, batch_size=5_000)
    return org


class ProcessWriter:
    """Writes incoming processes at given stages, with their documents and tasks."""

    # Stage → (tasks done before, the open task or None when the process is finished).
    STAGES = ("direct", "hand_over", "handle", "done")

    def __init__(self, org: Org):
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow.models import Process, Task
        from viewflow.workflow.token import Token

        from accounts.models import Agency, Unit
        from workflows.flows import IncomingFlow
        from workflows.models import Direction, Document, DocumentProcess, DocumentType

        self.org = org
        self.flow = IncomingFlow
        self.now = timezone.now()
        self.agency_type = ContentType.objects.get_for_model(Agency).pk
        self.unit_type = ContentType.objects.get_for_model(Unit).pk
        self.models = (Document, Process, Task)
        self.document = RowTemplate(
            Document, explicit_ids=True, agency_id=0, direction=Direction.INCOMING,
            status=Document.Status.IN_PROGRESS,
            document_type_id=DocumentType.objects.get(code="cong-van").pk,
            summary="V/v báo cáo kết quả thực hiện nhiệm vụ", notation="",
            sender_name="Cơ quan gửi", created_at=self.now, updated_at=self.now,
        )
        self.process = RowTemplate(
            Process, explicit_ids=True, flow_class=IncomingFlow, status="NEW", created=self.now,
            data={},
        )
        self.document_process = RowTemplate(
            DocumentProcess, process_ptr_id=0, document_id=0, agency_id=0, decision=""
        )
        self.task = RowTemplate(
            Task, explicit_ids=True, flow_task=IncomingFlow.start, flow_task_type="START",
            status="DONE", created=self.now, finished=self.now, token=Token("start"),
            process_id=0, data={},
        )

    def _tasks(self, *, process_id: int, agency: int, unit: int, specialist: int, stage: str):
        """(changes for the task template) of each task of one process at `stage`."""
        flow = self.flow
        done = {"status": "DONE", "finished": self.now}
        chain = [
            {"flow_task": flow.start, "flow_task_type": "START"},
            {"flow_task": flow.register, "flow_task_type": "HUMAN",
             "owner_id": self.org.clerks[agency], "owner_permission": "accounts.register_incoming",
             "owner_permission_content_type_id": self.agency_type,
             "owner_permission_obj_pk": str(agency)},
            {"flow_task": flow.direct, "flow_task_type": "HUMAN",
             "owner_id": self.org.heads[agency], "owner_permission": "accounts.direct_incoming",
             "owner_permission_content_type_id": self.agency_type,
             "owner_permission_obj_pk": str(agency)},
            {"flow_task": flow.hand_over, "flow_task_type": "HUMAN",
             "owner_id": self.org.unit_heads[unit],
             "owner_permission": "accounts.distribute_unit_work",
             "owner_permission_content_type_id": self.unit_type,
             "owner_permission_obj_pk": str(unit)},
            {"flow_task": flow.handle, "flow_task_type": "HUMAN", "owner_id": specialist},
            {"flow_task": flow.end, "flow_task_type": "END"},
        ]
        open_at = {"direct": 2, "hand_over": 3, "handle": 4, "done": None}[stage]
        if open_at is None:
            return [{**task, **done, "process_id": process_id} for task in chain]
        tasks = [{**task, **done, "process_id": process_id} for task in chain[:open_at]]
        task = {**chain[open_at], "process_id": process_id, "finished": None}
        if stage == "handle":
            task.update(status="ASSIGNED", assigned=self.now)
        else:
            task.update(status="NEW", owner_id=None)
        return [*tasks, task]

    def add(self, plan: list[tuple[int, int, str]]) -> int:
        """Write one process per (agency, specialist, stage) of `plan`; returns the count."""
        from workflows.models import DocumentProcess

        Document, Process, Task = self.models
        document_id, process_id, task_id = next_id(Document), next_id(Process), next_id(Task)
        documents, processes, links, tasks = [], [], [], []
        for offset, (agency, specialist, stage) in enumerate(plan):
            units = self.org.units[agency]
            unit = units[offset % len(units)]
            finished = stage == "done"
            documents.append(self.document.row(
                id=document_id + offset, agency_id=agency,
                notation=f"{offset + 1}/CQ-VP", summary=f"V/v văn bản thử số {offset + 1}",
            ))
            processes.append(self.process.row(
                id=process_id + offset, status="DONE" if finished else "NEW",
                finished=self.now if finished else None,
            ))
            links.append(self.document_process.row(
                process_ptr_id=process_id + offset, document_id=document_id + offset,
                agency_id=agency,
            ))
            for changes in self._tasks(
                process_id=process_id + offset, agency=agency, unit=unit,
                specialist=specialist, stage=stage,
            ):
                tasks.append(self.task.row(id=task_id + len(tasks), **changes))
        self.document.insert(documents)
        self.process.insert(processes)
        self.document_process.insert(links)
        self.task.insert(tasks)
        sequences_reset(Document, Process, Task, DocumentProcess)
        return len(plan)

    def spread(self, count: int, *, skip: int = 0) -> list[tuple[int, int, str]]:
        """`count` processes over every agency and stage, specialists taken in turn."""
        agencies = self.org.agencies
        plan = []
        for n in range(skip, skip + count):
            agency = agencies[n % len(agencies)]
            within = n // len(agencies)
            specialists = self.org.specialists[agency]
            plan.append((agency, specialists[within % len(specialists)],
                         self.STAGES[within % len(self.STAGES)]))
        return plan


def leader_grants_add(*, user_id: int, org: Org, count: int = LEADER_GRANTS) -> int:
    """Give `user_id` a group holding `count` grants on the organisation's agencies and
    units (each permission on each object once, agencies first); returns how many."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission

    from accounts.models import Agency, Unit, User

    permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=AGENCY_PERMISSIONS + UNIT_PERMISSIONS,
        )
    }
    agency_type = ContentType.objects.get_for_model(Agency)
    unit_type = ContentType.objects.get_for_model(Unit)
    targets = [
        (agency_type, pk, codename)
        for codename in AGENCY_PERMISSIONS for pk in org.agencies
    ] + [
        (unit_type, pk, codename)
        for codename in UNIT_PERMISSIONS for units in org.units.values() for pk in units
    ]
    group = Group.objects.create(name="bench: provincial leader's grants")
    rows = GroupObjectPermission.objects.bulk_create(
        GroupObjectPermission(
            group=group, permission=permissions[codename], content_type=content_type,
            object_pk=str(pk),
        )
        for content_type, pk, codename in targets[:count]
    )
    User.objects.get(pk=user_id).groups.add(group)
    return len(rows)


TASK_LINK = re.compile(r'href="/incoming/(\d+)/\w+/(\d+)/')


def _get(connection, path: str, cookie: str) -> int:
    """GET `path` on a kept-alive connection; its status."""
    from http.client import RemoteDisconnected

    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
    except (RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # The server closed the connection while it was idle (gunicorn's keep-alive lasts
        # seconds, and the clients wait for each other at the start): a browser reconnects.
        connection.close()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
    response.read()
    return response.status


def _client_samples(connection, path: str, cookie: str, requests: int) -> list[float]:
    """Milliseconds of `requests` GETs of `path`, one after another on one connection."""
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        status = _get(connection, path, cookie)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return samples


def _concurrent_samples(*, server: str, cookie: str, path: str, requests: int) -> list[float]:
    """Milliseconds of `requests` requests to the production server, shared by CLIENTS
    clients at once (each its own process and kept-alive connection, like a browser)."""
    from http.client import HTTPConnection
    from urllib.parse import urlsplit

    address = urlsplit(server)

    def connected() -> HTTPConnection:
        connection = HTTPConnection(address.hostname, address.port, timeout=60)
        _client_samples(connection, path, cookie, SERVER_WARM_UP)
        return connection

    _seconds, results = forked(
        prepare=connected,
        job=lambda connection, count: _client_samples(connection, path, cookie, count),
        shares=split(requests, CLIENTS),
    )
    return [sample for samples in results for sample in samples]


def page_alone(*, user, url: str) -> dict:
    """Queries and time of one request in this process, the task rows shown, and the
    session cookie the server's clients use."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} for {user.username}")
    with QueryCounter() as counted, stopwatch() as took:
        response = client.get(url)
    return {
        "queries": counted.count,
        # One request split: time in the database (round trips included) and the rest
        # (view, template rendering, middleware).
        "db_ms": round(counted.seconds * 1000, 1),
        "request_ms": round(took[0] * 1000, 1),
        "rows": len(set(TASK_LINK.findall(response.content.decode()))),
        "cookie": f"{settings.SESSION_COOKIE_NAME}="
                  f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
    }


def page_served(*, server: str, cookie: str, url: str, requests: int) -> dict:
    """p50/p95 of `requests` requests served by `server` to CLIENTS clients at once."""
    samples = _concurrent_samples(server=server, cookie=cookie, path=url, requests=requests)
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95)}


def run(profile: Profile):
    """Yield the inbox measures."""
    from accounts.models import User
    from workflows.flows import IncomingFlow

    with scratch_database("inbox"):
        with stopwatch() as took:
            org = org_build(agencies=profile.inbox_agencies, users=profile.inbox_users)
        log(f"inbox: {profile.inbox_agencies} agencies, {profile.inbox_users} people and "
            f"their groups in {took[0]:.1f} s")
        writer = ProcessWriter(org)
        first = org.agencies[0]
        grants = leader_grants_add(user_id=org.heads[first], org=org)
        log(f"inbox: the leader's groups hold {grants} more grants")
        specialist = org.specialists[first][0]
        focus = [(first, specialist, "direct")] * FOCUS_ROWS
        focus += [(first, specialist, "handle")] * FOCUS_ROWS
        pages = {
            "specialist_inbox": (User.objects.get(pk=specialist),
                                 IncomingFlow.instance.reverse("inbox")),
            "leader_queue": (User.objects.get(pk=org.heads[first]),
                             IncomingFlow.instance.reverse("queue")),
        }
        results = {}
        written = 0
        for size in (profile.inbox_small, profile.inbox_large):
            with stopwatch() as took:
                if not written:
                    written += writer.add(focus)
                written += writer.add(writer.spread(size - written, skip=written))
                analyze()
            log(f"inbox: {written} processes written in {took[0]:.1f} s")
            # A server started after the writes: no connection kept from before the ANALYZE.
            # Each page alone first, while no server runs (its workers' start would count).
            for name, (user, url) in pages.items():
                results[(name, size)] = page_alone(user=user, url=url)
            with web_server() as server:
                for name, (_user, url) in pages.items():
                    results[(name, size)].update(page_served(
                        server=server, cookie=results[(name, size)].pop("cookie"), url=url,
                        requests=profile.inbox_requests,
                    ))
                    log(f"inbox: {name} at {size}: {results[(name, size)]}")

    small, large = profile.inbox_small, profile.inbox_large
    for name in pages:
        at_small, at_large = results[(name, small)], results[(name, large)]
        params = {
            "processes": large, "users": profile.inbox_users,
            "agencies": profile.inbox_agencies, "rows_on_page": at_large["rows"],
            "profile": profile.name, "clients": CLIENTS, "server": server_shape(),
            **({"leader_grants": grants} if name == "leader_queue" else {}),
        }
        yield Measure(
            f"inbox.{name}.queries", at_large["queries"], "queries per page",
            params={**params, "baseline_processes": small}, baseline=at_small["queries"],
            goal=GOAL_QUERIES, check=at_large["queries"] == at_small["queries"],
            extra={"equal_at_both_sizes": at_large["queries"] == at_small["queries"],
                   "rows_on_page_small": at_small["rows"]},
        )
        yield Measure(
            f"inbox.{name}.p95", at_large["p95"], "ms",
            params={**params, "requests": profile.inbox_requests, "baseline_processes": small},
            baseline=at_small["p95"], goal=GOAL_P95_MS,
            extra={"p50": round(at_large["p50"], 1), "p50_small": round(at_small["p50"], 1),
                   "one_request_ms": at_large["request_ms"], "of_which_db_ms": at_large["db_ms"],
                   "one_request_ms_small": at_small["request_ms"],
                   "of_which_db_ms_small": at_small["db_ms"]},
        )
