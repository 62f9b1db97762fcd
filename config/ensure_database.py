"""Create the PostgreSQL database named by DATABASE_URL when it does not exist yet.

`make run` calls it before `migrate` (a fresh machine has the server, not the database);
with SQLite there is nothing to do. Usage: `python -m config.ensure_database`.
"""

import os


def ensure_database() -> str:
    """Create the default database if missing; return what was done, for the log."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return "not PostgreSQL: nothing to create"

    import psycopg
    from psycopg import sql

    # Connect to the server's maintenance database with the same credentials.
    params = {
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
    }
    with psycopg.connect(
        dbname="postgres", connect_timeout=10, autocommit=True,
        **{key: value for key, value in params.items() if value},
    ) as connection:
        name = database["NAME"]
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return f"database {name} exists"
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"database {name} created"


if __name__ == "__main__":
    print(ensure_database())
