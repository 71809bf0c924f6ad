from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Absence, Agency, Evaluation, Group, GroupCoChair, Membership, Person, TermsOfReference


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["joined", "left", "note"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "sort_name", "iati_identifier", "joined", "left", "declines_to_chair"]
    list_filter = ["declines_to_chair"]
    search_fields = ["acronym", "name", "sort_name", "iati_identifier"]
    ordering = ["sort_name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships")


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0
    fields = ["starts_on", "ends_on"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    inlines = [AbsenceInline]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("At the GMG"), {"fields": ["agency", "role", "job_title", "reminder_delivery", "alternate"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("At the GMG"), {"fields": ["email", "first_name", "last_name", "agency", "role"]}),
    ]
    list_display = ["username", "first_name", "last_name", "email", "agency", "role", "is_active"]
    list_filter = ["role", "agency", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__acronym"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


class GroupCoChairInline(admin.TabularInline):
    model = GroupCoChair
    extra = 0
    autocomplete_fields = ["agency"]


class TermsOfReferenceInline(admin.StackedInline):
    model = TermsOfReference
    extra = 0


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "status", "established_on", "chair_rotates_annually"]
    list_filter = ["kind", "status", "chair_rotates_annually"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["establishing_decision"]
    filter_horizontal = ["participating"]
    inlines = [GroupCoChairInline, TermsOfReferenceInline, EvaluationInline]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(admin.ModelAdmin):
    list_display = ["group", "version", "adopted_on", "min_meetings_per_year", "review_after_months"]
    list_filter = ["group"]
    search_fields = ["group__name", "version", "objectives", "working_modalities"]
    list_select_related = ["group"]
    date_hierarchy = "adopted_on"


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["group", "held_on"]
    list_filter = ["group"]
    search_fields = ["group__name", "outcome"]
    list_select_related = ["group"]
    date_hierarchy = "held_on"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["agency", "joined", "left", "note"]
    list_select_related = ["agency"]
