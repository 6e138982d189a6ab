"""A patient's portal access code. The codes are made, hashed and checked only in
patients/portal_access.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .. import portal_access
from .patients import Patient


class PortalAccessCode(models.Model):
    """A one-time way for a patient to set their own password: a link and a short code.

    Only hashes are stored; the clear link and code are shown once, to the clinician who
    issued them. A new code, a revocation, use, 7 days or too many wrong codes typed for the
    patient's study ID (retired) end it.
    """

    clinic_path = "patient__clinic"  # whose kept pages show it (patients.kept_pages)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="access_codes")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Wrong codes typed with the patient's study ID while this code was outstanding
    # (patients.services.portal_access_find); at the limit the code is retired for good.
    wrong_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="access_code_used_or_revoked_not_both",
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
            models.CheckConstraint(
                name="access_code_retired_neither_used_nor_revoked",
                condition=Q(retired_at__isnull=True)
                | Q(used_at__isnull=True, revoked_at__isnull=True),
            ),
            models.CheckConstraint(
                name="access_code_retired_after_too_many_wrong_tries",
                condition=Q(retired_at__isnull=True)
                | Q(wrong_tries__gte=portal_access.WRONG_TRIES_BEFORE_RETIRING),
            ),
        ]

    def __str__(self) -> str:
        return f"Portal access for {self.patient.study_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.retired_at:
            return "retired"
        if self.expires_at <= timezone.now():
            return "expired"
        return "valid"

    @property
    def is_retired(self) -> bool:
        return self.state == "retired"
