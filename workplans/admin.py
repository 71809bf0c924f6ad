from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    ActivityUpdate,
    Output,
    ReportingRound,
    UpdateAttachment,
    WorkPlan,
    WorkPlanImport,
    WorkPlanVersion,
    WorkStream,
)


class WorkStreamInline(admin.TabularInline):
    model = WorkStream
    extra = 0
    fields = ["position", "title", "kind", "lead_group", "led_by_chair"]
    show_change_link = True


class WorkPlanVersionInline(admin.TabularInline):
    model = WorkPlanVersion
    extra = 0
    fields = ["label", "dated", "published_by", "published_at"]
    readonly_fields = ["published_by", "published_at"]


class WorkPlanImportInline(admin.TabularInline):
    """Workbooks uploaded for the plan, between their preview and the editor's confirmation: read here only."""

    model = WorkPlanImport
    extra = 0
    fields = ["file_name", "uploaded_by", "uploaded_at", "applied_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_on", "ends_on", "group", "adopted_on", "revision"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["group"]
    readonly_fields = ["revision"]
    autocomplete_fields = ["group", "chair_term", "adopting_decision"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    inlines = [WorkStreamInline, WorkPlanVersionInline, WorkPlanImportInline]


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0
    fields = ["year", "position", "number", "title"]
    show_change_link = True


@admin.register(WorkStream)
class WorkStreamAdmin(admin.ModelAdmin):
    list_display = ["title", "workplan", "position", "kind", "lead_group", "led_by_chair"]
    list_filter = ["workplan", "kind", "lead_group"]
    search_fields = ["title", "objectives", "expected_results"]
    list_select_related = ["workplan", "lead_group"]
    autocomplete_fields = ["workplan", "lead_group"]
    readonly_fields = ["revision"]
    inlines = [OutputInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["position", "number", "description", "timeframe", "lead_agencies", "partners", "status"]
    autocomplete_fields = ["lead_agencies", "partners"]
    show_change_link = True


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stream", "year", "position"]
    list_filter = ["year", "stream__workplan"]
    search_fields = ["title", "number", "description"]
    list_select_related = ["stream"]
    autocomplete_fields = ["stream"]
    readonly_fields = ["revision"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "output", "timeframe", "starts_on", "ends_on", "status", "revision"]
    list_filter = ["status", "timeframe_unread", "output__stream__workplan", "output__year"]
    search_fields = ["number", "description", "timeframe", "lead", "funding_source"]
    list_select_related = ["output"]
    autocomplete_fields = ["output", "lead_agencies", "partners"]
    readonly_fields = ["revision", "updated_at"]
    date_hierarchy = "ends_on"


class UpdateAttachmentInline(admin.TabularInline):
    model = UpdateAttachment
    extra = 0
    fields = ["url", "file", "file_name", "file_size"]
    readonly_fields = ["file_name", "file_size"]


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(admin.ModelAdmin):
    list_display = ["activity", "agency", "reported_on", "status", "review", "author"]
    list_filter = ["status", "review", "agency"]
    search_fields = ["narrative", "activity__description", "activity__number", "agency__acronym"]
    list_select_related = ["activity", "agency", "author"]
    autocomplete_fields = ["activity", "agency", "author"]
    readonly_fields = ["created_at"]
    date_hierarchy = "reported_on"
    inlines = [UpdateAttachmentInline]


@admin.register(WorkPlanVersion)
class WorkPlanVersionAdmin(admin.ModelAdmin):
    list_display = ["workplan", "label", "dated", "published_by", "published_at"]
    list_filter = ["workplan"]
    search_fields = ["label", "workplan__title"]
    list_select_related = ["workplan", "published_by"]
    readonly_fields = ["published_by", "published_at"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "workplan", "period_starts_on", "period_ends_on", "due_on", "opened_by"]
    list_filter = ["workplan"]
    search_fields = ["title", "workplan__title"]
    list_select_related = ["workplan", "opened_by"]
    readonly_fields = ["opened_by", "opened_at"]
    date_hierarchy = "due_on"
