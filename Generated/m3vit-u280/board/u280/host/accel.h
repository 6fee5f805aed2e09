// Thin accelerator layer of the moehls host program (generated). Two backends implement
// it: accel_xrt.cpp (the card, through XRT) and accel_csim.cpp (C simulation, no XRT).
#ifndef MOEHLS_ACCEL_H
#define MOEHLS_ACCEL_H
#include <cstddef>

/// Pointer arguments of moehls_top, in order, and what each holds.
const int ACCEL_POINTERS = 34;
static const char *const ACCEL_POINTER_NAMES[ACCEL_POINTERS] = {"weights0", "weights1", "weights2", "weights3", "weights4", "weights5", "weights6", "weights7", "weights8", "weights9", "weights10", "weights11", "weights12", "weights13", "weights14", "weights15", "weights16", "weights17", "weights18", "weights19", "weights20", "weights21", "weights22", "weights23", "weights24", "weights25", "weights26", "weights27", "weights28", "weights29", "weights30", "weights31", "image", "output"};
static const char *const ACCEL_POINTER_ROLES[ACCEL_POINTERS] = {"weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "weights", "input", "output"};

/// Opens the device (the .xclbin path is ignored by the C-simulation backend). 0 on success.
int accel_open(const char *xclbin);
/// A host buffer of `bytes` bound to pointer argument `arg`; nullptr on failure.
void *accel_buffer(int arg, std::size_t bytes);
/// Copies argument `arg`'s buffer to the device / back from it. 0 on success.
int accel_to_device(int arg);
int accel_from_device(int arg);
/// Runs the kernel once with the bound buffers and the scalar registers. 0 on success.
int accel_run(int task, int trace);
void accel_close();

#endif
