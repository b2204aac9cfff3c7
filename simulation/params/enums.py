"""The named choices of the model: strategies, targeting, brokering modes and scopes, grades and partnership types."""

from __future__ import annotations

from enum import Enum


class _Named(str, Enum):
    """A string enum that prints as its value (so it reads well in paths and tables)."""

    def __str__(self) -> str:
        return self.value


class StrategyName(_Named):
    status_quo = "status_quo"
    reducing_disparity = "reducing_disparity"
    growing_the_top = "growing_the_top"
    upwards_convergence = "upwards_convergence"
    custom = "custom"


class Targeting(_Named):
    """Which schools a strategy's discretionary budget reaches."""

    all = "all"  # spread evenly over every school
    weakest = "weakest"  # the weakest share by the broker's estimate
    strongest = "strongest"  # the strongest share
    readiness = "readiness"  # staged: internal first, external once a school is ready


class BrokeringMode(_Named):
    none = "none"  # no new partnerships are arranged
    self_selected = "self_selected"  # schools choose near, similar partners ("cosy")
    data_informed = "data_informed"  # the broker matches a weakness with a strength
    school_improvement_groups = "school_improvement_groups"  # mixed SIGs, pairs inside


class BrokeringScope(_Named):
    """How far the broker looks for a partner."""

    authority = "authority"  # within the school's own local authority
    region = "region"  # within its region, across authority boundaries
    national = "national"  # anywhere (online where partners are far apart and online collaboration is on)


class Grade(int, Enum):
    outstanding = 1
    good = 2
    requires_improvement = 3
    inadequate = 4


class PartnershipType(int, Enum):
    """The partnership spectrum of the sources, from informal to hard governance."""

    collaborative = 0  # informal, self-selected collaboration
    network = 1  # external network / research engagement (growing the top)
    peer_review = 2  # quality-assurance review by peers
    trio = 3  # facilitated trio of stand-out schools
    support = 4  # a strong school supports a weaker one with released experts
    sig_pair = 5  # pairing brokered inside a school improvement group
    federation = 6  # hard governance: one governing body over two schools
    trust = 7  # multi-academy trust: a sponsor's chain, organised in clusters when large
