"""Tiny HTML helpers: build escaped fragments, and parse them back into an element tree.

Moodle and CASE descriptions carry our extra fields as readable HTML whose machine-readable
parts are marked with data-semh attributes, so an import can recover them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser


def tag(name: str, content: str = "", /, **attrs: str | None) -> str:
    """<name attrs>content</name>; `content` must already be HTML. Attribute names use _ for -."""
    rendered = "".join(
        f' {key.replace("_", "-")}="{escape(value, quote=True)}"'
        for key, value in attrs.items()
        if value is not None
    )
    return f"<{name}{rendered}>{content}</{name}>"


def text(value: str) -> str:
    return escape(value, quote=False)


@dataclass
class Element:
    name: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self) -> list[Element]:
        out: list[Element] = []
        for c in self.children:
            if isinstance(c, Element):
                out.append(c)
                out += c.iter()
        return out

    def find_all(self, semh: str) -> list[Element]:
        """Descendants marked data-semh=`semh`, in document order (not nested inside each other)."""
        out: list[Element] = []
        for c in self.children:
            if isinstance(c, Element):
                if c.attrs.get("data-semh") == semh:
                    out.append(c)
                else:
                    out += c.find_all(semh)
        return out

    def find(self, semh: str) -> Element | None:
        found = self.find_all(semh)
        return found[0] if found else None

    def get(self, semh: str) -> str | None:
        el = self.find(semh)
        return el.text if el is not None else None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(name, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if name not in ("br", "hr", "img", "input", "meta", "link", "wbr"):
            self.stack.append(el)

    def handle_endtag(self, name: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].name == name:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
