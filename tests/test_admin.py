"""The Django admin is the installation operator's tool: every model is there, for superusers."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

OUR_APPS = ["patients", "programmes", "assessments"]


def our_models():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(our_models()), ids=lambda m: m.__name__)
def test_every_model_is_in_the_django_admin(model):
    assert admin.site.is_registered(model), f"Register {model.__name__} in its app's admin.py"


@pytest.mark.django_db
def test_a_superuser_opens_each_models_admin_list(admin_client):
    for model in our_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, model.__name__
