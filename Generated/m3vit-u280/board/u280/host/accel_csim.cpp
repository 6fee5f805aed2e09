// C-simulation backend of accel.h (generated): calls the HLS top function on host memory,
// so the host program builds and runs without XRT:
//   g++ -std=c++14 -O2 -I../../../hls/include -I../../../hls/src -isystem <ap_types> host.cpp accel_csim.cpp
//       ../../../hls/src/moehls_top.cpp -o moehls_host_csim
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
    moehls_top(storage[0].data(), storage[1].data(), storage[2].data(), storage[3].data(), storage[4].data(), storage[5].data(), storage[6].data(), storage[7].data(), storage[8].data(), storage[9].data(), storage[10].data(), storage[11].data(), storage[12].data(), storage[13].data(), storage[14].data(), storage[15].data(), storage[16].data(), storage[17].data(), storage[18].data(), storage[19].data(), storage[20].data(), storage[21].data(), storage[22].data(), storage[23].data(), storage[24].data(), storage[25].data(), storage[26].data(), storage[27].data(), storage[28].data(), storage[29].data(), storage[30].data(), storage[31].data(), storage[32].data(), storage[33].data(), task, trace);
    return 0;
}

void accel_close() {
    for (int arg = 0; arg < ACCEL_POINTERS; arg++) std::free(buffers[arg]);
}
