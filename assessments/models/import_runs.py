"""Who put past visits in: one row per successful import."""

from django.conf import settings
from django.db import models

from patients.models import Clinic


class ImportRun(models.Model):
    """A successful import of past visits (a refused import saves nothing, this row included)."""

    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="import_runs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    visits_created = models.PositiveIntegerField()
    visits_unchanged = models.PositiveIntegerField()
    patients_created = models.PositiveIntegerField(default=0)
    programmes_created = models.PositiveIntegerField(default=0)
    via_command = models.BooleanField("from the command line", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.clinic}"

    @property
    def summary(self) -> str:
        if not self.visits_created:
            if self.visits_unchanged == 1:
                return f"Nothing new: the visit in {self.filename} is already recorded."
            return (
                f"Nothing new: all {self.visits_unchanged} visits in {self.filename} are "
                "already recorded."
            )
        text = f"Imported {_count(self.visits_created, 'visit')} from {self.filename}"
        if self.visits_unchanged:
            already = "was" if self.visits_unchanged == 1 else "were"
            text += (
                f" ({_count(self.visits_unchanged, 'visit')} already recorded {already} left "
                "as recorded)"
            )
        if self.patients_created:
            text += (
                f"; registered {_count(self.patients_created, 'patient')} with placeholder "
                f"names and {_count(self.programmes_created, 'past programme')}: complete "
                f"{'their records' if self.patients_created > 1 else 'the record'}"
            )
        return text + "."


def _count(n: int, noun: str) -> str:
    """ "1 visit", "2 visits"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
