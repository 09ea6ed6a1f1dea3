// fetch — the IF stage: PC, instruction-memory request, optional dynamic
// predictor and optional prefetch queue. PCs are word addresses (byte >> 2).
//
// Handshake with ID: the packet on out_* is offered while out_valid; it is taken
// in a cycle with out_valid && out_ready. A redirect (from EX on a mispredict, or
// from ID on a static prediction) has priority over everything: the PC is
// reloaded, this cycle's fetched word and the queue are dropped, and the core
// must not take this cycle's packet.
//
// FETCH_BUFFER = 0: the imem word goes straight to ID; the PC advances only when
//   ID takes it, so a stalled back end also stalls fetch.
// FETCH_BUFFER = D (2 or 4): a D-entry queue. Fetch runs whenever the queue is
//   not full (a registered condition, so back-end stalls do not reach the PC),
//   filling the queue while ID is stalled; ID reads the queue head, or the imem
//   word directly when the queue is empty. The queue later hides imem stalls.
// BRANCH_PREDICT = 2: the bp module predicts the next PC at fetch time; the
//   prediction travels with the packet so that EX can check it and train the
//   predictor. Prediction word: {taken, hit, counter[1:0], target[29:0]}.
module fetch #(
    parameter BRANCH_PREDICT = 0,
    parameter BTB_ENTRIES = 8,
    parameter FETCH_BUFFER = 0
) (
    input  logic        clock,
    input  logic        reset,
    output logic [31:0] imem_addr,
    input  logic [31:0] imem_data,
    input  logic        imem_ready,
    input  logic        redirect,
    input  logic [29:0] redirect_pc,
    output logic        out_valid,
    output logic [29:0] out_pc,
    output logic [31:0] out_insn,
    output logic [33:0] out_pred,
    input  logic        out_ready,
    input  logic        upd_valid,
    input  logic [29:0] upd_pc,
    input  logic        upd_taken,
    input  logic        upd_uncond,
    input  logic [29:0] upd_target,
    input  logic [33:0] upd_pred      // the instruction's own prediction word
);
    logic [29:0] pc;
    logic        pred_taken, pred_hit;
    logic [1:0]  pred_ctr;
    logic [29:0] pred_target;
    logic [33:0] pred;
    logic        fetch_go;   // the imem word at pc is accepted this cycle
    assign pred = {pred_taken, pred_hit, pred_ctr, pred_target};

    assign imem_addr = {pc, 2'b00};

    generate
        if (BRANCH_PREDICT == 2) begin : g_bp
            bp #(.ENTRIES(BTB_ENTRIES)) u_bp (
                .clock(clock), .reset(reset),
                .pc(pc), .pred_taken(pred_taken), .pred_target(pred_target),
                .pred_hit(pred_hit), .pred_ctr(pred_ctr),
                .upd_valid(upd_valid), .upd_pc(upd_pc), .upd_taken(upd_taken),
                .upd_uncond(upd_uncond), .upd_target(upd_target),
                .upd_hit(upd_pred[32]), .upd_ctr(upd_pred[31:30]));
            // The taken bit and old target of the prediction are not needed to train.
            logic unused_upd;
            assign unused_upd = ^{upd_pred[33], upd_pred[29:0]};
        end else begin : g_nobp
            assign pred_taken = 1'b0;
            assign pred_hit = 1'b0;
            assign pred_ctr = 2'b00;
            assign pred_target = 30'b0;
            // No dynamic predictor: the EX feedback is not needed.
            logic unused_upd;
            assign unused_upd = ^{upd_valid, upd_pc, upd_taken, upd_uncond, upd_target, upd_pred};
        end
    endgenerate

    always_ff @(posedge clock) begin
        if (reset) pc <= 30'b0;
        else if (redirect) pc <= redirect_pc;
        else if (fetch_go) pc <= pred_taken ? pred_target : pc + 30'd1;
    end

    generate
        if (FETCH_BUFFER == 0) begin : g_direct
            assign out_valid = imem_ready;
            assign out_pc = pc;
            assign out_insn = imem_data;
            assign out_pred = pred;
            assign fetch_go = imem_ready && out_ready;
        end else begin : g_queue
            localparam D = FETCH_BUFFER;
            localparam PW = $clog2(D);
            logic [31:0] q_insn [D];
            logic [29:0] q_pc [D];
            logic [33:0] q_pred [D];
            logic [PW-1:0] head, tail;
            logic [PW:0]   count;
            logic empty, full, push, pop;

            assign empty = count == '0;
            assign full = count == (PW+1)'(D);
            assign fetch_go = imem_ready && !full;
            assign out_valid = !empty || imem_ready;
            assign out_pc = empty ? pc : q_pc[head];
            assign out_insn = empty ? imem_data : q_insn[head];
            assign out_pred = empty ? pred : q_pred[head];
            assign pop = out_ready && !empty;
            // A word fetched into an empty queue that ID takes at once bypasses it.
            assign push = fetch_go && !(empty && out_ready);

            // Only the pointers see the redirect: a word written on a redirect
            // cycle is simply never read, and keeping the redirect (a late EX
            // signal) off the storage enables keeps it off ~100 flip-flops.
            always_ff @(posedge clock) begin
                if (push) begin
                    q_insn[tail] <= imem_data;
                    q_pc[tail] <= pc;
                    q_pred[tail] <= pred;
                end
            end
            always_ff @(posedge clock) begin
                if (reset || redirect) begin
                    head <= '0;
                    tail <= '0;
                    count <= '0;
                end else begin
                    if (push) tail <= tail + 1'b1;
                    if (pop) head <= head + 1'b1;
                    if (push && !pop) count <= count + 1'b1;
                    else if (pop && !push) count <= count - 1'b1;
                end
            end
        end
    endgenerate
endmodule
