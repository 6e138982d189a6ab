from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_add, name="add"),
    path("<uuid:public_id>/edit/", views.staff_edit, name="edit"),
    path("<uuid:public_id>/active/", views.staff_set_active, name="set_active"),
    path("<uuid:public_id>/deactivate/", views.staff_deactivate, name="deactivate"),
    path("<uuid:public_id>/unlock/", views.staff_unlock, name="unlock"),
    path("<uuid:public_id>/password-reset/", views.staff_password_reset, name="password_reset"),
]
