"""The mechanisms of the theory, one module per claim, grouped as the theory groups them.

``REGISTRY`` is the one list of mechanism modules (used by the ODD check, the architecture
document and the state-declaration test). A mechanism module holds its rule, its NumPy form
and its compiled kernel together, takes a typed context (:class:`simulation.state.Context`)
and declares what state it reads and writes (:func:`simulation.mechanisms.declare.mechanism`).
"""

GROUPS: dict[str, tuple[str, ...]] = {
    "within_school": ("knowledge", "coaching", "cpd", "absorption", "turnover", "leadership"),
    "between_schools": ("partnerships", "distance", "brokering", "innovation", "pilot", "moral_capital", "formalisation"),
    "accountability": ("information", "inspection", "floor_standards", "intervention", "monitoring", "pressure",
                       "academies"),
    "outcomes": ("attainment",),
}

REGISTRY: dict[str, str] = {name: f"simulation.mechanisms.{group}.{name}" for group, names in GROUPS.items()
                            for name in names}
