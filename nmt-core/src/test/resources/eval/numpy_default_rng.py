# Generates numpy_default_rng.txt, the oracle for Pcg64Test: the bootstrap indices that
# sacreBLEU's significance.py draws with numpy.random.default_rng(seed).choice(n, size=(R, n),
# replace=True). Run with NumPy (checked in with NumPy 1.24.2, Debian python3-numpy):
#   python3 numpy_default_rng.py > numpy_default_rng.txt
# Line format: seed bound rows cols index...   (rows*cols indices, row-major)
import numpy as np

cases = [(12345, 1, 2), (12345, 2, 3), (12345, 7, 2), (12345, 3004, 2), (0, 50, 2), (2**40 + 7, 13, 2),
         (12345, 1610612736, 1)]
for seed, n, rows in cases:
    size = (rows, n) if n < 10000 else (rows, 64)
    idx = np.random.default_rng(seed).choice(n, size=size, replace=True)
    print(seed, n, size[0], size[1], ' '.join(str(int(x)) for x in idx.ravel()))
