@@header_comment@@
// C simulation testbench: runs moehls_top once on the golden model's input with the trace
// register set, then compares every stage output (moehls_stages.h) with the golden model's,
// bit for bit.
//
// Usage: moehls_tb [DATA_DIR [WEIGHTS_FILE]]
//   DATA_DIR      holds input.bin and expected.bin (default: tb/data, as seen from hls/)
//   WEIGHTS_FILE  the weight image (default: ../weights/weights.bin, as seen from hls/)
// Output: one STAGE line per stage, a TIME line, then PASS; or the first MISMATCH (stage, index,
// row, column, expected and got as raw integers and values) and FAIL, with exit status 1.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "moehls_top.h"
#include "moehls_stages.h"

namespace {

const long BUS_BYTES = BUS_BITS / 8;

/// Reads a file that must hold exactly `count` bus words (little-endian bytes) into `words`.
bool read_words(const std::string &path, long count, std::vector<bus_t> &words) {
    FILE *file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        std::printf("ERROR cannot open %s\n", path.c_str());
        return false;
    }
    std::vector<unsigned char> bytes(static_cast<size_t>(count * BUS_BYTES) + 1);
    const size_t got = std::fread(bytes.data(), 1, bytes.size(), file);
    std::fclose(file);
    if (got != static_cast<size_t>(count * BUS_BYTES)) {
        std::printf("ERROR %s holds %zu bytes; expected %ld\n", path.c_str(), got, count * BUS_BYTES);
        return false;
    }
    words.assign(static_cast<size_t>(count), bus_t(0));
    for (long w = 0; w < count; w++) {
        for (long chunk = 0; chunk < BUS_BYTES / 8; chunk++) {
            unsigned long long value = 0;
            for (long b = 7; b >= 0; b--) value = (value << 8) | bytes[static_cast<size_t>(w * BUS_BYTES + chunk * 8 + b)];
            words[static_cast<size_t>(w)].range(64 * chunk + 63, 64 * chunk) = value;
        }
    }
    return true;
}

/// Activation `index` of the tensor at word `base` of an output image, as its raw integer.
long long activation(const std::vector<bus_t> &words, long base, long index) {
    const long per_word = BUS_BITS / ACT_BITS;
    const bus_t &word = words[static_cast<size_t>(base + index / per_word)];
    const long lane = index % per_word;
    const ap_uint<ACT_BITS> field = word.range(lane * ACT_BITS + ACT_BITS - 1, lane * ACT_BITS);
    ap_int<ACT_W> raw = 0;
    raw.range(ACT_W - 1, 0) = field.range(ACT_W - 1, 0);
    return raw.to_int64();
}

}  // namespace

int main(int argc, char **argv) {
    const std::string data = argc > 1 ? argv[1] : "tb/data";
    const std::string weights_path = argc > 2 ? argv[2] : "../weights/weights.bin";

    std::vector<bus_t> weights, image, expected;
    if (!read_words(weights_path, WEIGHT_WORDS, weights)) return 2;
    if (!read_words(data + "/input.bin", INPUT_WORDS, image)) return 2;
    if (!read_words(data + "/expected.bin", OUTPUT_WORDS, expected)) return 2;
    std::vector<bus_t> output(static_cast<size_t>(OUTPUT_WORDS), bus_t(0));

    const std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    moehls_top(@@tb_arguments@@);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("TIME moehls_top %.3f s\n", elapsed.count());

    long compared = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_t &stage = STAGES[s];
        const long count = static_cast<long>(stage.rows) * stage.columns;
        for (long i = 0; i < count; i++) {
            const long long want = activation(expected, stage.out, i);
            const long long got = activation(output, stage.out, i);
            if (want != got) {
                std::printf("MISMATCH stage=%s index=%ld row=%ld column=%ld expected=%lld got=%lld"
                            " (values %.10g and %.10g)\n",
                            stage.name, i, i / stage.columns, i % stage.columns, want, got,
                            std::ldexp(static_cast<double>(want), -ACT_FB), std::ldexp(static_cast<double>(got), -ACT_FB));
                std::printf("FAIL\n");
                return 1;
            }
        }
        compared += count;
        std::printf("STAGE %s %ld values match\n", stage.name, count);
    }
    std::printf("PASS %ld values in %d stages\n", compared, STAGE_COUNT);
    return 0;
}
