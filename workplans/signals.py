"""What the work plans app tells the apps above it, which it does not import (README: Where things are)."""

from django.dispatch import Signal

# A step of the review loop of a progress update, inside the write's transaction. Arguments: update, event
# ("filed", "resubmitted", "accepted" or "returned"). The reminders app tells those concerned (reminders.news).
update_reviewed = Signal()
