from django.contrib import admin
from django.urls import include, path

from clinic import views as clinic_views
from patients import views as patient_views

from . import views

urlpatterns = [
    path("", clinic_views.home, name="home"),
    # Before Django's own pages, so this one answers their reset address: it throttles the mail.
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("activate/", patient_views.activate_with_code, name="activate"),
    path("activate/<str:token>/", patient_views.activate_with_link, name="activate_link"),
    # The `patients` namespace is defined in clinic/urls.py: the patient's page is composed there.
    path("patients/", include("clinic.urls")),
    path("staff/", include("patients.staff_urls")),
    path("programmes/", include("programmes.urls")),
    path("assessments/", include("assessments.urls")),
    path("portal/", include("portal.urls")),
    path("district/", include("district.urls")),
    path("admin/", admin.site.urls),
]
