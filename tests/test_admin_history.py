"""The admin's history pages are for reading. django-simple-history's page for one old version is
a form that "reverts" the row when posted (saving the old values through the admin form, past the
services' checks and locks; for a user, back to an old role, clinic or active account). It must
show the old version and save nothing, for every model in the admin that has history, including
any added later (they are found from the admin's registry)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from patients.models import District
from tests.assessments.factories import make_visit
from tests.factories import ExerciseFactory, TemplateExerciseFactory
from tests.programmes.helpers import assign, log, report_home


def has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def history_admins():
    """(model, its ModelAdmin) for every registered model with history, or whose admin offers
    simple-history's pages."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if has_history(model) or isinstance(model_admin, SimpleHistoryAdmin)
    ]


def test_models_with_history_are_found_in_the_admin():
    labels = {model._meta.label for model, _ in history_admins()}
    # Spot checks that discovery works; the tests below cover whatever it finds.
    assert {"assessments.Visit", "programmes.ExerciseSession", "patients.User"} <= labels


@pytest.fixture
def rows(clinic, clinician, patient):
    """At least one row, with history, of every model above: written the way the app writes
    them, then a few changed so that their oldest version differs from the row as it is."""
    programme = assign(patient, clinician, days_ago=3)
    log(programme, clinician, days_ago=1)
    report_home(programme, clinician, days_ago=0)
    make_visit(programme=programme, timepoint="baseline", assessed_on=programme.start_date)
    TemplateExerciseFactory(template__clinic=clinic, exercise=ExerciseFactory(clinic=clinic))
    clinic.name = "Kano Physiotherapy"
    clinic.save()
    clinician.first_name = "Renamed"
    clinician.save()
    district = District.objects.create(name="Kano North")
    district.name = "Kano North District"
    district.save()


def oldest_version(model):
    """The oldest historical record of a row that still exists, preferring a row changed since
    (so that a revert would really change it)."""
    history = getattr(model, model._meta.simple_history_manager_attribute)
    pk_name = model._meta.pk.attname
    records = history.filter(
        **{f"{pk_name}__in": model._default_manager.values_list("pk", flat=True)}
    ).order_by("history_date", "history_id")
    record = next(
        (r for r in records if history.filter(**{pk_name: getattr(r, pk_name)}).count() > 1),
        records.first(),
    )
    assert record is not None, (
        f"The test's data has no {model.__name__} with history: add one to the `rows` fixture"
    )
    return record


def post_data_for(model_admin, request, instance) -> dict:
    """What the revert form would post for this old version: each field's value as a browser
    sends it (so, before the fix, the POST really did save the old version)."""
    form = model_admin.get_form(request, instance)(instance=instance)
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if getattr(field, "disabled", False) or value is None:
            continue
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    data["_save"] = "Revert"
    return data


def snapshot(model, pk):
    history = getattr(model, model._meta.simple_history_manager_attribute)
    # A clinic's data_version is not a record: any POST by the operator renews it, so that kept
    # pages are redrawn (patients.kept_pages).
    fields = [f.attname for f in model._meta.concrete_fields if f.name != "data_version"]
    return (
        list(model._default_manager.filter(pk=pk).values(*fields)),
        history.filter(**{model._meta.pk.attname: pk}).count(),
        LogEntry.objects.count(),
    )


def urls(model, record):
    info = model._meta.app_label, model._meta.model_name
    pk = getattr(record, model._meta.pk.attname)
    return (
        reverse("admin:{}_{}_history".format(*info), args=[pk]),
        reverse("admin:{}_{}_simple_history".format(*info), args=[pk, record.history_id]),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [model for model, _ in history_admins()], ids=lambda m: m._meta.label
)
def test_the_history_list_opens_and_an_old_version_is_shown_but_never_saved(
    model, rows, admin_client, admin_user
):
    model_admin = admin.site._registry[model]
    if not has_history(model):
        pytest.fail(
            f"{model.__name__} has no history, but its admin offers simple-history's pages "
            "(which fail without it): give it a plain ModelAdmin"
        )
    record = oldest_version(model)
    list_url, version_url = urls(model, record)

    assert admin_client.get(list_url).status_code == 200

    request = RequestFactory().post(version_url)
    request.user = admin_user
    data = post_data_for(model_admin, request, record.instance)
    pk = getattr(record, model._meta.pk.attname)
    before = snapshot(model, pk)
    response = admin_client.post(version_url, data)
    assert response.status_code == 403
    assert snapshot(model, pk) == before

    page = admin_client.get(version_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<input type="submit"' not in html  # (the page's one button is "Log out")
    assert 'name="_save"' not in html and "_change_history" not in html
    form = html[html.index('<form enctype="multipart/form-data" method="post"') :]
    form = form[: form.index("</form>")]
    assert 'class="readonly"' in form  # the old values, shown as text
    assert not re.search(r"<(select|textarea)\b", form)
    assert all("csrfmiddlewaretoken" in tag for tag in re.findall(r"<input[^>]*>", form))


@pytest.mark.django_db
def test_posting_a_deactivated_users_old_version_does_not_reactivate_them(
    clinician, admin_client, admin_user
):
    old_hash = clinician.password
    first = clinician.history.earliest("history_date")
    clinician.set_password("a new one")
    clinician.role = "clinician"
    clinician.is_active = False
    clinician.save()
    _, version_url = urls(type(clinician), first)
    request = RequestFactory().post(version_url)
    request.user = admin_user
    data = post_data_for(admin.site._registry[type(clinician)], request, first.instance)
    versions = clinician.history.count()

    assert admin_client.post(version_url, data).status_code == 403
    clinician.refresh_from_db()
    assert not clinician.is_active and clinician.password != old_hash
    assert clinician.history.count() == versions
