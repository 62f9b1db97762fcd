"""Receivers of the workflows' events: each direction becomes a tracked task."""

from django.dispatch import receiver

from workflows.signals import assignment_changed

from .services import task_sync_from_assignment


@receiver(assignment_changed, dispatch_uid="tracking.assignment_changed")
def assignment_tracked(sender, *, assignment, deadline_key, created=False, deadline=None,
                       reply=None, **kwargs):
    task_sync_from_assignment(
        assignment=assignment, deadline_key=deadline_key, created=created, deadline=deadline,
        reply=reply,
    )
