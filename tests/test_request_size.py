"""A request body larger than the largest legitimate one (an import file) is refused with 413
before a byte of it is read; everything up to that size gets through, and stays in memory."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from assessments.forms import MAX_IMPORT_BYTES
from assessments.models import ImportRun
from config.middleware import refuse_oversized_requests

pytestmark = pytest.mark.django_db


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_huge_anonymous_post_to_the_login_page_is_refused_unread(client):
    response = client.post(
        reverse("login"),
        b"",
        "multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(400 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert f"at most {settings.LEGWORK_MAX_REQUEST_BYTES // 2**20} MB" in page
    assert "Traceback" not in page


def test_the_limit_leaves_room_for_the_largest_import_file_and_its_form():
    assert settings.LEGWORK_MAX_REQUEST_BYTES >= MAX_IMPORT_BYTES + 64 * 1024


@pytest.mark.parametrize(
    ("length", "status"),
    [
        (str(settings.LEGWORK_MAX_REQUEST_BYTES), 200),
        (str(settings.LEGWORK_MAX_REQUEST_BYTES + 1), 413),
        ("", 200),  # none declared (chunked): Django reads nothing; the proxy limits it
        ("nonsense", 200),  # as Django takes it: nothing is read
    ],
)
def test_the_declared_length_decides(length, status):
    request = RequestFactory().post("/", CONTENT_LENGTH=length)
    response = refuse_oversized_requests(lambda request: HttpResponse("passed"))(request)
    assert response.status_code == status


def test_an_import_over_the_limit_is_refused_before_the_import_sees_it(admin_client_, settings):
    settings.LEGWORK_MAX_REQUEST_BYTES = 4096
    upload = SimpleUploadedFile("visits.csv", b"study_id,timepoint\n" * 400, "text/csv")
    response = admin_client_.post(reverse("assessments:import"), {"file": upload})
    assert response.status_code == 413
    assert not ImportRun.objects.exists()


def test_an_upload_within_the_limit_is_kept_in_memory_not_in_a_temporary_file():
    # An import file holds health data: no copy of it on the server's disk.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.LEGWORK_MAX_REQUEST_BYTES
