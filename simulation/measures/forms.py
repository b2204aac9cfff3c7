"""Beyond attainment: staff retention and leadership succession per partnership form.

The jigsaw note lists "improved staff retention", an "increased cadre of able school leaders" and
"succession planning taken care of" among the benefits of partnership. The model's retention and
leadership effects follow the maturity of a school's most mature partnership
(:mod:`simulation.mechanisms.within_school.turnover`, :mod:`~simulation.mechanisms.within_school.leadership`),
whatever its form; this table reports what the run produced per form, each school counted under
its most formal partnership at each step (``formalisation.record_forms``). Differences between
forms therefore mix the partnerships' effects with who ends up in which form (a school in a trust
was once persistently below the floor). Budget (back-office) savings are not modelled: the note
gives no size for them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulation.mechanisms.between_schools.formalisation import FORMS, school_forms
from simulation.state import Context

COLUMNS = ["form", "schools_now", "school_years", "leaving_rate", "new_heads_per_school_year", "leadership_now"]


def by_partnership_form(model: Any) -> pd.DataFrame:
    """One row per partnership form (``FORMS``): schools in it now, school-years spent in it over the
    run, teachers leaving per post-year (retention), new heads per school-year (succession) and
    the mean leadership capacity of its schools now (the cadre of leaders). Takes a model or its
    context."""
    ctx: Context = getattr(model, "ctx", model)
    tally, k = ctx.tally, len(FORMS)
    now = school_forms(ctx)
    if tally.form_school_years.size != k:  # nothing recorded yet
        zeros = np.zeros(k)
        years, posts, leavers, heads = zeros, zeros, zeros, zeros
    else:
        years, posts, leavers, heads = (tally.form_school_years, tally.form_post_years, tally.form_leavers,
                                        tally.form_heads)
    with np.errstate(invalid="ignore", divide="ignore"):
        leadership = np.bincount(now, weights=ctx.schools.leadership, minlength=k) / np.bincount(now, minlength=k)
        return pd.DataFrame({
            "form": list(FORMS),
            "schools_now": np.bincount(now, minlength=k),
            "school_years": years,
            "leaving_rate": np.where(posts > 0, leavers / posts, np.nan),
            "new_heads_per_school_year": np.where(years > 0, heads / years, np.nan),
            "leadership_now": leadership,
        }, columns=COLUMNS)
