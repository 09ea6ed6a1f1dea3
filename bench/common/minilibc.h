/* minilibc.h - the few C library functions the bench programs use.
 *
 * Contract: the standard semantics of the C functions of the same names
 * (memmove handles overlap; the others do not need to).  They exist because
 * the programs are freestanding, and because gcc may emit calls to memcpy and
 * memset for structure copies and loops even with -ffreestanding.
 */
#ifndef BENCH_MINILIBC_H
#define BENCH_MINILIBC_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* BENCH_MINILIBC_H */
