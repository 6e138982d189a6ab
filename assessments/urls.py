from django.urls import path

from . import views
from .models import ExportKind

app_name = "assessments"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("due/", views.due_list, name="due"),
    path("programme/<uuid:public_id>/new/", views.visit_record, name="record"),
    path("visit/<uuid:public_id>/", views.visit_detail, name="visit"),
    path("visit/<uuid:public_id>/edit/", views.visit_edit, name="edit"),
    path("outcomes/", views.outcomes_page, name="outcomes"),
    # One name per file (export_long, export_xlsx, ...): each is a page of its own to the
    # access rules. The filters and "identified=1" travel in the query string.
    *[
        path(
            f"outcomes/export/{kind}/", views.export_download, {"kind": kind}, name=f"export_{kind}"
        )
        for kind in ExportKind.values
    ],
    path("outcomes/exports/", views.export_log, name="export_log"),
    path("outcomes/import/", views.visits_import, name="import"),
    path("patient/<uuid:public_id>/report/", views.patient_report, name="report"),
]
