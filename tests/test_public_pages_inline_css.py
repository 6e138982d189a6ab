"""The public pages (log-in, password reset, activation) carry their styles inline: every class
they use has a rule there, the Content-Security-Policy lets that one <style> through by its
hash, and they prefetch, not load, the full stylesheets (patients/public_pages.py)."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from patients.public_pages import (
    PUBLIC_CSS,
    UNSTYLED,
    public_page_responses,
    reset_form_refused,
)

STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
FULL_STYLESHEETS = ["bootstrap.min.css", "legwork.css", "programmes.css", "assessments.css"]


class Classes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "class" and value:
                self.found.update(value.split())


def classes_in(html):
    parser = Classes()
    parser.feed(html)
    return parser.found


def has_rule(css, name):
    return re.search(r"\." + re.escape(name) + r"(?![\w-])", css) is not None


@pytest.fixture
def responses(client, db):
    return public_page_responses(client)


def test_every_class_of_the_public_pages_has_a_rule_inline(responses):
    css = PUBLIC_CSS.read_text()
    pages = {name: r.content.decode() for name, r in responses.items()}
    pages["reset link form refused"] = reset_form_refused()
    assert "locked" in pages["locked out"].lower()
    assert "is-invalid" in pages["activation refused"]  # the states with errors are there
    missing = {
        name: sorted(c for c in classes_in(html) if c not in UNSTYLED and not has_rule(css, c))
        for name, html in pages.items()
    }
    assert {name: m for name, m in missing.items() if m} == {}, (
        "Regenerate the inline styles: python manage.py public_css"
    )


def test_the_check_sees_a_class_without_a_rule():
    css = PUBLIC_CSS.read_text()
    assert has_rule(css, "btn-primary")
    assert not has_rule(css, "btn-prim")  # a prefix is not a rule
    assert not has_rule(css, "table-striped")  # not on the public pages: trimmed


def style_sources(response):
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return policy["style-src"].split()


def test_the_inline_style_is_the_generated_file_allowed_by_its_hash(responses):
    css = PUBLIC_CSS.read_text()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    for name, response in responses.items():
        styles = STYLE.findall(response.content.decode())
        assert styles == [css], name  # one, exactly the file: the template engine left it alone
        assert style_sources(response) == ["'self'", f"'sha256-{digest}'"], name


def test_the_public_pages_prefetch_the_full_stylesheets_without_waiting_for_them(responses):
    html = responses["log-in"].content.decode()
    assert 'rel="stylesheet"' not in html
    for sheet in [*FULL_STYLESHEETS, "portal.css"]:
        assert re.search(r'<link rel="prefetch" href="[^"]*/' + re.escape(sheet) + '"', html)


def test_a_page_not_public_links_its_stylesheets_and_has_no_inline_style(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert "<style" not in html
    for sheet in FULL_STYLESHEETS:
        assert re.search(r'<link rel="stylesheet" href="[^"]*/' + re.escape(sheet) + '"', html)
    assert [source for source in style_sources(response) if "sha256" not in source] == ["'self'"]
