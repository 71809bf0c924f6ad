from django.contrib import admin

from .models import ChairFunction, ChairFunctionTick, ChairReportVersion, ChairTerm


class ChairReportVersionInline(admin.TabularInline):
    """The chair's words in the term's annual report, one row per save: read here, written on the report page."""

    model = ChairReportVersion
    extra = 0
    fields = ["revision", "saved_by", "saved_at", "introduction", "highlights"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ChairFunctionTickInline(admin.TabularInline):
    """The functions of the Chair the term has done: read here, ticked on the term's page."""

    model = ChairFunctionTick
    extra = 0
    fields = ["function", "done_on", "note", "ticked_by", "ticked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChairFunction)
class ChairFunctionAdmin(admin.ModelAdmin):
    """Annex I's functions of the Chair, loaded from data/gmg/chair_functions.yaml."""

    list_display = ["level", "number", "text", "obligation_kind"]
    list_filter = ["level"]
    search_fields = ["text"]


@admin.register(ChairTerm)
class ChairTermAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "kind",
        "starts_on",
        "ends_on",
        "co_chair",
        "letter_of_commitment_received_on",
        "workplan_endorsed_on",
        "annual_report_submitted_on",
    ]
    list_filter = ["kind", "agency"]
    search_fields = ["agency__acronym", "agency__name", "key", "note"]
    list_select_related = ["agency", "co_chair"]
    autocomplete_fields = ["agency", "co_chair"]
    date_hierarchy = "starts_on"
    inlines = [ChairReportVersionInline, ChairFunctionTickInline]
