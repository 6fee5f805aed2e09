@@header_comment@@
// The weight ports of the design point: one m_axi bundle per port, all reading the same weight
// image. Kernels that read weights take them through these macros, so the kernels stay the same
// whatever the number of ports.
#ifndef MOEHLS_PORTS_H
#define MOEHLS_PORTS_H

#include "moehls_weights.h"

/// The weight ports as kernel parameters (one weight-image array per m_axi bundle).
#define MOEHLS_WEIGHT_PORT_PARAMS @@weight_port_parameters@@
/// The weight ports as arguments.
#define MOEHLS_WEIGHT_PORT_ARGS @@weight_port_arguments@@
/// The port that also carries biases, LayerNorm parameters and embeddings.
#define MOEHLS_WEIGHT_PORT0 @@weight_port0@@

/// The weight slab of output block o0 of a linear step: port p loads the slab rows
/// p, p + WEIGHT_PORTS, ... (independent calls, so the ports fetch in parallel).
void load_weight_slab(const op_t &op, int task, int o0, slab_t slab[LIN_T_OUT][LIN_MAX_IN], MOEHLS_WEIGHT_PORT_PARAMS) {
#pragma HLS INLINE off
@@weight_share_calls@@
}

#endif
