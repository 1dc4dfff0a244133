"""Morris–Lecar: nullclines, fixed points and their stability (SymPy) against simulations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.topics.neurons import morris_lecar as ml
from numeric import morris_lecar as sim

# (parameter set, current): one stable focus, three fixed points of three types, one unstable focus.
CASES = [("hopf", sp.Integer(0)), ("snlc", sp.Integer(30)), ("hopf", sp.Integer(100))]
EXPECTED_KINDS = {
    ("hopf", 0): ["stable focus"],
    ("snlc", 30): ["stable node", "saddle", "unstable focus"],
    ("hopf", 100): ["unstable focus"],
}


def _points(name: str, current: sp.Integer) -> tuple[ml.FixedPoint, ...]:
    return ml.fixed_points(name, current)


# --- symbolic --------------------------------------------------------------------------------------------------------


def test_nullclines_make_each_derivative_vanish() -> None:
    assert sp.simplify(ml.dvdt().subs(ml.w, ml.v_nullcline())) == 0
    assert sp.simplify(ml.dwdt().subs(ml.w, ml.w_nullcline())) == 0


def test_jacobian_entries() -> None:
    j = ml.jacobian()
    assert sp.simplify(j[0, 1] + ml.g_K * (ml.V - ml.V_K) / ml.C) == 0
    assert sp.simplify(j[1, 1] + ml.phi / ml.tau_w()) == 0
    assert sp.simplify(j[1, 0] - sp.diff(ml.dwdt(), ml.V)) == 0


@pytest.mark.parametrize(
    ("trace", "det", "kind"),
    [
        (-1, -1, "saddle"),
        (-3, 1, "stable node"),
        (-1, 1, "stable focus"),
        (3, 1, "unstable node"),
        (1, 1, "unstable focus"),
    ],
)
def test_classification_rule(trace: float, det: float, kind: str) -> None:
    assert ml.classify(trace, det) == kind


# --- fixed points ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "current"), CASES)
def test_fixed_points_and_their_types(name: str, current: sp.Integer) -> None:
    points = _points(name, current)
    assert [p.kind for p in points] == EXPECTED_KINDS[(name, int(current))]
    parameters = {**ml.PARAMETER_SETS[name], ml.I: current}
    for p in points:
        at = {**parameters, ml.V: p.V, ml.w: p.w}
        # exact arithmetic at 30 digits: both derivatives vanish
        assert abs(ml.dvdt().subs(at).evalf(30)) < 1e-25 and abs(ml.dwdt().subs(at).evalf(30)) < 1e-25
        # the generated float64 nullclines agree with the fixed point to 1e-12
        v_null, w_null = sim.nullclines(np.array(float(p.V)), float(current), sim.parameters(name))
        assert abs(float(v_null) - float(p.w)) < 1e-12 and abs(float(w_null) - float(p.w)) < 1e-12
        # eigenvalues: trace and determinant of the Jacobian
        j = np.array(ml.jacobian().subs(at).evalf(30).tolist(), dtype=float)
        np.testing.assert_allclose(
            sorted(np.linalg.eigvals(j), key=lambda z: (-z.real, -z.imag)), p.eigenvalues, rtol=1e-12
        )


def test_snlc_set_has_one_fixed_point_above_the_saddle_node() -> None:
    # Between 39 and 41 µA/cm² the node and the saddle merge (the SNIC): only the unstable focus remains.
    assert len(_points("snlc", sp.Integer(39))) == 3
    assert [p.kind for p in _points("snlc", sp.Integer(41))] == ["unstable focus"]


# --- stability against simulation ------------------------------------------------------------------------------------


def _start(point: ml.FixedPoint, angle: float, size: float) -> tuple[float, float]:
    """A start ``size`` away in the (V, 100 w) metric: w is about 100 times smaller than V."""
    return float(point.V) + size * np.cos(angle), float(point.w) + size * np.sin(angle) / 100


@pytest.mark.parametrize(("name", "current"), CASES)
def test_stability_matches_a_simulation_started_nearby(name: str, current: sp.Integer) -> None:
    p = sim.parameters(name)
    for point in _points(name, current):
        distances = []
        for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
            run = sim.simulate(float(current), 300.0, _start(point, angle, 1e-3), p, sample=300.0)
            distances.append(np.hypot(run.V[-1] - float(point.V), 100 * (run.w[-1] - float(point.w))))
        if point.stable:
            assert max(distances) < 1e-6, point.kind  # every direction comes back
        else:
            assert min(distances) > 1e-2, point.kind  # every direction leaves (a saddle's stable manifold is missed)


def test_neurons_integrated_together_end_where_each_ends_alone() -> None:
    """``final_states``: 8 starts around the SNLC set's stable node, integrated as one stacked state, end where
    each one's own run ends (the shared steps are at least as fine)."""
    p = sim.parameters("snlc")
    node = next(point for point in _points("snlc", sp.Integer(30)) if point.stable)
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    starts = np.array([_start(node, angle, 1.0) for angle in angles]).T
    together = sim.final_states(30.0, 20.0, starts, p, rtol=1e-10, atol=1e-12)
    for (v0, w0), v, w in zip(starts.T, *together, strict=True):
        run = sim.simulate(30.0, 20.0, (v0, w0), p, sample=20.0, rtol=1e-10, atol=1e-12)
        assert (v, w) == pytest.approx((run.V[-1], run.w[-1]), rel=1e-8, abs=1e-10)


def _simulated_rate(name: str, current: float, point: ml.FixedPoint, size: float, t1: float, t2: float) -> float:
    """log(d(t2)/d(t1))/(t2 − t1) for a deviation of ``size`` started along a generic direction (t2 = t1 or 2 t1)."""
    start = _start(point, 0.3, size)
    run = sim.simulate(current, t2, start, sim.parameters(name), sample=t1 or t2, rtol=1e-12, atol=1e-16)
    d = np.hypot(run.V - float(point.V), 100 * (run.w - float(point.w)))
    return float(np.log(d[-1] / d[-2]) / (t2 - t1))


def test_growth_rates_equal_the_real_parts_of_the_eigenvalues() -> None:
    # Linearised, a focus comes back scaled by exactly e^{Re λ T} after one period T = 2π/Im λ; a node or a
    # saddle, once the faster mode has died out (from t1 on), decays or grows with the larger eigenvalue.
    node, saddle, focus = _points("snlc", sp.Integer(30))
    period = 2 * np.pi / abs(focus.eigenvalues[0].imag)
    assert _simulated_rate("snlc", 30.0, focus, 1e-7, 0.0, period) == pytest.approx(focus.eigenvalues[0].real, rel=1e-4)
    assert _simulated_rate("snlc", 30.0, saddle, 1e-7, 30.0, 60.0) == pytest.approx(
        saddle.eigenvalues[0].real, rel=1e-3
    )
    assert _simulated_rate("snlc", 30.0, node, 1e-3, 60.0, 120.0) == pytest.approx(node.eigenvalues[0].real, rel=5e-3)
    (hopf,) = _points("hopf", sp.Integer(100))
    period = 2 * np.pi / abs(hopf.eigenvalues[0].imag)
    assert _simulated_rate("hopf", 100.0, hopf, 1e-7, 0.0, period) == pytest.approx(hopf.eigenvalues[0].real, rel=1e-4)


def test_hopf_set_fires_repetitively_at_100() -> None:
    (point,) = _points("hopf", sp.Integer(100))
    run = sim.simulate(100.0, 1000.0, _start(point, 0.0, 1e-3), sim.parameters("hopf"), sample=0.5)
    late = run.V[run.t > 500]
    assert late.max() > 20 and late.min() < -40  # a limit cycle of large amplitude around the unstable focus


def test_unknown_parameter_set_is_a_one_line_error() -> None:
    with pytest.raises(ValueError, match="unknown Morris–Lecar parameter set 'foo'"):
        sim.parameters("foo")
