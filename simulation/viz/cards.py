"""The page's text views: the selected strategy with the settings in force, and one school's detail
(with a histogram of its staff's knowledge)."""

from __future__ import annotations

import html
from typing import Any

import markdown
import solara
from mesa.visualization.utils import update_counter

from simulation import SchoolSystem
from simulation.viz.charts import VegaChart, histogram_spec
from simulation.viz.choices import GRADE_NAMES, STRATEGY_TEXT, term_label


def Text(md_text: str):
    """Markdown as HTML. (solara.Markdown also loads mermaid from the CDN, which offline is an error.)"""
    text = markdown.markdown(md_text).replace("<strong>", '<strong style="font-weight: 600">')
    return solara.HTML(tag="div", unsafe_innerHTML=text, classes=["upconv-text"])


def _e(value: Any) -> str:
    return html.escape(str(value))


@solara.component
def StrategyCard(model: SchoolSystem):
    """The selected strategy in plain language, the settings in force, and any input error."""
    update_counter.get()  # redraw after every step (the model object itself stays the same)
    with solara.Column(style={"padding": "4px 12px", "overflow": "auto", "height": "100%"}):
        if getattr(model, "input_error", None):
            solara.Error(f"Input not accepted: {model.input_error}", classes=["upconv-input-error"])
        strategy = model.cfg.strategy
        Text(STRATEGY_TEXT.get(strategy.name.value, strategy.name.value))
        settings = getattr(model, "settings", {})
        Text(
            f"Scenario **{_e(model.cfg.scenario)}** ({model.schools.n} schools, {model.staff.n} staff), seed "
            f"**{settings.get('seed', model.seed)}**, now **{term_label(int(model.cfg.start_year), model.term, model.dt)}**.  \n"
            f"Levers: coaching {model.cfg.coaching.coaching_time:g} days per mentee per year; support release "
            f"{model.cfg.partnership.days_per_term:g} staff days per term; brokering "
            f"*{strategy.brokering.value.replace('_', ' ')}*; floor *{_e(settings.get('floor', '?'))}* (now "
            f"{model.current_metrics['floor']:.0%}); intervention capacity "
            f"{model.cfg.intervention.officer_days_per_school:g} officer days per school per year.  \n"
            f"Now: {model.links.count()} partnerships, mean attainment {model.current_metrics['mean_attainment']:.1%}."
        )


@solara.component
def SchoolDetail(model: SchoolSystem):
    """One school: its staff knowledge, coaches and partners."""
    update_counter.get()
    index, set_index = solara.use_state(0)
    n = model.schools.n
    i = min(max(int(index), 0), n - 1)
    agent = model.school_agents[i]
    knowledge = agent.staff_knowledge()
    partners = agent.partners()
    with solara.Column(style={"padding": "4px 12px", "overflow": "auto", "height": "100%"}):
        solara.SliderInt("School", value=i, min=0, max=n - 1, on_value=set_index, thumb_label="always")
        grade = GRADE_NAMES[agent.grade] + (" (special measures)" if agent.special_measures else "")
        Text(
            f"**School {i}**: {'secondary' if agent.secondary else 'primary'}, {agent.pupils} pupils, "
            f"{grade}; attainment {agent.attainment:.1%}.  \n"
            f"{len(knowledge)} staff, {len(agent.coaches())} coaches; knowledge-management capacity "
            f"{agent.km_capacity:.2f}, leadership {agent.leadership:.2f}, moral capital {agent.moral_capital:.2f}.  \n"
            "Partners: " + (", ".join(f"school {o} ({t.name.replace('_', ' ')})" for o, t in partners) or "none")
        )
        VegaChart(histogram_spec(knowledge, f"Staff knowledge in school {i}"))


def StrategyView(model: SchoolSystem):
    return StrategyCard(model)


def SchoolView(model: SchoolSystem):
    return SchoolDetail(model)
