"""Monitoring the impact of partnerships, and re-brokering those that change nothing.

Encodes Ainscow's third task: officers "monitor what happens, since ... there is a danger
that they lead to the proliferation of meetings that result in no actions being taken";
and the jigsaw note that a co-ordinating role spots schools "starting to slip" earlier than
inspection alone. Once a year, every partnership the authority pays for or arranged (whoever
chose the partner) that is older than its maturity time is checked (``monitoring_days``
officer days each): if the receiving school's estimated quality
has not risen since the partnership began, it is ended, freeing its budget to be brokered
again. Without monitoring, such partnerships run on whatever they achieve.
"""

from __future__ import annotations

from simulation.mechanisms.declare import mechanism
from simulation.state import Context

@mechanism(
    reads={"schools": "estimate", "links": "a age b brokered funded start_quality"},
    writes={"links": "active", "tally": "partnerships_rebrokered"}
)
def monitor(ctx: Context, officer_days: float) -> float:
    cfg = ctx.cfg.intervention
    if not cfg.monitoring or cfg.monitoring_days <= 0:
        return 0.0
    links = ctx.links
    rows = links.live()
    # every partnership the authority pays for or arranged, whoever chose the partner
    rows = rows[(links.brokered[rows] | links.funded[rows]) & (links.age[rows] >= ctx.cfg.partnership.maturity_years)]
    rows = rows[: int(officer_days // cfg.monitoring_days)]
    if rows.size == 0:
        return 0.0
    change = ctx.schools.estimate[links.b[rows]] - links.start_quality[rows]
    idle = rows[change <= cfg.improvement_needed]
    links.end(idle)
    ctx.tally.partnerships_rebrokered += idle.size
    return rows.size * cfg.monitoring_days
