"""Cost of one Hodgkin–Huxley right-hand-side call (µs), the unit of the neurons topic's simulations.

Run:  python bench/hh_rhs.py [--calls N] [--repeats R]

``solve_ivp`` calls this right-hand side for the sampled runs of the neurons record (rest, the spike train); the f–I
curve and the thresholds call the same generated unconverted forms from :func:`numeric.hodgkin_huxley.spike_trains`
(each stage of its Dormand–Prince steps, about 6 × 13,500 calls for up to 147 neurons).  This times, for 1, 9 and 61
stacked neurons:

* ``rhs``: :func:`numeric.hodgkin_huxley.rhs`, which calls the generated unconverted forms ``hh_dvdt_raw``…;
* ``converted``: the same stacking calling ``hh_dvdt``…, which convert every argument (``as_float``) and the result
  (``keep_float``) on each call.

It first checks that both give the same numbers bit for bit.  The two take turns (round robin) and each cell is the
median of ``--repeats`` measurements, so that load from other programs hits them alike.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from numeric import HODGKIN_HUXLEY_PARAMETERS, hh_dhdt, hh_dmdt, hh_dndt, hh_dvdt
from numeric import hodgkin_huxley as hh


def converted(current: np.ndarray):
    """The right-hand side through the converting generated functions."""
    p = HODGKIN_HUXLEY_PARAMETERS

    def f(t: float, y: np.ndarray) -> np.ndarray:
        v, m, h, n = y.reshape(4, -1)
        return np.concatenate([hh_dvdt(v, m, h, n, current, **p), hh_dmdt(v, m), hh_dhdt(v, h), hh_dndt(v, n)])

    return f


def per_call(f, y: np.ndarray, calls: int) -> float:
    """Microseconds of CPU per call of ``f(0, y)``."""
    start = time.process_time()
    for _ in range(calls):
        f(0.0, y)
    return 1e6 * (time.process_time() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("| neurons | rhs (µs/call) | converted (µs/call) | ratio |")
    print("| ---: | ---: | ---: | ---: |")
    for size in (1, 9, 61):
        current = np.linspace(5.0, 10.0, size)
        rng = np.random.default_rng(size)
        y = (hh.gates_at_rest(rng.uniform(-80.0, 30.0, size))).ravel()
        fast, slow = hh.rhs(current), converted(current)
        assert np.array_equal(fast(0.0, y), slow(0.0, y)), "the two right-hand sides differ"
        times = {"rhs": [], "converted": []}
        for _ in range(args.repeats):
            times["rhs"].append(per_call(fast, y, args.calls))
            times["converted"].append(per_call(slow, y, args.calls))
        a, b = statistics.median(times["rhs"]), statistics.median(times["converted"])
        print(f"| {size} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
