"""The public Python API of the trainer, read from the code: signatures, docstrings, and an example that runs.

The Python API page documents ``numeric.mlp``, ``numeric.datasets`` and ``numeric.optimisers`` from what the
code says of itself (:func:`inspect.signature`, the first paragraph of each docstring), so the page cannot drift
from the code; the example is a real function whose body the page shows and whose output it prints.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import re
import textwrap
from collections.abc import Callable

MLP_METHODS = (
    "fit",
    "predict",
    "predict_classes",
    "accuracy",
    "loss_value",
    "gradients",
    "train_step",
    "set_parameters",
)


def example() -> None:
    from numeric import datasets, mlp

    data = datasets.load("digits", seed=0)
    net = mlp.build([64, 64, 10], activation="relu", output="softmax", seed=0)
    history = net.fit(data.X_train, data.y_train, epochs=30, optimiser="adam", lr=1e-3)
    print(net.predict_classes(data.X_test[:8]), data.y_test[:8], net.accuracy(data.X_test, data.y_test))
    print([(dW.shape, db.shape) for dW, db in net.gradients(data.X_test[:5], data.y_test[:5])], len(history.train_loss))


def example_source() -> str:
    """The body of :func:`example`, as the page shows it (the code that runs is the code shown)."""
    body = inspect.getsource(example).splitlines()[1:]
    return textwrap.dedent("\n".join(body)) + "\n"


def example_output() -> str:
    """What :func:`example` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        example()
    return out.getvalue()


def markdown(doc: str) -> str:
    """A docstring paragraph for Markdown: RST ``code`` and :math:`…` become `code` and $…$."""
    doc = re.sub(r":math:`([^`]*)`", r"$\1$", doc)
    return re.sub(r"``([^`]*)``", r"`\1`", doc)


class _Annotation(str):
    """A string annotation (``from __future__ import annotations``) shown without quotes."""

    def __repr__(self) -> str:
        return str(self)


def summary(obj: object) -> str:
    """The first paragraph of ``obj``'s docstring, on one line, in Markdown."""
    return markdown((inspect.getdoc(obj) or "").split("\n\n")[0].replace("\n", " "))


def described(function: Callable, name: str) -> dict:
    """``name`` with ``function``'s signature (without ``self``) and the first paragraph of its docstring."""
    sig = inspect.signature(function)
    unquote = lambda a: _Annotation(a) if isinstance(a, str) else a  # noqa: E731
    params = [p.replace(annotation=unquote(p.annotation)) for p in sig.parameters.values() if p.name != "self"]
    sig = sig.replace(parameters=params, return_annotation=unquote(sig.return_annotation))
    return {"name": name, "signature": f"{name}{sig}", "summary": summary(function)}


def python_api() -> dict:
    """The example with its output, and the public names with signatures and first docstring paragraph."""
    from numeric import datasets, mlp, optimisers

    methods = [described(getattr(mlp.MLP, m), f"MLP.{m}") for m in MLP_METHODS]
    methods.append(described(mlp.MLP.from_parameters, "MLP.from_parameters"))
    # an optimiser is documented by its constructor's signature and its class's docstring
    classes = (optimisers.SGD, optimisers.Momentum, optimisers.Adam)
    return {
        "example": example_source(),
        "output": example_output(),
        "functions": [described(mlp.build, "mlp.build"), described(datasets.load, "datasets.load")],
        "methods": methods,
        "optimisers": [
            {**described(cls.__init__, f"optimisers.{cls.__name__}"), "summary": summary(cls)} for cls in classes
        ],
        "activations": list(mlp.activation_names()),
        "losses": mlp.loss_names(),
        "datasets": list(datasets.DATASETS),
    }
