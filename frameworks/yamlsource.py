"""Read YAML into plain Python data while remembering the line of every value.

PyYAML's node tree keeps marks; the constructed objects do not. Walking the tree ourselves
lets every error say which line it is on, and lets us catch duplicate keys, which
`yaml.safe_load` silently overwrites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from frameworks.errors import ValidationIssue

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

PathT = tuple[str | int, ...]


def format_path(path: PathT) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass
class Located:
    """Parsed data plus the lines it came from."""

    name: str
    data: Any
    value_lines: dict[PathT, int] = field(default_factory=dict)
    key_lines: dict[PathT, int] = field(default_factory=dict)

    def line_of(self, path: PathT) -> int | None:
        """The line to blame for `path`: its key, else its value, else the nearest ancestor's."""
        while True:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.value_lines:
                return self.value_lines[path]
            if not path:
                return None
            path = path[:-1]

    def issue(self, path: PathT, message: str) -> ValidationIssue:
        return ValidationIssue(self.name, self.line_of(path), format_path(path), message)


class YamlSyntaxError(Exception):
    def __init__(self, issue: ValidationIssue) -> None:
        super().__init__(str(issue))
        self.issue = issue


def read_yaml(text: str, name: str) -> tuple[Located, list[ValidationIssue]]:
    """Parse `text`; return the located data and any structural issues (duplicate keys...).

    A YAML syntax error raises YamlSyntaxError, since nothing after it can be trusted.
    """
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.problem:
                problem = f"{exc.context}, {exc.problem}"
            raise YamlSyntaxError(
                ValidationIssue(name, line, "", f"YAML syntax error: {problem}")
            ) from None
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(ValidationIssue(name, None, "", f"YAML error: {exc}")) from None
        located = Located(name, None)
        issues: list[ValidationIssue] = []
        if node is None:
            issues.append(ValidationIssue(name, 1, "", "the file is empty"))
            return located, issues
        walker = _Walker(loader, located, issues)
        located.data = walker.walk(node, ())
        return located, issues
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, located: Located, issues: list[ValidationIssue]):
        self.loader = loader
        self.located = located
        self.issues = issues
        self.stack: set[int] = set()

    def walk(self, node: yaml.Node, path: PathT) -> Any:
        self.located.value_lines[path] = node.start_mark.line + 1
        if id(node) in self.stack:
            self.issues.append(self.located.issue(path, "recursive alias"))
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.stack.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: PathT) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = self.scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                self.issues.append(
                    _issue(self.located.name, key_line, path, f"key {shown!r} must be text")
                )
                continue
            child = (*path, key)
            if key in out:
                self.issues.append(
                    _issue(self.located.name, key_line, child, f"duplicate key {key!r}")
                )
                continue
            self.located.key_lines[child] = key_line
            out[key] = self.walk(value_node, child)
        return out

    def scalar(self, node: yaml.ScalarNode, path: PathT) -> Any:
        constructor = self.loader.yaml_constructors.get(node.tag)
        if constructor is None:
            self.issues.append(self.located.issue(path, f"unsupported YAML tag {node.tag!r}"))
            return node.value
        try:
            return constructor(self.loader, node)
        except (ValueError, yaml.YAMLError):
            # e.g. 2027-13-01 matches the timestamp pattern but is no date: keep the text
            # and let the schema say what is wrong with it.
            return node.value


def _issue(name: str, line: int, path: PathT, message: str) -> ValidationIssue:
    return ValidationIssue(name, line, format_path(path), message)
