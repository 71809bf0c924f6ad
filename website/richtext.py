"""The texts the support team writes (news, statements, pages) as visitors read them: Markdown made into HTML,
then sanitised with nh3 (the ammonia sanitiser) on save, so that only headings, paragraphs, lists, links, emphasis,
quotes and images from the archive reach a visitor's browser.

An image is written `![what it shows](archive:document-key)` (or `archive:<id>`): it must be a PNG or JPEG file
of the archive; its latest version at the save is the one shown, and it is published with the article. An image
from anywhere else, or without a description, is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from archive.models import Document, DocumentVersion

TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "blockquote",
    "code",
    "pre",
    "img",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"<(/?)h([1-5])\b")


@dataclass
class Body:
    html: str
    images: list[DocumentVersion] = field(default_factory=list)


def image_url(version: DocumentVersion) -> str:
    return reverse("website:image", args=[version.pk, version.file_name or "image"])


def image_version(reference: str) -> DocumentVersion:
    """The archive document an `archive:` reference names, as its latest version, if it is an image."""
    name = reference.removeprefix("archive:")
    documents = Document.objects.filter(key=name) if not name.isdigit() else Document.objects.filter(pk=int(name))
    document = documents.first()
    if document is None:
        raise ValidationError(gettext("No document of the archive is called %(name)s.") % {"name": repr(name)})
    version = document.versions.order_by("-number").first()
    suffix = "." + (version.file_name.rsplit(".", 1)[-1].lower() if version and "." in version.file_name else "")
    if version is None or not version.file or suffix not in IMAGE_TYPES:
        raise ValidationError(
            gettext("%(title)s is not an image (a PNG or JPEG file) and cannot be shown in the text.")
            % {"title": repr(document.title)}
        )
    return version


def render(text: str) -> Body:
    """The sanitised HTML of a body written in Markdown, with the archive's images it shows."""
    images: list[DocumentVersion] = []
    problems: list[str] = []

    def resolve(match: re.Match) -> str:
        alt, src = match.group("alt").strip(), match.group("src")
        if not src.startswith("archive:"):
            problems.append(
                gettext("Images come from the archive, written ![what it shows](archive:document-key); not %(src)s.")
                % {"src": src}
            )
            return ""
        if not alt:
            problems.append(
                gettext("The image %(src)s needs a short description of what it shows, between the brackets.")
                % {"src": src}
            )
            return ""
        try:
            version = image_version(src)
        except ValidationError as error:
            problems.extend(error.messages)
            return ""
        images.append(version)
        return f"![{alt}]({image_url(version)})"

    source = IMAGE.sub(resolve, text or "")
    if "<img" in source.lower():
        problems.append(gettext("Images are written ![what it shows](archive:document-key), not as HTML."))
    if problems:
        raise ValidationError(problems)
    made = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    # The page's title is its only first-level heading: the text's headings start one level down.
    made = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", made)
    clean = nh3.clean(made, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")
    return Body(html=clean, images=images)
