"""BP1-BP4 verified weight by weight: for concrete networks, against ``sympy.diff`` of the expanded loss."""

from __future__ import annotations

from derive.topics.backpropagation import network, verify_elementwise

# The networks whose BP1-BP4 are compared with sympy.diff, weight by weight: (sizes, hidden, output, loss).
BACKPROP_NETWORKS = (
    ((3, 4, 2), "sigmoid", "sigmoid", "mse"),
    ((2, 3, 3), "sigmoid", "softmax", "categorical_cross_entropy_logits"),
)


class BackpropagationMismatch(ArithmeticError):
    """BP1-BP4 gave a derivative that ``sympy.diff`` does not."""


def verified(sizes: tuple[int, ...], hidden: str, output: str, loss: str) -> dict:
    """BP1-BP4 against ``sympy.diff`` of the expanded loss, for every weight and bias of one network."""
    v = verify_elementwise(network(sizes, hidden, output, loss))
    return {
        "sizes": "-".join(map(str, v.sizes)),
        "hidden": hidden,
        "output": output,
        "loss": loss,
        "checked": v.checked,
        "mismatches": list(v.mismatches),
        "holds": v.holds,
    }


def networks() -> list[dict]:
    """Every network of :data:`BACKPROP_NETWORKS` verified; raises :class:`BackpropagationMismatch` if one fails."""
    results = [verified(*net) for net in BACKPROP_NETWORKS]
    wrong = [f"backpropagation {v['sizes']}" for v in results if not v["holds"]]
    if wrong:
        raise BackpropagationMismatch(f"BP1-BP4 disagree with sympy.diff: {', '.join(wrong)}")
    return results


__all__ = ["BACKPROP_NETWORKS", "BackpropagationMismatch", "networks", "verified"]
