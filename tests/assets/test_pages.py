"""Every asset page for every role, and the other organization's user."""

from __future__ import annotations

import pytest

from riskward.assets.models import Asset
from tests.conftest import ROLES
from tests.roles import EDITORS, READERS


@pytest.fixture
def asset(org, users):
    return Asset.objects.create(organization=org, name="Core switch", kind="network")


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_are_for_readers_only(client_as, asset, role):
    client = client_as(role)
    list_status = client.get("/assets/asset/").status_code
    detail = client.get(f"/assets/asset/{asset.pk}/")
    if role in READERS:
        assert list_status == 200
        assert detail.status_code == 200
        assert b"Core switch" in detail.content
    elif role == "outsider":
        assert list_status == 200  # their own (empty) register
        assert detail.status_code == 404
    else:
        assert list_status == 403
        assert detail.status_code == 403


def test_outsider_list_shows_none_of_our_assets(client_as, asset):
    assert b"Core switch" not in client_as("outsider").get("/assets/asset/").content


@pytest.mark.parametrize("role", ROLES)
def test_create_is_for_editors_only(client_as, org, role):
    response = client_as(role).post(
        "/assets/asset/new/",
        {
            "name": "Billing DB",
            "kind": "data_store",
            "criticality": 3,
            "status": "active",
        },
    )
    created = Asset.objects.filter(organization=org, name="Billing DB").exists()
    assert created == (role in EDITORS)
    if role == "outsider":  # an admin elsewhere creates in their own organization only
        assert Asset.objects.get(name="Billing DB").organization.legal_name == "Other Corp"
    assert response.status_code == (302 if role in EDITORS | {"outsider"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_are_for_editors_only(client_as, asset, role):
    client = client_as(role)
    client.post(
        f"/assets/asset/{asset.pk}/edit/",
        {
            "name": "Renamed",
            "kind": "network",
            "criticality": 2,
            "status": "active",
        },
    )
    asset.refresh_from_db()
    assert (asset.name == "Renamed") == (role in EDITORS)
    client.post(f"/assets/asset/{asset.pk}/delete/")
    assert Asset.objects.filter(pk=asset.pk).exists() == (role not in EDITORS)


def test_invalid_form_names_the_field(client_as):
    response = client_as("admin").post("/assets/asset/new/", {"name": "", "kind": "nonsense"})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert b"Select a valid choice" in response.content


def test_list_filters_sorts_searches_and_paginates(client_as, org):
    Asset.objects.bulk_create(
        Asset(
            organization=org,
            name=f"Server {i:03}",
            kind="infrastructure",
            criticality=4 if i % 10 == 0 else 1,
            internet_facing=i % 2 == 0,
        )
        for i in range(120)
    )
    client = client_as("auditor")
    page = client.get("/assets/asset/", {"criticality": 4, "sort": "-name"})
    assert page.context["listed"].page.paginator.count == 12
    assert [a.name for a in page.context["listed"].page][:2] == ["Server 110", "Server 100"]
    found = client.get("/assets/asset/", {"q": "Server 05"})
    assert found.context["listed"].page.paginator.count == 10
    second = client.get("/assets/asset/", {"page": 3})
    assert len(second.context["listed"].page) == 20


def test_sort_on_undeclared_field_falls_back_to_default(client_as, org):
    response = client_as("admin").get("/assets/asset/", {"sort": "organization__legal_name"})
    assert response.context["listed"].sort == "name"


def test_list_query_count_does_not_grow_with_rows(client_as, org, django_assert_max_num_queries):
    from riskward.core.models import Person

    owner = Person.objects.create(organization=org, name="Owner")
    Asset.objects.bulk_create(
        Asset(organization=org, name=f"A{i}", kind="application", owner=owner) for i in range(50)
    )
    client = client_as("admin")
    with django_assert_max_num_queries(9):
        client.get("/assets/asset/")


def test_htmx_request_gets_only_the_table(client_as, asset):
    response = client_as("admin").get("/assets/asset/", headers={"HX-Request": "true"})
    assert b"<table" in response.content
    assert b"<html" not in response.content
