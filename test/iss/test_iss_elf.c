/* test_iss_elf — iss_load_elf() on ELF files built byte by byte here (from the
 * ELF32 layout in <elf.h>), one good file and one variant per kind of defect.
 * Each bad file must be rejected with the documented error code, a message
 * naming the file and the problem, and RAM and pc left untouched. Runs in
 * the ASan build too, which is where a parser overrun would show. */
#include <elf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "iss/iss.h"

#define CODE_OFF 0xA0u /* after the ELF header (52) and 3 program headers (96) */
#define DATA_OFF 0xC0u
#define FILE_SIZE 0xC8u
_Static_assert(CODE_OFF >= sizeof(Elf32_Ehdr) + 3 * sizeof(Elf32_Phdr), "headers overlap the code");

typedef struct {
    uint8_t bytes[FILE_SIZE];
    size_t len;
} elf_img;

/* Two PT_LOAD segments: 16 bytes of code at 0, 8 bytes of data at 0x1000 with
 * 0x100 bytes of bss after them; a PT_NOTE-like non-load header in between. */
static elf_img good_elf(void)
{
    elf_img m;
    Elf32_Ehdr eh;
    Elf32_Phdr ph[3];
    const uint32_t code[4] = {0x00150513, 0x00A00593, 0x00000013, 0x00100073};
    const uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};

    memset(&m, 0, sizeof m);
    memset(&eh, 0, sizeof eh);
    memset(ph, 0, sizeof ph);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = 243; /* EM_RISCV */
    eh.e_version = EV_CURRENT;
    eh.e_entry = 0;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof ph[0];
    eh.e_phnum = 3;
    ph[0] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = CODE_OFF, .p_vaddr = 0, .p_paddr = 0,
                         .p_filesz = 16, .p_memsz = 16, .p_flags = PF_R | PF_X, .p_align = 4};
    ph[1] = (Elf32_Phdr){.p_type = PT_NOTE, .p_offset = 0, .p_vaddr = 0xFFFFFFF0u,
                         .p_paddr = 0xFFFFFFF0u, .p_filesz = 0, .p_memsz = 0x100};
    ph[2] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = DATA_OFF, .p_vaddr = 0x1000,
                         .p_paddr = 0x1000, .p_filesz = 8, .p_memsz = 0x108,
                         .p_flags = PF_R | PF_W, .p_align = 4};
    memcpy(m.bytes, &eh, sizeof eh);
    memcpy(m.bytes + eh.e_phoff, ph, sizeof ph);
    memcpy(m.bytes + CODE_OFF, code, sizeof code);
    memcpy(m.bytes + DATA_OFF, data, sizeof data);
    m.len = FILE_SIZE;
    return m;
}

static Elf32_Ehdr *ehdr(elf_img *m) { return (Elf32_Ehdr *)(void *)m->bytes; }
static Elf32_Phdr *phdr(elf_img *m, int i)
{
    return (Elf32_Phdr *)(void *)(m->bytes + sizeof(Elf32_Ehdr) + (size_t)i * sizeof(Elf32_Phdr));
}

static char g_dir[] = "/tmp/test_iss_elf.XXXXXX";
static iss_t g_s;
static char g_files[64][256]; /* created files, removed at the end */
static int g_nfiles;

/* Like CHECK_STR_CONTAINS, for needles longer than check.h's message allows. */
static void expect_contains(const char *hay, const char *needle, int line)
{
    char m[300];
    if (hay && strstr(hay, needle))
        return;
    snprintf(m, sizeof m, "'%.120s' does not contain '%.120s'", hay ? hay : "(null)", needle);
    check_fail(__FILE__, line, m);
}
#define EXPECT_CONTAINS(h, n) expect_contains((h), (n), __LINE__)

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (g_nfiles < 64)
        snprintf(g_files[g_nfiles++], sizeof g_files[0], "%s", path);
    if (!f || (len && fwrite(data, 1, len, f) != len)) {
        printf("FAIL setup: cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

/* Pre-fills RAM with 0xCC and pc with a marker, loads, returns the code. */
static iss_elf_error try_load(const char *path, char *err, size_t n)
{
    memset(g_s.mem, 0xCC, ISS_RAM_SIZE);
    g_s.pc = 0x1234;
    return iss_load_elf(&g_s, path, err, n);
}

static bool ram_untouched(void)
{
    for (size_t i = 0; i < ISS_RAM_SIZE; i++)
        if (g_s.mem[i] != 0xCC)
            return false;
    return g_s.pc == 0x1234;
}

/* Writes the image as <name>, expects rejection with code and a message with both
 * the path and `needle`. */
static void expect_reject(const char *name, const elf_img *m, iss_elf_error code,
                          const char *needle)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    write_file(path, m->bytes, m->len);
    iss_elf_error rc = try_load(path, err, sizeof err);
    CHECK_EQ_INT(rc, code);
    EXPECT_CONTAINS(err, path);
    EXPECT_CONTAINS(err, needle);
    CHECK(ram_untouched());
}

static void test_good(void)
{
    char path[256], err[512];
    elf_img m = good_elf();
    snprintf(path, sizeof path, "%s/good.elf", g_dir);
    write_file(path, m.bytes, m.len);
    CHECK_EQ_INT(try_load(path, err, sizeof err), ISS_ELF_OK);
    CHECK_EQ_U32(g_s.pc, 0);
    CHECK(memcmp(g_s.mem, m.bytes + CODE_OFF, 16) == 0);
    CHECK(memcmp(g_s.mem + 0x1000, m.bytes + DATA_OFF, 8) == 0);
    bool bss_zero = true;
    for (uint32_t a = 0x1008; a < 0x1108; a++)
        bss_zero &= g_s.mem[a] == 0;
    CHECK(bss_zero);
    CHECK_EQ_U32(g_s.mem[0x1108], 0xCC); /* past memsz: untouched */
    CHECK_EQ_U32(g_s.mem[0x10], 0xCC);
    /* and it runs: addi a0,a0,1; addi a1,zero,10; nop; ebreak */
    memset(g_s.x, 0, sizeof g_s.x);
    g_s.instret = 0;
    CHECK(iss_run(&g_s, 100) == ISS_HALTED);
    CHECK_EQ_U32(g_s.x[10], 1);
    CHECK_EQ_U32(g_s.x[11], 10);
    CHECK_EQ_INT(g_s.instret, 4);
}

static void test_rejects(void)
{
    elf_img m;

    m = good_elf(), ehdr(&m)->e_ident[EI_CLASS] = ELFCLASS64;
    expect_reject("class64.elf", &m, ISS_ELF_WRONG_KIND, "ELFCLASS32");
    m = good_elf(), ehdr(&m)->e_ident[EI_DATA] = ELFDATA2MSB;
    expect_reject("bigendian.elf", &m, ISS_ELF_WRONG_KIND, "little-endian");
    m = good_elf(), ehdr(&m)->e_machine = EM_X86_64;
    expect_reject("x86.elf", &m, ISS_ELF_WRONG_KIND, "EM_RISCV");
    m = good_elf(), ehdr(&m)->e_type = ET_DYN;
    expect_reject("dyn.elf", &m, ISS_ELF_WRONG_KIND, "ET_EXEC");
    m = good_elf(), ehdr(&m)->e_type = ET_REL;
    expect_reject("rel.elf", &m, ISS_ELF_WRONG_KIND, "ET_EXEC");
    m = good_elf(), ehdr(&m)->e_entry = 4;
    expect_reject("entry.elf", &m, ISS_ELF_BAD_ENTRY, "entry");
    m = good_elf(), phdr(&m, 2)->p_vaddr = phdr(&m, 2)->p_paddr = 0xFFF00;
    expect_reject("seg-top.elf", &m, ISS_ELF_BAD_SEGMENT, "outside RAM");
    m = good_elf(), phdr(&m, 2)->p_paddr = 0xFFFFFFF0u;
    expect_reject("seg-wrap-paddr.elf", &m, ISS_ELF_BAD_SEGMENT, "outside RAM");
    m = good_elf(), phdr(&m, 2)->p_vaddr = 0x10000000u;
    expect_reject("seg-vaddr.elf", &m, ISS_ELF_BAD_SEGMENT, "outside RAM");
    m = good_elf(), phdr(&m, 0)->p_memsz = ISS_RAM_SIZE + 1;
    expect_reject("seg-huge.elf", &m, ISS_ELF_BAD_SEGMENT, "outside RAM");
    m = good_elf(), phdr(&m, 2)->p_memsz = 4;
    expect_reject("filesz.elf", &m, ISS_ELF_BAD_SEGMENT, "p_filesz");
    m = good_elf(), phdr(&m, 2)->p_filesz = 0x20;
    m.len = FILE_SIZE; /* the segment claims bytes past the end */
    phdr(&m, 2)->p_memsz = 0x20;
    expect_reject("seg-past-eof.elf", &m, ISS_ELF_BAD_SEGMENT, "truncated");
    m = good_elf(), phdr(&m, 2)->p_offset = 0xFFFFFFF0u;
    expect_reject("seg-offset-wrap.elf", &m, ISS_ELF_BAD_SEGMENT, "truncated");
    m = good_elf(), m.len = DATA_OFF + 4;
    expect_reject("cut-data.elf", &m, ISS_ELF_BAD_SEGMENT, "truncated");
    m = good_elf(), m.len = sizeof(Elf32_Ehdr) + 10;
    expect_reject("cut-phdrs.elf", &m, ISS_ELF_NOT_ELF, "truncated");
    m = good_elf(), m.len = 20;
    expect_reject("cut-ehdr.elf", &m, ISS_ELF_NOT_ELF, "truncated");
    m = good_elf(), phdr(&m, 0)->p_type = PT_NULL, phdr(&m, 2)->p_type = PT_NULL;
    expect_reject("noload.elf", &m, ISS_ELF_BAD_SEGMENT, "PT_LOAD");
    m = good_elf(), memcpy(m.bytes, "hello, this is a text file\n", 27), m.len = 27;
    expect_reject("text.elf", &m, ISS_ELF_NOT_ELF, "not an ELF");
    m.len = 0;
    expect_reject("empty.elf", &m, ISS_ELF_NOT_ELF, "not an ELF");
}

static void test_io_errors(void)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/missing.elf", g_dir);
    CHECK_EQ_INT(try_load(path, err, sizeof err), ISS_ELF_IO);
    EXPECT_CONTAINS(err, path);
    CHECK(ram_untouched());
    CHECK_EQ_INT(try_load(g_dir, err, sizeof err), ISS_ELF_IO);
    EXPECT_CONTAINS(err, g_dir);
    /* a tiny message buffer truncates but stays a string */
    char small[8];
    CHECK_EQ_INT(try_load(path, small, sizeof small), ISS_ELF_IO);
    CHECK(memchr(small, '\0', sizeof small) != NULL);
    CHECK_EQ_INT(try_load(path, NULL, 0), ISS_ELF_IO);
}

static void cleanup(void)
{
    for (int i = 0; i < g_nfiles; i++)
        if (!getenv("KEEP")) unlink(g_files[i]);
    if (!getenv("KEEP")) rmdir(g_dir);
}

int main(void)
{
    if (!mkdtemp(g_dir) || iss_init(&g_s) != 0) {
        printf("FAIL setup: temp dir or iss_init\n");
        return 1;
    }
    CHECK_CASE("elf: good file loads, bss zeroed, runs") test_good();
    CHECK_CASE("elf: every defect rejected with code and message") test_rejects();
    CHECK_CASE("elf: missing file, directory, small buffers") test_io_errors();
    iss_free(&g_s);
    cleanup();
    return check_done();
}
