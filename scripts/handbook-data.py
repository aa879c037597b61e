"""Writes the Python Data Science Handbook's (§5.12) synthetic datasets to data/.

Run once by hand (needs scikit-learn; the outputs are committed, so neither the
product nor its tests run this):  /usr/bin/python3 scripts/handbook-data.py

- blobs.csv: make_blobs(n_samples=400, centers=4, cluster_std=0.60, random_state=0),
  columns swapped (the handbook's X[:, ::-1]);
- stretched-blobs.csv: the same points times rng.randn(2, 2) with rng = RandomState(13);
- moons.csv: make_moons(200, noise=0.05, random_state=0).
Every value is written with repr(), so it round-trips to the same float64.
"""
import csv
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import make_blobs, make_moons

out = pathlib.Path(__file__).resolve().parent.parent / "data"


def write(name, X, y):
    with open(out / name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["x", "y", "label"])
        for row, label in zip(X, y):
            w.writerow([repr(float(row[0])), repr(float(row[1])), int(label)])


X, y = make_blobs(n_samples=400, centers=4, cluster_std=0.60, random_state=0)
X = X[:, ::-1]
write("blobs.csv", X, y)
rng = np.random.RandomState(13)
write("stretched-blobs.csv", np.dot(X, rng.randn(2, 2)), y)
Xm, ym = make_moons(200, noise=0.05, random_state=0)
write("moons.csv", Xm, ym)
print("scikit-learn", sklearn.__version__, "numpy", np.__version__)
