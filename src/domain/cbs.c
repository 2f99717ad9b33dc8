/*
 * cbs.c: the CBS municipality lists, parsed once from the embedded CSVs
 * (data/gemeenten-2023.csv and -2021.csv: Gemeentecode,GemeentecodeGM,Gemeentenaam,
 * Provinciecode,ProvinciecodePV,Provincienaam) into static tables sorted by name with an
 * index by code and by normalised name, plus the herindelingen between the two
 * (data/gemeente-herindelingen.csv: oude_code,nieuwe_code,ingangsdatum,bron), so that data
 * delivered under an old code lands in the current gemeente.
 */
#include "domain/cbs.h"
#include "core/common.h"
#include "core/err.h"
#include "core/log.h"
#include "core/resource.h"
#include "core/str.h"
#include "core/utf8.h"
#include <pthread.h>
#include <strings.h>

#define CBS_MAX          400 /* 342 gemeenten in 2023; room for a few years of mergers either way */
#define CBS_FIELDS       6
#define CBS_RESOURCE     "data/gemeenten-2023.csv"
#define CBS_RESOURCE_OLD "data/gemeenten-2021.csv"
#define CBS_MERGERS      "data/gemeente-herindelingen.csv"
#define MERGER_FIELDS    4
#define MERGER_MAX       64
#define NAME_KEY_MAX     64

/* One year's list: rows sorted by name, pointers sorted by code and by normalised name. */
struct name_key {
    char key[NAME_KEY_MAX];
    const struct cbs_gemeente *g;
};

struct cbs_year {
    const char *resource;
    struct cbs_gemeente rows[CBS_MAX];
    const struct cbs_gemeente *by_code[CBS_MAX];
    struct name_key by_name[CBS_MAX];
    size_t count;
};

/* A gemeente merged away: data under old_code belongs to new_code from `from` on. */
struct merger {
    char old_code[7]; /* "GM0370" */
    char new_code[7];
    day_t from;
};

static struct cbs_year cur = {.resource = CBS_RESOURCE};     /* 2023: the current indeling */
static struct cbs_year old = {.resource = CBS_RESOURCE_OLD}; /* 2021 */
static struct merger mergers[MERGER_MAX];
static size_t nmergers;
static int load_result = ERR_INTERNAL;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/*
 * Splits one CSV record (RFC 4180: quoted fields may contain commas and doubled quotes; the
 * file ends lines with CRLF) into fields copied into buffers. Advances *pos past the record.
 * Returns the number of fields, or ERR_INVALID.
 */
static int split_record(const char *p, size_t len, size_t *pos, char fields[][64], int max)
{
    size_t i = *pos;
    int nf = 0;
    for (;;) {
        size_t out = 0;
        if (nf == max)
            return ERR_INVALID;
        bool quoted = i < len && p[i] == '"';
        if (quoted)
            i++;
        while (i < len) {
            char c = p[i];
            if (quoted && c == '"') {
                if (i + 1 < len && p[i + 1] == '"') {
                    i++; /* doubled quote stands for one */
                } else {
                    quoted = false;
                    i++;
                    continue;
                }
            } else if (!quoted && (c == ',' || c == '\r' || c == '\n')) {
                break;
            } else if (!quoted && c == '"') {
                return ERR_INVALID;
            }
            if (out + 1 >= 64)
                return ERR_INVALID;
            fields[nf][out++] = p[i++];
        }
        if (quoted)
            return ERR_INVALID; /* unterminated quote */
        fields[nf][out] = '\0';
        nf++;
        if (i < len && p[i] == ',') {
            i++;
            continue;
        }
        if (i < len && p[i] == '\r')
            i++;
        if (i < len && p[i] == '\n')
            i++;
        break;
    }
    *pos = i;
    return nf;
}

/* Dutch lists file "'s-Gravenhage" under G and "'t Zandt" under Z: skip those articles. */
static const char *sort_key(const char *name)
{
    if (name[0] == '\'' && (name[1] == 's' || name[1] == 't') && (name[2] == '-' || name[2] == ' '))
        return name + 3;
    return name;
}

static int cmp_name(const void *a, const void *b)
{
    const struct cbs_gemeente *x = a, *y = b;
    int c = strcasecmp(sort_key(x->name), sort_key(y->name));
    return c ? c : strcmp(x->code, y->code);
}

static int cmp_code(const void *a, const void *b)
{
    const struct cbs_gemeente *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

static bool is_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Validates one record and stores it at y->rows[y->count]. */
static int add_record(struct cbs_year *y, char f[CBS_FIELDS][64], size_t line)
{
    struct cbs_gemeente *g = &y->rows[y->count];
    int ret = 0;
    if (!is_digits(f[0], 4) || strncmp(f[1], "GM", 2) != 0 || strcmp(f[1] + 2, f[0]) != 0 ||
        !f[2][0] || strlen(f[2]) >= sizeof g->name || !utf8_valid(f[2], strlen(f[2]), NULL) ||
        !f[5][0] || strlen(f[5]) >= sizeof g->province || !utf8_valid(f[5], strlen(f[5]), NULL)) {
        char l[24];
        snprintf(l, sizeof l, "%zu", line);
        log_error("cbs.load", "file", y->resource, "line", l, "msg", "malformed record", NULL);
        ret = ERR_INVALID;
        goto out;
    }
    memcpy(g->code, f[1], 7);
    memcpy(g->name, f[2], strlen(f[2]) + 1);
    memcpy(g->province, f[5], strlen(f[5]) + 1);
    y->count++;
out:
    return ret;
}

/*
 * The comparison key of a name: ASCII lower case without spaces, hyphens, dots, brackets and
 * apostrophes (also the typographic ’ and ‘), so that "'s-Gravenhage", "s Gravenhage" and
 * "S-GRAVENHAGE" meet. Other UTF-8 bytes are kept as they are. False if the key is too long.
 */
static bool name_key(const char *name, char key[NAME_KEY_MAX])
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned char c = *p;
        if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
            p += 2; /* U+2018, U+2019 */
            continue;
        }
        if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '\'' || c == '`' || c == '(' ||
            c == ')')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (o + 1 >= NAME_KEY_MAX)
            return false;
        key[o++] = (char)c;
    }
    key[o] = '\0';
    return o > 0;
}

static int cmp_name_key(const void *a, const void *b)
{
    const struct name_key *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/* Builds the indexes of a parsed year; rejects duplicate codes and names that collide. */
static int index_year(struct cbs_year *y)
{
    qsort(y->rows, y->count, sizeof y->rows[0], cmp_name);
    for (size_t i = 0; i < y->count; i++) {
        y->by_code[i] = &y->rows[i];
        y->by_name[i].g = &y->rows[i];
        if (!name_key(y->rows[i].name, y->by_name[i].key)) {
            log_error("cbs.load", "file", y->resource, "name", y->rows[i].name, "msg",
                      "name too long", NULL);
            return ERR_INVALID;
        }
    }
    qsort(y->by_code, y->count, sizeof y->by_code[0], cmp_code);
    qsort(y->by_name, y->count, sizeof y->by_name[0], cmp_name_key);
    for (size_t i = 1; i < y->count; i++) {
        if (strcmp(y->by_code[i]->code, y->by_code[i - 1]->code) == 0) {
            log_error("cbs.load", "file", y->resource, "code", y->by_code[i]->code, "msg",
                      "duplicate code", NULL);
            return ERR_INVALID;
        }
        if (strcmp(y->by_name[i].key, y->by_name[i - 1].key) == 0) {
            log_error("cbs.load", "file", y->resource, "name", y->by_name[i].g->name, "msg",
                      "two gemeenten with the same name", NULL);
            return ERR_INVALID;
        }
    }
    return 0;
}

static int load_year(struct cbs_year *y)
{
    const struct resource *r = resource_find(y->resource);
    char f[CBS_FIELDS][64];
    size_t pos = 0, line = 1;

    if (!r) {
        log_error("cbs.load", "file", y->resource, "msg", "embedded municipality list missing",
                  NULL);
        return ERR_INTERNAL;
    }
    const char *p = (const char *)r->data;
    size_t len = r->len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    if (split_record(p, len, &pos, f, CBS_FIELDS) != CBS_FIELDS ||
        strcmp(f[0], "Gemeentecode") != 0 || strcmp(f[1], "GemeentecodeGM") != 0 ||
        strcmp(f[2], "Gemeentenaam") != 0 || strcmp(f[5], "Provincienaam") != 0) {
        log_error("cbs.load", "file", y->resource, "msg", "unexpected header", NULL);
        return ERR_INVALID;
    }
    while (pos < len) {
        line++;
        if (p[pos] == '\r' || p[pos] == '\n') {
            pos++; /* blank line (trailing newline) */
            continue;
        }
        if (y->count == CBS_MAX)
            return ERR_TOO_BIG;
        if (split_record(p, len, &pos, f, CBS_FIELDS) != CBS_FIELDS)
            return ERR_INVALID;
        int ret = add_record(y, f, line);
        if (ret)
            return ret;
    }
    return index_year(y);
}

static const struct cbs_gemeente *year_find(const struct cbs_year *y, const char gm[7])
{
    struct cbs_gemeente probe;
    memcpy(probe.code, gm, 7);
    const struct cbs_gemeente *pp = &probe;
    const struct cbs_gemeente *const *hit =
        bsearch(&pp, y->by_code, y->count, sizeof y->by_code[0], cmp_code);
    return hit ? *hit : NULL;
}

/* Reads the herindelingen and checks every line against both lists: the old code existed in
 * 2021 and is gone in 2023, the new code exists in 2023. */
static int load_mergers(void)
{
    const struct resource *r = resource_find(CBS_MERGERS);
    char f[CBS_FIELDS][64];
    size_t pos = 0, line = 1;
    char l[24];

    if (!r) {
        log_error("cbs.load", "file", CBS_MERGERS, "msg", "embedded list missing", NULL);
        return ERR_INTERNAL;
    }
    const char *p = (const char *)r->data;
    size_t len = r->len;
    if (split_record(p, len, &pos, f, MERGER_FIELDS) != MERGER_FIELDS ||
        strcmp(f[0], "oude_code") != 0 || strcmp(f[1], "nieuwe_code") != 0 ||
        strcmp(f[2], "ingangsdatum") != 0 || strcmp(f[3], "bron") != 0) {
        log_error("cbs.load", "file", CBS_MERGERS, "msg", "unexpected header", NULL);
        return ERR_INVALID;
    }
    while (pos < len) {
        line++;
        if (p[pos] == '\r' || p[pos] == '\n') {
            pos++;
            continue;
        }
        snprintf(l, sizeof l, "%zu", line);
        if (nmergers == MERGER_MAX)
            return ERR_TOO_BIG;
        struct merger *m = &mergers[nmergers];
        if (split_record(p, len, &pos, f, MERGER_FIELDS) != MERGER_FIELDS || !is_digits(f[0], 4) ||
            !is_digits(f[1], 4) || str_parse_date_iso(str_from(f[2]), &m->from) || !f[3][0]) {
            log_error("cbs.load", "file", CBS_MERGERS, "line", l, "msg", "malformed record", NULL);
            return ERR_INVALID;
        }
        memcpy(m->old_code, "GM", 2);
        memcpy(m->old_code + 2, f[0], 5); /* 4 digits and the NUL, checked above */
        memcpy(m->new_code, "GM", 2);
        memcpy(m->new_code + 2, f[1], 5);
        if (!year_find(&old, m->old_code) || year_find(&cur, m->old_code) ||
            !year_find(&cur, m->new_code)) {
            log_error("cbs.load", "file", CBS_MERGERS, "line", l, "msg",
                      "old code must be a 2021 gemeente gone in 2023, new code a 2023 one", NULL);
            return ERR_INVALID;
        }
        for (size_t i = 0; i < nmergers; i++)
            if (strcmp(mergers[i].old_code, m->old_code) == 0) {
                log_error("cbs.load", "file", CBS_MERGERS, "line", l, "msg", "duplicate code",
                          NULL);
                return ERR_INVALID;
            }
        nmergers++;
    }
    return 0;
}

static void load_once(void)
{
    int ret = load_year(&cur);
    if (!ret)
        ret = load_year(&old);
    if (!ret)
        ret = load_mergers();
    if (ret) {
        /* A corrupt list is no list: never serve half of it. */
        cur.count = old.count = nmergers = 0;
    }
    load_result = ret;
}

int cbs_load(void)
{
    pthread_once(&once, load_once);
    return load_result;
}

const struct cbs_gemeente *cbs_gemeenten(size_t *n)
{
    if (cbs_load()) {
        *n = 0;
        return NULL;
    }
    *n = cur.count;
    return cur.rows;
}

const struct cbs_gemeente *cbs_find(const char *code)
{
    char key[7];
    if (!code || cbs_load())
        return NULL;
    size_t len = strlen(code);
    /* "GM0114", "gm0114" and the bare "0114" all mean Emmen. */
    if (len == 6 && (code[0] == 'G' || code[0] == 'g') && (code[1] == 'M' || code[1] == 'm')) {
        code += 2;
        len -= 2;
    }
    if (len != 4 || !is_digits(code, 4))
        return NULL;
    key[0] = 'G';
    key[1] = 'M';
    memcpy(key + 2, code, 5);
    return year_find(&cur, key);
}

/* "GM0370", "gm370", "0370", "370" -> "GM0370". False for anything else. */
static bool normalise_code(const char *code, char out[7])
{
    if (!code)
        return false;
    size_t len = strlen(code);
    if (len >= 2 && (code[0] == 'G' || code[0] == 'g') && (code[1] == 'M' || code[1] == 'm')) {
        code += 2;
        len -= 2;
    }
    if (len < 1 || len > 4 || !is_digits(code, len))
        return false;
    memcpy(out, "GM0000", 7);
    memcpy(out + 6 - len, code, len);
    return true;
}

static const struct merger *merger_of(const char gm[7])
{
    for (size_t i = 0; i < nmergers; i++)
        if (strcmp(mergers[i].old_code, gm) == 0)
            return &mergers[i];
    return NULL;
}

/* The current gemeente for a normalised code; follows chains of mergers (bounded). */
static const struct cbs_gemeente *current_of(const char gm[7])
{
    char c[7];
    memcpy(c, gm, 7);
    for (size_t hop = 0; hop <= MERGER_MAX; hop++) {
        const struct cbs_gemeente *g = year_find(&cur, c);
        if (g)
            return g;
        const struct merger *m = merger_of(c);
        if (!m)
            return NULL;
        memcpy(c, m->new_code, 7);
    }
    return NULL;
}

const struct cbs_gemeente *cbs_current(const char *code)
{
    char gm[7];
    if (cbs_load() || !normalise_code(code, gm))
        return NULL;
    return current_of(gm);
}

bool cbs_was_merged(const char *code)
{
    char gm[7];
    return !cbs_load() && normalise_code(code, gm) && merger_of(gm) != NULL;
}

/* Everyday names of gemeenten whose official name differs. */
static const struct {
    const char *key; /* normalised */
    const char *code;
} aliases[] = {
    {"denhaag", "GM0518"},  /* 's-Gravenhage */
    {"denbosch", "GM0796"}, /* 's-Hertogenbosch */
};

const struct cbs_gemeente *cbs_find_by_name(const char *name, int year)
{
    struct name_key probe;
    const struct cbs_year *y = year == 2023 ? &cur : year == 2021 ? &old : NULL;
    if (!name || !y || cbs_load() || !name_key(name, probe.key))
        return NULL;
    const struct name_key *hit =
        bsearch(&probe, y->by_name, y->count, sizeof y->by_name[0], cmp_name_key);
    if (hit)
        return current_of(hit->g->code);
    for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
        if (strcmp(aliases[i].key, probe.key) == 0)
            return current_of(aliases[i].code);
    return NULL;
}
