// C-simulation backend of accel.h (generated): calls the HLS top function on host memory,
// so the host program builds and runs without XRT:
//   g++ -std=c++14 -O2 -I../../../hls/include -I../../../hls/src -isystem <ap_types> host.cpp accel_csim.cpp
//       ../../../hls/src/@@kernel@@.cpp -o moehls_host_csim
#include "accel.h"

#include <cstdlib>
#include <vector>

#include "moehls_top.h"

namespace {
std::vector<bus_t> storage[ACCEL_POINTERS];
void *buffers[ACCEL_POINTERS];
}  // namespace

int accel_open(const char *) { return 0; }

void *accel_buffer(int arg, std::size_t bytes) {
    if (bytes > 0) {
        const std::size_t words = (bytes + BUS_BITS / 8 - 1) / (BUS_BITS / 8);
        storage[arg].assign(words, bus_t(0));
        buffers[arg] = std::calloc(words, BUS_BITS / 8);
    }
    return buffers[arg];
}

int accel_to_device(int arg) {
    // Host bytes (little-endian words) into the bus words the top function reads.
    const unsigned char *bytes = static_cast<const unsigned char *>(buffers[arg]);
    for (std::size_t w = 0; w < storage[arg].size(); w++) {
        for (int b = 0; b < BUS_BITS / 8; b++) storage[arg][w].range(8 * b + 7, 8 * b) = bytes[w * (BUS_BITS / 8) + b];
    }
    return 0;
}

int accel_from_device(int arg) {
    unsigned char *bytes = static_cast<unsigned char *>(buffers[arg]);
    for (std::size_t w = 0; w < storage[arg].size(); w++) {
        for (int b = 0; b < BUS_BITS / 8; b++) {
            bytes[w * (BUS_BITS / 8) + b] = static_cast<unsigned char>(storage[arg][w].range(8 * b + 7, 8 * b).to_uint());
        }
    }
    return 0;
}

int accel_run(int task, int trace) {
    @@kernel@@(@@storage_arguments@@, task, trace);
    return 0;
}

void accel_close() {
    for (int arg = 0; arg < ACCEL_POINTERS; arg++) std::free(buffers[arg]);
}
