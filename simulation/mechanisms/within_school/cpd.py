"""Low-leverage professional development: courses, conferences, documents and toolkits.

Encodes Ainscow (2013): "examples of low leverage activity in the education field include:
policy documents, toolkits, conferences and in-service courses ... by and large they do not
lead to significant changes in thinking and practice"; they "change the way things look but
not the way they work". CPD days expose staff to the system's good practice (its top decile)
at ``low_leverage_factor`` of the partnership transfer rate, and what is taken in is copied,
"drag and drop" knowledge: it enters through the school's absorptive capacity like any
external knowledge, so little of it lasts where capacity is low. This is where the
status-quo strategy spends its discretionary budget.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import clip01

from simulation.mechanisms.within_school.absorption import uptake

@mechanism(reads={"schools": "km_capacity", "plan": "cpd_days"}, writes={"staff": "knowledge shallow"})
def train_staff(ctx: Context) -> None:
    sc, st, cfg = ctx.schools, ctx.staff, ctx.cfg.partnership
    days_per_teacher_year = ctx.plan.cpd_days / ctx.dt / sc.n_staff
    if not days_per_teacher_year.any():
        return
    intensity = days_per_teacher_year / (days_per_teacher_year + ctx.cfg.cpd.half_days)
    rate = cfg.low_leverage_factor * cfg.transfer_rate * ctx.dt * intensity * uptake(ctx, sc.km_capacity)
    good_practice = quantile(st.knowledge, ctx.cfg.cpd.good_practice_quantile)
    # as take_in(ctx, move_toward(st.effective(), good_practice, rate[st.school])), for the schools with days
    move_all_toward_kernel(st.knowledge, st.shallow, sc.start, sc.km_capacity, np.flatnonzero(rate), rate,
                            good_practice)


def quantile(values: np.ndarray, q: float) -> float:
    """``np.quantile(values, q)`` (linear method) of an array without NaN, bit for bit, with a
    single-index partition: NumPy partitions at both neighbours, four times the cost here."""
    n = values.size
    virtual = (n - 1) * q
    lo = int(np.floor(virtual))
    part = np.partition(values, lo)
    a = float(part[lo])
    b = float(part[lo + 1:].min()) if lo + 1 < n else a
    t = virtual - lo
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t  # NumPy's _lerp


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def move_all_toward_kernel(knowledge, shallow, start, km, schools, rate, target):
    """Every post of ``schools`` moves ``rate`` (per school) of its gap to ``target``, taken in
    as deep (share ``km``) and shallow knowledge: cpd.train_staff's move_toward and take_in."""
    for i in range(schools.size):
        s = schools[i]
        r = clip01(rate[s])
        for p in range(start[s], start[s + 1]):
            gain = max(target - (knowledge[p] + shallow[p]), 0.0) * r
            knowledge[p] += km[s] * gain
            shallow[p] += (1 - km[s]) * gain
