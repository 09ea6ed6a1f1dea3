// tb_muldiv — self-checking test of mul.sv (every IMPL), div.sv (every IMPL)
// and the muldiv.sv wrapper. Each unit runs the same operations through the
// EX-stage handshake (req held until ready, ack in the ready cycle or later,
// back-to-back requests, kill mid-operation) and is checked against
//  - spec corner cases written out by hand (division by zero, -2^31/-1,
//    MULH sign combinations, remainder signs), and
//  - random operands against 64-bit SystemVerilog arithmetic,
// plus each implementation's cycle count in EX (exact where it is fixed).
// Note: Verilator 5.006 does not wake logic on a part-select write from a
// timed process, so the testbench only ever assigns whole variables.
module tb_muldiv;
    logic clock = 1'b0;
    initial forever #5 clock = ~clock;
    logic reset = 1'b1;

    // Units 0..3: mul IMPL 0..3; units 4..6: div IMPL 0..2; unit 7: muldiv(0,0).
    // All units see the same operands; only the unit under test gets req.
    localparam int NU = 8;
    logic [NU-1:0]       req = '0, ack = '0, kill = '0, ready;
    logic [NU-1:0][31:0] y;
    logic [2:0]          f3 = 3'd0;
    logic [31:0]         a = 32'd0, b = 32'd0;
    logic                can_start = 1'b1;
    string unit_name [NU] = '{"mul0", "mul1", "mul2", "mul3", "div0", "div1", "div2", "muldiv"};
    int fixed_lat [NU] = '{32, 1, 2, 8, 34, -1, -1, -1};   // -1: data dependent

    for (genvar i = 0; i < 4; i++) begin : g_mul
        mul #(.IMPL(i)) u (.clock(clock), .reset(reset), .req(req[i]), .ack(ack[i]), .kill(kill[i]),
                           .op(f3[1:0]), .a(a), .b(b), .ready(ready[i]), .y(y[i]));
    end
    for (genvar i = 0; i < 3; i++) begin : g_div
        div #(.IMPL(i)) u (.clock(clock), .reset(reset), .req(req[4+i]), .ack(ack[4+i]), .kill(kill[4+i]),
                           .op(f3[1:0]), .a(a), .b(b), .ready(ready[4+i]), .y(y[4+i]));
    end
    muldiv #(.MUL_IMPL(0), .DIV_IMPL(0)) u_md (
        .clock(clock), .reset(reset), .req(req[7]), .can_start(can_start), .ack(ack[7]), .kill(kill[7]),
        .funct3(f3), .a(a), .b(b), .ready(ready[7]), .y(y[7]));

    function automatic logic [NU-1:0] bit_of(input int u);
        return NU'(1) << u;
    endfunction

    // Reference: RISC-V M semantics, funct3 000..111.
    function automatic logic [31:0] model(input logic [2:0] f, input logic [31:0] x, input logic [31:0] z);
        logic [63:0] p;
        case (f)
            3'd0: return x * z;
            3'd1: begin p = $signed({{32{x[31]}}, x}) * $signed({{32{z[31]}}, z}); return p[63:32]; end
            3'd2: begin p = $signed({{32{x[31]}}, x}) * $signed({32'b0, z}); return p[63:32]; end
            3'd3: begin p = {32'b0, x} * {32'b0, z}; return p[63:32]; end
            3'd4: return (z == 0) ? 32'hffffffff : (x == 32'h80000000 && z == 32'hffffffff) ? x :
                         32'($signed(x) / $signed(z));
            3'd5: return (z == 0) ? 32'hffffffff : x / z;
            3'd6: return (z == 0) ? x : (x == 32'h80000000 && z == 32'hffffffff) ? 32'h0 :
                         32'($signed(x) % $signed(z));
            default: return (z == 0) ? x : x % z;
        endcase
    endfunction

    int errors [NU], ops_done [NU], max_lat [NU];
    int last_lat;
    string first [NU];

    task automatic fail(input int u, input string msg);
        if (errors[u] == 0) first[u] = msg;
        errors[u]++;
    endtask

    // One operation on unit u through the handshake; inputs change on the
    // falling edge, the unit samples on the rising edge. ack_delay > 0 keeps
    // the result waiting (as when MEM stalls) and checks it stays put.
    task automatic run_op(input int u, input logic [2:0] f, input logic [31:0] x, input logic [31:0] z,
                          input int ack_delay, input logic [31:0] want);
        int lat;
        logic [31:0] got;
        f3 = f;
        a = x;
        b = z;
        req = bit_of(u);
        lat = 1;
        #1;
        while (!ready[u]) begin
            @(negedge clock);
            lat++;
            if (lat > 200) begin
                fail(u, $sformatf("f3=%0d a=%h b=%h: no result after 200 cycles", f, x, z));
                req = '0;
                return;
            end
        end
        got = y[u];
        for (int d = 0; d < ack_delay; d++) begin
            @(negedge clock);
            if (!ready[u] || y[u] !== got) fail(u, $sformatf("f3=%0d a=%h b=%h: result not held", f, x, z));
        end
        ack = bit_of(u);
        @(negedge clock);
        ack = '0;
        req = '0;
        ops_done[u]++;
        if (lat > max_lat[u]) max_lat[u] = lat;
        last_lat = lat;
        if (got !== want) fail(u, $sformatf("f3=%0d a=%h b=%h: got %h want %h", f, x, z, got, want));
        if (fixed_lat[u] > 0 && lat != fixed_lat[u])
            fail(u, $sformatf("f3=%0d: %0d cycles in EX, want %0d", f, lat, fixed_lat[u]));
    endtask

    // Hand-computed corner cases: {funct3, a, b, expected}.
    localparam int NC = 30;
    logic [98:0] corner [NC] = '{
        {3'd0, 32'h00000007, 32'hfffffffd, 32'hffffffeb},   // 7 * -3
        {3'd0, 32'h80000000, 32'hffffffff, 32'h80000000},
        {3'd1, 32'h80000000, 32'h80000000, 32'h40000000},   // (-2^31)^2 = 2^62
        {3'd1, 32'hffffffff, 32'hffffffff, 32'h00000000},   // -1 * -1
        {3'd1, 32'hffffffff, 32'h00000001, 32'hffffffff},   // -1 * 1
        {3'd1, 32'h7fffffff, 32'h80000000, 32'hc0000000},
        {3'd2, 32'hffffffff, 32'hffffffff, 32'hffffffff},   // -1 * (2^32-1)
        {3'd2, 32'h80000000, 32'h00000002, 32'hffffffff},
        {3'd2, 32'h00000002, 32'h80000000, 32'h00000001},
        {3'd3, 32'hffffffff, 32'hffffffff, 32'hfffffffe},
        {3'd3, 32'h80000000, 32'h00000002, 32'h00000001},
        {3'd4, 32'hfffffff9, 32'h00000002, 32'hfffffffd},   // -7 / 2 = -3
        {3'd4, 32'h00000007, 32'hfffffffe, 32'hfffffffd},   // 7 / -2 = -3
        {3'd4, 32'h80000000, 32'hffffffff, 32'h80000000},   // overflow
        {3'd4, 32'h00000005, 32'h00000000, 32'hffffffff},   // by zero
        {3'd4, 32'hfffffffb, 32'h00000000, 32'hffffffff},
        {3'd4, 32'h80000000, 32'h00000001, 32'h80000000},
        {3'd5, 32'hffffffff, 32'h00000000, 32'hffffffff},
        {3'd5, 32'hffffffff, 32'h00000003, 32'h55555555},
        {3'd5, 32'h00000003, 32'hffffffff, 32'h00000000},
        {3'd6, 32'hfffffff9, 32'h00000002, 32'hffffffff},   // -7 % 2 = -1
        {3'd6, 32'h00000007, 32'hfffffffe, 32'h00000001},   // 7 % -2 = 1
        {3'd6, 32'h80000000, 32'hffffffff, 32'h00000000},   // overflow
        {3'd6, 32'hfffffffb, 32'h00000000, 32'hfffffffb},   // by zero: dividend
        {3'd6, 32'h80000000, 32'h00000003, 32'hfffffffe},
        {3'd7, 32'h00000007, 32'h00000000, 32'h00000007},
        {3'd7, 32'hffffffff, 32'h00000010, 32'h0000000f},
        {3'd7, 32'h00000003, 32'hffffffff, 32'h00000003},
        {3'd7, 32'h12345678, 32'h00000001, 32'h00000000},
        {3'd5, 32'h00000000, 32'h00000007, 32'h00000000}
    };

    function automatic logic [31:0] rand_operand();
        logic [31:0] r;
        r = $urandom;
        case ($urandom % 6)
            0: r = r & 32'hff;           // small: exercises the early-out
            1: r = r & 32'hffff;
            2: r = {r[31], 31'b0};        // 0 or -2^31
            3: r = (r[0]) ? 32'hffffffff : 32'h1;
            default: ;
        endcase
        return r;
    endfunction

    initial begin
        for (int u = 0; u < NU; u++) begin
            errors[u] = 0;
            ops_done[u] = 0;
            max_lat[u] = 0;
        end
        repeat (2) @(negedge clock);
        reset = 1'b0;
        for (int u = 0; u < NU; u++) begin
            logic is_mul, is_div;
            is_mul = u < 4 || u == 7;
            is_div = u >= 4;
            for (int c = 0; c < NC; c++) begin
                logic [2:0] f;
                f = corner[c][98:96];
                if ((f[2] && is_div) || (!f[2] && is_mul))
                    run_op(u, (u >= 4 && u < 7) ? {1'b1, f[1:0]} : f, corner[c][95:64], corner[c][63:32],
                           c % 3, corner[c][31:0]);
            end
            for (int i = 0; i < 400; i++) begin
                logic [2:0] f;
                logic [31:0] x, z;
                f = 3'($urandom % 4);
                if (u >= 4 && u < 7) f[2] = 1'b1;
                else if (u == 7) f[2] = 1'($urandom);
                x = rand_operand();
                z = rand_operand();
                run_op(u, f, x, z, ($urandom % 4 == 0) ? 2 : 0, model(f, x, z));
                if ($urandom % 5 == 0) @(negedge clock);   // sometimes an idle cycle
            end
            // Kill in the middle of an operation, then a fresh one must be exact.
            if (fixed_lat[u] != 1) begin
                f3 = is_div ? 3'd4 : 3'd1;
                a = 32'hdeadbeef;
                b = 32'h00001234;
                req = bit_of(u);
                @(negedge clock);
                kill = bit_of(u);
                @(negedge clock);
                kill = '0;
                req = '0;
                run_op(u, is_div ? 3'd6 : 3'd3, 32'hfffffff0, 32'h00000007, 0,
                       model(is_div ? 3'd6 : 3'd3, 32'hfffffff0, 32'h00000007));
            end
        end
        // Early-out (div IMPL 1 and 2): a zero divisor or a divisor above the
        // dividend finishes in 2 cycles; a one-byte dividend needs 8 radix-2 or
        // 4 radix-4 iterations (+ start and result cycles).
        for (int u = 5; u <= 6; u++) begin
            run_op(u, 3'd5, 32'd12345, 32'd0, 0, 32'hffffffff);
            if (last_lat != 2) fail(u, $sformatf("x/0 took %0d cycles, want 2", last_lat));
            run_op(u, 3'd7, 32'd5, 32'd77, 0, 32'd5);
            if (last_lat != 2) fail(u, $sformatf("5%%77 took %0d cycles, want 2", last_lat));
            run_op(u, 3'd4, 32'd200, 32'hfffffff9, 0, 32'hffffffe4);   // 200 / -7 = -28
            if (last_lat != (u == 5 ? 10 : 6))
                fail(u, $sformatf("200/-7 took %0d cycles, want %0d", last_lat, u == 5 ? 10 : 6));
        end

        // The wrapper must not start while can_start is low.
        can_start = 1'b0;
        f3 = 3'd5;
        a = 32'd100;
        b = 32'd7;
        req = bit_of(7);
        repeat (40) begin
            @(negedge clock);
            if (ready[7]) fail(7, "started while can_start = 0");
        end
        req = '0;
        can_start = 1'b1;
        run_op(7, 3'd5, 32'd100, 32'd7, 0, 32'd14);

        for (int u = 0; u < NU; u++) begin
            if (errors[u] == 0)
                $display("PASS muldiv.%s: %0d operations, at most %0d cycles in EX", unit_name[u],
                         ops_done[u], max_lat[u]);
            else
                $display("FAIL muldiv.%s: %0d errors; first: %s", unit_name[u], errors[u], first[u]);
        end
        $finish;
    end
endmodule
