"""The MLP trainer: results on the bundled data, gradients, reproducibility, regularisation, errors."""

from __future__ import annotations

import numpy as np
import pytest

from numeric.datasets import DATASETS, load, stratified_split
from numeric.mlp import MLP, build
from numeric.optimisers import SGD, Adam
from numeric.registry import REGISTRY

# --- results, reproducible with a seed -------------------------------------------------------


def test_digits_test_accuracy_at_least_95_percent():
    ds = load("digits", seed=0)
    assert (len(ds.y_train), len(ds.y_test)) == (1347, 450)
    net = build([64, 64, 10], activation="relu", seed=0)
    history = net.fit(ds.X_train, ds.y_train, epochs=30, batch_size=32, optimiser="adam", lr=1e-3, seed=0)
    accuracy = net.accuracy(ds.X_test, ds.y_test)
    assert accuracy >= 0.95  # measured 0.9667 (seed 0)
    assert history.train_accuracy[-1] >= accuracy - 0.05
    assert history.train_loss[-1] < history.train_loss[0] / 5


@pytest.mark.parametrize("seed", [0, 1])
def test_xor_solved_by_a_2_2_1_sigmoid_network(seed):
    ds = load("xor")
    net = build([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
    net.fit(ds.X_train, ds.y_train, epochs=2000, batch_size=4, optimiser="adam", lr=0.05, seed=seed)
    assert net.predict_classes(ds.X_train).tolist() == [0, 1, 1, 0]
    p = net.predict(ds.X_train)[:, 0]
    assert np.all(np.abs(p - ds.y_train) < 0.05)  # measured ≤ 0.001


def test_moons_test_accuracy_at_least_97_percent():
    ds = load("moons", seed=0)
    net = build([2, 32, 32, 1], activation="relu", output="sigmoid", seed=0)
    net.fit(ds.X_train, ds.y_train, epochs=100, batch_size=32, optimiser="adam", lr=0.01, seed=0)
    assert net.accuracy(ds.X_test, ds.y_test) >= 0.97  # measured 0.984


def test_same_seed_same_bytes_other_seed_other_result():
    ds = load("iris", seed=3)

    def run(seed):
        net = build([4, 8, 3], activation="tanh", seed=seed)
        h = net.fit(ds.X_train, ds.y_train, epochs=5, batch_size=16, optimiser="momentum", seed=seed)
        return net.parameters.copy(), h.train_loss

    (p1, l1), (p2, l2), (p3, _) = run(0), run(0), run(1)
    assert p1.tobytes() == p2.tobytes() and l1 == l2
    assert np.abs(p1 - p3).max() > 1e-3


@pytest.mark.parametrize("activation, output", [("sigmoid", "sigmoid"), ("relu", "softmax")])
def test_fit_without_evaluation_trains_the_same_parameters(activation, output):
    """evaluate=False skips the per-epoch loss and accuracy only: the same bytes, an empty history, progress
    still called after every epoch; validation data needs the evaluation."""
    ds = load("iris", seed=3)
    sizes, nets, seen = [4, 8, 1 if output == "sigmoid" else 3], [], []
    y, yv = ((d == 0).astype(np.int64) if output == "sigmoid" else d for d in (ds.y_train, ds.y_test))
    for evaluate in (True, False):
        net = build(sizes, activation=activation, output=output, seed=2)
        h = net.fit(
            ds.X_train, y, epochs=6, batch_size=16, seed=5, evaluate=evaluate, progress=lambda e, _: seen.append(e)
        )
        nets.append((net.parameters.copy(), h))
    (p_eval, h_eval), (p_fast, h_fast) = nets
    assert p_eval.tobytes() == p_fast.tobytes()
    assert len(h_eval.train_loss) == 6 and h_fast.train_loss == h_fast.train_accuracy == [] and h_fast.epochs_run == 0
    assert seen == [*range(1, 7)] * 2
    with pytest.raises(ValueError, match="needs evaluate=True"):
        build(sizes, activation=activation, output=output).fit(
            ds.X_train, y, validation=(ds.X_test, yv), evaluate=False
        )


# --- data ---------------------------------------------------------------------------------


def test_data_sets_shapes_and_stratified_split():
    shapes = {"xor": (2, 2), "moons": (2, 2), "circles": (2, 2), "digits": (64, 10), "iris": (4, 3)}
    for name in DATASETS:
        ds = load(name, seed=0)
        assert (ds.n_features, ds.n_classes) == shapes[name]
        assert ds.X_train.dtype == np.float64 and ds.y_train.dtype == np.int64
    ds = load("digits", seed=0)
    whole = np.bincount(np.concatenate([ds.y_train, ds.y_test]))
    assert np.abs(np.bincount(ds.y_test) - 0.25 * whole).max() <= 0.5  # every class held out in proportion
    assert 0.0 <= ds.X_train.min() and ds.X_train.max() <= 1.0  # pixels / 16
    iris = load("iris", seed=0)
    np.testing.assert_allclose(iris.X_train.mean(axis=0), 0, atol=1e-12)  # standardised on the training part
    train, test = stratified_split(np.repeat([0, 1, 2], 10), 0.3, seed=1)
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 30
    assert np.bincount(np.repeat([0, 1, 2], 10)[test]).tolist() == [3, 3, 3]
    with pytest.raises(ValueError, match="unknown data set 'digts'; did you mean digits"):
        load("digts")


# --- API: early stopping, regularisation, float32 ------------------------------------------


def test_early_stopping_restores_the_best_epoch():
    ds = load("digits", seed=0)
    x, y = ds.X_train[:150], ds.y_train[:150]  # a small subset and a wide network: overfits
    net = build([64, 256, 10], activation="relu", seed=0)
    h = net.fit(
        x, y, epochs=300, batch_size=16, optimiser="adam", lr=3e-3, validation=(ds.X_test, ds.y_test), early_stopping=5
    )
    assert h.stopped_early and h.epochs_run < 300
    assert h.best_epoch == int(np.argmin(h.val_loss)) + 1 == h.epochs_run - 5
    assert net.loss_value(ds.X_test, ds.y_test) == pytest.approx(min(h.val_loss), rel=1e-12)


def test_l2_shrinks_the_weights_and_enters_as_lambda_w():
    ds = load("moons", seed=0)
    norms = {}
    for lam in (0.0, 0.01):
        net = build([2, 16, 2], activation="tanh", seed=0)
        net.fit(ds.X_train, ds.y_train, epochs=20, optimiser="sgd", lr=0.1, l2=lam, seed=0)
        norms[lam] = sum(float(np.sum(w**2)) for w in net.weights)
    assert norms[0.01] < 0.8 * norms[0.0]
    net = build([2, 16, 2], activation="tanh", seed=0)
    plain = net.gradients(ds.X_train[:10], ds.y_train[:10])
    for lam, l1 in ((0.3, 0.0), (0.0, 0.2)):
        penalised = net.gradients(ds.X_train[:10], ds.y_train[:10], l2=lam, l1=l1)
        for (gw, gb), (pw, pb), w in zip(plain, penalised, net.weights):
            np.testing.assert_allclose(pw, gw + lam * w + l1 * np.sign(w), rtol=0, atol=1e-15)
            np.testing.assert_array_equal(pb, gb)  # biases are not penalised


def test_float32_trains_in_float32():
    ds = load("digits", seed=0)
    net = build([64, 32, 10], activation="relu", seed=0, dtype="float32")
    net.fit(ds.X_train, ds.y_train, epochs=10, optimiser="adam", lr=3e-3)
    assert net.parameters.dtype == np.float32 and net.predict(ds.X_test).dtype == np.float32
    assert all(g.dtype == np.float32 for pair in net.gradients(ds.X_test[:5], ds.y_test[:5]) for g in pair)
    assert net.accuracy(ds.X_test, ds.y_test) >= 0.93


def test_parameters_are_views_of_one_buffer_and_set_parameters_copies():
    net = build([3, 4, 2], activation="sigmoid", seed=0)
    assert net.n_parameters == 3 * 4 + 4 + 4 * 2 + 2
    net.parameters[:] = np.arange(net.n_parameters)
    assert net.weights[0][0, 0] == 0 and net.biases[1][-1] == net.n_parameters - 1
    other = MLP.from_parameters(net.weights, net.biases, activation="sigmoid", output="softmax")
    np.testing.assert_array_equal(other.parameters, net.parameters)
    other.parameters[0] = 99
    assert net.parameters[0] == 0
    opt = SGD(lr=0.5)
    x, y = np.ones((2, 3)), np.array([0, 1])
    before = net.parameters.copy()
    grads = net.gradients(x, y)
    net.train_step(x, y, opt)
    flat = np.concatenate([np.concatenate([gw.ravel(), gb]) for gw, gb in grads])
    np.testing.assert_allclose(net.parameters, before - 0.5 * flat, rtol=0, atol=1e-12)


def test_optimiser_object_and_history_fields():
    ds = load("circles", seed=0)
    net = build([2, 16, 2], activation="relu", seed=0)
    h = net.fit(ds.X_train, ds.y_train, epochs=3, optimiser=Adam(lr=0.02), validation=(ds.X_test, ds.y_test))
    assert h.epochs_run == 3 and len(h.val_loss) == len(h.val_accuracy) == 3 and not h.stopped_early
    assert all(0 <= a <= 1 for a in h.train_accuracy + h.val_accuracy)
    assert h.train_loss[-1] == pytest.approx(net.loss_value(ds.X_train, ds.y_train), rel=1e-12)


# --- errors: one clear line -------------------------------------------------------------------


def test_unknown_names_and_shape_mismatches_are_clear_value_errors():
    with pytest.raises(ValueError, match="unknown activation 'relux'; did you mean relu"):
        build([2, 3, 1], activation="relux")
    with pytest.raises(ValueError, match="unknown loss 'mse2'; did you mean mse"):
        build([2, 3, 1], output="identity", loss="mse2")
    with pytest.raises(ValueError, match="unknown loss 'sigmoid'"):
        build([2, 3, 1], output="sigmoid", loss="sigmoid")
    with pytest.raises(
        ValueError, match="defined on the logits of a softmax output, but the output activation is 'tanh'"
    ):
        build([2, 3, 3], output="tanh", loss="categorical_cross_entropy_logits")
    net = build([4, 5, 3], activation="tanh", seed=0)
    with pytest.raises(ValueError, match=r"inputs of shape \(10, 5\) do not fit the input layer of 4 units"):
        net.predict(np.zeros((10, 5)))
    with pytest.raises(ValueError, match=r"targets of shape \(9,\) do not fit 10 samples and 3 outputs"):
        net.fit(np.zeros((10, 4)), np.zeros(9, dtype=int), epochs=1)
    with pytest.raises(ValueError, match=r"targets of shape \(10, 2\) do not fit 10 samples and 3 outputs"):
        net.gradients(np.zeros((10, 4)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="class labels must be in 0..2"):
        net.fit(np.zeros((2, 4)), np.array([0, 3]), epochs=1)
    with pytest.raises(ValueError, match="must sum to one"):
        net.gradients(np.zeros((2, 4)), np.full((2, 3), 0.5))
    with pytest.raises(ValueError, match="early_stopping needs validation data"):
        net.fit(np.zeros((2, 4)), np.array([0, 1]), early_stopping=3)
    with pytest.raises(ValueError, match=r"parameter of shape \(3, 3\) where the network has \(5, 4\)"):
        net.set_parameters([np.zeros((3, 3)), np.zeros((3, 5))], [np.zeros(5), np.zeros(3)])


# --- initialisation: declared by the activation's catalogue entry ------------------------------------


@pytest.mark.parametrize(
    ("activation", "expected"),
    [("relu", "he"), ("mish", "he"), ("gelu_tanh", "he"), ("selu", "lecun"), ("tanh", "glorot")]
    + [("softsign", "glorot")],
)
def test_auto_initialisation_follows_the_catalogue_entry(activation, expected):
    assert REGISTRY[activation].init == expected
    net = build([64, 300, 10], activation=activation, seed=0)
    w = net.weights[0]
    rng = np.random.default_rng(0)
    std = {"he": np.sqrt(2 / 64), "lecun": np.sqrt(1 / 64)}
    if expected in std:
        np.testing.assert_array_equal(w, rng.normal(0.0, std[expected], size=w.shape))
    else:
        limit = np.sqrt(6 / (64 + 300))
        np.testing.assert_array_equal(w, rng.uniform(-limit, limit, size=w.shape))
    explicit = build([64, 300, 10], activation=activation, seed=0, init=expected)
    np.testing.assert_array_equal(explicit.weights[0], w)


def test_unknown_init_is_rejected():
    with pytest.raises(ValueError, match="known: auto, he, lecun, glorot"):
        build([2, 3, 1], activation="relu", output="sigmoid", init="xavier")


@pytest.mark.parametrize("activation", ["softsign", "mish", "selu", "gelu_tanh"])
def test_the_new_activations_train(activation):
    ds = load("moons", seed=0)
    net = build([2, 32, 32, 1], activation=activation, output="sigmoid", seed=0)
    net.fit(ds.X_train, ds.y_train, epochs=60, batch_size=32, optimiser="adam", lr=0.01, seed=0)
    assert net.accuracy(ds.X_test, ds.y_test) >= 0.95
