from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_register, name="register"),
    path("<uuid:public_id>/edit/", views.patient_edit, name="edit"),
    path("<uuid:public_id>/access/", views.portal_access, name="portal_access"),
    path("<uuid:public_id>/access/new/", views.portal_access_issue, name="portal_access_issue"),
    path("<uuid:public_id>/access/code/", views.portal_access_code, name="portal_access_code"),
    path(
        "<uuid:public_id>/access/revoke/", views.portal_access_revoke, name="portal_access_revoke"
    ),
]
