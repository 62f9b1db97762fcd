"""Events other apps may follow without workflows importing them (tracking, reports).

`assignment_changed(sender=Assignment, assignment=…, deadline_key=…)` is sent inside the
transaction of the service that directed, handed over, re-timed or completed an assignment;
`deadline_key` is the key of its reminders in the notifications app. Optional news: its
Deadline as `deadline=` when the service opened it, `created=True` when the assignment was
created in the same transaction (nothing else can hold it yet), and the issued reply as
`reply=` when a reply completed it.
"""

from django.dispatch import Signal

assignment_changed = Signal()
