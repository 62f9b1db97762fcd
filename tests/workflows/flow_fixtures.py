"""Builders for the flow tests: BDT work brought to a given step through the services."""

from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Document
from workflows.services.routing import open_task
from workflows.story import incoming_copy, incoming_reach, outgoing_reach, request_send


def quiet(_line: str) -> None:
    """Swallow the story's printed steps."""


def incoming_at(stage: str, *, summary: str = "", **options) -> Document:
    """A request from Huyện ủy Lục Nam registered at BDT and handled until `stage` is next."""
    request = request_send(number=None, summary=summary) if summary else request_send()
    document = incoming_copy(request=request)
    incoming_reach(document=document, stage=stage, say=quiet, **options)
    return document


def reply_at(stage: str, **options) -> Document:
    """BDT's reply to 1719-CV/HU drafted by tuan.nq and moved until `stage` is next."""
    reply = incoming_at("done").replies.get()
    outgoing_reach(document=reply, stage=stage, say=quiet, **options)
    return reply


def task_of(document: Document, node):
    return open_task(document=document, node=node)


def task_url(task, name: str) -> str:
    """The URL of a task's page `name` (index, assign, execute, detail)."""
    return task.flow_task.reverse(name, args=[task.process_id, task.pk])


__all__ = [
    "IncomingFlow", "OutgoingFlow", "incoming_at", "quiet", "reply_at", "task_of", "task_url",
]
