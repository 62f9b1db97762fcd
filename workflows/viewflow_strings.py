"""viewflow's own words that our users read, kept in this app's Vietnamese catalog.

viewflow 2.4 ships no Vietnamese. Django merges the catalogs of all installed apps, so the
translations of these msgids in workflows/locale/vi apply to viewflow's templates and views
too. They live here, as no-op marks that `makemessages` finds, so that
`makemessages --no-obsolete` keeps them; nothing imports this module.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# Menus, lists and buttons of the flow pages (viewflow/templates/viewflow/workflow/).
PAGES = (
    gettext_noop("Inbox"),
    gettext_noop("Queue"),
    gettext_noop("Archive"),
    gettext_noop("Dashboard"),
    gettext_noop("Process list"),
    gettext_noop("Processes"),
    gettext_noop("New process"),
    gettext_noop("Assign"),
    gettext_noop("Assign and continue"),
    gettext_noop("Unassign"),
    gettext_noop("Execute"),
    gettext_noop("Execute and continue"),
    gettext_noop("Start"),
    gettext_noop("Start and continue"),
    gettext_noop("Assign selected tasks"),
    gettext_noop("Unassign selected tasks"),
    gettext_noop("No rights to execute"),
    gettext_noop("Show all"),
    # The pager of every list (templates/viewflow/includes/list_pagination.html).
    gettext_noop("%(first)s–%(last)s of %(total)s"),
    gettext_noop("Previous page"),
    gettext_noop("Next page"),
    gettext_noop("Filter"),
    gettext_noop("Undo"),
    gettext_noop("Revive"),
    gettext_noop("Cancel"),
    gettext_noop("Back"),
    gettext_noop("View"),
    gettext_noop("confirm"),
    gettext_noop("Task"),
    gettext_noop("Brief"),
    gettext_noop("Process brief"),
    gettext_noop("Description"),
    gettext_noop("Owner"),
    gettext_noop("Status"),
    gettext_noop("Created"),
    gettext_noop("Started"),
    gettext_noop("Assigned"),
    gettext_noop("Finished"),
    gettext_noop("Previous tasks"),
    gettext_noop("Next tasks"),
    gettext_noop("No previous tasks"),
    gettext_noop("No next tasks"),
    gettext_noop("Subprocess"),
    gettext_noop("Export BPMN"),
    gettext_noop("BPMN"),
    # Rows of the process panel (viewflow/workflow/process_data.html, task_data.html).
    gettext_noop("Process"),
    gettext_noop("Artifact"),
    gettext_noop("Seed"),
    gettext_noop("Parent Task"),
)

# Messages after an action (viewflow/workflow/flow/views/). viewflow's snackbar shows the
# message's text and turns its link ({task}, {process}) into a button, so nothing may follow
# the link in a translation ("Bạn đã nhận công việc ." otherwise).
MESSAGES = (
    gettext_noop("Task {task} has been assigned."),
    gettext_noop("Task {task} has been unassigned."),
    gettext_noop("Task {task} has been completed."),
    gettext_noop("Task {task} has been canceled."),
    gettext_noop("Task {task} has been undone."),
    gettext_noop("Task {task} has been revived."),
    gettext_noop("Process {process} has been started."),
    gettext_noop("Process #%(pk)s has been canceled."),
    gettext_noop("Process #%(pk)s can not be canceled."),
    gettext_noop("You have no rights to view this task"),
)

# Task and process statuses (viewflow/workflow/status.py).
STATUSES = (
    pgettext_lazy("STATUS", "Assigned"),
    pgettext_lazy("STATUS", "Canceled"),
    pgettext_lazy("STATUS", "Done"),
    pgettext_lazy("STATUS", "Error"),
    pgettext_lazy("STATUS", "New"),
    pgettext_lazy("STATUS", "Revived"),
    pgettext_lazy("STATUS", "Scheduled"),
    pgettext_lazy("STATUS", "Started"),
)
