"""SQL pieces for the statements that fold two writes into one round trip, which the ORM
cannot write by itself (`nodes._process_insert`, `audit_trail`). Imports nothing of the app."""


def value_sql(field, value, compiler, connection) -> tuple[str, object]:
    """The placeholder and parameter of `value` stored in `field`, as Django's own INSERT
    and UPDATE write them."""
    value = field.get_db_prep_save(value, connection=connection)
    placeholder = (
        field.get_placeholder(value, compiler, connection)
        if hasattr(field, "get_placeholder") else "%s"
    )
    return placeholder, value
