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
    kernel = xrt::kernel(device, uuid, "@@kernel@@");
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
