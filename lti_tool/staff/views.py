"""Staff pages. Each view reads the request, calls the services, commits once, renders."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from typing import Any

from flask import Response, render_template, request

from frameworks import Framework, search_roles
from lti_tool.catalogue import framework_choices
from lti_tool.errors import InvalidInputError
from lti_tool.extensions import db
from lti_tool.models import utcnow
from lti_tool.services import alignment, assessment, plan
from lti_tool.services.export import person_export
from lti_tool.services.history import compare_cycles
from lti_tool.services.results import duration_label, results_for
from lti_tool.staff import bp
from lti_tool.staff.runtime import journal, submit_completion_grade
from lti_tool.staff.visit import Visit, current_visit


def _page(template: str, visit: Visit, **values: Any) -> str:
    return render_template(
        template, visit=visit, lr=visit.reference, duration_label=duration_label, **values
    )


def _need_profile(visit: Visit) -> Any:
    """A redirect to the step the person still has to do, or None when aligned."""
    if visit.framework is None:
        return visit.go("staff.choose_framework")
    if visit.profile is None:
        return visit.go("staff.roles")
    return None


def aligned(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view(visit, …)`` for a person who has aligned; send others to their next step."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        visit = current_visit()
        return _need_profile(visit) or view(visit, *args, **kwargs)

    return wrapper


def with_framework(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view(visit, framework, …)`` once the course has a framework; else choose one."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        visit = current_visit()
        if visit.framework is None:
            return visit.go("staff.choose_framework")
        return view(visit, visit.framework, *args, **kwargs)

    return wrapper


@bp.get("/")
def start() -> Any:
    """Send the person to the next step of their journey."""
    visit = current_visit()
    return _need_profile(visit) or visit.go("staff.overview")


@bp.route("/framework", methods=["GET", "POST"])
def choose_framework() -> Any:
    """First launch in a course without a framework: choose one."""
    visit = current_visit()
    if visit.framework is not None:
        return visit.go("staff.start")
    error = None
    if request.method == "POST":
        chosen = request.form.get("framework", "")
        if visit.record.context_id is None:
            raise InvalidInputError("no context", problem="Open the tool from a course to start.")
        if chosen in dict(framework_choices()):
            alignment.choose_context_framework(db.session, visit.record.context_id, chosen)
            db.session.commit()
            return visit.go("staff.roles")
        error = "Choose the framework that matches where you work."
    return _page("staff/framework.html", visit, frameworks=framework_choices(), error=error)


@bp.route("/roles", methods=["GET", "POST"])
@with_framework
def roles(visit: Visit, framework: Framework) -> Any:
    """Pick the roles you do, searchable; then see the suggested group."""
    query = request.values.get("q", "").strip()[:80]
    chosen = request.values.getlist("role") or (visit.profile.roles if visit.profile else [])
    error = None
    if request.method == "POST" and request.form.get("action") != "search":
        try:
            alignment.suggest(framework, chosen)
        except InvalidInputError as problem:
            error = problem.user_message()
        else:
            return visit.go("staff.group", role=chosen)
    matches = search_roles(framework.roles, query)
    return _page(
        "staff/roles.html",
        visit,
        framework=framework,
        query=query,
        matches=matches,
        chosen=set(chosen),
        error=error,
    )


@bp.route("/group", methods=["GET", "POST"])
@with_framework
def group(visit: Visit, framework: Framework) -> Any:
    """Show the suggested group and why; let the person change it and the SEND overlay."""
    chosen = request.values.getlist("role")
    suggestion = alignment.suggest(framework, chosen)
    send_default = alignment.context_send_enabled(db.session, visit.record.context_id) or bool(
        visit.profile and visit.profile.send_enabled
    )
    if request.method == "POST":
        profile = alignment.save_alignment(
            db.session,
            visit.record.person_id,
            framework,
            chosen,
            request.form.get("group", suggestion.group),
            send_default or request.form.get("send") == "yes",
        )
        cycle = assessment.current_cycle(db.session, profile, framework)
        if cycle.completed_at is None and not cycle.ratings:
            cycle.group, cycle.send_enabled = profile.group, profile.send_enabled
        db.session.commit()
        return visit.go("staff.overview")
    return _page(
        "staff/group.html",
        visit,
        framework=framework,
        chosen=chosen,
        suggestion=suggestion,
        send_forced=alignment.context_send_enabled(db.session, visit.record.context_id),
        send_default=send_default,
        group_label=alignment.group_label,
    )


def _assessment_state(visit: Visit) -> tuple[Any, Any, Any]:
    if visit.framework is None or visit.profile is None:
        raise InvalidInputError("not aligned", problem="Choose your roles first.")
    cycle = assessment.current_cycle(db.session, visit.profile, visit.framework)
    scope = assessment.scope_of_cycle(visit.framework, cycle)
    ratings = assessment.ratings_of(db.session, cycle)
    return cycle, scope, ratings


@bp.get("/assessment")
@aligned
def overview(visit: Visit) -> Any:
    """Where the person is: a task list of domains and their progress."""
    cycle, scope, ratings = _assessment_state(visit)
    db.session.commit()  # the first cycle may just have been started
    return _page(
        "staff/overview.html",
        visit,
        framework=visit.framework,
        cycle=cycle,
        scope=scope,
        ratings=ratings,
        progress=assessment.progress(scope, ratings),
        group_label=alignment.group_label,
    )


def _save_answers(
    visit: Visit, cycle: Any, scope: Any, ratings: Any, competency_ids: list[str]
) -> None:
    """Save every answer in the form, each with its statement when the rating changed."""
    answers = {
        cid: (
            request.form[f"rating-{cid}"],
            request.form.get(f"evidence-{cid}"),
            request.form.get(f"note-{cid}"),
        )
        for cid in competency_ids
        if request.form.get(f"rating-{cid}")
    }
    changed = [
        saved
        for saved in assessment.save_ratings(db.session, cycle, scope, answers, ratings)
        if saved.rating_changed
    ]
    journal().rated(db.session, visit.launch, visit.framework, cycle, changed, utcnow())


@bp.route("/assessment/<domain_id>", methods=["GET", "POST"])
@aligned
def assess_domain(visit: Visit, domain_id: str) -> Any:
    """One page per domain: rate each competency, with optional notes."""
    cycle, scope, ratings = _assessment_state(visit)
    competencies = scope.competencies_of(domain_id)
    if request.method == "POST":
        _save_answers(visit, cycle, scope, ratings, [c.id for c in competencies])
        db.session.commit()
        order = scope.domain_ids()
        following = order[order.index(domain_id) + 1 :] if domain_id in order else ()
        if request.form.get("action") == "next" and following:
            return visit.go("staff.assess_domain", domain_id=following[0])
        return visit.go("staff.overview")
    order = scope.domain_ids()
    position = order.index(domain_id)
    return _page(
        "staff/domain.html",
        visit,
        framework=visit.framework,
        cycle=cycle,
        scope=scope,
        domain=visit.framework.domain(domain_id),
        competencies=competencies,
        ratings=ratings,
        progress=assessment.progress(scope, ratings),
        position=position + 1,
        domain_count=len(order),
        has_next=position + 1 < len(order),
    )


@bp.post("/api/rating")
def autosave() -> Any:
    """Save one answer as it is given (the page's script calls this); answers with JSON."""
    visit = current_visit()
    if visit.framework is None or visit.profile is None:
        raise InvalidInputError("not aligned", problem="Choose your roles first.")
    cycle, scope, ratings = _assessment_state(visit)
    cid = request.form.get("competency", "")
    saved = assessment.save_rating(
        db.session,
        cycle,
        scope,
        cid,
        request.form.get("rating", ""),
        evidence_note=request.form.get("evidence"),
        private_note=request.form.get("note"),
        known=ratings,
    )
    if saved.rating_changed:
        journal().rated(db.session, visit.launch, visit.framework, cycle, [saved], utcnow())
    db.session.commit()
    done = assessment.progress(scope, {*ratings, saved.competency_id})
    return {
        "saved": True,
        "changed": saved.changed,
        "answered": done.answered,
        "total": done.total,
        "percent": done.percent,
    }


@bp.route("/assessment/finish", methods=["GET", "POST"])
@aligned
def finish(visit: Visit) -> Any:
    """Check answers and finish; completing sends the completion to the LRS and gradebook."""
    cycle, scope, ratings = _assessment_state(visit)
    if request.method == "POST":
        if cycle.completed_at is None:
            assessment.complete_cycle(db.session, cycle, scope, visit.record.context_id)
            journal().completed(db.session, visit.launch, visit.framework, cycle)
            submit_completion_grade(db.session, visit, cycle)
        db.session.commit()
        return visit.go("staff.results")
    return _page(
        "staff/finish.html",
        visit,
        framework=visit.framework,
        cycle=cycle,
        scope=scope,
        ratings=ratings,
        progress=assessment.progress(scope, ratings),
    )


@bp.get("/results")
@aligned
def results(visit: Visit) -> Any:
    """Strengths and gaps per domain, and the training for each gap."""
    cycle, scope, ratings = _assessment_state(visit)
    outcome = results_for(scope, {k: r.rating for k, r in ratings.items()})
    planned = {item.training_id for item in plan.plan_of(db.session, visit.profile)}
    return _page(
        "staff/results.html",
        visit,
        framework=visit.framework,
        cycle=cycle,
        results=outcome,
        planned=planned,
        ratings=ratings,
    )


@bp.post("/plan/add")
@aligned
def plan_add(visit: Visit) -> Any:
    """Add a training item to the person's plan."""
    plan.add_to_plan(db.session, visit.profile, visit.framework, request.form.get("training", ""))
    db.session.commit()
    return visit.go("staff.my_plan")


def _plan_page(visit: Visit, errors: dict[int, str], entered: Any = None) -> str:
    profile, framework = visit.profile, visit.framework
    scope = assessment.scope_for(framework, profile.group, profile.send_enabled)
    return _page(
        "staff/plan.html",
        visit,
        framework=framework,
        items=plan.plan_of(db.session, profile),
        in_scope=set(scope.competency_ids),
        today=plan.local_today(),
        errors=errors,
        entered=entered,
    )


@bp.get("/plan")
@aligned
def my_plan(visit: Visit) -> Any:
    """The person's plan: what they chose, and what they completed."""
    return _plan_page(visit, errors={})


@bp.post("/plan/<int:item_id>/complete")
@aligned
def plan_complete(visit: Visit, item_id: int) -> Any:
    """Record that a training item was completed."""
    try:
        completed_on = plan.parse_completion_date(
            request.form.get("day", ""),
            request.form.get("month", ""),
            request.form.get("year", ""),
            plan.local_today(),
        )
        item, changed = plan.record_completion(
            db.session, visit.profile, item_id, completed_on, request.form.get("evidence")
        )
    except InvalidInputError as problem:
        db.session.rollback()
        return _plan_page(visit, {item_id: problem.user_message()}, request.form), 400
    if changed:
        journal().training_completed(
            db.session, visit.launch, visit.framework, item, visit.profile.group, utcnow()
        )
    db.session.commit()
    return visit.go("staff.my_plan")


@bp.post("/plan/<int:item_id>/remove")
@aligned
def plan_remove(visit: Visit, item_id: int) -> Any:
    """Take a training item off the plan."""
    plan.remove_from_plan(db.session, visit.profile, item_id)
    db.session.commit()
    return visit.go("staff.my_plan")


@bp.get("/plan.csv")
@aligned
def plan_csv(visit: Visit) -> Any:
    """Download the plan as a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Training",
            "Provider",
            "Format",
            "Length",
            "Link",
            "Added",
            "Completed on",
            "Evidence note",
        ]
    )
    for item in plan.plan_of(db.session, visit.profile):
        training = visit.framework.training_item(item.training_id)
        writer.writerow(
            [
                training.title,
                training.provider,
                training.format,
                duration_label(training.duration_minutes),
                training.url or "",
                item.added_at.date().isoformat(),
                item.completed_on.isoformat() if item.completed_on else "",
                item.evidence_note,
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="my-training-plan.csv"'},
    )


@bp.post("/cycles/new")
@aligned
def new_cycle(visit: Visit) -> Any:
    """Start a new self-assessment cycle."""
    latest = assessment.current_cycle(db.session, visit.profile, visit.framework)
    if latest.completed_at is None:
        raise InvalidInputError(
            "cycle open", problem="Finish your current self-assessment before starting a new one."
        )
    assessment.start_cycle(
        db.session, visit.profile, visit.framework, request.form.get("label", "")
    )
    db.session.commit()
    return visit.go("staff.overview")


@bp.get("/history")
@aligned
def history(visit: Visit) -> Any:
    """How ratings changed between cycles, per competency and per domain."""
    comparison = compare_cycles(db.session, visit.profile, visit.framework)
    return _page("staff/history.html", visit, framework=visit.framework, history=comparison)


@bp.get("/my-data.json")
def my_data() -> Any:
    """Everything the tool holds about the person, as JSON."""
    visit = current_visit()
    body = json.dumps(person_export(db.session, visit.record.person_id), indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-semh-data.json"'},
    )
