"""Pages are sent compressed to a browser that accepts it (clinics on slow networks), and plain
to one that does not; a download streams compressed too."""

import gzip

from django.urls import reverse

from tests.programmes.helpers import assign, log


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(clinician_client, patient, clinician):
    programme = assign(patient, clinician, days_ago=20)
    log(programme, clinician, days_ago=1)
    url = programme.get_absolute_url()
    plain = clinician_client.get(url)
    packed = clinician_client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert programme.name in page and "</html>" in page
    assert len(packed.content) * 3 < len(plain.content)  # a 15-30 KB page: a few KB on the wire


def test_a_streamed_download_is_gzipped_too(client, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("assessments:export_sessions")
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert "study_id" in body.splitlines()[0].split(",")  # the file's own header row
