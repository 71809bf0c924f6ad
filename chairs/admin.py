from django.contrib import admin

from .models import ChairTerm


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
