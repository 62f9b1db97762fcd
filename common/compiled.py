"""Statements the ORM builds and compiles once, then runs with new values (`CompiledOnce`):
the busiest SELECTs of the apps (a step's lock, a queue's people, the object permission
check). Imports no app, so that every app may use it."""

import copy

from django.db import connections
from django.db.models.query import ModelIterable


class CompiledOnce:
    """A SELECT that the ORM builds and compiles once per shape, then runs with new values.

    Compiling a queryset is most of its cost when it joins many tables: a step's lock
    statement (nine tables, a hundred and fifty columns and a permission subquery) takes
    about 3 ms of Python to build and compile against 0.3 ms to run. Here `build(**values)`
    is called once per `shape` with marker integers in place of the values; later runs bind
    the real values to the same SQL, and Django's own ModelIterable turns the rows into
    model instances, with their select_related objects and annotations, as the queryset
    would.

    For statements whose SQL does not depend on the values: each value reaches the statement
    as a parameter, unchanged (an integer or a text), as its text (an integer key compared
    with a text column, as guardian stores its objects' keys), or not at all; what changes
    the SQL goes into `shape`. A value written into the SQL text, or changed on its way
    otherwise (a LIKE pattern), raises at the first run.

    A list's page is read with `limit` and `offset` bound as parameters (Django writes a
    slice into the SQL text, so the queryset is not sliced), and a list counted by `count`.

    `sql(...)` gives the bound SQL and parameters instead, for a statement that embeds the
    SELECT (`notifications.services.notify_people`).
    """

    # Far below any serial key: a marker cannot be mistaken for a real parameter.
    _MARKER_BASE = -(2**62)

    def __init__(self, build):
        self._build = build
        self._compiled: dict[tuple, tuple] = {}

    def all(self, *, using: str = "default", shape: tuple = (), limit: int | None = None,
            offset: int = 0, **values: int | str) -> list:
        """The instances the queryset `build(**values)` yields, compiled once per shape;
        `limit` of them from `offset` when a limit is given."""
        template_compiler, sql, params, converters = self._bound(using, shape, values)
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, limit, offset)
        bound = copy.copy(template_compiler)
        # The template may come from another thread: run on this thread's connection.
        bound.connection = connections[using]
        bound.as_sql = lambda *args, **kwargs: (sql, params)
        # The columns' converters depend on the statement alone: looked up once, not per run.
        bound.get_converters = lambda _columns: converters
        return list(ModelIterable(_Compiled(template_compiler.query.model, using, bound)))

    def sql(self, *, using: str = "default", shape: tuple = (), **values: int | str
            ) -> tuple[str, tuple]:
        """The SQL and parameters of the queryset `build(**values)`, compiled once per shape."""
        _compiler, sql, params, _converters = self._bound(using, shape, values)
        return sql, params

    def count(self, *, using: str = "default", shape: tuple = (), **values: int | str) -> int:
        """How many rows the queryset `build(**values)` yields (PostgreSQL plans the count
        of a plain subquery as the count of its rows, as Django's `count()` writes it)."""
        _compiler, sql, params, _converters = self._bound(using, shape, values)
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
            return cursor.fetchone()[0]

    def _bound(self, using: str, shape: tuple, values: dict) -> tuple:
        # A text and an integer take different markers and may compile differently.
        kinds = tuple(sorted((name, type(value).__name__) for name, value in values.items()))
        key = (using, connections[using].vendor, shape, kinds)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, shape, kinds)
        template_compiler, sql, params, slots, converters = compiled
        params = list(params)
        for position, name, as_text in slots:
            params[position] = str(values[name]) if as_text else values[name]
        return template_compiler, sql, tuple(params), converters

    def _marker(self, index: int, kind: str) -> int | str:
        number = self._MARKER_BASE - index
        if kind == "int":
            return number
        if kind == "str":
            return f"compiled-once-marker{number}"
        raise TypeError(f"CompiledOnce binds integers and texts, not {kind}")

    def _compile(self, using: str, shape: tuple, kinds: tuple) -> tuple:
        markers = {name: self._marker(index, kind) for index, (name, kind) in enumerate(kinds)}
        queryset = self._build(shape=shape, **markers)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [
            (position, name, type(param) is not type(marker))
            for position, param in enumerate(params)
            for name, marker in markers.items()
            if (type(param) is type(marker) and param == marker)
            or (type(marker) is int and type(param) is str and param == str(marker))
        ]
        bound = {position for position, _name, _as_text in slots}
        elsewhere = [sql, *(str(param) for position, param in enumerate(params)
                            if position not in bound)]
        written = sorted(name for name, marker in markers.items()
                         if any(str(abs(marker)) in text if isinstance(marker, int)
                                else marker in text for text in elsewhere))
        if written:
            raise ValueError(
                f"{written} reach the SQL other than as parameters: they belong in the shape"
            )
        # What `results_iter` asks the converters of: the selected columns.
        converters = compiler.get_converters(
            [column for column, _sql, _alias in compiler.select[:compiler.col_count]]
        )
        return compiler, sql, params, slots, converters


class _Compiled:
    """What ModelIterable reads of a queryset, for a statement compiled by CompiledOnce."""

    _known_related_objects: dict = {}

    def __init__(self, model, db: str, compiler):
        self.model = model
        self.db = db
        self.query = self
        self._compiler = compiler

    def get_compiler(self, using=None):
        return self._compiler
