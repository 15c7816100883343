"""Discovery, the service list (our categories) and the service definitions, in JSON and XML."""

import pytest

from cases.models import Category
from tests.open311.helpers import body, errors, other, road, url, xml, xml_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(geography):
    pass


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_points_at_the_v2_endpoint(client, fmt):
    response = client.get(url("discovery", fmt))

    assert response.status_code == 200
    if fmt == "json":
        found = body(response)
        endpoint = found["endpoints"][0]
    else:
        root = xml(response)
        assert root.tag == "discovery"
        found = {"contact": root.findtext("contact"), "key_service": root.findtext("key_service")}
        element = root.find("endpoints/endpoint")
        endpoint = {child.tag: child.text for child in element}
        endpoint["formats"] = [f.text for f in element.findall("formats/format")]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production" and endpoint["changeset"].endswith("+07:00")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert found["contact"] and found["key_service"]


def test_the_services_are_the_sub_categories_and_other(client):
    services = body(client.get(url("services")))

    expected = set(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)) | {other().pk}
    assert {int(s["service_code"]) for s in services} == expected
    road_service = next(s for s in services if s["service_code"] == str(road().pk))
    assert road_service == {
        "service_code": str(road().pk),
        "service_name": "ถนนชำรุด",
        "description": "เรื่องร้องเรียนประเภทสาธารณูปโภค: ถนนชำรุด ศูนย์ดำรงธรรมกำหนดยุติเรื่องภายใน 30 วัน",
        "metadata": True,
        "type": "realtime",
        "keywords": "ถนนชำรุด, Damaged road, สาธารณูปโภค, Public utilities",
        "group": "สาธารณูปโภค",
    }
    # In the categories' order: the first main category's sub-categories first, "other" last.
    assert services[0]["group"] == "ที่ดิน" and services[-1]["service_code"] == str(other().pk)


def test_the_services_in_xml(client):
    response = client.get(url("services", "xml"))

    assert xml(response).tag == "services"
    services = xml_items(response, "service")
    assert len(services) == len(body(client.get(url("services"))))
    road_service = next(s for s in services if s["service_code"] == str(road().pk))
    assert road_service["service_name"] == "ถนนชำรุด" and road_service["group"] == "สาธารณูปโภค"
    assert road_service["metadata"] == "true" and road_service["type"] == "realtime"


def test_a_retired_category_is_no_longer_offered(client):
    Category.objects.filter(pk=road().pk).update(is_active=False)
    Category.objects.filter(name_th="หนี้สิน").update(is_active=False)  # its sub-categories go with it

    codes = {s["service_code"] for s in body(client.get(url("services")))}

    assert str(road().pk) not in codes
    assert not codes & {str(pk) for pk in Category.objects.filter(parent__name_th="หนี้สิน").values_list("pk", flat=True)}
    assert client.get(url("service", service_code=road().pk)).status_code == 404


@pytest.mark.parametrize(
    "how",
    [{"QUERY_STRING": "locale=en"}, {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,th;q=0.5"}],
    ids=["locale", "header"],
)
def test_an_app_may_ask_for_english(client, how):
    response = client.get(url("services"), **how)

    road_service = next(s for s in body(response) if s["service_code"] == str(road().pk))
    assert road_service["service_name"] == "Damaged road" and road_service["group"] == "Public utilities"
    assert response["Content-Language"] == "en"


def test_thai_first_whatever_else_the_header_prefers(client):
    response = client.get(url("services"), HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.8")

    assert next(s for s in body(response) if s["service_code"] == str(road().pk))["service_name"] == "ถนนชำรุด"
    assert response["Content-Language"] == "th"


def test_the_definition_of_a_service(client):
    found = body(client.get(url("service", service_code=road().pk)))

    assert found["service_code"] == str(road().pk)
    assert [(a["code"], a["datatype"], a["required"], a["order"]) for a in found["attributes"]] == [
        ("subdistrict", "string", False, 1),
        ("subject", "string", False, 2),
        ("confidential", "singlevaluelist", False, 3),
    ]
    confidential = found["attributes"][2]
    assert [v["key"] for v in confidential["values"]] == ["true", "false"]
    assert all(a["variable"] is True for a in found["attributes"])


def test_other_asks_for_its_kind_in_words(client):
    found = body(client.get(url("service", service_code=other().pk)))

    assert found["attributes"][-1]["code"] == "other_text" and found["attributes"][-1]["required"] is True


def test_the_definition_in_xml(client):
    root = xml(client.get(url("service", "xml", service_code=other().pk)))

    assert root.tag == "service_definition" and root.findtext("service_code") == str(other().pk)
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["subdistrict", "subject", "confidential", "other_text"]
    assert [a.findtext("required") for a in attributes] == ["false", "false", "false", "true"]
    assert [v.findtext("key") for v in attributes[2].findall("values/value")] == ["true", "false"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["999999", "abc", "๑๒"], ids=["unknown", "letters", "thai-digits"])
def test_an_unknown_service_is_404_in_the_spec_s_shape(client, fmt, code):
    response = client.get(url("service", fmt, service_code=code))

    assert response.status_code == 404
    [error] = errors(response, fmt)
    assert error["code"] == 404 and "service_code" in error["description"]


def test_a_main_category_is_not_a_service(client):
    main = Category.objects.get(name_th="สาธารณูปโภค")

    assert client.get(url("service", service_code=main.pk)).status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_method_is_refused_in_the_spec_s_shape(client, fmt):
    response = client.post(url("services", fmt))

    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert errors(response, fmt)[0]["code"] == 405


def test_any_web_page_may_read_the_services(client):
    response = client.get(url("services"))

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Language" in response["Vary"]
