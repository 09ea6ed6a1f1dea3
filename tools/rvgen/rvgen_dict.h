/* rvgen_dict — operand values harvested from a design's own RTL.
 *
 * A unit that misbehaves for one operand value (a comparison against a
 * 32-bit constant) is out of reach of random operands: 2^-32 per try. The
 * constant is written in the RTL, though, so the programs take it from there,
 * as a fuzzer takes a dictionary from the comparisons of its target.
 *
 * Contract:
 *  - rvgen_dict_scan reads the regular *.sv, *.svh and *.v files directly in
 *    dir (names sorted, at most RVGEN_DICT_FILE_MAX bytes of each) and
 *    collects the values of their numeric literals (8'hA5, 'd12, 32'b1_0,
 *    plain decimals; x/z digits and literals over 32 bits are skipped).
 *    Values below 32 are left out (random programs hit those often). Each kept literal v of width w
 *    adds v, v shifted to the top of the word (w < 32), v+1, v-1, ~v and -v.
 *  - The result is a pure function of the files' contents: distinct values in
 *    order of first appearance, at most max of them. Comments and strings
 *    are skipped; anything unparsable is ignored (the RTL is hostile input:
 *    this never fails on content, only on I/O).
 *  - Returns the number of values (0..max), or -1 with errno set when dir
 *    cannot be read.
 */
#ifndef RVGEN_RVGEN_DICT_H
#define RVGEN_RVGEN_DICT_H

#include <stddef.h>
#include <stdint.h>

#define RVGEN_DICT_FILE_MAX (1u << 20)
#define RVGEN_DICT_MAX 512

int rvgen_dict_scan(const char *dir, uint32_t *out, size_t max);

/* The values of the literals in text[0..len) as rvgen_dict_scan collects
 * them, appended to out[*n..max) without duplicates. */
void rvgen_dict_text(const char *text, size_t len, uint32_t *out, size_t *n, size_t max);

#endif
