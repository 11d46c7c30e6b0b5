"""Write frameworks back out in the FORMAT.md layout, so load(dump(f)) == f."""

from __future__ import annotations

from typing import Any

import yaml

from frameworks.model import Framework
from frameworks.records import framework_to_data

# Short lists of ids or keywords read best on one line, as in FORMAT.md.
_FLOW_KEYS = frozenset({"example_roles", "keywords", "principles", "thrive", "training"})


class _FlowList(list[Any]):
    pass


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as FORMAT.md shows them.
        return super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        style: str | None = "|"
    elif len(data) > 80 and data == data.strip() and "  " not in data:
        style = ">"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_FlowList, _represent_flow)
_Dumper.add_representer(str, _represent_str)


def _mark_flow(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _mark_flow(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_mark_flow(v) for v in value]
        return _FlowList(items) if key in _FLOW_KEYS else items
    return value


def dump_data(data: dict[str, Any], header: str | None = None) -> str:
    """YAML text for framework-layout data, with a blank line between top-level sections."""
    text = yaml.dump(
        _mark_flow(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    lines = text.splitlines()
    out: list[str] = []
    if header:
        out += [f"# {line}" if line else "#" for line in header.splitlines()] + [""]
    for i, line in enumerate(lines):
        if i and line and not line[0].isspace() and not line.startswith(("-", "#")):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


def dump_framework(framework: Framework, header: str | None = None) -> str:
    """The framework as a data file that `parse_framework` reads back to an equal Framework."""
    return dump_data(framework_to_data(framework), header)
