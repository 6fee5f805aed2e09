// moehls host program (generated): loads the weight image and the golden model's input and
// expected output, runs the accelerator N times, and checks every output byte.
//
// Usage: moehls_host XCLBIN WEIGHTS DATA_DIR [N]
//   e.g. moehls_host moehls.xclbin ../../../weights/weights.bin ../../../hls/tb/data 10
// Prints PASS (exit 0) or the first mismatching byte and FAIL (exit 1).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "accel.h"

namespace {

bool read_file(const std::string &path, std::vector<unsigned char> &bytes) {
    FILE *file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        std::fprintf(stderr, "ERROR cannot open %s\n", path.c_str());
        return false;
    }
    bytes.clear();
    unsigned char chunk[65536];
    std::size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
    std::fclose(file);
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s XCLBIN WEIGHTS DATA_DIR [N]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 4 ? std::atoi(argv[4]) : 1;
    std::vector<unsigned char> weights, input, expected;
    const std::string data = argv[3];
    if (!read_file(argv[2], weights) || !read_file(data + "/input.bin", input) ||
        !read_file(data + "/expected.bin", expected)) {
        return 2;
    }
    if (accel_open(argv[1]) != 0) {
        std::fprintf(stderr, "ERROR cannot open the device\n");
        return 2;
    }
    int output_arg = -1;
    for (int arg = 0; arg < ACCEL_POINTERS; arg++) {
        const std::string role = ACCEL_POINTER_ROLES[arg];
        const std::vector<unsigned char> &source = role == "weights" ? weights : role == "input" ? input : expected;
        void *buffer = accel_buffer(arg, source.size());
        if (buffer == nullptr) {
            std::fprintf(stderr, "ERROR cannot allocate %s\n", ACCEL_POINTER_NAMES[arg]);
            return 2;
        }
        if (role == "output") {
            output_arg = arg;
            std::memset(buffer, 0, source.size());
        } else {
            std::memcpy(buffer, source.data(), source.size());
            if (accel_to_device(arg) != 0) return 2;
        }
    }
    for (int run = 0; run < runs; run++) {
        // trace = 1: the kernel writes every stage output, the layout of expected.bin.
        if (accel_run(0, 1) != 0 || accel_from_device(output_arg) != 0) {
            std::fprintf(stderr, "ERROR run %d failed\n", run);
            return 2;
        }
        const unsigned char *got = static_cast<const unsigned char *>(accel_buffer(output_arg, 0));
        for (std::size_t i = 0; i < expected.size(); i++) {
            if (got[i] != expected[i]) {
                std::printf("MISMATCH run %d byte %zu expected %u got %u\nFAIL\n", run, i, expected[i], got[i]);
                return 1;
            }
        }
    }
    accel_close();
    std::printf("PASS %d run(s), %zu output bytes each\n", runs, expected.size());
    return 0;
}
