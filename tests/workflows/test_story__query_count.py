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
# 26, 100 (381 in all).
PINNED = {
    "1": 39,  # send (HU's clerk), its recipients checked against the agencies, deliver to BDT
    "2": 19,  # register
    "3": 27,  # direct
    "4": 18,  # hand over
    "5": 21,  # reply chosen: the draft and its OutgoingFlow
    "6": 27,  # draft, comments requested
    "7": 16,  # comment
    "8": 13,  # review
    "9": 19,  # approve and sign
    # issue (DOCX), the request's wait ended, its requests marked answered, then the number
    # and what prints it: the document, its file and the drafter's notice, HU's copy, its
    # file and IncomingFlow; the delivery's timeline entries written in one INSERT (61 before)
    "10": 55,
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
    assert _statements_per_step() == PINNED
