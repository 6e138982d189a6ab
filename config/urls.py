from django.contrib import admin
from django.urls import include, path

from patients import urls as patient_urls

from . import views

# The patient's page gathers panels from every app, so its view lives in config (see views.py);
# it keeps its place in the `patients` namespace beside the registry's own pages.
patient_pages = [
    path("<uuid:public_id>/", views.patient_page, name="detail"),
    *patient_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("patients/", include((patient_pages, "patients"))),
    path("staff/", include("patients.staff_urls")),
    path("programmes/", include("programmes.urls")),
    path("assessments/", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
