import zoneinfo

from django.utils import timezone


def clinic_time_zone(get_response):
    """Show dates and 'today' in the clinic's own time zone, not the server's."""

    def middleware(request):
        clinic = getattr(getattr(request, "user", None), "clinic", None)
        if clinic is not None:
            timezone.activate(zoneinfo.ZoneInfo(clinic.time_zone))
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware
