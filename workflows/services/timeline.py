"""The document timeline: every step (who, when, decision, comment) is recorded here."""

from accounts.models import User

from ..models import Document, TimelineEntry


def timeline_add(
    *, document: Document, action: str, actor: User | None = None, comment: str = ""
) -> TimelineEntry:
    """Record one step of `document`'s handling and return the entry."""
    return TimelineEntry.objects.create(
        document=document, action=action, actor=actor, comment=comment
    )
