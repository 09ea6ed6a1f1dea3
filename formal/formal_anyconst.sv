// formal_anyconst.sv — a free constant: q equals d in the first cycle and
// keeps that value forever (d is a free input of formal_top). Built from a
// plain register rather than a solver-specific attribute so that every tool
// in the flow (yosys, write_aiger, sim, verilator lint) sees the same thing.
module formal_anyconst #(
    parameter int W = 1
) (
    input  logic         clock,
    input  logic         first,
    input  logic [W-1:0] d,
    output logic [W-1:0] q
);
    logic [W-1:0] held;
    assign q = first ? d : held;
    always_ff @(posedge clock) held <= q;
endmodule
