"""`{% record_documents record "meeting" %}`: a record page's documents in the archive (the link's other way)."""

from django import template
from django.urls import reverse

from archive.access import can_keep_archive
from archive.selectors import documents_of

register = template.Library()


@register.inclusion_tag("archive/_record_documents.html", takes_context=True)
def record_documents(context, record, parameter: str):
    """The documents linked to `record`, and for the support team a link to upload one already linked to it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_add = user is not None and can_keep_archive(user)
    add_url = f"{reverse('archive:document_create')}?{parameter}={record.pk}" if may_add else ""
    return {"documents": documents_of(record), "add_url": add_url}
