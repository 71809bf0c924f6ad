"""The website's writes: publishing an item (now or at a moment), withdrawing it, and saving an article. Each
publication is kept in the item's own history (who, when, from when, which version) and in the publication's."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from kit.audit import record_change

from . import richtext
from .models import Article, Publication
from .publishable import of


def publication_of(kind: str, obj: Model) -> Publication | None:
    return Publication.objects.filter(kind=kind, object_id=obj.pk).first()


def _moment(at: datetime) -> str:
    return date_format(timezone.localtime(at), "DATETIME_FORMAT")


@transaction.atomic
def publish(*, kind: str, obj: Model, at: datetime | None = None, version: int | None = None, by=None) -> Publication:
    """Make `obj` public from `at` (now when None), showing `version` where the kind has versions."""
    publishable = of(kind)
    refusal = publishable.refusal(obj)
    if refusal:
        raise ValidationError(refusal)
    if publishable.versions is not None:
        numbers = [number for number, _ in publishable.versions(obj)]
        if version is None and numbers:
            version = numbers[0]
        if numbers and version not in numbers:
            raise ValidationError(gettext("Choose one of the item's versions to publish."))
    else:
        version = None
    at = at or timezone.now()
    publication = Publication.objects.select_for_update().filter(kind=kind, object_id=obj.pk).first()
    if publication is None:
        publication = Publication(kind=kind, object_id=obj.pk)
    elif publication.public_from == at and publication.version == version:
        return publication  # the same publication asked twice: nothing changes
    if by is not None:
        publication._history_user = by
    publication.public_from, publication.version, publication.changed_by = at, version, by
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:  # someone published the same item at the same moment: theirs is updated, under a lock
        publication = Publication.objects.select_for_update().get(kind=kind, object_id=obj.pk)
        publication.public_from, publication.version, publication.changed_by = at, version, by
        publication.save()
    scheduled = at > timezone.now()
    shown = f", version {version}" if version is not None else ""
    with translation.override(settings.LANGUAGE_CODE):  # the history's words are the record's, in its language
        moment = _moment(at)
    record_change(
        obj,
        reason=(
            f"Scheduled for the public website from {moment}{shown}"
            if scheduled
            else f"Published on the public website from {moment}{shown}"
        ),
    )
    return publication


@transaction.atomic
def unpublish(*, kind: str, obj: Model, by=None) -> bool:
    """Take `obj` off the public website (or cancel its scheduled publication); False when it was not public."""
    publication = Publication.objects.select_for_update().filter(kind=kind, object_id=obj.pk).first()
    if publication is None or publication.public_from is None:
        return False
    if by is not None:
        publication._history_user = by
    publication.public_from, publication.changed_by = None, by
    publication.save()
    record_change(obj, reason=gettext_noop("Taken off the public website"))
    return True


@transaction.atomic
def article_save(*, article: Article, revision: int | None = None) -> Article:
    """Save an article with its body sanitised; `revision` (the one the editor read) refuses to overwrite a newer
    save by someone else."""
    body = richtext.render(article.body)
    translations = {code: richtext.render(getattr(article, f"body_{code}")) for code in Article.TRANSLATIONS}
    if article.pk is not None:
        current = Article.objects.select_for_update().filter(pk=article.pk).values_list("revision", flat=True).first()
        if current is None:
            raise ValidationError(gettext("This article was removed meanwhile."))
        if revision is not None and current != revision:
            raise ValidationError(
                gettext(
                    "Someone else saved this article since you opened it; your text is below: copy it, reload the "
                    "page, and make your change again."
                )
            )
        article.revision = current + 1
    article.body_html = body.html
    for code, rendered in translations.items():
        setattr(article, f"body_html_{code}", rendered.html)
    article.save()
    article.images.set({*body.images, *(image for rendered in translations.values() for image in rendered.images)})
    return article
