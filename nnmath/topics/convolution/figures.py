"""The convolution page's figure: an image through the generated ``conv2d`` and ``max_pool2d``, and back.

:func:`convolution_example` runs a deterministic picture through ``conv2d`` (a Sobel kernel) and 2×2 max
pooling, and the gradient of ½‖pooled‖² back through ``max_pool2d_grad`` and ``conv2d_grad_input``;
:func:`convolution_figure` shows the four arrays side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from nnmath import plots  # noqa: F401 - the course's matplotlib settings
from numeric import conv2d, conv2d_grad_input, max_pool2d, max_pool2d_grad

IMAGE = 28
EDGE_KERNEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # Sobel: responds to vertical edges


def sample_image(size: int = IMAGE) -> np.ndarray:
    """A deterministic picture: a bright disc and a darker square on a dark background."""
    yy, xx = np.mgrid[0:size, 0:size] / (size - 1)
    disc = ((xx - 0.35) ** 2 + (yy - 0.4) ** 2 < 0.05).astype(float)
    square = ((np.abs(xx - 0.72) < 0.15) & (np.abs(yy - 0.68) < 0.15)).astype(float) * 0.5
    return np.clip(disc + square, 0.0, 1.0)


@dataclass(frozen=True)
class ConvExample:
    image: np.ndarray  # (N, N)
    feature: np.ndarray  # conv2d with the edge kernel, padding 1
    pooled: np.ndarray  # max_pool2d 2×2
    gradient: np.ndarray  # ∂(½‖pooled‖²)/∂image


def convolution_example() -> ConvExample:
    """The sample image through conv2d (Sobel kernel, padding 1) and 2×2 max pooling, and ∂(½‖pooled‖²)/∂image.

    The upstream gradient of ½‖pooled‖² is the pooled map itself, so flat windows (all zeros) send nothing back.
    """
    x = sample_image()[None, None]
    w = EDGE_KERNEL[None, None]
    feature = conv2d(x, w, np.zeros(1), stride=1, padding=1)
    pooled = max_pool2d(feature, 2)
    g_feature = max_pool2d_grad(feature, pooled, 2)
    gradient = conv2d_grad_input(x, w, g_feature, stride=1, padding=1)
    return ConvExample(x[0, 0], feature[0, 0], pooled[0, 0], gradient[0, 0])


def convolution_figure() -> Figure:
    """Four panels: input, edge feature map, max-pooled map, gradient of the pooled sum with respect to the input."""
    ex = convolution_example()
    fig = Figure(figsize=(9.0, 2.6))
    axes = fig.subplots(1, 4)
    panels = (
        (ex.image, "input x (28×28)", "gray"),
        (ex.feature, "y = conv2d(x, Sobel), padding 1", "RdBu_r"),
        (ex.pooled, "max_pool2d(y, 2)  (14×14)", "RdBu_r"),
        (ex.gradient, "∂(½‖pooled‖²)/∂x", "RdBu_r"),
    )
    for ax, (data, title, cmap) in zip(axes, panels):
        limit = float(np.max(np.abs(data))) or 1.0
        vmin = 0.0 if cmap == "gray" else -limit
        ax.imshow(data, cmap=cmap, vmin=vmin, vmax=limit, interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.tight_layout()
    return fig
