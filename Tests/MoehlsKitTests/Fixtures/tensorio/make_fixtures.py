#!/usr/bin/env python3
"""Writes the .npy fixtures of TensorIOTests with NumPy. Run once from this directory:

    python3 make_fixtures.py

The files are committed; the tests compare moehls's reader and writer against them without
needing NumPy. Each file is a few hundred bytes at most.
"""
import numpy as np
from numpy.lib import format as npformat

def save(name, array, version=None):
    if version is None:
        np.save(name, array)  # numpy.save: format 1.0, keeps byte order and Fortran order
    else:
        with open(name, "wb") as f:
            npformat.write_array(f, array, version=version)

# Canonical files: little-endian, C order, format 1.0 -- moehls writes these byte for byte.
save("f8_2x3.npy", (np.arange(6, dtype="<f8") * 0.5 - 1.0).reshape(2, 3))
save("f4_0d.npy", np.array(1.5, dtype="<f4"))
save("u1_0x4.npy", np.zeros((0, 4), dtype="|u1"))
save("i8_3.npy", np.array([-2**63, -1, 2**40], dtype="<i8"))
save("i4_3.npy", np.array([-2**31, 0, 2**31 - 1], dtype="<i4"))
save("i2_3.npy", np.array([-32768, 1, 32767], dtype="<i2"))
save("i1_3.npy", np.array([-128, 0, 127], dtype="|i1"))
save("u2_3.npy", np.array([0, 1, 65535], dtype="<u2"))
save("u4_3.npy", np.array([0, 1, 2**32 - 1], dtype="<u4"))
save("u8_3.npy", np.array([0, 1, 2**64 - 1], dtype="<u8"))
save("b1_2x2x2.npy", np.array([True, False, False, True, True, True, False, False]).reshape(2, 2, 2))
# A first axis with 19 digits: NumPy's growth padding shrinks to 2 spaces.
save("f8_1e18x0.npy", np.zeros((10**18, 0), dtype="<f8"))
# Rank 36: the dict ends exactly on a 64-byte boundary, so NumPy pads a full 64 spaces.
save("u1_rank36.npy", np.array([3, 7], dtype="|u1").reshape((2,) + (1,) * 35))

# Files moehls reads but does not write this way.
save("be_f4_2x2.npy", np.array([[1.0, 2.0], [3.0, -0.25]], dtype=">f4"))
save("be_i2_3.npy", np.array([1, -2, 300], dtype=">i2"))
save("be_u8_2.npy", np.array([1, 2**64 - 2], dtype=">u8"))
save("fortran_i2_2x3.npy", np.asfortranarray(np.arange(6, dtype="<i2").reshape(2, 3)))
save("fortran_f8_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
save("f2_4.npy", np.array([1.0, 65504.0, 2.0**-24, -2.0], dtype="<f2"))
save("v2_f8_2.npy", np.array([0.25, -8.0], dtype="<f8"), version=(2, 0))
save("v3_f8_2.npy", np.array([0.25, -8.0], dtype="<f8"), version=(3, 0))
