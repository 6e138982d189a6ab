from django.contrib.auth.backends import ModelBackend

from . import study_ids
from .models import Role, User


class ClinicUserBackend(ModelBackend):
    """Password login as Django's own; the signed-in user is read with their clinic and patient
    record in one query, since nearly every page needs them (time zone, access rules)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        normalised = study_ids.normalise(username) if username else ""
        if normalised and normalised != username:
            # A patient's login name is their study ID, which activation and the printed sheet
            # take in any case: accept it as they do (staff usernames stay exact, as Django's).
            users = User._default_manager.filter(username__in=[username, normalised])
            found = dict(users.values_list("username", "role"))
            if username not in found and found.get(normalised) == Role.PATIENT:
                username = normalised
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("clinic", "patient").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def throttle_username(request, credentials=None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): in one case, since
    patients log in in any case, so "new-1" and "NEW-1" share one count of wrong passwords."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = request.POST.get("username") if request is not None else None
    # No login name is longer than the username field; a longer one typed (or sent) would not
    # fit the attempts table either (PostgreSQL refuses it: a server error, not a refusal).
    return study_ids.normalise(raw)[: User._meta.get_field("username").max_length] if raw else ""
