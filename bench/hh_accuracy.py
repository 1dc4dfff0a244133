"""Accuracy of the Hodgkin–Huxley f–I rates against a tight reference, for the two ways of integrating a batch.

Run:  python bench/hh_accuracy.py [--currents 6.5 10 30]   (about 7 s of CPU per current for the reference)

* reference: one current at a time, ``solve_ivp`` DOP853 with rtol 1e-10, atol 1e-12, spikes located as events;
* stacked: :func:`numeric.hodgkin_huxley.simulate` of all currents as one state (RK45, rtol = atol = 1e-6, samples
  every 0.05 ms, crossings interpolated linearly): what the neurons record used before session 4;
* own steps: :func:`numeric.hodgkin_huxley.spike_trains` at the record's tolerance (every current takes its own steps).

The rate is the record's: (spikes − 1)/(last − first) over the last 500 ms of 1000 ms, 0 if not sustained.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.integrate import solve_ivp

from nnmath.topics.neurons import measurements
from numeric import hodgkin_huxley as hh

DURATION, WINDOW, LAST = measurements.HH_DURATION, measurements.HH_WINDOW, measurements.HH_LAST


def reference_spikes(current: float) -> np.ndarray:
    """Spike times of one neuron, DOP853 at rtol 1e-10, atol 1e-12, crossings of 0 mV found as events."""

    def crossing(t: float, y: np.ndarray) -> float:
        return y[0] - hh.SPIKE_THRESHOLD

    crossing.direction = 1
    start = hh.gates_at_rest(hh.fixed_point(0.0)).ravel()
    f = hh.rhs(np.array([current]))
    sol = solve_ivp(f, (0.0, DURATION), start, method="DOP853", rtol=1e-10, atol=1e-12, events=crossing)
    return sol.t_events[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--currents", type=float, nargs="+", default=[c for c in measurements.HH_CURRENTS if c >= 6.5])
    currents = np.asarray(parser.parse_args().currents)
    reference = hh.rates(hh.SpikeTrains(DURATION, tuple(reference_spikes(c) for c in currents)), WINDOW, LAST)
    run = hh.simulate(currents, DURATION, rtol=1e-6, atol=1e-6, sample=0.05)
    stacked = hh.rates(hh.SpikeTrains(DURATION, tuple(run.spikes())), WINDOW, LAST)
    tol = measurements.HH_TOLERANCE
    own = hh.firing_rates(currents, DURATION, WINDOW, rtol=tol, atol=tol)
    print("| I (µA/cm²) | reference (Hz) | stacked RK45 1e-6 error | own steps error |")
    print("| ---: | ---: | ---: | ---: |")
    for c, r, a, b in zip(currents, reference, stacked, own, strict=True):
        print(f"| {c:g} | {r:.9f} | {abs(a - r):.1e} | {abs(b - r):.1e} |")
    for name, rates in (("stacked", stacked), ("own steps", own)):
        error = np.abs(rates - reference)
        print(f"{name}: max {error.max():.2e} Hz, mean {error.mean():.2e} Hz")


if __name__ == "__main__":
    main()
