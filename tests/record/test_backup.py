"""`make backup` and `make restore`: the database and the uploaded files come back exactly as they were."""

import subprocess
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection

from groups.models import Agency
from meetings.models import Meeting
from tests.factories import (
    make_activity,
    make_agency,
    make_meeting,
    make_output,
    make_person,
    make_stream,
    make_update,
    make_workplan,
)
from tests.test_readme_commands import clean_env
from workplans.models import UpdateAttachment

ROOT = Path(__file__).resolve().parent.parent.parent


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the portal's models (their histories, people, sign-in records included) keep."""
    rows = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = sorted(model._base_manager.values_list(*fields), key=repr)
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make(target: str, env: dict, **variables) -> str:
    result = subprocess.run(
        ["make", target, *(f"{k}={v}" for k, v in variables.items())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_database_and_the_uploaded_files_as_they_were(tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    db = connection.settings_dict
    env = clean_env(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_MEDIA_ROOT=str(media),
    )
    # A small record: agencies, a person, a meeting with its history, an update with a file and a link.
    iom, unhcr = make_agency("IOM"), make_agency("UNHCR")
    author = make_person("fp-iom", agency=iom)
    meeting = make_meeting(date(2015, 6, 15), title="Working level meeting")
    meeting.minutes = "Agreed."
    meeting.save()
    activity = make_activity(output=make_output(make_stream(make_workplan(slug="mawp"))), lead_agencies=[iom])
    update = make_update(activity, iom, author=author, narrative="Done.")
    UpdateAttachment.objects.create(update=update, url="https://example.org/report")
    paper = UpdateAttachment(update=update, file_name="paper.pdf", file_size=9)
    paper.file.save("paper.pdf", ContentFile(b"%PDF-1.4\n"))
    before, files_before = snapshot(), media_files(media)
    assert files_before and before["groups.Agency"] and before["meetings.HistoricalMeeting"]

    archive = tmp_path / "backups" / "portal.tar.gz"
    out = make("backup", env, TO=archive)
    assert "Backup written" in out and archive.is_file()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"backup.json", "database.dump"} <= set(names) and any(n.startswith("media/") for n in names)

    # Things go wrong after the backup: rows removed, changed and added; files lost and added.
    Meeting.objects.filter(pk=meeting.pk).delete()
    Agency.objects.filter(pk=unhcr.pk).update(name="Renamed by mistake")
    make_agency("WHO")
    for path in media.rglob("*.pdf"):
        path.unlink()
    (media / "stray.txt").write_text("not in the backup")
    assert snapshot() != before

    connection.close()
    out = make("restore", env, BACKUP=archive, YES=1)
    assert "Restored" in out

    assert snapshot() == before
    assert media_files(media) == files_before


def test_restore_says_which_archive_it_needs():
    result = subprocess.run(["make", "restore"], cwd=ROOT, capture_output=True, text=True, env=clean_env())
    assert result.returncode != 0
    assert "make restore BACKUP=" in result.stdout + result.stderr
