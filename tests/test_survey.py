import math

import numpy as np
import pytest

from sim import survey
from sim.errors import UserError
from sim.organisation import EXECUTIVE, FREELANCER, IC, MANAGER
from sim.targets import load_targets


def test_top_quartile_is_the_top_quarter_of_fte_gains():
    gain = np.array([0.9, 0.1, 0.5, 0.3, 0.8, 0.2, 0.7, 0.4, 5.0])
    fte = np.array([True] * 8 + [False])  # the last is a freelancer: never in the top quartile
    top = survey.top_quartile(gain, fte, np.random.default_rng(0))
    assert top.sum() == 2
    assert set(np.flatnonzero(top)) == {0, 4}


def test_weights_post_stratify_ftes_to_the_report_manager_share():
    role = np.array([IC] * 9 + [MANAGER] * 3 + [FREELANCER, EXECUTIVE])
    w = survey.weights(role)
    fte = (role == IC) | (role == MANAGER)
    assert w[role == MANAGER].sum() / w[fte].sum() == pytest.approx(survey.FTE_MANAGER_SHARE)
    assert w[fte].sum() == pytest.approx(12)  # FTE weights keep the FTEs' count
    assert w[~fte].tolist() == [1.0, 1.0]
    assert survey.weights(np.array([IC, IC, FREELANCER])).tolist() == [1.0, 1.0, 1.0]


def test_users_answer_more_readily_within_each_role():
    """Who answers: a user weighs USER_RESPONSE_RATIO against a non-user of the same role."""
    role = np.array([IC] * 6 + [MANAGER] * 3 + [FREELANCER] * 2 + [EXECUTIVE] * 2)
    user = np.array([1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0], dtype=bool)
    w = survey.weights(role, user)
    rho = survey.USER_RESPONSE_RATIO
    for r in (IC, MANAGER, FREELANCER, EXECUTIVE):
        mine = role == r
        assert w[mine & user] == pytest.approx(rho * w[mine & ~user][0])
    fte = (role == IC) | (role == MANAGER)
    assert w[role == MANAGER].sum() / w[fte].sum() == pytest.approx(survey.FTE_MANAGER_SHARE)
    assert survey.weights(role, np.zeros(role.size, dtype=bool)).tolist() == (
        survey.weights(role).tolist()
    )


def test_fte_sample_takes_the_manager_quota_first():
    from sim.model import WorkplaceModel

    model = WorkplaceModel(n_agents=3000, rng=3)
    slots = survey.sample(model.state, np.random.default_rng(0))
    role = model.state.role[slots]
    n_m, n_ic = int((role == MANAGER).sum()), int((role == IC).sum())
    managers = int((model.state.occupied & (model.state.role == MANAGER)).sum())
    assert n_m + n_ic == survey.SAMPLE_SIZES["fte"]
    assert n_m == min(managers, round(survey.FTE_MANAGER_SHARE * 625))


def test_weighted_top_quartile_holds_a_quarter_of_the_weight():
    gain = np.arange(12.0)[::-1]
    role = np.array([MANAGER] * 3 + [IC] * 9)
    w = survey.weights(role)
    top = survey.top_quartile(gain, np.ones(12, dtype=bool), np.random.default_rng(0), w)
    # managers weigh 8/3 each (2/3 of 12 over 3): the first two reach a quarter of 12.
    assert np.flatnonzero(top).tolist() == [0, 1]


def test_tabulate_shares_means_and_relative_risks():
    role = np.array([IC, IC, IC, IC, MANAGER, MANAGER, MANAGER, MANAGER, FREELANCER, EXECUTIVE])
    n = role.size
    answers = {item: np.zeros(n, dtype=bool) for item in survey.ITEMS}
    answers["productivity_gain"] = np.array([0.8, 0.1, 0.2, 0.3, 0.9, 0.0, 0.1, 0.2, 0.5, 0.4])
    answers["burnout"] = np.array([1, 0, 0, 1, 1, 0, 0, 0, 0, 1], dtype=bool)
    answers["_user"] = np.array([1, 1, 1, 1, 1, 0, 1, 1, 1, 1], dtype=bool)
    answers["_has_gain"] = np.ones(n, dtype=bool)
    top = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    df = survey.tabulate(2025, role, answers, top).set_index(["item", "group"])
    v = df.value
    # Respondent weights: users answer USER_RESPONSE_RATIO times as readily (the manager at
    # index 5 does not use AI), then FTEs are post-stratified to the report's manager share.
    w = survey.weights(role, answers["_user"])
    fte = (role == IC) | (role == MANAGER)
    yes = answers["burnout"]
    fte_burnout = w[fte & yes].sum() / w[fte].sum()
    # "all" weights executives, FTEs and freelancers 2:1:1 as the report's sample did.
    assert v[("burnout", "all")] == pytest.approx(0.5 * 1 + 0.25 * fte_burnout + 0.25 * 0)
    assert df.n[("burnout", "all")] == 10
    # "workers" (the report's "all workers") are FTEs and freelancers, half and half.
    assert v[("burnout", "workers")] == pytest.approx(0.5 * fte_burnout + 0.5 * 0)
    assert df.n[("burnout", "workers")] == 9
    assert ("employer_asks_too_much", "workers") not in v.index  # asked of FTEs only
    assert v[("burnout", "fte")] == pytest.approx(fte_burnout)
    assert v[("burnout", "ic")] == pytest.approx(2 / 4)  # ICs all use AI: a plain share
    manager = role == MANAGER
    assert v[("burnout", "manager")] == pytest.approx(w[manager & yes].sum() / w[manager].sum())
    assert v[("burnout", "top_quartile")] == pytest.approx(1.0)
    rest = fte & ~top
    rest_burnout = w[rest & yes].sum() / w[rest].sum()  # one IC of the rest says yes
    assert v[("burnout", "rest")] == pytest.approx(rest_burnout)
    assert v[("burnout", "top_vs_rest")] == pytest.approx(1.0 / rest_burnout)
    assert df.n[("burnout", "top_vs_rest")] == 2
    # Mean gain among AI users only.
    users = fte & answers["_user"]
    gain = answers["productivity_gain"]
    assert v[("productivity_gain", "fte")] == pytest.approx(
        (w[users] * gain[users]).sum() / w[users].sum()
    )
    assert df.n[("productivity_gain", "fte")] == 7
    # FTE-only items are not reported for freelancers or executives.
    assert ("employer_asks_too_much", "freelancer") not in v.index
    assert ("observed_gains", "executive") in v.index
    assert ("observed_gains", "fte") not in v.index


def test_relative_risk_is_nan_when_the_rest_never_says_yes():
    role = np.array([IC] * 8)
    answers = {item: np.zeros(8, dtype=bool) for item in survey.ITEMS}
    answers["productivity_gain"] = np.arange(8.0)
    answers["_user"] = answers["_has_gain"] = np.ones(8, dtype=bool)
    answers["burnout"][7] = True
    top = np.zeros(8, dtype=bool)
    top[6:] = True
    df = survey.tabulate(2025, role, answers, top).set_index(["item", "group"])
    assert np.isnan(df.value[("burnout", "top_vs_rest")])


def test_sampling_follows_the_report_and_takes_everyone_when_smaller(baseline_run):
    s = baseline_run.state
    slots = survey.sample(s, np.random.default_rng(0))
    assert len(np.unique(slots)) == len(slots)
    assert s.occupied[slots].all()
    # 400 positions: every group is smaller than the report's sample, so all are asked.
    assert len(slots) == s.occupied.sum()


def test_survey_covers_every_item_group_and_wave(baseline_run):
    df = baseline_run.survey()
    assert list(df.columns) == ["wave", "item", "group", "value", "n"]
    assert set(df.wave) == {2024, 2025}
    for wave in (2024, 2025):
        w = df[df.wave == wave]
        for item, roles in survey.ASKED.items():
            groups = set(w[w.item == item].group)
            assert "all" in groups
            if IC in roles:
                assert {"fte", "ic", "manager", "top_quartile", "rest", "top_vs_rest"} <= groups
            if FREELANCER in roles:
                assert "freelancer" in groups
            if EXECUTIVE in roles:
                assert "executive" in groups
    drivers = df[(df.wave == 2025) & df.item.str.startswith("driver_") & (df.group == "fte")]
    assert drivers.value.sum() == pytest.approx(1.0)


def test_every_target_maps_to_a_survey_row(baseline_run):
    targets = load_targets()
    assert len(targets) == 32
    assert targets.se.gt(0).all()
    rows = baseline_run.survey().set_index(["wave", "item", "group"]).value
    for t in targets.itertuples():
        assert (t.wave, t.item, t.group) in rows.index, t.id


def test_waves_are_reproducible_and_independent_of_when_asked():
    from sim.model import WorkplaceModel

    a = WorkplaceModel(n_agents=200, rng=3).run(104).survey()
    m = WorkplaceModel(n_agents=200, rng=3)
    m.run(20)
    early = m.survey()
    assert set(early.wave) == {-20}
    b = m.run(84).survey()
    assert a.equals(b)


def test_tabulate_cells_are_the_tables_values(baseline_run):
    """Tabulating some cells gives the full table's numbers, NaN where it has no row."""
    from sim.model import WorkplaceModel

    early = WorkplaceModel(n_agents=100, rng=4).run(20).survey()
    assert early.equals(WorkplaceModel(n_agents=100, rng=4).run(20).survey())
    model = WorkplaceModel(n_agents=400, rng=11).run(104)
    full = baseline_run.survey()
    assert model.survey().equals(full)
    rows = full.set_index(["wave", "item", "group"]).value
    groups = (*survey.GROUPS, survey.RELATIVE_RISK)
    for responses in model._waves:
        cells = [(item, group) for item in survey.ITEMS for group in groups]
        got = responses.cells(reversed(cells))  # any order, any subset
        assert set(got) == set(cells)
        for item, group in cells:
            key = (responses.wave, item, group)
            if key in rows.index:
                np.testing.assert_equal(got[item, group], rows[key])
            else:
                assert math.isnan(got[item, group]), key


def test_main_driver_is_named_in_proportion_to_its_credit():
    """Luce's choice rule: every driver with credit is named, as often as its share of it."""
    from sim.model import WorkplaceModel

    model = WorkplaceModel(n_agents=3000, rng=3)
    s = model.state
    s.credit[:] = np.array([0.4, 0.3, 0.2, 0.1], dtype=s.credit.dtype)
    s.credit[::2, 0] = 0.0  # half the people owe nothing to driver 0: it is never theirs
    slots = np.flatnonzero(s.occupied)
    ctx = survey.context(s, model.adjacency, 0.9)
    answers = survey.respond(s, slots, ctx, np.random.default_rng(1))
    named = np.column_stack([answers[f"driver_{d}"] for d in survey.DRIVERS])
    assert (named.sum(axis=1) == 1).all()
    odd = slots % 2 == 1
    assert named[odd].mean(axis=0) == pytest.approx([0.4, 0.3, 0.2, 0.1], abs=0.04)
    assert not named[~odd, 0].any()
    assert named[~odd, 1:].mean(axis=0) == pytest.approx([0.5, 1 / 3, 1 / 6], abs=0.04)


def test_one_check_serves_every_survey_cell():
    """``check_cell`` is what the model's ``survey_cells`` and the EMA adapter both ask."""
    assert survey.check_cell("burnout", "top_vs_rest", np.int64(2024)) == (
        "burnout",
        "top_vs_rest",
        2024,
    )
    with pytest.raises(UserError, match=r"^unknown survey group 'manger'; did you mean 'manager'"):
        survey.check_cell("burnout", "manger", 2025)
    survey.check_tabulated("burnout", "top_vs_rest")
    with pytest.raises(UserError, match=r"^survey item 'observed_gains' is not tabulated for"):
        survey.check_tabulated("observed_gains", "fte")
