from django.urls import path

from patients import urls as patient_urls

from . import views

# The `patients` namespace: the patient's page and withdrawal are composed here (they need
# several apps), the registry's own pages come from patients/urls.py.
app_name = "patients"

urlpatterns = [
    path("<uuid:public_id>/", views.patient_page, name="detail"),
    path("<uuid:public_id>/withdraw/", views.patient_withdraw, name="withdraw"),
    *patient_urls.urlpatterns,
]
