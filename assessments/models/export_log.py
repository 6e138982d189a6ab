"""Who took which data out of the clinic: one row per export."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from patients.models import Clinic


class ExportKind(models.TextChoices):
    LONG = "long", "Long CSV (one row per visit)"
    WIDE = "wide", "Wide CSV (one row per patient programme)"
    SUMMARY = "summary", "Summary CSV (the results table)"
    SESSIONS = "sessions", "Sessions CSV (per patient per week)"
    DICTIONARY = "dictionary", "Data dictionary CSV"
    XLSX = "xlsx", "Workbook (XLSX, every sheet)"


class ExportLog(models.Model):
    """One export, recorded before the first byte leaves: an export cut short keeps its row with
    no row count and no finish time, which is what an auditor wants to see."""

    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="export_logs")
    # Empty for the command line (a scheduled job has no user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField("file", max_length=12, choices=ExportKind.choices)
    filters = models.JSONField(default=dict, blank=True)
    deidentified = models.BooleanField()
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Data rows written.")
    via_command = models.BooleanField("from the command line", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="export_log_kind_known", condition=Q(kind__in=ExportKind.values)
            ),
            # Identified files are for clinic admins; the command line is the operator's own.
            models.CheckConstraint(
                name="export_log_has_user_or_command",
                condition=Q(user__isnull=False) | Q(via_command=True),
            ),
        ]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.clinic} at {self.created_at:%Y-%m-%d %H:%M}"
