/*
 * csv.c: the RFC 4180 push parser behind every CSV registration export, plus the whole-file
 * driver (encoding detection, Windows-1252 to UTF-8, BOM) that feeds it.
 *
 * Input passes three stages, each of which may hold back a few bytes between feeds so that the
 * result never depends on how the input was chunked:
 *   1. BOM: the first three bytes are held until we know whether they are EF BB BF.
 *   2. Sniff (only when no delimiter was given): bytes are buffered until CSV_SNIFF_RECORDS
 *      non-empty lines (or CSV_SNIFF_BYTES) have been seen; ',' ';' and TAB are counted per line
 *      outside quotes and the delimiter with the most lines sharing one non-zero count wins
 *      (ties: the larger count, then ';' TAB ','). Dutch exports often use ';' because the
 *      decimal separator is ',', and their title rows have no delimiters at all.
 *   3. The state machine proper, which copies spans of ordinary bytes with one table lookup
 *      per byte into one reused record buffer (no per-field allocation, no per-byte calls).
 *
 * Decisions a caller may rely on:
 *   - CRLF, LF and a lone CR end a record; inside quotes they are kept as they are.
 *   - Physically empty lines are skipped (not delivered, no record number) but are counted in
 *     table_row.line. A line with only a delimiter, or only "", is a record.
 *   - Title rows above the header are ordinary records; the caller picks the header.
 *   - Local problems keep the data: a stray quote in an unquoted field and bytes after a
 *     closing quote stay in the field as written (like Python's non-strict csv); a NUL byte is
 *     kept too (lens[] tells the length). Only the first problem of a record is reported.
 *   - Fields are validated as UTF-8 per record; the first bad field is the problem column.
 */
#include "ingest/csv.h"
#include "core/common.h"
#include "core/xalloc.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_SNIFF_RECORDS 20
#define CSV_SNIFF_BYTES   (64u * 1024u)
#define CSV_CONV_CHUNK    (64u * 1024u) /* Windows-1252 bytes converted per feed */

/* Messages stored in table_row.problem: msgids, translated by the caller. */
static const char PROBLEM_STRAY_QUOTE[] =
    N_("aanhalingsteken midden in een veld zonder aanhalingstekens");
static const char PROBLEM_AFTER_QUOTE[] = N_("tekens na het afsluitende aanhalingsteken");
static const char PROBLEM_UTF8[] = N_("ongeldige UTF-8-tekens in het veld");
static const char PROBLEM_NUL[] = N_("NUL-teken in het veld");

enum csv_state {
    ST_FIELD_START, /* at the first byte of a field (or of a record) */
    ST_UNQUOTED,    /* inside a field that did not start with a quote */
    ST_QUOTED,      /* inside a quoted field */
    ST_QUOTE_SEEN,  /* a quote inside a quoted field: closing, or the first of "" */
};

/* Byte classes: 0 = ordinary byte that may be copied as part of a span. */
enum { CL_PLAIN = 0, CL_SPECIAL = 1 };

/* Delimiter candidates in tie-break order. */
static const char sniff_delims[3] = {';', '\t', ','};

struct sniff {
    size_t pos;      /* bytes examined */
    int nrec;        /* non-empty lines completed */
    bool in_quotes;  /* toggled by every quote: enough to find line ends outside quotes */
    bool nonempty;   /* the current line has bytes */
    uint32_t cnt[3]; /* delimiter counts of the current line */
    uint32_t counts[CSV_SNIFF_RECORDS + 1][3];
    bool done;
};

/* Owned by: whoever called csv_new(); freed with csv_free(). */
struct csv_parser {
    table_row_fn fn;
    void *ctx;
    size_t max_field;
    int max_columns;
    uint64_t max_records;
    char delim;
    unsigned char cls_unquoted[256]; /* CL_SPECIAL: ends a span outside quotes */
    unsigned char cls_quoted[256];   /* CL_SPECIAL: ends a span inside quotes */

    /* Stage 1: BOM. */
    unsigned char head[3];
    int nhead;
    bool head_done;

    /* Stage 2: delimiter sniffing. */
    struct sniff sn;
    char *sbuf;
    size_t slen, scap;

    /* Stage 3: the state machine. */
    enum csv_state state;
    bool in_record;  /* a record has begun */
    bool last_cr;    /* the last byte fed to stage 3 was '\r' (CRLF across feeds) */
    bool valid_utf8; /* the whole input is known to be valid UTF-8: no per-record check */
    uint64_t line;   /* current physical line, 1-based */
    uint64_t rec_line, quote_line, record;
    char *buf; /* the fields of the current record, each NUL-terminated */
    size_t len, cap, field_start;
    size_t *offs, *lens;
    const char **ptrs;
    int nfields, fcap;
    const char *problem;
    int problem_col;
    int status; /* sticky: 0, an enum err, or the callback's stop value */
};

static void set_classes(struct csv_parser *p)
{
    memset(p->cls_unquoted, CL_PLAIN, sizeof p->cls_unquoted);
    memset(p->cls_quoted, CL_PLAIN, sizeof p->cls_quoted);
    p->cls_unquoted[(unsigned char)p->delim] = CL_SPECIAL;
    p->cls_unquoted['"'] = p->cls_quoted['"'] = CL_SPECIAL;
    p->cls_unquoted['\r'] = p->cls_quoted['\r'] = CL_SPECIAL;
    p->cls_unquoted['\n'] = p->cls_quoted['\n'] = CL_SPECIAL;
    p->cls_unquoted[0] = p->cls_quoted[0] = CL_SPECIAL;
}

struct csv_parser *csv_new(const struct csv_options *o, table_row_fn fn, void *ctx)
{
    struct csv_parser *p = xcalloc(1, sizeof *p);
    p->fn = fn;
    p->ctx = ctx;
    p->max_field = o && o->max_field ? o->max_field : TABLE_MAX_FIELD;
    p->max_columns = o && o->max_columns > 0 ? o->max_columns : TABLE_MAX_COLUMNS;
    p->max_records = o && o->max_records ? o->max_records : TABLE_MAX_RECORDS;
    if (o && (o->delimiter == ',' || o->delimiter == ';' || o->delimiter == '\t')) {
        p->delim = o->delimiter;
        set_classes(p);
    }
    p->state = ST_FIELD_START;
    p->line = 1;
    return p;
}

void csv_free(struct csv_parser *p)
{
    if (!p)
        return;
    free(p->sbuf);
    free(p->buf);
    free(p->offs);
    free(p->lens);
    free(p->ptrs);
    free(p);
}

char csv_delimiter(const struct csv_parser *p)
{
    return p ? p->delim : 0;
}

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Records a limit error (sticky) with its position. */
static int fail_too_big(struct csv_parser *p, struct err_ctx *e, int col, const char *what,
                        uint64_t limit)
{
    if (col > 0)
        err_set(e, ERR_TOO_BIG, NULL, _("regel %" PRIu64 ", kolom %d: %s (grens %" PRIu64 ")"),
                p->line, col, what, limit);
    else
        err_set(e, ERR_TOO_BIG, NULL, _("regel %" PRIu64 ": %s (grens %" PRIu64 ")"), p->line, what,
                limit);
    if (e) {
        e->line = clamp32(p->line);
        e->col = col > 0 ? (uint32_t)col : 0;
    }
    p->status = ERR_TOO_BIG;
    return ERR_TOO_BIG;
}

/* --- UTF-8 ---------------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p[0..n) that starts with a byte >= 0x80, or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (n <= need || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k <= need; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    return need + 1;
}

/* Offset of the first byte that is not well-formed UTF-8, or n. ASCII runs go 8 at a time. */
static size_t utf8_bad_at(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(p + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

enum text_encoding text_detect_encoding(const char *data, size_t n)
{
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return TEXT_UTF8;
    return utf8_bad_at(data, n) == n ? TEXT_UTF8 : TEXT_CP1252;
}

const char *text_encoding_name(enum text_encoding enc)
{
    switch (enc) {
    case TEXT_UTF8:
        return "UTF-8";
    case TEXT_CP1252:
        return "Windows-1252";
    }
    return "?";
}

/* Windows-1252 0x80..0x9F; the five undefined bytes become U+FFFD. 0xA0..0xFF are Latin-1. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Converts n Windows-1252 bytes into out (room for 3*n bytes); returns the bytes written. */
static size_t cp1252_to_utf8(const unsigned char *in, size_t n, char *out)
{
    unsigned char *o = (unsigned char *)out;
    for (size_t i = 0; i < n; i++) {
        unsigned c = in[i];
        if (c < 0x80) {
            *o++ = (unsigned char)c;
            continue;
        }
        unsigned cp = c < 0xA0 ? cp1252_c1[c - 0x80] : c;
        if (cp < 0x800) {
            *o++ = (unsigned char)(0xC0 | (cp >> 6));
            *o++ = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            *o++ = (unsigned char)(0xE0 | (cp >> 12));
            *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            *o++ = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
    return (size_t)(o - (unsigned char *)out);
}

/* --- Stage 3: the state machine ------------------------------------------------------------- */

static void ensure(struct csv_parser *p, size_t need)
{
    if (need <= p->cap)
        return;
    size_t cap = p->cap ? p->cap : 1024;
    while (cap < need)
        cap *= 2;
    p->buf = xrealloc(p->buf, cap);
    p->cap = cap;
}

static void set_problem(struct csv_parser *p, const char *msg)
{
    if (!p->problem) {
        p->problem = msg;
        p->problem_col = p->nfields + 1;
    }
}

/* Appends bytes to the current field, enforcing the field and record limits. */
static int append(struct csv_parser *p, const char *s, size_t n, struct err_ctx *e)
{
    if (p->len - p->field_start + n > p->max_field)
        return fail_too_big(p, e, p->nfields + 1, _("een veld is te groot"), p->max_field);
    if (p->len + n + p->nfields + 1 > TABLE_MAX_RECORD)
        return fail_too_big(p, e, p->nfields + 1, _("een record is te groot"), TABLE_MAX_RECORD);
    ensure(p, p->len + n + 1);
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    return 0;
}

static int end_field(struct csv_parser *p, struct err_ctx *e)
{
    if (p->nfields >= p->max_columns)
        return fail_too_big(p, e, p->nfields + 1, _("te veel kolommen"), (uint64_t)p->max_columns);
    if (p->nfields == p->fcap) {
        int n = p->fcap ? p->fcap * 2 : 32;
        if (n > p->max_columns)
            n = p->max_columns;
        p->offs = xrealloc(p->offs, (size_t)n * sizeof *p->offs);
        p->lens = xrealloc(p->lens, (size_t)n * sizeof *p->lens);
        p->ptrs = xrealloc(p->ptrs, (size_t)n * sizeof *p->ptrs);
        p->fcap = n;
    }
    ensure(p, p->len + 1);
    p->offs[p->nfields] = p->field_start;
    p->lens[p->nfields] = p->len - p->field_start;
    p->nfields++;
    p->buf[p->len++] = '\0';
    p->field_start = p->len;
    return 0;
}

/* Ends the current field and delivers the record. */
static int end_record(struct csv_parser *p, struct err_ctx *e)
{
    int rc = end_field(p, e);
    if (rc)
        return rc;
    if (p->record >= p->max_records)
        return fail_too_big(p, e, 0, _("te veel records"), p->max_records);
    p->record++;
    if (!p->problem && !p->valid_utf8) {
        /* One pass over the whole record: the NUL separators are ASCII, so a sequence cut
         * off at the end of a field is caught too. */
        size_t bad = utf8_bad_at(p->buf, p->len);
        if (bad < p->len) {
            int col = 0;
            while (col + 1 < p->nfields && p->offs[col + 1] <= bad)
                col++;
            p->problem = PROBLEM_UTF8;
            p->problem_col = col + 1;
        }
    }
    for (int i = 0; i < p->nfields; i++)
        p->ptrs[i] = p->buf + p->offs[i];
    struct table_row row = {
        .fields = p->ptrs,
        .lens = p->lens,
        .nfields = p->nfields,
        .record = p->record,
        .line = p->rec_line,
        .problem = p->problem,
        .problem_col = p->problem ? p->problem_col : 0,
    };
    rc = p->fn ? p->fn(p->ctx, &row) : 0;
    p->len = p->field_start = 0;
    p->nfields = 0;
    p->problem = NULL;
    p->problem_col = 0;
    p->in_record = false;
    p->state = ST_FIELD_START;
    if (rc)
        p->status = rc;
    return rc;
}

/* Counts a line end at d[i] ('\r' or '\n'); CRLF counts once. */
static inline void count_eol(struct csv_parser *p, const char *d, size_t i)
{
    if (d[i] == '\r' || !(i ? d[i - 1] == '\r' : p->last_cr))
        p->line++;
}

static int core_feed(struct csv_parser *p, const char *d, size_t n, struct err_ctx *e)
{
    size_t i = 0;
    int rc = 0;
    while (i < n) {
        char c = d[i];
        switch (p->state) {
        case ST_FIELD_START:
            if (c == '\r' || c == '\n') {
                if (p->in_record) {
                    rc = end_record(p, e);
                    if (rc)
                        return rc;
                } /* else an empty line, or the LF of a CRLF: skipped */
                count_eol(p, d, i);
                i++;
                continue;
            }
            if (!p->in_record) {
                p->in_record = true;
                p->rec_line = p->line;
            }
            if (c == '"') {
                p->state = ST_QUOTED;
                p->quote_line = p->line;
                i++;
            } else if (c == p->delim) {
                rc = end_field(p, e);
                if (rc)
                    return rc;
                i++;
            } else {
                p->state = ST_UNQUOTED;
            }
            continue;

        case ST_UNQUOTED: {
            size_t s = i;
            while (i < n && p->cls_unquoted[(unsigned char)d[i]] == CL_PLAIN)
                i++;
            if (i > s && (rc = append(p, d + s, i - s, e)) != 0)
                return rc;
            if (i == n)
                break;
            c = d[i];
            if (c == p->delim) {
                rc = end_field(p, e);
                p->state = ST_FIELD_START;
                i++;
            } else if (c == '\r' || c == '\n') {
                rc = end_record(p, e);
                count_eol(p, d, i);
                i++;
            } else { /* '"' or NUL: kept as data */
                set_problem(p, c == '"' ? PROBLEM_STRAY_QUOTE : PROBLEM_NUL);
                rc = append(p, d + i, 1, e);
                i++;
            }
            if (rc)
                return rc;
            continue;
        }

        case ST_QUOTED: {
            size_t s = i;
            while (i < n && p->cls_quoted[(unsigned char)d[i]] == CL_PLAIN)
                i++;
            if (i > s && (rc = append(p, d + s, i - s, e)) != 0)
                return rc;
            if (i == n)
                break;
            c = d[i];
            if (c == '"') {
                p->state = ST_QUOTE_SEEN;
            } else {
                if ((rc = append(p, d + i, 1, e)) != 0)
                    return rc;
                if (c == '\r' || c == '\n')
                    count_eol(p, d, i);
                else
                    set_problem(p, PROBLEM_NUL);
            }
            i++;
            continue;
        }

        case ST_QUOTE_SEEN:
            if (c == '"') {
                rc = append(p, d + i, 1, e);
                p->state = ST_QUOTED;
                i++;
            } else if (c == p->delim) {
                rc = end_field(p, e);
                p->state = ST_FIELD_START;
                i++;
            } else if (c == '\r' || c == '\n') {
                rc = end_record(p, e);
                count_eol(p, d, i);
                i++;
            } else {
                /* Not consumed: the unquoted state keeps it (and flags a NUL or quote). */
                set_problem(p, PROBLEM_AFTER_QUOTE);
                p->state = ST_UNQUOTED;
            }
            if (rc)
                return rc;
            continue;
        }
    }
    if (n)
        p->last_cr = d[n - 1] == '\r';
    return 0;
}

/* --- Stage 2: sniffing ---------------------------------------------------------------------- */

static void sniff_line_end(struct sniff *s)
{
    if (s->nonempty && s->nrec <= CSV_SNIFF_RECORDS) {
        memcpy(s->counts[s->nrec], s->cnt, sizeof s->cnt);
        s->nrec++;
    }
    memset(s->cnt, 0, sizeof s->cnt);
    s->nonempty = false;
}

/* Examines bytes until the decision point; returns how many of d[0..n) were examined. */
static size_t sniff_scan(struct sniff *s, const char *d, size_t n)
{
    size_t i = 0;
    while (i < n && !s->done) {
        char c = d[i++];
        s->pos++;
        if (c == '"') {
            s->in_quotes = !s->in_quotes;
            s->nonempty = true;
        } else if (!s->in_quotes && (c == '\n' || c == '\r')) {
            sniff_line_end(s);
            if (s->nrec == CSV_SNIFF_RECORDS)
                s->done = true;
        } else {
            s->nonempty = true;
            if (!s->in_quotes)
                for (int k = 0; k < 3; k++)
                    s->cnt[k] += c == sniff_delims[k];
        }
        if (s->pos >= CSV_SNIFF_BYTES)
            s->done = true;
    }
    return i;
}

static char sniff_decide(struct sniff *s)
{
    sniff_line_end(s); /* a last line without line end */
    int best = -1;
    uint32_t best_freq = 0, best_val = 0;
    for (int k = 0; k < 3; k++) {
        uint32_t freq = 0, val = 0;
        for (int r = 0; r < s->nrec; r++) {
            uint32_t v = s->counts[r][k], f = 0;
            if (!v)
                continue;
            for (int q = 0; q < s->nrec; q++)
                f += s->counts[q][k] == v;
            if (f > freq || (f == freq && v > val)) {
                freq = f;
                val = v;
            }
        }
        if (freq > best_freq || (freq == best_freq && freq && val > best_val)) {
            best = k;
            best_freq = freq;
            best_val = val;
        }
    }
    return best < 0 ? ',' : sniff_delims[best];
}

/* Decides the delimiter and replays the buffered bytes. */
static int sniff_finish(struct csv_parser *p, struct err_ctx *e)
{
    p->delim = sniff_decide(&p->sn);
    set_classes(p);
    int rc = core_feed(p, p->sbuf, p->slen, e);
    free(p->sbuf);
    p->sbuf = NULL;
    p->slen = p->scap = 0;
    return rc;
}

static int sniff_feed(struct csv_parser *p, const char *d, size_t n, struct err_ctx *e)
{
    if (p->delim)
        return core_feed(p, d, n, e);
    size_t used = sniff_scan(&p->sn, d, n);
    if (p->slen + used > p->scap) {
        p->scap = p->slen + used > 2 * p->scap ? p->slen + used : 2 * p->scap;
        p->sbuf = xrealloc(p->sbuf, p->scap);
    }
    if (used)
        memcpy(p->sbuf + p->slen, d, used);
    p->slen += used;
    if (!p->sn.done)
        return 0;
    int rc = sniff_finish(p, e);
    if (rc)
        return rc;
    return core_feed(p, d + used, n - used, e);
}

/* --- Stage 1: BOM, and the public feed ------------------------------------------------------ */

int csv_feed(struct csv_parser *p, const char *data, size_t n, struct err_ctx *e)
{
    if (p->status)
        return p->status;
    int rc;
    while (!p->head_done && n) {
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        unsigned char c = (unsigned char)*data;
        if (c != bom[p->nhead]) {
            /* Not a BOM: pass the held bytes on, then the rest as usual. */
            p->head_done = true;
            if ((rc = sniff_feed(p, (const char *)p->head, (size_t)p->nhead, e)) != 0)
                return rc;
            break;
        }
        p->head[p->nhead++] = c;
        data++;
        n--;
        if (p->nhead == 3)
            p->head_done = true; /* BOM: dropped */
    }
    rc = n ? sniff_feed(p, data, n, e) : 0;
    return rc;
}

int csv_finish(struct csv_parser *p, struct err_ctx *e)
{
    int rc;
    if (p->status)
        return p->status;
    if (!p->head_done) {
        p->head_done = true;
        if ((rc = sniff_feed(p, (const char *)p->head, (size_t)p->nhead, e)) != 0)
            return rc;
    }
    if (!p->delim && (rc = sniff_finish(p, e)) != 0)
        return rc;
    if (p->state == ST_QUOTED) {
        err_set(e, ERR_INVALID, NULL,
                _("regel %" PRIu64 ", kolom %d: het aanhalingsteken dat hier een veld opent, "
                  "wordt nergens gesloten"),
                p->quote_line, p->nfields + 1);
        if (e) {
            e->line = clamp32(p->quote_line);
            e->col = (uint32_t)(p->nfields + 1);
        }
        p->status = ERR_INVALID;
        return ERR_INVALID;
    }
    if (p->in_record && (rc = end_record(p, e)) != 0)
        return rc;
    p->status = 0;
    return 0;
}

/* --- Whole inputs --------------------------------------------------------------------------- */

/* Parses one input already in memory; `name` (may be NULL) prefixes our own error messages. */
static int read_bytes(const char *name, const char *data, size_t n, const struct csv_options *o,
                      table_row_fn fn, void *ctx, enum text_encoding *enc_out, char *delim_out,
                      struct err_ctx *e)
{
    /* One pass decides the encoding and whether the parser may skip its own UTF-8 checks:
     * valid UTF-8 stays valid when cut into fields, and converted Windows-1252 always is. */
    size_t bom = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    bool valid = utf8_bad_at(data + bom, n - bom) == n - bom;
    enum text_encoding enc = bom || valid ? TEXT_UTF8 : TEXT_CP1252;
    struct csv_parser *p = csv_new(o, fn, ctx);
    p->valid_utf8 = valid || enc == TEXT_CP1252;
    char *conv = NULL;
    int rc = 0;
    struct err_ctx local;
    err_clear(&local);
    if (enc == TEXT_CP1252) {
        conv = xmalloc(3 * CSV_CONV_CHUNK);
        for (size_t off = 0; off < n && !rc; off += CSV_CONV_CHUNK) {
            size_t k = n - off < CSV_CONV_CHUNK ? n - off : CSV_CONV_CHUNK;
            size_t m = cp1252_to_utf8((const unsigned char *)data + off, k, conv);
            rc = csv_feed(p, conv, m, &local);
        }
    } else {
        rc = csv_feed(p, data, n, &local);
    }
    if (!rc)
        rc = csv_finish(p, &local);
    if (rc < 0 && local.code == rc) { /* our error, not the callback's stop value */
        if (name)
            err_set(e, rc, NULL, "%s: %s", name, local.msg);
        else
            err_set(e, rc, NULL, "%s", local.msg);
        if (e) {
            e->line = local.line;
            e->col = local.col;
        }
    }
    if (!rc && enc_out)
        *enc_out = enc;
    if (delim_out)
        *delim_out = p->delim;
    free(conv);
    csv_free(p);
    return rc;
}

int csv_read_memory(const char *data, size_t n, const struct csv_options *o, table_row_fn fn,
                    void *ctx, enum text_encoding *enc_out, struct err_ctx *e)
{
    return read_bytes(NULL, data, n, o, fn, ctx, enc_out, NULL, e);
}

static int stop_at_first(void *ctx, const struct table_row *row)
{
    UNUSED(ctx);
    UNUSED(row);
    return 1;
}

char csv_sniff(const char *data, size_t n, const struct csv_options *o)
{
    /* The delimiter is fixed before the first record is delivered, so stop there. */
    char delim = 0;
    read_bytes(NULL, data, n, o, stop_at_first, NULL, NULL, &delim, NULL);
    return delim ? delim : ',';
}

int csv_read_file(const char *path, const struct csv_options *o, table_row_fn fn, void *ctx,
                  enum text_encoding *enc_out, struct err_ctx *e)
{
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    struct stat st;
    void *map = MAP_FAILED;
    char *copy = NULL;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = err_set(e, ERR_IO, NULL, _("%s: kan het bestand niet openen (%s)"), name,
                     strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = err_set(e, ERR_IO, NULL, _("%s: is geen gewoon bestand"), name);
        goto out;
    }
    size_t n = (size_t)st.st_size;
    const char *data = "";
    if (n) {
        map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            madvise(map, n, MADV_SEQUENTIAL);
            data = map;
        } else { /* e.g. a file system without mmap: read it */
            copy = xmalloc(n);
            size_t got = 0;
            while (got < n) {
                ssize_t r = read(fd, copy + got, n - got);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0) {
                    rc = err_set(e, ERR_IO, NULL, _("%s: kan het bestand niet lezen"), name);
                    goto out;
                }
                got += (size_t)r;
            }
            data = copy;
        }
    }
    rc = read_bytes(name, data, n, o, fn, ctx, enc_out, NULL, e);
out:
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    free(copy);
    if (fd >= 0)
        close(fd);
    return rc;
}
