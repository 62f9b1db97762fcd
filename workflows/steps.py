"""Which node of a flow each service works for, recorded as the flows are defined.

The flows are built on the services: each node names the services that do its work
(`nodes.View(...).Service(handling.incoming_register)`), and its view calls them. A service
that needs its node (to check that it was given a task of that node, to start its flow, or
to find and move on a task of it) asks here, keyed by itself, instead of importing the
flows back. The app's `ready()` defines the flows, so the record is complete before any
service runs. Imports nothing of the app: everything may use it.
"""

from collections.abc import Callable, Iterable

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
