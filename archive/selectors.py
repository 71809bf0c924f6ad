"""Reads of the archive: the list of documents, a document with its versions and links, a record's documents."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from chairs.models import ChairTerm
from kit.pagination import count_of
from meetings.models import Decision, Meeting

from .models import Document, DocumentVersion

# The long columns a list never shows.
LONG = ("text", "search_vector", "note")


def document_list(kind: str = "") -> QuerySet:
    """Every document, latest first, with its number of versions; of one kind when given."""
    documents = Document.objects.defer(*LONG).annotate(version_count=count_of(DocumentVersion.objects, "document"))
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-dated", "title", "pk")


def document_with_links(pk: int) -> Document:
    """A document, its versions (latest first, their text not read) and every record it is linked to."""
    versions = DocumentVersion.objects.defer("text").select_related("uploaded_by").order_by("-number")
    return (
        Document.objects.defer("search_vector")
        .prefetch_related(
            Prefetch("versions", queryset=versions),
            Prefetch("meetings", queryset=Meeting.objects.defer("search_vector", "minutes")),
            "groups",
            Prefetch("chair_terms", queryset=ChairTerm.objects.select_related("agency")),
            Prefetch("decisions", queryset=Decision.objects.select_related("meeting").defer("search_vector")),
            "activities",
        )
        .get(pk=pk)
    )


def documents_of(record) -> list[Document]:
    """The documents linked to a record (a meeting, a group, a chair term, a decision, an activity). One query."""
    return list(record.documents.defer(*LONG).order_by("-dated", "title"))
