"""NumPy functions generated from the nnmath derivations.

Every function here was printed from a SymPy derivation in ``derive/``
(see ``numeric/_generated/catalogue.py``); nothing is typed by hand.  Importing this
package does no symbolic work.

>>> from numeric import sigmoid, sigmoid_grad
>>> float(sigmoid_grad(0.0))
0.25
>>> from numeric import lookup
>>> float(lookup("softplus").function(1000.0))
1000.0

Conventions: inputs become float64 unless they already are a float array;
elementwise functions broadcast; softmax-like functions and categorical
losses work over the last axis; losses are not reduced (one value per
element or sample), like ``optax`` or PyTorch's ``reduction='none'``.
"""

from numeric._generated.catalogue import *  # noqa: F403 - the generated module defines __all__
from numeric._generated.catalogue import __all__ as _generated_names
from numeric.registry import REGISTRY, NumericEntry, UnknownFunction, lookup

__all__ = [*_generated_names, "REGISTRY", "NumericEntry", "UnknownFunction", "lookup"]

# Convolution, pooling and recurrent networks (generated from derive/topics/)
from numeric._generated.convolution import *  # noqa: E402, F403
from numeric._generated.convolution import __all__ as _convolution_names  # noqa: E402
from numeric._generated.recurrent import *  # noqa: E402, F403
from numeric._generated.recurrent import __all__ as _recurrent_names  # noqa: E402

__all__ += [*_convolution_names, *_recurrent_names]

# Biological neuron models: LIF, Hodgkin–Huxley, Morris–Lecar (generated from derive/topics/neurons/); their
# simulations are numeric.lif, numeric.hodgkin_huxley and numeric.morris_lecar.
from numeric._generated.neurons import *  # noqa: E402, F403
from numeric._generated.neurons import __all__ as _neuron_names  # noqa: E402

__all__ += [*_neuron_names]
