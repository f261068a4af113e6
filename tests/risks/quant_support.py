"""Builders shared by the quantification tests: controls linked to a risk, and a full set of
estimates (TEF x vulnerability, primary and secondary loss, one control on the magnitude)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from riskward.controls.models import Control
from riskward.risks import quantification

FAST = 2_000  # simulated years: enough for shapes and orderings, quick for tests


def pert(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"kind": "pert", "low": low, "mode": mode, "high": high}


def constant(value: float) -> dict[str, Any]:
    return {"kind": "constant", "low": value}


def linked_control(org: Any, risk: Any, reference: str = "CTL-001", name: str = "Backups") -> Any:
    control = Control.objects.create(
        organization=org,
        reference=reference,
        name=name,
        control_type="technical",
        function="corrective",
    )
    risk.controls.add(control)
    return control


def estimates(control: Any = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tef": pert(0.5, 2, 6),
        "vulnerability": pert(0.1, 0.3, 0.6),
        "primary": {"kind": "lognormal", "low": 50_000, "high": 4_000_000},
        "secondary_probability": pert(0.1, 0.2, 0.5),
        "secondary": {"kind": "lognormal", "low": 100_000, "high": 8_000_000},
        "controls": [],
    }
    if control is not None:
        data["controls"] = [
            {"control": control, "target": "magnitude", "reduction": pert(0.3, 0.5, 0.7)}
        ]
    data.update(changes)
    return data


def quantify(org: Any, actor: Any, risk: Any, control: Any = None, **changes: Any) -> Any:
    return quantification.set_inputs(org, actor, risk, estimates(control, **changes))


def svg_of(content: str) -> etree._Element:
    """The page's curve, parsed as XML: it must be well-formed to be drawn (and go into PDFs)."""
    start = content.index('<svg class="chart quant-chart"')
    end = content.index("</svg>", start) + len("</svg>")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(content[start:end].encode(), parser)


SVG = "{http://www.w3.org/2000/svg}"
