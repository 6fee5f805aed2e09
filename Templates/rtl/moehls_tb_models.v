// Memory models shared by the moehls testbenches (simulated, never synthesised). Every testbench
// instantiates these instead of writing its own buffers: the weight stream a linear kernel reads,
// buffers of T-value words (activations as the kernels read them) and buffers of single values
// (results as the kernels write them, and buffers read back by column). Each read is registered
// once, as the kernels' buffer_read_depth assumes. A testbench fills a model with its `load`
// task and writes one out with `dump` (both $readmemh / $writememh formats), called by
// hierarchical reference. Rows, columns, bases and limits are 32-bit integers.
// Lint waivers for these models only: DECLFILENAME (several modules in one file), WIDTH (integer
// address arithmetic on narrower ports), BLKSEQ (blocking loop temporaries in clocked blocks),
// UNUSEDPARAM and UNUSEDSIGNAL (a testbench ties off the ports it does not use).
/* verilator lint_off DECLFILENAME */
/* verilator lint_off WIDTH */
/* verilator lint_off BLKSEQ */
/* verilator lint_off UNUSEDSIGNAL */

// A weight stream: `beats` beats from `base`, the first LATENCY cycles after `start`, then one per
// cycle the kernel accepts (AXI-style back-pressure), while `enable` is high.
module moehls_tb_weight_stream #(
    parameter BEAT = 8,
    parameter DEPTH = 1,
    parameter LATENCY = 0
) (
    input wire              clk,
    input wire              start,
    input wire              enable,
    input wire [31:0]       base,
    input wire [31:0]       beats,
    output wire             valid,
    input wire              ready,
    output wire [BEAT-1:0]  data
);
    reg [BEAT-1:0] mem [0:DEPTH-1];
    integer age = 0;
    integer ptr = 0;

    assign valid = enable && (age >= LATENCY) && (ptr < beats);
    assign data = (ptr < beats) ? mem[base + ptr] : {BEAT{1'b0}};

    always @(posedge clk) begin
        if (start) begin
            age <= 0;
            ptr <= 0;
        end else begin
            age <= age + 1;
            if (valid && ready) ptr <= ptr + 1;
        end
    end

    task load;
        input [8*512-1:0] file;
        input integer count;
        if (count > 0) $readmemh(file, mem, 0, count - 1);
    endtask
endmodule

// A buffer of WORD-bit words, word (row, block) at row * BLOCKS + block. A read gives LANES words:
// lane l reads row rd_row + l, zero at or past `limit` rows.
module moehls_tb_word_buffer #(
    parameter LANES = 1,
    parameter WORD = 8,
    parameter BLOCKS = 1,
    parameter DEPTH = 1
) (
    input wire                   clk,
    input wire                   rd_en,
    input wire [31:0]            rd_row,
    input wire [31:0]            rd_block,
    input wire [31:0]            limit,
    output reg [LANES*WORD-1:0]  rd_data
);
    reg [WORD-1:0] mem [0:DEPTH-1];
    integer l, row;

    always @(posedge clk) begin
        if (rd_en) begin
            for (l = 0; l < LANES; l = l + 1) begin
                row = rd_row + l;
                rd_data[l*WORD +: WORD] <= (row < limit) ? mem[row*BLOCKS + rd_block] : {WORD{1'b0}};
            end
        end
    end

    task load;
        input [8*512-1:0] file;
        input integer count;
        if (count > 0) $readmemh(file, mem, 0, count - 1);
    endtask
endmodule

// A buffer of W-bit values, value (row, column) at row * COLS + column. A read gives RL lanes of T
// values from rd_column (lane l: row rd_row + l), zero at or past `limit` rows or COLS columns. A
// write takes WL lanes of T values from wr_column; value c of lane l goes to row wr_row + l when
// wr_lanes[l] and wr_columns[c]; columns at or past COLS are dropped. `writes` counts the values
// stored since `load` (a testbench checks each result is written exactly once), `outside` the
// enabled values dropped past COLS (a producer that masks its padding leaves it at 0).
module moehls_tb_value_buffer #(
    parameter RL = 1,
    parameter WL = 1,
    parameter T = 1,
    parameter W = 8,
    parameter COLS = 1,
    parameter DEPTH = 1
) (
    input wire                 clk,
    input wire                 rd_en,
    input wire [31:0]          rd_row,
    input wire [31:0]          rd_column,
    input wire [31:0]          limit,
    output reg [RL*T*W-1:0]    rd_data,
    input wire                 we,
    input wire [31:0]          wr_row,
    input wire [WL-1:0]        wr_lanes,
    input wire [31:0]          wr_column,
    input wire [T-1:0]         wr_columns,
    input wire [WL*T*W-1:0]    wr_data
);
    reg [W-1:0] mem [0:DEPTH-1];
    integer l, c, row, col;
    integer writes = 0;
    integer outside = 0;

    always @(posedge clk) begin
        if (rd_en) begin
            for (l = 0; l < RL; l = l + 1) begin
                for (c = 0; c < T; c = c + 1) begin
                    row = rd_row + l;
                    col = rd_column + c;
                    rd_data[(l*T + c)*W +: W] <= (row < limit && col < COLS) ? mem[row*COLS + col] : {W{1'b0}};
                end
            end
        end
        if (we) begin
            for (l = 0; l < WL; l = l + 1) begin
                for (c = 0; c < T; c = c + 1) begin
                    col = wr_column + c;
                    if (wr_lanes[l] && wr_columns[c] && col < COLS) begin
                        mem[(wr_row + l)*COLS + col] <= wr_data[(l*T + c)*W +: W];
                        writes = writes + 1;
                    end else if (wr_lanes[l] && wr_columns[c]) begin
                        outside = outside + 1;
                    end
                end
            end
        end
    end

    task load;
        input [8*512-1:0] file;
        input integer count;
        begin
            if (count > 0) $readmemh(file, mem, 0, count - 1);
            writes = 0;
            outside = 0;
        end
    endtask

    task dump;
        input [8*512-1:0] file;
        input integer count;
        if (count > 0) $writememh(file, mem, 0, count - 1);
    endtask
endmodule

// The busy rule of a unit (docs/kernels.md): from the edge that samples the start of a non-empty
// call until the edge that raises done, busy is high; otherwise an ERROR line names the unit.
module moehls_tb_busy_monitor #(
    parameter UNIT = "unit"
) (
    input wire        clk,
    input wire        start,
    input wire        nonempty,   // the call started has work (n > 0)
    input wire        done,
    input wire        busy,
    input wire [31:0] cycles
);
    reg pending = 1'b0;
    always @(posedge clk) begin
        if (pending && !done && !busy) $display("ERROR: %0s: busy fell before done (%0d cycles after start)", UNIT, cycles);
        pending <= start ? nonempty : (pending && !done);
    end
endmodule
