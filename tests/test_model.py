import mesa
import numpy as np
import pandas as pd
import pytest

from sim.agents import Executive, Freelancer, IndividualContributor, Manager
from sim.errors import UserError
from sim.model import OUTCOMES, SERIES, WorkplaceModel, simulate
from sim.organisation import EXECUTIVE, IC, MANAGER
from sim.params import ParameterError, Params
from sim.scenarios import load_scenario
from sim.state import (
    EMPLOYER_TO_EMPLOYER_SHARE,
    FIELDS,
    MARKET_HABITS,
    TRUST_START,
    training_chance,
)


def test_agents_are_views_onto_the_arrays():
    m = WorkplaceModel(n_agents=200, rng=1)
    types = {type(a) for a in m.agents}
    assert types == {IndividualContributor, Manager, Executive, Freelancer}
    a = m.agents_by_type[Manager][0]
    assert a.burnout == m.state.burnout[a.slot]
    a.burnout = 0.9
    assert m.state.burnout[a.slot] == 0.9
    m.state.trust_ai[a.slot] = 0.123
    assert a.trust_ai == pytest.approx(0.123)
    assert a.cell.coordinate == a.slot
    assert len(m.agents) == int(m.state.occupied.sum())  # a few positions are vacant


def test_quits_remove_agents_and_hires_create_new_ones():
    m = WorkplaceModel(n_agents=300, rng=3, quit_rate_min=0.6, quit_rate_max=0.9, vacancy_weeks=3)
    first = {a.slot: a for a in m.agents}
    m.run(20)
    s = m.series()
    assert s.quits.sum() > 10 and s.hires.sum() > 10
    assert len(m.agents) == int(m.state.occupied.sum())
    replaced = [slot for slot, a in first.items() if m.occupant(slot) is not a]
    assert replaced
    for slot in replaced:
        new = m.occupant(slot)
        assert new is None or (new.unique_id != first[slot].unique_id and new.slot == slot)
    vacant = np.flatnonzero(~m.state.occupied)
    assert all(m.occupant(int(i)) is None for i in vacant)


def test_agents_follow_the_state_whenever_they_are_looked_at():
    """Agents are brought up to date when looked at; looking never changes the numbers."""
    kw = dict(n_agents=300, quit_rate_min=0.6, quit_rate_max=0.9, vacancy_weeks=2)
    watched, unwatched = WorkplaceModel(rng=5, **kw), WorkplaceModel(rng=5, **kw)
    first = {a.slot: a for a in watched.agents}
    for _ in range(30):
        watched.step()
        unwatched.step()
        assert len(watched.agents) == int(watched.state.occupied.sum())
        for cell in watched.space.all_cells:
            holder = watched.occupant(cell.coordinate)
            assert cell.agents == ([holder] if holder is not None else [])
    pd.testing.assert_frame_equal(watched.series(), unwatched.series())
    pd.testing.assert_frame_equal(watched.survey(), unwatched.survey())
    gone = [a for slot, a in first.items() if watched.occupant(slot) is not a]
    assert gone and all(a not in watched.agents and a.cell is None for a in gone)
    types = {type(a) for a in unwatched.agents}  # never looked at before: built now
    assert types == {IndividualContributor, Manager, Executive, Freelancer}
    assert len(unwatched.agents) == int(unwatched.state.occupied.sum())


def test_employees_hired_from_another_employer_bring_a_colleagues_ai_habits():
    """About 0.6 of employees' hires copy a colleague's habits (same role); the rest bring none."""
    m = WorkplaceModel(n_agents=3000, rng=4)
    m.run(60)
    s = m.state
    rows = [list(FIELDS).index(name) for name in MARKET_HABITS]
    for role in (IC, MANAGER):
        slots = np.flatnonzero(s.occupied & (s.role == role))[: 150 if role == MANAGER else 800]
        others = s.occupied & (s.role != role)
        same_role = s.occupied & (s.role == role)
        same_role[slots] = False
        colleagues = {tuple(v) for v in s.values[np.ix_(rows, np.flatnonzero(same_role))].T}
        outside = {tuple(v) for v in s.values[np.ix_(rows, np.flatnonzero(others))].T}
        s.fill(slots, m.params, np.random.default_rng(0), tool_quality=0.9)
        habits = [tuple(v) for v in s.values[np.ix_(rows, slots)].T]
        copied = np.array([h in colleagues for h in habits])
        assert abs(copied.mean() - EMPLOYER_TO_EMPLOYER_SHARE) < 0.1
        assert not any(h in outside - colleagues for h in habits)
        assert np.all(s.adoption[slots][~copied] == 0)
        assert np.all(s.proficiency[slots][~copied] == 0)
        fresh = s.trust_ai[slots][~copied]  # hires from outside employment: Beta(TRUST_START)
        assert abs(fresh.mean() - TRUST_START[0] / sum(TRUST_START)) < 0.04
        assert fresh.std() > 0.1


def test_same_seed_same_numbers_other_seed_differs():
    a = simulate(Params(n_agents=200), seed=7, weeks=60)
    b = simulate(Params(n_agents=200), seed=7, weeks=60)
    c = simulate(Params(n_agents=200), seed=8, weeks=60)
    pd.testing.assert_frame_equal(a["survey"], b["survey"])
    pd.testing.assert_frame_equal(a["series"], b["series"])
    assert a["outcomes"] == b["outcomes"]
    assert not a["series"].equals(c["series"])


def test_generator_seed_is_reproducible():
    a = WorkplaceModel(n_agents=100, rng=np.random.default_rng(3)).run(10).series()
    b = WorkplaceModel(n_agents=100, rng=np.random.default_rng(3)).run(10).series()
    pd.testing.assert_frame_equal(a, b)


def test_survey_does_not_change_the_trajectory():
    a = WorkplaceModel(n_agents=200, rng=9)
    b = WorkplaceModel(n_agents=200, rng=9)
    a.run(30)
    a.survey()
    a.run(30)
    b.run(60)
    pd.testing.assert_frame_equal(a.series(), b.series())


def test_series_and_outcomes_shape(baseline_run):
    s = baseline_run.series()
    assert list(s.columns) == ["date", *SERIES]
    assert len(s) == 105 and s.index.name == "week"
    assert str(s["date"].iloc[104].date()) == "2025-04-01"  # the 2025 wave's fieldwork
    out = baseline_run.outcomes()
    assert tuple(out) == OUTCOMES
    one_year = {k for k in OUTCOMES if k.endswith("_1y")}  # no redesign horizon in 104 weeks
    assert all(np.isfinite(v) for k, v in out.items() if k not in one_year)
    assert 0.02 <= out["annual_quit_rate"] <= 0.6  # labour-statistics range for knowledge work
    assert out["headcount_executive"] >= 1


def test_early_cost_later_gain():
    """The report's path, in the calibrated status quo: a year in, AI adds work for most
    FTEs and true gains are near nothing; by the 2025 wave, gains are several times larger."""
    from sim.scenarios import load_scenario

    m = WorkplaceModel(load_scenario("baseline").params, rng=11).run(104)
    s = m.series()
    early, late = s.true_gain.iloc[20:52].mean(), s.true_gain.iloc[-8:].mean()
    assert early < 0.005 and late > 5 * max(early, 0.001)
    sv = m.survey().set_index(["wave", "item", "group"]).value
    assert sv[(2024, "ai_added_workload", "fte")] > 0.5
    assert sv[(2025, "productivity_gain", "fte")] > 1.5 * sv[(2024, "productivity_gain", "fte")]


def test_self_reports_exceed_true_gains(baseline_run):
    s = baseline_run.series()
    assert s.reported_gain.iloc[-1] > 1.5 * max(s.true_gain.iloc[-1], 0)


def test_every_state_stays_in_bounds(baseline_run):
    s = baseline_run.state
    for name in FIELDS:
        assert np.isfinite(getattr(s, name)).all(), name
    for name in (
        "adoption",
        "proficiency",
        "burnout",
        "trust_ai",
        "connection",
        "alignment",
        "quit_intention",
        "anthropomorphism",
        "skill",
        "safety",
        "coaching",
        "learning_mode",
    ):
        x = getattr(s, name)
        assert (x >= 0).all() and (x <= 1).all(), name


def test_invalid_parameters_raise_clear_errors():
    with pytest.raises(ParameterError, match="span_of_control=1 is out of range: allowed 2 to 40"):
        WorkplaceModel(span_of_control=1)
    with pytest.raises(ParameterError, match="did you mean 'touchpoints'"):
        WorkplaceModel({"touchpoint": 0.5})
    with pytest.raises(ValueError, match="weeks"):
        WorkplaceModel(n_agents=50).run(-1)


def test_params_object_and_overrides_combine():
    m = WorkplaceModel(Params(n_agents=120), rng=1, touchpoints=0.7)
    assert m.params.n_agents == 120 and m.params.touchpoints == 0.7


def test_mesa_batch_run():
    results = mesa.batch_run(
        WorkplaceModel,
        parameters={"n_agents": [60, 80], "output_conversion": [0.0, 0.8]},
        rng=[1, 2],
        max_steps=8,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    df = pd.DataFrame(results)
    assert len(df) == 8
    assert {"burnout_share", "true_gain", "n_agents", "output_conversion"} <= set(df.columns)
    again = pd.DataFrame(
        mesa.batch_run(
            WorkplaceModel,
            parameters={"n_agents": [60, 80], "output_conversion": [0.0, 0.8]},
            rng=[1, 2],
            max_steps=8,
            number_processes=1,
            data_collection_period=-1,
            display_progress=False,
        )
    )
    pd.testing.assert_frame_equal(df, again)


def test_graph_and_space_are_consistent():
    m = WorkplaceModel(n_agents=150, rng=2)
    assert m.graph.number_of_nodes() == 150
    assert len(list(m.space.all_cells)) == 150
    slot = 5
    cell = m.space[slot]
    assert set(cell.connections) == set(m.graph.neighbors(slot))
    assert m.layout.shape == (150, 2)


def _to_redesign(model: WorkplaceModel) -> WorkplaceModel:
    """Run ``model`` to the last week before its redesign starts."""
    from sim import calendar

    return model.run(calendar.REDESIGN_WEEK - 1 - model.week)


def test_a_redesign_of_spans_starts_from_the_status_quo_and_promotes_people():
    base = Params(n_agents=400)
    narrow = base.replace(span_of_control=5, coaching_hours=1.0)
    sq = _to_redesign(WorkplaceModel(base, rng=4))
    m = _to_redesign(WorkplaceModel(narrow, rng=4, status_quo=base))
    # Until the redesign starts, the status quo's organisation and numbers
    pd.testing.assert_frame_equal(m.series(), sq.series())
    managers_before = int((m.state.role == 1).sum())
    burnout_before = np.sort(m.state.burnout[m.state.occupied])
    demands_before = m.state.job_demands[m.state.occupied].copy()
    people_before = int(m.state.occupied.sum())
    agents_before = len(m.agents)
    m.step()  # the redesign's first week: the organisation is rebuilt
    assert int((m.state.role == 1).sum()) > managers_before  # more managers...
    assert m.released == 0  # ... promoted from within, no one let go
    assert len(m.agents) == int(m.state.occupied.sum())  # the Mesa agents follow
    assert abs(int(m.state.occupied.sum()) - people_before) <= 5  # a week's quits and hires
    assert abs(len(m.agents) - agents_before) <= 5
    # everyone's state moved with them (a week of the rules later, close to where it was)
    after = np.sort(m.state.burnout[m.state.occupied])
    assert abs(after.mean() - burnout_before.mean()) < 0.02
    # and their jobs' demands with them (the same values, but for a week's hires)
    kept = np.isin(m.state.job_demands[m.state.occupied], demands_before)
    assert kept.mean() > 0.95
    m.run(30)
    assert np.isfinite(m.state.values).all()


def test_a_redesign_giving_work_to_freelancers_releases_the_last_hired():
    base = Params(n_agents=400)
    blended = base.replace(freelancer_share=0.25, freelancer_embedding=0.6)
    m = _to_redesign(WorkplaceModel(blended, rng=5, status_quo=base))
    fl_before = int(m.state.freelancer.sum())
    tenure = m.state.tenure[m.state.occupied & m.state.employee]
    m.step()
    assert int(m.state.freelancer.sum()) == round(0.25 * 400) > fl_before
    assert m.released > 0
    kept = m.state.tenure[m.state.occupied & m.state.employee]
    assert np.median(kept) >= np.median(tenure)  # last in, first out
    assert m.outcomes()["released_per_100"] == pytest.approx(100 * m.released / 400)
    m.run(30)
    assert np.isfinite(m.state.values).all()


ROLES = np.array([IC, MANAGER, EXECUTIVE])


def _trained_share_near(s, chances: np.ndarray, slack: float = 0.0) -> None:
    """Each role's trained share is within four binomial standard errors (plus slack)."""
    for role, want in zip(ROLES, chances, strict=True):
        k = s.occupied & (s.role == role)
        se = np.sqrt(want * (1 - want) / k.sum())
        assert abs(s.trained[k].mean() - want) < 4 * se + slack, (role, want)


def test_training_reaches_managers_and_executives_at_higher_odds():
    p = Params(employer_training=0.25, manager_training_odds=2.2, executive_training_odds=4.8)
    chance = training_chance(p, ROLES)
    odds = chance / (1 - chance)
    np.testing.assert_allclose(odds / odds[0], [1.0, 2.2, 4.8])
    assert chance[0] == pytest.approx(0.25)
    assert training_chance(p.replace(employer_training=1.0), ROLES).tolist() == [1.0, 1.0, 1.0]
    # drawn at hire: over a large organisation each role's share is near its chance
    s = WorkplaceModel(Params(n_agents=20_000), rng=2).state
    _trained_share_near(s, training_chance(Params(), ROLES))


def test_a_share_of_employees_upskill_on_their_own_and_freelancers_all_do():
    # EY 2024: 44% of employees educate themselves in AI; each employee does or does not
    p = Params(n_agents=20_000)
    s = WorkplaceModel(p, rng=3).state
    fte = s.occupied & s.employee
    drive = s.self_drive[fte]
    assert set(np.unique(drive)) == {0.0, 1.0}
    se = np.sqrt(p.self_upskilling * (1 - p.self_upskilling) / drive.size)
    assert abs(drive.mean() - p.self_upskilling) < 4 * se
    fl = s.occupied & s.freelancer
    assert s.self_drive[fl].min() >= 0.7 and s.self_drive[fl].max() <= 1.0


def test_a_redesign_training_more_lifts_every_role_to_its_new_chance():
    base = Params(n_agents=3000)
    more = base.replace(employer_training=0.6)
    m = _to_redesign(WorkplaceModel(more, rng=6, status_quo=base))
    m.step()  # the redesign's first week: the untrained are trained up to the new shares
    _trained_share_near(m.state, training_chance(more, ROLES), slack=0.02)


# ----------------------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def small():
    return WorkplaceModel(n_agents=40, rng=1)


@pytest.mark.parametrize(
    ("rng", "fragment"),
    [
        ("abc", "rng='abc' has the wrong type: expected an integer 0 or more"),
        (1.5, "rng=1.5 has the wrong type"),
        (True, "rng=True has the wrong type"),
        ([1, 2], "has the wrong type"),
        (np.random.RandomState(1), "a numpy.random.Generator or None"),
        (-1, "rng=-1 is out of range: allowed an integer 0 or more"),
        (np.int64(-3), "is out of range"),
    ],
)
def test_a_bad_rng_says_what_a_seed_may_be(rng, fragment):
    with pytest.raises(ParameterError) as err:
        WorkplaceModel(n_agents=40, rng=rng)
    assert fragment in str(err.value)
    assert isinstance(err.value, UserError)


def test_numpy_integer_seeds_give_the_numbers_of_the_same_int():
    a = simulate({"n_agents": 40}, np.int64(3), np.int64(2))
    b = simulate({"n_agents": np.int32(40)}, 3, 2)
    pd.testing.assert_frame_equal(a["series"], b["series"])
    assert a["outcomes"] == b["outcomes"]
    with pytest.raises(ParameterError, match=r"^seed='1' has the wrong type: expected an integer"):
        simulate({"n_agents": 40}, "1", 2)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: WorkplaceModel("baseline", rng=1), "use load_scenario('baseline').params"),
        (lambda: simulate("baseline", 1, 2), "got string 'baseline'"),
        (
            lambda: WorkplaceModel(load_scenario("baseline"), rng=1),
            "got a Scenario; use its parameters: scenario.params",
        ),
        (
            lambda: WorkplaceModel(n_agents=40, rng=1, status_quo="baseline"),
            "status_quo has the wrong type: expected a Params or a mapping",
        ),
        (lambda: WorkplaceModel(touchpoint=0.5), "did you mean 'touchpoints'?"),
    ],
)
def test_a_scenario_where_parameters_belong_gets_a_hint(call, fragment):
    with pytest.raises(ParameterError) as err:
        call()
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("weeks", "fragment"),
    [
        (2.0, "weeks=2.0 has the wrong type: expected an integer from 0 to 1040"),
        ("3", "has the wrong type"),
        (None, "has the wrong type"),
        (True, "has the wrong type"),
        (-1, "weeks=-1 is out of range: allowed 0 to 1040"),
        (1041, "weeks=1041 is out of range: allowed 0 to 1040"),
    ],
)
def test_run_refuses_bad_weeks_as_a_user_error_and_a_value_error(small, weeks, fragment):
    with pytest.raises(ParameterError) as err:
        small.run(weeks)
    assert fragment in str(err.value)
    assert isinstance(err.value, UserError) and isinstance(err.value, ValueError)


def test_run_takes_numpy_integers():
    m = WorkplaceModel(n_agents=40, rng=1)
    assert m.run(np.int64(2)).week == 2 and m.run(0).week == 2


@pytest.mark.parametrize(
    ("slot", "fragment"),
    [
        (-1, "slot=-1 is out of range: allowed 0 to 39"),
        (10**6, "is out of range: allowed 0 to 39"),
        ("3", "slot='3' has the wrong type: expected an integer from 0 to 39"),
        (1.0, "has the wrong type"),
    ],
)
def test_occupant_checks_the_position(small, slot, fragment):
    with pytest.raises(ParameterError) as err:
        small.occupant(slot)
    assert fragment in str(err.value)


def test_occupant_takes_numpy_integers(small):
    assert small.occupant(np.int64(3)) is small.occupant(3)


@pytest.mark.parametrize(
    ("keys", "fragment"),
    [
        (("burnout", "all", 2025), "is a single cell: expected a list of (item, group, wave)"),
        ("burnout", "keys has the wrong type"),
        ([("burnout", "all")], "has the wrong shape"),
        ([("burnot", "all", 2025)], "unknown survey item 'burnot'; did you mean 'burnout'?"),
        ([("burnout", "al", 2025)], "unknown survey group 'al'; did you mean 'all'?"),
        ([("burnout", "all", 2030)], "survey wave 2030 is not a wave: choose from 2024, 2025"),
        ([("burnout", "all", "2025")], "survey wave '2025' is not a wave"),
        ([("burnout", "all", True)], "survey wave True is not a wave"),
        ([("zzzz", "all", 2025)], "unknown survey item 'zzzz': choose from productivity_gain,"),
        ([(3, "all", 2025)], "unknown survey item 3: choose from"),
    ],
)
def test_survey_cells_checks_its_keys(small, keys, fragment):
    with pytest.raises(ParameterError) as err:
        small.survey_cells(keys)
    assert fragment in str(err.value)


def test_survey_cells_of_a_wave_not_taken_yet_are_nan(small):
    out = small.survey_cells([("burnout", "all", np.int64(2025)), ("burnout", "top_vs_rest", 2024)])
    assert all(np.isnan(v) for v in out.values())
