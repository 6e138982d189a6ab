from django.contrib import admin
from django.urls import include, path

from patients import urls as patient_urls
from patients import views as patient_views

from . import views

# The patient's page gathers panels from every app, and withdrawing a patient also ends their
# programme, so these views live in config (see views.py); they keep their place in the
# `patients` namespace beside the registry's own pages.
patient_pages = [
    path("<uuid:public_id>/", views.patient_page, name="detail"),
    path("<uuid:public_id>/withdraw/", views.patient_withdraw, name="withdraw"),
    *patient_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    # Before Django's own pages, so this one answers their reset address: it throttles the mail.
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("activate/", patient_views.activate_with_code, name="activate"),
    path("activate/<str:token>/", patient_views.activate_with_link, name="activate_link"),
    path("patients/", include((patient_pages, "patients"))),
    path("staff/", include("patients.staff_urls")),
    path("programmes/", include("programmes.urls")),
    path("assessments/", include("assessments.urls")),
    path("portal/", include("portal.urls")),
    path("admin/", admin.site.urls),
]
