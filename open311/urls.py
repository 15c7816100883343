from django.urls import path, register_converter

from open311 import views


class FormatConverter:
    """GeoReport v2's formats, written after the resource: ``services.json``, ``services.xml``."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns = [
    path("v2/discovery.<open311_format:format>", views.discovery, name="discovery"),
    path("v2/services.<open311_format:format>", views.service_list, name="services"),
    path("v2/services/<str:service_code>.<open311_format:format>", views.service_definition, name="service"),
    path("v2/requests.<open311_format:format>", views.service_requests, name="requests"),
    path("v2/requests/<str:service_request_id>.<open311_format:format>", views.service_request, name="request"),
    path("v2/tokens/<str:token>.<open311_format:format>", views.token, name="token"),
]
