/*
 * message.c: reading one iJw 3.2 / iWmo 3.2 standard message. Parses with libxml2 under hard
 * limits (no DTD at all, no network, size and depth caps), picks the message by the root
 * element's namespace, validates it against the official XSD compiled once from the embedded
 * resources, reports findings as line / element / Dutch reason, and extracts only the fields
 * duiding needs (never names, addresses or contact data).
 */
#include "ingest/message.h"

/* libxml2 before core/common.h: its headers mention identifiers that common.h poisons. */
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <pthread.h>

#include "core/common.h"
#include "core/log.h"
#include "core/resource.h"
#include "core/xalloc.h"

/* Base URI of embedded XSDs. Relative imports resolve against it, so schemaLocation=
 * "basisschema.xsd" becomes RES_SCHEME "data/xsd/ijw-3.2/basisschema.xsd"; the entity loader
 * below serves exactly those names from the binary and refuses everything else. */
#define RES_SCHEME "duiding-resource:///"

/* libxml2 options for messages: no network, line numbers above 65535, CDATA as text. Never
 * NOENT, DTDLOAD, DTDVALID or HUGE; a DOCTYPE is refused outright (sax_doctype). */
#define MSG_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

/* A parser context is reused per thread; renewed now and then so that its dictionary (which
 * interns element names from untrusted input) cannot grow without bound. */
#define PARSER_CTXT_USES 512

#define TEXT_MAX 256 /* longest simple value we read (every field we keep is far shorter) */

/* ---- The shipped schemas. -------------------------------------------------------------------- */

struct schema_def {
    enum law law;
    int number;
    const char *folder; /* resource folder; imports must stay inside it */
    const char *file;
};

static const struct schema_def schema_defs[] = {
    {LAW_JW, 301, "data/xsd/ijw-3.2/", "JW301.xsd"},
    {LAW_JW, 302, "data/xsd/ijw-3.2/", "JW302.xsd"},
    {LAW_JW, 305, "data/xsd/ijw-3.2/", "JW305.xsd"},
    {LAW_JW, 306, "data/xsd/ijw-3.2/", "JW306.xsd"},
    {LAW_JW, 307, "data/xsd/ijw-3.2/", "JW307.xsd"},
    {LAW_JW, 308, "data/xsd/ijw-3.2/", "JW308.xsd"},
    {LAW_JW, 315, "data/xsd/ijw-3.2/", "JW315.xsd"},
    {LAW_JW, 316, "data/xsd/ijw-3.2/", "JW316.xsd"},
    {LAW_JW, 317, "data/xsd/ijw-3.2/", "JW317.xsd"},
    {LAW_JW, 318, "data/xsd/ijw-3.2/", "JW318.xsd"},
    {LAW_JW, 319, "data/xsd/ijw-3.2/", "JW319.xsd"},
    {LAW_JW, 320, "data/xsd/ijw-3.2/", "JW320.xsd"},
    {LAW_JW, 323, "data/xsd/ijw-3.2/", "JW323.xsd"},
    {LAW_JW, 325, "data/xsd/ijw-3.2/", "JW325.xsd"},
    {LAW_WMO, 301, "data/xsd/iwmo-3.2/", "WMO301.xsd"},
    {LAW_WMO, 305, "data/xsd/iwmo-3.2/", "WMO305.xsd"},
    {LAW_WMO, 307, "data/xsd/iwmo-3.2/", "WMO307.xsd"},
    {LAW_WMO, 315, "data/xsd/iwmo-3.2/", "WMO315.xsd"},
    {LAW_WMO, 317, "data/xsd/iwmo-3.2/", "WMO317.xsd"},
    {LAW_WMO, 319, "data/xsd/iwmo-3.2/", "WMO319.xsd"},
    {LAW_WMO, 323, "data/xsd/iwmo-3.2/", "WMO323.xsd"},
};

#define NSCHEMAS ARRAY_LEN(schema_defs)

/* Message numbers of release 3.2 (both standards; iWmo 3.2 ships no XSD for return messages). */
static const int release_numbers[] = {301, 302, 305, 306, 307, 308, 315,
                                      316, 317, 318, 319, 320, 323, 325};

struct msg_schemas {
    xmlSchemaPtr schema[NSCHEMAS];
    xmlDocPtr doc[NSCHEMAS]; /* compiled schemas point into their source documents */
};

static pthread_mutex_t schemas_lock = PTHREAD_MUTEX_INITIALIZER;
static struct msg_schemas *schemas_global; /* guarded by schemas_lock */
static int schemas_refs;                   /* guarded by schemas_lock */
static const char *loading_folder;         /* guarded by schemas_lock, set while compiling */
static char load_error[ERR_MSG_MAX];       /* guarded by schemas_lock */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t parser_key;

static void parser_key_free(void *p)
{
    xmlFreeParserCtxt(p);
}

static void init_libxml(void)
{
    xmlInitParser(); /* must run once before threads use libxml2 */
    if (pthread_key_create(&parser_key, parser_key_free) != 0)
        abort();
}

/* Serves the embedded basisschema of the folder being compiled; refuses any other URL, so no
 * file, network or other resource is ever read while compiling. */
static xmlParserInputPtr embedded_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    UNUSED(id);
    size_t plen = strlen(RES_SCHEME);
    if (url && loading_folder && strncmp(url, RES_SCHEME, plen) == 0) {
        const char *name = url + plen;
        size_t flen = strlen(loading_folder);
        if (strncmp(name, loading_folder, flen) == 0 &&
            strcmp(name + flen, "basisschema.xsd") == 0) {
            const struct resource *r = resource_find(name);
            if (r && r->len <= INT_MAX) {
                xmlParserInputBufferPtr buf = xmlParserInputBufferCreateMem(
                    (const char *)r->data, (int)r->len, XML_CHAR_ENCODING_NONE);
                if (!buf)
                    return NULL;
                xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
                if (!in) {
                    xmlFreeParserInputBuffer(buf);
                    return NULL;
                }
                in->filename = (const char *)xmlStrdup((const xmlChar *)url);
                return in;
            }
        }
    }
    snprintf(load_error, sizeof load_error,
             "XSD verwijst naar een niet-meegeleverd bestand: %.100s", url ? url : "(leeg)");
    return NULL;
}

/* First compile error, kept for the caller (CLI/log text, not user input). */
static void on_schema_error(void *ctx, xmlErrorPtr e)
{
    UNUSED(ctx);
    if (e && e->level >= XML_ERR_ERROR && !load_error[0])
        snprintf(load_error, sizeof load_error, "%s:%d: %s", e->file ? e->file : "xsd", e->line,
                 e->message ? e->message : "?");
}

static void schemas_destroy(struct msg_schemas *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < NSCHEMAS; i++) {
        if (s->schema[i])
            xmlSchemaFree(s->schema[i]);
        if (s->doc[i])
            xmlFreeDoc(s->doc[i]);
    }
    free(s);
}

/* Compiles one message XSD from its embedded resource. Caller holds schemas_lock. */
static int compile_one(struct msg_schemas *s, size_t i)
{
    const struct schema_def *d = &schema_defs[i];
    char name[64], url[96];
    snprintf(name, sizeof name, "%s%s", d->folder, d->file);
    snprintf(url, sizeof url, "%s%s", RES_SCHEME, name);
    const struct resource *r = resource_find(name);
    if (!r || r->len > INT_MAX) {
        snprintf(load_error, sizeof load_error, "XSD %s ontbreekt in de binary", name);
        return ERR_INTERNAL;
    }
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return ERR_NOMEM;
    pc->sax->serror = on_schema_error;
    s->doc[i] =
        xmlCtxtReadMemory(pc, (const char *)r->data, (int)r->len, url, NULL, XML_PARSE_NONET);
    xmlFreeParserCtxt(pc);
    if (!s->doc[i]) {
        if (!load_error[0])
            snprintf(load_error, sizeof load_error, "XSD %s is geen XML", name);
        return ERR_INTERNAL;
    }
    xmlSchemaParserCtxtPtr sp = xmlSchemaNewDocParserCtxt(s->doc[i]);
    if (!sp)
        return ERR_NOMEM;
    xmlSchemaSetParserStructuredErrors(sp, on_schema_error, NULL);
    loading_folder = d->folder;
    s->schema[i] = xmlSchemaParse(sp);
    loading_folder = NULL;
    xmlSchemaFreeParserCtxt(sp);
    if (!s->schema[i]) {
        if (!load_error[0])
            snprintf(load_error, sizeof load_error, "XSD %s compileert niet", name);
        return ERR_INTERNAL;
    }
    return 0;
}

int msg_schemas_load(struct msg_schemas **out, struct err_ctx *e)
{
    pthread_once(&init_once, init_libxml);
    pthread_mutex_lock(&schemas_lock);
    if (schemas_global) {
        schemas_refs++;
        *out = schemas_global;
        pthread_mutex_unlock(&schemas_lock);
        return 0;
    }
    struct msg_schemas *s = xcalloc(1, sizeof *s);
    load_error[0] = '\0';
    /* The loader is process-wide in libxml2: install ours only while compiling. Silence the
     * generic error channel of this thread too (imports are parsed by libxml2 itself). */
    xmlExternalEntityLoader prev = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(embedded_loader);
    xmlSetStructuredErrorFunc(NULL, on_schema_error);
    int ret = 0;
    for (size_t i = 0; i < NSCHEMAS && ret == 0; i++)
        ret = compile_one(s, i);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetExternalEntityLoader(prev);
    if (ret < 0) {
        err_set(e, ERR_INTERNAL, NULL, "iStandaarden-XSD's laden mislukt: %s", load_error);
        log_error("msg.schemas", "error", load_error, NULL);
        schemas_destroy(s);
        pthread_mutex_unlock(&schemas_lock);
        *out = NULL;
        return ERR_INTERNAL;
    }
    schemas_global = s;
    schemas_refs = 1;
    *out = s;
    pthread_mutex_unlock(&schemas_lock);
    return 0;
}

void msg_schemas_free(struct msg_schemas *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&schemas_lock);
    if (s == schemas_global && --schemas_refs == 0) {
        schemas_destroy(s);
        schemas_global = NULL;
    }
    pthread_mutex_unlock(&schemas_lock);
}

static int schema_index(enum law law, int number)
{
    for (size_t i = 0; i < NSCHEMAS; i++)
        if (schema_defs[i].law == law && schema_defs[i].number == number)
            return (int)i;
    return -1;
}

/* ---- Per-call state and findings. ------------------------------------------------------------ */

struct read_state {
    struct msg *m;
    struct arena *a;
    int depth;
    bool doctype, too_deep, nomem;
    uint32_t stop_line;
};

/* The state of the msg_read running on this thread, for the SAX and error callbacks. */
static _Thread_local struct read_state *tl_state;

/* Cuts a string back to whole UTF-8 characters after snprintf truncation. */
static void utf8_fix_tail(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

/* Bytes of s up to max that end on a character boundary. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static void add_issue(struct read_state *st, uint32_t line, const char *element, const char *fmt,
                      ...) ATTR_PRINTF(4, 5);

static void add_issue(struct read_state *st, uint32_t line, const char *element, const char *fmt,
                      ...)
{
    struct msg *m = st->m;
    if (m->nissues >= MSG_MAX_ISSUES)
        return;
    if (!m->issues) {
        m->issues = arena_calloc(st->a, MSG_MAX_ISSUES, sizeof *m->issues);
        if (!m->issues) {
            st->nomem = true;
            return;
        }
    }
    struct msg_issue *is = &m->issues[m->nissues++];
    is->line = line;
    snprintf(is->element, sizeof is->element, "%s", element ? element : "");
    utf8_fix_tail(is->element);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->reason, sizeof is->reason, fmt, ap);
    va_end(ap);
    for (char *c = is->reason; *c; c++) /* values may hold line breaks: keep findings one line */
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    utf8_fix_tail(is->reason);
}

/* Elements whose values are personal data: findings name the element but never echo the value,
 * because findings are stored and shown. */
static bool value_is_personal(const char *element)
{
    static const char *const personal[] = {
        "Bsn",
        "Achternaam",
        "Voorvoegsel",
        "Voornamen",
        "Voorletters",
        "Postcode",
        "Straatnaam",
        "Huisnummer",
        "Huisletter",
        "HuisnummerToevoeging",
        "AanduidingWoonadres",
        "Plaatsnaam",
        "Telefoonnummer",
        "Landnummer",
        "Emailadres",
        "Commentaar",
        "Organisatie",
        "Naam",
        "Taal",
        "Datum",
        "Toelichting",
        "NaamVerwijzer",
    };
    for (size_t i = 0; i < ARRAY_LEN(personal); i++)
        if (strcmp(element, personal[i]) == 0)
            return true;
    return false;
}

/* Copies src into dst removing "{namespace}" parts: "( {ns}A, {ns}B )" -> "( A, B )". */
static void strip_namespaces(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (src[i] == '{') {
            while (i < n && src[i] != '}')
                i++;
            continue;
        }
        dst[o++] = src[i];
    }
    dst[o] = '\0';
}

/* The "Expected is ( ... )" list of a content-model error, without namespaces; "" if none. */
static void expected_list(const char *msg, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(msg, "Expected is ");
    if (!p)
        return;
    p = strchr(p, '(');
    const char *q = p ? strrchr(p, ')') : NULL;
    if (!p || !q || q <= p)
        return;
    strip_namespaces(out, cap, p + 1, (size_t)(q - p - 1));
    /* trim */
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    size_t lead = strspn(out, " ");
    memmove(out, out + lead, n - lead + 1);
}

/* The local name of the type in "... of the atomic type '{ns}LDT_Datum'." */
static void type_name(const char *msg, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(msg, "type '");
    if (!p)
        return;
    p += 6;
    const char *q = strchr(p, '\'');
    if (!q)
        return;
    const char *brace = memchr(p, '}', (size_t)(q - p));
    if (brace)
        p = brace + 1;
    size_t len = (size_t)(q - p) < cap - 1 ? (size_t)(q - p) : cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

/* "'02', '20', '31'" -> "02, 20, 31" */
static void unquote_set(const char *src, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = src; *p && o + 1 < cap; p++)
        if (*p != '\'')
            out[o++] = *p;
    out[o] = '\0';
}

/* The English message without libxml2's "Element '{ns}X': " prefix and trailing newline. */
static void english_text(const char *msg, char *out, size_t cap)
{
    const char *p = msg ? msg : "";
    if (strncmp(p, "Element '", 9) == 0) {
        const char *q = strstr(p, "': ");
        if (q)
            p = q + 3;
    }
    strip_namespaces(out, cap, p, strlen(p));
    for (char *c = out; *c; c++) /* one line: findings end up in logs and tables */
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
}

/* One schema validation finding in Dutch, keeping values (unless personal) and names. */
static void on_valid_error(void *ctx, xmlErrorPtr e)
{
    UNUSED(ctx);
    struct read_state *st = tl_state;
    if (!st || !e || e->level < XML_ERR_ERROR)
        return;
    const char *el = "";
    uint32_t line = e->line > 0 ? (uint32_t)e->line : 0;
    xmlNodePtr node = e->node;
    if (node && (node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE) &&
        node->name) {
        el = (const char *)node->name;
        long l = xmlGetLineNo(node);
        if (l > 0)
            line = (uint32_t)l;
    }
    bool hide = value_is_personal(el);
    const char *s1 = e->str1 ? e->str1 : "", *s2 = e->str2 ? e->str2 : "";
    /* "Waarde '99' van RedenBeeindiging", or without the value for personal data */
    char subj[sizeof((struct msg_issue *)0)->reason];
    if (hide) {
        snprintf(subj, sizeof subj, _("Waarde van %s (niet getoond)"), el);
    } else {
        size_t cut = utf8_prefix(s1, 60);
        snprintf(subj, sizeof subj, _("Waarde '%.*s%s' van %s"), (int)cut, s1, s1[cut] ? "..." : "",
                 el);
    }
    utf8_fix_tail(subj);
    const char *msg = e->message ? e->message : "";
    char list[200], tname[64];

    switch (e->code) {
    case XML_SCHEMAV_CVC_PATTERN_VALID:
        add_issue(st, line, el, _("%s voldoet niet aan het patroon %s"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_ENUMERATION_VALID:
        unquote_set(s2, list, sizeof list);
        add_issue(st, line, el, _("%s staat niet in de codelijst (toegestaan: %s)"), subj, list);
        return;
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3:
        type_name(msg, tname, sizeof tname);
        if (strstr(tname, "Datum") || strcmp(tname, "date") == 0)
            add_issue(st, line, el, _("%s is geen geldige datum (JJJJ-MM-DD)"), subj);
        else if (strstr(tname, "Tijd") || strcmp(tname, "time") == 0)
            add_issue(st, line, el, _("%s is geen geldige tijd (UU:MM:SS)"), subj);
        else if (strstr(tname, "Nummer") || strcmp(tname, "integer") == 0)
            add_issue(st, line, el, _("%s is geen geldig geheel getal"), subj);
        else
            add_issue(st, line, el, _("%s past niet bij type %s"), subj, tname[0] ? tname : "?");
        return;
    case XML_SCHEMAV_CVC_LENGTH_VALID:
        add_issue(st, line, el, _("Waarde van %s heeft lengte %s; vereist is precies %s"), el, s1,
                  s2);
        return;
    case XML_SCHEMAV_CVC_MINLENGTH_VALID:
        add_issue(st, line, el, _("Waarde van %s is te kort: %s tekens, minimaal %s"), el, s1, s2);
        return;
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
        add_issue(st, line, el, _("Waarde van %s is te lang: %s tekens, maximaal %s"), el, s1, s2);
        return;
    case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
        add_issue(st, line, el, _("%s is kleiner dan het minimum %s"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
        add_issue(st, line, el, _("%s is groter dan het maximum %s"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
        add_issue(st, line, el, _("%s moet groter zijn dan %s"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID:
        add_issue(st, line, el, _("%s moet kleiner zijn dan %s"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_TOTALDIGITS_VALID:
        add_issue(st, line, el, _("%s heeft te veel cijfers (maximaal %s)"), subj, s2);
        return;
    case XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID:
        add_issue(st, line, el, _("%s heeft te veel decimalen (maximaal %s)"), subj, s2);
        return;
    case XML_SCHEMAV_ELEMENT_CONTENT:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
        expected_list(msg, list, sizeof list);
        if (strstr(msg, "Missing child element")) {
            add_issue(st, line, el, _("Verplicht element ontbreekt in %s; verwacht: %s"), el,
                      list[0] ? list : "?");
        } else if (list[0]) {
            add_issue(st, line, el, _("Element %s wordt hier niet verwacht; verwacht: %s"), el,
                      list);
        } else {
            add_issue(st, line, el,
                      _("Element %s wordt hier niet verwacht (hier mag geen element meer staan)"),
                      el);
        }
        return;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
        add_issue(st, line, el, _("Element %s mag geen tekst bevatten, alleen elementen"), el);
        return;
    case XML_SCHEMAV_CVC_TYPE_3_1_2:
        add_issue(st, line, el, _("Element %s mag geen onderliggende elementen bevatten"), el);
        return;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
        add_issue(st, line, el, _("Element %s moet leeg zijn"), el);
        return;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
        add_issue(st, line, el, _("Attribuut '%s' is niet toegestaan op %s"), s1, el);
        return;
    case XML_SCHEMAV_CVC_ELT_1:
        add_issue(st, line, el, _("Root-element %s komt niet voor in het XSD van dit bericht"), el);
        return;
    case XML_SCHEMAV_DOCUMENT_ELEMENT_MISSING:
        add_issue(st, line, el, _("Bericht heeft geen root-element"));
        return;
    default:
        break;
    }
    if (hide) {
        add_issue(st, line, el, _("Waarde van %s is ongeldig volgens het XSD"), el);
        return;
    }
    char text[sizeof((struct msg_issue *)0)->reason];
    english_text(msg, text, sizeof text);
    add_issue(st, line, el, "%s", text);
}

/* Parser errors (not well-formed, namespace errors). Warnings are ignored. */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
    UNUSED(ctx);
    struct read_state *st = tl_state;
    if (!st || !e || e->level < XML_ERR_ERROR)
        return;
    if (e->code == XML_ERR_USER_STOP || st->doctype || st->too_deep)
        return; /* our own stop: reported with our own reason */
    char text[sizeof((struct msg_issue *)0)->reason];
    english_text(e->message, text, sizeof text);
    add_issue(st, e->line > 0 ? (uint32_t)e->line : 0, "",
              _("Bericht is geen goed gevormde XML: %s"), text);
}

/* ---- SAX hooks: refuse a DOCTYPE before its declarations are read; cap the depth. ------------ */

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                        const xmlChar *sys_id)
{
    UNUSED(name);
    UNUSED(ext_id);
    UNUSED(sys_id);
    xmlParserCtxtPtr c = ctx;
    if (tl_state) {
        tl_state->doctype = true;
        tl_state->stop_line = (uint32_t)xmlSAX2GetLineNumber(ctx);
    }
    xmlStopParser(c);
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    struct read_state *st = tl_state;
    if (st && ++st->depth > MSG_MAX_DEPTH) {
        st->too_deep = true;
        st->stop_line = (uint32_t)xmlSAX2GetLineNumber(ctx);
        xmlStopParser(ctx);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    if (tl_state)
        tl_state->depth--;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* This thread's parser context with our hooks, made on first use and renewed periodically. */
static xmlParserCtxtPtr thread_parser(void)
{
    static _Thread_local unsigned uses;
    xmlParserCtxtPtr c = pthread_getspecific(parser_key);
    if (c && ++uses >= PARSER_CTXT_USES) {
        xmlFreeParserCtxt(c);
        c = NULL;
    }
    if (!c) {
        c = xmlNewParserCtxt();
        if (!c)
            return NULL;
        c->sax->internalSubset = sax_doctype;
        c->sax->startElementNs = sax_start;
        c->sax->endElementNs = sax_end;
        c->sax->serror = on_parse_error;
        if (pthread_setspecific(parser_key, c) != 0) {
            xmlFreeParserCtxt(c);
            return NULL;
        }
        uses = 0;
    }
    return c;
}

/* ---- Which message is this? ------------------------------------------------------------------ */

enum ns_verdict { NS_FOREIGN, NS_OTHER_RELEASE, NS_UNKNOWN_TYPE, NS_OK };

struct ns_info {
    enum law law;
    int number;
    char release[8];
};

/* Reads "http://www.istandaarden.nl/<ijw|iwmo>/<M_m>/<jwNNN|wmoNNN>/schema[...]". */
static enum ns_verdict classify_ns(const char *ns, struct ns_info *info)
{
    static const char base[] = "http://www.istandaarden.nl/";
    memset(info, 0, sizeof *info);
    if (!ns || strncmp(ns, base, sizeof base - 1) != 0)
        return NS_FOREIGN;
    const char *p = ns + sizeof base - 1;
    const char *prefix;
    if (strncmp(p, "ijw/", 4) == 0) {
        info->law = LAW_JW;
        prefix = "jw";
        p += 4;
    } else if (strncmp(p, "iwmo/", 5) == 0) {
        info->law = LAW_WMO;
        prefix = "wmo";
        p += 5;
    } else {
        return NS_FOREIGN;
    }
    /* release "M_m" */
    size_t i = 0;
    while (p[i] && p[i] != '/' && i < 6)
        i++;
    if (p[i] != '/' || i < 3)
        return NS_FOREIGN;
    char rel[8];
    for (size_t k = 0; k < i; k++) {
        char ch = p[k];
        if (!((ch >= '0' && ch <= '9') || ch == '_'))
            return NS_FOREIGN;
        rel[k] = ch == '_' ? '.' : ch;
    }
    rel[i] = '\0';
    memcpy(info->release, rel, i + 1);
    p += i + 1;
    size_t pl = strlen(prefix);
    if (strncmp(p, prefix, pl) != 0)
        return strcmp(info->release, "3.2") == 0 ? NS_UNKNOWN_TYPE : NS_OTHER_RELEASE;
    p += pl;
    int num = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        num = num * 10 + (*p - '0');
        p++;
        digits++;
    }
    info->number = digits == 3 ? num : 0;
    if (strcmp(info->release, "3.2") != 0)
        return NS_OTHER_RELEASE;
    if (digits != 3 || strcmp(p, "/schema") != 0)
        return NS_UNKNOWN_TYPE;
    for (size_t k = 0; k < ARRAY_LEN(release_numbers); k++)
        if (release_numbers[k] == num)
            return NS_OK;
    return NS_UNKNOWN_TYPE;
}

/* ---- Extraction from a valid document. ------------------------------------------------------- */

static bool is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static uint32_t node_line(xmlNodePtr n)
{
    long l = xmlGetLineNo(n);
    return l > 0 ? (uint32_t)l : 0;
}

/* The text of a simple element, trimmed of XML white space, into buf. False (with a finding)
 * if it does not fit. */
static bool text_of(struct read_state *st, xmlNodePtr n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        const char *t = (const char *)c->content;
        size_t tl = t ? strlen(t) : 0;
        if (len + tl >= cap) {
            add_issue(st, node_line(n), (const char *)n->name,
                      _("Waarde van %s is te lang om te lezen"), (const char *)n->name);
            return false;
        }
        memcpy(buf + len, t, tl);
        len += tl;
    }
    buf[len] = '\0';
    size_t a = 0;
    while (a < len && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\n' || buf[a] == '\r'))
        a++;
    while (len > a && (buf[len - 1] == ' ' || buf[len - 1] == '\t' || buf[len - 1] == '\n' ||
                       buf[len - 1] == '\r'))
        len--;
    memmove(buf, buf + a, len - a);
    buf[len - a] = '\0';
    return true;
}

/* Copies the trimmed text of n into a fixed field; a value that does not fit (the XSD counts
 * characters, we store bytes) is a finding. Absent element: field stays "". */
static bool get_str(struct read_state *st, xmlNodePtr n, char *dst, size_t cap)
{
    dst[0] = '\0';
    if (!n)
        return true;
    char buf[TEXT_MAX];
    if (!text_of(st, n, buf, sizeof buf))
        return false;
    size_t len = strlen(buf);
    if (len >= cap) {
        add_issue(st, node_line(n), (const char *)n->name,
                  _("Waarde van %s is langer dan duiding kan bewaren (%zu bytes, maximaal %zu)"),
                  (const char *)n->name, len, cap - 1);
        return false;
    }
    memcpy(dst, buf, len + 1);
    return true;
}

static bool get_date(struct read_state *st, xmlNodePtr n, day_t *out)
{
    *out = DAY_NONE;
    if (!n)
        return true;
    char buf[TEXT_MAX];
    if (!text_of(st, n, buf, sizeof buf))
        return false;
    if (str_parse_date_iso(str_from(buf), out) != 0) {
        *out = DAY_NONE;
        add_issue(st, node_line(n), (const char *)n->name,
                  _("Datum '%s' van %s valt buiten het bereik dat duiding leest"), buf,
                  (const char *)n->name);
        return false;
    }
    return true;
}

/* xs:integer in [lo, hi]: the XSD allows a leading '+' and leading zeros. */
static bool get_int(struct read_state *st, xmlNodePtr n, int64_t lo, int64_t hi, int64_t *out)
{
    if (!n)
        return true;
    char buf[TEXT_MAX];
    if (!text_of(st, n, buf, sizeof buf))
        return false;
    const char *p = buf[0] == '+' ? buf + 1 : buf;
    if (str_parse_i64_c(p, lo, hi, out) != 0) {
        add_issue(st, node_line(n), (const char *)n->name,
                  _("Waarde '%s' van %s is geen getal tussen %" PRId64 " en %" PRId64), buf,
                  (const char *)n->name, lo, hi);
        return false;
    }
    return true;
}

static const char *product_list_name(enum msg_kind k)
{
    switch (k) {
    case MSG_KIND_301:
        return "ToegewezenProducten";
    case MSG_KIND_305:
        return "StartProducten";
    case MSG_KIND_307:
        return "StopProducten";
    case MSG_KIND_315:
        return "AangevraagdeProducten";
    default:
        return "";
    }
}

static const char *product_name(enum msg_kind k)
{
    switch (k) {
    case MSG_KIND_301:
        return "ToegewezenProduct";
    case MSG_KIND_305:
        return "StartProduct";
    case MSG_KIND_307:
        return "StopProduct";
    case MSG_KIND_315:
        return "AangevraagdProduct";
    default:
        return "";
    }
}

static bool extract_product(struct read_state *st, enum msg_kind kind, xmlNodePtr pn,
                            struct msg_product *p)
{
    bool ok = true;
    memset(p, 0, sizeof *p);
    p->line = node_line(pn);
    p->assignment_nr = -1;
    p->date_assigned = p->valid_from = p->valid_to = p->start = p->end = DAY_NONE;
    ok &= get_int(st, child(pn, "ToewijzingNummer"), 0, 999999999, &p->assignment_nr);
    xmlNodePtr prod = child(pn, "Product");
    ok &= get_str(st, child(prod, "Categorie"), p->category, sizeof p->category);
    ok &= get_str(st, child(prod, "Code"), p->product_code, sizeof p->product_code);
    ok &= get_str(st, child(pn, "ReferentieAanbieder"), p->reference, sizeof p->reference);
    switch (kind) {
    case MSG_KIND_301:
        ok &= get_date(st, child(pn, "Toewijzingsdatum"), &p->date_assigned);
        ok &= get_date(st, child(pn, "Ingangsdatum"), &p->valid_from);
        ok &= get_date(st, child(pn, "Einddatum"), &p->valid_to);
        ok &= get_str(st, child(pn, "RedenWijziging"), p->change_reason, sizeof p->change_reason);
        break;
    case MSG_KIND_305:
    case MSG_KIND_307: {
        ok &= get_date(st, child(pn, "ToewijzingIngangsdatum"), &p->valid_from);
        ok &= get_date(st, child(pn, "Begindatum"), &p->start);
        if (kind == MSG_KIND_307) {
            ok &= get_date(st, child(pn, "Einddatum"), &p->end);
            ok &= get_str(st, child(pn, "RedenBeeindiging"), p->end_reason, sizeof p->end_reason);
        }
        int64_t status = 0;
        ok &= get_int(st, child(pn, "StatusAanlevering"), 0, 9, &status);
        p->status = (int)status;
        break;
    }
    case MSG_KIND_315:
        ok &= get_date(st, child(pn, "ToewijzingIngangsdatum"), &p->valid_from);
        ok &= get_date(st, child(pn, "ToewijzingEinddatum"), &p->valid_to);
        ok &= get_str(st, child(child(pn, "Verwijzer"), "Type"), p->referrer, sizeof p->referrer);
        break;
    default:
        break;
    }
    return ok;
}

/* The first 4 digits of the client's own first Dutch address (Contactgegevens, not the
 * relations'). A foreign address (LandCode other than NL) gives "": its digits would be read
 * as a Dutch area. */
static void extract_postcode(struct read_state *st, xmlNodePtr client, char out[static 5])
{
    out[0] = '\0';
    for (xmlNodePtr c =
             child(client, "Contactgegevens") ? child(client, "Contactgegevens")->children : NULL;
         c; c = c->next) {
        if (!is_el(c, "Contact"))
            continue;
        xmlNodePtr adres = child(c, "Adres");
        xmlNodePtr pc = child(adres, "Postcode");
        if (!pc)
            continue;
        char land[8], buf[TEXT_MAX];
        xmlNodePtr lc = child(adres, "LandCode");
        if (lc && (!text_of(st, lc, land, sizeof land) || strcmp(land, "NL") != 0))
            return;
        if (!text_of(st, pc, buf, sizeof buf))
            return;
        if (buf[0] >= '1' && buf[0] <= '9' && buf[1] >= '0' && buf[1] <= '9' && buf[2] >= '0' &&
            buf[2] <= '9' && buf[3] >= '0' && buf[3] <= '9') {
            memcpy(out, buf, 4);
            out[4] = '\0';
        }
        return;
    }
}

static bool extract(struct read_state *st, xmlNodePtr root)
{
    struct msg *m = st->m;
    bool ok = true;
    xmlNodePtr hdr = child(root, "Header");
    int64_t code = 0;
    ok &= get_int(st, child(hdr, "BerichtCode"), 0, 999, &code);
    m->bericht_code = (int)code;
    ok &= get_str(st, child(hdr, "Afzender"), m->sender, sizeof m->sender);
    ok &= get_str(st, child(hdr, "Ontvanger"), m->receiver, sizeof m->receiver);
    xmlNodePtr bid = child(hdr, "BerichtIdentificatie");
    ok &= get_str(st, child(bid, "Identificatie"), m->ident, sizeof m->ident);
    ok &= get_date(st, child(bid, "Dagtekening"), &m->dagtekening);
    /* One side is a 4-digit CBS gemeente code, the other an 8-digit AGB code (XSD patterns). */
    if (strlen(m->sender) == 4) {
        memcpy(m->gemeente, m->sender, 5);
        snprintf(m->agb, sizeof m->agb, "%s", m->receiver);
    } else {
        if (strlen(m->receiver) == 4)
            memcpy(m->gemeente, m->receiver, 5);
        snprintf(m->agb, sizeof m->agb, "%s", m->sender);
    }

    xmlNodePtr client = child(root, "Client");
    ok &= get_str(st, child(client, "Bsn"), m->client.bsn, sizeof m->client.bsn);
    ok &= get_date(st, child(child(client, "Geboortedatum"), "Datum"), &m->client.birth_date);
    char g[4];
    ok &= get_str(st, child(client, "Geslacht"), g, sizeof g);
    m->client.gender = g[0];
    extract_postcode(st, client, m->client.postcode4);

    xmlNodePtr list = child(client, product_list_name(m->kind));
    const char *pname = product_name(m->kind);
    int n = 0;
    for (xmlNodePtr c = list ? list->children : NULL; c; c = c->next)
        if (is_el(c, pname))
            n++;
    if (n > MSG_MAX_PRODUCTS) {
        add_issue(st, node_line(list), pname,
                  _("Bericht bevat %d producten; duiding leest er maximaal %d per bericht"), n,
                  MSG_MAX_PRODUCTS);
        return false;
    }
    if (n > 0) {
        m->products = arena_calloc(st->a, (size_t)n, sizeof *m->products);
        if (!m->products) {
            st->nomem = true;
            return false;
        }
    }
    for (xmlNodePtr c = list ? list->children : NULL; c; c = c->next)
        if (is_el(c, pname))
            ok &= extract_product(st, m->kind, c, &m->products[m->nproducts++]);
    return ok;
}

/* ---- Claims (JW323 / WMO323). ------------------------------------------------------------------
 * A declaration carries Clienten/Client (Bsn + Prestaties/Prestatie*). Every line keeps its
 * client's BSN for the caller to pseudonymise; names are never in a 323. The amounts the XSD
 * already bounds (LDT_Bedrag 0..99999999) are read with the same bounds, and the lines must add
 * up (debit minus credit) to the declared total. */

static bool get_amount(struct read_state *st, xmlNodePtr amount_el, const char *value_name,
                       int64_t *cents, bool *credit)
{
    *cents = 0;
    *credit = false;
    xmlNodePtr v = child(amount_el, value_name);
    xmlNodePtr dc = child(amount_el, "DebetCredit");
    if (!v || !dc) {
        add_issue(st, node_line(amount_el), amount_el ? (const char *)amount_el->name : "",
                  _("Bedrag of DebetCredit ontbreekt"));
        return false;
    }
    char d[4];
    bool ok = get_int(st, v, 0, 99999999, cents) && get_str(st, dc, d, sizeof d);
    if (ok && strcmp(d, "C") != 0 && strcmp(d, "D") != 0) {
        add_issue(st, node_line(dc), "DebetCredit", _("DebetCredit moet D of C zijn"));
        return false;
    }
    *credit = ok && d[0] == 'C';
    return ok;
}

static bool extract_claim(struct read_state *st, xmlNodePtr pn, const char *bsn,
                          struct msg_claim *c)
{
    bool ok = true;
    memset(c, 0, sizeof *c);
    c->line = node_line(pn);
    c->assignment_nr = c->volume = c->tariff_cents = -1;
    c->period_from = c->period_to = DAY_NONE;
    memcpy(c->bsn, bsn, sizeof c->bsn);
    ok &= get_str(st, child(child(pn, "ProductReferentie"), "ReferentieNummer"), c->reference,
                  sizeof c->reference);
    ok &= get_int(st, child(pn, "ToewijzingNummer"), 0, 999999999, &c->assignment_nr);
    ok &= get_str(st, child(pn, "ProductCategorie"), c->category, sizeof c->category);
    ok &= get_str(st, child(pn, "ProductCode"), c->product_code, sizeof c->product_code);
    xmlNodePtr per = child(pn, "ProductPeriode");
    ok &= get_date(st, child(per, "Begindatum"), &c->period_from);
    ok &= get_date(st, child(per, "Einddatum"), &c->period_to);
    ok &= get_int(st, child(pn, "GeleverdVolume"), 0, 99999999, &c->volume);
    ok &= get_str(st, child(pn, "Eenheid"), c->unit, sizeof c->unit);
    ok &= get_int(st, child(pn, "ProductTarief"), 0, 99999999, &c->tariff_cents);
    ok &= get_amount(st, child(pn, "IngediendBedrag"), "Bedrag", &c->amount_cents, &c->credit);
    if (ok &&
        (c->period_from == DAY_NONE || c->period_to == DAY_NONE || c->period_to < c->period_from)) {
        add_issue(st, c->line, "ProductPeriode", _("ProductPeriode is onvolledig of omgekeerd"));
        ok = false;
    }
    if (ok && !c->category[0]) {
        add_issue(st, c->line, "ProductCategorie", _("ProductCategorie ontbreekt"));
        ok = false;
    }
    return ok;
}

static bool extract_323(struct read_state *st, xmlNodePtr root)
{
    struct msg *m = st->m;
    struct msg_declaration *d = &m->decl;
    xmlNodePtr decl = child(root, "Declaratie");
    bool ok = true;
    d->period_from = d->period_to = d->date = DAY_NONE;
    ok &= get_str(st, child(decl, "DeclaratieNummer"), d->number, sizeof d->number);
    xmlNodePtr per = child(decl, "DeclaratiePeriode");
    ok &= get_date(st, child(per, "Begindatum"), &d->period_from);
    ok &= get_date(st, child(per, "Einddatum"), &d->period_to);
    ok &= get_date(st, child(decl, "DeclaratieDagtekening"), &d->date);
    ok &= get_amount(st, child(decl, "TotaalIngediendBedrag"), "TotaalBedrag", &d->total_cents,
                     &d->total_credit);
    if (!ok)
        return false;
    xmlNodePtr clients = child(decl, "Clienten");
    int n = 0;
    for (xmlNodePtr c = clients ? clients->children : NULL; c; c = c->next)
        if (is_el(c, "Client"))
            for (xmlNodePtr p = child(c, "Prestaties") ? child(c, "Prestaties")->children : NULL; p;
                 p = p->next)
                if (is_el(p, "Prestatie") && ++n > MSG_MAX_CLAIMS) {
                    add_issue(st, node_line(p), "Prestatie",
                              _("Declaratie bevat meer dan %d prestaties; duiding leest er "
                                "maximaal %d per bericht"),
                              MSG_MAX_CLAIMS, MSG_MAX_CLAIMS);
                    return false;
                }
    if (n > 0) {
        m->claims = arena_calloc(st->a, (size_t)n, sizeof *m->claims);
        if (!m->claims) {
            st->nomem = true;
            return false;
        }
    }
    int64_t sum = 0; /* at most 20000 lines of < 10^8: no overflow */
    for (xmlNodePtr c = clients ? clients->children : NULL; c; c = c->next) {
        if (!is_el(c, "Client"))
            continue;
        char bsn[10];
        ok &= get_str(st, child(c, "Bsn"), bsn, sizeof bsn);
        for (xmlNodePtr p = child(c, "Prestaties") ? child(c, "Prestaties")->children : NULL; p;
             p = p->next) {
            if (!is_el(p, "Prestatie"))
                continue;
            struct msg_claim *cl = &m->claims[m->nclaims++];
            if (extract_claim(st, p, bsn, cl))
                sum += cl->credit ? -cl->amount_cents : cl->amount_cents;
            else
                ok = false;
        }
    }
    int64_t total = d->total_credit ? -d->total_cents : d->total_cents;
    if (ok && sum != total) {
        add_issue(st, node_line(child(decl, "TotaalIngediendBedrag")), "TotaalIngediendBedrag",
                  _("TotaalIngediendBedrag (%" PRId64 " cent) is niet de som van de prestaties "
                    "(%" PRId64 " cent)"),
                  total, sum);
        return false;
    }
    return ok;
}

/* ---- Header fields of a 323 (the header extraction of extract() without a Client). --------- */

static bool extract_header(struct read_state *st, xmlNodePtr root)
{
    struct msg *m = st->m;
    bool ok = true;
    xmlNodePtr hdr = child(root, "Header");
    int64_t code = 0;
    ok &= get_int(st, child(hdr, "BerichtCode"), 0, 999, &code);
    m->bericht_code = (int)code;
    ok &= get_str(st, child(hdr, "Afzender"), m->sender, sizeof m->sender);
    ok &= get_str(st, child(hdr, "Ontvanger"), m->receiver, sizeof m->receiver);
    xmlNodePtr bid = child(hdr, "BerichtIdentificatie");
    ok &= get_str(st, child(bid, "Identificatie"), m->ident, sizeof m->ident);
    ok &= get_date(st, child(bid, "Dagtekening"), &m->dagtekening);
    /* A 323 goes from the aanbieder (AGB) to the gemeente. */
    snprintf(m->agb, sizeof m->agb, "%s", m->sender);
    if (strlen(m->receiver) == 4)
        memcpy(m->gemeente, m->receiver, 5);
    return ok;
}

/* ---- Reading one message. -------------------------------------------------------------------- */

static const char *law_label(enum law law)
{
    return law == LAW_WMO ? "iWmo" : "iJw";
}

int msg_read(const struct msg_schemas *s, const char *name, const void *data, size_t n,
             struct arena *a, struct msg *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = MSG_INVALID;
    out->dagtekening = DAY_NONE;
    out->client.birth_date = DAY_NONE;
    struct read_state st = {.m = out, .a = a};

    if (n > MSG_MAX_BYTES) {
        add_issue(&st, 0, "", _("Bericht is groter dan %u MB"), MSG_MAX_BYTES / (1024 * 1024));
        return ERR_TOO_BIG;
    }
    if (!s || !data) {
        add_issue(&st, 0, "", _("Interne fout: XSD's niet geladen"));
        return ERR_INTERNAL;
    }
    if (n == 0) {
        add_issue(&st, 0, "", _("Leeg bericht"));
        return st.nomem ? ERR_NOMEM : 0;
    }

    xmlParserCtxtPtr pc = thread_parser();
    if (!pc)
        return ERR_NOMEM;
    struct read_state *prev = tl_state;
    tl_state = &st;
    /* Errors libxml2 raises without a parser context (encoding conversion) go to this thread's
     * structured channel: collect them too instead of printing them on stderr. */
    xmlStructuredErrorFunc prev_fn = xmlStructuredError;
    void *prev_fn_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(NULL, on_parse_error);
    xmlDocPtr doc = xmlCtxtReadMemory(pc, data, (int)n, NULL, NULL, MSG_PARSE_OPTIONS);
    int ret = 0;

    if (st.doctype) {
        out->nissues = 0;
        add_issue(&st, st.stop_line, "", _("DTD is niet toegestaan"));
        goto done;
    }
    if (st.too_deep) {
        out->nissues = 0;
        add_issue(&st, st.stop_line, "", _("Bericht is dieper genest dan %d niveaus"),
                  MSG_MAX_DEPTH);
        goto done;
    }
    if (!doc || out->nissues > 0 || !pc->wellFormed) {
        if (out->nissues == 0)
            add_issue(&st, 0, "", _("Bericht is geen goed gevormde XML"));
        goto done;
    }

    xmlNodePtr root = xmlDocGetRootElement(doc);
    struct ns_info info;
    enum ns_verdict verdict =
        classify_ns(root && root->ns ? (const char *)root->ns->href : NULL, &info);
    uint32_t root_line = root ? node_line(root) : 0;
    const char *root_name = root ? (const char *)root->name : "";
    if (info.number)
        snprintf(out->name, sizeof out->name, "%s%03d", info.law == LAW_WMO ? "WMO" : "JW",
                 info.number % 1000);
    snprintf(out->release, sizeof out->release, "%s", info.release);
    switch (verdict) {
    case NS_FOREIGN:
        out->outcome = MSG_UNSUPPORTED;
        add_issue(&st, root_line, root_name, _("Geen iJw- of iWmo-bericht"));
        goto done;
    case NS_OTHER_RELEASE:
        out->outcome = MSG_UNSUPPORTED;
        add_issue(
            &st, root_line, root_name,
            _("Berichtversie %s %s wordt niet ondersteund; duiding leest iJw 3.2 en iWmo 3.2"),
            law_label(info.law), info.release);
        goto done;
    case NS_UNKNOWN_TYPE:
        out->outcome = MSG_UNSUPPORTED;
        add_issue(&st, root_line, root_name, _("Onbekend berichttype %s in %s %s"),
                  out->name[0] ? out->name : "?", law_label(info.law), info.release);
        goto done;
    case NS_OK:
        break;
    }
    out->law = info.law;

    int si = schema_index(info.law, info.number);
    if (si >= 0) {
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(s->schema[si]);
        if (!vc) {
            ret = ERR_NOMEM;
            goto done;
        }
        xmlSchemaSetValidStructuredErrors(vc, on_valid_error, NULL);
        int rc = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
        if (rc != 0) {
            if (out->nissues == 0)
                add_issue(&st, root_line, root_name,
                          rc < 0 ? _("Interne fout bij het valideren")
                                 : _("Bericht is niet geldig volgens het XSD"));
            goto done;
        }
    }
    switch (info.number) {
    case 301:
    case 305:
    case 307:
    case 315:
        out->kind = (enum msg_kind)info.number;
        break;
    case 323:
        out->kind = MSG_KIND_323;
        if (extract_header(&st, root) && extract_323(&st, root) && out->nissues == 0)
            out->outcome = MSG_ACCEPTED;
        goto done;
    default:
        out->outcome = MSG_SKIPPED;
        goto done;
    }
    if (extract(&st, root) && out->nissues == 0)
        out->outcome = MSG_ACCEPTED;

done:
    if (doc)
        xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(prev_fn_ctx, prev_fn);
    tl_state = prev;
    if (st.nomem)
        ret = ERR_NOMEM;
    if (out->outcome != MSG_ACCEPTED) { /* product lines only ever leave with a valid message */
        out->kind = MSG_KIND_OTHER;
        out->products = NULL;
        out->nproducts = 0;
        out->claims = NULL; /* claim lines too */
        out->nclaims = 0;
        if (out->outcome == MSG_UNSUPPORTED)
            out->law = 0;
    }
    if (out->outcome == MSG_INVALID || out->outcome == MSG_UNSUPPORTED)
        log_debug("msg.read", "name", name ? name : "", "outcome",
                  out->outcome == MSG_INVALID ? "invalid" : "unsupported", "reason",
                  out->nissues > 0 ? out->issues[0].reason : "", NULL);
    return ret;
}
