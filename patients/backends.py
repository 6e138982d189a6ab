from django.contrib.auth.backends import ModelBackend

from .models import User


class ClinicUserBackend(ModelBackend):
    """Password login as Django's own; the signed-in user is read with their clinic and patient
    record in one query, since nearly every page needs them (time zone, access rules)."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("clinic", "patient").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
