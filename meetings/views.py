from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Decision, Meeting


class MeetingListView(LoginRequiredMixin, ListView):
    queryset = Meeting.objects.select_related("group")


class MeetingDetailView(LoginRequiredMixin, DetailView):
    model = Meeting


class DecisionDetailView(LoginRequiredMixin, DetailView):
    queryset = Decision.objects.select_related("meeting")
