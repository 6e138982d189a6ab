"""`make demo` tells the newcomer the address it really serves on."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_load_demo_prints_the_address_it_is_given_not_a_fixed_port(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", url="http://127.0.0.1:8123/", stdout=out)
    assert "Open http://127.0.0.1:8123/ and log in." in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_make_demo_passes_its_port_to_load_demo():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "load_demo --url http://127.0.0.1:$(PORT)/" in makefile
