"""What the groups app tells the apps above it, which it does not import (README: Where things are)."""

from django.dispatch import Signal

# Before a person is deactivated: what they leave behind. Argument: person. Each receiver returns its part as
# a dict of `groups.services.PendingWork`'s fields (e.g. {"action_points": [...]}) or None.
pending_work_asked = Signal()

# A person was deactivated, inside the write's transaction. Arguments: person, hand_to (the colleague who takes
# over, or None when nothing was pending), work (the PendingWork read before). Each app hands over its own part.
person_leaves = Signal()
