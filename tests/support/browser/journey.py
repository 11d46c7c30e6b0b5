"""Steps of the staff self-assessment journey in the framed tool, as a person takes them.

A :class:`StaffJourney` drives one course page (``FramedLti.page``) whose ``#tool_frame``
shows the tool. Every action goes through the frame locator (``get_by_role``/``get_by_label``
inside the iframe, auto-waiting); every wait is on something a person sees (a heading, a
status text, a checked radio) or on the autosave answer the page itself waits for.

Page checks are collected, not raised at once: :meth:`StaffJourney.check_page` runs axe
(serious and critical) on the tool's document and :meth:`StaffJourney.check_reflow` looks for
sideways scrolling at 320 px; both record what they find in :attr:`StaffJourney.problems`,
and :meth:`StaffJourney.assert_no_problems` fails with every finding of the journey at once,
so one inaccessible page does not hide the state of the pages after it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Frame, FrameLocator, Locator, Page, Request, expect

from frameworks import Framework, get_framework
from frameworks.model import Competency
from tests.support.browser.axe import axe_violations, format_violations
from tests.support.browser.chromium import DESKTOP, PHONE, ChromiumSession, Viewport
from tests.support.browser.fixtures import FramedLti
from tests.support.browser.iframe_launch import (
    horizontal_overflow,
    tool_frame,
    tool_frame_locator,
)
from tests.support.platform import LTI101, SAM_STUDENT, STUDENT_ROLES, ScoreRecord, TestPlatform

SCREENSHOTS = os.environ.get("SEMH_SCREENSHOTS", "")
FRAMEWORK_ID = "primary"
FRAMEWORK: Framework = get_framework(FRAMEWORK_ID)

#: A Learner launched from the course with the primary framework: lands on the staff journey.
STAFF_LAUNCH: dict[str, object] = {
    "user": SAM_STUDENT,
    "roles": STUDENT_ROLES,
    "context": LTI101,
    "custom": {"framework": FRAMEWORK_ID},
}

NOT_APPLICABLE = "not-applicable"
PRIOR_QUALIFICATION = "prior-qualification"
AUTOSAVE_PATH = "/staff/api/rating"
SAVED = "Saved."
NOTE_LABEL = "Only you can see this note. Do not identify any child."
EVIDENCE_LABEL = "If you met this through a prior qualification, which one? (optional)"


def label_of(rating: str) -> str:
    """What the page calls a rating ("Not yet", "Not applicable to my role", …)."""
    return FRAMEWORK.scale.label_of(rating)


def scope_domains(group: str = "core") -> list[tuple[str, str, list[Competency]]]:
    """``(domain id, title, competencies)`` in page order for a group (no SEND statements)."""
    in_scope = set(c.id for c in FRAMEWORK.competencies_for(group))
    domains = []
    for domain in FRAMEWORK.domains:
        comps = [c for c in domain.competencies if c.id in in_scope]
        if comps:
            domains.append((domain.id, domain.title, comps))
    return domains


def role_matches(query: str) -> list[str]:
    """Labels of the roles a search for ``query`` shows (every word in label or keywords)."""
    words = query.lower().split()
    return [
        role.label
        for role in FRAMEWORK.roles
        if all(w in f"{role.label} {' '.join(role.keywords)}".lower() for w in words)
    ]


def _form_of(request: Request) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(request.post_data or "", keep_blank_values=True).items()}


def is_autosave(competency_id: str, **fields: str) -> Callable[[object], bool]:
    def check(response: object) -> bool:
        request = response.request  # type: ignore[attr-defined]
        if request.method != "POST" or urlsplit(request.url).path != AUTOSAVE_PATH:
            return False
        form = _form_of(request)
        return form.get("competency") == competency_id and all(
            form.get(k) == v for k, v in fields.items()
        )

    return check


def autosave_answer(request: Request) -> tuple[str, str]:
    """``(competency, rating)`` of an autosave request ("", "") for anything else."""
    if request.method != "POST" or urlsplit(request.url).path != AUTOSAVE_PATH:
        return ("", "")
    form = _form_of(request)
    return (form.get("competency", ""), form.get("rating", ""))


class AutosaveTraffic:
    """Counts the page's autosave requests still on their way (sent, not finished/failed)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.in_flight: set[Request] = set()
        self.finished: list[tuple[str, str]] = []
        page.on("request", self._sent)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def _sent(self, request: Request) -> None:
        if autosave_answer(request) != ("", ""):
            self.in_flight.add(request)

    def _done(self, request: Request) -> None:
        if request in self.in_flight:
            self.in_flight.discard(request)
            self.finished.append(autosave_answer(request))

    def wait_until_idle(self, timeout_s: float = 10.0) -> None:
        """Wait until every autosave the page sent has been answered."""
        deadline = time.monotonic() + timeout_s
        while self.in_flight:
            assert time.monotonic() < deadline, f"autosaves still pending: {self.in_flight}"
            self.page.wait_for_timeout(25)


@dataclass
class StaffJourney:
    """One person's journey on one course page (``framed.page``) framing the tool."""

    framed: FramedLti
    page: Page
    problems: list[str] = field(default_factory=list)
    checked_pages: list[str] = field(default_factory=list)

    # -- where we are

    @property
    def ui(self) -> FrameLocator:
        """The tool iframe, for auto-waiting locators."""
        return tool_frame_locator(self.page)

    @property
    def session(self) -> ChromiumSession:
        return self.framed.chromium

    @property
    def platform(self) -> TestPlatform:
        return self.framed.platform

    def frame(self) -> Frame:
        """The tool's Frame as it is now (for axe and measurements)."""
        return tool_frame(self.page)

    def arrive(self, path: str | re.Pattern[str], heading: str | re.Pattern[str]) -> Frame:
        """Wait until the frame shows the tool page at ``path`` with this h1, fully loaded."""
        expect(self.ui.get_by_role("heading", level=1)).to_have_text(heading)
        frame = self.frame()
        want = path if isinstance(path, re.Pattern) else re.compile(re.escape(path) + r"$")

        def at_path(url: str) -> bool:
            return bool(want.search(urlsplit(url).path))

        frame.wait_for_url(at_path)
        frame.wait_for_load_state("load")
        return frame

    def launch(self, **launch: object) -> Frame:
        """A staff launch from the course page into the iframe (a fresh LTI login)."""
        options = {**STAFF_LAUNCH, **launch}
        return self.framed.launch(page=self.page, timeout_ms=20_000, **options)

    # -- collected checks

    def check_page(self, name: str) -> None:
        """Run axe (serious + critical) on the tool's document; record any violation."""
        frame = self.frame()
        violations = axe_violations(frame)
        self.checked_pages.append(name)
        if SCREENSHOTS:  # for a person to look the journey over: SEMH_SCREENSHOTS=<folder>
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            shot = Path(SCREENSHOTS) / f"{len(self.checked_pages):02d}-{slug}.png"
            # The iframe shows only its own height, so the page is opened on its own to be
            # seen whole (its launch reference is in the URL; GET pages change nothing).
            whole = self.page.context.new_page()
            whole.set_viewport_size(self.page.viewport_size or DESKTOP.as_dict())
            whole.goto(frame.url)
            whole.screenshot(path=shot, full_page=True, animations="disabled")
            whole.close()
        if violations:
            self.problems.append(f"[axe] {name}: {format_violations(violations, frame.url)}")

    def set_viewport(self, viewport: Viewport) -> None:
        """Resize the course page and wait until the tool's document has the new width."""
        self.page.set_viewport_size(viewport.as_dict())
        self.session.viewport = viewport
        frame_width = self.page.locator("#tool_frame").evaluate("el => el.clientWidth")
        self.frame().wait_for_function("(w) => window.innerWidth === w", arg=frame_width)

    def check_reflow(self, name: str) -> None:
        """At 320 px, the tool page must not scroll sideways (WCAG 1.4.10); record if it does."""
        self.set_viewport(PHONE)
        frame = self.frame()
        width, client = horizontal_overflow(frame)
        if width > client + 1:
            wide = frame.evaluate(
                """(limit) => Array.from(document.querySelectorAll('body *'))
                    .filter((el) => el.getBoundingClientRect().right > limit + 1)
                    .slice(0, 8)
                    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                         + (typeof el.className === 'string' && el.className.trim()
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                         + ' (right ' + Math.round(el.getBoundingClientRect().right) + ')')""",
                client,
            )
            self.problems.append(
                f"[reflow 320px] {name} ({frame.url}): scrollWidth {width} > clientWidth "
                f"{client}; past the edge: {', '.join(wide) or '(none found)'}"
            )
        self.set_viewport(DESKTOP)

    def assert_no_problems(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} problem(s) on the journey's pages:\n\n"
            + "\n\n".join(self.problems)
        )

    # -- alignment

    def choose_roles(self, search: str, role_label: str, *, check: bool = False) -> None:
        """On /staff/roles: type a search, tick a role, Continue."""
        self.arrive("/staff/roles", "What do you do?")
        ui = self.ui
        ui.get_by_label("Search roles").press_sequentially(search)
        matches = role_matches(search)
        expect(ui.locator("[data-role-count]")).to_have_text(f"{len(matches)} roles match.")
        expect(ui.locator("[data-role-item]")).to_have_count(len(FRAMEWORK.roles))
        # The count and the hiding happen in the same input handler: the list is final now.
        shown = self.frame().evaluate(
            """() => Array.from(document.querySelectorAll('[data-role-item]'))
                .filter((item) => item.checkVisibility())
                .map((item) => item.querySelector('label').textContent.trim())"""
        )
        if check and shown != matches:
            self.problems.append(
                f"[behaviour] role picker (/staff/roles): searching {search!r} says "
                f"{len(matches)} roles match but shows {len(shown)} checkboxes; roles that "
                f"should be hidden: {sorted(set(shown) - set(matches))[:6]}…"
            )
        box = ui.get_by_role("checkbox", name=role_label, exact=True)
        expect(box).to_be_visible()
        box.check()
        if check:
            self.check_page("role picker (/staff/roles) after a search")
            self.check_reflow("role picker (/staff/roles)")
        ui.get_by_role("button", name="Continue").click()

    def accept_group(self, group_title: str = "Core", *, check: bool = False) -> None:
        """On /staff/group: the suggestion is chosen and explained; start the assessment."""
        self.arrive("/staff/group", f"We suggest the {group_title.lower()} group")
        ui = self.ui
        expect(ui.locator("#why")).not_to_be_empty()
        suggested = ui.get_by_role("radio", name=re.compile(r"— suggested$"))
        expect(suggested).to_have_count(1)
        expect(suggested).to_be_checked()
        expect(suggested).to_have_accessible_name(re.compile(rf"^{group_title}\b"))
        expect(
            ui.get_by_role("checkbox", name=re.compile("statements about children with SEND"))
        ).not_to_be_checked()
        if check:
            self.check_page("suggested group (/staff/group)")
        ui.get_by_role("button", name="Start my self-assessment").click()

    def align_as_caretaker(self, *, check: bool = False) -> None:
        self.choose_roles("care", "Caretaker or site staff", check=check)
        self.accept_group("Core", check=check)

    # -- the self-assessment ----------------------------------------------------------------------

    def progress_text(self) -> Locator:
        return self.ui.locator("[data-progress-text]")

    def save_status(self) -> Locator:
        return self.ui.locator("[data-save-status]")

    def competency(self, competency_id: str) -> Locator:
        return self.ui.locator(f'[data-competency="{competency_id}"]')

    def radio(self, competency_id: str, rating: str) -> Locator:
        return self.competency(competency_id).get_by_role(
            "radio", name=label_of(rating), exact=True
        )

    def autosaved(self, act: Callable[[], None], competency_id: str, **fields: str) -> dict:
        """Do ``act`` and wait for the page's own autosave of that competency to be answered
        (with ``fields`` in its form), then for the page to say so ("Saved.")."""
        with self.page.expect_response(is_autosave(competency_id, **fields)) as answer:
            act()
        response = answer.value
        body = response.json()
        assert response.ok and body.get("saved") is True, (response.status, body)
        expect(self.save_status()).to_have_text(SAVED)
        return body  # type: ignore[no-any-return]

    def rate(self, competency_id: str, rating: str, *, answered: int, total: int) -> None:
        """Click a rating; it autosaves and the progress text counts it."""
        radio = self.radio(competency_id, rating)
        body = self.autosaved(radio.check, competency_id, rating=rating)
        expect(radio).to_be_checked()
        assert (body["answered"], body["total"]) == (answered, total), body
        expect(self.progress_text()).to_have_text(f"{answered} of {total} statements answered")

    def type_and_leave(self, competency_id: str, box: Locator, text: str, field: str) -> None:
        """Type into a text box of a competency: the page saves it after a pause in typing,
        and again when the box loses focus (its change event). Waits for both, so no save
        of this box is still on its way when the next answer is given (staff.js applies
        autosave answers in the order they arrive: see test_a_late_autosave_…)."""
        self.autosaved(lambda: box.fill(text), competency_id, **{field: text})
        self.autosaved(lambda: box.press("Tab"), competency_id, **{field: text})

    def add_evidence(self, competency_id: str, text: str) -> None:
        """The evidence box, shown once "Met through a prior qualification" is chosen."""
        box = self.competency(competency_id).get_by_label(EVIDENCE_LABEL)
        expect(box).to_be_visible()
        self.type_and_leave(competency_id, box, text, "evidence")

    def add_private_note(self, competency_id: str, text: str) -> None:
        """Open "Add a private note" and write one; it autosaves after a pause."""
        here = self.competency(competency_id)
        here.get_by_text("Add a private note").click()
        note = here.get_by_label(NOTE_LABEL)
        expect(note).to_be_visible()
        self.type_and_leave(competency_id, note, text, "note")

    def answer_domain(
        self,
        position: int,
        domain: tuple[str, str, list[Competency]],
        domain_count: int,
        ratings: dict[str, str],
        *,
        answered_before: int,
        total: int,
        evidence: dict[str, str] | None = None,
        notes: dict[str, str] | None = None,
    ) -> int:
        """On one domain page: answer each competency (autosaved); returns the answered count."""
        domain_id, title, comps = domain
        self.arrive(f"/staff/assessment/{domain_id}", title)
        expect(self.ui.get_by_text(f"Part {position} of {domain_count}")).to_be_visible()
        answered = answered_before
        for competency in comps:
            answered += 1
            self.rate(competency.id, ratings[competency.id], answered=answered, total=total)
            if evidence and competency.id in evidence:
                self.add_evidence(competency.id, evidence[competency.id])
            if notes and competency.id in notes:
                self.add_private_note(competency.id, notes[competency.id])
        return answered

    def save_and_continue(self, last: bool) -> None:
        """Leave a domain page: "Save and continue", or on the last "Save and go back"."""
        name = "Save and go back to the list" if last else "Save and continue"
        if last:
            expect(self.ui.get_by_role("button", name="Save and continue")).to_have_count(0)
        self.ui.get_by_role("button", name=name).click()

    def task_status(self, domain_title: str) -> Locator:
        """The status cell of a domain on the overview's task list."""
        link = self.ui.get_by_role("link", name=domain_title, exact=True)
        described = link.get_attribute("aria-describedby")
        return self.ui.locator(f"#{described}")

    def answer_everything(
        self,
        ratings: dict[str, str],
        *,
        evidence: dict[str, str] | None = None,
        notes: dict[str, str] | None = None,
        check_pages: Sequence[int] = (),
        reflow_pages: Sequence[int] = (),
    ) -> None:
        """From the overview ("Start"), every domain page in turn, back to the overview.
        ``check_pages``/``reflow_pages``: 1-based page numbers to run axe / reflow on (after
        answering, so the revealed evidence box and opened note are checked too)."""
        domains = scope_domains()
        total = sum(len(c) for _, _, c in domains)
        self.ui.get_by_role("link", name="Start", exact=True).click()
        answered = 0
        for position, domain in enumerate(domains, start=1):
            answered = self.answer_domain(
                position,
                domain,
                len(domains),
                ratings,
                answered_before=answered,
                total=total,
                evidence=evidence,
                notes=notes,
            )
            if position in check_pages:
                kind = "last domain page" if position == len(domains) else "domain page"
                self.check_page(f"{kind} {position} (/staff/assessment/{domain[0]})")
            if position in reflow_pages:
                self.check_reflow(f"domain page {position} (/staff/assessment/{domain[0]})")
            self.save_and_continue(last=position == len(domains))

    # -- the gradebook

    def wait_for_score(
        self, predicate: Callable[[ScoreRecord], bool], timeout_s: float = 15.0
    ) -> ScoreRecord:
        """Poll the platform until a score POST matching ``predicate`` has arrived."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [s for s in self.platform.scores if predicate(s)]
            if found:
                return found[0]
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"no matching score reached the platform in {timeout_s:.0f} s; "
                    f"scores: {[(s.status, s.body) for s in self.platform.scores]}; "
                    f"service errors: {self.platform.service_errors}"
                )
            self.page.wait_for_timeout(100)
