"""The forms of a rendered page, read the way a browser reads them, and what it would submit.

Used by the systemic form tests (tests/test_edit_round_trip.py, tests/test_hostile_input.py).
Standard library only (html.parser). What a browser does, and so what this does:

- <input>: its value after the type's value sanitisation (newlines dropped from text-like
  values; e-mail and URL values trimmed; a number or date that is not a valid one becomes "");
  checkboxes and radios only when checked, with "on" when they have no value attribute;
- <select>: its selected options, else (a single select) its first option that is not disabled;
  a multiple select with nothing selected submits nothing;
- <textarea>: its text, without the one newline that may follow the start tag;
- disabled controls submit nothing; the first submit button is the one clicked and is
  submitted if it has a name;
- every value's line breaks are sent as CR LF (the browser's form encoding does that).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_LIKE = {"text", "search", "tel", "password", "email", "url"}
NOT_SUBMITTED = {"reset", "button", "image"}
_FLOAT = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?\Z")
_DATE = re.compile(r"(\d{4,})-(\d\d)-(\d\d)\Z")


@dataclass
class Control:
    """One named control (radio buttons and checkboxes of the same name are one control)."""

    name: str
    kind: str  # the input type, or "select", "select-multiple", "textarea"
    values: list[str] = field(default_factory=list)  # what the browser submits
    choices: list[str] = field(default_factory=list)  # options, radio or checkbox values
    attrs: dict = field(default_factory=dict)  # the (first) element's attributes


@dataclass
class Form:
    method: str
    action: str  # resolved against the page's URL
    enctype: str
    controls: dict[str, Control] = field(default_factory=dict)
    submitter: tuple[str, str] | None = None

    def data(self) -> dict[str, list[str]]:
        """What the browser posts: name -> values (in the page's order)."""
        data = {name: list(c.values) for name, c in self.controls.items() if c.values}
        if self.submitter:
            data.setdefault(self.submitter[0], []).append(self.submitter[1])
        return data

    @property
    def path(self) -> str:
        return urlsplit(self.action).path


def _crlf(value: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", value)


def _valid_date(value: str) -> bool:
    match = _DATE.match(value)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups())
    if year < 1 or not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days


def sanitise(kind: str, value: str) -> str:
    """The HTML value sanitisation algorithm of an input type."""
    if kind in TEXT_LIKE:
        value = value.replace("\r", "").replace("\n", "")
        if kind in ("email", "url"):
            value = value.strip(" \t\n\f\r")
    elif kind == "number" and not _FLOAT.match(value) or kind == "date" and not _valid_date(value):
        value = ""
    return value


class _Parser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select = None  # (attrs, [[value, selected, disabled, text]])
        self.option = None
        self.textarea = None  # (attrs, [text])

    def _control(self, name, kind, attrs):
        return self.form.controls.setdefault(name, Control(name=name, kind=kind, attrs=attrs))

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            method = (a.get("method") or "get").lower()
            enctype = a.get("enctype") or "application/x-www-form-urlencoded"
            self.form = Form(method=method, action=action, enctype=enctype)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name", "")
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                if self.form.submitter is None and not disabled:
                    self.form.submitter = (name, a.get("value", "Submit")) if name else ("", "")
                return
            if not name or kind in NOT_SUBMITTED:
                return
            control = self._control(name, kind, a)
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on")
                control.choices.append(value)
                if "checked" in a and not disabled:
                    control.values.append(value)
            elif kind == "file":
                control.values = [] if disabled else [""]
            elif not disabled:
                control.values.append(sanitise(kind, a.get("value", "")))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            if kind == "submit" and self.form.submitter is None and not disabled:
                self.form.submitter = (name, a.get("value", "")) if name else ("", "")
        elif tag == "select":
            self.select = (a, [])
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, "disabled" in a, []]
            self.select[1].append(self.option)
        elif tag == "textarea":
            self.textarea = (a, [])

    def handle_data(self, data):
        if self.option is not None:
            self.option[3].append(data)
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            self._end_select()
        elif tag == "textarea" and self.textarea is not None:
            attrs, parts = self.textarea
            self.textarea = None
            text = "".join(parts)
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            if self.form is not None and attrs.get("name"):
                control = self._control(attrs["name"], "textarea", attrs)
                if "disabled" not in attrs:
                    control.values.append(text)

    def _end_select(self):
        attrs, options = self.select
        self.select = self.option = None
        if self.form is None or not attrs.get("name"):
            return
        multiple = "multiple" in attrs
        values = []
        for value, selected, disabled, text in options:
            if value is None:  # an option without a value submits its text, whitespace collapsed
                value = " ".join("".join(text).split())
            values.append((value, selected, disabled))
        kind = "select-multiple" if multiple else "select"
        control = self._control(attrs["name"], kind, attrs)
        control.choices += [v for v, _s, _d in values]
        if "disabled" in attrs:
            return
        chosen = [v for v, selected, disabled in values if selected and not disabled]
        if not multiple:
            chosen = chosen[-1:]  # a single select keeps the last option marked selected
            if not chosen:
                chosen = [v for v, _s, disabled in values if not disabled][:1]
        control.values += chosen


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        for control in form.controls.values():
            control.values = [_crlf(v) for v in control.values]
    return parser.forms


def the_form(html: str, page_url: str, *, method="post", action: str | None = None) -> Form:
    """The one form of the page with this method whose action is `action` (a path; the page's
    own URL when not given): a page's navbar log-out form or a row's buttons are not it."""
    wanted = urlsplit(urljoin(page_url, action or page_url)).path
    found = [f for f in forms_in(html, page_url) if f.method == method and f.path == wanted]
    assert len(found) == 1, (
        f"expected one {method} form to {wanted} on {page_url}, found {len(found)}: "
        f"{[(f.method, f.action) for f in forms_in(html, page_url)]}"
    )
    return found[0]
