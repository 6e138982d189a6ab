"""Django's password-reset page, with its mail throttled.

It stays in config beside config/throttles.py: it is one of the project's doors, like the login
throttle, not a page composed from the apps (those are in clinic/views.py).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from . import throttles


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with its mail throttled (config/throttles.py). A throttled request
    gets the same answer as any other, the "if an account has this address" page, and simply
    sends nothing: the page must not tell a stranger which addresses are known, nor that a
    limit was reached for one of them."""

    def form_valid(self, form):
        if throttles.password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
