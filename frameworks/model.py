"""The framework model: immutable once loaded, with the queries the app needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from frameworks.vocab import GROUPS, NOT_APPLICABLE, PRIOR_QUALIFICATION


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    descriptor: str


@dataclass(frozen=True)
class SpecialRating:
    """A rating beside the ordered levels: "not applicable" or "met through prior qualification"."""

    label: str
    descriptor: str


@dataclass(frozen=True)
class Scale:
    levels: tuple[Level, ...]
    proficient: str
    not_applicable: SpecialRating
    prior_qualification: SpecialRating

    @cached_property
    def _rank(self) -> dict[str, int]:
        return {level.id: i for i, level in enumerate(self.levels)}

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @property
    def rating_ids(self) -> tuple[str, ...]:
        """Every value a rating can take: the levels, then the two special ratings."""
        return (*self.level_ids, NOT_APPLICABLE, PRIOR_QUALIFICATION)

    def level(self, level_id: str) -> Level:
        return self.levels[self.rank(level_id)]

    def rank(self, level_id: str) -> int:
        """Position of a level, 0 for the lowest; KeyError for anything else."""
        try:
            return self._rank[level_id]
        except KeyError:
            raise KeyError(
                f"unknown level {level_id!r}; expected one of {self.level_ids}"
            ) from None

    def is_proficient(self, rating: str) -> bool:
        """True when a rating counts as met: the threshold level or above, or a prior qualification.

        "Not applicable" is neither met nor a gap, so it is False here and in `is_gap`.
        """
        if rating == PRIOR_QUALIFICATION:
            return True
        if rating == NOT_APPLICABLE:
            return False
        return self.rank(rating) >= self.rank(self.proficient)

    def is_gap(self, rating: str) -> bool:
        """True when a rating is below the threshold, so training should be suggested."""
        if rating in (NOT_APPLICABLE, PRIOR_QUALIFICATION):
            return False
        return not self.is_proficient(rating)

    def label_of(self, rating: str) -> str:
        if rating == NOT_APPLICABLE:
            return self.not_applicable.label
        if rating == PRIOR_QUALIFICATION:
            return self.prior_qualification.label
        return self.level(rating).label


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    description: str
    example_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    group: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    id: str
    statement: str
    indicators: tuple[str, ...]
    group: str
    training: tuple[str, ...]
    send: bool = False

    def applies_to(self, group: str) -> bool:
        """Groups are cumulative: a core competency applies to enhanced and targeted too."""
        return group_rank(self.group) <= group_rank(group)


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    description: str
    principles: tuple[str, ...]
    thrive: tuple[str, ...]
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class TrainingItem:
    id: str
    title: str
    provider: str
    reach: str
    format: str
    duration_minutes: int
    cost: str
    thrive: str
    last_checked: date
    url: str | None = None
    clinical_review: date | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    iri: str
    title: str
    phase: str
    version: str
    publisher: str
    licence: str
    review_date: date
    description: str
    scale: Scale
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    domains: tuple[Domain, ...]
    training: tuple[TrainingItem, ...]
    _index: _Index = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index.build(self))

    # Competencies -------------------------------------------------------------------------

    @property
    def competencies(self) -> tuple[Competency, ...]:
        """Every competency, in file order."""
        return self._index.competencies

    def competency(self, competency_id: str) -> Competency:
        try:
            return self._index.competency[competency_id]
        except KeyError:
            raise KeyError(f"no competency {competency_id!r} in {self.id}") from None

    def competencies_for(self, group: str, include_send: bool = False) -> tuple[Competency, ...]:
        """The competencies a person in `group` rates: their group's and every lower group's.

        SEND competencies are left out unless `include_send` is set.
        """
        rank = group_rank(group)
        return tuple(
            c
            for c in self.competencies
            if group_rank(c.group) <= rank and (include_send or not c.send)
        )

    def competency_iri(self, competency_id: str) -> str:
        self.competency(competency_id)
        return f"{self.iri}/competencies/{competency_id}"

    def domain_of(self, competency_id: str) -> Domain:
        self.competency(competency_id)
        return self._index.domain_of[competency_id]

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(f"no domain {domain_id!r} in {self.id}")

    # Training -----------------------------------------------------------------------------

    def training_item(self, training_id: str) -> TrainingItem:
        try:
            return self._index.training[training_id]
        except KeyError:
            raise KeyError(f"no training item {training_id!r} in {self.id}") from None

    def training_for(self, competency_id: str) -> tuple[TrainingItem, ...]:
        return tuple(self.training_item(t) for t in self.competency(competency_id).training)

    def competencies_for_training(self, training_id: str) -> tuple[Competency, ...]:
        self.training_item(training_id)
        return tuple(c for c in self.competencies if training_id in c.training)

    # Scale and groups ---------------------------------------------------------------------

    def is_proficient(self, rating: str) -> bool:
        return self.scale.is_proficient(rating)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(f"no group {group_id!r}; expected one of {GROUPS}")

    # Roles --------------------------------------------------------------------------------

    def role(self, role_id: str) -> Role:
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(f"no role {role_id!r} in {self.id}")

    def role_mapping(self) -> dict[str, str]:
        """The framework's default role id -> group id mapping."""
        return {r.id: r.group for r in self.roles}


def group_rank(group: str) -> int:
    """0 for core, 1 for enhanced, 2 for targeted; ValueError for anything else."""
    try:
        return GROUPS.index(group)
    except ValueError:
        raise ValueError(f"unknown group {group!r}; expected one of {', '.join(GROUPS)}") from None


def groups_up_to(group: str) -> tuple[str, ...]:
    """The groups a person in `group` covers, lowest first (groups are cumulative)."""
    return GROUPS[: group_rank(group) + 1]


@dataclass(frozen=True)
class _Index:
    competencies: tuple[Competency, ...]
    competency: dict[str, Competency]
    domain_of: dict[str, Domain]
    training: dict[str, TrainingItem]

    @classmethod
    def build(cls, fw: Framework) -> _Index:
        competencies = tuple(c for d in fw.domains for c in d.competencies)
        return cls(
            competencies=competencies,
            competency={c.id: c for c in competencies},
            domain_of={c.id: d for d in fw.domains for c in d.competencies},
            training={t.id: t for t in fw.training},
        )
