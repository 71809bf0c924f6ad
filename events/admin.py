from django.contrib import admin

from .models import Contribution, ExternalEvent, InputRequest


@admin.register(ExternalEvent)
class ExternalEventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "place"]
    list_filter = ["kind"]


@admin.register(InputRequest)
class InputRequestAdmin(admin.ModelAdmin):
    list_display = ["event", "due_on"]
    filter_horizontal = ["agencies"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["request", "agency", "submitted_on"]
