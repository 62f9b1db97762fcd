"""The audit trail's entry of an update, written without reading the row first.

django-auditlog's receiver reads the stored row before each save to compute what changed:
one SELECT per save. For a model using `TrailedUpdate`, the UPDATE itself returns the row as
it was: on PostgreSQL, `UPDATE … FROM (SELECT … FOR UPDATE) old … RETURNING old.*` locks the
row, takes its values as committed just before this update (after waiting for a concurrent
writer, whose values it then sees), and updates it, in one statement. auditlog's own function
then writes the entry from those values: the same actor, changes and text as its receiver.
Unlike a snapshot taken when the instance was loaded, the diff never describes values that
someone else has changed since.
"""

from auditlog.models import LogEntry, _get_manager_from_settings
from auditlog.receivers import _create_log_entry, check_disable, log_update
from auditlog.registry import auditlog
from django.conf import settings
from django.db import connections
from django.db.models.signals import pre_save

from .sql import value_sql

# The instance attribute that carries auditlog's `update_fields` from the save's pre_save to
# its UPDATE.
_PENDING = "_trail_fields_to_check"


class TrailedUpdate:
    """Mixin of a model recorded by auditlog: its updates are diffed against the row the
    UPDATE replaced (module doc). `trail_connect(model)` puts it in auditlog's place."""

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        if _PENDING not in self.__dict__:
            return super()._do_update(base_qs, using, pk_val, values, update_fields,
                                      forced_update)
        fields_to_check = self.__dict__.pop(_PENDING)
        connection = connections[using]
        if (
            connection.vendor == "postgresql" and values and not self._meta.select_on_save
            and not any(hasattr(value, "resolve_expression") for _, _, value in values)
        ):
            old = _update_returning_old(self, connection, using, pk_val, values)
            updated = old is not None
        else:
            # auditlog's own read (SQLite, an expression in the values).
            old = _get_manager_from_settings(type(self)).using(using).filter(pk=pk_val).first()
            updated = super()._do_update(base_qs, using, pk_val, values, update_fields,
                                         forced_update)
        _create_log_entry(
            action=LogEntry.Action.UPDATE, instance=self, sender=type(self), diff_old=old,
            diff_new=self, fields_to_check=fields_to_check,
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
        )
        return updated


def _update_returning_old(instance, connection, using, pk_val, values):
    """Write `values` (Django's `(field, model, value)` of the save) to the row of `pk_val`
    and return the row as it was before, as an instance; None when there is no such row."""
    meta = instance._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    compiler = type(instance)._base_manager.using(using).all().query.get_compiler(using)
    assignments, params = [], []
    for field, _model, value in values:
        placeholder, value = value_sql(field, value, compiler, connection)
        assignments.append(f"{quote(field.column)} = {placeholder}")
        params.append(value)
    fields = meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(assignments)} "
            f"FROM (SELECT {columns} FROM {table} WHERE {pk} = %s FOR UPDATE) AS trail_old "
            f"WHERE {table}.{pk} = trail_old.{pk} "
            f"RETURNING {', '.join(f'trail_old.{quote(field.column)}' for field in fields)}",
            [*params, meta.pk.get_db_prep_value(pk_val, connection)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    converted = []
    for field, value in zip(fields, row, strict=True):
        column = field.get_col(meta.db_table)
        for converter in (
            connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        ):
            value = converter(value, column, connection)
        converted.append(value)
    return type(instance).from_db(using, [field.attname for field in fields], converted)


@check_disable
def _update_pending(sender, instance, **kwargs):
    """In auditlog's place on pre_save: the update's entry is written by its UPDATE."""
    if not instance._state.adding and instance.pk is not None:
        instance.__dict__[_PENDING] = kwargs.get("update_fields")


def trail_connect(model) -> None:
    """Record `model`'s updates through `TrailedUpdate` instead of auditlog's receiver (which
    auditlog connected when it registered the model from settings)."""
    assert issubclass(model, TrailedUpdate)
    pre_save.disconnect(sender=model, dispatch_uid=auditlog._dispatch_uid(pre_save, log_update))
    pre_save.connect(_update_pending, sender=model, dispatch_uid="workflows.audit_trail")


def creations_recorded(instances: list) -> None:
    """Write the audit entries of the creation of `instances`, as auditlog's receiver would
    have, from their values now: for rows created with auditlog disabled and completed
    afterwards in the same transaction (an issue's copies, which get their number last)."""
    for instance in instances:
        _create_log_entry(
            action=LogEntry.Action.CREATE, instance=instance, sender=type(instance),
            diff_old=None, diff_new=instance,
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
        )


def update_recorded(*, old, new) -> None:
    """Write the audit entry of the update of `old` (the row as read under its lock in this
    transaction) into `new`, as `TrailedUpdate` would have: for a row saved with auditlog
    disabled and completed afterwards (an issued document, which gets its number last)."""
    _create_log_entry(
        action=LogEntry.Action.UPDATE, instance=new, sender=type(new), diff_old=old,
        diff_new=new, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
    )
