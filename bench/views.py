from django.shortcuts import render

from patients.models import Patient


def reference(request):
    """The floor for page throughput: one indexed query and a minimal template, same server."""
    patient = Patient.objects.only("study_id").get(pk=request.GET.get("id", 1))
    return render(request, "bench/reference.html", {"patient": patient})
