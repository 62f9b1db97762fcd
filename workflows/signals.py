"""Events other apps may follow without workflows importing them (tracking, reports).

`assignment_changed(sender=Assignment, assignment=…, deadline_key=…)` is sent inside the
transaction of the service that directed, handed over, re-timed or completed an assignment;
`deadline_key` is the key of its reminders in the notifications app.
"""

from django.dispatch import Signal

assignment_changed = Signal()
