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

# Step of the story (its number in `seed000_play`'s output) → statements.
PINNED = {
    "1": 40,  # send (HU's clerk) and deliver to BDT
    "2": 20,  # register
    "3": 31,  # direct
    "4": 22,  # hand over
    "5": 26,  # reply chosen: the draft and its OutgoingFlow
    "6": 34,  # draft, comments requested
    "7": 25,  # comment
    "8": 20,  # review
    "9": 23,  # approve and sign
    "10": 83,  # issue (number, DOCX) and deliver to HU
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
