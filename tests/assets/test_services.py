from __future__ import annotations

import pytest

from riskward.assets import services
from riskward.assets.models import Asset
from riskward.audit.models import AuditEvent
from riskward.core.models import Person
from riskward.lib.errors import InvalidInput


def test_create_writes_asset_and_audit_event(org, users):
    asset = services.create_asset(org, users["admin"], {"name": "ERP", "kind": "application"})
    event = AuditEvent.objects.get(object_type="assets.Asset", object_id=str(asset.pk))
    assert event.action == "create"
    assert event.after["name"] == "ERP"
    assert event.actor_label == "admin"


def test_update_records_before_and_after(org, users):
    asset = services.create_asset(org, users["admin"], {"name": "ERP", "kind": "application"})
    services.update_asset(org, users["admin"], asset, {"criticality": 4})
    event = AuditEvent.objects.filter(action="update").get()
    assert (event.before["criticality"], event.after["criticality"]) == (2, 4)


def test_owner_from_another_organization_is_refused(org, other_org, users):
    stranger = Person.objects.create(organization=other_org, name="Stranger")
    with pytest.raises(InvalidInput) as error:
        services.create_asset(
            org, users["admin"], {"name": "X", "kind": "network", "owner": stranger.pk}
        )
    assert error.value.field == "owner"
    assert not Asset.objects.filter(name="X").exists()


def test_invalid_value_names_the_field_and_writes_nothing(org, users):
    with pytest.raises(InvalidInput) as error:
        services.create_asset(
            org, users["admin"], {"name": "X", "kind": "network", "mlps_level": 9}
        )
    assert error.value.field == "mlps_level"
    assert not Asset.objects.exists()
    assert not AuditEvent.objects.filter(object_type="assets.Asset").exists()


def test_dependency_cycle_is_refused(org, users):
    a = services.create_asset(org, users["admin"], {"name": "A", "kind": "application"})
    b = services.create_asset(
        org, users["admin"], {"name": "B", "kind": "application", "dependencies": [a.pk]}
    )
    with pytest.raises(InvalidInput, match="depend on itself"):
        services.update_asset(org, users["admin"], a, {"dependencies": [b.pk]})
    assert list(a.dependencies.all()) == []


def test_delete_is_audited(org, users):
    asset = services.create_asset(org, users["admin"], {"name": "Old", "kind": "network"})
    services.delete_asset(org, users["admin"], asset)
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_repr="Old").exists()
