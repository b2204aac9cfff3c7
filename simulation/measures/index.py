"""Summary measures of a run: the upwards-convergence index and final-year figures.

The upwards-convergence index (UCI) adds the three movements that define upwards
convergence in the model brief (pattern 3: "mean rises, spread narrows and the top rises"),
each in percentage points of pupils reaching the benchmark, from the first to the last
year of a run::

    UCI = (mean_T - mean_0) + (top_T - top_0) - (spread_T - spread_0)

where ``mean`` is ``mean_attainment``, ``top`` is ``top_decile_attainment`` and ``spread``
is ``p90_attainment - p10_attainment``. Each term counts equally; a strategy that raises the
mean by 5 points, the top by 3 and narrows the spread by 2 scores 10.
"""

from __future__ import annotations

import pandas as pd

from simulation.measures.registry import SUMMARY_METRICS



def spread(df: pd.DataFrame) -> pd.Series:
    return df["p90_attainment"] - df["p10_attainment"]


def convergence_components(df: pd.DataFrame) -> dict[str, float]:
    """Changes from the first to the last row, in percentage points."""
    first, last = df.iloc[0], df.iloc[-1]
    s = spread(df)
    return {
        "delta_mean": 100 * float(last["mean_attainment"] - first["mean_attainment"]),
        "delta_top": 100 * float(last["top_decile_attainment"] - first["top_decile_attainment"]),
        "delta_spread": 100 * float(s.iloc[-1] - s.iloc[0]),
    }


def convergence_index(df: pd.DataFrame) -> float:
    c = convergence_components(df)
    return c["delta_mean"] + c["delta_top"] - c["delta_spread"]


def final_summary(df: pd.DataFrame) -> dict[str, float]:
    last = df.iloc[-1]
    out = {name: float(last[name]) for name in SUMMARY_METRICS if name in df}
    out["year"] = float(last["year"])
    out.update(convergence_components(df))
    out["upwards_convergence_index"] = convergence_index(df)
    out["total_resource_used"] = float(df["resource_used"].sum())
    for column, name in (("total_staff_days", "run_staff_days"), ("officer_days_used", "run_officer_days")):
        if column in df:  # every day released over the run (the first row is the starting state)
            out[name] = float(df[column].iloc[1:].sum())
    return out
