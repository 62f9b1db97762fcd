"""Numbering under concurrent issuers: numbers per second from one register, and no number
duplicated or skipped (Decree 30 Art. 15).

Two measures, each with 8 worker processes (forked, each its own database connection)
against Ban Dân tộc's outgoing register, in a year of its own:
- `numbering.take`: the numbering service alone (`number_take` called outside a
  transaction: one statement per number, committed at once; the row lock issuers queue on);
- `numbering.issue`: whole documents as the clerk's issue step makes them, in one
  transaction each (`outgoing_issue(deliver=True)`): the issue (number, notation, DOCX,
  file, the drafter's notice) and the delivery (Huyện ủy Lục Nam's incoming copy with its
  file and its IncomingFlow, the paper recipient skipped), the number taken last, on
  approved replies prepared beforehand. The same run also issues without delivering
  (`without_delivery`). `counter_locked_ms`: how long each issue held the register's
  counter row, from its upsert to the commit (p50, p95 over the 8 processes' issues;
  `counter_locked_ms_alone`: the same in the one process, which no other delays).
The baseline of each is one process doing the same alone.
"""

from __future__ import annotations

import datetime

from django.db import connection

from .harness import (
    Measure,
    Profile,
    analyze,
    forked,
    log,
    percentile,
    scratch_database,
    split,
    stopwatch,
)

# Issue 14: 8 processes on one register.
GOAL_TAKE = (">=", 2_000)
GOAL_ISSUE = (">=", 45)
YEARS = {
    "take_alone": 2030, "take": 2031, "issue_alone": 2032, "issue": 2033, "undelivered": 2034,
}


def _take(register, year: int, count: int) -> list[int]:
    from workflows.services.numbering import number_take

    return [number_take(register=register, year=year) for _ in range(count)]


def _issue(
    documents: list[int], year: int, *, deliver: bool = True
) -> tuple[list[int], list[float]]:
    """Issue `documents` in `year`, each in its transaction; return their numbers and, for
    each, how long the register's counter row stayed locked (seconds): from the moment the
    number's upsert returned (the row lock held) to the end of the COMMIT that frees it."""
    import time

    from django.db import transaction
    from freezegun import freeze_time

    from accounts.models import User
    from workflows.models import Document
    from workflows.services import documents as issuing

    clerk = User.objects.get(username="mai.ht")
    numbers, held, taken = [], [], []
    take = issuing.number_take_printing
    # Read before the clock is frozen: freezegun stops perf_counter too.
    clock = time.perf_counter

    def timed_take(**kwargs):
        number = take(**kwargs)
        taken.append(clock())
        return number

    # Timed where the issue calls it; the forked worker's copy of the module only.
    issuing.number_take_printing = timed_take
    try:
        # The server dates an issue: the year of its own comes from the clock.
        with freeze_time(datetime.datetime(year, 3, 2, 2, 0, tzinfo=datetime.UTC)):
            for pk in documents:
                with transaction.atomic():
                    issued = issuing.outgoing_issue(
                        document=Document.objects.get(pk=pk), clerk=clerk, deliver=deliver
                    )
                held.append(clock() - taken[-1])
                numbers.append(issued.register_number)
    finally:
        issuing.number_take_printing = take
    return numbers, held


def _held_ms(results: list[tuple[list[int], list[float]]]) -> dict:
    """p50 and p95 of the counter's lock, in milliseconds, over every issue of a run."""
    held = [seconds * 1000 for _numbers, times in results for seconds in times]
    return {"p50": round(percentile(held, 50), 2), "p95": round(percentile(held, 95), 2)}


def _replies_approved(count: int) -> list[int]:
    """`count` replies of Ban Dân tộc approved and signed, waiting for the clerk."""
    from accounts.models import Agency, Unit, User
    from workflows.models import Direction, Document, DocumentType, Recipient
    from workflows.story import REPLY_BODY, REPLY_SUMMARY

    bdt = Agency.objects.get(code="bdt-bac-giang")
    hu = Agency.objects.get(code="hu-luc-nam")
    head = User.objects.get(username="quyen.vt")
    documents = Document.objects.bulk_create(
        Document(
            agency=bdt, direction=Direction.OUTGOING, status=Document.Status.APPROVED,
            document_type=DocumentType.objects.get(code="cong-van"), summary=REPLY_SUMMARY,
            body=REPLY_BODY, sender_agency=bdt, drafting_unit=Unit.objects.get(
                agency=bdt, symbol="HCTH"),
            drafted_by=User.objects.get(username="tuan.nq"), signer=head,
            signer_name=head.get_full_name(), signer_title=head.title,
            place=bdt.place_name,
        )
        for _ in range(count)
    )
    Recipient.objects.bulk_create(
        recipient
        for document in documents
        for recipient in (
            Recipient(document=document, agency=hu),
            Recipient(document=document, name="Lãnh đạo Ban", is_addressee=False),
        )
    )
    return [document.pk for document in documents]


def _sequence_intact(numbers: list[int], *, register, year: int) -> tuple[bool, dict]:
    """Numbers 1..N each once, and the register's counter at N."""
    from workflows.models import RegisterCounter

    expected = list(range(1, len(numbers) + 1))
    last = RegisterCounter.objects.get(register=register, year=year).last_number
    duplicates = len(numbers) - len(set(numbers))
    missing = len(set(expected) - set(numbers))
    intact = sorted(numbers) == expected and last == len(numbers)
    return intact, {"duplicates": duplicates, "missing": missing, "counter": last}


def run(profile: Profile):
    """Yield the numbering measures."""
    from accounts.demo import load_world
    from accounts.models import Agency
    from workflows.models import Direction, Document
    from workflows.services.numbering import register_for

    workers, per_worker = profile.numbering_workers, profile.numbering_per_worker
    total = workers * per_worker
    with scratch_database("numbering"):
        load_world()
        register = register_for(
            agency=Agency.objects.get(code="bdt-bac-giang"), direction=Direction.OUTGOING
        )
        log(f"numbering: {total} numbers, one process then {workers}")
        with stopwatch() as alone:
            _take(register, YEARS["take_alone"], total)
        seconds, results = forked(
            prepare=connection.ensure_connection,
            job=lambda _state, count: _take(register, YEARS["take"], count),
            shares=[per_worker] * workers,
        )
        taken = [number for numbers in results for number in numbers]
        take_intact, take_report = _sequence_intact(
            taken, register=register, year=YEARS["take"]
        )
        take = (total / seconds, total / alone[0])

        # Issuing renders a DOCX (tens of ms): fewer documents than bare numbers.
        issues = max(workers, total // 8)
        alone_count = max(1, issues // 4)
        log(f"numbering: {issues} issues, one process then {workers}")
        alone_documents = _replies_approved(alone_count)
        documents = _replies_approved(issues)
        undelivered = _replies_approved(issues)
        # The machine's PostgreSQL runs without autovacuum; production's would have analyzed
        # the tables these documents filled, and its plans follow from that.
        analyze()
        with stopwatch() as alone:
            alone_held = _held_ms([_issue(alone_documents, YEARS["issue_alone"])])
        batches, start = [], 0
        for share in split(issues, workers):
            batches.append(documents[start:start + share])
            start += share
        seconds, results = forked(
            prepare=connection.ensure_connection,
            job=lambda _state, batch: _issue(batch, YEARS["issue"]),
            shares=batches,
        )
        issued = [number for numbers, _held in results for number in numbers]
        issue_held = _held_ms(results)
        issue_intact, issue_report = _sequence_intact(
            issued, register=register, year=YEARS["issue"]
        )
        stored = list(
            Document.objects.filter(register=register, register_year=YEARS["issue"])
            .values_list("register_number", flat=True)
        )
        copies = Document.objects.filter(
            source__register=register, source__register_year=YEARS["issue"]
        ).count()
        issue_intact = issue_intact and sorted(stored) == sorted(issued) and copies == issues
        issue = (issues / seconds, alone_count / alone[0])

        batches = [undelivered[start::workers] for start in range(workers)]
        seconds, results = forked(
            prepare=connection.ensure_connection,
            job=lambda _state, batch: _issue(batch, YEARS["undelivered"], deliver=False),
            shares=batches,
        )
        without_delivery = issues / seconds
        undelivered_held = _held_ms(results)

    params = {"workers": workers, "profile": profile.name}
    yield Measure(
        "numbering.take", take[0], "numbers/s", params={**params, "numbers": total},
        baseline=take[1], cost_ratio=take[1] / take[0], goal=GOAL_TAKE, check=take_intact,
        extra={"no_duplicate_no_gap": take_intact, **take_report},
    )
    yield Measure(
        "numbering.issue", issue[0], "documents/s", params={**params, "documents": issues},
        baseline=issue[1], cost_ratio=issue[1] / issue[0], goal=GOAL_ISSUE, check=issue_intact,
        extra={"no_duplicate_no_gap": issue_intact, **issue_report, "copies_delivered": copies,
               "without_delivery": round(without_delivery, 1),
               "counter_locked_ms": issue_held, "counter_locked_ms_alone": alone_held,
               "counter_locked_ms_without_delivery": undelivered_held},
    )
