// lsu — load/store formatting for the contract's byte-addressed, word-wide dmem.
//
// Store side (EX stage): from the byte address and funct3 it gives the byte-lane
// mask (lane-shifted, also the RVFI rmask/wmask), the lane-replicated write data,
// and whether the access is misaligned (halfword at an odd address, word not
// 4-aligned), in which case the core traps and issues no access.
// Load side (MEM stage): extracts and sign/zero-extends the addressed byte or
// halfword from the whole word read.
module lsu (
    // EX side
    input  logic [1:0]  x_size,      // funct3[1:0]: 00 byte, 01 half, 10 word
    input  logic [1:0]  x_off,       // byte address [1:0]
    input  logic [31:0] x_store_val, // rs2
    output logic [3:0]  x_mask,
    output logic [31:0] x_wdata,
    output logic        x_misaligned,
    // MEM side
    input  logic [2:0]  m_funct3,
    input  logic [1:0]  m_off,
    input  logic [31:0] m_rdata,
    output logic [31:0] m_load_val
);
    always_comb begin
        case (x_size)
            2'b00: begin
                x_mask = 4'b0001 << x_off;
                x_wdata = {4{x_store_val[7:0]}};
                x_misaligned = 1'b0;
            end
            2'b01: begin
                x_mask = x_off[1] ? 4'b1100 : 4'b0011;
                x_wdata = {2{x_store_val[15:0]}};
                x_misaligned = x_off[0];
            end
            default: begin
                x_mask = 4'b1111;
                x_wdata = x_store_val;
                x_misaligned = x_off != 2'b00;
            end
        endcase
    end

    logic [7:0] byte_sel;
    logic [15:0] half_sel;
    always_comb begin
        case (m_off)
            2'b00: byte_sel = m_rdata[7:0];
            2'b01: byte_sel = m_rdata[15:8];
            2'b10: byte_sel = m_rdata[23:16];
            default: byte_sel = m_rdata[31:24];
        endcase
        half_sel = m_off[1] ? m_rdata[31:16] : m_rdata[15:0];
        case (m_funct3)
            3'b000: m_load_val = {{24{byte_sel[7]}}, byte_sel};   // LB
            3'b001: m_load_val = {{16{half_sel[15]}}, half_sel};  // LH
            3'b100: m_load_val = {24'b0, byte_sel};               // LBU
            3'b101: m_load_val = {16'b0, half_sel};               // LHU
            default: m_load_val = m_rdata;                        // LW
        endcase
    end
endmodule
