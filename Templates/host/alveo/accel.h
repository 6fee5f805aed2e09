// Thin accelerator layer of the moehls host program (generated). Two backends implement
// it: accel_xrt.cpp (the card, through XRT) and accel_csim.cpp (C simulation, no XRT).
#ifndef MOEHLS_ACCEL_H
#define MOEHLS_ACCEL_H
#include <cstddef>

/// Pointer arguments of @@kernel@@, in order, and what each holds.
const int ACCEL_POINTERS = @@pointer_count@@;
static const char *const ACCEL_POINTER_NAMES[ACCEL_POINTERS] = {@@pointer_names@@};
static const char *const ACCEL_POINTER_ROLES[ACCEL_POINTERS] = {@@pointer_roles@@};

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
