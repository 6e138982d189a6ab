"""What a clinic admin did to a colleague's account that changes none of its fields."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffAccountAction(models.TextChoices):
    UNLOCKED = "unlocked", "Log-in lock cleared"
    PASSWORD_RESET_SENT = "password_reset_sent", "Password reset e-mail sent"


class StaffAccountEvent(models.Model):
    """Something a clinic admin did to a colleague's account that changes no field of it (so
    the member's history would not show it): who, when, for whom."""

    clinic_path = "member__clinic"  # whose kept pages show it (patients.kept_pages)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=24, choices=StaffAccountAction.choices)
    detail = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.member} by {self.by}"
