"""Episode 11 (optional): the leaky integrate-and-fire neuron, the biological cousin of the sigmoid unit."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

CURRENTS = (1.6, 2.0, 3.0)  # nA: input currents of the figure (the rheobase is 1.5 nA)


def _parameters() -> dict[str, float]:
    from derive.topics.neurons import lif

    return {s.name: float(v) for s, v in lif.PARAMETERS.items()}


def _figure(p: dict):
    """V(t) from reset for three currents, and the firing rate f(I), with the generated LIF functions."""
    import numpy as np

    import numeric
    from nnmath.plots import drawn, plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.2))
    t = np.linspace(0, 40, 400)
    for current, colour in zip(CURRENTS, ("#9467bd", "#1f77b4", "#d62728"), strict=True):
        v = numeric.lif_membrane(t, current, p["tau"], p["R"], p["V_rest"], p["V_reset"])
        spike = float(numeric.lif_time_to_spike(current, p["tau"], p["R"], p["V_rest"], p["V_th"], p["V_reset"]))
        left.plot(t[t <= spike], v[t <= spike], color=colour, label=f"I = {current:g} nA: spike at {spike:.1f} ms")
    left.axhline(p["V_th"], color="#7f7f7f", linestyle="--", linewidth=1)
    left.set_xlabel("t (ms)")
    left.set_ylabel("V (mV)")
    left.legend(fontsize=7)
    left.set_title("Charging to the threshold", fontsize=9)
    currents = np.linspace(0, 6, 300)
    rate = numeric.lif_rate(currents, p["tau"], p["R"], p["V_rest"], p["V_th"], p["V_reset"], p["t_ref"])
    right.plot(currents, 1000 * rate, color="#2ca02c", linewidth=2)
    right.set_xlabel("I (nA)")
    right.set_ylabel("rate (spikes/s)")
    right.set_title("Firing rate: an activation function", fontsize=9)
    fig.tight_layout()
    return drawn(fig)


def body() -> Body:
    import numeric
    from derive.topics.neurons.equations import LIF_EXAMPLE_CURRENT
    from nnmath.topics.neurons.formulas import lif_solution

    f = lif_solution()
    p = _parameters()
    current = float(LIF_EXAMPLE_CURRENT)
    spike = float(numeric.lif_time_to_spike(current, p["tau"], p["R"], p["V_rest"], p["V_th"], p["V_reset"]))
    return Body(
        ideas=(
            Idea(
                "A neuron that integrates and fires",
                (
                    "A biological neuron's membrane charges like a leaky capacitor under an input current and fires "
                    "a spike when its voltage reaches a threshold, then resets. Between spikes the voltage follows "
                    "a linear differential equation that SymPy solves in closed form.",
                ),
                formulas=(f["equation"], f["trajectory"], f["time_to_spike"]),
                figure="lif",
            ),
            Idea(
                "The rate as an activation function",
                (
                    "Averaged over time, the neuron's firing rate is a function of the input current: zero below "
                    "the rheobase, rising, then saturating because of the refractory period. Artificial units keep "
                    "only this input–output curve: the sigmoid and the ReLU are its simplified cousins.",
                ),
                formulas=(f["rheobase"], f["rate"]),
            ),
        ),
        challenges=(
            Challenge(
                "Time to spike",
                f"With {', '.join(f'{k} = {v:g}' for k, v in p.items() if k in ('tau', 'R', 'V_rest', 'V_th'))} "
                f"and V starting at rest, how long does a current of {current:g} nA take to reach the threshold?",
                solution=f"The time-to-spike formula of the first idea, with these numbers: t* = {spike:.4g} ms. The "
                "current is above the rheobase, so the neuron does fire.",
                answer=f"{spike:.4g} ms",
                mistakes=("Forgetting that below the rheobase the neuron never fires.",),
            ),
        ),
        figures={"lif": _figure(p)},
    )


EPISODE = Episode(
    id="spiking-neurons",
    number=11,
    title="Optional: spiking neurons and the integrate-and-fire model",
    stage="theory",
    questions=("How does a biological neuron compute, and what do artificial units keep of it?",),
    objectives=(
        "Compute the time to the first spike of a leaky integrate-and-fire neuron.",
        "Relate the firing-rate curve to an activation function.",
    ),
    teaching_minutes=8,
    exercise_minutes=2,
    keypoints=(
        "An integrate-and-fire neuron charges to a threshold, spikes and resets.",
        "Its firing rate against input current is the biological origin of activation functions.",
    ),
    instructor_notes=("Optional: for a longer session, or for participants who finish the practice early.",),
    body=body,
    references=("neurons-lif", "neurons-spiking-and-artificial"),
    show=("The LIF figure: charging curves and the rate curve.",),
    optional=True,
)
