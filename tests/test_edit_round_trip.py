"""Every edit form, opened for a real record and posted back as the browser sends it, unchanged,
changes nothing, writes no history, and says "Nothing was changed".

Every URL name of the project must be classified in tests/form_objects.py (an edit page, another
form, or no form), so an edit page added later cannot escape this test. The form is read from the
rendered page (tests/forms_in_pages.py): each field's value exactly as the page shows it, a select
with no selected option submitting its first option, unchecked boxes absent, line breaks as CR LF.
"""

import pytest

from tests.form_checks import (
    form_errors,
    history_counts,
    messages_of,
    open_form,
    row_changes,
    rows,
    server_errors,
    submit,
)
from tests.form_objects import EDIT_PAGES, FORM_PAGES, NO_FORM, stale, twice_classified
from tests.form_objects import unclassified as unclassified_names
from tests.test_access_matrix import _all_url_names

NOTHING_CHANGED = "Nothing was changed"


def test_every_url_name_is_classified_as_an_edit_page_another_form_or_no_form():
    names = set(_all_url_names())
    missing = unclassified_names(names)
    assert not missing, (
        "Classify these URL names in tests/form_objects.py: EDIT_PAGES (an edit form of a "
        f"stored object), FORM_PAGES (another form) or NO_FORM (say why): {missing}"
    )
    assert not stale(names), f"These entries of tests/form_objects.py name no URL: {stale(names)}"
    assert not twice_classified(), f"Classified twice: {twice_classified()}"
    assert all(reason.strip() for reason in NO_FORM.values())
    assert all(EDIT_PAGES[name] for name in EDIT_PAGES) and all(FORM_PAGES.values())


@pytest.fixture
def base(clinic, clinic_admin, clinician):
    return {"clinic": clinic, "clinic_admin": clinic_admin, "clinician": clinician}


EDITS = [(name, variant) for name in sorted(EDIT_PAGES) for variant in EDIT_PAGES[name]]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "variant"), EDITS, ids=[f"{n} ({v})" for n, v in EDITS])
def test_an_edit_form_posted_back_unchanged_changes_nothing_and_says_so(
    client, base, name, variant
):
    setup = EDIT_PAGES[name][variant](base)
    form = open_form(client, setup)
    data = form.data()
    rows_before, history_before = rows(), history_counts()

    with server_errors() as errors:
        response = submit(client, form, data)
    assert not errors, f"{name}: server error on the unchanged form\n{errors[0]}"
    assert response.status_code in (200, 302), (name, response.status_code)
    refused = form_errors(response) if response.status_code == 200 else []
    assert not refused, f"{name}: the unchanged form was refused: {refused}\nposted: {data}"
    told = messages_of(response)

    changed = row_changes(rows_before, rows())
    assert not changed, f"{name} ({variant}): stored values changed:\n" + "\n".join(changed)
    history_after = history_counts()
    written = {k: history_after[k] - v for k, v in history_before.items() if history_after[k] != v}
    assert not written, f"{name} ({variant}): history rows written: {written}"

    assert response.status_code == 302, f"{name}: the unchanged form was shown again"
    shown = client.get(response["Location"])
    assert shown.status_code == 200, (name, response["Location"], shown.status_code)
    assert any(NOTHING_CHANGED in message for message in told), (
        f"{name} ({variant}): the user is not told that nothing changed; messages: {told}"
    )
    assert NOTHING_CHANGED in shown.content.decode(), (
        f"{name}: the page after saving does not show {NOTHING_CHANGED!r}"
    )


def _a_field_to_correct(form) -> str:
    """The field a user would most likely correct: the notes, else a free-text box, else a
    plain text field."""
    for wanted in (
        lambda name, control: name == "notes",
        lambda name, control: control.kind == "textarea" and name != "deviation_reason",
        lambda name, control: control.kind == "text" and name not in ("study_id", "username"),
    ):
        for name, control in form.controls.items():
            if wanted(name, control):
                return name
    raise AssertionError("no text field to correct: choose one for this page here")


FIRST_EDITS = [(name, next(iter(EDIT_PAGES[name]))) for name in sorted(EDIT_PAGES)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "variant"), FIRST_EDITS, ids=[f"{n} ({v})" for n, v in FIRST_EDITS]
)
def test_an_edit_form_with_one_field_corrected_saves_it_and_keeps_its_history(
    client, base, name, variant
):
    """The other half of the round trip: a real correction is stored, with a history row, and
    the user is not told that nothing changed (a form that compared the record with itself
    after binding did exactly that)."""
    setup = EDIT_PAGES[name][variant](base)
    form = open_form(client, setup)
    field = _a_field_to_correct(form)
    data = form.data()
    data[field] = [f"{(data.get(field) or [''])[0]} Corrected"]
    rows_before, history_before = rows(), history_counts()

    response = submit(client, form, data)
    assert response.status_code == 302, (name, field, form_errors(response))
    assert row_changes(rows_before, rows()), f"{name}: correcting {field} stored nothing"
    assert history_counts() != history_before, f"{name}: the correction left no history"
    assert not any(NOTHING_CHANGED in message for message in messages_of(response)), name
