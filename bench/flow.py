"""Flow throughput: seed 000 end to end through the services, against plain ORM writes.

One “process” is the whole story of `workflows.story.seed000_play`: Huyện ủy Lục Nam sends
its request, Ban Dân tộc registers, directs, hands over, drafts, comments, reviews, signs,
issues (number + DOCX) and delivers the reply, which starts Huyện ủy Lục Nam's incoming flow.
The baseline writes the same business rows (documents, recipients, files, timeline,
assignment, opinion, counters, deadline, the notices of new work with their e-mails) with
plain ORM calls, one transaction per step, and renders the same DOCX; the ratio is what the
workflow engine and the services cost on top.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .harness import (
    Measure,
    Profile,
    analyze,
    forked,
    log,
    scratch_database,
    split,
    stopwatch,
)

# Issue 14: two workers on an idle 2-core machine, the time against the plain-ORM baseline
# measured in the same run, and the statements of one process.
GOAL_THROUGHPUT_2_WORKERS = (">=", 13)
GOAL_RATIO = ("<=", 3)
GOAL_STATEMENTS = ("<=", 200)
WARM_UP = 2
STEP_NAMES = {
    "1": "send (HU clerk, delivery to BDT)",
    "2": "register",
    "3": "direct",
    "4": "hand over",
    "5": "reply chosen (draft + outgoing flow started)",
    "6": "draft (with comments requested)",
    "7": "comment",
    "8": "review (unit head)",
    "9": "approve and sign",
    "10": "issue (number, DOCX) and deliver to HU",
    "11": "story: list recipients",
    "→": "story: read HU's queue",
}


def _quiet(_text: str) -> None:
    pass


def story_services() -> None:
    """One seed-000 process through the services (what the web pages call)."""
    from workflows.story import seed000_play

    seed000_play(out=_quiet)


@dataclass
class World:
    """The reference data the baseline looks up once (agencies, people, registers)."""

    hu: object
    bdt: object
    hu_office: object
    hcth: object
    cong_van: object
    people: dict
    registers: dict


def world_load() -> World:
    from accounts.models import Agency, Unit, User
    from workflows.models import Direction, DocumentType
    from workflows.services.numbering import register_for

    hu = Agency.objects.get(code="hu-luc-nam")
    bdt = Agency.objects.get(code="bdt-bac-giang")
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=["vanthu.hu", "son.bt", "mai.ht", "quyen.vt", "lan.tt", "tuan.nq",
                          "hung.nv"]
        )
    }
    return World(
        hu=hu,
        bdt=bdt,
        hu_office=Unit.objects.get(agency=hu, symbol="VP"),
        hcth=Unit.objects.get(agency=bdt, symbol="HCTH"),
        cong_van=DocumentType.objects.get(code="cong-van"),
        people=people,
        registers={
            "hu_out": register_for(agency=hu, direction=Direction.OUTGOING),
            "bdt_in": register_for(agency=bdt, direction=Direction.INCOMING),
            "bdt_out": register_for(agency=bdt, direction=Direction.OUTGOING),
        },
    )


def _number(register, year: int) -> int:
    from workflows.models import RegisterCounter

    counter, _created = RegisterCounter.objects.select_for_update().get_or_create(
        register=register, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _attach(document, kind: str, name: str, content: bytes, content_type: str, user):
    from workflows.models import Attachment

    attachment = Attachment(
        document=document, kind=kind, original_name=name, content_type=content_type,
        size=len(content), uploaded_by=user,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def _notices(agency, key: str, *people) -> None:
    """The notice of one event to each person: an in-app row and an e-mail row."""
    from notifications.models import Notification, Outbox

    Notification.objects.bulk_create(
        Notification(recipient=person, agency=agency, key=key, kind="task", title=key)
        for person in people
    )
    Outbox.objects.bulk_create(
        Outbox(key=key, to_email=person.email, recipient=person, agency=agency, kind="task",
               subject=key, body_text=key)
        for person in people
    )


def story_orm(world: World) -> None:
    """The business rows of one seed-000 process, written with plain ORM calls."""
    from notifications.models import Deadline
    from workcalendar.services import deadline_after
    from workflows.models import (
        Assignment,
        Attachment,
        Direction,
        Document,
        Opinion,
        Recipient,
        TimelineEntry,
    )
    from workflows.models import TimelineEntry as T
    from workflows.services.numbering import notation_build
    from workflows.services.rendering import document_render_docx
    from workflows.story import (
        COMMENT,
        REPLY_BODY,
        REPLY_SUMMARY,
        REQUEST_DATE,
        REQUEST_SUMMARY,
        pdf_scan,
    )

    p = world.people
    now = timezone.now()
    today = timezone.localdate()
    bdt, hu = world.bdt, world.hu

    def note(document, action, actor=None, comment=""):
        TimelineEntry.objects.create(document=document, action=action, actor=actor,
                                     comment=comment)

    with transaction.atomic():  # HU's clerk sends the signed request; BDT receives it
        request = Document.objects.create(
            agency=world.hu, direction=Direction.OUTGOING, status=Document.Status.APPROVED,
            document_type=world.cong_van, summary=REQUEST_SUMMARY, sender_agency=world.hu,
            sender_name=world.hu.name, drafting_unit=world.hu_office,
            signer_name=p["son.bt"].get_full_name(), signer_title=p["son.bt"].title,
            signing_authority="", created_by=p["vanthu.hu"],
        )
        to_bdt = Recipient.objects.create(document=request, agency=world.bdt)
        note(request, T.Action.SIGNED, comment=p["son.bt"].title)
        scan = pdf_scan("1719-CV-HU.pdf").read()
        _attach(request, Attachment.Kind.ISSUED, "1719-CV-HU.pdf", scan, "application/pdf",
                p["vanthu.hu"])
        number = _number(world.registers["hu_out"], REQUEST_DATE.year)
        request.register = world.registers["hu_out"]
        request.register_year = REQUEST_DATE.year
        request.register_number = request.number = number
        request.registered_at = now
        request.notation = notation_build(number=number, document_type=world.cong_van,
                                          agency=world.hu, drafting_unit=world.hu_office)
        request.issued_on = REQUEST_DATE
        request.place = world.hu.place_name
        request.status = Document.Status.ISSUED
        request.save()
        note(request, T.Action.ISSUED, p["vanthu.hu"], request.notation)
        incoming = Document.objects.create(
            agency=world.bdt, direction=Direction.INCOMING, status=Document.Status.RECEIVED,
            document_type=world.cong_van, number=number, notation=request.notation,
            issued_on=request.issued_on, place=request.place, summary=request.summary,
            sender_agency=world.hu, sender_name=world.hu.name, signer_name=request.signer_name,
            signer_title=request.signer_title, source=request,
        )
        _attach(incoming, Attachment.Kind.ORIGINAL, "1719-CV-HU.pdf", scan, "application/pdf",
                None)
        note(incoming, T.Action.RECEIVED, comment=request.notation)
        to_bdt.delivered_at, to_bdt.delivered_copy = now, incoming
        to_bdt.save(update_fields=["delivered_at", "delivered_copy"])
        note(request, T.Action.DELIVERED, comment=world.bdt.name)
        _notices(bdt, f"register:{incoming.pk}", p["mai.ht"])

    with transaction.atomic():  # BDT's clerk registers
        incoming.register = world.registers["bdt_in"]
        incoming.register_year = today.year
        incoming.register_number = _number(world.registers["bdt_in"], today.year)
        incoming.registered_at = timezone.now()
        incoming.status = Document.Status.REGISTERED
        incoming.save()
        note(incoming, T.Action.REGISTERED, p["mai.ht"], str(incoming.register_number))
        _notices(bdt, f"direct:{incoming.pk}", p["quyen.vt"], p["hung.nv"])

    with transaction.atomic():  # Trưởng Ban directs
        due_at = deadline_after(start=timezone.now(), working_days=5, agency=world.bdt)
        assignment = Assignment.objects.create(
            document=incoming, directed_by=p["quyen.vt"], lead_unit=world.hcth,
            instruction="Giao Văn phòng tham mưu.", due_at=due_at,
        )
        incoming.status = Document.Status.IN_PROGRESS
        incoming.save(update_fields=["status", "updated_at"])
        note(incoming, T.Action.DIRECTED, p["quyen.vt"], world.hcth.name)
        now = timezone.now()
        Deadline.objects.create(
            key=f"assignment:{assignment.pk}", agency=world.bdt, assignee=p["lan.tt"],
            unit_head=p["lan.tt"], directed_by=p["quyen.vt"], due_at=due_at,
            title=incoming.summary, notation=incoming.notation, url="/incoming/",
            opened_at=now, next_check_at=now,
        )
        _notices(bdt, f"hand_over:{incoming.pk}", p["lan.tt"])

    with transaction.atomic():  # the unit head hands over
        assignment.handler = p["tuan.nq"]
        assignment.save(update_fields=["handler"])
        note(incoming, T.Action.HANDED_OVER, p["lan.tt"], p["tuan.nq"].get_full_name())
        Deadline.objects.filter(key=f"assignment:{assignment.pk}").update(
            assignee=p["tuan.nq"], next_check_at=timezone.now()
        )
        _notices(bdt, f"handle:{incoming.pk}", p["tuan.nq"])

    with transaction.atomic():  # the specialist chooses to reply
        reply = Document.objects.create(
            agency=world.bdt, direction=Direction.OUTGOING, status=Document.Status.DRAFT,
            document_type=world.cong_van, summary=f"Reply to {incoming.notation}",
            sender_agency=world.bdt, drafting_unit=world.hcth, drafted_by=p["tuan.nq"],
            created_by=p["tuan.nq"], responds_to=incoming, place=world.bdt.place_name,
        )
        Recipient.objects.create(document=reply, agency=world.hu)
        note(incoming, T.Action.DRAFTED, p["tuan.nq"])

    with transaction.atomic():  # the draft, with comments asked of the deputy
        reply.summary, reply.body, reply.signer = REPLY_SUMMARY, REPLY_BODY, p["quyen.vt"]
        reply.save()
        reply.recipients.all().delete()
        Recipient.objects.bulk_create([
            Recipient(document=reply, agency=world.hu),
            Recipient(document=reply, name="Lãnh đạo Ban", is_addressee=False),
        ])
        note(reply, T.Action.DRAFTED, p["tuan.nq"])
        note(reply, T.Action.COMMENT_REQUESTED, p["tuan.nq"], p["hung.nv"].get_full_name())
        _notices(bdt, f"comment:{reply.pk}", p["hung.nv"])

    with transaction.atomic():  # the deputy comments
        Opinion.objects.create(document=reply, author=p["hung.nv"], unit=p["hung.nv"].unit,
                               text=COMMENT)
        note(reply, T.Action.COMMENTED, p["hung.nv"], COMMENT)
        _notices(bdt, f"review:{reply.pk}", p["lan.tt"])

    with transaction.atomic():  # the unit head approves
        note(reply, T.Action.REVIEWED, p["lan.tt"])
        _notices(bdt, f"sign:{reply.pk}", p["quyen.vt"], p["hung.nv"])

    with transaction.atomic():  # Trưởng Ban approves and signs
        reply.signer = p["quyen.vt"]
        reply.signer_name = p["quyen.vt"].get_full_name()
        reply.signer_title = p["quyen.vt"].title
        reply.signed_at = timezone.now()
        reply.status = Document.Status.APPROVED
        reply.save()
        note(reply, T.Action.SIGNED, p["quyen.vt"])
        _notices(bdt, f"signed:{reply.pk}", p["tuan.nq"])
        _notices(bdt, f"issue:{reply.pk}", p["mai.ht"])

    with transaction.atomic():  # the clerk issues; the request's handling ends
        number = _number(world.registers["bdt_out"], today.year)
        reply.register = world.registers["bdt_out"]
        reply.register_year = today.year
        reply.register_number = reply.number = number
        reply.registered_at = timezone.now()
        reply.notation = notation_build(number=number, document_type=world.cong_van,
                                        agency=world.bdt, drafting_unit=world.hcth)
        reply.issued_on = today
        reply.status = Document.Status.ISSUED
        reply.save()
        note(reply, T.Action.ISSUED, p["mai.ht"], reply.notation)
        docx = document_render_docx(document=reply)
        name = f"{reply.notation.replace('/', '-')}.docx"
        docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        _attach(reply, Attachment.Kind.ISSUED, name, docx, docx_type, p["mai.ht"])
        assignment.outcome = Assignment.Outcome.REPLIED
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["outcome", "completed_at"])
        note(incoming, T.Action.ISSUED, comment=reply.notation)
        Deadline.objects.filter(key=f"assignment:{assignment.pk}").update(
            completed_at=assignment.completed_at, next_check_at=None
        )
        _notices(bdt, f"issued:{reply.pk}", p["tuan.nq"])

    with transaction.atomic():  # delivery to HU, whose request is answered
        now = timezone.now()
        answer = Document.objects.create(
            agency=world.hu, direction=Direction.INCOMING, status=Document.Status.RECEIVED,
            document_type=world.cong_van, number=number, notation=reply.notation,
            issued_on=reply.issued_on, place=reply.place, summary=reply.summary,
            body=reply.body, sender_agency=world.bdt, sender_name=world.bdt.name,
            signer_name=reply.signer_name, signer_title=reply.signer_title,
            signed_at=reply.signed_at, source=reply, responds_to=request,
        )
        _attach(answer, Attachment.Kind.ORIGINAL, name, docx, docx_type, None)
        note(answer, T.Action.RECEIVED, comment=reply.notation)
        Recipient.objects.filter(document=reply, agency=world.hu).update(
            delivered_at=now, delivered_copy=answer
        )
        note(reply, T.Action.DELIVERED, comment=world.hu.name)
        incoming.status, incoming.answered_at = Document.Status.ANSWERED, now
        incoming.save(update_fields=["status", "answered_at", "updated_at"])
        note(incoming, T.Action.ANSWERED, comment=reply.notation)
        request.answered_at = now
        request.save(update_fields=["answered_at", "updated_at"])
        note(request, T.Action.ANSWERED, comment=reply.notation)
        _notices(hu, f"reply:{answer.pk}", p["vanthu.hu"])
        _notices(hu, f"register:{answer.pk}", p["vanthu.hu"])


def _business_counts() -> dict[str, int]:
    from notifications.models import Deadline, Notification, Outbox, Reminder
    from workflows.models import (
        Assignment,
        Attachment,
        Document,
        Opinion,
        Recipient,
        RegisterCounter,
        TimelineEntry,
    )

    models = (Document, Recipient, Attachment, TimelineEntry, Assignment, Opinion,
              RegisterCounter, Deadline, Reminder, Notification, Outbox)
    return {model._meta.label: model.objects.count() for model in models}


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in before}


def _query_kinds(queries) -> dict[str, int]:
    kinds = collections.Counter(query["sql"].split(None, 1)[0].upper() for query in queries)
    return dict(sorted(kinds.items()))


def _steps_traced() -> tuple[list[dict], list]:
    """One services story with the time, database time and queries of each step."""
    import time

    from workflows.story import seed000_play

    marks = []
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()

        def out(text: str) -> None:
            marks.append((text.split(" ", 1)[0].rstrip("."), time.perf_counter(),
                          len(captured.captured_queries)))

        seed000_play(out=out)
    steps, previous_time, previous_count = [], started, 0
    for key, moment, count in marks:
        queries = captured.captured_queries[previous_count:count]
        steps.append({
            "step": STEP_NAMES.get(key, key),
            "ms": round((moment - previous_time) * 1000, 1),
            "db_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "queries": len(queries),
        })
        previous_time, previous_count = moment, count
    return steps, captured.captured_queries


def _repeat(story, count: int) -> None:
    for _ in range(count):
        story()


def run(profile: Profile):
    """Yield the flow measures."""
    from accounts.demo import load_world
    from workflows.models import Document
    from workflows.services.rendering import document_render_docx

    with scratch_database("flow"):
        load_world()
        n = profile.flow_processes
        for _ in range(WARM_UP):
            story_services()
        world = world_load()
        for _ in range(WARM_UP):
            story_orm(world)
        # The machine's PostgreSQL runs without autovacuum; production's would have analyzed
        # the tables the warm-up filled, and its plans follow from that.
        analyze()

        before = _business_counts()
        story_services()
        services_rows = _delta(before, _business_counts())
        before = _business_counts()
        story_orm(world)
        orm_rows = _delta(before, _business_counts())
        rows_match = services_rows == orm_rows

        log(f"flow: {n} processes through the services")
        with stopwatch() as services_time:
            for _ in range(n):
                story_services()
        log(f"flow: {n} processes with plain ORM writes")
        with stopwatch() as orm_time:
            for _ in range(n):
                story_orm(world)
        services_rate = n / services_time[0]
        orm_rate = n / orm_time[0]

        steps, service_queries = _steps_traced()
        with CaptureQueriesContext(connection) as orm_captured:
            story_orm(world)

        log("flow: the same in 2 worker processes")
        seconds, _results = forked(
            prepare=lambda: None, job=lambda _state, count: _repeat(story_services, count),
            shares=split(n, 2),
        )
        parallel_rate = n / seconds
        seconds, _results = forked(
            prepare=world_load,
            job=lambda world, count: _repeat(lambda: story_orm(world), count),
            shares=split(n, 2),
        )
        orm_parallel_rate = n / seconds

        reply = Document.objects.filter(notation__contains="/BDT-").first()
        renders = 5
        with stopwatch() as render_time:
            for _ in range(renders):
                document_render_docx(document=reply)

    params = {"processes": n, "profile": profile.name}
    yield Measure(
        "flow.throughput", services_rate, "processes/s",
        params={**params, "workers": 1}, baseline=orm_rate, cost_ratio=orm_rate / services_rate,
        extra={"rows_match_baseline": rows_match, "rows_per_process": services_rows},
    )
    yield Measure(
        "flow.throughput_2_workers", parallel_rate, "processes/s",
        params={**params, "workers": 2}, baseline=orm_parallel_rate,
        cost_ratio=orm_parallel_rate / parallel_rate, goal=GOAL_THROUGHPUT_2_WORKERS,
    )
    yield Measure(
        "flow.overhead_ratio", orm_rate / services_rate, "× baseline time",
        params={**params, "workers": 1}, goal=GOAL_RATIO,
        extra={"baseline_rows": orm_rows} if not rows_match else {},
    )
    yield Measure(
        "flow.queries_per_process", len(service_queries), "queries",
        params=params, baseline=len(orm_captured.captured_queries), goal=GOAL_STATEMENTS,
        extra={"kinds": _query_kinds(service_queries),
               "baseline_kinds": _query_kinds(orm_captured.captured_queries)},
    )
    yield Measure(
        "flow.steps", sum(step["ms"] for step in steps), "ms per process (traced)",
        params=params, extra={"steps": steps},
    )
    yield Measure(
        "flow.docx_render", render_time[0] / renders * 1000, "ms per document",
        params={"renders": renders, "profile": profile.name},
    )
