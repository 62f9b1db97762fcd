"""The document timeline: every step (who, when, decision, comment) is recorded here."""

from collections.abc import Callable

from accounts.models import User

from ..models import Document, TimelineEntry


def timeline_add(
    *, document: Document, action: str, actor: User | None = None, comment: str = ""
) -> TimelineEntry:
    """Record one step of `document`'s handling and return the entry."""
    return TimelineEntry.objects.create(
        document=document, action=action, actor=actor, comment=comment
    )


class TimelineBatch:
    """Timeline entries gathered through a step and written in one INSERT (`write`).

    An entry's comment may be a callable, read when the batch is written: issuing takes the
    register's number last, so the entries that print the notation are gathered before
    the notation exists, and written with the number's slot just before it is taken
    (`documents.IssueInProgress`).
    """

    def __init__(self):
        self._entries: list[tuple[Document, str, User | None, str | Callable[[], str]]] = []

    def add(
        self, *, document: Document, action: str, actor: User | None = None,
        comment: str | Callable[[], str] = "",
    ) -> None:
        self._entries.append((document, action, actor, comment))

    def write(self) -> list[TimelineEntry]:
        """Write the entries gathered so far, in the order they were added."""
        entries = [
            TimelineEntry(
                document=document, action=action, actor=actor,
                comment=comment() if callable(comment) else comment,
            )
            for document, action, actor, comment in self._entries
        ]
        self._entries = []
        return TimelineEntry.objects.bulk_create(entries) if entries else []


def timeline_add_numbered(
    *, document: Document, action: str, comment: Callable[[], str], issued: Document
) -> None:
    """Record a step of `document` whose comment prints `issued`'s notation.

    While `issued` waits for its number in this step (`documents.IssueInProgress`), the
    entry joins that issue's batch, which prints the number; otherwise it is written now.
    """
    issue = getattr(issued, "issue_in_progress", None)
    if issue is not None:
        issue.timeline.add(document=document, action=action, comment=comment)
    else:
        timeline_add(document=document, action=action, comment=comment())
