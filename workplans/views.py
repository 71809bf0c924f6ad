from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Activity, WorkPlan


class WorkPlanListView(LoginRequiredMixin, ListView):
    queryset = WorkPlan.objects.select_related("group", "chair_term__agency")


class WorkPlanDetailView(LoginRequiredMixin, DetailView):
    model = WorkPlan


class ActivityDetailView(LoginRequiredMixin, DetailView):
    queryset = Activity.objects.select_related("output__stream__workplan")
