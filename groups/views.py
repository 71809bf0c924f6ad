from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Agency, Group


class AgencyListView(LoginRequiredMixin, ListView):
    model = Agency


class AgencyDetailView(LoginRequiredMixin, DetailView):
    model = Agency
    slug_field = "acronym"
    slug_url_kwarg = "acronym"


class GroupListView(LoginRequiredMixin, ListView):
    queryset = Group.objects.prefetch_related("co_chair_links__agency")


class GroupDetailView(LoginRequiredMixin, DetailView):
    model = Group
