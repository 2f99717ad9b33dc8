/*
 * cbs.c: the CBS municipality list, parsed once from the embedded CSV
 * (data/gemeenten-2023.csv: Gemeentecode,GemeentecodeGM,Gemeentenaam,Provinciecode,
 * ProvinciecodePV,Provincienaam) into a static table sorted by name, plus an index by code.
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

#define CBS_MAX      400 /* 342 gemeenten in 2023; room for a few years of mergers either way */
#define CBS_FIELDS   6
#define CBS_RESOURCE "data/gemeenten-2023.csv"

static struct cbs_gemeente table[CBS_MAX];
static const struct cbs_gemeente *by_code[CBS_MAX];
static size_t count;
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

/* Validates one record and stores it at table[count]. */
static int add_record(char f[CBS_FIELDS][64], size_t line)
{
    struct cbs_gemeente *g = &table[count];
    int ret = 0;
    if (!is_digits(f[0], 4) || strncmp(f[1], "GM", 2) != 0 || strcmp(f[1] + 2, f[0]) != 0 ||
        !f[2][0] || strlen(f[2]) >= sizeof g->name || !utf8_valid(f[2], strlen(f[2]), NULL) ||
        !f[5][0] || strlen(f[5]) >= sizeof g->province || !utf8_valid(f[5], strlen(f[5]), NULL)) {
        char l[24];
        snprintf(l, sizeof l, "%zu", line);
        log_error("cbs.load", "line", l, "msg", "malformed record", NULL);
        ret = ERR_INVALID;
        goto out;
    }
    memcpy(g->code, f[1], 7);
    memcpy(g->name, f[2], strlen(f[2]) + 1);
    memcpy(g->province, f[5], strlen(f[5]) + 1);
    count++;
out:
    return ret;
}

static void load_once(void)
{
    const struct resource *r = resource_find(CBS_RESOURCE);
    char f[CBS_FIELDS][64];
    size_t pos = 0, line = 1;
    int ret = 0;

    if (!r) {
        log_error("cbs.load", "msg", "embedded municipality list missing", NULL);
        ret = ERR_INTERNAL;
        goto out;
    }
    const char *p = (const char *)r->data;
    size_t len = r->len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    if (split_record(p, len, &pos, f, CBS_FIELDS) != CBS_FIELDS ||
        strcmp(f[0], "Gemeentecode") != 0 || strcmp(f[1], "GemeentecodeGM") != 0 ||
        strcmp(f[2], "Gemeentenaam") != 0 || strcmp(f[5], "Provincienaam") != 0) {
        log_error("cbs.load", "msg", "unexpected header", NULL);
        ret = ERR_INVALID;
        goto out;
    }
    while (pos < len) {
        line++;
        if (p[pos] == '\r' || p[pos] == '\n') {
            pos++; /* blank line (trailing newline) */
            continue;
        }
        if (count == CBS_MAX) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        if (split_record(p, len, &pos, f, CBS_FIELDS) != CBS_FIELDS) {
            ret = ERR_INVALID;
            goto out;
        }
        ret = add_record(f, line);
        if (ret)
            goto out;
    }
    qsort(table, count, sizeof table[0], cmp_name);
    for (size_t i = 0; i < count; i++)
        by_code[i] = &table[i];
    qsort(by_code, count, sizeof by_code[0], cmp_code);
    for (size_t i = 1; i < count; i++)
        if (strcmp(by_code[i]->code, by_code[i - 1]->code) == 0) {
            log_error("cbs.load", "code", by_code[i]->code, "msg", "duplicate code", NULL);
            ret = ERR_INVALID;
            goto out;
        }
out:
    if (ret)
        count = 0; /* a corrupt list is no list: never serve half of it */
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
    *n = count;
    return table;
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
    struct cbs_gemeente probe;
    memcpy(probe.code, key, sizeof key);
    const struct cbs_gemeente *pp = &probe;
    const struct cbs_gemeente *const *hit =
        bsearch(&pp, by_code, count, sizeof by_code[0], cmp_code);
    return hit ? *hit : NULL;
}
