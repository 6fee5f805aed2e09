#!/usr/bin/env python3
"""moehls host for PYNQ (generated): loads the bitstream, the weight image and the golden
model's input and expected output, runs the accelerator N times, and checks every output byte.

Usage on the board: python3 host.py moehls.bit WEIGHTS DATA_DIR [N]
(moehls.hwh must sit beside moehls.bit; build both with build_bd.tcl and MOEHLS_BITSTREAM=1.)
"""
import sys

import numpy as np

POINTERS = [@@pointers@@]
KERNEL = "@@kernel@@"


def register_offsets(ip, name):
    """Offsets of the low and high words of pointer argument `name` in the IP's register map
    (Vitis names them name_1/name_2, or name for one 64-bit register)."""
    regs = ip.register_map
    if hasattr(regs, name + "_1"):
        return getattr(regs, name + "_1").address, getattr(regs, name + "_2").address
    address = getattr(regs, name).address
    return address, address + 4


def run(bitstream, weights_path, data_dir, runs, pynq):
    overlay = pynq.Overlay(bitstream)
    ip = getattr(overlay, KERNEL + "_0")
    weights = np.fromfile(weights_path, dtype=np.uint8)
    image = np.fromfile(data_dir + "/input.bin", dtype=np.uint8)
    expected = np.fromfile(data_dir + "/expected.bin", dtype=np.uint8)
    buffers = {}
    for name, role in POINTERS:
        source = {"weights": weights, "input": image, "output": expected}[role]
        buffer = pynq.allocate(shape=source.shape, dtype=np.uint8)
        if role == "output":
            buffer[:] = 0
        else:
            buffer[:] = source
            buffer.sync_to_device()
        buffers[name] = (buffer, role)
        low, high = register_offsets(ip, name)
        ip.write(low, buffer.device_address & 0xFFFFFFFF)
        ip.write(high, buffer.device_address >> 32)
    ip.write(ip.register_map.task.address, 0)
    ip.write(ip.register_map.trace.address, 1)
    for attempt in range(runs):
        ip.write(0x00, 1)  # ap_start
        while (ip.read(0x00) & 0x2) == 0:  # ap_done
            pass
        for buffer, role in buffers.values():
            if role == "output":
                buffer.sync_from_device()
                mismatch = np.nonzero(np.asarray(buffer) != expected)[0]
                if mismatch.size:
                    i = int(mismatch[0])
                    print("MISMATCH run %d byte %d expected %d got %d" % (attempt, i, expected[i], buffer[i]))
                    print("FAIL")
                    return 1
    print("PASS %d run(s), %d output bytes each" % (runs, expected.size))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    import pynq

    sys.exit(run(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1, pynq))
