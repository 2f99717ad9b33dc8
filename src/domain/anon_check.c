/*
 * anon_check.c: screening free text for things that identify a person (domain/anon_check.h).
 *
 * Each kind has its own small matcher over the bytes of the text; there are no regular
 * expressions and no allocation per byte, so a 64 KiB text is screened in one pass per kind.
 * Candidates of all kinds are merged in text order; where two overlap the earlier (and then the
 * longer) one wins, so "06-12345678" is one phone number, not also a BSN.
 *
 * Heuristics (also in docs/privacy.md, "Free text"):
 * - BSN: nine digits, ungrouped or grouped 3-3-3, 3-2-2-2, 3-2-3 or 4-2-3 with one kind of
 *   separator (space, dot, dash); not part of a longer number. Reported whether or not it
 *   passes the elfproef; the finding says which.
 * - Phone: Dutch numbers, 10 digits starting with 0 (06 mobile, 0xx(x) landline), or +31 / 0031
 *   followed by 9 digits (an optional "(0)" is allowed), in groups separated by space or dash,
 *   an area code in brackets allowed.
 * - E-mail: local@domain.tld around an '@'.
 * - Date: d-m-yyyy, d/m/yyyy, d.m.yyyy (two-digit years with - and /), yyyy-mm-dd, and
 *   "12 maart 2011" / "12 mrt. 2011": every full date, because a birth date looks like any other.
 * - Postcode: 4 digits (not starting with 0), an optional space, 2 capital letters (not SA,
 *   SD, SS: PostNL does not use them).
 * - Name: a capitalised word (capital then small letters) that does not start a sentence and is
 *   not in the shipped list of words that are capitalised for another reason (places of the
 *   region, organisation words, laws, holidays, languages). An opening quotation mark starts a
 *   sentence; words after an initial ("J.") or a form of address ("mevr.", "dhr.") count as
 *   inside a sentence. A short list of common first
 *   names is reported anywhere, at a sentence start too. Acronyms (GGD, WMO) are not names.
 */
#include "domain/anon_check.h"
#include "core/common.h"
#include "core/err.h"

#define CANDIDATE_CAP 4096 /* candidates kept for the overlap merge; more are only counted */

struct scan {
    const char *t;
    size_t n;
    struct arena *a;
    struct anon_finding *c; /* candidates, in the order the passes found them */
    size_t nc, cap;
    size_t extra; /* candidates beyond CANDIDATE_CAP */
    int err;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_alnum(char c)
{
    return is_digit(c) || is_upper(c) || is_lower(c);
}

static char fold(char c)
{
    return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static void add(struct scan *s, enum anon_kind kind, size_t off, size_t len, bool elfproef)
{
    if (s->nc >= CANDIDATE_CAP) {
        s->extra++;
        return;
    }
    if (s->nc == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct anon_finding *c = arena_alloc(s->a, cap * sizeof *c);
        if (!c) {
            s->err = ERR_NOMEM;
            s->extra++;
            return;
        }
        if (s->nc)
            memcpy(c, s->c, s->nc * sizeof *c);
        s->c = c;
        s->cap = cap;
    }
    s->c[s->nc++] =
        (struct anon_finding){.kind = kind, .offset = off, .len = len, .elfproef = elfproef};
}

/* True if position i starts a token: the text start or a byte that is not a letter or digit
 * (bytes >= 0x80 count as letters: "é123" is not a number on its own). */
static bool token_start(const struct scan *s, size_t i)
{
    if (i == 0)
        return true;
    unsigned char p = (unsigned char)s->t[i - 1];
    return !(is_alnum((char)p) || p >= 0x80);
}

static bool token_end(const struct scan *s, size_t i)
{
    if (i >= s->n)
        return true;
    unsigned char c = (unsigned char)s->t[i];
    return !(is_alnum((char)c) || c >= 0x80);
}

/* ---- Digit groups ---------------------------------------------------------------------------- */

#define MAX_GROUPS 6

struct groups {
    int n;
    int len[MAX_GROUPS];
    char sep[MAX_GROUPS]; /* separator before group k (sep[0] = 0) */
    size_t end;           /* byte after the last digit */
};

/* Digit groups from i separated by single characters of `seps`, at most MAX_GROUPS. */
static void read_groups(const struct scan *s, size_t i, const char *seps, struct groups *g)
{
    memset(g, 0, sizeof *g);
    while (g->n < MAX_GROUPS && i < s->n && is_digit(s->t[i])) {
        size_t b = i;
        while (i < s->n && is_digit(s->t[i]))
            i++;
        g->len[g->n++] = (int)(i - b);
        g->end = i;
        if (i + 1 < s->n && s->t[i] != '\0' && strchr(seps, s->t[i]) && is_digit(s->t[i + 1])) {
            if (g->n < MAX_GROUPS)
                g->sep[g->n] = s->t[i];
            i++;
        } else {
            break;
        }
    }
}

static int num_at(const char *p, int len)
{
    int v = 0;
    for (int k = 0; k < len; k++)
        v = v * 10 + (p[k] - '0');
    return v;
}

/* ---- BSN ------------------------------------------------------------------------------------- */

static bool elfproef(const char d[9])
{
    int sum = 0;
    for (int k = 0; k < 8; k++)
        sum += (d[k] - '0') * (9 - k);
    sum -= d[8] - '0';
    return sum % 11 == 0;
}

static const int bsn_shapes[][5] = {
    {1, 9}, {3, 3, 3, 3}, {4, 3, 2, 2, 2}, {3, 3, 2, 3}, {3, 4, 2, 3},
};

static void scan_bsn(struct scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (!is_digit(s->t[i]) || !token_start(s, i))
            continue;
        struct groups g;
        read_groups(s, i, " .-", &g);
        size_t consumed = i;
        while (consumed < s->n && is_digit(s->t[consumed]))
            consumed++;
        for (size_t k = 0; k < ARRAY_LEN(bsn_shapes); k++) {
            const int *sh = bsn_shapes[k];
            if (sh[0] > g.n)
                continue;
            bool ok = true;
            for (int j = 0; j < sh[0] && ok; j++)
                ok = g.len[j] == sh[j + 1] && (j < 2 || g.sep[j] == g.sep[1]);
            if (!ok)
                continue;
            /* The shape must be the whole number: not followed by a further group. */
            if (g.n > sh[0])
                continue;
            if (!token_end(s, g.end))
                continue;
            char d[9];
            int nd = 0;
            for (size_t p = i; p < g.end && nd < 9; p++)
                if (is_digit(s->t[p]))
                    d[nd++] = s->t[p];
            add(s, ANON_BSN_LIKE, i, g.end - i, nd == 9 && elfproef(d));
            consumed = g.end;
            break;
        }
        i = consumed > i ? consumed - 1 : i;
    }
}

/* ---- Phone numbers --------------------------------------------------------------------------- */

/* Tries a phone number starting at i; returns its length or 0. */
static size_t match_phone(const struct scan *s, size_t i)
{
    const char *t = s->t;
    size_t p = i, need;
    char digits[16];
    int nd = 0;

    if (t[p] == '+') {
        if (p + 3 > s->n || t[p + 1] != '3' || t[p + 2] != '1')
            return 0;
        p += 3;
        need = 9;
    } else if (p + 4 <= s->n && memcmp(t + p, "0031", 4) == 0) {
        p += 4;
        need = 9;
    } else if (t[p] == '(' || t[p] == '0') {
        need = 10;
    } else {
        return 0;
    }
    if (need == 9) {
        /* "+31 6 ...", "+31-6...", "+31 (0)6 ..." */
        if (p < s->n && (t[p] == ' ' || t[p] == '-'))
            p++;
        if (p + 3 <= s->n && memcmp(t + p, "(0)", 3) == 0) {
            p += 3;
            if (p < s->n && t[p] == ' ')
                p++;
        }
    }
    bool bracket = false;
    size_t last = p;
    int groups = 0;
    while (p < s->n && (size_t)nd < need) {
        char c = t[p];
        if (is_digit(c)) {
            while (p < s->n && is_digit(t[p]) && (size_t)nd < need)
                digits[nd++] = t[p++];
            if (p < s->n && is_digit(t[p]))
                return 0; /* longer than a phone number */
            groups++;
            last = p;
            if ((size_t)nd == need)
                break;
            if (bracket && p < s->n && t[p] == ')') {
                bracket = false;
                p++;
                if (p < s->n && t[p] == ' ')
                    p++;
                continue;
            }
            if (p + 1 < s->n && (t[p] == ' ' || t[p] == '-') &&
                (is_digit(t[p + 1]) || t[p + 1] == '('))
                p++;
            else
                return 0;
        } else if (c == '(' && groups == 0 && !bracket && need == 10) {
            bracket = true;
            p++;
        } else {
            return 0;
        }
    }
    if ((size_t)nd != need || groups > 5 || bracket || !token_end(s, last))
        return 0;
    if (need == 10 && (digits[0] != '0' || digits[1] == '0'))
        return 0;
    if (need == 9 && digits[0] == '0')
        return 0;
    /* Not followed by a separator and more digits (then it is some longer number). */
    if (last + 1 < s->n && (t[last] == ' ' || t[last] == '-' || t[last] == '.') &&
        is_digit(t[last + 1]))
        return 0;
    return last - i;
}

static void scan_phone(struct scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        char c = s->t[i];
        if (!(c == '+' || c == '(' || c == '0') || !token_start(s, i))
            continue;
        size_t len = match_phone(s, i);
        if (len) {
            add(s, ANON_PHONE, i, len, false);
            i += len - 1;
        }
    }
}

/* ---- E-mail ---------------------------------------------------------------------------------- */

static bool local_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void scan_email(struct scan *s)
{
    size_t done = 0; /* no match may start before this */
    for (size_t i = 0; i < s->n; i++) {
        if (s->t[i] != '@')
            continue;
        size_t b = i;
        while (b > done && local_char(s->t[b - 1]))
            b--;
        while (b < i && s->t[b] == '.')
            b++;
        if (b == i)
            continue;
        size_t e = i + 1, lastdot = 0;
        while (e < s->n && (is_alnum(s->t[e]) || s->t[e] == '-' || s->t[e] == '.'))
            e++;
        /* A sentence's full stop after the address is not part of it. */
        while (e > i + 1 && s->t[e - 1] == '.')
            e--;
        for (size_t k = i + 1; k < e; k++)
            if (s->t[k] == '.')
                lastdot = k;
        if (lastdot == 0 || lastdot == i + 1 || e - lastdot - 1 < 2)
            continue;
        bool tld = true;
        for (size_t k = lastdot + 1; k < e; k++)
            tld = tld && (is_upper(s->t[k]) || is_lower(s->t[k]));
        if (!tld)
            continue;
        add(s, ANON_EMAIL, b, e - b, false);
        done = e;
        i = e - 1;
    }
}

/* ---- Dates ----------------------------------------------------------------------------------- */

static const char *const months[] = {
    "januari",   "februari", "maart",    "april",    "mei",  "juni", "juli", "augustus",
    "september", "oktober",  "november", "december", "jan",  "feb",  "mrt",  "apr",
    "jun",       "jul",      "aug",      "sep",      "sept", "okt",  "nov",  "dec",
};

static bool valid_dm(int d, int m)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

/* "12 maart 2011", "1 mrt. 2011": length or 0. */
static size_t match_named_date(const struct scan *s, size_t i, const struct groups *g)
{
    const char *t = s->t;
    if (g->len[0] > 2)
        return 0;
    int d = num_at(t + i, g->len[0]);
    size_t p = i + (size_t)g->len[0];
    if (p >= s->n || t[p] != ' ')
        return 0;
    p++;
    size_t w = p;
    while (p < s->n && (is_lower(t[p]) || is_upper(t[p])))
        p++;
    size_t wl = p - w;
    int m = 0;
    for (size_t k = 0; k < ARRAY_LEN(months) && !m; k++) {
        if (strlen(months[k]) != wl)
            continue;
        bool eq = true;
        for (size_t j = 0; j < wl && eq; j++)
            eq = fold(t[w + j]) == months[k][j];
        if (eq)
            m = k < 12 ? (int)k + 1 : 0;
        if (eq && k >= 12) {
            static const int abbr[] = {1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12};
            m = abbr[k - 12];
        }
    }
    if (!m || !valid_dm(d, m))
        return 0;
    if (p < s->n && t[p] == '.')
        p++;
    if (p + 5 > s->n || t[p] != ' ')
        return 0;
    p++;
    for (int k = 0; k < 4; k++)
        if (!is_digit(t[p + (size_t)k]))
            return 0;
    int y = num_at(t + p, 4);
    if (y < 1900 || y > 2100 || !token_end(s, p + 4))
        return 0;
    return p + 4 - i;
}

static void scan_date(struct scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (!is_digit(s->t[i]) || !token_start(s, i))
            continue;
        struct groups g;
        read_groups(s, i, "-/.", &g);
        size_t len = 0;
        if (g.n == 3 && g.sep[1] == g.sep[2] && token_end(s, g.end)) {
            const char *t = s->t + i;
            int a = num_at(t, g.len[0]);
            int b = num_at(t + g.len[0] + 1, g.len[1]);
            int c = num_at(t + g.len[0] + 1 + g.len[1] + 1, g.len[2]);
            if (g.len[0] == 4 && g.len[1] == 2 && g.len[2] == 2 && g.sep[1] == '-' && a >= 1900 &&
                a <= 2100 && valid_dm(c, b))
                len = g.end - i;
            else if (g.len[0] <= 2 && g.len[1] <= 2 && valid_dm(a, b) &&
                     ((g.len[2] == 4 && c >= 1900 && c <= 2100) ||
                      (g.len[2] == 2 && g.sep[1] != '.')))
                len = g.end - i;
        }
        if (!len && g.n >= 1)
            len = match_named_date(s, i, &g);
        if (len) {
            add(s, ANON_BIRTH_DATE, i, len, false);
            i += len - 1;
        } else {
            while (i + 1 < s->n && is_digit(s->t[i + 1]))
                i++;
        }
    }
}

/* ---- Postcodes ------------------------------------------------------------------------------- */

static void scan_postcode(struct scan *s)
{
    const char *t = s->t;
    for (size_t i = 0; i + 6 <= s->n; i++) {
        if (!is_digit(t[i]) || t[i] == '0' || !token_start(s, i))
            continue;
        if (!is_digit(t[i + 1]) || !is_digit(t[i + 2]) || !is_digit(t[i + 3])) {
            while (i + 1 < s->n && is_digit(t[i + 1]))
                i++;
            continue;
        }
        size_t p = i + 4;
        if (p < s->n && t[p] == ' ')
            p++;
        if (p + 2 > s->n || !is_upper(t[p]) || !is_upper(t[p + 1]) || !token_end(s, p + 2))
            continue;
        if (t[p] == 'S' && (t[p + 1] == 'A' || t[p + 1] == 'D' || t[p + 1] == 'S'))
            continue;
        add(s, ANON_POSTCODE, i, p + 2 - i, false);
        i = p + 1;
    }
}

/* ---- Names ----------------------------------------------------------------------------------- */

/*
 * Words that are written with a capital inside a Dutch sentence for other reasons than being a
 * person's name: places of the demo region and the big cities, organisation and institution
 * words, laws, holidays, languages and nationalities. Lower case; compared after folding ASCII
 * capitals (a linear scan: the list is short and texts are at most 64 KiB).
 */
static const char *const known_words[] = {
    "aanbieder",
    "afrikaans",
    "almere",
    "amersfoort",
    "amsterdam",
    "apeldoorn",
    "arabisch",
    "arnhem",
    "assen",
    "beilen",
    "bijstand",
    "borger",
    "breda",
    "brinkhoeve",
    "cak",
    "centrum",
    "coevorden",
    "corona",
    "covid",
    "dagbesteding",
    "de",
    "den",
    "deventer",
    "dorpsnabij",
    "drenthe",
    "drents",
    "drentse",
    "duits",
    "duitsland",
    "eindhoven",
    "emmen",
    "engels",
    "esakker",
    "europa",
    "europese",
    "friesland",
    "gemeente",
    "gezinshuis",
    "god",
    "gouda",
    "groningen",
    "haag",
    "haarlem",
    "hoogeveen",
    "huis",
    "jeugd",
    "jeugdhulp",
    "jeugdwet",
    "jeugdzorg",
    "kerst",
    "kerstmis",
    "klaverkamp",
    "leiden",
    "maastricht",
    "marokkaans",
    "marokkaanse",
    "meppel",
    "nederland",
    "nederlands",
    "nederlandse",
    "nijmegen",
    "odoorn",
    "oekraïens",
    "oekraïne",
    "oekraïense",
    "oud",
    "pasen",
    "pinksteren",
    "pools",
    "poolse",
    "praktijk",
    "ramadan",
    "raad",
    "regio",
    "rotterdam",
    "sinterklaas",
    "sociaal",
    "stichting",
    "suikerfeest",
    "surinaams",
    "syrisch",
    "syrië",
    "team",
    "thuis",
    "tilburg",
    "turks",
    "turkse",
    "utrecht",
    "veenstroom",
    "veilig",
    "voedselbank",
    "westerveld",
    "wijkteam",
    "wmo",
    "wolden",
    "zorg",
    "zorgboerderij",
    "zuid",
    "zwolle",
    "cjg",
    "ggd",
    "ggz",
    "uwv",
    "svb",
    "inspectie",
    "jeugdautoriteit",
    "jeugdbescherming",
    "jeugdreclassering",
    "kinderbescherming",
    "politie",
    "rechtbank",
    "provincie",
    "rijk",
    "kamer",
    "tweede",
    "toegang",
    "huisarts",
    "school",
    "basisschool",
    "mbo",
    "hbo",
    "vmbo",
    "havo",
    "vwo",
    "participatiewet",
    "zorgverzekeringswet",
    "wlz",
    "zvw",
    "jeugdregio",
    "zuidoost",
    "noord",
    "oost",
    "west",
    "wijk",
    "dorp",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "ouderenzorg",
    "mantelzorg",
    "mantelzorgers",
    "welzijn",
    "buurtzorg",
    "jeugdteam",
    "sociale",
    "dienst",
    "zorgkantoor",
    "ziekenhuis",
    "halt",
    "moskee",
    "kerk",
    "teams",
    "zoom",
    "whatsapp",
    "facebook",
    "google",
    "internet",
    "coronatijd",
    "lockdown",
    "ok",
    "oké",
};

/* Common first names, reported wherever they stand (a sentence may start with a name). */
static const char *const first_names[] = {
    "ahmed", "anna",   "anne",   "bram",    "daan",  "emma",    "eva",      "fatima",  "fleur",
    "henk",  "ingrid", "jan",    "jannie",  "jesse", "joost",   "julia",    "kees",    "lars",
    "lisa",  "lucas",  "mark",   "marloes", "mila",  "mohamed", "mohammed", "noah",    "piet",
    "sanne", "sem",    "sophie", "thijs",   "tim",   "tess",    "wim",      "youssef",
};

static bool in_list(const char *const *list, size_t n, const char *w, size_t wl)
{
    char buf[48];
    if (wl >= sizeof buf)
        return false;
    for (size_t k = 0; k < wl; k++)
        buf[k] = fold(w[k]);
    buf[wl] = '\0';
    for (size_t k = 0; k < n; k++)
        if (strcmp(list[k], buf) == 0)
            return true;
    return false;
}

/* Bytes of one letter at p (ASCII letter, or a UTF-8 sequence of a Latin letter), or 0. */
static size_t letter_len(const struct scan *s, size_t p, bool *upper)
{
    unsigned char c = (unsigned char)s->t[p];
    *upper = false;
    if (is_upper((char)c)) {
        *upper = true;
        return 1;
    }
    if (is_lower((char)c))
        return 1;
    /* U+00C0..U+017F: Latin-1 letters and Latin Extended-A (é, ë, ï, ç, ş, ł ...). */
    if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && p + 1 < s->n) {
        unsigned char d = (unsigned char)s->t[p + 1];
        if (d < 0x80 || d > 0xBF)
            return 0;
        if (c == 0xC3 && (d == 0x97 || d == 0xB7)) /* × ÷ */
            return 0;
        unsigned cp = ((unsigned)(c & 0x1F) << 6) | (d & 0x3F);
        *upper = c == 0xC3 ? d < 0x9F : (cp % 2 == 0 && cp != 0x138);
        return 2;
    }
    return 0;
}

/* Abbreviations whose full stop does not end a sentence; after the forms of address a
 * capitalised word is a name. */
static const char *const no_stop[] = {"dhr", "mevr", "mw",    "mr",    "dr",      "bijv", "ca",
                                      "nr",  "o.a",  "m.b.t", "t.a.v", "z.g.a.n", "juf",  "mvr"};

/* An opening quotation mark: '"', '“', '‘', '„' or '«'. A quote starts a sentence of its own
 * ("zegt ze \"Dat hielp.\""); a closing mark does not. */
static bool opening_quote(const struct scan *s, size_t i)
{
    const unsigned char *u = (const unsigned char *)s->t;
    if (u[i] == '"')
        return true;
    if (u[i] == 0xC2 && i + 1 < s->n && u[i + 1] == 0xAB)
        return true;
    return u[i] == 0xE2 && i + 2 < s->n && u[i + 1] == 0x80 &&
           (u[i + 2] == 0x9C || u[i + 2] == 0x98 || u[i + 2] == 0x9E);
}

static void scan_name(struct scan *s)
{
    const char *t = s->t;
    bool sentence_start = true; /* the text starts a sentence */
    size_t i = 0;
    while (i < s->n) {
        bool up;
        size_t l = letter_len(s, i, &up);
        if (!l) {
            unsigned char c = (unsigned char)t[i];
            if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '\n' ||
                c == '\r' || opening_quote(s, i))
                sentence_start = true;
            else if (c >= 0x80 && c < 0xC0)
                ; /* continuation byte of a quote or dash: no change */
            else if (is_digit((char)c))
                sentence_start = false;
            i++;
            continue;
        }
        /* A word: letters (and digits) up to the next other byte. */
        size_t w = i;
        bool first_up = up, rest_lower = true;
        size_t nletters = 0;
        while (i < s->n) {
            bool u;
            size_t ll = letter_len(s, i, &u);
            if (!ll) {
                if (is_digit(t[i])) {
                    rest_lower = false;
                    i++;
                    continue;
                }
                break;
            }
            if (nletters > 0 && u)
                rest_lower = false;
            nletters++;
            i += ll;
        }
        size_t wl = i - w;
        bool capitalised = first_up && rest_lower && nletters >= 2;
        if (capitalised && !in_list(known_words, ARRAY_LEN(known_words), t + w, wl) &&
            (!sentence_start || in_list(first_names, ARRAY_LEN(first_names), t + w, wl)))
            add(s, ANON_NAME, w, wl, false);
        /* An initial ("J.") or an abbreviation: its full stop does not start a sentence. */
        if (i < s->n && t[i] == '.') {
            bool abbr =
                (nletters == 1 && first_up) || in_list(no_stop, ARRAY_LEN(no_stop), t + w, wl);
            if (abbr) {
                i++;
                sentence_start = false;
                continue;
            }
        }
        sentence_start = false;
    }
}

/* ---- Merge ----------------------------------------------------------------------------------- */

static int by_offset(const void *x, const void *y)
{
    const struct anon_finding *a = x, *b = y;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return a->kind < b->kind ? -1 : a->kind > b->kind;
}

int anon_check(const char *text, size_t len, unsigned which, struct arena *a,
               struct anon_report *out)
{
    memset(out, 0, sizeof *out);
    if (len > ANON_MAX_TEXT)
        return ERR_TOO_BIG;
    if (!text || len == 0)
        return 0;
    struct scan s = {.t = text, .n = len, .a = a};
    if (which & ANON_EMAIL)
        scan_email(&s);
    if (which & ANON_PHONE)
        scan_phone(&s);
    if (which & ANON_BIRTH_DATE)
        scan_date(&s);
    if (which & ANON_BSN_LIKE)
        scan_bsn(&s);
    if (which & ANON_POSTCODE)
        scan_postcode(&s);
    if (which & ANON_NAME)
        scan_name(&s);
    if (s.err)
        return s.err;
    if (s.nc > 1)
        qsort(s.c, s.nc, sizeof *s.c, by_offset);
    size_t keep = 0, end = 0;
    for (size_t k = 0; k < s.nc; k++) {
        if (keep > 0 && s.c[k].offset < end)
            continue; /* overlaps an earlier finding */
        s.c[keep++] = s.c[k];
        end = s.c[k].offset + s.c[k].len;
    }
    out->ntotal = keep + s.extra;
    out->nfindings = keep < ANON_MAX_FINDINGS ? keep : ANON_MAX_FINDINGS;
    for (size_t k = 0; k < keep; k++)
        out->kinds |= (unsigned)s.c[k].kind;
    for (size_t k = 0; k < out->nfindings; k++) {
        s.c[k].excerpt = arena_strndup(a, text + s.c[k].offset, s.c[k].len);
        if (!s.c[k].excerpt)
            return ERR_NOMEM;
    }
    out->findings = out->nfindings ? s.c : NULL;
    return 0;
}

const char *anon_kind_label(enum anon_kind k)
{
    switch (k) {
    case ANON_BSN_LIKE:
        return _("mogelijk BSN");
    case ANON_EMAIL:
        return _("e-mailadres");
    case ANON_PHONE:
        return _("telefoonnummer");
    case ANON_BIRTH_DATE:
        return _("geboortedatum");
    case ANON_POSTCODE:
        return _("postcode");
    case ANON_NAME:
        return _("mogelijk een naam");
    }
    return "";
}

const char *anon_kind_code(enum anon_kind k)
{
    switch (k) {
    case ANON_BSN_LIKE:
        return "bsn";
    case ANON_EMAIL:
        return "email";
    case ANON_PHONE:
        return "telefoon";
    case ANON_BIRTH_DATE:
        return "geboortedatum";
    case ANON_POSTCODE:
        return "postcode";
    case ANON_NAME:
        return "naam";
    }
    return "";
}
