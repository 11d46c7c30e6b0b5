"""The printable blank self-audit."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from frameworks import Framework, render_audit
from tests.frameworks.factories import competency_data, edit


class _Checker(HTMLParser):
    """Collects text and checks every opened element is closed (void elements aside)."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> does not close {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> str:
    checker = _Checker()
    checker.feed(html)
    assert checker.stack == []
    return " ".join(" ".join(checker.text).split())


def test_audit_has_fields_scale_reminder_and_cumulative_statements(small: Framework) -> None:
    html = render_audit(small, "targeted")
    text = parsed(html)
    for field in ("Name", "Role", "Setting", "Date"):
        assert f'<div class="field">{field}</div>' in html
    assert "Do not write the names of children" in text
    for label in (
        "Not yet",
        "Some awareness",
        "Confident",
        "Not applicable to my role",
        "Met through a prior qualification",
    ):
        assert label in text
    assert "I can notice changes in a child's mood." in text or "notice changes" in text
    assert "I can plan and review targeted support." in text
    assert "recognise distress in children who do not use speech" not in text  # SEND off
    assert "Notes" in text
    assert "@page" in html and "A4" in html


def test_audit_for_core_leaves_out_higher_groups(small: Framework) -> None:
    text = parsed(render_audit(small, "core"))
    assert "notice changes" in text
    assert "plan and review targeted support" not in text
    assert "Leading and coordinating" not in text  # a domain with nothing to rate is left out


def test_send_overlay_is_optional(small: Framework) -> None:
    assert "do not use speech" in parsed(render_audit(small, "enhanced", include_send=True))


def test_one_tick_box_per_rating_per_statement(small: Framework) -> None:
    html = render_audit(small, "targeted", include_send=True)
    boxes = html.count('class="box"')
    assert boxes == 3 * (len(small.scale.levels) + 2)


def test_text_is_escaped(small: Framework) -> None:
    fw = edit(
        small,
        lambda d: competency_data(d, "sm-not-01").update(
            statement="I can <script>alert(1)</script> & more"
        ),
    )
    html = render_audit(fw, "core")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_unknown_group(small: Framework) -> None:
    with pytest.raises(ValueError, match="unknown group"):
        render_audit(small, "all")


def test_shipped_audits_render(shipped) -> None:
    for fw in shipped.values():
        html = render_audit(fw, "targeted", include_send=True)
        parsed(html)
        assert len(re.findall(r"<tr>", html)) >= 2 * len(fw.competencies)
