"""Exercise library, programme templates, assigned programmes, weekly plan and session logs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from patients.models import Clinic, Patient


class Arm(models.TextChoices):
    INTERVENTION = "intervention", "Intervention (exercise)"
    CONTROL = "control", "Control (assessments only)"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.PAUSED)


class Programme(models.Model):
    """One patient's programme: a copy of a template's prescription, never changed by it later."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="programmes")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="programmes")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    arm = models.CharField(max_length=12, choices=Arm.choices, default=Arm.INTERVENTION)
    start_date = models.DateField()
    weeks = models.PositiveSmallIntegerField(default=12)
    sessions_per_week = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    # Days spent paused before the current pause; later weeks shift by this much.
    paused_days = models.PositiveIntegerField(default=0)
    paused_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # Raised by every change to the plan, so a concurrent edit is detected, not overwritten.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status__in=["active", "paused"]),
                name="programme_one_open_per_patient",
                violation_error_message="This patient already has an active programme.",
            ),
            models.CheckConstraint(
                name="programme_weeks_in_range",
                condition=Q(weeks__gte=1, weeks__lte=52),
            ),
            models.CheckConstraint(
                name="programme_sessions_per_week_in_range",
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=7),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.patient.study_id})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"public_id": self.public_id})
