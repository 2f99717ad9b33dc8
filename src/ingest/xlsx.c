/*
 * xlsx.c: reads one worksheet of an Office Open XML workbook (.xlsx) row by row, on libzip
 * and expat (engineering.md A6). The parts are read in dependency order:
 *   _rels/.rels -> the workbook part (sheets, date1904) -> its .rels (sheet part paths, shared
 *   strings, styles) -> sharedStrings -> styles (which cell formats are dates) -> the sheet,
 * which is streamed: each <row> is delivered through table_row_fn as soon as it ends.
 *
 * The archive is untrusted: the entry count and the declared uncompressed sizes are capped
 * before anything is inflated, bytes are counted while inflating (a part may not produce more
 * than it declared, nor more than the budget left, nor inflate more than XLSX_MAX_RATIO times),
 * DTDs are refused outright (so no entity can be declared), element depth, shared-string count,
 * styles, sheets and cell size are capped. Every error names the part and the line in it.
 *
 * Rows without any cell value are skipped like empty CSV lines; cells with an empty value do
 * not lengthen a row. Numbers and dates are formatted in the C locale whatever locale the
 * calling thread uses (uselocale around the conversions), since requests run in nl_NL.
 */
#include "ingest/xlsx.h"
#include "core/common.h"
#include "core/str.h"
#include "core/xalloc.h"

/* libexpat1 is built with DTD support; the macro only exposes the billion-laughs setters. */
#define XML_DTD 1
#include <expat.h>
#include <locale.h>
#include <math.h>
#include <zip.h>

#define XLSX_MAX_SHEETS     1000  /* sheets and relationships in a workbook */
#define XLSX_MAX_STYLES     65536 /* cellXfs entries (Excel's own limit is 64000) */
#define XLSX_MAX_NUMFMTS    4096
#define XLSX_MAX_PATH       400
#define XLSX_READ_CHUNK     (64u * 1024u)
#define XLSX_AMPLIFY_FROM   (1024ULL * 1024) /* expat billion-laughs activation threshold */
#define XLSX_MAX_AMPLIFY    20.0f
#define XLSX_MAX_DATESERIAL 2958466.0 /* 10000-01-01 in the 1900 system */

static const char PROBLEM_SHARED[] = N_("verwijzing naar een gedeelde tekst die niet bestaat");
static const char PROBLEM_ERROR[] = N_("de cel bevat een foutwaarde van Excel");
static const char PROBLEM_NUMBER[] = N_("ongeldig getal in de cel");
static const char PROBLEM_BOOL[] = N_("ongeldige waarheidswaarde in de cel");
static const char PROBLEM_DATE[] = N_("datum buiten het geldige bereik");
static const char PROBLEM_ORDER[] = N_("cellen staan niet in volgorde");

/* A growable byte string with a hard maximum. */
struct text {
    char *p;
    size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->p = xrealloc(t->p, cap);
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

struct rel {
    char *id, *type, *target;
};

struct sheet {
    char *name, *rid;
};

/* Owned by: one xlsx_read_* call. */
struct xlsx {
    zip_t *za;
    struct err_ctx *e;
    uint64_t budget; /* uncompressed bytes still allowed */
    uint64_t max_records;
    locale_t c_loc;
    bool date1904;
    char workbook[XLSX_MAX_PATH];
    struct sheet *sheets;
    int nsheets;
    struct rel *rels;
    int nrels;
    /* Shared strings: all in one buffer, each NUL-terminated. */
    struct text ss;
    size_t *ss_off;
    uint32_t nss, ss_cap;
    /* Styles: numFmtId per cellXfs entry, custom date formats. */
    uint32_t *xf_fmt;
    uint32_t nxf;
    uint32_t *date_fmts; /* custom numFmtIds whose code is a date format */
    uint32_t ndate_fmts;
    unsigned char *xf_date; /* resolved: cell style index -> is a date */
};

/* --- Parsing one part with expat ------------------------------------------------------------ */

struct part;
typedef void (*start_fn)(struct part *c, const char *name, const XML_Char **atts);
typedef void (*end_fn)(struct part *c, const char *name);
typedef void (*text_fn)(struct part *c, const char *s, size_t n);

struct part {
    struct xlsx *x;
    XML_Parser parser;
    const char *name; /* part name, for messages */
    int depth;
    int rc; /* set by handlers: an enum err, or the row callback's stop value */
    bool dtd;
    start_fn on_start;
    end_fn on_end;
    text_fn on_text;
    void *state;
};

/* The local part of an expat namespace-qualified name ("uri|local"). */
static const char *local_name(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* Attribute by local name; `qualified` selects attributes in a namespace (r:id) or without. */
static const char *attr(const XML_Char **atts, const char *name, bool qualified)
{
    for (int i = 0; atts[i]; i += 2) {
        const char *bar = strrchr(atts[i], '|');
        if (qualified ? bar && strcmp(bar + 1, name) == 0 : !bar && strcmp(atts[i], name) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static unsigned long part_line(const struct part *c)
{
    return c->parser ? (unsigned long)XML_GetCurrentLineNumber(c->parser) : 0;
}

/* Records an error naming the part and line, and stops the parser. */
static int part_fail(struct part *c, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
static int part_fail(struct part *c, int code, const char *fmt, ...)
{
    char detail[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (n < 0)
        detail[0] = '\0';
    unsigned long line = part_line(c);
    err_set(c->x->e, code, NULL, _("%s regel %lu: %s"), c->name, line, detail);
    if (c->x->e)
        c->x->e->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    if (!c->rc)
        c->rc = code;
    if (c->parser)
        XML_StopParser(c->parser, XML_FALSE);
    return code;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct part *c = ud;
    if (c->rc)
        return;
    if (++c->depth > XLSX_MAX_XML_DEPTH) {
        part_fail(c, ERR_TOO_BIG, _("de XML is dieper genest dan %d niveaus"), XLSX_MAX_XML_DEPTH);
        return;
    }
    if (c->on_start)
        c->on_start(c, local_name(name), atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct part *c = ud;
    if (c->rc)
        return;
    if (c->on_end)
        c->on_end(c, local_name(name));
    c->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct part *c = ud;
    if (!c->rc && c->on_text && len > 0)
        c->on_text(c, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    struct part *c = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    c->dtd = true;
    part_fail(c, ERR_INVALID, "%s", _("een DTD (<!DOCTYPE>) is niet toegestaan"));
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    struct part *c = ud;
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    part_fail(c, ERR_INVALID, "%s", _("entiteitdefinities zijn niet toegestaan"));
}

static int zip_fail(struct xlsx *x, int code, const char *part, const char *what, const char *why)
{
    return err_set(x->e, code, NULL, _("%s: %s (%s)"), part, what, why);
}

/*
 * Inflates part `name` in chunks into expat with c's handlers. ERR_NOT_FOUND (no message) if
 * the part is absent and not required.
 */
static int read_part(struct xlsx *x, const char *name, struct part *c, bool required)
{
    zip_file_t *f = NULL;
    char *chunk = NULL;
    c->x = x;
    c->name = name;
    c->parser = NULL;
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required)
            return ERR_NOT_FOUND;
        return err_set(x->e, ERR_INVALID, NULL,
                       _("%s ontbreekt: dit is geen geldig Excel-bestand (.xlsx)"), name);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return zip_fail(x, ERR_INVALID, name, _("onleesbaar in het zip-archief"),
                        zip_strerror(x->za));
    if (st.size > x->budget)
        return err_set(x->e, ERR_TOO_BIG, NULL,
                       _("%s: uitgepakt groter dan de toegestane %" PRIu64 " bytes"), name,
                       x->budget);
    if (st.size > XLSX_RATIO_FROM && (st.valid & ZIP_STAT_COMP_SIZE) &&
        st.size / (st.comp_size ? st.comp_size : 1) > XLSX_MAX_RATIO)
        return err_set(x->e, ERR_TOO_BIG, NULL,
                       _("%s: verdacht sterk gecomprimeerd (%" PRIu64 " naar %" PRIu64
                         " bytes), mogelijk een zip-bom"),
                       name, (uint64_t)st.comp_size, (uint64_t)st.size);
    f = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!f)
        return zip_fail(x, ERR_INVALID, name, _("kan niet worden uitgepakt"), zip_strerror(x->za));

    c->parser = XML_ParserCreateNS(NULL, '|');
    if (!c->parser) {
        zip_fclose(f);
        return err_set(x->e, ERR_NOMEM, NULL, "%s", _("onvoldoende geheugen"));
    }
    XML_SetUserData(c->parser, c);
    XML_SetElementHandler(c->parser, on_start, on_end);
    XML_SetCharacterDataHandler(c->parser, on_text);
    XML_SetStartDoctypeDeclHandler(c->parser, on_doctype);
    XML_SetEntityDeclHandler(c->parser, on_entity);
    XML_SetParamEntityParsing(c->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(c->parser, XLSX_AMPLIFY_FROM);
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(c->parser, XLSX_MAX_AMPLIFY);

    chunk = xmalloc(XLSX_READ_CHUNK);
    uint64_t total = 0;
    for (;;) {
        zip_int64_t r = zip_fread(f, chunk, XLSX_READ_CHUNK);
        if (r < 0) {
            zip_fail(x, ERR_INVALID, name, _("beschadigd in het zip-archief"),
                     zip_file_strerror(f));
            c->rc = ERR_INVALID;
            break;
        }
        total += (uint64_t)r;
        if (total > st.size || total > x->budget) {
            err_set(x->e, ERR_TOO_BIG, NULL,
                    _("%s: pakt groter uit dan aangegeven, mogelijk een zip-bom"), name);
            c->rc = ERR_TOO_BIG;
            break;
        }
        if (XML_Parse(c->parser, chunk, (int)r, r == 0) != XML_STATUS_OK) {
            if (!c->rc) {
                enum XML_Error xe = XML_GetErrorCode(c->parser);
                if (xe == XML_ERROR_AMPLIFICATION_LIMIT_BREACH)
                    part_fail(c, ERR_TOO_BIG, "%s", _("te veel entiteitsuitbreiding"));
                else
                    part_fail(c, ERR_INVALID, _("ongeldige XML (%s)"), XML_ErrorString(xe));
            }
            break;
        }
        if (c->rc || r == 0)
            break;
    }
    x->budget -= total < x->budget ? total : x->budget;
    free(chunk);
    XML_ParserFree(c->parser);
    c->parser = NULL;
    zip_fclose(f);
    return c->rc;
}

/* --- Paths ---------------------------------------------------------------------------------- */

/* Resolves a relationship target against the directory of `source` ("xl/workbook.xml"),
 * removing "." and ".." segments. Absolute targets start at the package root. */
static int resolve(const char *source, const char *target, char out[XLSX_MAX_PATH])
{
    char tmp[2 * XLSX_MAX_PATH];
    size_t dir = 0;
    if (target[0] != '/') {
        const char *slash = strrchr(source, '/');
        dir = slash ? (size_t)(slash - source) + 1 : 0;
    } else {
        target++;
    }
    size_t tlen = strlen(target);
    if (dir >= XLSX_MAX_PATH || tlen >= XLSX_MAX_PATH)
        return ERR_TOO_BIG;
    memcpy(tmp, source, dir);
    memcpy(tmp + dir, target, tlen + 1);
    /* Rebuild segment by segment. */
    size_t o = 0;
    const char *p = tmp;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* skip */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the removed segment */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            if (o + len + 1 >= XLSX_MAX_PATH)
                return ERR_TOO_BIG;
            memcpy(out + o, p, len);
            o += len;
            if (end)
                out[o++] = '/';
        }
        p = end ? end + 1 : p + len;
    }
    if (o > 0 && out[o - 1] == '/')
        o--;
    out[o] = '\0';
    return o ? 0 : ERR_INVALID;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- _rels/.rels and workbook.xml.rels ------------------------------------------------------ */

static void rels_start(struct part *c, const char *name, const XML_Char **atts)
{
    struct xlsx *x = c->x;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false);
    const char *target = attr(atts, "Target", false), *mode = attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->nrels >= XLSX_MAX_SHEETS) {
        part_fail(c, ERR_TOO_BIG, _("meer dan %d relaties"), XLSX_MAX_SHEETS);
        return;
    }
    if (x->nrels % 16 == 0)
        x->rels = xrealloc(x->rels, (size_t)(x->nrels + 16) * sizeof *x->rels);
    x->rels[x->nrels++] = (struct rel){xstrdup(id), xstrdup(type), xstrdup(target)};
}

static void free_rels(struct xlsx *x)
{
    for (int i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    x->rels = NULL;
    x->nrels = 0;
}

/* The first relationship whose type ends in `suffix` ("/officeDocument"), or NULL. */
static const struct rel *rel_of_type(const struct xlsx *x, const char *suffix)
{
    for (int i = 0; i < x->nrels; i++)
        if (ends_with(x->rels[i].type, suffix))
            return &x->rels[i];
    return NULL;
}

/* --- workbook.xml --------------------------------------------------------------------------- */

static void workbook_start(struct part *c, const char *name, const XML_Char **atts)
{
    struct xlsx *x = c->x;
    if (strcmp(name, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904", false);
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(name, "sheet") == 0) {
        const char *sname = attr(atts, "name", false), *rid = attr(atts, "id", true);
        if (!rid)
            return;
        if (x->nsheets >= XLSX_MAX_SHEETS) {
            part_fail(c, ERR_TOO_BIG, _("meer dan %d werkbladen"), XLSX_MAX_SHEETS);
            return;
        }
        if (x->nsheets % 16 == 0)
            x->sheets = xrealloc(x->sheets, (size_t)(x->nsheets + 16) * sizeof *x->sheets);
        x->sheets[x->nsheets++] = (struct sheet){xstrdup(sname ? sname : ""), xstrdup(rid)};
    }
}

/* --- Text helpers --------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the OOXML escapes "_xHHHH_" (e.g. _x000D_ for CR, _x005F_ for '_') in place.
 * NUL and surrogate halves stay as written. Returns the new length. */
static size_t decode_xescapes(char *s, size_t n)
{
    if (!memchr(s, '_', n))
        return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]),
                h3 = hexval(s[i + 5]);
            if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
                unsigned u = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
                if (u != 0 && (u < 0xD800 || u > 0xDFFF)) {
                    if (u < 0x80) {
                        s[o++] = (char)u;
                    } else if (u < 0x800) {
                        s[o++] = (char)(0xC0 | (u >> 6));
                        s[o++] = (char)(0x80 | (u & 0x3F));
                    } else {
                        s[o++] = (char)(0xE0 | (u >> 12));
                        s[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
                        s[o++] = (char)(0x80 | (u & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
    return o;
}

/* --- sharedStrings.xml ---------------------------------------------------------------------- */

struct sst_state {
    bool in_si, in_t;
    int in_rph; /* phonetic runs are not part of the text */
    struct text cur;
};

static void sst_start(struct part *c, const char *name, const XML_Char **atts)
{
    struct sst_state *s = c->state;
    (void)atts;
    if (strcmp(name, "si") == 0) {
        s->in_si = true;
        s->cur.len = 0;
        text_add(&s->cur, "", 0);
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(name, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = true;
    }
}

static void sst_text(struct part *c, const char *t, size_t n)
{
    struct sst_state *s = c->state;
    if (!s->in_t)
        return;
    if (s->cur.len + n > TABLE_MAX_FIELD) {
        part_fail(c, ERR_TOO_BIG, _("gedeelde tekst %" PRIu32 " is groter dan %d bytes"), c->x->nss,
                  TABLE_MAX_FIELD);
        return;
    }
    text_add(&s->cur, t, n);
}

static void sst_end(struct part *c, const char *name)
{
    struct sst_state *s = c->state;
    struct xlsx *x = c->x;
    if (strcmp(name, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph--;
    } else if (strcmp(name, "si") == 0 && s->in_si) {
        s->in_si = false;
        if (x->nss >= XLSX_MAX_SHARED) {
            part_fail(c, ERR_TOO_BIG, _("meer dan %u gedeelde teksten"), XLSX_MAX_SHARED);
            return;
        }
        if (x->nss == x->ss_cap) {
            x->ss_cap = x->ss_cap ? x->ss_cap * 2 : 1024;
            x->ss_off = xrealloc(x->ss_off, x->ss_cap * sizeof *x->ss_off);
        }
        size_t n = decode_xescapes(s->cur.p, s->cur.len);
        x->ss_off[x->nss++] = x->ss.len;
        text_add(&x->ss, s->cur.p, n + 1); /* with its NUL */
    }
}

/* --- styles.xml ----------------------------------------------------------------------------- */

/* True if a number format code shows a date or time: y, m, d or h outside quoted text,
 * [brackets] (colours, conditions, locales), and escaped or fill/padding characters. */
static bool format_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        char ch = *p;
        if (ch == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                return false;
            p = q;
        } else if (ch == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q)
                return false;
            p = q;
        } else if (ch == '\\' || ch == '_' || ch == '*') {
            if (p[1])
                p++;
        } else {
            ch = (char)(ch | 0x20);
            if (ch == 'y' || ch == 'm' || ch == 'd' || ch == 'h')
                return true;
        }
    }
    return false;
}

static bool builtin_date(uint32_t id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

struct styles_state {
    bool in_cellxfs;
};

static bool parse_u32(const char *s, uint32_t *out)
{
    int64_t v;
    if (!s || str_parse_i64_c(s, 0, UINT32_MAX, &v) != 0)
        return false;
    *out = (uint32_t)v;
    return true;
}

static void styles_start(struct part *c, const char *name, const XML_Char **atts)
{
    struct styles_state *s = c->state;
    struct xlsx *x = c->x;
    uint32_t id;
    if (strcmp(name, "numFmt") == 0) {
        const char *code = attr(atts, "formatCode", false);
        if (!parse_u32(attr(atts, "numFmtId", false), &id) || !code || !format_is_date(code))
            return;
        if (x->ndate_fmts >= XLSX_MAX_NUMFMTS) {
            part_fail(c, ERR_TOO_BIG, _("meer dan %d getalnotaties"), XLSX_MAX_NUMFMTS);
            return;
        }
        if (x->ndate_fmts % 64 == 0)
            x->date_fmts = xrealloc(x->date_fmts, (x->ndate_fmts + 64) * sizeof *x->date_fmts);
        x->date_fmts[x->ndate_fmts++] = id;
    } else if (strcmp(name, "cellXfs") == 0) {
        s->in_cellxfs = true;
    } else if (strcmp(name, "xf") == 0 && s->in_cellxfs) {
        if (x->nxf >= XLSX_MAX_STYLES) {
            part_fail(c, ERR_TOO_BIG, _("meer dan %d celopmaken"), XLSX_MAX_STYLES);
            return;
        }
        if (!parse_u32(attr(atts, "numFmtId", false), &id))
            id = 0;
        if (x->nxf % 256 == 0)
            x->xf_fmt = xrealloc(x->xf_fmt, (x->nxf + 256) * sizeof *x->xf_fmt);
        x->xf_fmt[x->nxf++] = id;
    }
}

static void styles_end(struct part *c, const char *name)
{
    struct styles_state *s = c->state;
    if (strcmp(name, "cellXfs") == 0)
        s->in_cellxfs = false;
}

/* After styles.xml: which cell styles are dates. */
static void resolve_styles(struct xlsx *x)
{
    x->xf_date = xcalloc(x->nxf ? x->nxf : 1, 1);
    for (uint32_t i = 0; i < x->nxf; i++) {
        uint32_t id = x->xf_fmt[i];
        bool date = builtin_date(id);
        for (uint32_t k = 0; !date && k < x->ndate_fmts; k++)
            date = x->date_fmts[k] == id;
        x->xf_date[i] = date;
    }
}

/* --- The worksheet -------------------------------------------------------------------------- */

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE_ISO };

struct sheet_state {
    table_row_fn fn;
    void *ctx;
    uint64_t records, row_no;
    bool in_sheetdata, in_row, in_cell, in_v, in_is, in_t;
    int in_rph;
    /* the current cell */
    int col;      /* 0-based */
    int last_col; /* of the previous cell in this row, -1 at the start */
    enum cell_type type;
    bool is_date;
    bool has_value;
    struct text val;
    /* the current row: fields NUL-separated in one buffer */
    struct text row;
    size_t *offs, *lens;
    const char **ptrs;
    int nfields, fcap;
    const char *problem;
    int problem_col;
};

/* "BC12" -> 54 (0-based column); -1 if it does not start with 1..3 letters. */
static int ref_column(const char *r)
{
    int col = 0, n = 0;
    while ((*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z')) {
        if (++n > 3)
            return -1;
        col = col * 26 + ((*r | 0x20) - 'a' + 1);
        r++;
    }
    return n ? col - 1 : -1;
}

/* Column letters for messages ("A", "AB"). */
static void column_name(int col, char out[8])
{
    char tmp[8];
    int n = 0;
    col++;
    while (col > 0 && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static void row_set_problem(struct sheet_state *s, const char *msg, int col)
{
    if (!s->problem) {
        s->problem = msg;
        s->problem_col = col + 1;
    }
}

static void row_push(struct sheet_state *s, const char *v, size_t n)
{
    if (s->nfields == s->fcap) {
        int cap = s->fcap ? s->fcap * 2 : 32;
        if (cap > TABLE_MAX_COLUMNS)
            cap = TABLE_MAX_COLUMNS;
        s->offs = xrealloc(s->offs, (size_t)cap * sizeof *s->offs);
        s->lens = xrealloc(s->lens, (size_t)cap * sizeof *s->lens);
        s->ptrs = xrealloc(s->ptrs, (size_t)cap * sizeof *s->ptrs);
        s->fcap = cap;
    }
    s->offs[s->nfields] = s->row.len;
    s->lens[s->nfields] = n;
    s->nfields++;
    text_add(&s->row, v, n);
    text_add(&s->row, "", 1); /* the NUL separator */
}

/* Formats a number in its shortest round-trip form, in the C locale. */
static void format_number(const struct xlsx *x, double v, char out[32])
{
    locale_t old = uselocale(x->c_loc);
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, v);
        if (strtod_l(out, NULL, x->c_loc) == v)
            break;
    }
    uselocale(old);
}

/* Formats a date serial as "YYYY-MM-DD[ HH:MM:SS]"; false if out of range. Serial 60 of the
 * 1900 system is Lotus 1-2-3's 1900-02-29, which Excel keeps; earlier serials are one day
 * later than a plain count from 1899-12-30 would say. */
static bool format_serial(double v, bool date1904, char out[32])
{
    if (!(v >= 0 && v < XLSX_MAX_DATESERIAL))
        return false;
    double whole = floor(v);
    long secs = lround((v - whole) * 86400.0);
    long serial = (long)whole;
    if (secs >= 86400) {
        serial++;
        secs -= 86400;
    }
    char date[11];
    if (date1904) {
        day_format_iso(day_from_ymd(1904, 1, 1) + (day_t)serial, date);
    } else if (serial == 60) {
        snprintf(date, sizeof date, "1900-02-29");
    } else {
        day_t base = serial < 60 ? day_from_ymd(1899, 12, 31) : day_from_ymd(1899, 12, 30);
        day_format_iso(base + (day_t)serial, date);
    }
    memcpy(out, date, 11);
    if (secs) {
        int parts[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
        char *o = out + 10;
        for (int i = 0; i < 3; i++) {
            *o++ = i ? ':' : ' ';
            *o++ = (char)('0' + parts[i] / 10);
            *o++ = (char)('0' + parts[i] % 10);
        }
        *o = '\0';
    }
    return true;
}

/* Turns the collected cell into its field text and places it in the row. */
static void cell_finish(struct part *c, struct sheet_state *s)
{
    struct xlsx *x = c->x;
    const char *v = s->val.p ? s->val.p : "";
    size_t n = s->val.len;
    char num[32];
    const char *problem = NULL;
    if (!s->has_value || (n == 0 && s->type != CT_ERROR))
        return; /* no value, or an empty one */
    switch (s->type) {
    case CT_SHARED: {
        uint32_t idx;
        if (parse_u32(v, &idx) && idx < x->nss) {
            v = x->ss.p + x->ss_off[idx];
            n = strlen(v);
        } else {
            problem = PROBLEM_SHARED;
            v = "";
            n = 0;
        }
        break;
    }
    case CT_INLINE:
    case CT_STR:
        n = decode_xescapes(s->val.p, n);
        break;
    case CT_BOOL:
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
            v = "1";
        } else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
            v = "0";
        } else {
            problem = PROBLEM_BOOL;
        }
        n = strlen(v);
        break;
    case CT_ERROR:
        problem = PROBLEM_ERROR;
        v = "";
        n = 0;
        break;
    case CT_DATE_ISO:
        /* "2024-01-31" or "2024-01-31T13:45:00": keep the date, and the time if it is not
         * midnight. */
        if (n >= 19 && v[10] == 'T' && strncmp(v + 11, "00:00:00", 8) != 0) {
            snprintf(num, sizeof num, "%.10s %.8s", v, v + 11);
            v = num;
        } else if (n >= 10) {
            snprintf(num, sizeof num, "%.10s", v);
            v = num;
        }
        n = strlen(v);
        break;
    case CT_NUMBER: {
        char *end = NULL;
        double d = strtod_l(v, &end, x->c_loc);
        if (*end || !isfinite(d)) {
            problem = PROBLEM_NUMBER;
        } else if (s->is_date) {
            if (format_serial(d, x->date1904, num))
                v = num;
            else
                problem = PROBLEM_DATE;
        } else {
            format_number(x, d, num);
            v = num;
        }
        n = strlen(v);
        break;
    }
    }
    if (n == 0 && !problem)
        return; /* an empty value does not lengthen the row */
    if (s->col < s->nfields) {
        row_set_problem(s, PROBLEM_ORDER, s->col);
        return;
    }
    if (s->col >= TABLE_MAX_COLUMNS) {
        char cn[8];
        column_name(s->col, cn);
        part_fail(c, ERR_TOO_BIG, _("cel %s%" PRIu64 ": meer dan %d kolommen"), cn, s->row_no,
                  TABLE_MAX_COLUMNS);
        return;
    }
    if (s->row.len + (size_t)(s->col - s->nfields) + n + 1 > TABLE_MAX_RECORD) {
        part_fail(c, ERR_TOO_BIG, _("rij %" PRIu64 " is groter dan %d bytes"), s->row_no,
                  TABLE_MAX_RECORD);
        return;
    }
    while (s->nfields < s->col)
        row_push(s, "", 0);
    row_push(s, v, n);
    if (problem)
        row_set_problem(s, problem, s->col);
}

static void sheet_start(struct part *c, const char *name, const XML_Char **atts)
{
    struct sheet_state *s = c->state;
    if (strcmp(name, "sheetData") == 0) {
        s->in_sheetdata = true;
    } else if (!s->in_sheetdata) {
        return;
    } else if (strcmp(name, "row") == 0) {
        int64_t r;
        const char *rs = attr(atts, "r", false);
        if (rs && str_parse_i64_c(rs, 1, INT32_MAX, &r) == 0)
            s->row_no = (uint64_t)r;
        else
            s->row_no++;
        s->in_row = true;
        s->last_col = -1;
        s->nfields = 0;
        s->row.len = 0;
        s->problem = NULL;
        s->problem_col = 0;
    } else if (strcmp(name, "c") == 0 && s->in_row) {
        const char *r = attr(atts, "r", false), *t = attr(atts, "t", false);
        const char *st = attr(atts, "s", false);
        int col = r ? ref_column(r) : -1;
        /* Without a usable reference the cell follows the previous one. */
        s->col = col >= 0 ? col : s->last_col + 1;
        s->last_col = s->col;
        s->in_cell = true;
        s->has_value = false;
        s->val.len = 0;
        s->type = CT_NUMBER;
        if (t) {
            if (strcmp(t, "s") == 0)
                s->type = CT_SHARED;
            else if (strcmp(t, "inlineStr") == 0)
                s->type = CT_INLINE;
            else if (strcmp(t, "str") == 0)
                s->type = CT_STR;
            else if (strcmp(t, "b") == 0)
                s->type = CT_BOOL;
            else if (strcmp(t, "e") == 0)
                s->type = CT_ERROR;
            else if (strcmp(t, "d") == 0)
                s->type = CT_DATE_ISO;
        }
        uint32_t xf;
        s->is_date = st && parse_u32(st, &xf) && xf < c->x->nxf && c->x->xf_date[xf];
    } else if (!s->in_cell) {
        return;
    } else if (strcmp(name, "v") == 0) {
        s->in_v = true;
        s->has_value = true;
    } else if (strcmp(name, "is") == 0) {
        s->in_is = true;
        s->has_value = true;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(name, "t") == 0 && s->in_is && !s->in_rph) {
        s->in_t = true;
    }
}

static void sheet_text(struct part *c, const char *t, size_t n)
{
    struct sheet_state *s = c->state;
    if (!s->in_v && !s->in_t)
        return;
    if (s->val.len + n > TABLE_MAX_FIELD) {
        char cn[8];
        column_name(s->col, cn);
        part_fail(c, ERR_TOO_BIG, _("cel %s%" PRIu64 " is groter dan %d bytes"), cn, s->row_no,
                  TABLE_MAX_FIELD);
        return;
    }
    text_add(&s->val, t, n);
}

static void sheet_end(struct part *c, const char *name)
{
    struct sheet_state *s = c->state;
    if (strcmp(name, "v") == 0) {
        s->in_v = false;
    } else if (strcmp(name, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        if (s->in_rph)
            s->in_rph--;
    } else if (strcmp(name, "is") == 0) {
        s->in_is = false;
    } else if (strcmp(name, "c") == 0 && s->in_cell) {
        cell_finish(c, s);
        s->in_cell = false;
        s->in_v = s->in_t = s->in_is = false;
        s->in_rph = 0;
    } else if (strcmp(name, "row") == 0 && s->in_row) {
        s->in_row = false;
        s->in_cell = false;
        if (!s->nfields)
            return; /* no values: skipped, like an empty CSV line */
        if (s->records >= c->x->max_records) {
            part_fail(c, ERR_TOO_BIG, _("meer dan %" PRIu64 " rijen"), c->x->max_records);
            return;
        }
        s->records++;
        for (int i = 0; i < s->nfields; i++)
            s->ptrs[i] = s->row.p + s->offs[i];
        struct table_row row = {
            .fields = s->ptrs,
            .lens = s->lens,
            .nfields = s->nfields,
            .record = s->records,
            .line = s->row_no,
            .problem = s->problem,
            .problem_col = s->problem ? s->problem_col : 0,
        };
        int rc = s->fn ? s->fn(s->ctx, &row) : 0;
        if (rc) {
            c->rc = rc;
            XML_StopParser(c->parser, XML_FALSE);
        }
    } else if (strcmp(name, "sheetData") == 0) {
        s->in_sheetdata = false;
    }
}

/* --- The whole workbook --------------------------------------------------------------------- */

static int read_workbook(struct xlsx *x, const struct xlsx_options *o, table_row_fn fn, void *ctx)
{
    struct part c = {0};
    int rc;
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    if (n < 0 || n > XLSX_MAX_ENTRIES)
        return err_set(x->e, ERR_TOO_BIG, NULL, _("het zip-archief heeft meer dan %d onderdelen"),
                       XLSX_MAX_ENTRIES);
    uint64_t declared = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
            declared += st.size;
        if (declared > x->budget)
            return err_set(
                x->e, ERR_TOO_BIG, NULL,
                _("het archief pakt uit tot meer dan %" PRIu64 " bytes, mogelijk een zip-bom"),
                x->budget);
    }

    /* The package relationships say where the workbook part is. */
    snprintf(x->workbook, sizeof x->workbook, "xl/workbook.xml");
    c = (struct part){.on_start = rels_start};
    rc = read_part(x, "_rels/.rels", &c, false);
    if (rc && rc != ERR_NOT_FOUND)
        return rc;
    const struct rel *doc = rel_of_type(x, "/officeDocument");
    if (doc && resolve("", doc->target, x->workbook) != 0)
        snprintf(x->workbook, sizeof x->workbook, "xl/workbook.xml");
    free_rels(x);

    c = (struct part){.on_start = workbook_start};
    if ((rc = read_part(x, x->workbook, &c, true)) != 0)
        return rc;

    char path[XLSX_MAX_PATH], relpath[XLSX_MAX_PATH];
    const char *slash = strrchr(x->workbook, '/');
    int dir = slash ? (int)(slash - x->workbook) + 1 : 0;
    /* xl/workbook.xml -> xl/_rels/workbook.xml.rels */
    const char *base = x->workbook + dir;
    size_t blen = strlen(base);
    if (resolve(x->workbook, "_rels/", relpath) != 0 ||
        strlen(relpath) + 1 + blen + 6 > sizeof relpath)
        return err_set(x->e, ERR_INVALID, NULL, "%s", _("ongeldig pad naar de werkmap"));
    size_t rlen = strlen(relpath);
    relpath[rlen] = '/';
    memcpy(relpath + rlen + 1, base, blen);
    memcpy(relpath + rlen + 1 + blen, ".rels", 6);
    c = (struct part){.on_start = rels_start};
    if ((rc = read_part(x, relpath, &c, true)) != 0)
        return rc;

    /* Shared strings and styles are optional parts. */
    const struct rel *r = rel_of_type(x, "/sharedStrings");
    if (r ? resolve(x->workbook, r->target, path) != 0
          : resolve(x->workbook, "sharedStrings.xml", path) != 0)
        path[0] = '\0';
    struct sst_state sst = {0};
    c = (struct part){.on_start = sst_start, .on_end = sst_end, .on_text = sst_text, .state = &sst};
    rc = path[0] ? read_part(x, path, &c, r != NULL) : ERR_NOT_FOUND;
    free(sst.cur.p);
    if (rc && rc != ERR_NOT_FOUND)
        return rc;

    r = rel_of_type(x, "/styles");
    if (r ? resolve(x->workbook, r->target, path) != 0
          : resolve(x->workbook, "styles.xml", path) != 0)
        path[0] = '\0';
    struct styles_state sty = {0};
    c = (struct part){.on_start = styles_start, .on_end = styles_end, .state = &sty};
    rc = path[0] ? read_part(x, path, &c, r != NULL) : ERR_NOT_FOUND;
    if (rc && rc != ERR_NOT_FOUND)
        return rc;
    resolve_styles(x);

    /* The chosen worksheet: sheets in workbook order whose relationship is a worksheet. */
    int want = o && o->sheet > 0 ? o->sheet : 1, seen = 0;
    const struct rel *target = NULL;
    for (int i = 0; i < x->nsheets && !target; i++) {
        for (int k = 0; k < x->nrels; k++) {
            if (strcmp(x->rels[k].id, x->sheets[i].rid) == 0 &&
                ends_with(x->rels[k].type, "/worksheet")) {
                if (++seen == want)
                    target = &x->rels[k];
                break;
            }
        }
    }
    if (!target) {
        if (!seen)
            return err_set(x->e, ERR_INVALID, NULL, _("%s: de werkmap bevat geen werkblad"),
                           x->workbook);
        return err_set(x->e, ERR_NOT_FOUND, NULL,
                       _("werkblad %d bestaat niet: de werkmap heeft %d werkbladen"), want, seen);
    }
    if (resolve(x->workbook, target->target, path) != 0)
        return err_set(x->e, ERR_INVALID, NULL, _("%s: ongeldig pad naar het werkblad"), relpath);

    struct sheet_state sh = {.fn = fn, .ctx = ctx};
    c = (struct part){
        .on_start = sheet_start, .on_end = sheet_end, .on_text = sheet_text, .state = &sh};
    rc = read_part(x, path, &c, true);
    free(sh.val.p);
    free(sh.row.p);
    free(sh.offs);
    free(sh.lens);
    free(sh.ptrs);
    return rc;
}

static int read_archive(zip_t *za, const struct xlsx_options *o, table_row_fn fn, void *ctx,
                        struct err_ctx *e)
{
    struct xlsx x = {
        .za = za,
        .e = e,
        .budget = o && o->max_uncompressed ? o->max_uncompressed : XLSX_MAX_UNCOMPRESSED,
        .max_records = o && o->max_records ? o->max_records : TABLE_MAX_RECORDS,
    };
    x.c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!x.c_loc)
        return err_set(e, ERR_NOMEM, NULL, "%s", _("onvoldoende geheugen"));
    int rc = read_workbook(&x, o, fn, ctx);
    freelocale(x.c_loc);
    for (int i = 0; i < x.nsheets; i++) {
        free(x.sheets[i].name);
        free(x.sheets[i].rid);
    }
    free(x.sheets);
    free_rels(&x);
    free(x.ss.p);
    free(x.ss_off);
    free(x.xf_fmt);
    free(x.date_fmts);
    free(x.xf_date);
    return rc;
}

static int open_failed(struct err_ctx *e, zip_error_t *ze)
{
    int code = zip_error_code_zip(ze);
    int rc;
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_SEEK || code == ZIP_ER_NOENT)
        rc = err_set(e, ERR_IO, NULL, _("het bestand kan niet worden gelezen (%s)"),
                     zip_error_strerror(ze));
    else
        rc = err_set(e, ERR_INVALID, NULL,
                     _("dit is geen geldig Excel-bestand (.xlsx): het zip-archief is onleesbaar "
                       "(%s)"),
                     zip_error_strerror(ze));
    zip_error_fini(ze);
    return rc;
}

int xlsx_read_file(const char *path, const struct xlsx_options *o, table_row_fn fn, void *ctx,
                   struct err_ctx *e)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        return open_failed(e, &ze);
    }
    int rc = read_archive(za, o, fn, ctx, e);
    zip_discard(za);
    return rc;
}

int xlsx_read_memory(const void *data, size_t n, const struct xlsx_options *o, table_row_fn fn,
                     void *ctx, struct err_ctx *e)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(n ? data : "", n, 0, &ze);
    if (!src)
        return open_failed(e, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        zip_source_free(src);
        return open_failed(e, &ze);
    }
    zip_error_fini(&ze);
    int rc = read_archive(za, o, fn, ctx, e);
    zip_discard(za); /* also frees src */
    return rc;
}

int xlsx_looks_like_zip(const void *data, size_t n)
{
    return n >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}
