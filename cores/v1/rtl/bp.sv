// bp — dynamic branch predictor for the fetch stage: a direct-mapped branch
// target buffer whose entries carry a 2-bit saturating direction counter.
//
// Lookup (combinational, same cycle as the fetch of `pc`): predict taken to
// `pred_target` when the entry for pc is valid, its partial tag matches and its
// counter is >= 2. `pred_hit` and `pred_ctr` travel down the pipeline with the
// instruction and come back with its update, so the update never reads the
// tables: each table has one read port (addressed by the PC register) and one
// write port, which lets Yosys place them in block RAM. A wrong prediction, or
// a counter that changed between lookup and update, only costs cycles: EX
// checks every prediction.
// Update (from EX, one per resolved control-flow instruction): a taken
// branch/jump writes its entry (tag, target; jumps saturate the counter to 3,
// a branch that missed starts weakly taken at 2, one that hit counts up); a
// not-taken conditional branch that hit counts its entry down.
// PCs are word addresses (byte address >> 2).
module bp #(
    parameter ENTRIES = 8,
    parameter TAG_W = 10
) (
    input  logic        clock,
    input  logic        reset,
    input  logic [29:0] pc,
    output logic        pred_taken,
    output logic [29:0] pred_target,
    output logic        pred_hit,
    output logic [1:0]  pred_ctr,
    input  logic        upd_valid,
    input  logic [29:0] upd_pc,
    input  logic        upd_taken,
    input  logic        upd_uncond,
    input  logic [29:0] upd_target,
    input  logic        upd_hit,     // pred_hit/pred_ctr of this instruction's lookup
    input  logic [1:0]  upd_ctr
);
    localparam IDX_W = $clog2(ENTRIES);

    logic [ENTRIES-1:0] valid;
    logic [TAG_W-1:0]   tags [ENTRIES];
    logic [29:0]        targets [ENTRIES];
    logic [1:0]         ctrs [ENTRIES];

    logic [IDX_W-1:0] idx, u_idx;
    logic [TAG_W-1:0] tag, u_tag;
    assign idx = pc[IDX_W-1:0];
    assign tag = pc[IDX_W +: TAG_W];
    assign u_idx = upd_pc[IDX_W-1:0];
    assign u_tag = upd_pc[IDX_W +: TAG_W];
    // PC bits above the partial tag do not take part (aliasing only costs cycles).
    logic unused_hi;
    assign unused_hi = ^{pc[29:IDX_W+TAG_W], upd_pc[29:IDX_W+TAG_W]};

    assign pred_hit = valid[idx] && tags[idx] == tag;
    assign pred_ctr = ctrs[idx];
    assign pred_taken = pred_hit && pred_ctr[1];
    assign pred_target = targets[idx];

    logic       wr_entry, wr_ctr;
    logic [1:0] new_ctr;
    always_comb begin
        wr_entry = upd_valid && upd_taken;
        wr_ctr = wr_entry;
        new_ctr = upd_ctr;
        if (upd_taken) begin
            if (upd_uncond) new_ctr = 2'b11;
            else if (!upd_hit) new_ctr = 2'b10;
            else if (upd_ctr != 2'b11) new_ctr = upd_ctr + 2'b01;
        end else if (upd_valid && upd_hit && !upd_uncond && upd_ctr != 2'b00) begin
            wr_ctr = 1'b1;
            new_ctr = upd_ctr - 2'b01;
        end
    end

    always_ff @(posedge clock) begin
        if (reset) valid <= '0;
        else if (wr_entry) valid[u_idx] <= 1'b1;
    end
    always_ff @(posedge clock) begin
        if (wr_entry) tags[u_idx] <= u_tag;
    end
    always_ff @(posedge clock) begin
        if (wr_entry) targets[u_idx] <= upd_target;
    end
    always_ff @(posedge clock) begin
        if (wr_ctr) ctrs[u_idx] <= new_ctr;
    end
endmodule
