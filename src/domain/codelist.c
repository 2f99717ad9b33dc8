/*
 * codelist.c: the versioned iStandaarden and CBS code lists, parsed once from the embedded
 * files data/codelijsten/<LIST>-<release>.csv into static tables, with lookups by list,
 * release and code. The files are ours and trusted, but a corrupt file must still fail loudly
 * at start-up rather than map a reason to the wrong CBS code, so every record is validated and
 * every `cbs` value must exist in the CBS list it points into.
 */
#include "domain/codelist.h"
#include "core/common.h"
#include "core/log.h"
#include "core/resource.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include <pthread.h>

#define CL_PREFIX      "data/codelijsten/"
#define CL_SUFFIX      ".csv"
#define CL_MAX_LISTS   64
#define CL_MAX_CODES   200 /* per list; the longest shipped list has 24 */
#define CL_FIELD_MAX   256 /* bytes of one field */
#define CL_NAME_MAX    24
#define CL_RELEASE_MAX 8
#define CL_CODE_MAX    5

struct clist {
    char name[CL_NAME_MAX];       /* "JZ588" */
    char release[CL_RELEASE_MAX]; /* "3.2" */
    struct code_entry *entries;   /* xmalloc'd, static lifetime */
    size_t n;
};

static struct clist lists[CL_MAX_LISTS];
static size_t nlists;
static int load_result = ERR_INTERNAL;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The lists the rest of duiding relies on: a build without one of them is broken. */
static const char *const required[][2] = {
    {"JZ588", "3.2"},  {"WMO588", "3.2"},       {"JZ020", "3.2"},       {"WMO020", "3.2"},
    {"JZ002", "3.2"},  {"WMO002", "3.2"},       {"COD327", "3.2"},      {"COD046", "3.2"},
    {"COD467", "3.2"}, {"CBS-REDEN", "v7"},     {"CBS-HULPVORM", "v7"}, {"CBS-VERWIJZER", "v7"},
    {"CBS-ZHV", "v7"}, {"CBS-INFORMANT", "v7"},
};

static void load_error(const char *file, size_t line, const char *msg)
{
    char l[24];
    snprintf(l, sizeof l, "%zu", line);
    log_error("codelist.load", "file", file, "line", l, "msg", msg, NULL);
}

/*
 * Splits one CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and no line
 * breaks here) into NUL-terminated fields. Advances *pos past the record and its line end.
 * Returns the number of fields or ERR_INVALID.
 */
static int split_record(const char *p, size_t len, size_t *pos, char fields[][CL_FIELD_MAX],
                        int max)
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
                    i++; /* a doubled quote stands for one */
                } else {
                    quoted = false;
                    i++;
                    if (i < len && p[i] != ',' && p[i] != '\r' && p[i] != '\n')
                        return ERR_INVALID; /* text after the closing quote */
                    continue;
                }
            } else if (quoted && (c == '\r' || c == '\n')) {
                return ERR_INVALID; /* no multi-line labels in our lists */
            } else if (!quoted && (c == ',' || c == '\r' || c == '\n')) {
                break;
            } else if (!quoted && c == '"') {
                return ERR_INVALID;
            }
            if (out + 1 >= CL_FIELD_MAX)
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

static bool valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CL_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

static bool valid_label(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || !utf8_valid(s, n, NULL))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    return true;
}

/* Splits "JZ588-3.2" (list names may themselves contain '-': "CBS-REDEN-v7") at the last '-'. */
static int split_name(const char *base, size_t blen, struct clist *l)
{
    size_t dash = blen;
    for (size_t i = 0; i < blen; i++)
        if (base[i] == '-')
            dash = i;
    if (dash == blen || dash == 0 || dash + 1 == blen || dash >= sizeof l->name ||
        blen - dash - 1 >= sizeof l->release)
        return ERR_INVALID;
    memcpy(l->name, base, dash);
    l->name[dash] = '\0';
    memcpy(l->release, base + dash + 1, blen - dash - 1);
    l->release[blen - dash - 1] = '\0';
    return 0;
}

/* Parses one embedded file into *l. */
static int parse_list(const struct resource *r, struct clist *l)
{
    char f[3][CL_FIELD_MAX];
    const char *p = (const char *)r->data;
    size_t len = r->len, pos = 0, line = 1;
    struct code_entry *e = xcalloc(CL_MAX_CODES, sizeof *e);
    size_t n = 0;
    int ret = 0;

    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    if (split_record(p, len, &pos, f, 3) != 3 || strcmp(f[0], "code") != 0 ||
        strcmp(f[1], "omschrijving") != 0 || strcmp(f[2], "cbs") != 0) {
        load_error(r->name, line, "header must be code,omschrijving,cbs");
        ret = ERR_INVALID;
        goto out;
    }
    while (pos < len) {
        line++;
        if (p[pos] == '\r' || p[pos] == '\n') {
            pos++; /* blank line, e.g. the trailing newline */
            continue;
        }
        if (n == CL_MAX_CODES) {
            load_error(r->name, line, "too many codes");
            ret = ERR_TOO_BIG;
            goto out;
        }
        if (split_record(p, len, &pos, f, 3) != 3) {
            load_error(r->name, line, "malformed record (need 3 fields)");
            ret = ERR_INVALID;
            goto out;
        }
        if (!valid_code(f[0]) || !valid_label(f[1]) || (f[2][0] && !valid_code(f[2]))) {
            load_error(r->name, line, "invalid code, label or cbs value");
            ret = ERR_INVALID;
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            if (strcmp(e[i].code, f[0]) == 0) {
                load_error(r->name, line, "duplicate code");
                ret = ERR_INVALID;
                goto out;
            }
        e[n].code = xstrdup(f[0]);
        e[n].label = xstrdup(f[1]);
        e[n].cbs = f[2][0] ? xstrdup(f[2]) : NULL;
        n++;
    }
    if (n == 0) {
        load_error(r->name, line, "empty list");
        ret = ERR_INVALID;
        goto out;
    }
out:
    /* Kept reachable even on failure (static lifetime); a failed list serves no entries. */
    l->entries = e;
    l->n = ret ? 0 : n;
    return ret;
}

static const struct clist *list_get(const char *name, const char *release)
{
    if (!name || !release)
        return NULL;
    for (size_t i = 0; i < nlists; i++)
        if (strcmp(lists[i].name, name) == 0 && strcmp(lists[i].release, release) == 0)
            return &lists[i];
    return NULL;
}

static const struct code_entry *entry_get(const struct clist *l, const char *code)
{
    if (!l || !code)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->entries[i].code, code) == 0)
            return &l->entries[i];
    return NULL;
}

/* The CBS list a list's `cbs` column points into, or NULL if the column must be empty. */
static const char *cbs_target(const char *name)
{
    size_t n = strlen(name);
    if (n >= 3 && strcmp(name + n - 3, "588") == 0)
        return "CBS-REDEN";
    if (n >= 3 && strcmp(name + n - 3, "020") == 0)
        return "CBS-HULPVORM";
    if (strcmp(name, "COD327") == 0)
        return "CBS-VERWIJZER";
    return NULL;
}

/* Every mapped value must exist in the CBS list of the same protocol version (v7). */
static int check_mappings(void)
{
    for (size_t i = 0; i < nlists; i++) {
        const char *target = cbs_target(lists[i].name);
        const struct clist *t = target ? list_get(target, "v7") : NULL;
        for (size_t j = 0; j < lists[i].n; j++) {
            const char *cbs = lists[i].entries[j].cbs;
            if (!cbs)
                continue;
            if (!t || !entry_get(t, cbs)) {
                log_error("codelist.load", "list", lists[i].name, "code", lists[i].entries[j].code,
                          "cbs", cbs, "msg",
                          target ? "cbs value not in the CBS list" : "list has no cbs mapping",
                          NULL);
                return ERR_INVALID;
            }
        }
    }
    return 0;
}

static void load_once(void)
{
    const size_t plen = strlen(CL_PREFIX), slen = strlen(CL_SUFFIX);
    int ret = 0;

    for (const struct resource *r = resource_table; r->name; r++) {
        size_t len = strlen(r->name);
        if (len <= plen + slen || strncmp(r->name, CL_PREFIX, plen) != 0 ||
            strcmp(r->name + len - slen, CL_SUFFIX) != 0)
            continue;
        if (nlists == CL_MAX_LISTS) {
            load_error(r->name, 0, "too many code lists");
            ret = ERR_TOO_BIG;
            goto out;
        }
        struct clist *l = &lists[nlists];
        if (split_name(r->name + plen, len - plen - slen, l)) {
            load_error(r->name, 0, "file name must be <LIST>-<release>.csv");
            ret = ERR_INVALID;
            goto out;
        }
        if (list_get(l->name, l->release)) {
            load_error(r->name, 0, "list embedded twice");
            ret = ERR_INVALID;
            goto out;
        }
        ret = parse_list(r, l);
        nlists++; /* also on failure, so its memory stays reachable */
        if (ret)
            goto out;
    }
    for (size_t i = 0; i < ARRAY_LEN(required); i++)
        if (!list_get(required[i][0], required[i][1])) {
            log_error("codelist.load", "list", required[i][0], "release", required[i][1], "msg",
                      "required code list missing", NULL);
            ret = ERR_INTERNAL;
            goto out;
        }
    ret = check_mappings();
out:
    if (ret) {
        for (size_t i = 0; i < nlists; i++)
            lists[i].n = 0; /* a corrupt set is no set: never serve half of it */
        ret = ERR_INTERNAL;
    }
    load_result = ret;
}

int codelist_load(void)
{
    pthread_once(&once, load_once);
    return load_result;
}

const struct code_entry *codelist_entries(const char *list, const char *release, size_t *n)
{
    const struct clist *l = codelist_load() ? NULL : list_get(list, release);
    *n = l ? l->n : 0;
    return l && l->n ? l->entries : NULL;
}

const struct code_entry *codelist_find(const char *list, const char *release, const char *code)
{
    if (codelist_load())
        return NULL;
    return entry_get(list_get(list, release), code);
}

const char *codelist_end_reason_list(enum law law)
{
    switch (law) {
    case LAW_JW:
        return "JZ588";
    case LAW_WMO:
        return "WMO588";
    }
    return NULL;
}

const char *codelist_category_list(enum law law)
{
    switch (law) {
    case LAW_JW:
        return "JZ020";
    case LAW_WMO:
        return "WMO020";
    }
    return NULL;
}

const char *codelist_cbs_reason(enum law law, const char *release, const char *end_reason)
{
    const struct code_entry *e = codelist_find(codelist_end_reason_list(law), release, end_reason);
    return e ? e->cbs : NULL;
}

bool codelist_is_temporary_stop(enum law law, const char *release, const char *end_reason)
{
    /* 20 in both 3.2 lists; checked against the list so that a release without it says no. */
    return end_reason && strcmp(end_reason, "20") == 0 &&
           codelist_find(codelist_end_reason_list(law), release, end_reason) != NULL;
}
