"""A person's inbox and queue pages cost the same number of queries with 10 or 1,000 processes."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from accounts.models import Agency
from workflows.flows import IncomingFlow
from workflows.models import Direction, Document, DocumentProcess, DocumentType
from workflows.queues import task_queue_for

pytestmark = pytest.mark.django_db


def _processes(world, count: int) -> None:
    """`count` processes: a quarter of BDT requests waiting for direction, a quarter handled
    by tuan.nq, half at Huyện ủy Lục Nam. Rows written in bulk (the flows' own steps are
    tested elsewhere); viewflow's Process and our DocumentProcess rows are inserted apart
    because bulk_create cannot write a multi-table child."""
    kind = DocumentType.objects.get(code="cong-van")
    agency_type = ContentType.objects.get_for_model(Agency)
    specialist = world.user("tuan.nq")
    tasks = []
    for code, share in (("bdt-bac-giang", count // 2), ("hu-luc-nam", count - count // 2)):
        agency = world.agency(code)
        documents = Document.objects.bulk_create(
            Document(agency=agency, direction=Direction.INCOMING, document_type=kind,
                     summary=f"V/v thử nghiệm {n}", notation=f"{n}/TEST")
            for n in range(share)
        )
        parents = Process.objects.bulk_create(
            Process(flow_class=IncomingFlow) for _document in documents
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DocumentProcess._meta.db_table} "
                "(process_ptr_id, document_id, agency_id, decision) VALUES (%s, %s, %s, '')",
                [
                    (parent.pk, doc.pk, agency.pk)
                    for parent, doc in zip(parents, documents, strict=True)
                ],
            )
        for n, parent in enumerate(parents):
            waiting = n % 2 == 0
            tasks.append(Task(
                process=parent,
                flow_task=IncomingFlow.direct if waiting else IncomingFlow.handle,
                flow_task_type="HUMAN",
                status=STATUS.NEW if waiting else STATUS.ASSIGNED,
                owner=None if waiting else specialist,
                owner_permission="accounts.direct_incoming" if waiting else None,
                owner_permission_content_type=agency_type if waiting else None,
                owner_permission_obj_pk=str(agency.pk) if waiting else None,
            ))
    Task.objects.bulk_create(tasks)


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = (("tuan.nq", "inbox"), ("quyen.vt", "queue"), ("hung.nv", "queue"))


def test_inbox_and_queue_pages_cost_the_same_with_10_and_1000_processes(client, world):
    def costs():
        return {
            (name, page): _queries(client, world.user(name), IncomingFlow.instance.reverse(page))
            for name, page in PAGES
        }

    _processes(world, 10)
    small = costs()
    _processes(world, 990)
    large = costs()
    assert large == small
    client.force_login(world.user("quyen.vt"))
    assert "/TEST" in client.get(IncomingFlow.instance.reverse("queue")).content.decode()


def test_the_queue_is_one_query_and_holds_only_the_own_agency(world, django_assert_num_queries):
    _processes(world, 200)

    leader = world.user("quyen.vt")
    with django_assert_num_queries(1):
        tasks = list(task_queue_for(user=leader, flow_classes=[IncomingFlow]))
    assert len(tasks) == 50
    assert {task.process.documentprocess.agency.code for task in tasks} == {"bdt-bac-giang"}
