"""The Excel task list is asked for on the page and written by the Celery task: the page says
“Đang chuẩn bị tệp…” until the file is there, then links to it; only the person who asked may
open or download it, and they are told (bell and e-mail) when it is ready or has failed.
The task runs in this process here (tests/tracking/test_export__worker.py: a real worker)."""

import datetime
import io
import time
from functools import partial

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from notifications.models import Notification, Outbox
from tests.threads import race
from tracking.exports import task_export_write
from tracking.models import TaskExport
from tracking.tasks import purge_task_exports

from .conftest import task_add

pytestmark = pytest.mark.django_db

QUERY = "period=year&year=2021"


@pytest.fixture
def head(world, client):
    """quyen.vt, logged in, reading the pages in Vietnamese; BDT has three tasks in 2021."""
    for handler in ("ha.nt", "duc.pv", "tuan.nq"):
        task_add(world, unit="HCTH" if handler == "tuan.nq" else "CSDT", handler=handler,
                 content=f"Nhiệm vụ của {handler}")
    client.cookies["django_language"] = "vi"
    person = world.user("quyen.vt")
    client.force_login(person)
    return person


def ask(client, query=QUERY):
    return client.post(f"{reverse('tracking:task_export')}?{query}")


def test_the_page_says_preparing_until_the_task_has_written_the_file(head, client):
    asked = ask(client)  # the task is sent after commit, which this test never reaches
    export = TaskExport.objects.get(requested_by=head)
    assert asked.url == reverse("tracking:export_detail", args=[export.pk])
    page = client.get(asked.url).content.decode()
    assert "Đang chuẩn bị tệp…" in page and "data-reload-after" in page
    download = reverse("tracking:export_download", args=[export.pk])
    assert download not in page
    assert client.get(download).status_code == 404

    task_export_write(export_id=export.pk)

    page = client.get(asked.url).content.decode()
    assert "Đang chuẩn bị tệp…" not in page and download in page
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Nội dung nhiệm vụ")
    assert {row[1] for row in rows[1:]} == {
        "Nhiệm vụ của ha.nt", "Nhiệm vụ của duc.pv", "Nhiệm vụ của tuan.nq"}
    notice = Notification.objects.get(recipient=head, kind="export")
    assert notice.title == "Tệp Excel danh sách nhiệm vụ đã sẵn sàng"
    assert notice.url == asked.url
    email = Outbox.objects.get(recipient=head, kind="export")
    assert email.state == Outbox.State.PENDING  # at once, although digests exist
    assert email.context["link"].endswith(asked.url)


def test_the_file_keeps_the_list_it_was_asked_for(head, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(client, f"{QUERY}&person={head.agency.people.get(username='ha.nt').pk}")
    export = TaskExport.objects.get(pk=client.get(asked.url).context["export"].pk)
    assert export.state == TaskExport.State.READY
    assert "period=custom" in export.query and "start=2021-01-01" in export.query
    with export.file.open("rb") as file:
        rows = list(load_workbook(file, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Nhiệm vụ của ha.nt"]


def test_only_the_person_who_asked_may_open_or_download_it(
    head, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(client)
    download = asked.url + "file/"
    assert client.get(download).status_code == 200
    for username in ("hung.nv", "mai.ht", "vanthu.hu"):  # the deputy and clerk of BDT too
        client.force_login(world.user(username))
        assert client.get(asked.url).status_code == 404
        assert client.get(download).status_code == 404


def test_asking_is_a_post_and_a_unit_outside_the_scope_is_refused_at_once(head, world, client):
    assert client.get(f"{reverse('tracking:task_export')}?{QUERY}").status_code == 405
    other_agency_unit = world.unit("hu-luc-nam", "VP")
    assert ask(client, f"{QUERY}&unit={other_agency_unit.pk}").status_code == 404
    assert ask(client, f"{QUERY}&status=nonsense").status_code == 404
    assert not TaskExport.objects.exists()


def test_a_failed_export_says_so_and_tells_the_person(head, world, client):
    ask(client, f"{QUERY}&unit={world.unit('bdt-bac-giang', 'CSDT').pk}")
    export = TaskExport.objects.get()
    # Between the request and the task the person moved to another agency: their former
    # unit is no longer theirs to read, and the task must not write it.
    head.agency = world.agency("hu-luc-nam")
    head.save(update_fields=["agency"])

    task_export_write(export_id=export.pk)

    export.refresh_from_db()
    assert export.state == TaskExport.State.FAILED and not export.file
    page = client.get(reverse("tracking:export_detail", args=[export.pk])).content.decode()
    assert "Không chuẩn bị được tệp. Vui lòng yêu cầu lại" in page
    notice = Notification.objects.get(recipient=head, kind="export")
    assert notice.title == "Không chuẩn bị được tệp Excel danh sách nhiệm vụ"


def _files(person) -> list[str]:
    folder = f"tracking/exports/{person.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_a_task_delivered_twice_writes_one_file(head, client):
    ask(client)
    export = TaskExport.objects.get()
    assert task_export_write(export_id=export.pk) is not None
    assert task_export_write(export_id=export.pk) is None
    export.refresh_from_db()
    assert _files(head) == [export.file.name.rsplit("/", 1)[1]]
    assert Notification.objects.filter(recipient=head, kind="export").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs concurrent connections (SQLite serialises whole transactions)")
def test_two_deliveries_at_once_keep_one_file_and_tell_once(head, client):
    ask(client)
    export = TaskExport.objects.get()
    results = race(*[partial(task_export_write, export_id=export.pk)] * 2)
    assert not [result for result in results if isinstance(result, Exception)], results
    export.refresh_from_db()
    assert export.state == TaskExport.State.READY
    assert _files(head) == [export.file.name.rsplit("/", 1)[1]]
    assert Notification.objects.filter(recipient=head, kind="export").count() == 1


def _written(client, *, days_ago: int = 0) -> TaskExport:
    """An export asked for by the client's person `days_ago` days ago, its file written."""
    ask(client)
    export = TaskExport.objects.latest("pk")
    task_export_write(export_id=export.pk)
    export.refresh_from_db()
    TaskExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return export


def test_a_persons_files_older_than_a_week_go_when_they_ask_again(
    head, client, django_capture_on_commit_callbacks
):
    old = _written(client, days_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    assert list(TaskExport.objects.values_list("state", flat=True)) == ["ready"]
    assert TaskExport.objects.get().pk != old.pk
    assert not default_storage.exists(old.file.name)


def test_every_night_the_files_older_than_a_week_go_even_if_nobody_asks_again(
    head, world, client, django_capture_on_commit_callbacks
):
    old = _written(client, days_ago=8)
    client.force_login(world.user("tuan.nq"))
    recent = _written(client)
    schedule = PeriodicTask.objects.get(task="tracking.tasks.purge_task_exports")
    assert (schedule.crontab.hour, schedule.crontab.minute) == ("3", "15")

    with django_capture_on_commit_callbacks(execute=True):
        purge_task_exports()

    assert list(TaskExport.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)


def test_with_the_broker_down_the_request_writes_the_file_itself(
    head, client, broker_down, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(client)
    assert time.monotonic() - started < 15
    assert "writing it in the request" in caplog.text
    assert TaskExport.objects.get().state == TaskExport.State.READY
    assert client.get(asked.url + "file/").status_code == 200
