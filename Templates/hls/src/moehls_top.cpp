@@header_comment@@
// The accelerator's top function: runs the forward-pass program (moehls_program.h) one step at a
// time. Each kernel has exactly one call site, so each is one block of hardware shared by every
// layer; the program ROM says which buffers, weights and sizes a step uses.
#include "moehls_top.h"
#include "moehls_embed.h"
#include "moehls_linear.h"
#include "moehls_layernorm.h"
#include "moehls_attention.h"
#include "moehls_moe.h"
#include "moehls_program.h"

void moehls_top(@@top_parameters@@) {
@@interface_pragmas@@

    // The residual stream, the activation buffers A, B, C and the MoE state, all on chip.
    static act_t x[MAX_TOKENS][EMBED_DIM];
#pragma HLS ARRAY_PARTITION variable=x type=cyclic factor=LN_LANES dim=2
    static act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH];
#pragma HLS ARRAY_PARTITION variable=mem type=complete dim=1
#pragma HLS ARRAY_PARTITION variable=mem type=cyclic factor=LIN_LANES dim=2
#pragma HLS ARRAY_PARTITION variable=mem type=cyclic factor=ACT_BANKS dim=3
    static acc_t combine[MAX_TOKENS][EMBED_DIM];
    static routing_t route;

    // A task register outside 0 ..< TASKS selects task 0.
    const int active_task = task >= 0 && task < TASKS ? task : 0;

    PROGRAM: for (int pc = 0; pc < PROGRAM_LENGTH; pc++) {
        const op_t op = PROGRAM[pc];
        switch (op.kind) {
        case OP_PATCHES:
            patches_kernel(op, image, mem);
            break;
        case OP_TOKENS:
            tokens_kernel(image, x);
            break;
        case OP_EMBED:
            embed_kernel(op, mem, @@weight_port0@@, x);
            break;
        case OP_LAYERNORM:
            layernorm_kernel(op, x, @@weight_port0@@, mem);
            break;
        case OP_LINEAR:
            linear_kernel(op, active_task, mem, combine, route, @@weight_port_arguments@@);
            break;
        case OP_ATTENTION:
            attention_kernel(op, mem);
            break;
        case OP_RESIDUAL:
            residual_kernel(op, mem, x);
            break;
        case OP_ROUTE:
            route_kernel(op, mem, route);
            break;
        case OP_GATHER:
            gather_kernel(op, route, mem);
            break;
        case OP_COMBINE_START:
            combine_start_kernel(combine);
            break;
        case OP_COMBINE_FINISH:
            combine_finish_kernel(op, combine, mem);
            break;
        case OP_STORE:
            if (trace || !(op.flags & FLAG_TRACE)) store_rows(op, x, mem, output);
            break;
        default:
            break;
        }
    }
}
