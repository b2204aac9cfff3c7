"""Tests for the March (1991) docking model in ``simulation.docking.march1991``.

Each rule is tested in isolation by putting the model into a hand-made state,
then the whole model is checked for reproducibility, validation and a small
statistical docking against the direction of March's Figure 1.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.docking.march1991 import Individual, MarchModel, figure1_table, run_march


def make_model(**kwargs) -> MarchModel:
    """A model with a fixed seed unless the caller gives one."""
    kwargs.setdefault("rng", 12345)
    return MarchModel(**kwargs)


def set_state(model, reality, beliefs, code):
    """Overwrite the model's state with small hand-made arrays."""
    model.reality = np.asarray(reality, dtype=np.int64)
    model.beliefs = np.asarray(beliefs, dtype=np.int64)
    model.code = np.asarray(code, dtype=np.int64)
    model.m = model.reality.size
    model.n = model.beliefs.shape[0]


# --------------------------------------------------------------------------
# Initial state
# --------------------------------------------------------------------------
def test_initial_state_follows_the_paper():
    model = make_model(m=30, n=50)
    assert model.reality.shape == (30,)
    assert set(np.unique(model.reality)) <= {-1, 1}
    assert model.beliefs.shape == (50, 30)
    assert set(np.unique(model.beliefs)) == {-1, 0, 1}
    assert np.all(model.code == 0)
    assert model.code_knowledge == 0.0
    assert len(model.agents) == 50


def test_initial_beliefs_are_roughly_uniform():
    model = make_model(m=100, n=300)
    shares = [np.mean(model.beliefs == v) for v in (-1, 0, 1)]
    assert np.allclose(shares, 1 / 3, atol=0.02)


def test_individual_is_a_view_onto_its_row():
    model = make_model(m=5, n=4)
    agent = next(a for a in model.agents if isinstance(a, Individual) and a.row == 2)
    assert np.array_equal(agent.beliefs, model.beliefs[2])
    agent.beliefs[0] = 1
    assert model.beliefs[2, 0] == 1
    expected = float(model.beliefs[2] @ model.reality) / model.m
    assert agent.knowledge == pytest.approx(expected)


# --------------------------------------------------------------------------
# Acting
# --------------------------------------------------------------------------
def test_acting_resolves_zeros_and_keeps_held_beliefs():
    model = make_model(m=30, n=50)
    actions = model.act()
    held = model.beliefs != 0
    assert np.array_equal(actions[held], model.beliefs[held])
    assert set(np.unique(actions[~held])) == {-1, 1}


# --------------------------------------------------------------------------
# Socialisation
# --------------------------------------------------------------------------
def test_socialisation_moves_exactly_one_step_toward_the_code():
    model = make_model(p1=1.0)
    set_state(
        model,
        reality=[1, 1, 1, 1],
        beliefs=[[-1, 1, -1, 0], [0, -1, 1, 1]],
        code=[1, -1, 0, 1],
    )
    model.socialise()
    # -1 -> 0 (not straight to +1); nothing moves where the code is 0.
    assert model.beliefs.tolist() == [[0, 0, -1, 1], [1, -1, 1, 1]]
    model.socialise()
    assert model.beliefs.tolist() == [[1, -1, -1, 1], [1, -1, 1, 1]]


@pytest.mark.parametrize("seed", range(5))
def test_socialisation_changes_are_single_steps_toward_nonzero_code(seed):
    model = make_model(p1=0.5, m=30, n=50, rng=seed)
    model.code = model.rng.integers(-1, 2, size=model.m)
    before = model.beliefs.copy()
    model.socialise()
    delta = model.beliefs - before
    assert np.all(np.abs(delta) <= 1)
    assert np.all(delta[:, model.code == 0] == 0)
    moved = delta != 0
    toward = np.sign(model.code - before)  # broadcast per row
    assert np.all(delta[moved] == np.broadcast_to(toward, delta.shape)[moved])
    assert moved.any(), "with p1=0.5 something should have moved"


def test_with_p1_zero_beliefs_never_change():
    model = make_model(p1=0.0, p2=0.9, max_periods=60)
    before = model.beliefs.copy()
    model.run_to_equilibrium()
    assert np.array_equal(model.beliefs, before)
    assert np.any(model.code != 0), "the code should still have learned"


# --------------------------------------------------------------------------
# Code learning
# --------------------------------------------------------------------------
def test_code_with_p2_one_adopts_majority_of_better_performers():
    model = make_model(p2=1.0)
    set_state(model, reality=[1, 1, 1, 1, 1], beliefs=np.zeros((4, 5)), code=[0, 0, 0, 0, 1])
    actions = np.array(
        [
            [1, -1, 1, -1, -1],
            [1, -1, -1, 1, -1],
            [-1, -1, 1, 1, -1],
            [-1, 1, -1, -1, 1],  # inferior: must be ignored
        ]
    )
    scores = np.array([3, 3, 3, -1])  # code score is 1
    model.learn_code(actions, scores)
    # dims 0-2: superior majority (margins 1, 3, 1); dim 3 is not a tie
    # (-1, 1, 1 -> +1); dim 4 majority -1 differs from code +1 -> adopted.
    assert model.code.tolist() == [1, -1, 1, 1, -1]


def test_code_learns_from_lucky_guesses_of_the_undecided():
    # Nobody holds a belief, so only this period's coin-flip actions can make
    # anyone outscore the all-zero code: scores must come from actions.
    model = make_model(p1=0.0, p2=1.0, m=30, n=50)
    model.beliefs[:] = 0
    model.step()
    assert np.any(model.scores > 0)
    assert np.any(model.code != 0)


def test_code_ignores_ties_among_better_performers():
    model = make_model(p2=1.0)
    set_state(model, reality=[1, 1], beliefs=np.zeros((2, 2)), code=[0, -1])
    actions = np.array([[1, 1], [-1, -1]])
    model.learn_code(actions, scores=np.array([2, 2]))
    assert model.code.tolist() == [0, -1]


def test_code_unchanged_when_nobody_outscores_it():
    model = make_model(p2=1.0)
    set_state(model, reality=[1, 1, 1, -1], beliefs=np.zeros((3, 4)), code=[1, 1, 0, 0])
    actions = np.array([[-1, -1, 1, -1], [1, 1, -1, 1], [1, 1, 1, 1]])
    scores = actions @ model.reality  # [0, 2, 2]: none exceeds the code's 2
    model.learn_code(actions, scores)
    assert model.code.tolist() == [1, 1, 0, 0]


def test_code_with_p2_zero_never_changes():
    model = make_model(p1=0.5, p2=0.0, max_periods=30)
    model.run_to_equilibrium()
    assert np.all(model.code == 0)


def test_code_adoption_probability_grows_with_the_margin():
    # With p2 = 0.5, a margin of 1 adopts w.p. 0.5 and a margin of 3 w.p. 0.875.
    model = make_model(p2=0.5, rng=7)
    m = 4000
    set_state(model, reality=np.ones(m), beliefs=np.zeros((3, m)), code=np.zeros(m))
    actions = np.ones((3, m), dtype=np.int64)
    actions[0, : m // 2] = -1  # first half: margin 1 ; second half: margin 3
    model.learn_code(actions, scores=np.full(3, m))
    assert np.mean(model.code[: m // 2] == 1) == pytest.approx(0.5, abs=0.04)
    assert np.mean(model.code[m // 2 :] == 1) == pytest.approx(0.875, abs=0.03)


# --------------------------------------------------------------------------
# Equilibrium
# --------------------------------------------------------------------------
def test_equilibrium_when_everyone_matches_a_perfect_code():
    model = make_model()
    set_state(model, reality=[1, -1, 1], beliefs=[[1, -1, 1]] * 3, code=[1, -1, 1])
    assert model.is_equilibrium()


def test_no_equilibrium_while_someone_differs_from_a_nonzero_code():
    model = make_model()
    set_state(model, reality=[1, -1, 1], beliefs=[[1, -1, 1], [1, 0, 1]], code=[1, -1, 1])
    assert not model.is_equilibrium()


def test_no_equilibrium_while_an_unknown_could_still_beat_the_code():
    model = make_model()
    # Agrees with the code where it is set, but the 0 on dim 2 might be right.
    set_state(model, reality=[1, -1, 1], beliefs=[[1, -1, 0]], code=[1, -1, 0])
    assert not model.is_equilibrium()


def test_equilibrium_allows_wrong_beliefs_where_the_code_is_silent():
    model = make_model()
    set_state(model, reality=[1, -1, 1], beliefs=[[1, -1, -1]], code=[1, -1, 0])
    assert model.is_equilibrium()


def test_run_to_equilibrium_stops_at_equilibrium():
    model = make_model(p1=0.5, p2=0.5)
    knowledge = model.run_to_equilibrium()
    assert model.converged
    assert not model.running
    assert model.is_equilibrium()
    assert 0 < model.period < model.max_periods
    assert knowledge == model.code_knowledge
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == ["code_knowledge", "mean_individual_knowledge"]
    assert len(frame) == model.period + 1
    assert frame["code_knowledge"].iloc[-1] == knowledge


def test_max_periods_safeguard_reports_not_converged():
    model = make_model(p1=0.0, p2=0.5, max_periods=25)
    model.run_to_equilibrium()
    assert model.period == 25
    assert not model.converged


# --------------------------------------------------------------------------
# Extensions
# --------------------------------------------------------------------------
def test_full_turbulence_flips_every_dimension():
    model = make_model(p4=1.0, max_periods=3)
    before = model.reality.copy()
    model.step()
    assert np.array_equal(model.reality, -before)


def test_full_turnover_replaces_everyone():
    model = make_model(p1=0.0, p2=0.0, p3=1.0, m=30, n=50)
    before = model.beliefs.copy()
    model.step()
    assert np.all(model.entry_period == 1)
    assert not np.array_equal(model.beliefs, before)


def test_extensions_run_a_fixed_number_of_periods():
    model = make_model(p1=0.5, p2=0.5, p3=0.01, p4=0.01, max_periods=150)
    model.run_to_equilibrium()
    assert model.period == 150
    assert not model.converged


def test_extensions_off_by_default_leave_reality_fixed():
    model = make_model(p1=0.5, p2=0.5)
    before = model.reality.copy()
    model.run_to_equilibrium()
    assert np.array_equal(model.reality, before)


# --------------------------------------------------------------------------
# Reproducibility
# --------------------------------------------------------------------------
def test_same_seed_gives_identical_trajectories():
    runs = []
    for _ in range(2):
        model = MarchModel(p1=0.3, p2=0.7, rng=99)
        model.run_to_equilibrium()
        runs.append(model)
    assert np.array_equal(runs[0].code, runs[1].code)
    assert np.array_equal(runs[0].beliefs, runs[1].beliefs)
    pd.testing.assert_frame_equal(
        runs[0].datacollector.get_model_vars_dataframe(),
        runs[1].datacollector.get_model_vars_dataframe(),
    )
    assert run_march(0.3, 0.7, seed=5) == run_march(0.3, 0.7, seed=5)


def test_different_seeds_differ():
    assert not np.array_equal(MarchModel(rng=1).reality, MarchModel(rng=2).reality)
    results = {run_march(0.5, 0.5, seed=s) for s in range(10)}
    assert len(results) > 1


def test_figure1_table_shape_and_determinism():
    kwargs = dict(p1_values=[0.2, 0.8], p2_values=[0.5], runs=4, seed=3)
    table = figure1_table(**kwargs)
    assert list(table.columns) == ["p1", "p2", "mean", "sd", "sem", "n_runs"]
    assert len(table) == 2
    assert (table["n_runs"] == 4).all()
    assert np.allclose(table["sem"], table["sd"] / 2)
    pd.testing.assert_frame_equal(table, figure1_table(**kwargs))
    pd.testing.assert_frame_equal(table, figure1_table(**kwargs, workers=2))


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["p1", "p2", "p3", "p4"])
@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.5", True, None])
def test_probabilities_are_validated(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be a probability in \[0, 1\]; got "):
        MarchModel(**{name: bad})


@pytest.mark.parametrize("name", ["m", "n", "max_periods"])
@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_sizes_are_validated(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be an integer >= 1; got {bad!r}\.$"):
        MarchModel(**{name: bad})


def test_validation_message_names_the_value():
    with pytest.raises(ValueError, match=r"p1 must be a probability in \[0, 1\]; got 1\.5\."):
        run_march(1.5, 0.5, seed=0)


# --------------------------------------------------------------------------
# Statistical docking with March's Figure 1
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_slow_socialisation_beats_fast_when_the_code_learns_fast():
    ss = np.random.SeedSequence(1991)
    slow_seeds, fast_seeds = ss.spawn(40), ss.spawn(40)
    slow = [run_march(0.1, 0.9, seed=s) for s in slow_seeds]
    fast = [run_march(0.9, 0.9, seed=s) for s in fast_seeds]
    result = stats.ttest_ind(slow, fast, equal_var=False, alternative="greater")
    assert np.mean(slow) > np.mean(fast)
    assert result.pvalue < 0.01
