"""Each step service knows its node (the node names it in `.Service`), and refuses a task of
any other node before writing anything."""

import pytest
from viewflow.workflow.status import STATUS

from workflows import nodes, steps
from workflows.models import Assignment, Document
from workflows.services import handling
from workflows.services.routing import task_perform

from .flow_fixtures import IncomingFlow, OutgoingFlow, incoming_at, reply_at, task_of

pytestmark = pytest.mark.django_db


def test_every_human_step_names_its_services_and_each_knows_its_node():
    for flow_class in (IncomingFlow, OutgoingFlow):
        for node in flow_class.instance.nodes():
            services = getattr(node, "_services", ())
            if isinstance(node, nodes.View):
                assert services, f"{node} names no service"
            for service in services:
                assert steps.node_of(service) is node


def test_a_step_service_given_a_task_of_another_step_raises_and_writes_nothing(
    world, van_thu_bdt
):
    document = incoming_at("register")
    register = task_of(document, IncomingFlow.register)
    with pytest.raises(ValueError, match="incoming_direct does the work of"):
        task_perform(
            task=register, user=van_thu_bdt, service=handling.incoming_direct,
            lead_unit=world.unit("bdt-bac-giang", "HCTH"), working_days=5,
        )
    register.refresh_from_db()
    document.refresh_from_db()
    assert register.status == STATUS.NEW and register.owner is None
    assert document.status == Document.Status.RECEIVED and document.register_number is None
    assert not Assignment.objects.filter(document=document).exists()


def test_signing_with_the_unit_heads_review_task_raises_and_signs_nothing(truong_phong):
    reply = reply_at("review")
    review = task_of(reply, OutgoingFlow.review)
    with pytest.raises(ValueError, match="draft_sign does the work of"):
        task_perform(task=review, user=truong_phong, service=handling.draft_sign, approve=True)
    review.refresh_from_db()
    reply.refresh_from_db()
    assert review.status == STATUS.NEW and review.owner is None
    assert reply.status == Document.Status.DRAFT and reply.signed_at is None
