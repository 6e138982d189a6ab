"""The patient's language: stored on their record, applied to their pages and printouts; a clinic
adds a language with a translation catalogue and a setting, without changing the code."""

import struct
from array import array

import pytest
from django.urls import reverse

from config.settings import env_languages
from patients.forms import PatientForm
from patients.models import Patient

pytestmark = pytest.mark.django_db

FRENCH = {
    "Week %(week)s of %(weeks)s": "Semaine %(week)s sur %(weeks)s",
    "Your exercises": "Vos exercices",
    "Done": "Fait",
    "Your exercises: week %(week)s of %(weeks)s": "Vos exercices : semaine %(week)s sur %(weeks)s",
}


def write_mo(path, catalogue):
    """A compiled gettext catalogue (what `manage.py compilemessages` makes from a .po file)."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **catalogue}
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for key in keys:
        msgid, msgstr = key.encode(), entries[key].encode()
        offsets.append((len(ids), len(msgid), len(strs), len(msgstr)))
        ids += msgid + b"\0"
        strs += msgstr + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    for id_at, id_len, str_at, str_len in offsets:
        key_table += [id_len, id_at + key_start]
        value_table += [str_len, str_at + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(
        header + array("i", key_table).tobytes() + array("i", value_table).tobytes() + ids + strs
    )


@pytest.fixture
def french(settings, tmp_path, patient):
    write_mo(tmp_path / "fr" / "LC_MESSAGES" / "django.mo", FRENCH)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    Patient.objects.filter(pk=patient.pk).update(language="fr")


def test_the_patients_pages_are_in_their_language(french, patient_client, programme):
    page = patient_client.get(reverse("portal:this_week")).content.decode()
    assert '<html lang="fr">' in page
    assert "Semaine 5 sur 12" in page and "Vos exercices" in page


def test_the_report_form_is_in_their_language(french, patient_client, programme):
    page = patient_client.get(reverse("portal:session_report")).content.decode()
    assert ">Fait</label>" in page


def test_the_clinicians_printout_is_in_the_patients_language_and_the_staff_page_is_not(
    french, client, clinician, programme
):
    client.force_login(clinician)
    sheet = client.get(reverse("programmes:print_week", args=[programme.public_id, 5]))
    assert "Vos exercices : semaine 5 sur 12" in sheet.content.decode()
    assert "Vos exercices" not in client.get(programme.get_absolute_url()).content.decode()


def test_an_english_patient_gets_english(patient_client, programme):
    page = patient_client.get(reverse("portal:this_week")).content.decode()
    assert '<html lang="en">' in page and "Week 5 of 12" in page


def test_the_clinician_sets_the_language_on_the_patients_record(settings, clinic):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    form = PatientForm(clinic=clinic)
    assert form.fields["language"].choices[-1] == ("fr", "Français")


def test_languages_are_read_from_code_and_name_pairs():
    assert env_languages("LEGWORK_TEST_UNSET", "en:English, fr:Français") == [
        ("en", "English"),
        ("fr", "Français"),
    ]


def test_a_malformed_language_list_stops_the_start_with_the_reason(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("LEGWORK_TEST_LANGUAGES", "en:English,fr")
    with pytest.raises(ImproperlyConfigured, match="code:Name pairs"):
        env_languages("LEGWORK_TEST_LANGUAGES", "en:English")
