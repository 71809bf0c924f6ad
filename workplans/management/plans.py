"""What the work plan commands share: finding the plan a command names."""

from django.core.management.base import CommandError

from workplans.models import WorkPlan


def plan_named(slug: str) -> WorkPlan:
    plan = WorkPlan.objects.filter(slug=slug).first()
    if plan is None:
        known = ", ".join(WorkPlan.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No work plan has the slug {slug!r}. Known: {known or 'none'}.")
    return plan
