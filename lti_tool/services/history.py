"""How a person's ratings changed between self-assessment cycles."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from frameworks import Competency, Domain, Framework
from lti_tool.models import AssessmentCycle, Rating, StaffProfile


@dataclass(frozen=True)
class CompetencyHistory:
    """One competency's rating in each cycle (None where it was not rated)."""

    competency: Competency
    ratings: tuple[str | None, ...]

    def trend(self, framework: Framework) -> str:
        """'up', 'down', 'same' or '' comparing the last two rated cycles."""
        rated = [r for r in self.ratings if r is not None]
        levels = [r for r in rated[-2:] if r in framework.scale.level_ids]
        if len(rated) < 2 or len(levels) < 2:
            return ""
        before, after = (framework.scale.rank(r) for r in levels)
        return "up" if after > before else "down" if after < before else "same"


@dataclass(frozen=True)
class DomainHistory:
    """A domain's share of competencies met in each cycle."""

    domain: Domain
    percent_met: tuple[int | None, ...]
    competencies: tuple[CompetencyHistory, ...]


@dataclass(frozen=True)
class History:
    """Every cycle, and per-domain and per-competency changes across them."""

    cycles: tuple[AssessmentCycle, ...]
    domains: tuple[DomainHistory, ...]


def compare_cycles(session: Session, profile: StaffProfile, framework: Framework) -> History:
    """Line up ratings across all of the person's cycles in this framework."""
    cycles = tuple(
        session.scalars(
            sa.select(AssessmentCycle)
            .where(AssessmentCycle.profile_id == profile.id)
            .order_by(AssessmentCycle.number)
        )
    )
    by_cycle: dict[int, dict[str, str]] = {c.id: {} for c in cycles}
    if cycles:
        rows = session.execute(
            sa.select(Rating.cycle_id, Rating.competency_id, Rating.rating).where(
                Rating.cycle_id.in_(by_cycle)
            )
        )
        for cycle_id, competency_id, rating in rows:
            by_cycle[cycle_id][competency_id] = rating
    rated_ids = {cid for ratings in by_cycle.values() for cid in ratings}
    domains = []
    for domain in framework.domains:
        comps = tuple(
            CompetencyHistory(c, tuple(by_cycle[cy.id].get(c.id) for cy in cycles))
            for c in domain.competencies
            if c.id in rated_ids
        )
        if not comps:
            continue
        percents: list[int | None] = []
        for index in range(len(cycles)):
            counted = [h.ratings[index] for h in comps if h.ratings[index] is not None]
            counted = [
                r for r in counted if framework.scale.is_proficient(r) or framework.scale.is_gap(r)
            ]
            met = sum(1 for r in counted if framework.scale.is_proficient(r))
            percents.append(round(100 * met / len(counted)) if counted else None)
        domains.append(DomainHistory(domain, tuple(percents), comps))
    return History(cycles, tuple(domains))
