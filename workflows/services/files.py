"""Files stored by a service that can still fail afterwards, removed when it does.

Storage is not transactional: a file stored in a transaction that then rolls back would stay
on disk, named by no row. The entry points that store files (a step of a flow, sending a
document signed on paper, receiving one) run inside `files_removed_on_failure`; the code
that stores a file records it with `file_stored`.
"""

import threading
from contextlib import contextmanager


class _StoredFiles(threading.local):
    # The files stored so far inside this thread's `files_removed_on_failure` block.
    files = None


_stored = _StoredFiles()


@contextmanager
def files_removed_on_failure():
    """Delete the files stored inside the block if the block raises.

    Put it around the outermost `transaction.atomic()` of a service that can still fail
    after storing a file, so that a failed commit removes them too; when blocks nest, the
    outermost one decides. Usable as a decorator, above `@transaction.atomic`.
    """
    if _stored.files is not None:
        yield
        return
    _stored.files = []
    try:
        yield
    except BaseException:
        for stored in _stored.files:
            stored.storage.delete(stored.name)
        raise
    finally:
        _stored.files = None


def file_stored(field_file) -> None:
    """Record `field_file`, just written to its storage, for the enclosing
    `files_removed_on_failure` block to delete should the block fail."""
    if _stored.files is not None:
        _stored.files.append(field_file)
