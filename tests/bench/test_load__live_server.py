"""The load test's people (bench/load_users.py) work seed 000 against a live server.

Seed 000's six people (the Huyện ủy clerk, Ban Dân tộc's clerk, Trưởng Ban, the deputy who
comments, the head of HCTH and its specialist) work at a hurried pace, in the locust process
`bench.load.users_run` starts, against pytest-django's live server, until the first request
is answered (10–20 s): every
page they open answers as expected, at least one request is answered and delivered back, and
the numbers taken are 1..N without a gap. So the harness of `make bench` cannot rot unseen.
"""

import pytest
from django.db import connection

from bench.load import cast_create, counters_snapshot, numbers_check, stories_done, users_run

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the live server's threads need their own PostgreSQL connections",
    ),
]
# At most; the people stop once Huyện ủy Lục Nam's clerk has seen her request answered.
SECONDS = 40


def test_seed000_cast_works_the_story_through_the_pages_without_error(live_server, world):
    cast = cast_create(6)
    assert [(p["username"], p["role"]) for p in cast] == [
        ("vanthu.hu", "hu_clerk"), ("mai.ht", "clerk"), ("quyen.vt", "leader"),
        ("hung.nv", "leader"), ("lan.tt", "unit_head"), ("tuan.nq", "specialist"),
    ]
    before = counters_snapshot()

    result = users_run(base_url=live_server.url, cast=cast, seconds=SECONDS, pace="hurried",
                       in_flight=1, until_answers=1)

    assert result["error_count"] == 0, result["errors"]
    assert result["everyone_in"] and result["counts"]["logged in"] == 6
    stories = stories_done()
    assert stories["answered"] >= 1, (stories, result["counts"])
    assert result["counts"]["answers seen"] >= 1
    for step in ("register", "direct", "hand_over", "handle", "draft", "comment", "review",
                 "sign", "issue"):
        assert result["counts"][f"step {step}"] >= 1, result["counts"]
    assert {"home", "incoming queue", "task form: draft", "issued DOCX"} <= set(result["samples"])
    numbers = numbers_check(before)
    assert numbers["ok"], numbers
    assert {entry["register"] for entry in numbers["registers"]} >= {
        "Sổ văn bản đi – HU", "Sổ văn bản đến – BDT", "Sổ văn bản đi – BDT",
    }
