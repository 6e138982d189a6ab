from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("attention/", views.attention, name="attention"),
    path("assign/<uuid:public_id>/", views.programme_assign, name="assign"),
    path("<uuid:public_id>/", views.programme_detail, name="detail"),
    path("<uuid:public_id>/plan/", views.plan_change, name="plan_change"),
    path("<uuid:public_id>/retest/", views.programme_retest, name="retest"),
    path("<uuid:public_id>/pause/", views.programme_pause, name="pause"),
    path("<uuid:public_id>/resume/", views.programme_resume, name="resume"),
    path("<uuid:public_id>/complete/", views.programme_complete, name="complete"),
    path("<uuid:public_id>/withdraw/", views.programme_withdraw, name="withdraw"),
    path("<uuid:public_id>/print/week/<int:week>/", views.print_week, name="print_week"),
    path("<uuid:public_id>/print/handout/", views.print_handout, name="print_handout"),
    path("<uuid:public_id>/sessions/new/", views.session_record, name="session_record"),
    path("sessions/<uuid:public_id>/edit/", views.session_edit, name="session_edit"),
    path("suggestions/<uuid:public_id>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path(
        "suggestions/<uuid:public_id>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"
    ),
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/new/", views.exercise_add, name="exercise_add"),
    path("exercises/<uuid:public_id>/edit/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<uuid:public_id>/retire/", views.exercise_retire, name="exercise_retire"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_add, name="template_add"),
    path("templates/<uuid:public_id>/", views.template_detail, name="template_detail"),
    path("templates/<uuid:public_id>/edit/", views.template_edit, name="template_edit"),
    path("templates/<uuid:public_id>/copy/", views.template_copy, name="template_copy"),
    path("templates/<uuid:public_id>/retire/", views.template_retire, name="template_retire"),
]
