"""Clinics, the people who work in them, and their patients.

Every clinical row belongs to exactly one clinic. Nothing clinical is ever deleted: patients are
withdrawn and staff deactivated, and changes keep their history (django-simple-history).

One module per subject; everything is re-exported here, so `from patients.models import Patient`
works, and so do the paths old migrations name (`patients.models.validate_study_id`).
"""

from .clinics import STAFF_ROLES, Clinic, District, Role, User, validate_time_zone
from .patients import (
    Aetiology,
    Patient,
    PatientStatus,
    Sex,
    language_choices,
    validate_study_id,
)
from .portal_codes import PortalAccessCode
from .staff_events import StaffAccountAction, StaffAccountEvent

__all__ = [
    "STAFF_ROLES",
    "Aetiology",
    "Clinic",
    "District",
    "Patient",
    "PatientStatus",
    "PortalAccessCode",
    "Role",
    "Sex",
    "StaffAccountAction",
    "StaffAccountEvent",
    "User",
    "language_choices",
    "validate_study_id",
    "validate_time_zone",
]
