/// The host programs of a generated project. Each loads the weight image, the golden model's
/// input and expected output (`hls/tb/data/`), runs the accelerator N times and checks every
/// output byte against the golden model's.
///
/// - `board/<alveo>/host/`: C++ over a thin accelerator layer (`accel.h`) with two backends:
///   `accel_xrt.cpp` (XRT native API, for the card) and `accel_csim.cpp` (calls the HLS top
///   function directly, so the host builds and runs here without XRT);
/// - `board/<zynq>/host.py`: PYNQ (Overlay, allocate, the IP's register map).
public enum HostPrograms {
    /// C++ sources for Alveo boards, relative to the project folder.
    public static func alveo(interface: KernelInterface, boardFolder: String) -> [RenderedFile] {
        let host = "\(boardFolder)/host"
        let pointerCount = interface.pointers.count
        let roles = interface.pointers.map { "\"\($0.role)\"" }.joined(separator: ", ")
        let names = interface.pointers.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let accelHeader = """
            // Thin accelerator layer of the moehls host program (generated). Two backends implement
            // it: accel_xrt.cpp (the card, through XRT) and accel_csim.cpp (C simulation, no XRT).
            #ifndef MOEHLS_ACCEL_H
            #define MOEHLS_ACCEL_H
            #include <cstddef>

            /// Pointer arguments of \(interface.kernel), in order, and what each holds.
            const int ACCEL_POINTERS = \(pointerCount);
            static const char *const ACCEL_POINTER_NAMES[ACCEL_POINTERS] = {\(names)};
            static const char *const ACCEL_POINTER_ROLES[ACCEL_POINTERS] = {\(roles)};

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

            """
        let main = """
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
                    std::fprintf(stderr, "ERROR cannot open %s\\n", path.c_str());
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
                    std::fprintf(stderr, "usage: %s XCLBIN WEIGHTS DATA_DIR [N]\\n", argv[0]);
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
                    std::fprintf(stderr, "ERROR cannot open the device\\n");
                    return 2;
                }
                int output_arg = -1;
                for (int arg = 0; arg < ACCEL_POINTERS; arg++) {
                    const std::string role = ACCEL_POINTER_ROLES[arg];
                    const std::vector<unsigned char> &source = role == "weights" ? weights : role == "input" ? input : expected;
                    void *buffer = accel_buffer(arg, source.size());
                    if (buffer == nullptr) {
                        std::fprintf(stderr, "ERROR cannot allocate %s\\n", ACCEL_POINTER_NAMES[arg]);
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
                        std::fprintf(stderr, "ERROR run %d failed\\n", run);
                        return 2;
                    }
                    const unsigned char *got = static_cast<const unsigned char *>(accel_buffer(output_arg, 0));
                    for (std::size_t i = 0; i < expected.size(); i++) {
                        if (got[i] != expected[i]) {
                            std::printf("MISMATCH run %d byte %zu expected %u got %u\\nFAIL\\n", run, i, expected[i], got[i]);
                            return 1;
                        }
                    }
                }
                accel_close();
                std::printf("PASS %d run(s), %zu output bytes each\\n", runs, expected.size());
                return 0;
            }

            """
        let xrt = """
            // XRT backend of accel.h (generated): the XRT native C++ API (xrt::device, xrt::kernel,
            // xrt::bo). Build on the card's host: g++ -std=c++17 -I$XILINX_XRT/include host.cpp accel_xrt.cpp
            //   -L$XILINX_XRT/lib -lxrt_coreutil -pthread -o moehls_host
            #include "accel.h"

            #include <vector>
            #include <xrt/xrt_bo.h>
            #include <xrt/xrt_device.h>
            #include <xrt/xrt_kernel.h>

            namespace {
            xrt::device device;
            xrt::kernel kernel;
            std::vector<xrt::bo> buffers(ACCEL_POINTERS);
            }  // namespace

            int accel_open(const char *xclbin) {
                device = xrt::device(0);
                const xrt::uuid uuid = device.load_xclbin(xclbin);
                kernel = xrt::kernel(device, uuid, "\(interface.kernel)");
                return 0;
            }

            void *accel_buffer(int arg, std::size_t bytes) {
                if (bytes > 0) buffers[arg] = xrt::bo(device, bytes, kernel.group_id(arg));
                return buffers[arg].map<void *>();
            }

            int accel_to_device(int arg) {
                buffers[arg].sync(XCL_BO_SYNC_BO_TO_DEVICE);
                return 0;
            }

            int accel_from_device(int arg) {
                buffers[arg].sync(XCL_BO_SYNC_BO_FROM_DEVICE);
                return 0;
            }

            int accel_run(int task, int trace) {
                xrt::run run(kernel);
                for (int arg = 0; arg < ACCEL_POINTERS; arg++) run.set_arg(arg, buffers[arg]);
                run.set_arg(ACCEL_POINTERS, task);
                run.set_arg(ACCEL_POINTERS + 1, trace);
                run.start();
                run.wait();
                return 0;
            }

            void accel_close() {}

            """
        let csim = """
            // C-simulation backend of accel.h (generated): calls the HLS top function on host memory,
            // so the host program builds and runs without XRT:
            //   g++ -std=c++14 -O2 -I../../../hls/include -I../../../hls/src -isystem <ap_types> host.cpp accel_csim.cpp
            //       ../../../hls/src/\(interface.kernel).cpp -o moehls_host_csim
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
                \(interface.kernel)(\(interface.pointers.indices.map { "storage[\($0)].data()" }.joined(separator: ", ")), task, trace);
                return 0;
            }

            void accel_close() {
                for (int arg = 0; arg < ACCEL_POINTERS; arg++) std::free(buffers[arg]);
            }

            """
        return [
            RenderedFile(path: "\(host)/accel.h", text: accelHeader),
            RenderedFile(path: "\(host)/host.cpp", text: main),
            RenderedFile(path: "\(host)/accel_xrt.cpp", text: xrt),
            RenderedFile(path: "\(host)/accel_csim.cpp", text: csim),
        ]
    }

    /// The PYNQ host for Zynq boards.
    public static func pynq(interface: KernelInterface, boardFolder: String) -> RenderedFile {
        let pointers = interface.pointers.map { "(\"\($0.name)\", \"\($0.role)\")" }.joined(separator: ", ")
        let text = """
            #!/usr/bin/env python3
            \"\"\"moehls host for PYNQ (generated): loads the bitstream, the weight image and the golden
            model's input and expected output, runs the accelerator N times, and checks every output byte.

            Usage on the board: python3 host.py moehls.bit WEIGHTS DATA_DIR [N]
            (moehls.hwh must sit beside moehls.bit; build both with build_bd.tcl and MOEHLS_BITSTREAM=1.)
            \"\"\"
            import sys

            import numpy as np

            POINTERS = [\(pointers)]
            KERNEL = "\(interface.kernel)"


            def register_offsets(ip, name):
                \"\"\"Offsets of the low and high words of pointer argument `name` in the IP's register map
                (Vitis names them name_1/name_2, or name for one 64-bit register).\"\"\"
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

            """
        return RenderedFile(path: "\(boardFolder)/host.py", text: text)
    }
}
