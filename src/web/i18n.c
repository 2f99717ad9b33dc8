/*
 * i18n.c: per-thread locales for gettext. glibc's gettext follows the calling thread's locale
 * (uselocale), so one process serves Dutch and English at once without a global switch.
 */
#include "web/i18n.h"
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include <locale.h>

static locale_t loc_nl, loc_en;

static locale_t open_first(const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        locale_t l = newlocale(LC_ALL_MASK, names[i], (locale_t)0);
        /* Only the language follows the reader: numbers in logs, JSON and CSV keep the "C"
         * decimal point; people-facing numbers are formatted in Dutch style on purpose. */
        locale_t c = l ? newlocale(LC_NUMERIC_MASK, "C", l) : (locale_t)0;
        if (c)
            return c;
        if (l)
            freelocale(l);
    }
    return (locale_t)0;
}

void i18n_init(const char *localedir)
{
    /* LANGUAGE would override the per-thread choice for every request. */
    unsetenv("LANGUAGE");
    setlocale(LC_ALL, "C.UTF-8");
    bindtextdomain("duiding", localedir);
    bind_textdomain_codeset("duiding", "UTF-8");
    textdomain("duiding");
    /* Dutch msgids need no catalog: any UTF-8 locale will do when nl_NL is absent. */
    static const char *const nl[] = {"nl_NL.UTF-8", "nl_NL.utf8", "C.UTF-8"};
    static const char *const en[] = {"en_GB.UTF-8", "en_GB.utf8", "en_US.UTF-8", "en_US.utf8"};
    loc_nl = open_first(nl, ARRAY_LEN(nl));
    loc_en = open_first(en, ARRAY_LEN(en));
    if (!loc_en)
        log_warn("i18n.locale", "msg",
                 "no English locale installed; English falls back to "
                 "Dutch. Run scripts/deps.sh or generate en_GB.UTF-8 with locale-gen.",
                 NULL);
}

bool i18n_supported(const char *lang)
{
    return lang && (strcmp(lang, "nl") == 0 || strcmp(lang, "en") == 0);
}

void i18n_use(const char *lang)
{
    locale_t l = (lang && strcmp(lang, "en") == 0 && loc_en) ? loc_en : loc_nl;
    if (l)
        uselocale(l);
}

const char *i18n_from_accept_language(const char *header)
{
    const char *best = NULL;
    int64_t best_q = -1;
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct str item = {p, len};
        const char *semi = memchr(p, ';', len);
        struct str tag = {p, semi ? (size_t)(semi - p) : len};
        tag = str_trim(tag);
        int64_t q = 1000;
        if (semi) {
            struct str qs = str_trim((struct str){semi + 1, len - (size_t)(semi + 1 - p)});
            if (qs.len > 2 && qs.p[0] == 'q' && qs.p[1] == '=') {
                double d;
                if (str_parse_decimal((struct str){qs.p + 2, qs.len - 2}, &d) == 0 && d >= 0 &&
                    d <= 1)
                    q = (int64_t)(d * 1000);
                else
                    q = 0;
            }
        }
        const char *lang = NULL;
        if (tag.len >= 2 && str_eq_nocase((struct str){tag.p, 2}, STR_LIT("nl")) &&
            (tag.len == 2 || tag.p[2] == '-'))
            lang = "nl";
        else if (tag.len >= 2 && str_eq_nocase((struct str){tag.p, 2}, STR_LIT("en")) &&
                 (tag.len == 2 || tag.p[2] == '-'))
            lang = "en";
        if (lang && q > best_q && q > 0) {
            best = lang;
            best_q = q;
        }
        UNUSED(item);
        p = end ? end + 1 : NULL;
    }
    return best;
}
