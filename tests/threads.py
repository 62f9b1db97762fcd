"""Real threads for the concurrency tests: jobs released together, each on its own
database connection (Django opens one per thread)."""

import threading

from django.db import connections


def race(*jobs, timeout: float = 120) -> list:
    """Run each job in its own thread, all released by one barrier; returns each job's result,
    or the exception it raised, in the order of the jobs (a thread cannot fail the test)."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as error:  # handed to the test, which decides what was expected
            results[index] = error
        finally:
            # An open connection left by a thread keeps the test database from being dropped.
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), f"a job ran over {timeout} s"
    return results


def at_once(*jobs, timeout: float = 120) -> list:
    """`race` for jobs that must all succeed: the exceptions raised fail the test."""
    results = race(*jobs, timeout=timeout)
    assert [result for result in results if isinstance(result, Exception)] == []
    return results


def race_test_marks() -> list:
    """The marks of a test racing real threads on PostgreSQL: committed data each thread's own
    connection can see, and a skip on SQLite, which serialises whole transactions (runs on
    PostgreSQL, as `.ci/run` does)."""
    import pytest
    from django.db import connection

    return [
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="needs PostgreSQL row locks and concurrent connections: runs on PostgreSQL "
                   "(DATABASE_URL), as `.ci/run` does",
        ),
    ]
