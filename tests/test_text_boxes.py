"""Every text box keeps its line breaks as stored, whichever form it is in.

Browsers send a textarea's line breaks as CR LF; a field that kept them would count a note
posted back untouched as changed (a history row for nothing) and store two kinds of line break.
"""

import importlib
import inspect

from django import forms

from patients.forms import MultilineField

FORM_MODULES = [
    "patients.forms",
    "programmes.forms.assign",
    "programmes.forms.library",
    "programmes.forms.plan",
    "programmes.forms.sessions",
    "programmes.forms._common",
    "assessments.forms",
    "portal.forms",
]


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_text_box_of_every_form_is_a_multiline_field():
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field.widget, forms.Textarea) and not isinstance(field, MultilineField)
    ]
    assert not plain, f"Use patients.forms.MultilineField for these text boxes: {plain}"


def test_the_forms_are_found():
    assert len(list(_form_classes())) > 10


def test_line_breaks_are_kept_as_stored_and_an_untouched_note_is_unchanged():
    field = MultilineField(required=False, widget=forms.Textarea)
    assert field.clean("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"
    assert not field.has_changed("one\ntwo", "one\r\ntwo")
    assert field.has_changed("one\ntwo", "one\r\ntwo!")
