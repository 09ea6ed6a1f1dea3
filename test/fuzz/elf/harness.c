/* elf — iss_load_elf() (rv32sim, the cosim and coremark gates) on arbitrary
 * bytes written to a scratch file, since the loader only takes a path. An
 * image that loads is also run for a bounded number of instructions, so
 * the ISS decodes whatever the file put in RAM. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "iss/iss.h"
#include "lib/fsx.h"

enum { ELF_RUN_BUDGET = 2000 };

int fuzz_target(const uint8_t *data, size_t size)
{
    char path[512], err[512];
    iss_t s;

    snprintf(path, sizeof path, "%s/input.elf", fuzz_scratch_dir());
    if (fsx_write_atomic(path, data, size) != 0) {
        perror(path);
        abort(); /* the scratch directory is ours: failing to write it is a setup error */
    }
    if (iss_init(&s) != 0)
        abort();
    if (iss_load_elf(&s, path, err, sizeof err) == ISS_ELF_OK)
        iss_run(&s, ELF_RUN_BUDGET);
    iss_free(&s);
    return 0;
}
