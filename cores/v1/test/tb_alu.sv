// tb_alu — self-checking test of alu.sv: every operation on hand-computed edge
// cases and on random operands against plain SystemVerilog operators, plus the
// `sum` output used for addresses. One PASS/FAIL line per operation.
module tb_alu;
    logic [3:0]  op;
    logic [31:0] a, b, y, sum;
    alu dut (.op(op), .a(a), .b(b), .y(y), .sum(sum));

    localparam int NOPS = 10;
    logic [3:0] ops [NOPS] = '{4'b0000, 4'b1000, 4'b0001, 4'b0010, 4'b0011,
                               4'b0100, 4'b0101, 4'b1101, 4'b0110, 4'b0111};
    string names [NOPS] = '{"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and"};

    function automatic logic [31:0] model(input logic [3:0] o, input logic [31:0] x, input logic [31:0] z);
        case (o)
            4'b0000: return x + z;
            4'b1000: return x - z;
            4'b0001: return x << z[4:0];
            4'b0010: return {31'b0, $signed(x) < $signed(z)};
            4'b0011: return {31'b0, x < z};
            4'b0100: return x ^ z;
            4'b0101: return x >> z[4:0];
            4'b1101: return $signed(x) >>> z[4:0];
            4'b0110: return x | z;
            default: return x & z;
        endcase
    endfunction

    int errors [NOPS];
    string first [NOPS];

    task automatic check(input int k, input logic [31:0] x, input logic [31:0] z, input logic [31:0] want);
        op = ops[k];
        a = x;
        b = z;
        #1;
        if (y !== want) begin
            if (errors[k] == 0) first[k] = $sformatf("a=%h b=%h got %h want %h", x, z, y, want);
            errors[k]++;
        end
        // sum is the adder: a+b for ADD, a-b for SUB/SLT/SLTU.
        if ((k == 0 && sum !== x + z) || (k == 1 && sum !== x - z)) begin
            if (errors[k] == 0) first[k] = $sformatf("sum a=%h b=%h got %h", x, z, sum);
            errors[k]++;
        end
    endtask

    initial begin
        for (int k = 0; k < NOPS; k++) errors[k] = 0;
        // Hand-computed cases (values from the RISC-V spec semantics).
        check(0, 32'hffffffff, 32'h00000001, 32'h00000000);
        check(0, 32'h7fffffff, 32'h00000001, 32'h80000000);
        check(1, 32'h00000000, 32'h00000001, 32'hffffffff);
        check(1, 32'h80000000, 32'h00000001, 32'h7fffffff);
        check(2, 32'h00000001, 32'h0000001f, 32'h80000000);
        check(2, 32'h00000001, 32'h00000020, 32'h00000001);   // only b[4:0] counts
        check(3, 32'h80000000, 32'h00000001, 32'h00000001);   // -2^31 < 1
        check(3, 32'h00000001, 32'h80000000, 32'h00000000);
        check(3, 32'hffffffff, 32'hffffffff, 32'h00000000);
        check(3, 32'h7fffffff, 32'h80000000, 32'h00000000);   // overflowing a-b
        check(3, 32'h80000000, 32'h7fffffff, 32'h00000001);
        check(4, 32'h00000001, 32'h80000000, 32'h00000001);
        check(4, 32'hffffffff, 32'h00000000, 32'h00000000);
        check(4, 32'h00000000, 32'h00000000, 32'h00000000);
        check(5, 32'hf0f0f0f0, 32'hff00ff00, 32'h0ff00ff0);
        check(6, 32'h80000000, 32'h0000001f, 32'h00000001);
        check(6, 32'h80000000, 32'hffffffe1, 32'h40000000);   // shamt 1
        check(7, 32'h80000000, 32'h0000001f, 32'hffffffff);
        check(7, 32'h40000000, 32'h0000001e, 32'h00000001);
        check(7, 32'h80000010, 32'h00000004, 32'hf8000001);
        check(8, 32'hf0f0f0f0, 32'h0f0f0f0f, 32'hffffffff);
        check(9, 32'hf0f0f0f0, 32'hff00ff00, 32'hf000f000);
        // Random operands against the model.
        for (int i = 0; i < 3000; i++) begin
            logic [31:0] x, z;
            x = $urandom;
            z = $urandom;
            if (i % 7 == 0) z = z & 32'h1f;
            if (i % 11 == 0) x = {x[31], 31'b0} | (x & 32'h3);
            for (int k = 0; k < NOPS; k++) check(k, x, z, model(ops[k], x, z));
        end
        for (int k = 0; k < NOPS; k++) begin
            if (errors[k] == 0) $display("PASS alu.%s", names[k]);
            else $display("FAIL alu.%s: %0d mismatches, first: %s", names[k], errors[k], first[k]);
        end
        $finish;
    end
endmodule
