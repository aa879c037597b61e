"""Writes data/wine.csv: scikit-learn's bundled copy of the UCI wine data
(178 rows, 13 numeric columns on very different scales, the cultivar `class`).
Run with Debian's python3-sklearn: /usr/bin/python3 scripts/wine-data.py"""
import csv
from sklearn.datasets import load_wine

wine = load_wine()
names = [n.replace('/', '_') for n in wine.feature_names]
with open('data/wine.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(names + ['class'])
    for row, label in zip(wine.data, wine.target):
        w.writerow([repr(float(v)) if not float(v).is_integer() else int(v) for v in row] + [f'class_{label}'])
