"""Which agency a person sees is decided in one place, `accounts/selectors.py`.

A copy of the rule elsewhere (“no agency → nothing”, “same agency as the user”) may drift
from it one day and leak another agency's data, so the project's modules are read here and
any such copy fails the test with the line to change.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts", "api", "audit", "backup", "bench", "config", "evaluations", "notifications",
    "tracking", "workcalendar", "workflows",
)
THE_PLACE = ROOT / "accounts" / "selectors.py"
# Calls that narrow a queryset to the rows matching their arguments.
NARROWING = {"filter", "get", "Q", "get_object_or_404", "get_list_or_404"}
ADVICE = (
    "decide which agency a person sees through accounts.selectors (scope_to_agency, "
    "in_user_agency, works_in_agency, scoped_to_one_agency, user_agency_id), not a copy"
)


def _is_user(node: ast.AST) -> bool:
    """`user`, `request.user`, `self.request.user`…"""
    return (isinstance(node, ast.Name) and node.id == "user") or (
        isinstance(node, ast.Attribute) and node.attr == "user"
    )


def _users_agency(node: ast.AST, attrs=("agency_id",)) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in attrs and _is_user(node.value)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def copies_of_the_rule(source: str) -> list[tuple[int, str]]:
    """(line, what) of every place in `source` that decides a person's agency by itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            _users_agency(side) for side in (node.left, *node.comparators)
        ):
            found.append((node.lineno, "compares the user's agency_id"))
        elif isinstance(node, ast.Call) and _call_name(node) in NARROWING:
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if any(
                _users_agency(inner, ("agency_id", "agency"))
                for argument in arguments for inner in ast.walk(argument)
            ):
                found.append((node.lineno, f"{_call_name(node)}() by the user's agency"))
        elif (
            isinstance(node, ast.Call) and _call_name(node) == "getattr" and len(node.args) >= 2
            and _is_user(node.args[0]) and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "agency_id"
        ):
            found.append((node.lineno, "reads the user's agency_id by getattr"))
    return found


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path != THE_PLACE:
                yield path


def test_no_module_decides_a_persons_agency_by_itself():
    copies = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        for line, what in copies_of_the_rule(path.read_text(encoding="utf-8"))
    ]
    assert not copies, ADVICE + ":\n" + "\n".join(copies)


def test_the_modules_read_are_the_projects():
    names = {str(path.relative_to(ROOT)) for path in _modules()}
    assert {"workflows/queues.py", "workflows/flows.py", "evaluations/selectors.py"} <= names
    assert "accounts/selectors.py" not in names


@pytest.mark.parametrize(
    "copy",
    [
        # The preambles that stood in queues, flows and the selectors before this test.
        "if not user.is_authenticated or user.agency_id is None:\n    return tasks.none()",
        "return obj is None or obj.coerced.agency_id == user.agency_id",
        "if not user.is_superuser and document.agency_id != user.agency_id:\n    pass",
        "tasks.filter(process__documentprocess__agency_id=user.agency_id)",
        "Document.objects.filter(Q(pk__in=linked), agency_id=self.request.user.agency_id)",
        "ClassificationScale.objects.filter(agency=user.agency, name=name)",
        "Q(**{f'{prefix}agency_id': user.agency_id})",
        "agency_id = getattr(user, 'agency_id', None)",
    ],
)
def test_each_kind_of_copy_is_caught(copy):
    assert copies_of_the_rule(copy)


@pytest.mark.parametrize(
    "fine",
    [
        # Not scoping: other agencies as recipients, a row created for the user's agency.
        "recipient_agency_list().exclude(pk=user.agency_id)",
        "TrackedTask.objects.create(agency_id=user.agency_id, content=content)",
        "if not works_in_agency(user, task.agency_id):\n    pass",
        "if recipient.agency_id == document.agency_id:\n    pass",
    ],
)
def test_what_is_not_a_copy_passes(fine):
    assert copies_of_the_rule(fine) == []
