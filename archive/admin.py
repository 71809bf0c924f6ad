from django.contrib import admin

from .models import Document, DocumentVersion


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "file", "file_name", "note", "uploaded_by"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "dated", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title"]
    filter_horizontal = ["meetings", "groups", "chair_terms", "decisions"]
    raw_id_fields = ["activities"]
    inlines = [VersionInline]
