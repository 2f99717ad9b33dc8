/*
 * evidence_check.c: the pure checks on an evidence file (domain/evidence.h): the type read
 * from the bytes (never from the name), zip-container checks against zip bombs, overlapping
 * entries and hostile entry names, polyglots, and the file name that is shown. No I/O and
 * bounded work, so that the same code can be fuzzed (fuzz/fuzz_evidence_sniff.c).
 *
 * Strictest reading throughout (docs/evidence.md): a file must read as exactly one of the
 * accepted types, from its first to its last byte. Anything that a reader could take for a
 * second type (a zip directory at the end of a PDF, a PDF header inside a zip's first KiB,
 * bytes after a PNG's IEND) is refused rather than guessed at.
 */
#include "core/common.h"
#include "core/utf8.h"
#include "domain/evidence.h"

#define PDF_HEADER_WINDOW 1024 /* PDF readers accept "%PDF-" anywhere in the first KiB */
#define PDF_EOF_WINDOW    1024 /* "%%EOF" must be in the last KiB */
#define ZIP_EOCD_LEN      22
#define ZIP_CEN_LEN       46
#define ZIP_LOC_LEN       30
#define ZIP_TAIL_WINDOW   (65535 + ZIP_EOCD_LEN) /* where readers look for the directory */
#define ZIP_HASH_SLOTS    4096                   /* > 2 * EVIDENCE_ZIP_MAX_ENTRIES */
#define ODT_MIMETYPE      "application/vnd.oasis.opendocument.text"

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rd32be(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool has_at(const unsigned char *p, size_t n, size_t off, const char *lit, size_t len)
{
    return off <= n && n - off >= len && memcmp(p + off, lit, len) == 0;
}

/* First occurrence of lit in p[from..to), or (size_t)-1. */
static size_t find(const unsigned char *p, size_t from, size_t to, const char *lit, size_t len)
{
    if (to < len)
        return (size_t)-1;
    for (size_t i = from; i + len <= to; i++)
        if (p[i] == (unsigned char)lit[0] && memcmp(p + i, lit, len) == 0)
            return i;
    return (size_t)-1;
}

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* A PDF header where PDF readers look for it (the first KiB). */
static bool pdf_header_near_start(const unsigned char *p, size_t n)
{
    return find(p, 0, min_sz(n, PDF_HEADER_WINDOW), "%PDF-", 5) != (size_t)-1;
}

/* An end-of-central-directory signature where zip readers look for it (the last 64 KiB). */
static bool zip_directory_in_tail(const unsigned char *p, size_t n)
{
    size_t from = n > ZIP_TAIL_WINDOW ? n - ZIP_TAIL_WINDOW : 0;
    return find(p, from, n, "PK\x05\x06", 4) != (size_t)-1;
}

const char *evidence_type_media(enum evidence_type t)
{
    switch (t) {
    case EVIDENCE_PDF:
        return "application/pdf";
    case EVIDENCE_DOCX:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case EVIDENCE_XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case EVIDENCE_ODT:
        return "application/vnd.oasis.opendocument.text";
    case EVIDENCE_PNG:
        return "image/png";
    case EVIDENCE_JPEG:
        return "image/jpeg";
    case EVIDENCE_NONE:
        break;
    }
    return "application/octet-stream";
}

const char *evidence_type_code(enum evidence_type t)
{
    switch (t) {
    case EVIDENCE_PDF:
        return "pdf";
    case EVIDENCE_DOCX:
        return "docx";
    case EVIDENCE_XLSX:
        return "xlsx";
    case EVIDENCE_ODT:
        return "odt";
    case EVIDENCE_PNG:
        return "png";
    case EVIDENCE_JPEG:
        return "jpeg";
    case EVIDENCE_NONE:
        break;
    }
    return "";
}

enum evidence_type evidence_type_from_code(const char *code)
{
    for (int t = EVIDENCE_PDF; t <= EVIDENCE_JPEG; t++)
        if (code && strcmp(code, evidence_type_code((enum evidence_type)t)) == 0)
            return (enum evidence_type)t;
    return EVIDENCE_NONE;
}

const char *evidence_type_label(enum evidence_type t)
{
    switch (t) {
    case EVIDENCE_PDF:
        return _("PDF-document");
    case EVIDENCE_DOCX:
        return _("Word-document");
    case EVIDENCE_XLSX:
        return _("Excel-werkmap");
    case EVIDENCE_ODT:
        return _("OpenDocument-tekst");
    case EVIDENCE_PNG:
        return _("PNG-afbeelding");
    case EVIDENCE_JPEG:
        return _("JPEG-afbeelding");
    case EVIDENCE_NONE:
        break;
    }
    return _("onbekend");
}

const char *evidence_scan_code(enum evidence_scan s)
{
    switch (s) {
    case SCAN_NIET_GESCAND:
        return "niet_gescand";
    case SCAN_SCHOON:
        return "schoon";
    case SCAN_BESMET:
        return "besmet";
    case SCAN_FOUT:
        return "fout";
    }
    return "fout";
}

enum evidence_scan evidence_scan_from_code(const char *code)
{
    for (int s = SCAN_NIET_GESCAND; s <= SCAN_FOUT; s++)
        if (code && strcmp(code, evidence_scan_code((enum evidence_scan)s)) == 0)
            return (enum evidence_scan)s;
    return SCAN_FOUT; /* unknown: never treated as clean */
}

const char *evidence_scan_label(enum evidence_scan s)
{
    switch (s) {
    case SCAN_NIET_GESCAND:
        return _("niet gescand");
    case SCAN_SCHOON:
        return _("gescand, geen virus gevonden");
    case SCAN_BESMET:
        return _("besmet, verwijderd");
    case SCAN_FOUT:
        return _("scan mislukt");
    }
    return _("scan mislukt");
}

/* --- zip containers --- */

/* An entry name that every unzip tool puts where it belongs: relative, clean, printable. */
static bool zip_name_ok(const unsigned char *s, size_t len)
{
    if (len == 0 || len > EVIDENCE_ZIP_NAME_MAX || s[0] == '/')
        return false;
    if (!utf8_valid((const char *)s, len, NULL))
        return false;
    size_t seg = 0; /* start of the current path segment */
    for (size_t i = 0; i <= len; i++) {
        if (i < len && (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\' || s[i] == ':'))
            return false;
        if (i == len || s[i] == '/') {
            size_t sl = i - seg;
            if (sl == 0 && i != len) /* "a//b" */
                return false;
            if ((sl == 1 && s[seg] == '.') || (sl == 2 && s[seg] == '.' && s[seg + 1] == '.'))
                return false;
            seg = i + 1;
        }
    }
    return true;
}

static uint32_t name_hash(const unsigned char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

struct zip_name {
    uint32_t off; /* offset of the name in the file */
    uint16_t len;
};

static bool name_is(const unsigned char *p, const struct zip_name *z, const char *lit)
{
    size_t l = strlen(lit);
    return z->len == l && memcmp(p + z->off, lit, l) == 0;
}

static int zip_refuse(struct err_ctx *e, int code, const char *reason)
{
    return err_set(e, code, "bestand", "%s", reason);
}

int evidence_zip_check(const unsigned char *p, size_t n, enum evidence_type *out, struct err_ctx *e)
{
    *out = EVIDENCE_NONE;
    if (n < ZIP_LOC_LEN + ZIP_CEN_LEN + ZIP_EOCD_LEN || !has_at(p, n, 0, "PK\x03\x04", 4))
        return zip_refuse(e, ERR_INVALID, _("het bestand is geen geldig zip-archief."));
    if (n > 0xFFFFFFFFu)
        return zip_refuse(e, ERR_TOO_BIG, _("het zip-archief is te groot."));
    /* The directory record must end the file: no comment, nothing appended. */
    const unsigned char *eocd = p + n - ZIP_EOCD_LEN;
    if (rd32(eocd) != 0x06054b50u) {
        size_t from = n > ZIP_TAIL_WINDOW ? n - ZIP_TAIL_WINDOW : 0;
        for (size_t i = n - ZIP_EOCD_LEN; i-- > from;)
            if (rd32(p + i) == 0x06054b50u && i + ZIP_EOCD_LEN + rd16(p + i + 20) == n)
                return zip_refuse(e, ERR_INVALID,
                                  _("het zip-archief heeft een commentaar; dat "
                                    "wordt niet aangenomen."));
        return zip_refuse(e, ERR_INVALID,
                          _("het zip-archief eindigt niet met zijn inhoudsopgave (er staat "
                            "iets achter, of het archief is beschadigd)."));
    }
    uint32_t disk = rd16(eocd + 4), cd_disk = rd16(eocd + 6), n_disk = rd16(eocd + 8),
             n_total = rd16(eocd + 10), cd_size = rd32(eocd + 12), cd_off = rd32(eocd + 16),
             comment = rd16(eocd + 20);
    if (n_total == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
        return zip_refuse(e, ERR_INVALID, _("zip64-archieven worden niet aangenomen."));
    if (disk != 0 || cd_disk != 0 || n_disk != n_total)
        return zip_refuse(e, ERR_INVALID,
                          _("archieven over meerdere delen worden niet aangenomen."));
    if (comment != 0)
        return zip_refuse(e, ERR_INVALID,
                          _("het zip-archief heeft een commentaar; dat wordt niet "
                            "aangenomen."));
    if (n_total == 0)
        return zip_refuse(e, ERR_INVALID, _("het zip-archief is leeg."));
    if (n_total > EVIDENCE_ZIP_MAX_ENTRIES)
        return zip_refuse(e, ERR_TOO_BIG, _("het archief bevat te veel onderdelen."));
    if ((uint64_t)cd_off + cd_size != n - ZIP_EOCD_LEN)
        return zip_refuse(e, ERR_INVALID,
                          _("de inhoudsopgave van het zip-archief staat niet op zijn plaats."));

    struct zip_name names[EVIDENCE_ZIP_MAX_ENTRIES];
    uint16_t slots[ZIP_HASH_SLOTS]; /* 0 = empty, else index + 1 into names */
    memset(slots, 0, sizeof slots);
    uint64_t total = 0;
    uint64_t expect_local = 0; /* where the next entry's local header must start */
    size_t pos = cd_off, cd_end = (size_t)cd_off + cd_size;
    for (uint32_t i = 0; i < n_total; i++) {
        if (cd_end - pos < ZIP_CEN_LEN || rd32(p + pos) != 0x02014b50u)
            return zip_refuse(e, ERR_INVALID,
                              _("de inhoudsopgave van het zip-archief is "
                                "beschadigd."));
        const unsigned char *c = p + pos;
        uint32_t flags = rd16(c + 8), method = rd16(c + 10), csize = rd32(c + 20),
                 usize = rd32(c + 24), nlen = rd16(c + 28), xlen = rd16(c + 30),
                 clen = rd16(c + 32), dstart = rd16(c + 34), loff = rd32(c + 42);
        size_t rec = (size_t)ZIP_CEN_LEN + nlen + xlen + clen;
        if (cd_end - pos < rec)
            return zip_refuse(e, ERR_INVALID,
                              _("de inhoudsopgave van het zip-archief is "
                                "beschadigd."));
        if (csize == 0xFFFFFFFFu || usize == 0xFFFFFFFFu || loff == 0xFFFFFFFFu)
            return zip_refuse(e, ERR_INVALID, _("zip64-archieven worden niet aangenomen."));
        if (flags & 0x41) /* bit 0 encrypted, bit 6 strong encryption */
            return zip_refuse(e, ERR_INVALID, _("het archief bevat versleutelde onderdelen."));
        if (method != 0 && method != 8)
            return zip_refuse(e, ERR_INVALID,
                              _("het archief gebruikt een onbekende compressiemethode."));
        if (method == 0 && csize != usize)
            return zip_refuse(e, ERR_INVALID,
                              _("de inhoudsopgave van het zip-archief is "
                                "beschadigd."));
        if (dstart != 0)
            return zip_refuse(e, ERR_INVALID,
                              _("archieven over meerdere delen worden niet "
                                "aangenomen."));
        if (!zip_name_ok(c + ZIP_CEN_LEN, nlen))
            return zip_refuse(e, ERR_INVALID,
                              _("het archief bevat een onderdeel met een onveilige naam "
                                "(absoluut pad, '..', schuine streep terug of stuurteken)."));
        /* Zip bomb: a tiny compressed entry that claims to unpack to a lot. */
        if (usize > 1024u * 1024u && (uint64_t)usize > (uint64_t)csize * EVIDENCE_ZIP_MAX_RATIO)
            return zip_refuse(e, ERR_TOO_BIG,
                              _("het archief pakt onevenredig groot uit "
                                "(mogelijk een zip-bom)."));
        total += usize;
        if (total > (uint64_t)EVIDENCE_ZIP_MAX_UNCOMPRESSED)
            return zip_refuse(e, ERR_TOO_BIG,
                              _("het archief pakt uit tot meer dan 100 MiB (mogelijk een "
                                "zip-bom)."));
        /* Entries in order, without overlap or hidden bytes between them: overlapping entries
         * are how "non-recursive" zip bombs multiply one compressed block. */
        if (loff != expect_local)
            return zip_refuse(e, ERR_INVALID,
                              _("de onderdelen van het zip-archief liggen niet "
                                "aaneengesloten (overlap of verborgen "
                                "gegevens)."));
        if ((uint64_t)loff + ZIP_LOC_LEN > cd_off || rd32(p + loff) != 0x04034b50u)
            return zip_refuse(e, ERR_INVALID, _("een onderdeel van het zip-archief ontbreekt."));
        const unsigned char *l = p + loff;
        uint32_t lnlen = rd16(l + 26), lxlen = rd16(l + 28), lmethod = rd16(l + 8);
        uint64_t data = (uint64_t)loff + ZIP_LOC_LEN + lnlen + lxlen;
        if (lnlen != nlen || lmethod != method || data > cd_off ||
            memcmp(l + ZIP_LOC_LEN, c + ZIP_CEN_LEN, nlen) != 0)
            return zip_refuse(e, ERR_INVALID,
                              _("een onderdeel van het zip-archief spreekt zijn "
                                "inhoudsopgave tegen."));
        uint64_t end = data + csize;
        if (end > cd_off)
            return zip_refuse(e, ERR_INVALID, _("een onderdeel van het zip-archief ontbreekt."));
        /* A data descriptor (flag bit 3) follows the data: 12 bytes, or 16 with signature. */
        if (flags & 0x08) {
            if (end + 16 <= cd_off && rd32(p + end) == 0x08074b50u)
                end += 16;
            else
                end += 12;
            if (end > cd_off)
                return zip_refuse(e, ERR_INVALID,
                                  _("een onderdeel van het zip-archief "
                                    "ontbreekt."));
        }
        expect_local = end;
        /* Duplicate names: two readers could pick different ones. */
        uint32_t h = name_hash(c + ZIP_CEN_LEN, nlen) & (ZIP_HASH_SLOTS - 1);
        while (slots[h]) {
            const struct zip_name *o = &names[slots[h] - 1];
            if (o->len == nlen && memcmp(p + o->off, c + ZIP_CEN_LEN, nlen) == 0)
                return zip_refuse(e, ERR_INVALID,
                                  _("het archief bevat twee onderdelen met "
                                    "dezelfde naam."));
            h = (h + 1) & (ZIP_HASH_SLOTS - 1);
        }
        names[i].off = (uint32_t)(pos + ZIP_CEN_LEN);
        names[i].len = (uint16_t)nlen;
        slots[h] = (uint16_t)(i + 1);
        pos += rec;
    }
    if (pos != cd_end || expect_local != cd_off)
        return zip_refuse(e, ERR_INVALID,
                          _("het zip-archief bevat gegevens buiten zijn "
                            "onderdelen."));

    /* Which document: Office Open XML by its parts, OpenDocument by its first entry. */
    bool ctypes = false, word = false, excel = false;
    for (uint32_t i = 0; i < n_total; i++) {
        ctypes |= name_is(p, &names[i], "[Content_Types].xml");
        word |= name_is(p, &names[i], "word/document.xml");
        excel |= name_is(p, &names[i], "xl/workbook.xml");
    }
    bool odt = false;
    if (name_is(p, &names[0], "mimetype")) {
        const unsigned char *l = p; /* the first entry starts at 0 (checked above) */
        size_t data = ZIP_LOC_LEN + rd16(l + 26) + rd16(l + 28);
        const unsigned char *c = p + cd_off;
        size_t ml = strlen(ODT_MIMETYPE);
        if (rd16(c + 10) != 0 || rd32(c + 20) != ml || !has_at(p, cd_off, data, ODT_MIMETYPE, ml))
            return zip_refuse(e, ERR_INVALID,
                              _("het OpenDocument-bestand is geen tekstdocument (odt)."));
        odt = true;
    }
    int kinds = (ctypes && word) + (ctypes && excel) + odt;
    if (kinds > 1)
        return zip_refuse(e, ERR_INVALID,
                          _("het archief is tegelijk meer dan één soort "
                            "document."));
    if (ctypes && word)
        *out = EVIDENCE_DOCX;
    else if (ctypes && excel)
        *out = EVIDENCE_XLSX;
    else if (odt)
        *out = EVIDENCE_ODT;
    else
        return zip_refuse(e, ERR_INVALID,
                          _("het zip-archief is geen Word-, Excel- of OpenDocument-bestand; "
                            "losse zip-archieven worden niet aangenomen."));
    return 0;
}

/* --- PNG, JPEG, PDF --- */

static bool png_ok(const unsigned char *p, size_t n)
{
    size_t pos = 8;
    bool first = true;
    while (n - pos >= 12) {
        uint32_t len = rd32be(p + pos);
        const unsigned char *type = p + pos + 4;
        if (len > 0x7FFFFFFFu || (uint64_t)len > n - pos - 12)
            return false;
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
                return false;
        if (first && (memcmp(type, "IHDR", 4) != 0 || len != 13))
            return false;
        first = false;
        pos += (size_t)len + 12;
        if (memcmp(type, "IEND", 4) == 0)
            return len == 0 && pos == n; /* nothing may follow IEND */
    }
    return false;
}

int evidence_sniff(const unsigned char *p, size_t n, enum evidence_type *out, struct err_ctx *e)
{
    *out = EVIDENCE_NONE;
    if (n == 0)
        return err_set(e, ERR_INVALID, "bestand", "%s", _("het bestand is leeg."));
    bool pdf_near = pdf_header_near_start(p, n);
    bool zip_tail = zip_directory_in_tail(p, n);
    if (has_at(p, n, 0, "PK\x03\x04", 4)) {
        if (pdf_near)
            return err_set(e, ERR_INVALID, "bestand", "%s",
                           _("het bestand is zowel een zip-archief als een PDF (polyglot)."));
        return evidence_zip_check(p, n, out, e);
    }
    if (zip_tail)
        return err_set(e, ERR_INVALID, "bestand", "%s",
                       _("het bestand bevat aan het eind een zip-archief (polyglot)."));
    if (has_at(p, n, 0, "%PDF-", 5)) {
        if (n < 16 || !(p[5] >= '1' && p[5] <= '2') || p[6] != '.')
            return err_set(e, ERR_INVALID, "bestand", "%s",
                           _("het PDF-bestand heeft geen geldige kop."));
        size_t from = n > PDF_EOF_WINDOW ? n - PDF_EOF_WINDOW : 0;
        if (find(p, from, n, "%%EOF", 5) == (size_t)-1)
            return err_set(e, ERR_INVALID, "bestand", "%s",
                           _("het PDF-bestand is onvolledig (het einde ontbreekt)."));
        *out = EVIDENCE_PDF;
        return 0;
    }
    if (pdf_near)
        return err_set(e, ERR_INVALID, "bestand", "%s",
                       _("het bestand bevat een PDF-kop op een onverwachte plaats (polyglot)."));
    if (has_at(p, n, 0, "\x89PNG\r\n\x1a\n", 8)) {
        if (!png_ok(p, n))
            return err_set(e, ERR_INVALID, "bestand", "%s",
                           _("de PNG-afbeelding is beschadigd of er staat iets achter."));
        *out = EVIDENCE_PNG;
        return 0;
    }
    if (has_at(p, n, 0, "\xff\xd8\xff", 3)) {
        if (n < 4 || p[n - 2] != 0xff || p[n - 1] != 0xd9)
            return err_set(e, ERR_INVALID, "bestand", "%s",
                           _("de JPEG-afbeelding is beschadigd of er staat iets achter."));
        *out = EVIDENCE_JPEG;
        return 0;
    }
    return err_set(e, ERR_INVALID, "bestand", "%s",
                   _("dit soort bestand wordt niet aangenomen (wel: PDF, Word (docx), Excel "
                     "(xlsx), OpenDocument-tekst (odt), PNG en JPEG)."));
}

/* --- file names --- */

/* Decodes one code point of valid UTF-8 at s (validated beforehand); *len its bytes. */
static uint32_t utf8_decode(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if (s[0] < 0xE0) {
        *len = 2;
        return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    }
    if (s[0] < 0xF0) {
        *len = 3;
        return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    *len = 4;
    return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
           (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Characters a name must not carry: controls, and the bidirectional marks and overrides that
 * make "rapport\u202Efdp.exe" look like "rapportexe.pdf". */
static bool drop_char(uint32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           c == 0x061C;
}

int evidence_clean_name(struct arena *a, const char *name, size_t len, const char **out,
                        struct err_ctx *e)
{
    *out = NULL;
    if (!name)
        len = 0;
    if (len > 0 && memchr(name, '\0', len))
        return err_set(e, ERR_INVALID, "bestandsnaam", "%s",
                       _("De bestandsnaam bevat een nul-teken; dat wordt niet aangenomen."));
    if (!utf8_valid(name ? name : "", len, NULL))
        return err_set(e, ERR_INVALID, "bestandsnaam", "%s",
                       _("De bestandsnaam bevat ongeldige tekens (geen UTF-8)."));
    const unsigned char *s = (const unsigned char *)name;
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '/' || s[i] == '\\')
            start = i + 1;
    /* Keep the allowed code points, recording where each starts. */
    char *buf = arena_alloc(a, len - start + 1);
    size_t *cps = arena_calloc(a, len - start + 1, sizeof *cps);
    if (!buf || !cps)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    size_t bn = 0, ncp = 0;
    for (size_t i = start; i < len;) {
        size_t l;
        uint32_t c = utf8_decode(s + i, &l);
        if (!drop_char(c)) {
            cps[ncp++] = bn;
            memcpy(buf + bn, s + i, l);
            bn += l;
        }
        i += l;
    }
    cps[ncp] = bn;
    /* Trim white space and dots at the start (hidden files), white space and dots at the end. */
    size_t first = 0, last = ncp;
    while (first < last && (buf[cps[first]] == ' ' || buf[cps[first]] == '.'))
        first++;
    while (last > first && (buf[cps[last - 1]] == ' ' || buf[cps[last - 1]] == '.'))
        last--;
    if (first == last)
        return err_set(e, ERR_INVALID, "bestandsnaam", "%s",
                       _("Het bestand heeft geen bruikbare naam."));
    if (last - first > EVIDENCE_NAME_MAX) {
        /* Keep the extension (a dot within the last 10 code points) and shorten the rest. */
        size_t dot = last;
        for (size_t k = last; k > first && last - k < 10; k--)
            if (buf[cps[k - 1]] == '.') {
                dot = k - 1;
                break;
            }
        size_t ext = last - dot;
        size_t keep = EVIDENCE_NAME_MAX - ext;
        size_t stem_end = first + keep;
        size_t n1 = cps[stem_end] - cps[first], n2 = cps[last] - cps[dot];
        char *r = arena_alloc(a, n1 + n2 + 1);
        if (!r)
            return err_set(e, ERR_NOMEM, NULL, "out of memory");
        memcpy(r, buf + cps[first], n1);
        memcpy(r + n1, buf + cps[dot], n2);
        r[n1 + n2] = '\0';
        *out = r;
        return 0;
    }
    *out = arena_strndup(a, buf + cps[first], cps[last] - cps[first]);
    return *out ? 0 : err_set(e, ERR_NOMEM, NULL, "out of memory");
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcasecmp(s + n - m, suffix) == 0;
}

bool evidence_name_matches(const char *name, enum evidence_type t)
{
    if (!name)
        return false;
    switch (t) {
    case EVIDENCE_PDF:
        return ends_with_ci(name, ".pdf");
    case EVIDENCE_DOCX:
        return ends_with_ci(name, ".docx");
    case EVIDENCE_XLSX:
        return ends_with_ci(name, ".xlsx");
    case EVIDENCE_ODT:
        return ends_with_ci(name, ".odt");
    case EVIDENCE_PNG:
        return ends_with_ci(name, ".png");
    case EVIDENCE_JPEG:
        return ends_with_ci(name, ".jpg") || ends_with_ci(name, ".jpeg");
    case EVIDENCE_NONE:
        break;
    }
    return false;
}
