/* knobmodel — the builtin agent's model of a core's knob design space
 * (DESIGN.md §6): which knob moves are still untried from the champion, and
 * in which order to try them. Pure functions over parsed JSON (core.yaml and
 * log.jsonl entries); no I/O, no global state, deterministic for a seed.
 *
 * The rules, in the order they apply:
 *  1. Champion: the last log entry whose outcome is "improvement" (as the
 *     orchestrator's records do); none when there is no such entry.
 *  2. Epochs: an entry was tried FROM champion C when C is the last
 *     improvement logged before it in a round earlier than the entry's round
 *     (slots of the round that produced C were tried from C's predecessor);
 *     an entry with a parent_id (PARENT=topk) was tried from that entry.
 *     With km_opts.parent_id the plan starts from that entry's design
 *     instead of the champion's: it is "the champion" of the rules below.
 *  3. Knob values along the path: core.yaml defaults, then the `knobs` of
 *     each improvement's hypothesis applied in log order. That gives every
 *     entry's parent configuration (for the "from" side of its moves) and the
 *     champion's; if the latter disagrees with the RTL (the caller reads the
 *     real values), the RTL wins and configuration de-duplication (rule 5) is
 *     switched off, because the path is then not knob-only.
 *  4. A move is a set of one, two or three knob assignments that differ from the
 *     champion's RTL values. It has been TRIED when an entry of the champion's
 *     epoch set exactly those knobs to exactly those values, whatever its
 *     outcome (an agent or sandbox failure counts too, or it would repeat).
 *  5. It is also skipped when it leads to a configuration some entry has
 *     already measured (e.g. undoing the last accepted move).
 *  6. Pairs come after every single move in the order, and only pairs of
 *     two single moves that were measured (passed every gate) from this
 *     champion: combinations of moves that work on their own. So slots keep
 *     busy when fewer single moves are left than a round has slots, and
 *     pairs are explored once the single moves are done. Triples come last:
 *     three single moves that each passed, at least two of them also
 *     together. Nothing left: the space reachable from the champion is
 *     exhausted.
 * 6a. A single move whose direct evidence (rule 7: an earlier entry set the
 *     same knob to the same value) predicts a loss beyond the accept margin
 *     (objective < -100 x margin, rule 8) is deferred: it comes after the
 *     pairs, before the triples. A design once at a local optimum of the
 *     single moves then tries pairs of its near-winners before re-trying,
 *     from each new champion, every move the log already measured as a
 *     loss; nothing is dropped, only ordered later. A move that enables
 *     another knob (rule 10) is never deferred: alone it measures none of
 *     the values it opens, and the pairs with them need it measured first.
 * 6b. A single move that did not place from the champion (placement_failed:
 *     more LCs than the device has) may still form a pair with a single move
 *     that passed from it with fewer LCs than the champion: freeing area is
 *     how a move that does not fit comes to fit. Its placement failures do
 *     not count as breaks for that pair (rule 7); its gain is what the rest
 *     of the log and the prior say of it.
 *  7. Evidence for a move of knob K from value f to t: every earlier entry
 *     that moved K, weighted 1 (same f->t), 0.6 (same t), 0.5 (the reverse
 *     t->f, deltas negated), 0.3 (same direction in `values` order), divided
 *     by how many knobs that entry moved. Measured entries give log-ratios of
 *     cycles, Fmax and LCs against their parent (the champion of their epoch;
 *     cycles over every workload of the set, km_entry_log_ratio; an entry
 *     that did not place gives its cycles, which cosim measured, alone);
 *     entries that set K to the same t and failed a design gate (lint..coremark)
 *     or did not place count as breaks (another value is other hardware).
 *     A prior pseudo-observation of weight 0.5 comes from the knob's
 *     trade-off sentence (km_prior_for): when it describes values one by one
 *     ("0 ... 2 bubbles per taken branch; 1 ... 1 bubble; 2 ... a longer
 *     fetch path"), by comparing what it says of the two values; otherwise
 *     read as the effect of moving to a LATER value in `values`. Its size is
 *     the percentages the sentence states, else a nominal 3% cycles, 3% Fmax,
 *     5% LCs; the prior break rate is 10%.
 *  8. Expected fitness change = Fmax ratio / cycles ratio - 1. Objective =
 *     (1 - p_break) x gain - p_break x 5 + 1 when the move has no direct
 *     evidence (same f->t or same t: exploration bonus), in percentage points.
 *     gain is the fitness change without targets; with targets it is the
 *     change of the accept rule's score (accept_score, x100: how much of the
 *     gap the move closes, using the champion's fitness and LCs) plus 0.1 x
 *     (fitness change if COREMARK is set, minus the LC change if LUT is set).
 *  9. Order (singles, then pairs, then deferred singles, then triples, each on
 *     its own): objective descending,
 *     then a hash of (seed, move) so equal objectives are broken
 *     reproducibly, then declaration order. Diversified: the best move of
 *     every knob first, then the second-best of every knob... Slot s
 *     (1-based) takes the s-th move, so slots of a round differ.
 * 10. A knob whose trade-off states a condition on another knob ("used
 *     only when BRANCH_PREDICT = 2": one of when/if/with/only/requires/needs
 *     before "<KNOB> = <value>", the value one of that knob's values) is
 *     inert unless the condition holds: its single moves are offered only
 *     when the champion meets it (they are not counted as left otherwise),
 *     and a pair that sets the enabling value together with it needs only
 *     the enabling single to have passed (rule 6).
 */
#ifndef AGENTS_KNOBMODEL_H
#define AGENTS_KNOBMODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "accept/accept.h"

enum { KM_CYC = 0, KM_FMAX = 1, KM_LUT = 2, KM_NMETRIC = 3 };
enum { KM_MAX_KNOBS_PER_MOVE = 3 };

/* What a trade-off sentence says about one value (rule 7, per-value form). */
typedef struct {
    bool described;
    double count[KM_NMETRIC]; /* "32 cycles", "~300 LUTs", "14 MHz"; NaN when unsaid */
    int qual[KM_NMETRIC];     /* signs its own words state (km_tradeoff_read) */
} km_vinfo;

typedef struct {
    const char *name, *file, *parameter, *tradeoff; /* borrowed from the core.yaml JSON */
    const json_t *values;                           /* array */
    const json_t *def;
    int prior_dir[KM_NMETRIC];    /* km_tradeoff_read of tradeoff */
    double prior_mag[KM_NMETRIC]; /* its percentages, else the nominal 3%, 3%, 5% */
    long dep_knob;                /* rule 10: the knob it depends on, or -1 */
    json_t *dep_value;            /* ... and the value that enables it (owned) */
    km_vinfo *vinfo;              /* per value when the sentence describes values, else NULL */
} km_knob;

typedef struct {
    km_knob *v;
    size_t n;
} km_space;

/* The knobs of a core.yaml (as JSON). A core without knobs is an error that
 * says so. The space borrows from core_cfg: keep it alive. */
int km_space_load(const json_t *core_cfg, km_space *out, char *err, size_t n);
void km_space_free(km_space *s);
/* Index of a knob by name, or -1. */
long km_space_find(const km_space *s, const char *name);
/* Index of v in the knob's values, or -1. */
long km_value_index(const km_knob *k, const json_t *v);

/* Reads a trade-off sentence: dir[KM_CYC/FMAX/LUT] = +1 when it says the
 * figure goes up (more cycles, higher Fmax, more LCs), -1 down, 0 unsaid.
 * Clauses are split at , ; : ( ) and "and/but/while"; in each, a figure's
 * word (cycle, CPI, stall, bubble, penalty, latency, mispredict, miss,
 * flush / Fmax, frequency, clock, timing / path, delay, depth (Fmax the
 * other way) / LUT, LC, cells, area, logic, FF) takes the nearest polarity
 * word (more, longer, adds... / fewer, shorter, no, removes... / better,
 * faster / worse, slower) and the nearest percentage ("~8% fewer cycles"),
 * which becomes mag[] (else the nominal 3%, 3%, 5%). mag may be NULL. */
void km_tradeoff_read(const char *sentence, int dir[KM_NMETRIC], double mag[KM_NMETRIC]);

/* The prior's direction for moving knob k from one value to another
 * (rule 7): from the per-value descriptions when the sentence has them
 * (counts compared when both values state one, else the difference of the
 * signs their own words state), else the sentence read as the effect of
 * moving to a later value. */
void km_prior_for(const km_knob *k, const json_t *from, const json_t *to, int dir[KM_NMETRIC]);

/* One knob moved by one log entry. */
typedef struct {
    size_t entry;               /* index in the log */
    size_t knob;
    const json_t *from, *to;    /* borrowed; from is the parent's value on the path */
    int nmoved;                 /* knobs that entry moved */
    bool measured, broken;      /* passed every gate / failed a design gate or placement */
    bool unplaced;              /* ... placement: the design needs more LCs than the device has */
    const char *gate;           /* the failing gate, when broken */
    bool has_delta;
    bool has_cyc;               /* not measured whole (it did not place) but d[KM_CYC] is known */
    double d[KM_NMETRIC];       /* log(entry / parent) of cycles, Fmax, LCs */
} km_obs;

typedef struct {
    int nk;                                   /* 1, 2 or 3 */
    size_t knob[KM_MAX_KNOBS_PER_MOVE];
    const json_t *from[KM_MAX_KNOBS_PER_MOVE]; /* the champion's values */
    const json_t *to[KM_MAX_KNOBS_PER_MOVE];   /* borrowed from the knob's values */
    double pct[KM_NMETRIC];   /* expected change, % */
    double fitness_pct;       /* expected fitness change when it passes, % */
    double p_break;
    double gap_pct;           /* with targets: accept-score change x100 */
    double objective;
    double evidence;          /* total weight of observations behind it */
    bool direct;              /* some evidence of the same target value */
    bool prior_only;          /* no observation at all */
    bool deferred;            /* rule 6a: a single move the log says loses, offered after the pairs */
    bool frees_area;          /* rule 6b: a pair whose one half did not place alone, the other frees LCs */
    size_t *obs;              /* indices into the plan's obs used as evidence */
    size_t nobs;
    unsigned long long tiebreak;
} km_move;

typedef struct {
    const accept_targets *targets; /* NULL or no target set: plain fitness */
    unsigned long long seed;
    const char *parent_id;         /* NULL: moves start from the champion; else from this entry's design
                                      (PARENT=topk): it takes the champion's place in rules 2-6 */
} km_opts;

typedef struct {
    long champion;             /* log index, -1 when none */
    long *epoch;               /* per entry: the champion it was tried from (-1 none) */
    size_t nlog;
    size_t tried;              /* entries of the champion's epoch */
    size_t singles_total;      /* single moves reachable from the champion (inert ones excluded) */
    size_t singles_left;
    size_t inert;              /* single moves skipped by rule 10 */
    bool pairs;                /* every single was tried: moves are pairs or triples */
    size_t deferred;           /* single moves put after the pairs (rule 6a) */
    bool triples;              /* every single and pair was tried: moves are only triples */
    bool chain_ok;             /* the path's knob values agree with the RTL */
    km_obs *obs;
    size_t nobs;
    km_move *moves;            /* ranked and diversified */
    size_t nmoves;
} km_plan;

/* Builds the plan. log: entries in file order; current: the champion's RTL
 * value of every knob (same order as the space). 0, or -1 with err. */
int km_plan_build(const km_space *sp, const json_t *const *log, size_t nlog,
                  const json_t *const *current, const km_opts *o, km_plan *out, char *err, size_t n);
void km_plan_free(km_plan *p);
/* The move for a slot (1-based), or NULL when fewer moves are left. */
const km_move *km_plan_pick(const km_plan *p, int slot);

/* Figures of a log entry: cycles, Fmax median, LCs (NaN when absent). */
double km_entry_figure(const json_t *e, int metric);
/* log(e / parent) of a metric, as rule 7's evidence measures it. Cycles
 * count every workload of the set: when both entries carry per-workload
 * figures ("workloads") of the same members, the mean over the members of
 * log(cycles per iteration ratio), i.e. the log of their geometric mean, as
 * the fitness combines them (gates/fitset.h); two different sets do not
 * compare (NaN); entries without per-workload figures use "cycles". NaN
 * when a figure is missing. */
double km_entry_log_ratio(const json_t *e, const json_t *parent, int metric);

#endif
