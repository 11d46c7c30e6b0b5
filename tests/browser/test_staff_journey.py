"""The staff self-assessment journey in headless Chromium, as a member of staff takes it: a
Learner launch from the course page into a cross-site iframe over HTTPS, third-party cookies
blocked, every step a click or a key press inside the frame, axe-core (serious + critical) on
every distinct page and no sideways scrolling at 320 px on the busiest ones."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.browser import ChromiumSession
from tests.support.browser.fixtures import FramedLti
from tests.support.browser.journey import (
    EVIDENCE_LABEL,
    FRAMEWORK,
    NOT_APPLICABLE,
    NOTE_LABEL,
    PRIOR_QUALIFICATION,
    SAVED,
    AutosaveTraffic,
    StaffJourney,
    autosave_answer,
    label_of,
    scope_domains,
)
from tests.support.platform import SAM_STUDENT

pytestmark = pytest.mark.browser

DOMAINS = scope_domains("core")
CORE = [c for _, _, comps in DOMAINS for c in comps]
TOTAL = len(CORE)

# Cycle 1: varied on purpose. Cycle 2 differs, so History has ups, downs and sames.
FIRST_PATTERN = (
    "not-yet",
    "confident",
    PRIOR_QUALIFICATION,
    "not-yet",
    "some-awareness",
    "could-support-others",
    NOT_APPLICABLE,
    "confident",
    "not-yet",
    "confident",
    "some-awareness",
    "confident",
)
SECOND_PATTERN = (
    "confident",
    "confident",
    PRIOR_QUALIFICATION,
    "some-awareness",
    "some-awareness",
    "confident",
    NOT_APPLICABLE,
    "could-support-others",
    "confident",
    "confident",
    "confident",
    "not-yet",
)
FIRST = {c.id: FIRST_PATTERN[i % len(FIRST_PATTERN)] for i, c in enumerate(CORE)}
SECOND = {c.id: SECOND_PATTERN[i % len(SECOND_PATTERN)] for i, c in enumerate(CORE)}
# The one "Met through a prior qualification" gets its evidence; the first gap gets a note.
EVIDENCE = {
    cid: "Level 3 Diploma in Children's Mental Health"
    for cid, rating in FIRST.items()
    if rating == PRIOR_QUALIFICATION
}
NOTES = {
    next(c.id for c in CORE[1:] if FIRST[c.id] == "not-yet"): (
        "Ask the SENCO about the nurture group induction."
    )
}
SECOND_LABEL = "Spring 2027"

LEVELS = FRAMEWORK.scale.level_ids
UK = ZoneInfo("Europe/London")


def _met(rating: str) -> bool:
    return FRAMEWORK.scale.is_proficient(rating)


def _gap(rating: str) -> bool:
    return FRAMEWORK.scale.is_gap(rating)


def _expected_training(ratings: dict[str, str]) -> list[str]:
    """Training titles for the gaps, most gaps covered first, then shortest, then title."""
    closes: dict[str, int] = {}
    for cid, rating in ratings.items():
        if _gap(rating):
            for item in FRAMEWORK.training_for(cid):
                closes[item.id] = closes.get(item.id, 0) + 1
    items = [FRAMEWORK.training_item(t) for t in closes]
    items.sort(key=lambda t: (-closes[t.id], t.duration_minutes, t.title))
    return [t.title for t in items]


def _named(action: str, thing: str) -> re.Pattern[str]:
    """A control's accessible name "Action: thing" (the ": thing" part is visually hidden,
    which Chromium's name computation may set off with a space)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(thing)}$")


def _trend(before: str, after: str) -> str:
    if before not in LEVELS or after not in LEVELS:
        return ""
    rank = FRAMEWORK.scale.rank
    return "Up" if rank(after) > rank(before) else "Down" if rank(after) < rank(before) else "Same"


@pytest.fixture
def journey(framed_lti: FramedLti) -> StaffJourney:
    return StaffJourney(framed_lti, framed_lti.page)


def test_whole_staff_journey_in_an_iframe(journey: StaffJourney, tmp_path: Path) -> None:
    """Roles → group → every domain → finish → results → plan → completion → a second cycle →
    history, with axe on every distinct page and 320 px reflow on the busiest; the completion
    grade reaches the platform. Page findings are collected and reported together at the end."""
    ui = journey.ui
    assert journey.session.third_party_cookies == "blocked"
    journey.launch()

    # -- roles and group
    journey.align_as_caretaker(check=True)

    # -- overview: nothing answered yet
    journey.arrive("/staff/assessment", "Self-assessment 1")
    expect(ui.get_by_text("You are assessing yourself against the core group")).to_be_visible()
    expect(journey.progress_text()).to_have_text(f"0 of {TOTAL} statements answered")
    expect(
        ui.get_by_role("listitem").filter(has=ui.locator(".govuk-task-list__link"))
    ).to_have_count(len(DOMAINS))
    for _, title, _ in DOMAINS:
        expect(journey.task_status(title)).to_have_text("Not started")
    journey.check_page("overview, not started (/staff/assessment)")

    # -- every domain page
    journey.answer_everything(
        FIRST,
        evidence=EVIDENCE,
        notes=NOTES,
        check_pages=range(1, len(DOMAINS) + 1),
        reflow_pages=(1,),
    )

    # -- overview: all done
    journey.arrive("/staff/assessment", "Self-assessment 1")
    expect(journey.progress_text()).to_have_text(f"{TOTAL} of {TOTAL} statements answered")
    for _, title, _ in DOMAINS:
        expect(journey.task_status(title)).to_have_text("Done")
    journey.check_page("overview, all answered (/staff/assessment)")
    ui.get_by_role("link", name="Check and finish").click()

    # -- check and finish
    journey.arrive("/staff/assessment/finish", "Check your answers")
    for _, title, _ in DOMAINS:
        expect(ui.get_by_role("heading", level=2, name=title, exact=True)).to_be_visible()
    answers = ui.locator(".govuk-summary-list__value")
    expect(answers).to_have_text([label_of(FIRST[c.id]) for c in CORE])
    expect(ui.get_by_text("Not answered")).to_have_count(0)
    journey.check_page("check and finish (/staff/assessment/finish)")
    ui.get_by_role("button", name="Finish my self-assessment").click()

    # -- results
    journey.arrive("/staff/results", "Your strengths and gaps")
    met = sum(_met(r) for r in FIRST.values())
    gaps = sum(_gap(r) for r in FIRST.values())
    assert gaps > 0 and met > 0
    expect(ui.get_by_text(f"{met} statements met and {gaps} to work on")).to_be_visible()
    expect(ui.get_by_text("Your self-assessment is not finished yet")).to_have_count(0)
    chart = ui.get_by_role("table", name="Statements met in each area")
    for _, title, comps in DOMAINS:
        rated = [FIRST[c.id] for c in comps if FIRST[c.id] != NOT_APPLICABLE]
        row = chart.get_by_role("row").filter(has=ui.get_by_role("rowheader", name=title))
        expect(row.get_by_role("cell").first).to_contain_text(
            f"{sum(_met(r) for r in rated)} of {len(rated)}"
        )
    training = _expected_training(FIRST)
    assert training
    expect(ui.get_by_role("heading", level=2, name="Training for your gaps")).to_be_visible()
    add_buttons = ui.get_by_role("button", name=re.compile(r"^Add to my plan\b"))
    expect(add_buttons).to_have_count(len(training))
    for index, title in enumerate(training):
        expect(add_buttons.nth(index)).to_have_accessible_name(_named("Add to my plan", title))
    expect(ui.locator(".app-training h3")).to_have_text(
        [re.compile("^" + re.escape(t)) for t in training]
    )
    journey.check_page("results (/staff/results)")
    journey.check_reflow("results (/staff/results)")
    chosen = training[0]
    ui.get_by_role("button", name=_named("Add to my plan", chosen)).click()

    # -- plan
    journey.arrive("/staff/plan", "My training plan")
    item = ui.locator(".app-training").filter(has=ui.get_by_role("heading", name=chosen))
    expect(item.get_by_role("heading", level=2)).to_contain_text("Planned")
    journey.check_page("plan, one planned item (/staff/plan)")
    item.get_by_text("I have completed this").click()
    done_on = datetime.now(UK).date() - timedelta(days=10)
    item.get_by_label("Day").fill(str(done_on.day))
    item.get_by_label("Month").fill(str(done_on.month))
    item.get_by_label("Year").fill(str(done_on.year))
    item.get_by_label("Evidence or note (optional)").fill("Certificate 12345")
    journey.check_page("plan, completion form open (/staff/plan)")
    journey.check_reflow("plan, completion form open (/staff/plan)")
    item.get_by_role("button", name="Save completion").click()
    completed_tag = f"Completed {done_on.day} {done_on:%B %Y}"
    expect(item.get_by_role("heading", level=2)).to_contain_text(completed_tag)
    journey.arrive("/staff/plan", "My training plan")
    expect(item.get_by_text("Note: Certificate 12345")).to_be_visible()
    expect(item.get_by_text("Change the completion")).to_be_visible()
    journey.check_page("plan, item completed (/staff/plan)")
    journey.check_reflow("plan, item completed (/staff/plan)")
    # Print: the button calls the browser's print (stubbed here: headless has no dialog).
    journey.frame().evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    ui.get_by_role("button", name="Print my plan").click()
    assert journey.frame().evaluate("() => window.__printed") == 1
    # The CSV download from inside the frame.
    with journey.page.expect_download() as download_info:
        ui.get_by_role("link", name="Download my plan (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "my-training-plan.csv"
    saved_csv = tmp_path / "plan.csv"
    download.save_as(saved_csv)
    rows = list(csv.DictReader(saved_csv.open(encoding="utf-8")))
    assert [(r["Training"], r["Completed on"], r["Evidence note"]) for r in rows] == [
        (chosen, done_on.isoformat(), "Certificate 12345")
    ]

    # -- the grade reached the platform
    score = journey.wait_for_score(lambda s: s.body.get("scoreGiven") == 1)
    assert score.status < 300, score
    assert score.body["activityProgress"] == "Completed"
    assert score.body["gradingProgress"] == "FullyGraded"
    assert score.body["userId"] == SAM_STUDENT.sub

    # -- a new cycle
    ui.get_by_role("link", name="My self-assessment").click()
    journey.arrive("/staff/assessment", "Self-assessment 1")
    expect(ui.get_by_role("heading", level=2, name="Completed")).to_be_visible()
    journey.check_page("overview, completed, new-cycle form (/staff/assessment)")
    ui.get_by_label("Name for the new self-assessment (optional)").fill(SECOND_LABEL)
    ui.get_by_role("button", name="Start a new self-assessment").click()
    journey.arrive("/staff/assessment", SECOND_LABEL)
    expect(journey.progress_text()).to_have_text(f"0 of {TOTAL} statements answered")
    journey.answer_everything(SECOND)
    journey.arrive("/staff/assessment", SECOND_LABEL)
    expect(journey.progress_text()).to_have_text(f"{TOTAL} of {TOTAL} statements answered")

    # -- history
    ui.get_by_role("link", name="History").click()
    journey.arrive("/staff/history", "How your answers have changed")
    for _, title, comps in DOMAINS:
        region = ui.get_by_role("region", name=title, exact=True)
        expect(region.get_by_role("columnheader")).to_have_text(
            ["Statement", "Self-assessment 1", SECOND_LABEL, "Change"]
        )
        for competency in comps:
            before, after = FIRST[competency.id], SECOND[competency.id]
            row = region.get_by_role("row").filter(
                has=ui.get_by_role("rowheader", name=competency.statement, exact=True)
            )
            expect(row.get_by_role("cell")).to_have_text(
                [label_of(before), label_of(after), _trend(before, after)]
            )
    trends = {_trend(FIRST[c.id], SECOND[c.id]) for c in CORE}
    assert {"Up", "Down", "Same"} <= trends
    expect(ui.get_by_role("cell", name="Up", exact=True).first).to_be_visible()
    journey.check_page("history (/staff/history)")
    journey.check_reflow("history (/staff/history)")

    journey.assert_no_problems()


def test_closing_mid_assessment_loses_nothing(
    journey: StaffJourney, chromium_factory: Callable[..., ChromiumSession]
) -> None:
    """Answers autosaved on the first domain page survive closing the browser without any
    Save button: a new browser and a new launch show them, and the journey finishes from
    there."""
    journey.launch()
    journey.align_as_caretaker()
    journey.arrive("/staff/assessment", "Self-assessment 1")
    journey.ui.get_by_role("link", name="Start", exact=True).click()
    domain_id, title, comps = DOMAINS[0]
    assert len(comps) >= 2
    first, second = comps[0], comps[1]
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    journey.rate(first.id, "some-awareness", answered=1, total=TOTAL)
    journey.add_private_note(first.id, "Read the wellbeing policy again.")
    journey.rate(second.id, PRIOR_QUALIFICATION, answered=2, total=TOTAL)
    journey.add_evidence(second.id, "PGCE with mental health module")
    expect(journey.save_status()).to_have_text(SAVED)

    # Close the browser without pressing any Save button; come back in a new one.
    journey.session.context.close()
    framed = FramedLti(journey.platform, journey.framed.tool, chromium_factory())
    again = StaffJourney(framed, framed.page)
    again.launch()
    ui = again.ui
    again.arrive("/staff/assessment", "Self-assessment 1")
    expect(again.progress_text()).to_have_text(f"2 of {TOTAL} statements answered")
    expect(again.task_status(title)).to_have_text(
        "Done" if len(comps) == 2 else f"2 of {len(comps)}"
    )
    for _, other, _ in DOMAINS[1:]:
        expect(again.task_status(other)).to_have_text("Not started")
    ui.get_by_role("link", name="Carry on").click()
    # "Carry on" goes to the first domain with something left to answer.
    next_id, next_title, _ = DOMAINS[1] if len(comps) == 2 else DOMAINS[0]
    again.arrive(f"/staff/assessment/{next_id}", next_title)
    ui.get_by_role("link", name="Back to my self-assessment").click()
    again.arrive("/staff/assessment", "Self-assessment 1")
    ui.get_by_role("link", name=title, exact=True).click()
    again.arrive(f"/staff/assessment/{domain_id}", title)
    expect(again.radio(first.id, "some-awareness")).to_be_checked()
    expect(again.radio(second.id, PRIOR_QUALIFICATION)).to_be_checked()
    expect(again.competency(second.id).get_by_label(EVIDENCE_LABEL)).to_have_value(
        "PGCE with mental health module"
    )
    here = again.competency(first.id)
    expect(here.get_by_text("Add a private note (you have one)")).to_be_visible()
    here.get_by_text("Add a private note").click()
    expect(here.get_by_label(NOTE_LABEL)).to_have_value("Read the wellbeing policy again.")

    # Then carry on to the end and finish.
    answered = 2
    for position, domain in enumerate(DOMAINS, start=1):
        if position > 1:
            again.arrive(f"/staff/assessment/{domain[0]}", domain[1])
        for competency in domain[2]:
            if competency.id in (first.id, second.id):
                continue
            answered += 1
            again.rate(competency.id, "confident", answered=answered, total=TOTAL)
        again.save_and_continue(last=position == len(DOMAINS))
    again.arrive("/staff/assessment", "Self-assessment 1")
    expect(again.progress_text()).to_have_text(f"{TOTAL} of {TOTAL} statements answered")
    ui.get_by_role("link", name="Check and finish").click()
    again.arrive("/staff/assessment/finish", "Check your answers")
    ui.get_by_role("button", name="Finish my self-assessment").click()
    again.arrive("/staff/results", "Your strengths and gaps")
    expect(ui.get_by_text(f"{TOTAL - 1} statements met and 1 to work on")).to_be_visible()
    again.wait_for_score(lambda s: s.body.get("scoreGiven") == 1)


def test_keyboard_only_rating(journey: StaffJourney) -> None:
    """On a domain page, Tab/Enter/Space/arrow keys alone reach, choose and change a rating
    and write a private note, each autosaved ("Saved.")."""
    journey.launch()
    journey.align_as_caretaker()
    journey.arrive("/staff/assessment", "Self-assessment 1")
    ui = journey.ui
    keyboard = journey.page.keyboard
    start = ui.get_by_role("link", name="Start", exact=True)
    start.focus()
    keyboard.press("Enter")
    domain_id, title, comps = DOMAINS[0]
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    first = comps[0]

    # From the top of the page: the skip link, then straight to the first statement's answers.
    keyboard.press("Tab")
    skip = ui.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    keyboard.press("Enter")
    keyboard.press("Tab")
    lowest = journey.radio(first.id, FRAMEWORK.scale.levels[0].id)
    expect(lowest).to_be_focused()
    journey.autosaved(lambda: keyboard.press("Space"), first.id, rating=LEVELS[0])
    expect(lowest).to_be_checked()
    expect(journey.progress_text()).to_have_text(f"1 of {TOTAL} statements answered")

    # Arrow keys move the choice along the scale, and each move autosaves.
    following = journey.radio(first.id, LEVELS[1])
    journey.autosaved(lambda: keyboard.press("ArrowDown"), first.id, rating=LEVELS[1])
    expect(following).to_be_focused()
    expect(following).to_be_checked()
    expect(lowest).not_to_be_checked()
    expect(journey.progress_text()).to_have_text(f"1 of {TOTAL} statements answered")

    # Tab leaves the group for the private note (the evidence box waits for "Met through a
    # prior qualification"): Enter opens it, typing autosaves it.
    expect(journey.competency(first.id).get_by_label(EVIDENCE_LABEL)).to_be_hidden()
    keyboard.press("Tab")
    summary = journey.competency(first.id).locator("summary")
    expect(summary).to_be_focused()
    keyboard.press("Enter")
    keyboard.press("Tab")
    note = journey.competency(first.id).get_by_label(NOTE_LABEL)
    expect(note).to_be_focused()
    journey.autosaved(
        lambda: keyboard.type("Typed by keyboard."), first.id, note="Typed by keyboard."
    )

    # Tab reaches the next statement (leaving the note saves it once more); Space answers it.
    journey.autosaved(lambda: keyboard.press("Tab"), first.id, note="Typed by keyboard.")
    nxt = comps[1] if len(comps) > 1 else DOMAINS[1][2][0]
    second_lowest = journey.radio(nxt.id, LEVELS[0])
    expect(second_lowest).to_be_focused()
    journey.autosaved(lambda: keyboard.press("Space"), nxt.id, rating=LEVELS[0])
    expect(journey.progress_text()).to_have_text(f"2 of {TOTAL} statements answered")

    # A fresh load of the page shows what the keys chose.
    journey.frame().goto(journey.frame().url)
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    expect(journey.radio(first.id, LEVELS[1])).to_be_checked()
    expect(journey.radio(nxt.id, LEVELS[0])).to_be_checked()
    expect(journey.competency(first.id).get_by_label(NOTE_LABEL)).to_have_value(
        "Typed by keyboard."
    )


def test_a_late_autosave_does_not_undo_a_newer_answer(journey: StaffJourney) -> None:
    """On a slow connection autosaves can overtake each other. The progress text must not go
    back to an older count, and the answer the person gave last must be the one kept.

    Deterministic with ``page.route``: an older autosave (its reply, then its request) is held
    in the browser while the person gives a newer answer, and let go after that one has been
    answered. A page that instead waits for the older save before sending the newer one is
    also right: then the newer one is let go after a short wait, in its turn."""
    journey.launch()
    journey.align_as_caretaker()
    journey.arrive("/staff/assessment", "Self-assessment 1")
    journey.ui.get_by_role("link", name="Start", exact=True).click()
    domain_id, title, comps = DOMAINS[0]
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    first, second = comps[0], comps[1]
    page, status = journey.page, journey.save_status()
    traffic = AutosaveTraffic(page)
    late_reply = (first.id, "not-yet")  # the tool saves it at once; its reply comes late
    late_request = (first.id, "some-awareness")  # reaches the tool after a newer answer
    held: dict[tuple[str, str], Callable[[], None]] = {}

    def hold(route: Route) -> None:
        answer = autosave_answer(route.request)
        if answer == late_reply and answer not in held:
            reply = route.fetch()
            held[answer] = lambda: route.fulfill(response=reply)
        elif answer == late_request and answer not in held:
            held[answer] = route.continue_
        else:
            route.continue_()

    def overtake(act: Callable[[], None], newer: tuple[str, str], older: tuple[str, str]) -> None:
        """``act`` gives the newer answer while the older save is held; then let it go."""
        try:
            with page.expect_event(
                "requestfinished", lambda r: autosave_answer(r) == newer, timeout=3_000
            ):
                act()
        except PlaywrightTimeoutError:
            pass  # the page holds the newer save back until the older is answered: fine
        status.evaluate("(el) => { el.textContent = ''; }")
        held[older]()
        traffic.wait_until_idle()
        with suppress(PlaywrightTimeoutError):  # the page has handled the last reply
            expect(status).not_to_be_empty(timeout=2_000)

    page.route("**/staff/api/rating", hold)

    # 1. Two statements; the first one's reply (1 answered) arrives after the second's (2).
    journey.radio(first.id, "not-yet").check()
    expect(status).to_have_text("Saving…")
    overtake(
        lambda: journey.radio(second.id, "confident").check(), (second.id, "confident"), late_reply
    )
    shown = journey.progress_text().inner_text()
    if shown != f"2 of {TOTAL} statements answered":
        journey.problems.append(
            f"[behaviour] domain page (/staff/assessment/{domain_id}): two statements are "
            f"answered, but after an older autosave reply arrived last the page says "
            f"{shown!r} (staff.js shows the count of whichever reply arrives last)"
        )

    # 2. One statement: "Some awareness", then "Confident"; the older request arrives last.
    journey.radio(first.id, "some-awareness").check()
    expect(status).to_have_text("Saving…")
    overtake(
        lambda: journey.radio(first.id, "confident").check(), (first.id, "confident"), late_request
    )
    expect(journey.radio(first.id, "confident")).to_be_checked()
    frame = journey.frame()
    frame.goto(frame.url)
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    kept = journey.competency(first.id).locator("input[type=radio]:checked")
    expect(kept).to_have_count(1)
    if kept.get_attribute("value") != "confident":
        journey.problems.append(
            f"[behaviour] domain page (/staff/assessment/{domain_id}): the person chose "
            f"'Confident' last (the page shows it and says {SAVED!r}), but the older "
            f"'Some awareness' autosave reached the tool later and the tool kept "
            f"{kept.get_attribute('value')!r} (a reload shows it)"
        )
    journey.assert_no_problems()


def test_the_evidence_box_shows_only_for_a_prior_qualification(journey: StaffJourney) -> None:
    """The evidence box appears when "Met through a prior qualification" is chosen, goes when
    another answer is, and is there on a fresh load for a stored prior qualification."""
    journey.launch()
    journey.align_as_caretaker()
    journey.arrive("/staff/assessment", "Self-assessment 1")
    domain_id, title, comps = DOMAINS[0]
    journey.ui.get_by_role("link", name="Start", exact=True).click()
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    first = comps[0]
    evidence = journey.competency(first.id).get_by_label(EVIDENCE_LABEL)
    expect(evidence).to_be_hidden()
    journey.autosaved(lambda: journey.radio(first.id, PRIOR_QUALIFICATION).check(), first.id)
    expect(evidence).to_be_visible()
    journey.autosaved(lambda: journey.radio(first.id, LEVELS[0]).check(), first.id)
    expect(evidence).to_be_hidden()
    journey.autosaved(lambda: journey.radio(first.id, PRIOR_QUALIFICATION).check(), first.id)
    journey.add_evidence(first.id, "Level 3 award in mental health first aid")

    journey.frame().goto(journey.frame().url)
    journey.arrive(f"/staff/assessment/{domain_id}", title)
    expect(evidence).to_be_visible()
    expect(evidence).to_have_value("Level 3 award in mental health first aid")
    expect(journey.competency(comps[1].id).get_by_label(EVIDENCE_LABEL)).to_be_hidden()
