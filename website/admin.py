from django.contrib import admin

from .models import Article, Publication


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The articles as the desk writes them; their sanitised HTML is made on the desk's save, never typed here."""

    list_display = ["title", "kind", "slug", "dated"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    readonly_fields = ["body", "body_html"]  # written on the desk, where the body is sanitised as it is saved


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """What is public (read here; published and taken off on the desk, which keeps the item's history)."""

    list_display = ["kind", "object_id", "public_from", "version", "changed_by"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
