"""The reminders' check on /healthz: failing while reminders are stuck (should have gone and have not, after
GMG_REMINDER_STUCK_MINUTES); failed rows are named in the reason but do not fail the check on their own (they
need the support team, not a restart - they are listed on /calendar/delivery/)."""

from __future__ import annotations

from kit.health import health_check


@health_check("reminders")
def reminders_deliver() -> str | None:
    from reminders.sweep import delivery_health

    try:
        health = delivery_health()
    except Exception as error:  # noqa: BLE001 - the database check names the cause
        return f"reminder delivery cannot be read ({type(error).__name__})"
    if health["ok"]:
        return None
    return (
        f"{health['stuck']} reminder(s) stuck, the oldest unsent since {health['oldest_unsent']}; "
        f"{health['failed']} failed for good"
    )
