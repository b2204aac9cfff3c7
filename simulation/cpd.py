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

from .absorption import take_in, uptake
from .knowledge import move_toward

CPD_HALF_DAYS = 8.0  # days per teacher per year giving half the full effect (courses are spread thin)


def train_staff(model) -> None:
    sc, st, cfg = model.schools, model.staff, model.cfg.partnership
    days_per_teacher_year = sc.cpd_days / model.dt / sc.n_staff
    if not days_per_teacher_year.any():
        return
    intensity = days_per_teacher_year / (days_per_teacher_year + CPD_HALF_DAYS)
    rate = cfg.low_leverage_factor * cfg.transfer_rate * model.dt * intensity * uptake(model, sc.km_capacity)
    good_practice = float(np.quantile(st.knowledge, 0.9))
    take_in(model, move_toward(st.effective(), good_practice, rate[st.school]))
