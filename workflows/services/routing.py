"""Starting the flows that move documents: the entry points other modules call."""

from django.db import transaction

from ..models import Direction, Document, DocumentProcess


@transaction.atomic
def incoming_start(*, document: Document) -> DocumentProcess:
    """Start the IncomingFlow for an incoming document an agency has received.

    Called when a document is delivered on the system (`outgoing_deliver`) or a clerk
    records a paper/e-mail one. Returns the new process; its first task is the clerk's
    registration, open to the agency's clerks.
    """
    from ..flows import IncomingFlow

    if document.direction != Direction.INCOMING:
        raise ValueError("incoming_start needs an incoming document")
    return IncomingFlow.start.run(document=document)
