from django.contrib import admin

from .models import ActionPoint, AgendaItem, Decision, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    fields = ["number", "title", "text", "trial_months", "review_on", "reviewed_on", "source"]


class ActionPointInline(admin.TabularInline):
    model = ActionPoint
    extra = 0
    fields = ["text", "owner_agency", "owner", "due_on", "status", "done_on"]
    autocomplete_fields = ["owner_agency", "owner"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "group", "starts_on", "ends_on", "venue", "status", "sequence"]
    list_filter = ["kind", "status", "group"]
    search_fields = ["title", "venue", "date_as_written", "minutes", "note", "key"]
    list_select_related = ["group"]
    autocomplete_fields = ["group", "attendees"]
    readonly_fields = ["sequence", "updated_at"]
    date_hierarchy = "starts_on"
    inlines = [AgendaItemInline, DecisionInline, ActionPointInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "meeting", "trial_months", "review_on", "reviewed_on"]
    list_filter = ["trial_months"]
    search_fields = ["number", "title", "text", "meeting__title"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    date_hierarchy = "review_on"


@admin.register(ActionPoint)
class ActionPointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "owner_agency", "owner", "due_on", "status", "done_on"]
    list_filter = ["status", "owner_agency"]
    search_fields = ["text", "meeting__title", "owner_agency__acronym", "owner__username", "owner__last_name"]
    list_select_related = ["meeting", "owner_agency", "owner"]
    autocomplete_fields = ["meeting", "owner_agency", "owner"]
    date_hierarchy = "due_on"


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "position"]
    search_fields = ["title", "notes", "meeting__title"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
