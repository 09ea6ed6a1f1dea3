/* workload.c - the kernels of workload.h.
 *
 * Written for this project (not derived from CoreMark): it has the same kind
 * of mix - pointer chasing and data-dependent branches (list), multiply-
 * accumulate loops (matrix), byte loads and a branchy state machine (text),
 * and bit-serial CRC arithmetic - so that a core's speed on it says something
 * about its speed on CoreMark.  Every round changes the data the next round
 * works on, so no round can be skipped or computed once.
 */
#include "workload.h"

/* ------------------------------------------------------------------ CRC-16 */

uint16_t wl_crc16_u8(uint8_t byte, uint16_t crc)
{
    crc ^= (uint16_t)((uint16_t)byte << 8);
    for (int i = 0; i < 8; i++) {
        if (crc & 0x8000u)
            crc = (uint16_t)((crc << 1) ^ 0x1021u);
        else
            crc = (uint16_t)(crc << 1);
    }
    return crc;
}

uint16_t wl_crc16_u16(uint16_t v, uint16_t crc)
{
    crc = wl_crc16_u8((uint8_t)(v >> 8), crc);
    return wl_crc16_u8((uint8_t)v, crc);
}

/* xorshift32: the workload's only source of variation, seeded by wl_init. */
static uint32_t wl_rand(wl_ctx *ctx)
{
    uint32_t x = ctx->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ctx->rng = x;
    return x;
}

/* A key in [-512, 511] from any 32-bit value. */
static int16_t wl_key(uint32_t v)
{
    return (int16_t)((int32_t)(v & 0x3FFu) - 512);
}

/* ------------------------------------------------------------ linked list */

static int wl_before(const wl_node *x, const wl_node *y, int by_id)
{
    if (by_id)
        return x->id <= y->id;
    return x->key <= y->key; /* <=: equal keys keep their order (stable) */
}

static wl_node *wl_merge(wl_node *x, wl_node *y, int by_id)
{
    wl_node head;
    wl_node *tail = &head;
    while (x && y) {
        if (wl_before(x, y, by_id)) {
            tail->next = x;
            x = x->next;
        } else {
            tail->next = y;
            y = y->next;
        }
        tail = tail->next;
    }
    tail->next = x ? x : y;
    return head.next;
}

/* Top-down merge sort: split at the middle (slow/fast walk), recurse. */
static wl_node *wl_sort(wl_node *list, int by_id)
{
    if (!list || !list->next)
        return list;
    wl_node *slow = list, *fast = list->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    wl_node *second = slow->next;
    slow->next = 0;
    return wl_merge(wl_sort(list, by_id), wl_sort(second, by_id), by_id);
}

/* Finds the first node with the key; moves it to the front.  Returns the
 * number of nodes visited, plus 0x8000 when the key was not found. */
static uint16_t wl_find(wl_ctx *ctx, int16_t key)
{
    wl_node *prev = 0, *cur = ctx->head;
    uint16_t steps = 0;
    while (cur && cur->key != key) {
        prev = cur;
        cur = cur->next;
        steps++;
    }
    if (!cur)
        return (uint16_t)(steps | 0x8000u);
    if (prev) {
        prev->next = cur->next;
        cur->next = ctx->head;
        ctx->head = cur;
    }
    return steps;
}

static uint16_t wl_list_round(wl_ctx *ctx, uint32_t round)
{
    uint16_t crc = 0;
    /* Half of the lookups use a key known to be present (a node chosen by
     * the generator), half a random key that may be absent. */
    for (int k = 0; k < 6; k++) {
        uint32_t r = wl_rand(ctx);
        int16_t key = (k & 1) ? wl_key(r >> 8) : ctx->nodes[r % WL_LIST_N].key;
        uint16_t steps = wl_find(ctx, key);
        crc = wl_crc16_u16(steps, crc);
        crc = wl_crc16_u16(ctx->head->id, crc);
    }

    ctx->head = wl_sort(ctx->head, 0);
    /* The ids in key order, with their positions and keys, hashed cheaply
     * (multiply-xor) so that the CRC does not dominate the list kernel. */
    uint32_t mix = 0x9E3779B9u;
    uint32_t pos = 0;
    for (wl_node *n = ctx->head; n; n = n->next, pos++)
        mix = (mix * 33u) ^ (n->id | (pos << 8)) ^ ((uint32_t)(uint16_t)n->key << 16);
    crc = wl_crc16_u16((uint16_t)mix, crc);
    crc = wl_crc16_u16((uint16_t)(mix >> 16), crc);

    /* Change every node whose id matches the round, so that the next sort
     * sees new keys, then restore id order. */
    for (wl_node *n = ctx->head; n; n = n->next)
        if (((n->id + round) % 3u) == 0)
            n->key = wl_key((uint32_t)((int32_t)n->key * 5 + (int32_t)round + 7));
    ctx->head = wl_sort(ctx->head, 1);
    return crc;
}

/* ----------------------------------------------------------------- matrix */

static uint16_t wl_matrix_round(wl_ctx *ctx, uint32_t round)
{
    int16_t scale = (int16_t)((round & 7u) + 1u);
    uint16_t crc = 0;
    /* c = a x b: |a|, |b| <= 2048 so each sum stays far below 2^31 */
    for (int i = 0; i < WL_MAT_N; i++) {
        for (int j = 0; j < WL_MAT_N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < WL_MAT_N; k++)
                acc += (int32_t)ctx->a[i][k] * ctx->b[k][j];
            ctx->c[i][j] = acc;
        }
    }
    /* c += a * scale, then fold each row into the checksum */
    for (int i = 0; i < WL_MAT_N; i++) {
        uint32_t row = 0;
        int32_t max = INT32_MIN;
        for (int j = 0; j < WL_MAT_N; j++) {
            int32_t v = ctx->c[i][j] + (int32_t)ctx->a[i][j] * scale;
            ctx->c[i][j] = v;
            row += (uint32_t)v;
            if (v > max)
                max = v;
        }
        crc = wl_crc16_u16((uint16_t)row, crc);
        crc = wl_crc16_u16((uint16_t)((uint32_t)max >> 12), crc);
    }
    /* a's next value comes from c, kept within [-2048, 2047] */
    for (int i = 0; i < WL_MAT_N; i++)
        for (int j = 0; j < WL_MAT_N; j++) {
            uint32_t v = (uint32_t)ctx->c[i][j];
            ctx->a[i][j] = (int16_t)((int32_t)((v ^ (v >> 9)) & 0xFFFu) - 2048);
        }
    return crc;
}

/* ---------------------------------------------------------- state machine */

enum wl_state { WS_SPACE, WS_IDENT, WS_ZERO, WS_INT, WS_HEX, WS_FRAC, WS_OP, WS_BAD, WS_COUNT };

static int wl_is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int wl_is_alpha(uint8_t c) { return (c >= 'a' && c <= 'z') || c == '_'; }
static int wl_is_hex(uint8_t c) { return wl_is_digit(c) || (c >= 'a' && c <= 'f'); }
static int wl_is_op(uint8_t c) { return c == '+' || c == '-' || c == '*' || c == '='; }

/* The state a token's first character starts. */
static enum wl_state wl_start(uint8_t c)
{
    if (c == '0')
        return WS_ZERO;
    if (wl_is_digit(c))
        return WS_INT;
    if (wl_is_alpha(c))
        return WS_IDENT;
    if (wl_is_op(c))
        return WS_OP;
    return WS_BAD;
}

static enum wl_state wl_next(enum wl_state s, uint8_t c)
{
    switch (s) {
    case WS_IDENT:
        return (wl_is_alpha(c) || wl_is_digit(c)) ? WS_IDENT : WS_BAD;
    case WS_ZERO:
        if (c == 'x')
            return WS_HEX;
        if (c == '.')
            return WS_FRAC;
        return wl_is_digit(c) ? WS_INT : WS_BAD;
    case WS_INT:
        if (c == '.')
            return WS_FRAC;
        return wl_is_digit(c) ? WS_INT : WS_BAD;
    case WS_HEX:
        return wl_is_hex(c) ? WS_HEX : WS_BAD;
    case WS_FRAC:
        return wl_is_digit(c) ? WS_FRAC : WS_BAD;
    case WS_OP:
        return c == '=' ? WS_OP : WS_BAD;
    default:
        return WS_BAD;
    }
}

/* Tokens are separated by spaces and commas; counts[s] = tokens ending in s,
 * counts[WS_SPACE] = separators. */
static void wl_scan(const uint8_t *text, uint16_t counts[WS_COUNT])
{
    enum wl_state s = WS_SPACE;
    for (int i = 0; i < WS_COUNT; i++)
        counts[i] = 0;
    for (const uint8_t *p = text; *p; p++) {
        uint8_t c = *p;
        if (c == ' ' || c == ',') {
            if (s != WS_SPACE)
                counts[s]++;
            counts[WS_SPACE]++;
            s = WS_SPACE;
        } else {
            s = (s == WS_SPACE) ? wl_start(c) : wl_next(s, c);
        }
    }
    if (s != WS_SPACE)
        counts[s]++;
}

static const uint8_t wl_alphabet[] = "0123456789abcdefx._+-=, ";

static uint16_t wl_state_round(wl_ctx *ctx, uint32_t round)
{
    uint16_t counts[WS_COUNT];
    uint16_t crc = (uint16_t)round;
    wl_scan(ctx->text, counts);
    for (int i = 0; i < WS_COUNT; i++)
        crc = wl_crc16_u16(counts[i], crc);
    /* Corrupt a few characters; the next round scans a different text. */
    for (int k = 0; k < 5; k++) {
        uint32_t r = wl_rand(ctx);
        uint32_t pos = (r >> 4) % WL_TEXT_LEN;
        ctx->text[pos] = wl_alphabet[(r >> 20) % (sizeof wl_alphabet - 1)];
    }
    return crc;
}

/* ------------------------------------------------------------------ setup */

static const char *const wl_tokens[] = {
    "alpha", "x1", "42", "0x3f", "3.25", "+", "==", "0", "beta_2", "-",
    "007", "0.5", "9z", "0xg", "1.2.3", "*=", "gamma", "65535",
};

void wl_init(wl_ctx *ctx, uint32_t seed)
{
    ctx->rng = seed ? seed : 1u;

    /* list: nodes in id order, random keys (duplicates allowed) */
    for (int i = 0; i < WL_LIST_N; i++) {
        ctx->nodes[i].id = (uint16_t)i;
        ctx->nodes[i].key = wl_key(wl_rand(ctx) >> 10);
        ctx->nodes[i].next = (i + 1 < WL_LIST_N) ? &ctx->nodes[i + 1] : 0;
    }
    ctx->head = &ctx->nodes[0];

    for (int i = 0; i < WL_MAT_N; i++)
        for (int j = 0; j < WL_MAT_N; j++) {
            uint32_t r = wl_rand(ctx);
            ctx->a[i][j] = (int16_t)((int32_t)(r & 0xFFFu) - 2048);
            ctx->b[i][j] = (int16_t)((int32_t)((r >> 12) & 0xFFFu) - 2048);
            ctx->c[i][j] = 0;
        }

    /* text: random tokens and separators until the buffer is full */
    int n = 0;
    while (n < WL_TEXT_LEN) {
        uint32_t r = wl_rand(ctx);
        const char *t = wl_tokens[r % (sizeof wl_tokens / sizeof wl_tokens[0])];
        while (*t && n < WL_TEXT_LEN)
            ctx->text[n++] = (uint8_t)*t++;
        if (n < WL_TEXT_LEN)
            ctx->text[n++] = (r & 0x100u) ? ',' : ' ';
    }
    ctx->text[WL_TEXT_LEN] = 0;
}

void wl_run(wl_ctx *ctx, uint32_t iterations, wl_sums *out)
{
    wl_sums s = { 0, 0, 0, 0 };
    for (uint32_t round = 0; round < iterations; round++) {
        uint16_t l = wl_list_round(ctx, round);
        uint16_t m = wl_matrix_round(ctx, round);
        uint16_t t = wl_state_round(ctx, round);
        s.list = wl_crc16_u16(l, s.list);
        s.matrix = wl_crc16_u16(m, s.matrix);
        s.state = wl_crc16_u16(t, s.state);
        s.final = wl_crc16_u16(l, s.final);
        s.final = wl_crc16_u16(m, s.final);
        s.final = wl_crc16_u16(t, s.final);
    }
    *out = s;
}
