"""Rate limits of the API (DRF throttling), read from the settings on each request so they can be changed."""

from django.conf import settings
from rest_framework import throttling


class PersonRateThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.GMG_API_RATE_PER_PERSON


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.GMG_API_RATE_ANONYMOUS


class WriteRateThrottle(throttling.UserRateThrottle):
    """Writes are rarer than reads: a separate, lower budget per person."""

    scope = "write"

    def get_rate(self):
        return settings.GMG_API_RATE_WRITES

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
