"""simulation.measures.forms: retention and succession per partnership form (beyond attainment)."""

import numpy as np

from simulation.measures.forms import COLUMNS, by_partnership_form
from simulation.mechanisms.between_schools.formalisation import FORMS


def test_the_form_table_accounts_for_every_school_year_leaver_and_head(small_model):
    m = small_model(strategy="upwards_convergence", n_schools=80)
    m.run_years(4)
    table = by_partnership_form(m)
    assert list(table.columns) == COLUMNS and list(table.form) == list(FORMS)
    assert table.schools_now.sum() == m.schools.n
    np.testing.assert_allclose(table.school_years.sum(), m.schools.n * m.years_elapsed)
    tally = m.tally
    np.testing.assert_allclose(tally.form_leavers.sum(), tally.leavers_total)
    np.testing.assert_allclose(tally.form_heads.sum(), tally.heads_changed)
    seen = table[table.school_years > 1]
    assert seen.leaving_rate.between(0.02, 0.3).all()  # about 10% a year
    assert seen.new_heads_per_school_year.between(0.0, 0.6).all()


def test_an_unstepped_model_has_an_empty_table(small_model):
    table = by_partnership_form(small_model())
    assert table.school_years.sum() == 0 and table.schools_now.sum() == 40
