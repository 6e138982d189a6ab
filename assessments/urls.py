from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("due/", views.due_list, name="due"),
    path("programme/<uuid:public_id>/new/", views.visit_record, name="record"),
    path("visit/<uuid:public_id>/", views.visit_detail, name="visit"),
    path("visit/<uuid:public_id>/edit/", views.visit_edit, name="edit"),
]
