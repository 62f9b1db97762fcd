"""What each step of the seed-000 story costs in statements, pinned (issue 14).

A step that starts reading or writing more fails here, in `make test`; the bench measures the
time. Counted on the second story (the first creates the registers and fills the caches);
inside the test's transaction each step's own transaction is a savepoint (one pair more).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows.story import seed000_play

pytestmark = pytest.mark.django_db

# Step of the story (its number in `seed000_play`'s output) → statements. Beside the flow's
# own, these include the audit trail's entry for each document saved, the tracked task kept
# in step with a direction, and the unsent e-mails of a settled task cancelled. The gateways,
# the split, the joins and the delivery are passed in-line (`workflows.nodes`): no task rows,
# no savepoints of their own. Before issue 14's second round: 47, 23, 43, 29, 29, 37, 26, 21,
# 26, 100 (381 in all); before its third: 40, 19, 27, 18, 21, 27, 16, 13, 19, 61 (261). What
# went in the third (each a round trip folded into a statement that was made anyway):
# - each new task's `task_previous` link, inserted with the task (`nodes._task_insert`); a
#   new process's two rows and its start task, one INSERT (`nodes._process_insert`); the
#   end's row and the process finished, one statement;
# - a step's task completed and its notices settled, one statement (`nodes._update_sql`);
# - a notice's notifications and e-mails, one statement, a queue's people read by it
#   (`notify_people`);
# - the audit trail's read of a document before its UPDATE, which returns the row it
#   replaced (`workflows.audit_trail`);
# - the direction (the incoming process's artifact) read with the step's task; the process's
#   decision and data, one UPDATE; the draft's two timeline entries, one INSERT;
# - the tracked task: no read before its update, none for a new direction, the deadline and
#   the reply passed, not read back; the supporting units read once;
# - the review's unit not read for its key; guardian's check in one query, not two.
PINNED = {
    "1": 32,  # send (HU's clerk), its recipients checked against the agencies, deliver to BDT
    "2": 14,  # register
    "3": 18,  # direct
    "4": 13,  # hand over
    "5": 15,  # reply chosen: the draft and its OutgoingFlow
    "6": 21,  # draft, comments requested
    "7": 11,  # comment
    "8": 9,  # review
    "9": 13,  # approve and sign
    # issue (DOCX), the request's wait ended, its requests marked answered, then what prints
    # the number with its slot (the drafter's notice, HU's copy with its IncomingFlow, the
    # timeline in one INSERT), the number filling the slot in one statement, the document
    # and the two files in one INSERT (61 before, 37 before the slot, 36 before the people of
    # a reply's notice were read by the statement writing it)
    "10": 35,
}
# The embedded SQLite (`make test` without DATABASE_URL) takes the statements that PostgreSQL
# folds into one (`nodes._task_insert`, `nodes._process_insert`, `audit_trail`,
# `notify_people`, guardian's check, the number filling its slot): pinned too, so that
# neither path grows unseen. A notice to named people reads them before writing there (one
# statement more in steps 4, 6, 9 and 10), where PostgreSQL reads them in the writing statement.
PINNED_SQLITE = {
    "1": 38, "2": 20, "3": 24, "4": 18, "5": 21, "6": 28, "7": 16, "8": 14, "9": 21, "10": 57,
}


def _statements_per_step() -> dict[str, int]:
    marks = []
    with CaptureQueriesContext(connection) as captured:
        seed000_play(
            out=lambda text: marks.append(
                (text.split(" ", 1)[0].rstrip("."), len(captured.captured_queries))
            )
        )
    counts, previous = {}, 0
    for key, count in marks:
        counts[key] = count - previous
        previous = count
    return {key: counts[key] for key in PINNED}


def test_each_step_of_the_story_costs_the_pinned_statements(world):
    seed000_play(out=lambda _text: None)
    assert _statements_per_step() == (
        PINNED if connection.vendor == "postgresql" else PINNED_SQLITE
    )
