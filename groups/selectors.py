"""Reads of agencies, people and groups that several pages share."""

from django.db.models import Prefetch

from groups.models import GroupCoChair

CO_CHAIRS = Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position"))
