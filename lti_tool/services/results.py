"""Strengths and gaps from a set of ratings, and the training that closes the gaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from frameworks import Competency, Domain, TrainingItem
from frameworks.vocab import NOT_APPLICABLE
from lti_tool.services.assessment import Scope


@dataclass(frozen=True)
class DomainResult:
    """One domain's competencies sorted into strengths, gaps and the rest."""

    domain: Domain
    strengths: tuple[Competency, ...]
    gaps: tuple[Competency, ...]
    not_applicable: tuple[Competency, ...]
    unanswered: tuple[Competency, ...]

    @property
    def rated(self) -> int:
        """Competencies that count towards the domain's score (not N/A, answered)."""
        return len(self.strengths) + len(self.gaps)

    @property
    def percent_met(self) -> int:
        """Share of counted competencies met, as a whole percentage."""
        return round(100 * len(self.strengths) / self.rated) if self.rated else 0


@dataclass(frozen=True)
class TrainingSuggestion:
    """A training item and the person's gaps it is mapped to."""

    item: TrainingItem
    closes: tuple[Competency, ...]


@dataclass(frozen=True)
class Results:
    """Everything the results page shows."""

    domains: tuple[DomainResult, ...]
    suggestions: tuple[TrainingSuggestion, ...]

    @property
    def gap_count(self) -> int:
        """How many competencies are below the proficient threshold."""
        return sum(len(d.gaps) for d in self.domains)

    @property
    def strength_count(self) -> int:
        """How many competencies are met."""
        return sum(len(d.strengths) for d in self.domains)

    def training_for(self, competency_id: str) -> tuple[TrainingItem, ...]:
        """The suggested training mapped to one gap, best first."""
        return tuple(
            s.item for s in self.suggestions if any(c.id == competency_id for c in s.closes)
        )


def results_for(scope: Scope, ratings: Mapping[str, str]) -> Results:
    """Sort rated competencies per domain and rank the training for the gaps.

    Training that closes the most gaps comes first; among equals, the shortest.
    """
    scale = scope.framework.scale
    domains = []
    for domain, comps in scope.domains:
        domains.append(
            DomainResult(
                domain=domain,
                strengths=tuple(
                    c for c in comps if c.id in ratings and scale.is_proficient(ratings[c.id])
                ),
                gaps=tuple(c for c in comps if c.id in ratings and scale.is_gap(ratings[c.id])),
                not_applicable=tuple(c for c in comps if ratings.get(c.id) == NOT_APPLICABLE),
                unanswered=tuple(c for c in comps if c.id not in ratings),
            )
        )
    gaps = [c for d in domains for c in d.gaps]
    closes: dict[str, list[Competency]] = {}
    for competency in gaps:
        for item in scope.framework.training_for(competency.id):
            closes.setdefault(item.id, []).append(competency)
    suggestions = sorted(
        (
            TrainingSuggestion(scope.framework.training_item(tid), tuple(comps))
            for tid, comps in closes.items()
        ),
        key=lambda s: (-len(s.closes), s.item.duration_minutes, s.item.title),
    )
    return Results(tuple(domains), tuple(suggestions))


def duration_label(minutes: int) -> str:
    """'90 minutes', 'half a day', '2 days' — how people talk about training length."""
    if minutes < 120:
        return f"{minutes} minutes"
    if minutes < 240:
        hours = minutes / 60
        return f"{hours:g} hours"
    if minutes == 240:
        return "half a day"
    days = minutes / 420
    if days <= 1.2:
        return "1 day"
    return f"{round(days * 2) / 2:g} days"
