/* elf — iss_load_elf() (rv32sim, the cosim and coremark gates) on arbitrary
 * bytes written to a scratch file, since the loader only takes a path. An
 * image that loads is also run for a bounded number of instructions, so
 * the ISS decodes whatever the file put in RAM.
 * One ISS serves the whole process (its 1 MiB RAM and decode cache cost
 * more to allocate than a load costs): a rejected file leaves it untouched
 * (iss.h), and after a load it goes back to the reset state with RAM
 * cleared, so every input starts from the same hart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "iss/iss.h"

enum { ELF_RUN_BUDGET = 2000 };

static iss_t *hart(void)
{
    static iss_t s; /* see above: reset after every load */
    static int made;
    if (!made && iss_init(&s) != 0)
        abort();
    made = 1;
    return &s;
}

/* Plain write, no fsync: the file only has to outlive the load. */
static void write_input(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort(); /* the scratch directory is ours: failing to write it is a setup error */
    }
}

int fuzz_target(const uint8_t *data, size_t size)
{
    char path[512], err[512];
    iss_t *s = hart();

    snprintf(path, sizeof path, "%s/input.elf", fuzz_scratch_dir());
    write_input(path, data, size);
    if (iss_load_elf(s, path, err, sizeof err) == ISS_ELF_OK) {
        iss_run(s, ELF_RUN_BUDGET);
        memset(s->mem, 0, ISS_RAM_SIZE);
        iss_reset(s);
        iss_invalidate(s);
    }
    return 0;
}
