"""Convolution and pooling: gradients derived by sp.diff equal the programs (small sizes, exactly), the
identities hold for every size (symbolic sums), im2col/Toeplitz, the max-pooling tie rule, and the generated
NumPy functions equal PyTorch's forward and autograd in float64."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as tf

import numeric
from derive.calculus.arrays import IndexFormula, Let, evaluate, symbols_array
from derive.printing.array_numpy import Signature, program_lines
from derive.topics import convolution as cv
from nnmath.topics import convolution as topic

RTOL = 1e-12


def close(ours: np.ndarray, reference: torch.Tensor) -> None:
    """Every element within RTOL of PyTorch, relative to the largest magnitude (the measured error is ~1e-16)."""
    ref = reference.detach().numpy()
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=RTOL * float(np.max(np.abs(ref))))


# --- Small sizes: sp.diff of the definition against the programs --------------------------------------


@pytest.mark.parametrize("case", cv.CONV_CASES, ids=lambda c: c.describe())
def test_gradient_programs_equal_sp_diff_exactly(case: cv.Case) -> None:
    checks = cv.conv_gradient_checks(case)
    assert len(checks) == 4 and all(checks.values()), checks


@pytest.mark.parametrize("case", [c for c in cv.CONV_CASES if c.batch == 1], ids=lambda c: c.describe())
def test_im2col_and_toeplitz(case: cv.Case) -> None:
    checks = cv.matrix_form_checks(case)
    assert all(checks.values()), checks
    mf = cv.matrix_form(case)
    assert mf.toeplitz.shape == (case.c_out * int(np.prod(case.L)), case.c_in * int(np.prod(case.N)))
    assert mf.columns.shape == (case.c_in * int(np.prod(case.K)), int(np.prod(case.L)))


def test_toeplitz_of_the_worked_example_is_the_strided_kernel() -> None:
    mf = cv.matrix_form(cv.Case(1, 1, 1, (5,), (3,), (2,), (1,)))
    w = [mf.kernel_rows[0, k] for k in range(3)]
    expected = sp.Matrix([[w[1], w[2], 0, 0, 0], [0, w[0], w[1], w[2], 0], [0, 0, 0, w[0], w[1]]])
    assert mf.toeplitz == expected


def test_unflipped_kernel_is_not_the_input_gradient() -> None:
    """The check can fail: the full correlation with the kernel *not* flipped differs from sp.diff."""
    case = cv.CONV_CASES[0]
    a, sizes, dv = cv.conv_arrays(1), case.sizes(), cv.conv_derivation(case)
    gp, dxp, dx = cv.conv_grad_input(1)
    k = cv.OFFSETS[0]
    wrong = dxp.value.expr.xreplace({a.w[(cv.f, cv.c, cv.space(1).K[0] - 1 - k)]: a.w[(cv.f, cv.c, k)]})
    program = (gp, Let(dxp.target, IndexFormula(dxp.value.indices, wrong)), dx)
    got = evaluate(program, sizes, {a.x: dv.x, a.w: dv.w, a.g: dv.g})["dx"]
    assert not cv.equal_arrays(got, dv.dx)


# --- Every size: index algebra ---------------------------------------------------------------------------


@pytest.mark.parametrize("d", cv.DIMENSIONS)
def test_gradients_proven_for_every_size(d: int) -> None:
    assert cv.general_input_gradient_proof(d)
    assert all(cv.general_weight_gradient_proof(d).values())
    assert cv.general_avg_pool_proof(d)


def test_the_all_sizes_proof_can_fail() -> None:
    proof = cv.input_gradient_sums(1)
    sp_ = cv.space(1)
    assert proof.holds
    assert not cv.same_sum(proof.derivative, proof.program)  # before the change of variables k -> K - 1 - k
    assert not cv.same_sum(proof.derivative, proof.unflipped.xreplace({sp_.s[0]: sp_.s[0] + 1}))


def test_output_size_formula_matches_pytorch() -> None:
    sp_ = cv.space(1)
    (_, formula) = sp_.output_sizes()[0]
    for n, k, s, p in itertools.product(range(3, 9), range(1, 4), range(1, 4), range(0, 3)):
        if k > n + 2 * p:
            continue
        value = int(formula.subs({sp_.N[0]: n, sp_.K[0]: k, sp_.s[0]: s, sp_.p[0]: p}))
        shape = tf.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p).shape[-1]
        assert value == shape


# --- Pooling -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cv.POOL_CASES, ids=lambda c: c.describe())
def test_pooling_gradients_equal_sp_diff(case: cv.Case) -> None:
    assert all(cv.avg_pool_checks(case).values())
    assert all(cv.max_pool_checks(case).values())


def test_derivative_of_a_window_maximum() -> None:
    proof = cv.max_local_proof(4)
    assert proof == {"orders": 24, "holds": True, "tie_sympy": True, "tie_convention": True}
    x = sp.symbols("x_0:4", real=True)
    assert cv.max_window_derivative(4)[0] == sp.Heaviside(x[0] - sp.Max(x[1], x[2], x[3]))


def test_max_pool_mask_evaluation_follows_pytorch_scan() -> None:
    """Exact evaluation of the mask: first maximum at a tie, last NaN if any."""
    a = cv.pool_arrays(1)
    case = cv.Case(1, 1, 1, (4,), (4,), (1,), (0,))
    mask = cv.max_pool_grad(1)[1]
    for values, expected in (((1, 3, 3, 0), 1), ((2, 2, 2, 2), 0), ((1, sp.nan, 5, sp.nan), 3)):
        x = np.array([[list(map(sp.sympify, values))]], dtype=object)
        got = evaluate((cv.max_pool_grad(1)[0], mask), case.sizes(), {a.x: x})["mask"]
        assert [int(v) for v in got[0, 0, 0]] == [int(k == expected) for k in range(4)]


# --- Printing -----------------------------------------------------------------------------------------------


def test_generated_module_is_registered_and_current() -> None:
    (module,) = topic.TOPIC.generated()
    assert module.file == "convolution.py" and module.is_current()


def test_printed_code_reads_the_programs() -> None:
    source = "\n".join(
        program_lines(*next((s, p) for n, s, p, _ in cv.generated_functions() if n == "conv2d_grad_input"))
    )
    assert "numpy.flip(w, axis=(2, 3))" in source  # the flipped index K - 1 - k
    assert 'numpy.einsum("nfuvkl,fckl->ncuv"' in source  # letters are the index symbols of the formula
    assert "sliding_window_view(gp, (k_1, k_2), axis=(2, 3))" in source
    assert "gp[:, :, k_1 - 1:k_1 + s_1*(out_1 - 1):s_1" in source  # the spread: offset K - 1, stride s
    forward = "\n".join(program_lines(*next((s, p) for n, s, p, _ in cv.generated_functions() if n == "conv2d")))
    assert "[:, :, ::s_1, ::s_2]" in forward  # im2col windows every s-th position


def test_printer_rejects_what_it_has_no_rule_for() -> None:
    x, y = sp.IndexedBase("x", shape=(sp.Symbol("N"),)), sp.IndexedBase("y", shape=(sp.Symbol("N"),))
    i, k = sp.symbols("i k", integer=True)
    names = {sp.Symbol("N"): "n"}
    bad_index = (Let(y, IndexFormula((i,), sp.Sum(x[i * k], (k, 0, 2)))),)
    with pytest.raises(ValueError, match="window|affine"):
        program_lines(Signature((x,), names=names), bad_index)
    bad_factor = (Let(y, IndexFormula((i,), sp.sin(x[i]))),)
    with pytest.raises(ValueError, match="no NumPy rule"):
        program_lines(Signature((x,), names=names), bad_factor)


def test_program_evaluated_exactly_equals_the_generated_function() -> None:
    """The same program two ways: exact SymPy evaluation with numbers, and the printed NumPy."""
    case = cv.Case(2, 2, 3, (5, 4), (3, 2), (2, 1), (1, 1))
    rng = np.random.default_rng(7)
    a, sizes = cv.conv_arrays(2), case.sizes()
    x, w, b = rng.integers(-3, 4, (2, 2, 5, 4)), rng.integers(-3, 4, (3, 2, 3, 2)), rng.integers(-3, 4, 3)
    exact = evaluate(cv.conv_forward(2), sizes, {a.x: x.astype(object), a.w: w.astype(object), a.b: b.astype(object)})
    np.testing.assert_array_equal(exact["y"].astype(float), numeric.conv2d(x, w, b, stride=(2, 1), padding=1))


def test_symbols_array_names_are_zero_based() -> None:
    arr = symbols_array(sp.IndexedBase("x"), (1, 2))
    assert [s.name for s in arr.flat] == ["x_{0,0}", "x_{0,1}"]


# --- Against PyTorch (float64) -------------------------------------------------------------------------------

CONV_CONFIGS = [
    # (batch, c_in, c_out, input, kernel, stride, padding) — cut to the first d axes in 1-D
    (1, 1, 1, (5, 5), (3, 3), (1, 1), (0, 0)),
    (2, 3, 4, (9, 11), (3, 2), (2, 3), (1, 0)),
    (3, 2, 5, (8, 7), (2, 3), (1, 2), (0, 1)),
    (2, 2, 2, (10, 9), (3, 3), (3, 2), (2, 1)),
    (1, 4, 2, (6, 6), (6, 1), (1, 1), (2, 0)),  # kernel as large as the input, 1-wide kernel
    (2, 1, 3, (7, 12), (4, 5), (4, 3), (3, 2)),  # padding larger than half the kernel
]


@pytest.mark.parametrize("d", cv.DIMENSIONS)
@pytest.mark.parametrize("config", CONV_CONFIGS, ids=str)
def test_convolution_matches_pytorch(d: int, config: tuple) -> None:
    batch, c_in, c_out, size, kernel, stride, padding = config
    size, kernel, stride, padding = size[:d], kernel[:d], stride[:d], padding[:d]
    rng = np.random.default_rng(sum(size) + 13 * d)
    x, w, b = rng.normal(size=(batch, c_in, *size)), rng.normal(size=(c_out, c_in, *kernel)), rng.normal(size=c_out)
    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (x, w, b))
    ty = getattr(tf, f"conv{d}d")(tx, tw, tb, stride=stride, padding=padding)
    g = rng.normal(size=tuple(ty.shape))
    (ty * torch.tensor(g)).sum().backward()
    name = f"conv{d}d"
    close(getattr(numeric, name)(x, w, b, stride=stride, padding=padding), ty)
    close(getattr(numeric, f"{name}_grad_input")(x, w, g, stride=stride, padding=padding), tx.grad)
    close(getattr(numeric, f"{name}_grad_weight")(x, w, g, stride=stride, padding=padding), tw.grad)
    close(getattr(numeric, f"{name}_grad_bias")(g), tb.grad)


def test_integer_stride_and_padding_mean_every_axis() -> None:
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(1, 2, 7, 6)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    np.testing.assert_array_equal(numeric.conv2d(x, w, b, stride=2, padding=1), numeric.conv2d(x, w, b, (2, 2), (1, 1)))
    assert numeric.conv2d(x.astype(np.float32), w, b).dtype == np.float64


POOL_CONFIGS = [
    # (batch, channels, input, kernel, stride (None: the kernel), padding)
    (1, 1, (6, 6), (2, 2), None, (0, 0)),
    (2, 3, (7, 9), (3, 2), (2, 1), (1, 1)),  # overlapping windows along both axes
    (1, 2, (8, 5), (3, 3), (1, 1), (1, 0)),
    (3, 1, (9, 10), (4, 3), (3, 3), (2, 1)),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("d", cv.DIMENSIONS)
@pytest.mark.parametrize("config", POOL_CONFIGS, ids=str)
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_pooling_matches_pytorch(kind: str, d: int, config: tuple, ties: bool) -> None:
    batch, channels, size, kernel, stride, padding = config
    size, kernel, padding = size[:d], kernel[:d], padding[:d]
    stride = None if stride is None else stride[:d]
    rng = np.random.default_rng(sum(size) + d)
    shape = (batch, channels, *size)
    x = rng.integers(0, 3, size=shape).astype(float) if ties else rng.normal(size=shape)  # ties: many equal maxima
    tx = torch.tensor(x, requires_grad=True)
    ty = getattr(tf, f"{kind}_pool{d}d")(tx, kernel, stride=stride, padding=padding)
    g = rng.normal(size=tuple(ty.shape))
    (ty * torch.tensor(g)).sum().backward()
    name = f"{kind}_pool{d}d"
    close(getattr(numeric, name)(x, kernel, stride, padding), ty)
    close(getattr(numeric, f"{name}_grad")(x, g, kernel, stride, padding), tx.grad)


def test_max_pool_with_nan_matches_pytorch() -> None:
    x = np.array([[[[1.0, np.nan, 3.0, 0.0], [2.0, 5.0, np.nan, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]]])
    tx = torch.tensor(x, requires_grad=True)
    ty = tf.max_pool2d(tx, 2, stride=1)
    g = np.arange(1.0, 10.0).reshape(ty.shape)
    (ty * torch.tensor(g)).sum().backward()
    np.testing.assert_array_equal(numeric.max_pool2d(x, 2, 1), ty.detach().numpy())
    np.testing.assert_array_equal(numeric.max_pool2d_grad(x, g, 2, 1), tx.grad.numpy())


def test_max_pool_gradient_goes_to_the_first_maximum() -> None:
    x = np.array([[[[1.0, 1.0], [1.0, 1.0]]]])  # one window, four equal maxima
    np.testing.assert_array_equal(numeric.max_pool2d_grad(x, np.array([[[[5.0]]]]), 2), [[[[5.0, 0.0], [0.0, 0.0]]]])


def test_the_max_pooling_padding_equation_is_printed_once() -> None:
    """Erratum (issue 13): the −∞ padding of max pooling was printed with the forward pass and with the gradient."""
    from nnmath.topics.convolution.formulas import pooling

    shown = pooling()
    every = shown["max"] + shown["max_grad"]
    padding = [eq for eq in every if r"-\infty" in eq]
    assert len(padding) == 1 and padding[0] == shown["max"][0]
    assert len(every) == len(set(every)) == 4  # pad, forward; scatter (M: the mask), crop
