from django.contrib.auth.backends import ModelBackend

from . import portal_access, study_ids
from .models import Role, User


def _patient_login(typed: str) -> str | None:
    """The patient login a typed name means, or None. A patient types their login name
    ("KAN-0042@kano") in any case and with stray spaces, as printed; a patient whose login was
    their bare study ID before login names carried the clinic may still type that
    (User.old_login_name, unique across the installation, so it never means two patients)."""
    tidy = portal_access.tidy_login_name(typed)
    patients = User._default_manager.filter(role=Role.PATIENT)
    if portal_access.is_patient_login_name(tidy):
        found = patients.filter(username__iexact=tidy)
    else:
        found = patients.filter(old_login_name__iexact=study_ids.normalise(tidy))
    return found.values_list("username", flat=True).first() if tidy else None


class ClinicUserBackend(ModelBackend):
    """Password login as Django's own; the signed-in user is read with their clinic and patient
    record in one query, since nearly every page needs them (time zone, access rules)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if not username:
            return super().authenticate(request, username=username, password=password, **kwargs)
        # Staff usernames stay exact, as Django's. Staff cannot take a patient-shaped name
        # (User.clean), but one may since have taken a patient's old bare study ID: then both
        # are tried, so no clinic can block a patient's old name. Otherwise one password check,
        # whether or not a name exists (Django's own timing rule).
        exact = User._default_manager.filter(username=username).exists()
        patient = _patient_login(username)
        names = [name for name in (username if exact else None, patient) if name]
        for name in dict.fromkeys(names) or [username]:
            user = super().authenticate(request, username=name, password=password, **kwargs)
            if user is not None:
                return user
        if exact and patient is None and not portal_access.is_patient_login_name(username):
            # A second password check, as if a patient's old name were tried too: otherwise the
            # time of a wrong password would tell whoever took a bare name whether some clinic
            # has a patient whose old login it was.
            User().set_password(password)
        return None

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("clinic", "patient").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def throttle_username(request, credentials=None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): in one case and
    without spaces, since patients log in so, and "kan-1@kano" and "KAN-1@KANO" share one count
    of wrong passwords."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = request.POST.get("username") if request is not None else None
    # No login name is longer than the username field; a longer one typed (or sent) would not
    # fit the attempts table either (PostgreSQL refuses it: a server error, not a refusal).
    name = study_ids.normalise(portal_access.tidy_login_name(raw)) if raw else ""
    return name[: User._meta.get_field("username").max_length]
