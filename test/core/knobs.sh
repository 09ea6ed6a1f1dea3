# test/core/knobs.sh — sourced helpers shared by run.sh and sweep.sh.
#
# core_knobs CORE_DIR: prints one line per knob declared in CORE_DIR/core.yaml,
#   "PARAMETER FILE DEFAULT VALUE...", from the block-style `knobs:` list
#   (values written as a flow list, e.g. `values: [0, 1, 2]`). Prints nothing
#   when the core declares no knobs.
# knob_current CORE_DIR PARAMETER FILE: the value on the knob's one
#   `parameter NAME = value` line in FILE, or nothing when there is not
#   exactly one such line.
# device_capacity DEVICE: "LCS BRAMS" of an iCE40 device, or nothing.

core_knobs() {
    awk '
        function flush() { if (p != "") print p, f, d, v; p = f = d = v = "" }
        /^knobs:/ { k = 1; next }
        k && /^[^ #-]/ { flush(); k = 0 }
        !k { next }
        /^ *- *name:/ { flush() }
        /^ *(- *)?parameter:/ { sub(/.*parameter: */, ""); gsub(/["'\'']/, ""); p = $1 }
        /^ *(- *)?file:/ { sub(/.*file: */, ""); gsub(/["'\'']/, ""); f = $1 }
        /^ *(- *)?default:/ { sub(/.*default: */, ""); gsub(/["'\'']/, ""); d = $1 }
        /^ *(- *)?values:/ { sub(/.*values: *\[/, ""); sub(/\].*/, ""); gsub(/[,"'\'']/, " "); v = $0; gsub(/  +/, " ", v) }
        END { flush() }
    ' "$1/core.yaml"
}

knob_current() {
    local lines
    lines=$(grep -E "^[[:space:]]*parameter[[:space:]]+([a-z]+[[:space:]]+)?$2[[:space:]]*=" "$1/$3" 2>/dev/null)
    [ "$(printf '%s\n' "$lines" | grep -c .)" -eq 1 ] || return 0
    printf '%s\n' "$lines" | sed -E "s/.*$2[[:space:]]*=[[:space:]]*([^;,)[:space:]]+).*/\1/"
}

device_capacity() {
    case "$1" in
        hx8k|lp8k) echo "7680 32" ;;
        hx4k|lp4k|u4k) echo "3520 20" ;;
        hx1k|lp1k|u1k) echo "1280 16" ;;
        up5k) echo "5280 30" ;;
        up3k) echo "2800 20" ;;
        lp384) echo "384 0" ;;
        *) ;;
    esac
}

core_device() {
    awk '/^fpga:/ { f = 1; next } f && /^[^ ]/ { f = 0 } f && /device:/ { print $2 }' "$1/core.yaml"
}

# yosys_counts STATFILE: "LUT4 FF CARRY BRAM" from a Yosys `stat` report.
yosys_counts() {
    awk '/SB_LUT4/ { l = $2 } /SB_CARRY/ { c = $2 } /SB_DFF/ { f += $2 } /SB_RAM40_4K/ { r = $2 }
         END { printf "%d %d %d %d\n", l, f, c, r }' "$1"
}
