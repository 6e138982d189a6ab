"""The filters the outcomes page and every export share, so a file says exactly what the page
showed (outcomes.py reads them; so do the files and the export log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from patients.models import Aetiology, Clinic
from programmes.models import Programme, ProgrammeStatus, ProgrammeTemplate

# Late week-6/12 visits (protocol deviations) are counted unless asked otherwise: every visit
# measured is data, as in an intention-to-treat analysis; leaving them out is the per-protocol
# view, one choice away. The page, every file and the export log say which was used.
DEVIATIONS_INCLUDED = "include"
DEVIATIONS_LEFT_OUT = "exclude"
DEVIATION_CHOICES = (
    (DEVIATIONS_INCLUDED, "Included (every visit measured)"),
    (DEVIATIONS_LEFT_OUT, "Left out (visits on time only)"),
)


@dataclass(frozen=True)
class OutcomeFilters:
    start_from: date | None = None
    start_to: date | None = None
    aetiology: str = ""
    template: ProgrammeTemplate | None = None
    status: str = ""
    deviations: str = DEVIATIONS_INCLUDED

    @property
    def without_deviations(self) -> bool:
        return self.deviations == DEVIATIONS_LEFT_OUT

    def visits(self, visits):
        """`visits` without the protocol deviations, when they are left out."""
        return visits.filter(deviation_reason="") if self.without_deviations else visits

    def programmes(self, clinic: Clinic):
        """The clinic's programmes these filters select."""
        programmes = Programme.objects.filter(clinic=clinic)
        if self.start_from:
            programmes = programmes.filter(start_date__gte=self.start_from)
        if self.start_to:
            programmes = programmes.filter(start_date__lte=self.start_to)
        if self.aetiology:
            programmes = programmes.filter(patient__aetiology=self.aetiology)
        if self.template is not None:
            programmes = programmes.filter(template=self.template)
        if self.status:
            programmes = programmes.filter(status=self.status)
        return programmes

    def as_json(self) -> dict:
        """For the export log and the workbook's first sheet; empty filters are left out."""
        values = {
            "programme_start_from": self.start_from.isoformat() if self.start_from else "",
            "programme_start_to": self.start_to.isoformat() if self.start_to else "",
            "aetiology": self.aetiology,
            "template": self.template.name if self.template else "",
            "programme_status": self.status,
            "protocol_deviations": "left out" if self.without_deviations else "",
        }
        return {key: value for key, value in values.items() if value}

    def describe(self) -> str:
        labels = {
            "aetiology": dict(Aetiology.choices),
            "programme_status": dict(ProgrammeStatus.choices),
        }
        parts = [
            f"{key.replace('_', ' ')}: {labels.get(key, {}).get(value, value)}"
            for key, value in self.as_json().items()
        ]
        return "; ".join(parts) if parts else "all programmes"
