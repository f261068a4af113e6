from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from riskward.controls.models import Framework


def test_load_framework_command_loads_and_reloads(org):
    out = StringIO()
    call_command("load_framework", org.legal_name, "nist-csf-2.0", "mlps-2.0-l3", stdout=out)
    call_command("load_framework", str(org.pk), "mlps-2.0-l3", stdout=out)
    assert set(Framework.objects.filter(organization=org).values_list("key", flat=True)) == {
        "nist-csf-2.0",
        "mlps-2.0-l3",
    }
    assert "NIST Cybersecurity Framework 2.0 loaded, 134 active requirements" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["Nobody Ltd.", "nist-csf-2.0"], "no organization"), (["{org}", "sox"], "no framework")],
)
def test_load_framework_command_errors_are_clear(org, args, message):
    args = [a.format(org=org.legal_name) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("load_framework", *args)
    assert not Framework.objects.exists()
