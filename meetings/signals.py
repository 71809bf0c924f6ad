"""What the meetings app tells the apps above it, which it does not import (README: Where things are)."""

from django.dispatch import Signal

# A meeting's day, time, place or status changed and its SEQUENCE was raised, inside the write's transaction.
# Arguments: meeting, cancelled (it was cancelled now), moved (its day, time or place changed, and it stands).
meeting_rescheduled = Signal()
