"""Per-epoch training time of scikit-learn's MLPClassifier for bench/train, on the exact table the
bench trains Flywheel on. Reads a JSON job on stdin (paths of the raw float32 features and int32
labels, the shape, the batch size and the epoch count) and prints JSON: CPU and wall milliseconds
of each epoch. One thread: BLAS is pinned to one before numpy loads, as the tfjs WASM backend runs
on one in Node."""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

job = json.load(sys.stdin)
x = np.fromfile(job["x"], dtype=np.float32).reshape(job["rows"], job["features"])
y = np.fromfile(job["y"], dtype=np.int32)
# One epoch per fit call (max_iter=1, warm_start) so each epoch is timed on its own; the same
# MLP, optimiser and batch as Flywheel's: (64, 32) ReLU, Adam at 1e-3, no L2 (alpha=0), shuffled.
mlp = MLPClassifier(
    hidden_layer_sizes=tuple(job["hidden"]),
    solver="adam",
    learning_rate_init=job["learningRate"],
    alpha=0.0,
    batch_size=job["batchSize"],
    max_iter=1,
    warm_start=True,
    shuffle=True,
    random_state=0,
)
warnings.simplefilter("ignore", ConvergenceWarning)
epochs = []
for _ in range(job["epochs"]):
    cpu0, wall0 = time.process_time(), time.perf_counter()
    mlp.fit(x, y)
    epochs.append({"cpuMs": (time.process_time() - cpu0) * 1000, "wallMs": (time.perf_counter() - wall0) * 1000})
print(json.dumps({"epochs": epochs, "loss": mlp.loss_, "dtype": str(mlp.coefs_[0].dtype)}))
