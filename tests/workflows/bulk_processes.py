"""Many processes written in bulk, for the tests that pin a page's cost at two sizes."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from accounts.models import Agency
from workflows.flows import IncomingFlow
from workflows.models import Direction, Document, DocumentProcess, DocumentType


def processes_bulk(world, count: int) -> None:
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
