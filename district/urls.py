from django.urls import path

from . import views

app_name = "district"

urlpatterns = [
    path("", views.district_page, name="page"),
    path("district.csv", views.district_csv, name="csv"),
]
