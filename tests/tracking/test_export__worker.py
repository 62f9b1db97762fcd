"""A real Celery worker writes the Excel task list a person asked for: the page says
“Đang chuẩn bị tệp…” until the worker has written it, then links to it; the person is sent
the link by e-mail, and the file holds every task of the list.

The worker is a subprocess on a private Redis, this test's PostgreSQL database (a
transactional test: it sees the committed request) and the test's MEDIA_ROOT.
"""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tests import net
from tracking.models import TaskExport

from .conftest import task_add

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a worker process cannot share the in-memory SQLite database"),
]

TASKS = 40


def test_the_worker_writes_the_file_and_the_person_gets_the_link(
    private_broker, smtp_server, logged_processes, world, client, settings, tmp_path
):
    for number in range(TASKS):
        task_add(world, content=f"Nhiệm vụ số {number}",
                 assigned_on=datetime.date(2021, 1, 4) + datetime.timedelta(days=number))
    head = world.user("quyen.vt")
    client.cookies["django_language"] = "vi"
    client.force_login(head)

    asked = client.post(f"{reverse('tracking:task_export')}?period=year&year=2021")
    export = TaskExport.objects.get(requested_by=head)
    assert "Đang chuẩn bị tệp…" in client.get(asked.url).content.decode()

    env = net.worker_environment(
        redis_url=private_broker.url(), smtp_port=smtp_server.port, var_dir=tmp_path,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    logged_processes("worker", lambda log: net.celery_worker_start(env=env, log=log))
    written = net.wait_for(lambda: TaskExport.objects.get(pk=export.pk).state
                           == TaskExport.State.READY, 60)
    assert written, (tmp_path / "worker.log").read_text()
    page = client.get(asked.url).content.decode()
    assert "Đang chuẩn bị tệp…" not in page
    response = client.get(f"{asked.url}file/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)),
                              read_only=True).worksheets[0].iter_rows(values_only=True))
    assert sorted(row[1] for row in rows[1:]) == sorted(
        f"Nhiệm vụ số {number}" for number in range(TASKS))

    assert net.wait_for(lambda: smtp_server.messages, 30), (tmp_path / "worker.log").read_text()
    (message,) = smtp_server.messages
    assert message["To"] == head.email
    # Long encoded subjects are folded; readers unfold and trim the leading space.
    assert message["Subject"].strip() == "Tệp Excel danh sách nhiệm vụ đã sẵn sàng"
    assert asked.url in message.get_body(("plain",)).get_content()
