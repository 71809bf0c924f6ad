from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import ChairTerm


class ChairTermListView(LoginRequiredMixin, ListView):
    queryset = ChairTerm.objects.select_related("agency", "co_chair")


class ChairTermDetailView(LoginRequiredMixin, DetailView):
    queryset = ChairTerm.objects.select_related("agency", "co_chair")
