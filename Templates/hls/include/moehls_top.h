@@header_comment@@
#ifndef MOEHLS_TOP_H
#define MOEHLS_TOP_H

#include "moehls_config.h"

/// Runs one forward pass. Weight ports: the weight image (weights/weights.bin), the same
/// buffer on every port. image: the input image or tokens (hls/tb/data/input.bin layout).
/// output: the output image (stage outputs when `trace` is set, else only the features and
/// logits). task: which task's gate routes the MoE layers (0 ..< TASKS).
void moehls_top(@@top_parameters@@);

#endif
