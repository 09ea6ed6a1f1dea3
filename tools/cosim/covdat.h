/* covdat — reads Verilator coverage files (the cosim harness's --coverage
 * output, "C '<keys>' <count>" lines) and says which RTL lines ran.
 *
 * Contract:
 *  - covdat_add() adds one file's points; points with the same name (the
 *    same place in the RTL) are summed, so batches merge in any order.
 *  - A point stands for the lines in its "S" key (Verilator's linescov, e.g.
 *    "31-32,40"), or its "l" line when it has none; toggle points stand for
 *    their signal's declaration line. A source line is *coverable* when some
 *    point stands for it, and *exercised* when every one of those points
 *    counted more than zero: Verilator's `if` point stands for the if line
 *    and its then-block, the implicit else point for the if line, so an if
 *    whose condition never held, or always held, is not exercised on its line
 *    (and a one-line `if (rare) x = y;` cannot hide behind its else arm).
 *  - covdat_summary() returns {"kind", "points", "points_hit", "lines",
 *    "lines_hit", "unexercised": {"<file>.sv": [line, ...]}} with file names
 *    reduced to their base name (the core's rtl/ is flat), lines ascending,
 *    at most COVDAT_MAX_LINES per file.
 */
#ifndef COSIM_COVDAT_H
#define COSIM_COVDAT_H

#include <jansson.h>
#include <stddef.h>

enum { COVDAT_MAX_LINES = 4000 };

typedef struct covdat covdat;

covdat *covdat_new(void);
void covdat_free(covdat *c);
/* Adds the points of a coverage file's text; the number of points read, or
 * -1 when out of memory. Lines that are not points are skipped. */
int covdat_add(covdat *c, const char *text, size_t len);
json_t *covdat_summary(const covdat *c, const char *kind);

#endif
