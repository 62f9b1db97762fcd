"""One archive with everything needed to bring the service back: database and media files.

The archive (tar.gz) holds `manifest.json` (database vendor, time, document count),
the database (`database.dump`, PostgreSQL's custom format from pg_dump; or
`database.sqlite3`, a consistent copy made with SQLite's online backup API) and `media/`
(attachments, issued DOCX files). Restoring replaces both: the database in one transaction
(pg_restore --single-transaction, or SQLite's backup API), the media folder by a swap, so a
failed restore leaves the old data in place.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def _postgres_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = [f"--dbname={db['NAME']}", "--no-owner", "--no-privileges"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _dump_database(folder: Path) -> str:
    vendor = connection.vendor
    target = folder / DUMPS[vendor]
    if vendor == "postgresql":
        args, env = _postgres_args()
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={target}", *args],
            env=env, check=True, capture_output=True,
        )
    else:
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    return vendor


def backup_create(*, target: Path) -> dict:
    """Write the archive to `target`; returns its manifest."""
    from workflows.models import Document

    target = Path(target)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        vendor = _dump_database(folder)
        manifest = {
            "format": 1,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "documents": Document.objects.count(),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / MANIFEST, MANIFEST)
            archive.add(folder / DUMPS[vendor], DUMPS[vendor])
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        # Renamed only when complete: a crash never leaves a truncated archive under the name.
        partial.replace(target)
    return manifest


def _restore_database(folder: Path, vendor: str) -> None:
    dump = folder / DUMPS[vendor]
    connection.close()
    if vendor == "postgresql":
        args, env = _postgres_args()
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--single-transaction",
             "--exit-on-error", *args, str(dump)],
            env=env, capture_output=True, text=True,
        )
        if result.returncode:
            raise RuntimeError(result.stderr.strip()[-2000:])
    else:
        source = sqlite3.connect(dump)
        live = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with live:
            source.backup(live)
        live.close()
        source.close()


def _restore_media(folder: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    restored = folder / "media"
    if not restored.is_dir():
        restored.mkdir()
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = media.with_name(f"{media.name}.restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.copytree(restored, incoming)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    previous = media.with_name(f"{media.name}.before-restore-{stamp}")
    if media.exists():
        media.rename(previous)
    incoming.rename(media)
    shutil.rmtree(previous, ignore_errors=True)


def backup_restore(*, source: Path) -> dict:
    """Replace the database and the media files by the archive's; returns its manifest.

    Refuses (ValidationError, Vietnamese) an archive that is not ours or was made from
    another kind of database; then nothing is changed.
    """
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        try:
            with tarfile.open(source, "r:gz") as archive:
                # The "data" filter refuses absolute paths, links outside and device files.
                archive.extractall(folder, filter="data")
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, tarfile.TarError, ValueError) as error:
            raise ValidationError(
                _("“%(name)s” is not a backup of this system: %(error)s")
                % {"name": source, "error": error}, code="not_a_backup",
            ) from error
        if manifest.get("vendor") != connection.vendor:
            raise ValidationError(
                _("The backup was made from a %(made)s database; this system uses %(here)s.")
                % {"made": manifest.get("vendor"), "here": connection.vendor},
                code="vendor",
            )
        _restore_database(folder, manifest["vendor"])
        _restore_media(folder)
    return manifest
