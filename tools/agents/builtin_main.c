/* evo-agent-builtin — the builtin design-space agent as a command, for
 * trying it by hand or running it as AGENT=cmd:build/bin/evo-agent-builtin.
 * Every option defaults to the EVO_* variable the loop sets (agent.h).
 * Exit status: 0 done, 1 failed, 3 design space exhausted, 2 usage. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/builtin.h"
#include "lib/fsx.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: evo-agent-builtin [--phase hypothesis|implement] [--core-dir DIR] [--id ID]\n"
            "         [--out FILE] [--hypothesis FILE] [--log FILE] [--prompt FILE] [--slot N]\n"
            "         [--seed N] [--lut N] [--coremark N] [--schema FILE]\n"
            "  --phase       EVO_PHASE: propose a knob move, or apply the hypothesis's knobs\n"
            "  --core-dir    EVO_CORE_DIR: cores/<name> (its core.yaml, rtl/, experiments/)\n"
            "  --id          EVO_ID: the hypothesis id\n"
            "  --out         hypothesis phase: where to write the YAML (EVO_HYPOTHESIS)\n"
            "  --hypothesis  implementation phase: the YAML to apply (EVO_HYPOTHESIS; else the\n"
            "                hypothesis block of the prompt)\n"
            "  --log         the log (default <core-dir>/experiments/log.jsonl)\n"
            "  --prompt      the loop's prompt file (EVO_PROMPT): targets, hypothesis\n"
            "  --slot        EVO_SLOT (default 1); --seed  EVO_SEED (default 1)\n"
            "  --lut/--coremark  targets (default: the prompt's, else core.yaml's)\n");
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

int main(int argc, char **argv)
{
    const char *phase = env_or("EVO_PHASE", "hypothesis");
    const char *hyp_env = env_or("EVO_HYPOTHESIS", NULL);
    const char *prompt_path = env_or("EVO_PROMPT", NULL);
    const char *out = NULL, *hyp_in = NULL;
    builtin_job j = {.core_dir = env_or("EVO_CORE_DIR", NULL), .id = env_or("EVO_ID", NULL),
                     .slot = atoi(env_or("EVO_SLOT", "1")), .seed = builtin_seed_from_env()};
    static const struct option opts[] = {
        {"phase", required_argument, 0, 'p'},    {"core-dir", required_argument, 0, 'c'},
        {"id", required_argument, 0, 'i'},       {"out", required_argument, 0, 'o'},
        {"hypothesis", required_argument, 0, 'H'}, {"log", required_argument, 0, 'l'},
        {"prompt", required_argument, 0, 'P'},   {"slot", required_argument, 0, 's'},
        {"seed", required_argument, 0, 'S'},     {"lut", required_argument, 0, 'L'},
        {"coremark", required_argument, 0, 'C'}, {"schema", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': phase = optarg; break;
        case 'c': j.core_dir = optarg; break;
        case 'i': j.id = optarg; break;
        case 'o': out = optarg; break;
        case 'H': hyp_in = optarg; break;
        case 'l': j.log_path = optarg; break;
        case 'P': prompt_path = optarg; break;
        case 's': j.slot = atoi(optarg); break;
        case 'S': j.seed = strtoull(optarg, NULL, 0); break;
        case 'L': j.targets.lut = strtod(optarg, NULL); break;
        case 'C': j.targets.coremark = strtod(optarg, NULL); break;
        case 'j': j.schema_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !j.core_dir || j.slot < 1 ||
        (strcmp(phase, "hypothesis") != 0 && strcmp(phase, "implement") != 0)) {
        usage(stderr);
        return 2;
    }
    char *prompt = NULL;
    if (prompt_path && fsx_read(prompt_path, &prompt, NULL) != 0) {
        fprintf(stderr, "evo-agent-builtin: cannot read the prompt %s\n", prompt_path);
        return 1;
    }
    j.prompt = prompt;
    int status;
    if (strcmp(phase, "hypothesis") == 0) {
        j.out_path = out ? out : hyp_env;
        if (!j.id || !j.out_path) {
            fprintf(stderr, "evo-agent-builtin: the hypothesis phase needs --id and --out (or EVO_ID, EVO_HYPOTHESIS)\n");
            free(prompt);
            return 2;
        }
        status = builtin_hypothesis(&j, stdout);
    } else {
        j.hypothesis_path = hyp_in ? hyp_in : hyp_env;
        status = builtin_implement(&j, stdout);
    }
    free(prompt);
    return status;
}
