// cosim — the lockstep co-simulation harness (one binary per core model).
//
//   cosim [options] [--stall PATTERN] PROG.elf... [--stall PATTERN PROG.elf...]...
//
// Each program runs under the stall pattern named before it (default "none");
// every run prints one JSON object on one line (to --out FILE, else stdout).
// Options (before or between programs):
//   --max-cycles N      cycle budget per run (default 200000000)
//   --hang-cycles N     no retirement for N cycles = hang (default 10000)
//   --validate K        none|workload|coremark|vm (default: from the file name)
//   --expect-iterations N   CoreMark must report exactly N iterations
//   --no-check          run the model without the ISS (speed baseline)
//   --stop-on-fail      stop after the first run that does not pass
//   --repeat N          run each program N times (benchmarks)
//   --coverage FILE     (a coverage build) the coverage points of every run,
//                       summed, written to FILE at the end (Verilator's format)
// Exit: the verdict code of the first failing run (verdict.h), 0 when all passed,
// 8 on bad usage.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lockstep.h"
#include "verilated.h"

namespace {

void usage()
{
    std::fprintf(stderr,
                 "usage: cosim [--max-cycles N] [--hang-cycles N] [--validate none|workload|coremark|vm]\n"
                 "             [--expect-iterations N] [--no-check] [--stop-on-fail] [--repeat N] [--out FILE]\n"
                 "             [--coverage FILE]\n"
                 "             [--stall none|std|seed=N|bursty[=N]] PROG.elf ...\n");
}

bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = std::strtoull(s, &end, 0);
    if (errno || end == s || *end)
        return false;
    *v = x;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(1, argv); // keep +verilator+ options away from the model
    LockstepOptions opt;
    stall_t stall;
    stall_parse("none", &stall);
    FILE *out = stdout;
    bool stop_on_fail = false;
    uint64_t repeat = 1;
    int rc = 0, runs = 0;
    std::map<std::string, uint64_t> coverage;
    std::string coverage_out;
    for (int i = 1; i < argc; i++) {
        const std::string a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
        uint64_t n = 0;
        if (a == "--no-check") {
            opt.check = false;
        } else if (a == "--stop-on-fail") {
            stop_on_fail = true;
        } else if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
            if (!v) {
                usage();
                return VERDICT_ERROR;
            }
            i++;
            if (a == "--stall") {
                if (stall_parse(v, &stall) != 0) {
                    std::fprintf(stderr, "cosim: unknown stall pattern '%s'\n", v);
                    return VERDICT_ERROR;
                }
            } else if (a == "--validate") {
                opt.validate = uart_check_parse(v);
                if (opt.validate < 0) {
                    usage();
                    return VERDICT_ERROR;
                }
            } else if (a == "--coverage") {
#if VM_COVERAGE
                coverage_out = v;
                opt.coverage = &coverage;
                opt.coverage_tmp = coverage_out + ".run";
#else
                std::fprintf(stderr, "cosim: --coverage needs a model built with coverage\n");
                return VERDICT_ERROR;
#endif
            } else if (a == "--out") {
                out = std::fopen(v, "a");
                if (!out) {
                    std::fprintf(stderr, "cosim: cannot open %s: %s\n", v, std::strerror(errno));
                    return VERDICT_ERROR;
                }
            } else if (!parse_u64(v, &n)) {
                usage();
                return VERDICT_ERROR;
            } else if (a == "--max-cycles") {
                opt.max_cycles = n;
            } else if (a == "--hang-cycles") {
                opt.hang_cycles = n;
            } else if (a == "--expect-iterations") {
                opt.expect_iterations = n;
            } else if (a == "--repeat" && n > 0) {
                repeat = n;
            } else {
                usage();
                return VERDICT_ERROR;
            }
        } else {
            for (uint64_t r = 0; r < repeat; r++) {
                LockstepResult res = lockstep_run(argv[i], stall, opt);
                std::fprintf(out, "%s\n", res.json.c_str());
                std::fflush(out);
                runs++;
                if (res.verdict != VERDICT_PASS && rc == 0)
                    rc = res.verdict;
            }
            if (rc != 0 && stop_on_fail)
                break;
        }
    }
    if (runs == 0) {
        usage();
        return VERDICT_ERROR;
    }
    if (out != stdout)
        std::fclose(out);
    if (!coverage_out.empty() && !coverage_write_file(coverage_out.c_str(), coverage)) {
        std::fprintf(stderr, "cosim: cannot write %s: %s\n", coverage_out.c_str(), std::strerror(errno));
        return VERDICT_ERROR;
    }
    return rc;
}
