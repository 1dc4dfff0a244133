"""Episode 5: probability and statistics — outputs as probabilities, softmax, cross-entropy, metrics."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Challenge, Episode, Idea

LOGITS = (2.0, 1.0, 0.1)  # the scores of the softmax example (class 1 is the right one)
COUNTS = {"tp": 8, "fp": 2, "fn": 4, "tn": 86}  # a detector's confusion counts on 100 images


def _softmax_numbers() -> dict:
    """p = softmax(z) and the cross-entropy −log p₁ with the generated functions."""
    import numpy as np

    import numeric

    z = np.array([LOGITS])
    p = numeric.softmax(z)[0]
    y = np.array([[1.0, 0.0, 0.0]])
    return {"exp": np.exp(z[0]), "p": p, "loss": float(numeric.categorical_cross_entropy_logits(z, y)[0])}


def _metrics_numbers() -> dict:
    import numeric

    c = COUNTS
    return {
        "accuracy": float(numeric.accuracy(c["tp"], c["fp"], c["fn"], c["tn"])),
        "precision": float(numeric.precision(c["tp"], c["fp"])),
        "recall": float(numeric.recall(c["tp"], c["fn"])),
        "f1": float(numeric.f1_score(c["tp"], c["fp"], c["fn"])),
    }


def _figure(sm: dict):
    """Left: softmax of the example's scores; right: the loss −log p against the probability of the right class."""
    import numpy as np

    import numeric
    from nnmath.plots import drawn, plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.3))
    k = np.arange(1, len(LOGITS) + 1)
    left.bar(k - 0.18, LOGITS, width=0.36, color="#7f7f7f", label="score z")
    left.bar(k + 0.18, sm["p"], width=0.36, color="#1f77b4", label="probability p = softmax(z)")
    left.set_xticks(k)
    left.set_xlabel("class")
    left.legend(fontsize=8)
    left.set_title("Softmax: positive, sums to 1, keeps the order", fontsize=9)
    p = np.linspace(0.01, 0.99, 200)
    logits = np.stack([np.log(p), np.log1p(-p)], axis=1)  # a 2-class model that gives the right class p
    target = np.tile([1.0, 0.0], (len(p), 1))
    right.plot(p, numeric.categorical_cross_entropy_logits(logits, target), color="#d62728", linewidth=2)
    right.plot([sm["p"][0]], [sm["loss"]], "o", color="#1f77b4")
    right.set_xlabel("probability given to the right class")
    right.set_ylabel("cross-entropy −log p")
    right.set_title("Confidently wrong costs the most", fontsize=9)
    fig.tight_layout()
    return drawn(fig)


def body() -> Body:
    from derive.topics import probability
    from nnmath.topics.probability.formulas import likelihood, log_odds_formulas, metric_rows, softmax_definition

    odds = log_odds_formulas()
    nll = likelihood(probability.likelihood("categorical"))
    rates = {r["name"]: r["tex"] for r in metric_rows()}
    sm = _softmax_numbers()
    m = _metrics_numbers()
    c = COUNTS
    p = ", ".join(f"{v:.3f}" for v in sm["p"])
    return Body(
        ideas=(
            Idea(
                "An output unit as a probability",
                (
                    "A sigmoid output lies in (0, 1), so we read it as the probability that the input belongs to "
                    "the class. Its inverse, the logit, turns a probability back into the score z: the network's "
                    "last weighted input is the log-odds of the class.",
                ),
                formulas=(odds["definition"], odds["model"], odds["odds"]),
            ),
            Idea(
                "Softmax: scores to a distribution",
                (
                    f"With K classes the softmax exponentiates the scores and normalises them. Every p is positive "
                    f"and they sum to 1; a larger score keeps a larger probability. For z = {LOGITS}: p = ({p}).",
                ),
                formulas=(softmax_definition(),),
                figure="softmax",
            ),
            Idea(
                "Cross-entropy is a negative log-likelihood",
                (
                    "Training maximises the probability the model gives to the right labels. Taking −log turns the "
                    "product over samples into a sum, and gives the cross-entropy loss: small when the right class "
                    "gets probability near 1, without bound when it gets probability near 0.",
                ),
                formulas=(nll["nll"], nll["equals"]),
            ),
            Idea(
                "Statistics of the result: metrics",
                (
                    "Accuracy alone hides what kind of mistakes a model makes. From the confusion counts (true and "
                    "false positives and negatives) precision asks how many alarms were right, recall how many "
                    "positives were found, and F1 balances the two.",
                ),
                formulas=tuple(rates[k] for k in ("accuracy", "precision", "recall", "f1") if k in rates),
            ),
        ),
        challenges=(
            Challenge(
                "Softmax and its loss",
                f"A network gives the scores z = {LOGITS}, and class 1 is right. Compute the probabilities and the "
                "cross-entropy loss.",
                solution=(
                    f"e^z = ({', '.join(f'{v:.3f}' for v in sm['exp'])}), divide by their sum: "
                    f"p = ({p}). Loss = −log p₁ = {sm['loss']:.3f}."
                ),
                answer=f"p = ({p}), loss {sm['loss']:.3f}",
                hints=("Subtracting the largest score from every score first changes nothing and avoids overflow.",),
                mistakes=("Taking −log of the largest probability rather than of the right class's.",),
            ),
            Challenge(
                "Accuracy is not everything",
                f"A detector on 100 images has TP = {c['tp']}, FP = {c['fp']}, FN = {c['fn']}, TN = {c['tn']}. "
                "Compute accuracy, precision, recall and F1. Which number would a patient care about?",
                solution=(
                    f"accuracy = {m['accuracy']:.2f}, precision = {m['precision']:.3f}, recall = {m['recall']:.3f}, "
                    f"F1 = {m['f1']:.3f}. The accuracy looks excellent, but a third of the positives are missed "
                    "(recall): the number that matters when missing a case is costly."
                ),
                answer=f"{m['accuracy']:.2f}, {m['precision']:.3f}, {m['recall']:.3f}, {m['f1']:.3f}",
                mistakes=(
                    "Swapping precision and recall.",
                    "Averaging precision and recall instead of the harmonic mean.",
                ),
            ),
        ),
        figures={"softmax": _figure(sm)},
    )


EPISODE = Episode(
    id="probability",
    number=5,
    title="Probability and statistics: softmax, cross-entropy, metrics",
    stage="theory",
    questions=(
        "When may we read a network's output as a probability?",
        "Why is cross-entropy the loss for classification, and how do we judge the result?",
    ),
    objectives=(
        "Compute softmax probabilities and the cross-entropy loss for given scores.",
        "Explain cross-entropy as the negative log-likelihood of the labels.",
        "Compute accuracy, precision, recall and F1 from confusion counts.",
    ),
    teaching_minutes=8,
    exercise_minutes=3,
    keypoints=(
        "Sigmoid and softmax turn scores into probabilities; the score is the log-odds.",
        "Cross-entropy = −log(probability of the right class): it punishes confident mistakes.",
        "Accuracy can hide errors; precision, recall and F1 say which errors.",
    ),
    instructor_notes=(
        "Ask the room to guess the softmax probabilities before revealing them.",
        "The metrics challenge sets up the discussion episode: which number would you report?",
    ),
    body=body,
    references=("log-odds", "softmax-distribution", "likelihood", "metrics"),
    show=("The softmax and cross-entropy figure.", "The metrics page's confusion matrix of the digits network."),
)
