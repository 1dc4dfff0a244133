"""NumPy source from SymPy expressions: the course's one NumPy printer.

:class:`NumPyCodePrinter` is SymPy's SciPy printer plus a rule for each of nnmath's function classes
(:mod:`derive.calculus.functions`, :mod:`derive.numerics.stable_functions`), for matrix formulas and
for the sizes of array programs.  Printing is strict: a node without a rule is an error, not silently
wrong code.  What the printed code is assembled into (functions, modules) is
:mod:`derive.numerics.codegen`'s job.
"""

from __future__ import annotations

import keyword

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.precedence import precedence

from derive.printing.matrices import applied, compound, written_sum


class NumPyCodePrinter(SciPyPrinter):
    """SymPy's SciPy printer plus rules for nnmath's function classes and matrix formulas.

    Settings besides SymPy's:

    * ``names``: the Python name of a symbol or matrix symbol (``{W: "w", h_t: "h[t + 1]"}``); a symbol
      without one is printed by its own name, a matrix symbol too if that is a Python identifier;
    * ``batch``: how column vectors are stored.  ``False``: as 1-D arrays, so a transpose of one is the
      array itself (``wᵀ A w`` → ``w @ A @ w``); ``True``: as (batch, n, 1) arrays, so a transpose swaps
      the last two axes and ``diag(v) M`` scales the rows of M (``v * M``);
    * ``indicators``: ``Piecewise((1, c), (0, True))`` printed as the boolean ``c`` (True = 1), which a
      caller multiplies into a float array (it is 0, not NaN, at NaN);
    * ``calls``: an undefined function ``f(x + h)`` printed as a call of ``f``, an argument of the printed
      function (a rule such as the central difference, for any ``f``); ``False``: an error, as any node
      without a rule.

    A product of matrices is ``@``, ``A⁻¹ b`` is ``numpy.linalg.solve(A, b)`` (no inverse is formed), and
    ``floor(a/b)`` of integers is Python's ``(a)//b`` (the sizes of array programs).
    """

    _default_settings = {
        **SciPyPrinter._default_settings,
        "names": None,
        "batch": False,
        "indicators": False,
        "calls": False,
    }

    def __init__(self, settings: dict | None = None):
        super().__init__({"fully_qualified_modules": True, "strict": True, **(settings or {})})
        self._names = self._settings["names"] or {}
        self.condition_inputs: dict[sp.Symbol, set[sp.Symbol]] = {}  # a condition's temporary -> its inputs
        self.printed: set[str] = set()  # the names of the symbols printed so far

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        name = self._names.get(expr, expr.name)
        self.printed.add(name)
        return name

    def _print_AppliedUndef(self, expr) -> str:  # noqa: N802 - SymPy's printers dispatch on the class name
        """``f(x + h)``: a call of the function argument ``f``, with the ``calls`` setting."""
        if not self._settings["calls"]:
            return self._print_not_supported(expr)
        return f"{expr.func.__name__}({', '.join(self._print(a) for a in expr.args)})"

    def _print_sigmoid(self, expr) -> str:
        """σ(u) = e^{min(u, 0)}/(1 + e^{−|u|}): no exp overflows, and σ(−710) ≈ 4.5e-309 is not flushed
        to 0 (``scipy.special.expit`` computes 1/(1 + e^{710}) = 0)."""
        u = self._print(expr.args[0])
        return f"(numpy.exp(numpy.minimum({u}, 0))/(1 + numpy.exp(-numpy.abs({u}))))"

    def _print_softplus(self, expr) -> str:
        """softplus(u) = max(u, 0) + log1p(e^{−|u|}) (``numpy.logaddexp`` warns on a nan input)."""
        u = self._print(expr.args[0])
        return f"(numpy.maximum({u}, 0) + numpy.log1p(numpy.exp(-numpy.abs({u}))))"

    def _print_exp(self, expr) -> str:
        """e^{−n|w|} as (e^{−|w|})ⁿ, and e^{−n(a + b)} as (e^{−(a + b)})ⁿ: n|w| can overflow (2·1e308) where
        e^{−|w|} just underflows (mish' has e^{−2 softplus(x)}, printed as e^{−2 max(x, 0) − 2 log1p(…)})."""
        n, rest = sp.factor_terms(expr.args[0]).as_coeff_Mul()
        if n.is_Integer and n <= -2 and isinstance(rest, sp.Abs):
            return f"numpy.exp(-{self._print(rest)})**{-n}"
        if n.is_Integer and n <= -2 and isinstance(rest, sp.Add):
            return f"numpy.exp(-({self._print(rest)}))**{-n}"
        return f"numpy.exp({self._print(expr.args[0])})"

    # The classes of derive.numerics.stable_functions (written only by derive.numerics.stability).
    def _print_erfcx(self, expr) -> str:
        return f"scipy.special.erfcx({self._print(expr.args[0])})"

    def _print_xlogy(self, expr) -> str:
        return f"scipy.special.xlogy({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_xlog1py(self, expr) -> str:
        return f"scipy.special.xlog1py({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _zero_where(self, c: sp.Expr, u: sp.Expr, safe: str) -> str:
        cc, uu = self._print(c), self._print(u)
        return f"numpy.where(numpy.equal({cc}, 0) & ~numpy.isnan({uu}), {safe}, {uu})"

    def _print_xdivy(self, expr) -> str:
        """c/u with 0 where c = 0; u is a probability or 1 − p, whose 0 is +0 (+ 0.0 turns −0 into +0)."""
        c, u = expr.args
        return f"{self.parenthesize(c, 50)}/({self._zero_where(c, u, '1.0')} + 0.0)"

    def _print_difference_sign(self, expr) -> str:
        """sign(a − b) from comparisons: 1, −1, 0, and nan where a or b is nan or a = b = ±∞."""
        a, b = (self._print(v) for v in expr.args)
        undefined = f"numpy.isnan({a}) | numpy.isnan({b}) | (numpy.isinf({a}) & numpy.equal({a}, {b}))"
        return (
            f"numpy.where(numpy.greater({a}, {b}), 1.0, numpy.where(numpy.less({a}, {b}), -1.0, "
            f"numpy.where({undefined}, numpy.nan, 0.0)))"
        )

    def _print_zero_safe(self, expr) -> str:
        u, c, safe = expr.args
        return self._zero_where(c, u, repr(float(safe)))

    def _print_region_safe(self, expr) -> str:
        u, region, safe = expr.args
        return f"numpy.where({self._print(region)}, {self._print(u)}, {self._branch(safe)})"

    def _print_clip_into(self, expr) -> str:
        u, lo, hi = (self._print(a) for a in expr.args)
        return f"numpy.clip({u}, {lo}, {hi})"

    def _print_grouped(self, expr) -> str:
        return f"({self._print(expr.args[0])})"

    def _print_high_part(self, expr) -> str:
        return f"(numpy.round({self._print(expr.args[0])}*1048576.0)/1048576.0)"

    def _print_finite_point(self, expr) -> str:
        s, point = expr.args
        return f"numpy.where(numpy.isinf({self._print(s)}), {self._branch(point)}, {self._print(s)})"

    def _print_at_infinity(self, expr) -> str:
        """f, replaced by its limits at s = ±∞ (proven by SymPy: derive.numerics.stability.proven_limit)."""
        value, s, minus, plus = expr.args
        v, x = self._print(value), self._print(s)
        return (
            f"numpy.where(numpy.isposinf({x}), {self._branch(plus)}, "
            f"numpy.where(numpy.isneginf({x}), {self._branch(minus)}, {v}))"
        )

    def _print_float_clip(self, expr) -> str:
        b = self._print(expr.args[1])
        return f"numpy.clip({self._print(expr.args[0])}, -{b}, {b})"

    def _print_normal_cdf(self, expr) -> str:
        return f"scipy.special.ndtr({self._print(expr.args[0])})"

    def _print_ClassSum(self, expr) -> str:
        return f"numpy.sum({self._print(expr.args[0])}, axis=-1, keepdims=True)"

    def _print_Pi(self, expr) -> str:
        return "numpy.pi"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        """Nested ``numpy.where``, NaN in any condition's input giving NaN.

        Numeric branch values print as floats so results stay float.  Without
        the NaN test, ``relu(nan)`` would be 0: ``nan > 0`` is False.  With the setting ``indicators``,
        ``Piecewise((1, c), (0, True))`` is the boolean ``c``.
        """
        if self._settings["indicators"] and len(expr.args) == 2 and expr.args[0][0] == 1 and expr.args[1] == (0, True):
            return self._print(expr.args[0][1])
        *branches, (last, last_cond) = expr.args
        if last_cond is not sp.true:
            raise ValueError(f"Piecewise without an 'otherwise' branch: {expr}")
        out = self._branch(last)
        for value, cond in reversed(branches):
            out = f"numpy.where({self._print(cond)}, {self._branch(value)}, {out})"
        inputs = set().union(*(c.free_symbols for _, c in branches))
        inputs = sorted(set().union(*(self.condition_inputs.get(s, {s}) for s in inputs)), key=lambda s: s.name)
        is_nan = " | ".join(f"numpy.isnan({self._print(s)})" for s in inputs)
        return f"numpy.where({is_nan}, numpy.nan, {out})" if inputs else out

    def _branch(self, value: sp.Expr) -> str:
        return repr(float(value)) if value.is_number and value.is_finite else self._print(value)  # oo: numpy.inf

    def _print_Abs(self, expr) -> str:
        return f"numpy.abs({self._print(expr.args[0])})"

    def _print_Min(self, expr) -> str:
        return self._fold("numpy.minimum", expr.args)

    def _print_Max(self, expr) -> str:
        return self._fold("numpy.maximum", expr.args)

    def _fold(self, func: str, args) -> str:
        out = self._print(args[0])
        for a in args[1:]:
            out = f"{func}({out}, {self._print(a)})"
        return out

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        """1/k for an integer k (the mean over a window of k); other powers as SymPy's NumPy printer writes them."""
        if expr.exp == -1 and expr.base.is_integer:
            return f"1/{self.parenthesize(expr.base, precedence(expr))}"
        return super()._print_Pow(expr, rational=rational)

    def _print_floor(self, expr: sp.floor) -> str:
        """floor(a/b) of integers a, b as ``(a)//b`` (a size stays a Python int); else ``numpy.floor``."""
        num, den = sp.fraction(sp.together(expr.args[0]))
        if num.is_integer and den.is_integer and den != 1:
            return f"({self._print(num)})//{self.parenthesize(den, precedence(sp.Mul(2, 3, evaluate=False)))}"
        return f"numpy.floor({self._print(expr.args[0])})"

    # --- matrix formulas ---

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        if expr in self._names:
            return self._names[expr]
        if expr.name.isidentifier() and not keyword.iskeyword(expr.name):
            return expr.name
        raise ValueError(f"matrix {expr} has no Python name")

    def _operand(self, expr: sp.Basic) -> str:
        text = self._print(expr)
        return f"({text})" if isinstance(expr, sp.MatMul) or compound(expr) else text

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        arg = expr.arg
        if self._settings["batch"]:
            return f"numpy.swapaxes({self._print(arg)}, -1, -2)"
        if arg.shape[1] == 1:  # a column vector is a 1-D array: its transpose is the same array
            return self._operand(arg)
        return f"{self._operand(arg)}.T"

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        if coeff.could_extract_minus_sign():
            inner = self._print(sp.MatMul(-coeff, *matrices))
            return f"-{inner}" if coeff == -1 and len(matrices) == 1 else f"-({inner})"
        if isinstance(matrices[0], DiagMatrix):  # diag(v) M: scale the rows of M
            if not self._settings["batch"]:
                raise ValueError(f"diag(v) M is printed for column vectors stored as (batch, n, 1) only: {expr}")
            rest = sp.MatMul(*matrices[1:]) if len(matrices) > 2 else matrices[1]
            product = f"{self._operand(matrices[0].args[0])} * ({self._print(rest)})"
        elif len(matrices) == 2 and isinstance(matrices[0], sp.Inverse):
            product = f"numpy.linalg.solve({self._print(matrices[0].arg)}, {self._print(matrices[1])})"
        elif any(isinstance(m, sp.Inverse) for m in matrices):
            raise ValueError(f"only A⁻¹ b (a solve) can be printed, not {expr}")
        else:
            product = " @ ".join(self._operand(m) for m in matrices)
        if coeff == 1:
            return product
        factor = self.parenthesize(coeff, precedence(sp.Mul(2, 3, evaluate=False)))
        return f"{factor} * ({product})" if len(matrices) > 1 else f"{factor} * {product}"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        """Terms with a positive sign first (``w - eta * (A @ w - b)``, not ``-eta * (A @ w - b) + w``)."""
        return written_sum(expr, self._print)

    def _print_HadamardProduct(self, expr: sp.HadamardProduct) -> str:
        return " * ".join(self._operand(a) for a in expr.args)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        """φ applied to every component: φ's body printed with its variable replaced by the array."""
        arg = self._print(expr.expr)
        if not isinstance(expr.expr, sp.MatrixSymbol) and not isinstance(expr.function.expr, sp.Function):
            arg = f"({arg})"
        return self._print(applied(expr, arg, " * "))


__all__ = ["NumPyCodePrinter"]
