"""The one pagination block, templates/includes/pagination.html."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import PatientFactory

INCLUDE = Path(settings.BASE_DIR) / "templates" / "includes" / "pagination.html"


def links(html):
    return re.findall(r'<a class="page-link" href="([^"]*)">([^<]*)</a>', html)


@pytest.mark.django_db
def test_a_list_of_two_pages_links_each_page_to_the_other_keeping_the_search(
    clinician_client, clinic, settings
):
    settings.LEGWORK_PAGE_SIZE = 1
    PatientFactory.create_batch(2, clinic=clinic, family_name="Mensah")
    first = clinician_client.get(reverse("patients:list"), {"q": "mensah"}).content.decode()
    second = clinician_client.get(reverse("patients:list"), {"q": "mensah", "page": 2})
    assert links(first) == [("?q=mensah&amp;page=2", "Next")]
    assert links(second.content.decode()) == [("?q=mensah&amp;page=1", "Previous")]
    assert '<nav aria-label="Pages"' in first
    assert "Page 1 of 2" in first


def test_the_links_carry_the_anchor_and_their_own_texts():
    page = Paginator(range(3), 1).get_page(2)
    html = render_to_string(
        "includes/pagination.html",
        {
            "page": page,
            "label": "Pages of sessions",
            "anchor": "sessions-title",
            "previous": "Newer",
            "next": "Older",
        },
    )
    assert links(html) == [("?page=1#sessions-title", "Newer"), ("?page=3#sessions-title", "Older")]
    assert 'aria-label="Pages of sessions"' in html


def test_one_page_shows_no_pagination():
    page = Paginator(range(3), 5).get_page(1)
    assert render_to_string("includes/pagination.html", {"page": page}).strip() == ""


def test_no_template_but_the_include_draws_pagination_links():
    # A page's own summary may ask has_other_pages; only the include draws the links.
    drawers = [
        path.relative_to(INCLUDE.parents[1])
        for path in INCLUDE.parents[1].rglob("*.html")
        if path != INCLUDE and re.search(r"(previous|next)_page_number", path.read_text())
    ]
    assert drawers == []
