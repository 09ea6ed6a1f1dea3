// formal_check_dmem.sv — the RVFI memory fields agree with the data bus.
//  read:  formal_top assumes that a ready read (REn) of the free word address
//         `a` returns the free word `w`; a retired load from that word must
//         report mem_rdata == w in its read lanes. A core that takes load data
//         in a cycle where the bus was not ready, or from another address, fails.
//  write: the k-th completed bus write to word `a` (WEn != 0 and Ready) and the
//         k-th retired store to `a` (k a free constant) have the same byte
//         mask and the same bytes; and by the time a store to `a` retires, its
//         bus write has completed (no more stores retired than written). A
//         store dropped while the bus stalled, written twice, or written with
//         the wrong lanes, fails.
module formal_check_dmem (
    input logic        clock,
    input logic        en,
    input logic [29:0] a,
    input logic [31:0] w,
    input logic [1:0]  k,
    // bus
    input logic [29:0] bus_word,    // word addresses: addr[31:2]
    input logic [31:0] bus_wdata,
    input logic [3:0]  bus_wen,
    input logic        bus_ready,
    // retirements
    input logic        v0,
    input logic [29:0] mem_word0,
    input logic [3:0]  mem_rmask0,
    input logic [3:0]  mem_wmask0,
    input logic [31:0] mem_rdata0,
    input logic [31:0] mem_wdata0,
    input logic        v1,
    input logic [29:0] mem_word1,
    input logic [3:0]  mem_rmask1,
    input logic [3:0]  mem_wmask1,
    input logic [31:0] mem_rdata1,
    input logic [31:0] mem_wdata1,
    output logic       bad_rd,
    output logic       cov_rd,
    output logic       bad_wr,
    output logic       cov_wr
);
    function automatic logic [31:0] lanes(input logic [3:0] m);
        lanes = {{8{m[3]}}, {8{m[2]}}, {8{m[1]}}, {8{m[0]}}};
    endfunction

    // ---- read ----
    logic ld0, ld1;
    assign ld0 = en && v0 && mem_rmask0 != 4'd0 && mem_word0 == a;
    assign ld1 = en && v1 && mem_rmask1 != 4'd0 && mem_word1 == a;

    // ---- write: counts saturate at 7, k <= 3 ----
    logic [2:0]  bus_n, ret_n;
    logic        bus_have, ret_have;
    logic [3:0]  bus_m, ret_m;
    logic [31:0] bus_d, ret_d;

    logic bw, st0, st1;
    assign bw  = en && bus_ready && bus_wen != 4'd0 && bus_word == a;
    assign st0 = en && v0 && mem_wmask0 != 4'd0 && mem_word0 == a;
    assign st1 = en && v1 && mem_wmask1 != 4'd0 && mem_word1 == a;

    function automatic logic [2:0] inc(input logic [2:0] n, input logic c);
        inc = (c && n != 3'd7) ? n + 3'd1 : n;
    endfunction

    // Values including this cycle's events.
    logic [2:0]  bus_n_now, ret_n_a, ret_n_now;
    logic        bus_have_now, ret_have_a, ret_have_now;
    logic [3:0]  bus_m_now, ret_m_a, ret_m_now;
    logic [31:0] bus_d_now, ret_d_a, ret_d_now;
    always_comb begin
        bus_n_now    = inc(bus_n, bw);
        bus_have_now = bus_have || (bw && bus_n == {1'b0, k});
        bus_m_now    = (bw && bus_n == {1'b0, k}) ? bus_wen : bus_m;
        bus_d_now    = (bw && bus_n == {1'b0, k}) ? bus_wdata : bus_d;
        ret_n_a      = inc(ret_n, st0);
        ret_have_a   = ret_have || (st0 && ret_n == {1'b0, k});
        ret_m_a      = (st0 && ret_n == {1'b0, k}) ? mem_wmask0 : ret_m;
        ret_d_a      = (st0 && ret_n == {1'b0, k}) ? mem_wdata0 : ret_d;
        ret_n_now    = inc(ret_n_a, st1);
        ret_have_now = ret_have_a || (st1 && ret_n_a == {1'b0, k});
        ret_m_now    = (st1 && ret_n_a == {1'b0, k}) ? mem_wmask1 : ret_m_a;
        ret_d_now    = (st1 && ret_n_a == {1'b0, k}) ? mem_wdata1 : ret_d_a;
    end

    always_ff @(posedge clock) begin
        if (!en) begin
            bus_n <= 3'd0; ret_n <= 3'd0; bus_have <= 1'b0; ret_have <= 1'b0;
            bus_m <= 4'd0; ret_m <= 4'd0; bus_d <= 32'd0;   ret_d <= 32'd0;
        end else begin
            bus_n <= bus_n_now; bus_have <= bus_have_now; bus_m <= bus_m_now; bus_d <= bus_d_now;
            ret_n <= ret_n_now; ret_have <= ret_have_now; ret_m <= ret_m_now; ret_d <= ret_d_now;
        end
    end

    logic e_rd_ch0, e_rd_ch1, e_wr_mask, e_wr_data, e_wr_done;
    assign e_rd_ch0  = ld0 && ((mem_rdata0 ^ w) & lanes(mem_rmask0)) != 32'd0;
    assign e_rd_ch1  = ld1 && ((mem_rdata1 ^ w) & lanes(mem_rmask1)) != 32'd0;
    assign e_wr_mask = en && bus_have_now && ret_have_now && bus_m_now != ret_m_now;
    assign e_wr_data = en && bus_have_now && ret_have_now &&
                       ((bus_d_now ^ ret_d_now) & lanes(ret_m_now)) != 32'd0;
    assign e_wr_done = en && ret_n_now > bus_n_now;
    assign bad_rd = e_rd_ch0 || e_rd_ch1;
    assign cov_rd = ld0;
    assign bad_wr = e_wr_mask || e_wr_data || e_wr_done;
    assign cov_wr = en && bus_have_now && ret_have_now;

    always_comb begin
        f_rd_ch0:  assert (!e_rd_ch0);
        f_rd_ch1:  assert (!e_rd_ch1);
        f_wr_mask: assert (!e_wr_mask);
        f_wr_data: assert (!e_wr_data);
        f_wr_done: assert (!e_wr_done);
    end
endmodule
