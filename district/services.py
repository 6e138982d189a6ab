"""The operator's writes: a district, its clinics and its lead (the create_district command)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from patients.models import Clinic, District, Role, User
from patients.services import save_with_history


@transaction.atomic
def district_create(
    *,
    name: str,
    clinic_slugs: list[str],
    lead_username: str,
    lead_email: str = "",
    lead_password: str,
) -> tuple[District, User]:
    """A new district with its clinics (by short name, in any case) and its lead.

    A clinic already in another district is refused rather than moved: moving it is the
    operator's deliberate choice, in the Django admin. Nothing is saved if anything is refused."""
    district = save_with_history(District(name=name), by=None)
    for slug in clinic_slugs:
        clinic = Clinic.objects.filter(slug__iexact=slug).select_for_update().first()
        if clinic is None:
            raise ValidationError({"clinic": f"No clinic has the short name {slug!r}."})
        if clinic.district_id is not None:
            raise ValidationError(
                {"clinic": f"{clinic.slug} is already in the district {clinic.district}."}
            )
        clinic.district = district
        save_with_history(clinic, by=None)
    lead = User(
        username=lead_username, email=lead_email, role=Role.DISTRICT_LEAD, district=district
    )
    validate_password(lead_password, lead)
    lead.set_password(lead_password)
    save_with_history(lead, by=None)
    return district, lead
