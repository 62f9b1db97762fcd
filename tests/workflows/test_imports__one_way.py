"""The workflows modules import each other one way: models → reads → services → step views →
nodes → flows → pages. A service finds its node through `workflows.steps`, so no import
inside a function is needed to break a circle, and none may bring one back.

Read from the source (every import, at the top of a module or inside a function), not from
`sys.modules`: the app's `ready()` defines the flows in every process.
"""

import ast
import graphlib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FIRST_PARTY = sorted(
    path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"
)

# What the flows are built on: none of it may import the flows, their nodes or the pages.
BELOW_THE_FLOWS = (
    "workflows.models", "workflows.normalise", "workflows.steps", "workflows.signals",
    "workflows.selectors", "workflows.queues", "workflows.tasks", "workflows.services",
)
THE_FLOWS_AND_ABOVE = (
    "workflows.flows", "workflows.nodes", "workflows.views", "workflows.flow_viewsets",
    "workflows.document_views", "workflows.withdrawal_views", "workflows.viewsets",
)


def _modules() -> dict[str, Path]:
    modules = {}
    for package in FIRST_PARTY:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:  # history, imported by no module
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _imported(name: str, path: Path, node: ast.AST, modules) -> list[str]:
    """The first-party modules one import statement loads (the nearest known module)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        targets = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names
        ]
    found = []
    for target in targets:
        while target not in modules and "." in target:
            target = target.rsplit(".", 1)[0]
        if target in modules and target != name:
            found.append(target)
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name].update(_imported(name, path, node, modules))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def _within(name: str, prefixes) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def test_the_workflows_modules_import_each_other_one_way():
    graph = _import_graph()
    workflows = {
        name: {target for target in targets if _within(target, ["workflows"])}
        for name, targets in graph.items()
        if _within(name, ["workflows"])
    }
    assert _cycle(workflows) == []


def test_the_apps_import_each_other_one_way():
    apps = {}
    for name, targets in _import_graph().items():
        app = name.split(".")[0]
        apps.setdefault(app, set()).update(
            target.split(".")[0] for target in targets if target.split(".")[0] != app
        )
    assert _cycle(apps) == []


def test_services_reads_and_models_never_import_the_flows_their_nodes_or_views():
    graph = _import_graph()
    upward = sorted(
        (name, target)
        for name, targets in graph.items()
        if _within(name, BELOW_THE_FLOWS)
        for target in targets
        if _within(target, THE_FLOWS_AND_ABOVE)
    )
    assert upward == []


def test_the_step_views_never_import_the_nodes_or_flows_built_on_them():
    graph = _import_graph()
    upward = sorted(
        (name, target)
        for name, targets in graph.items()
        if _within(name, ["workflows.views"])
        for target in targets
        if _within(target, ["workflows.nodes", "workflows.flows"])
    )
    assert upward == []
