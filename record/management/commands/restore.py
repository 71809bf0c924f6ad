"""Restore a backup made by `manage.py backup`: the database and the uploaded files, both replaced."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup import DUMP_NAME, MANIFEST_NAME, MEDIA_NAME, postgres_environment


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the data.")

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not archive.is_file():
            raise CommandError(f"No backup archive at {archive}.")
        env, connection = postgres_environment()
        database = settings.DATABASES["default"]["NAME"]
        if not yes and input(f"Replace database {database} and {settings.MEDIA_ROOT} with {archive}? [y/N] ") != "y":
            raise CommandError("Nothing was changed.")
        with tempfile.TemporaryDirectory() as work:
            with tarfile.open(archive, "r:gz") as tar:
                names = set(tar.getnames())
                if DUMP_NAME not in names or MANIFEST_NAME not in names:
                    raise CommandError(f"{archive} is not a backup of the portal (no {DUMP_NAME} in it).")
                tar.extractall(work, filter="data")
            manifest = json.loads((Path(work) / MANIFEST_NAME).read_text())
            connections.close_all()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *connection,
                    str(Path(work) / DUMP_NAME),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed; the database is as it was: {result.stderr.strip()}")
            media = Path(settings.MEDIA_ROOT)
            restored = Path(work) / MEDIA_NAME
            if media.exists():
                shutil.rmtree(media)
            if restored.exists():
                shutil.copytree(restored, media)
            else:
                media.mkdir(parents=True, exist_ok=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['made_at']}): database {database}, "
                f"{manifest['media_files']} uploaded files."
            )
        )
