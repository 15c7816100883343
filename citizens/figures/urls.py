"""URLs of the citizens' site: public figures (/figures/)."""

from django.urls import path

from citizens.figures import views

urlpatterns = [
    path("", views.country, name="figures"),
    path("province/<str:code>/", views.province, name="figures_province"),
    path("district/<str:code>/", views.district, name="figures_district"),
    path("map/provinces.geojson", views.provinces_geojson, name="figures_map_provinces"),
    path("map/province/<str:code>.geojson", views.province_geojson, name="figures_map_province"),
]
