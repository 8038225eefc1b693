#!/usr/bin/env python3
"""Writes the small .npy fixtures that packages/tensors/src/npy/*.test.ts load.

Run from anywhere with Debian's numpy (apt-get install python3-numpy):

    /usr/bin/python3 packages/tensors/scripts/make-npy-fixtures.py

Every value is a simple formula that the tests recompute in TypeScript, so the files are
checked entry by entry. Deterministic: running it again gives the same bytes.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test-fixtures")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def save(name, array, version=None):
    if version is None:
        np.save(path(name), array, allow_pickle=False)
    else:
        with open(path(name), "wb") as f:
            np.lib.format.write_array(f, array, version=version, allow_pickle=False)


# supported dtypes, C order: value(i) = (i - 3) / 7 for floats, formulas below for integers
save("f8_2x3.npy", ((np.arange(6, dtype=np.float64) - 3) / 7).reshape(2, 3))
save("f4_5.npy", ((np.arange(5, dtype=np.float32) - 3) / np.float32(7)))
save("i4_2x3x4.npy", (np.arange(24, dtype=np.int32) * 1000 - 12345).reshape(2, 3, 4))
save("i8_4.npy", np.array([0, -1, 2**53 - 1, -(2**53 - 1)], dtype=np.int64))
save("b1_2x2.npy", np.array([[True, False], [False, True]]))
save("u1_6.npy", np.arange(6, dtype=np.uint8) * 50)
save("f8_scalar.npy", np.float64(2.5))
save("f8_0x3.npy", np.zeros((0, 3), dtype=np.float64))
save("f8_tokens_2x3x4.npy", (np.arange(24, dtype=np.float64) / 8).reshape(2, 3, 4))
# format versions 2.0 and 3.0 of the same 2x3 float64 array
save("f8_2x3_v2.npy", ((np.arange(6, dtype=np.float64) - 3) / 7).reshape(2, 3), version=(2, 0))
save("f8_2x3_v3.npy", ((np.arange(6, dtype=np.float64) - 3) / 7).reshape(2, 3), version=(3, 0))

# unsupported or broken files
save("fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
save("bigendian_f8_3.npy", np.arange(3, dtype=">f8"))
save("c16_2.npy", np.array([1 + 2j, 3 - 4j], dtype=np.complex128))
save("i8_overflow.npy", np.array([1, 2**60], dtype=np.int64))
with open(path("object_2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.array([1, "a"], dtype=object), allow_pickle=True)
# a valid 4x4 float64 file with its last 40 bytes cut off
full = path("truncated_f8_4x4.npy")
np.save(full, np.arange(16, dtype=np.float64).reshape(4, 4))
with open(full, "rb") as f:
    data = f.read()
with open(full, "wb") as f:
    f.write(data[:-40])

print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT))
