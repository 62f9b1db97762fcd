"""Which statements Django compiles inside a block: for the tests of statements compiled once
(`common.compiled.CompiledOnce`)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.sql.compiler import SQLCompiler


@contextmanager
def statements_compiled() -> Iterator[list]:
    """Yield the list, filled as the block runs, of the models whose statements Django
    compiled (`SQLCompiler.as_sql` called)."""
    compiled = []
    as_sql = SQLCompiler.as_sql

    def recorded(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    SQLCompiler.as_sql = recorded
    try:
        yield compiled
    finally:
        SQLCompiler.as_sql = as_sql
