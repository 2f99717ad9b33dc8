/*
 * framework_similar.c: word-set similarity of criterion texts for the duplicate check (see
 * framework_similar.h for the method). Pure computation, no I/O; bounded by FW_SIG_MAX_WORDS.
 */
#include "domain/framework_similar.h"
#include "core/common.h"
#include "core/err.h"
#include <stdlib.h>

#define WORD_MAX 48 /* longer "words" are cut (they are never real words) */

/* Dutch function words, and words nearly every criterion has, so they say nothing about what a
 * criterion asks. Folded forms (no accents, lower case). */
static const char *const stop_words[] = {
    "aan",
    "al",
    "alle",
    "als",
    "bij",
    "dan",
    "dat",
    "de",
    "deze",
    "die",
    "dit",
    "door",
    "een",
    "elk",
    "elke",
    "en",
    "er",
    "geen",
    "haar",
    "heeft",
    "hebben",
    "het",
    "hij",
    "hoe",
    "hun",
    "ieder",
    "iedere",
    "in",
    "is",
    "je",
    "kan",
    "kunnen",
    "mag",
    "met",
    "moet",
    "moeten",
    "na",
    "naar",
    "niet",
    "of",
    "om",
    "ook",
    "op",
    "over",
    "per",
    "te",
    "ten",
    "ter",
    "tot",
    "u",
    "uit",
    "van",
    "voor",
    "waar",
    "wat",
    "we",
    "wel",
    "welke",
    "wie",
    "wij",
    "wordt",
    "worden",
    "zal",
    "zij",
    "zijn",
    "zo",
    "zorgt",
    "zullen",
    "binnen",
    "onder",
    "tijdens",
    "zodat",
    "waarbij",
    "waarin",
    "daarbij",
    "hierbij",
    "minimaal",
    "aanbieder",
    "aanbieders",
    "zorgaanbieder",
    "zorgaanbieders",
    "jeugdhulpaanbieder",
    "client",
    "clienten",
    "jeugdige",
    "jeugdigen",
    "organisatie",
    "opdrachtnemer",
};

static bool is_stop(const char *w, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(stop_words); i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* The ASCII letter a Latin-1 Supplement letter (U+00C0..U+00FF) folds to, or 0. */
static char fold_latin1(unsigned cp)
{
    static const char map[] = "aaaaaaaceeeeiiiidnooooo ouuuuyts"  /* C0..DF */
                              "aaaaaaaceeeeiiiidnooooo ouuuuyty"; /* E0..FF */
    if (cp < 0xC0 || cp > 0xFF)
        return 0;
    char c = map[cp - 0xC0];
    return c == ' ' ? 0 : c;
}

/*
 * A light Dutch stemmer: enough to join the plural and inflected forms criteria use
 * ("calamiteiten", "medewerkers", "gemeentelijke"). Both texts go through the same rules, so
 * a stem that is not a real word does no harm.
 */
static size_t stem(char *w, size_t n)
{
    if (n >= 6 && w[n - 2] == 'e' && w[n - 1] == 'n')
        n -= 2; /* calamiteiten -> calamiteit, plannen -> plann */
    else if (n >= 5 && w[n - 1] == 's' && w[n - 2] != 's')
        n -= 1; /* medewerkers -> medewerker */
    else if (n >= 5 && w[n - 1] == 'e')
        n -= 1; /* gemeentelijke -> gemeentelijk */
    if (n >= 4 && w[n - 1] == w[n - 2] && strchr("bdfgklmnprst", w[n - 1]))
        n -= 1; /* plann -> plan, zorgvuldigg never happens but is harmless */
    return n;
}

typedef void (*word_fn)(void *ctx, const char *w, size_t n);

/* Calls fn for each stemmed content word of text, at most FW_SIG_MAX_WORDS times. */
static void each_word(const char *text, word_fn fn, void *ctx)
{
    char w[WORD_MAX + 1];
    size_t n = 0;
    int words = 0;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    for (;; p++) {
        char c = 0;
        unsigned ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            c = (char)(ch - 'A' + 'a');
        else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            c = (char)ch;
        else if ((ch == 0xC3) && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = fold_latin1(0xC0u + (p[1] - 0x80u));
            p++;
        } else if (ch >= 0x80 && ch != 0 && !(ch == 0xC3)) {
            /* Other non-ASCII: keep the bytes of letters outside Latin-1 as part of the word
             * only when they continue one; a lone byte (invalid UTF-8) is a separator. */
            c = 0;
        }
        if (c) {
            if (n < WORD_MAX)
                w[n++] = c;
            continue;
        }
        if (n > 0) {
            if (n >= 2 && !is_stop(w, n)) {
                size_t sn = stem(w, n);
                w[sn] = '\0';
                fn(ctx, w, sn);
                if (++words >= FW_SIG_MAX_WORDS)
                    return;
            }
            n = 0;
        }
        if (*p == 0)
            return;
    }
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

struct collect {
    uint64_t h[FW_SIG_MAX_WORDS];
    int n;
};

static void collect_word(void *ctx, const char *w, size_t n)
{
    struct collect *c = ctx;
    if (c->n < FW_SIG_MAX_WORDS)
        c->h[c->n++] = fnv1a(w, n);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int fw_signature(struct arena *a, const char *text, struct fw_sig *out)
{
    struct collect *c = calloc(1, sizeof *c);
    if (!c)
        return ERR_NOMEM;
    each_word(text, collect_word, c);
    qsort(c->h, (size_t)c->n, sizeof c->h[0], cmp_u64);
    int u = 0;
    for (int i = 0; i < c->n; i++)
        if (u == 0 || c->h[u - 1] != c->h[i])
            c->h[u++] = c->h[i];
    out->n = u;
    out->h = u ? arena_alloc(a, (size_t)u * sizeof *out->h) : NULL;
    if (u && !out->h) {
        free(c);
        return ERR_NOMEM;
    }
    if (u)
        memcpy(out->h, c->h, (size_t)u * sizeof *out->h);
    free(c);
    return 0;
}

double fw_sig_similarity(const struct fw_sig *x, const struct fw_sig *y)
{
    if (x->n + y->n == 0)
        return 0.0;
    int i = 0, j = 0, common = 0;
    while (i < x->n && j < y->n) {
        if (x->h[i] == y->h[j]) {
            common++;
            i++;
            j++;
        } else if (x->h[i] < y->h[j]) {
            i++;
        } else {
            j++;
        }
    }
    return 2.0 * common / (double)(x->n + y->n);
}

double fw_similarity(const char *a, const char *b)
{
    struct arena *ar = arena_new(0);
    struct fw_sig x, y;
    double r = 0.0;
    if (ar && fw_signature(ar, a, &x) == 0 && fw_signature(ar, b, &y) == 0)
        r = fw_sig_similarity(&x, &y);
    arena_free(ar);
    return r;
}

struct words_out {
    char *out;
    size_t cap, len;
};

static void append_word(void *ctx, const char *w, size_t n)
{
    struct words_out *o = ctx;
    size_t need = n + (o->len ? 1 : 0);
    if (o->cap == 0 || o->len + need >= o->cap)
        return;
    if (o->len)
        o->out[o->len++] = ' ';
    memcpy(o->out + o->len, w, n);
    o->len += n;
    o->out[o->len] = '\0';
}

size_t fw_words(const char *text, char *out, size_t cap)
{
    struct words_out o = {.out = out, .cap = cap, .len = 0};
    if (cap)
        out[0] = '\0';
    each_word(text, append_word, &o);
    return o.len;
}
