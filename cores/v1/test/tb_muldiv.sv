// tb_muldiv — self-checking test of mul.sv (every IMPL), div.sv (every IMPL)
// and the muldiv.sv wrapper. Each unit runs the same operations through the
// EX-stage handshake (req held until ready, ack in the ready cycle or later,
// back-to-back requests, kill mid-operation) and is checked against
//  - spec corner cases written out by hand (division by zero, -2^31/-1,
//    MULH sign combinations, remainder signs), and
//  - random operands against 64-bit SystemVerilog arithmetic,
// plus each implementation's cycle count in EX (exact where it is fixed).
// Once a multi-cycle unit has started, the operand inputs are scrambled: every
// unit must work from what it captured in the request cycle. mul IMPL 6 also
// gets its operands early, as from the ID stage (pre = 1), alone and in
// back-to-back chains where the next operation's operands wait in ID.
// Note: Verilator 5.006 does not wake logic on a part-select write from a
// timed process, so the testbench only ever assigns whole variables.
module tb_muldiv;
    logic clock = 1'b0;
    initial forever #5 clock = ~clock;
    logic reset = 1'b1;

    // Units 0..NMUL-1: mul IMPL 0..NMUL-1; then div IMPL 0..2 from DIV0; then
    // muldiv(0,0) as unit MD. All units see the same operands; only the unit
    // under test gets req.
    localparam int NMUL = 7, DIV0 = NMUL, MD = NMUL + 3, NU = NMUL + 4, PRE_U = 6;
    logic [NU-1:0]       req = '0, ack = '0, kill = '0, ready;
    logic [NU-1:0][31:0] y;
    logic [2:0]          f3 = 3'd0;
    logic [31:0]         a = 32'd0, b = 32'd0;
    logic                can_start = 1'b1;
    // IMPL 6's early operands: pre says they were captured from id_a/id_b.
    logic                pre_in = 1'b0, pre_mode = 1'b0;
    logic [31:0]         id_a = 32'd0, id_b = 32'd0;
    string unit_name [NU] = '{"mul0", "mul1", "mul2", "mul3", "mul4", "mul5", "mul6", "div0", "div1", "div2",
                              "muldiv"};
    // Cycles in EX of MUL / of MULH*, DIV* and REM* (-1: data dependent);
    // IMPL 6 takes 1 cycle for a MUL with pre.
    int fixed_lat [NU] = '{32, 1, 2, 8, 32, 32, 32, 34, -1, -1, -1};
    int fixed_lat_mul [NU] = '{32, 1, 2, 8, 3, 2, 2, 34, -1, -1, -1};

    for (genvar i = 0; i < NMUL; i++) begin : g_mul
        mul #(.IMPL(i)) u (.clock(clock), .reset(reset), .req(req[i]), .ack(ack[i]), .kill(kill[i]),
                           .op(f3[1:0]), .a(a), .b(b), .sel(req[i]), .pre(pre_in), .id_a(id_a), .id_b(id_b),
                           .ready(ready[i]), .y(y[i]));
    end
    for (genvar i = 0; i < 3; i++) begin : g_div
        div #(.IMPL(i)) u (.clock(clock), .reset(reset), .req(req[DIV0+i]), .ack(ack[DIV0+i]),
                           .kill(kill[DIV0+i]), .op(f3[1:0]), .a(a), .b(b), .ready(ready[DIV0+i]),
                           .y(y[DIV0+i]));
    end
    muldiv #(.MUL_IMPL(0), .DIV_IMPL(0)) u_md (
        .clock(clock), .reset(reset), .req(req[MD]), .can_start(can_start), .ack(ack[MD]), .kill(kill[MD]),
        .funct3(f3), .a(a), .b(b), .pre(1'b0), .id_a(id_a), .id_b(id_b), .ready(ready[MD]), .y(y[MD]));

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
        int lat, want_lat;
        logic [31:0] got;
        logic early;
        early = u == PRE_U && pre_mode;
        if (early) begin
            // One cycle with the operands in ID, then the unit gets them in EX
            // while ID already holds the next (random) ones.
            id_a = x;
            id_b = z;
            @(negedge clock);
            pre_in = 1'b1;
            id_a = $urandom;
            id_b = $urandom;
        end
        f3 = f;
        a = x;
        b = z;
        req = bit_of(u);
        lat = 1;
        #1;
        while (!ready[u]) begin
            @(negedge clock);
            lat++;
            a = $urandom;
            b = $urandom;
            id_a = $urandom;
            id_b = $urandom;
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
            id_a = $urandom;
            id_b = $urandom;
            if (fixed_lat[u] != 1) begin
                a = $urandom;
                b = $urandom;
            end
        end
        ack = bit_of(u);
        @(negedge clock);
        ack = '0;
        req = '0;
        pre_in = 1'b0;
        ops_done[u]++;
        if (lat > max_lat[u]) max_lat[u] = lat;
        last_lat = lat;
        if (got !== want) fail(u, $sformatf("f3=%0d a=%h b=%h: got %h want %h", f, x, z, got, want));
        want_lat = (early && f == 3'd0) ? 1 : (u < NMUL && f == 3'd0) ? fixed_lat_mul[u] : fixed_lat[u];
        if (want_lat > 0 && lat != want_lat)
            fail(u, $sformatf("f3=%0d: %0d cycles in EX, want %0d", f, lat, want_lat));
    endtask

    // IMPL 6 as in the pipeline: n multiplies back to back, each one's
    // operands waiting in ID (id_a, id_b) while the one before is in EX, so
    // they are captured at the edge where it completes. Each operation
    // randomly had them valid in ID (pre, 1 cycle) or not (2 cycles); a few
    // are MULHU (the 32-cycle path); some wait for ack (an EX stall) or are
    // followed by a bubble.
    task automatic run_chain(input int u, input int n);
        logic [31:0] xs [$], zs [$];
        for (int k = 0; k <= n; k++) begin
            xs.push_back((k % 3 == 0) ? rand_operand() : $urandom);
            zs.push_back((k % 5 == 0) ? rand_operand() : $urandom);
        end
        id_a = xs[0];
        id_b = zs[0];
        @(negedge clock);
        for (int k = 0; k < n; k++) begin
            logic [2:0] f;
            logic p;
            int lat, want_lat, delay;
            logic [31:0] got, want;
            f = ($urandom % 16 == 0) ? 3'd3 : 3'd0;
            p = 1'($urandom);
            delay = ($urandom % 5 == 0) ? 1 + $urandom % 2 : 0;
            f3 = f;
            a = xs[k];
            b = zs[k];
            pre_in = p;
            req = bit_of(u);
            id_a = xs[k + 1];
            id_b = zs[k + 1];
            lat = 1;
            #1;
            while (!ready[u] && lat <= 40) begin
                @(negedge clock);
                lat++;
            end
            got = y[u];
            for (int d = 0; d < delay; d++) begin
                @(negedge clock);
                if (!ready[u] || y[u] !== got) fail(u, $sformatf("chain %0d: result not held", k));
            end
            ack = bit_of(u);
            @(negedge clock);
            ack = '0;
            req = '0;
            pre_in = 1'b0;
            if ($urandom % 6 == 0) @(negedge clock);   // a bubble in EX
            want = model(f, xs[k], zs[k]);
            want_lat = (f != 3'd0) ? 32 : p ? 1 : 2;
            ops_done[u]++;
            if (got !== want)
                fail(u, $sformatf("chain %0d: f3=%0d pre=%0d a=%h b=%h: got %h want %h", k, f, p, xs[k], zs[k],
                                  got, want));
            if (lat != want_lat)
                fail(u, $sformatf("chain %0d: f3=%0d pre=%0d: %0d cycles in EX, want %0d", k, f, p, lat, want_lat));
        end
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
            is_mul = u < NMUL || u == MD;
            is_div = u >= NMUL;
            for (int c = 0; c < NC; c++) begin
                logic [2:0] f;
                f = corner[c][98:96];
                pre_mode = u == PRE_U && c % 2 == 1;
                if ((f[2] && is_div) || (!f[2] && is_mul))
                    run_op(u, (u >= DIV0 && u < MD) ? {1'b1, f[1:0]} : f, corner[c][95:64], corner[c][63:32],
                           c % 3, corner[c][31:0]);
            end
            for (int i = 0; i < 400; i++) begin
                logic [2:0] f;
                logic [31:0] x, z;
                f = 3'($urandom % 4);
                if (u >= DIV0 && u < MD) f[2] = 1'b1;
                else if (u == MD) f[2] = 1'($urandom);
                x = rand_operand();
                z = rand_operand();
                pre_mode = u == PRE_U && $urandom % 2 == 0;
                run_op(u, f, x, z, ($urandom % 4 == 0) ? 2 : 0, model(f, x, z));
                if ($urandom % 5 == 0) @(negedge clock);   // sometimes an idle cycle
            end
            pre_mode = 1'b0;
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
            // A unit with a separate MUL path: more MULs (back to back, full
            // random operands), a kill in the middle of one, and a MULH right
            // after a MUL and the other way round.
            if (u < NMUL && fixed_lat_mul[u] != fixed_lat[u]) begin
                for (int i = 0; i < 600; i++) begin
                    logic [31:0] x, z;
                    x = (i % 2 == 0) ? $urandom : rand_operand();
                    z = (i % 3 == 0) ? $urandom : rand_operand();
                    pre_mode = u == PRE_U && i % 2 == 0;
                    run_op(u, 3'd0, x, z, ($urandom % 4 == 0) ? 1 : 0, model(3'd0, x, z));
                end
                pre_mode = 1'b0;
                f3 = 3'd0;
                a = 32'hdeadbeef;
                b = 32'h00001234;
                req = bit_of(u);
                @(negedge clock);
                kill = bit_of(u);
                @(negedge clock);
                kill = '0;
                req = '0;
                run_op(u, 3'd0, 32'hfffffff0, 32'h00000007, 0, model(3'd0, 32'hfffffff0, 32'h00000007));
                run_op(u, 3'd3, 32'hfffffff0, 32'h00000007, 0, model(3'd3, 32'hfffffff0, 32'h00000007));
                run_op(u, 3'd0, 32'h12345678, 32'h9abcdef1, 2, model(3'd0, 32'h12345678, 32'h9abcdef1));
                run_op(u, 3'd1, 32'h12345678, 32'h9abcdef1, 0, model(3'd1, 32'h12345678, 32'h9abcdef1));
            end
        end
        run_chain(PRE_U, 800);

        // Early-out (div IMPL 1 and 2): a zero divisor or a divisor above the
        // dividend finishes in 2 cycles; a one-byte dividend needs 8 radix-2 or
        // 4 radix-4 iterations (+ start and result cycles).
        for (int u = DIV0 + 1; u <= DIV0 + 2; u++) begin
            run_op(u, 3'd5, 32'd12345, 32'd0, 0, 32'hffffffff);
            if (last_lat != 2) fail(u, $sformatf("x/0 took %0d cycles, want 2", last_lat));
            run_op(u, 3'd7, 32'd5, 32'd77, 0, 32'd5);
            if (last_lat != 2) fail(u, $sformatf("5%%77 took %0d cycles, want 2", last_lat));
            run_op(u, 3'd4, 32'd200, 32'hfffffff9, 0, 32'hffffffe4);   // 200 / -7 = -28
            if (last_lat != (u == DIV0 + 1 ? 10 : 6))
                fail(u, $sformatf("200/-7 took %0d cycles, want %0d", last_lat, u == DIV0 + 1 ? 10 : 6));
        end

        // The wrapper must not start while can_start is low.
        can_start = 1'b0;
        f3 = 3'd5;
        a = 32'd100;
        b = 32'd7;
        req = bit_of(MD);
        repeat (40) begin
            @(negedge clock);
            if (ready[MD]) fail(MD, "started while can_start = 0");
        end
        req = '0;
        can_start = 1'b1;
        run_op(MD, 3'd5, 32'd100, 32'd7, 0, 32'd14);

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
