"""Which node of a flow each service works for, recorded as the flows are defined.

The flows are built on the services: each node names the services that do its work
(`nodes.View(...).Service(handling.incoming_register)`), and its view calls them. A service
that needs its node (to check that it was given a task of that node, to start its flow, or
to find and move on a task of it) asks here, keyed by itself, instead of importing the
flows back. The app's `ready()` defines the flows, so the record is complete before any
service runs. Also what a step leaves for its end (`write_last`: a register's number).
Imports nothing of the app: everything may use it.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

_node_of_service: dict[Callable, object] = {}


def node_runs(node, services: Iterable[Callable]) -> None:
    """Record that `node` is where each of `services` does its work (a service has one)."""
    for service in services:
        known = _node_of_service.setdefault(service, node)
        if known is not node:
            raise ImproperlyConfigured(
                f"{service.__qualname__} is the service of both {known} and {node}"
            )


def node_of(service: Callable):
    """The node of a flow whose work `service` does."""
    try:
        return _node_of_service[service]
    except KeyError:
        raise LookupError(
            f"no node of a flow names {service.__qualname__} in its .Service(...)"
        ) from None


class _WritesLast(threading.local):
    # The writes left for the end of the step running in this thread, or None outside one.
    writes: list[Callable[[], None]] | None = None


_last = _WritesLast()


@contextmanager
def writes_last() -> Iterator[None]:
    """Around a step's service and its task's execution, inside the step's transaction: run
    the writes the service left for last (`write_last`) when the block ends well.

    A register's counter row, locked from a number's taking to the commit, is then held
    only for the writes that print the number, not for the engine's work of the step.
    """
    if _last.writes is not None:
        yield
        return
    _last.writes = []
    try:
        yield
        writes, _last.writes = _last.writes, None
        for write in writes:
            write()
    finally:
        _last.writes = None


def write_last(write: Callable[[], None]) -> None:
    """Run `write` at the end of the step running (`writes_last`), or at once outside one."""
    if _last.writes is None:
        write()
    else:
        _last.writes.append(write)
