"""The district lead's page and its CSV: figures per clinic, never a patient."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from assessments.exports.cells import csv_row

from . import figures, selectors
from .access import clinics_for_user, district_lead_required


@district_lead_required
def district_page(request):
    table = selectors.district_table(clinics_for_user(request.user))
    return render(
        request, "district/page.html", {"district": request.user.district, "table": table}
    )


@district_lead_required
def district_csv(request):
    table = selectors.district_table(clinics_for_user(request.user))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(figures.CSV_HEADER)
    for row in [*table.rows, table.total]:
        writer.writerow(csv_row(figures.csv_values(row)))
    name = f"district-{slugify(request.user.district.name) or 'figures'}-{timezone.localdate()}.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
