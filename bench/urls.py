from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

from . import views

urlpatterns = [
    path("bench/reference/", views.reference, name="bench_reference"),
    *product_urlpatterns,
]
