"""Back up the portal: the PostgreSQL database and the uploaded files, together in one archive."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

DUMP_NAME = "database.dump"
MEDIA_NAME = "media"
MANIFEST_NAME = "backup.json"


def postgres_environment() -> tuple[dict, list[str]]:
    """The environment and connection arguments of pg_dump / pg_restore for the default database."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise CommandError(f"Backups are made of PostgreSQL databases; DATABASE_URL points to {db['ENGINE']}.")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args + ["--dbname", db["NAME"]]


class Command(BaseCommand):
    help = "Write the database (pg_dump) and the uploaded files (MEDIA_ROOT) to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="Folder of the archive (default var/backups), or the archive's own .tar.gz name.",
        )

    def handle(self, *args, to: Path, **options):
        env, connection = postgres_environment()
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        archive = to if to.name.endswith(".tar.gz") else to / f"gmg-portal-{stamp}.tar.gz"
        archive.parent.mkdir(parents=True, exist_ok=True)
        media = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMP_NAME
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *connection],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed, nothing was written: {result.stderr.strip()}")
            files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
            manifest = {
                "made_at": timezone.now().isoformat(),
                "database": settings.DATABASES["default"]["NAME"],
                "media_files": len(files),
                "media_bytes": sum(p.stat().st_size for p in files),
            }
            (Path(work) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
            partial = archive.with_name(archive.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(Path(work) / MANIFEST_NAME, arcname=MANIFEST_NAME)
                tar.add(dump, arcname=DUMP_NAME)
                if media.exists():
                    tar.add(media, arcname=MEDIA_NAME)
            partial.replace(archive)  # a half-written archive never carries the final name
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {archive} "
                f"(database {manifest['database']}, {manifest['media_files']} uploaded files)."
            )
        )
