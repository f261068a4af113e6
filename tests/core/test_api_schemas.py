"""The API's schema names are unique: django-ninja names each OpenAPI component after its class,
so two apps' `SummaryOut` would silently overwrite one another in the published document."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import riskward


def test_no_two_api_schemas_share_a_name():
    owners: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.walk_packages(riskward.__path__, "riskward."):
        if not module_info.name.endswith(".schemas"):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module.__name__:
                owners[name].add(module.__name__)
    assert len(owners) > 40  # every app's schemas were found
    assert {name: places for name, places in owners.items() if len(places) > 1} == {}
