// tb_regfile — self-checking test of regfile.sv in both implementations
// (BRAM=0 flip-flops, BRAM=1 synchronous block RAM), driven the way the core
// drives them: the address read in a cycle was presented on ra*_next in the
// cycle before. Checked against a plain array model of the contract: a read
// shows every write committed at or before the last clock edge (including
// a write and a read of the same register on the same edge), x0 reads 0 and
// ignores writes, and reset makes every register read 0.
// (Only whole variables are assigned from the timed process: see tb_muldiv.)
module tb_regfile;
    logic clock = 1'b0;
    initial forever #5 clock = ~clock;
    logic reset = 1'b1;

    logic [4:0]  ra1 = '0, ra2 = '0, ra1_next = '0, ra2_next = '0, wa = '0;
    logic        we = 1'b0;
    logic [31:0] wd = '0;
    logic [1:0][31:0] rd1, rd2;

    for (genvar i = 0; i < 2; i++) begin : g
        regfile #(.BRAM(i)) u (
            .clock(clock), .reset(reset), .ra1(ra1), .ra2(ra2), .ra1_next(ra1_next), .ra2_next(ra2_next),
            .rd1(rd1[i]), .rd2(rd2[i]), .we(we), .wa(wa), .wd(wd));
    end

    logic [31:0] model [32];
    int errors [2], reads [2];
    string first [2];

    task automatic check_reads();
        for (int i = 0; i < 2; i++) begin
            reads[i] += 2;
            if (rd1[i] !== model[ra1] || rd2[i] !== model[ra2]) begin
                if (errors[i] == 0)
                    first[i] = $sformatf("x%0d=%h x%0d=%h, want %h %h (t=%0t)", ra1, rd1[i], ra2, rd2[i],
                                         model[ra1], model[ra2], $time);
                errors[i]++;
            end
        end
    endtask

    // One cycle: the addresses presented last cycle become the current ones.
    task automatic cycle(input logic w, input logic [4:0] waddr, input logic [31:0] wdata,
                         input logic [4:0] n1, input logic [4:0] n2);
        ra1 = ra1_next;
        ra2 = ra2_next;
        ra1_next = n1;
        ra2_next = n2;
        we = w;
        wa = waddr;
        wd = wdata;
        #1;
        check_reads();
        @(posedge clock);
        if (w && waddr != 5'd0) model[waddr] = wdata;
        @(negedge clock);
    endtask

    initial begin
        for (int r = 0; r < 32; r++) model[r] = 32'b0;
        for (int i = 0; i < 2; i++) begin
            errors[i] = 0;
            reads[i] = 0;
        end
        @(negedge clock);
        reset = 1'b0;
        // Directed: write x5, read it on the very next cycle (address presented
        // while the write is in flight), the cycle after, and x0 after a write.
        cycle(1'b1, 5'd5, 32'h11111111, 5'd5, 5'd0);
        cycle(1'b1, 5'd0, 32'hdeadbeef, 5'd5, 5'd0);
        cycle(1'b1, 5'd5, 32'h22222222, 5'd5, 5'd5);
        cycle(1'b0, 5'd0, 32'h0, 5'd5, 5'd0);
        cycle(1'b0, 5'd0, 32'h0, 5'd0, 5'd5);
        // Random traffic concentrated on a few registers so same-edge
        // read/write collisions are frequent.
        for (int n = 0; n < 4000; n++) begin
            logic [4:0] w_a, a1, a2;
            w_a = 5'($urandom % 6);
            a1 = 5'($urandom % 6);
            a2 = ($urandom % 3 == 0) ? w_a : 5'($urandom % 32);
            if (n % 500 == 0) a1 = 5'($urandom);
            cycle(1'($urandom % 3 != 0), ($urandom % 4 == 0) ? 5'($urandom) : w_a, $urandom, a1, a2);
        end
        // Reset: every register reads 0 again, in both implementations.
        reset = 1'b1;
        @(posedge clock);
        @(negedge clock);
        reset = 1'b0;
        for (int r = 0; r < 32; r++) model[r] = 32'b0;
        cycle(1'b0, 5'd0, 32'h0, 5'd1, 5'd2);
        for (int r = 1; r < 32; r++) cycle(1'b0, 5'd0, 32'h0, 5'(r), 5'(31 - r));
        cycle(1'b1, 5'd3, 32'h33333333, 5'd3, 5'd4);
        cycle(1'b0, 5'd0, 32'h0, 5'd3, 5'd3);
        cycle(1'b0, 5'd0, 32'h0, 5'd3, 5'd3);
        for (int i = 0; i < 2; i++) begin
            if (errors[i] == 0) $display("PASS regfile.bram%0d: %0d reads match the model", i, reads[i]);
            else $display("FAIL regfile.bram%0d: %0d mismatches; first: %s", i, errors[i], first[i]);
        end
        $finish;
    end
endmodule
