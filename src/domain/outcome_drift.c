/*
 * outcome_drift.c: the activity-drift heuristic. Notes are lower-cased (ASCII; the phrase lists
 * are lower case UTF-8) and scanned for phrases that start at a word boundary: activity
 * phrases (effort, numbers of sessions, "we hebben ... georganiseerd") and outcome phrases
 * (resultaat, effect, verschil, "cliënten zeggen"). A phrase is a word start, so "training"
 * also counts "trainingen". Numbers directly followed by a unit of effort ("12 uur",
 * "30 sessies") count as an activity phrase as well.
 */
#include "domain/outcome_drift.h"
#include "core/common.h"

/* Effort, output and the organisation of work. */
static const char *const activity_phrases[] = {
    "georganiseerd",
    "organiseren",
    "training",
    "cursus",
    "workshop",
    "bijeenkomst",
    "sessies",
    "sessie ",
    "uren ",
    "uur per",
    "aantal gesprekken",
    "gesprekken gevoerd",
    "huisbezoek",
    "contactmoment",
    "ingezet",
    "inzet van",
    "fte",
    "formatie",
    "caseload",
    "uitgevoerd",
    "geleverd",
    "productie",
    "declaratie",
    "aantal deelnemers",
    "deelnemers",
    "folder",
    "flyer",
    "voorlichting",
    "activiteit",
    "geworven",
    "aangenomen",
    "vergadering",
    "overleggen",
    "overleg gehad",
    "ingepland",
    "planning",
    "roosters",
    "rooster",
    "we hebben",
    "wij hebben",
    "hebben we",
    "zijn we gestart",
    "opgestart",
    "uitgerold",
};

/* Results for residents and clients, effects, experiences, movement of figures. */
static const char *const outcome_phrases[] = {
    "resultaat",
    "resultaten",
    "effect",
    "verschil",
    "doel bereikt",
    "doelen bereikt",
    "doelrealisatie",
    "doel gehaald",
    "uitkomst",
    "verbeter",
    "verslechter",
    "cliënten zeggen",
    "clienten zeggen",
    "inwoners zeggen",
    "jongeren zeggen",
    "ouders zeggen",
    "ervaren",
    "ervaring",
    "tevreden",
    "zelfredzaam",
    "zelfstandig",
    "herhaal",
    "terugval",
    "uitstroom",
    "uitval",
    "indicator",
    "gestegen",
    "gedaald",
    "toegenomen",
    "afgenomen",
    "percentage",
    "procent",
    "%",
    "betekent voor",
    "merken",
    "verhalen",
    "kwaliteit van leven",
    "meedoen",
    "school",
    "werk gevonden",
    "schulden",
    "veilig",
    "thuis wonen",
};

/* Units of effort after a number: "12 uur", "30 sessies", "4 keer". */
static const char *const effort_units[] = {
    "uur",  "uren", "sessies",      "bijeenkomsten", "trainingen", "workshops",
    "keer", "fte",  "huisbezoeken", "gesprekken",    "deelnemers", "contactmomenten",
};

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static bool starts_with(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return k <= n && memcmp(s, p, k) == 0;
}

static int count_phrases(const char *t, size_t n, const char *const *list, size_t nlist)
{
    int hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && is_letter((unsigned char)t[i - 1]) && t[i] != '%')
            continue; /* phrases start at a word boundary */
        for (size_t k = 0; k < nlist; k++)
            if (starts_with(t + i, n - i, list[k])) {
                hits++;
                break;
            }
    }
    return hits;
}

static int count_effort_numbers(const char *t, size_t n)
{
    int hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] >= '0' && t[i] <= '9') || (i > 0 && is_letter((unsigned char)t[i - 1])))
            continue;
        size_t j = i;
        while (j < n && ((t[j] >= '0' && t[j] <= '9') || t[j] == '.' || t[j] == ','))
            j++;
        while (j < n && t[j] == ' ')
            j++;
        for (size_t k = 0; k < ARRAY_LEN(effort_units); k++) {
            size_t u = strlen(effort_units[k]);
            if (starts_with(t + j, n - j, effort_units[k]) &&
                (j + u == n || !is_letter((unsigned char)t[j + u]))) {
                hits++;
                break;
            }
        }
        i = j;
    }
    return hits;
}

const char *outcome_drift_check(const char *text, struct drift_result *out)
{
    struct drift_result r = {0};
    size_t n = text ? strlen(text) : 0;
    if (n > DRIFT_MAX_TEXT)
        n = DRIFT_MAX_TEXT;
    if (n >= DRIFT_MIN_TEXT) {
        char *low = malloc(n + 1);
        if (low) {
            for (size_t i = 0; i < n; i++) {
                char c = text[i];
                low[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            }
            low[n] = '\0';
            r.activity_hits = count_phrases(low, n, activity_phrases, ARRAY_LEN(activity_phrases)) +
                              count_effort_numbers(low, n);
            r.outcome_hits = count_phrases(low, n, outcome_phrases, ARRAY_LEN(outcome_phrases));
            free(low);
        }
        r.drift = r.activity_hits >= 2 && r.activity_hits >= 3 * r.outcome_hits;
    }
    if (out)
        *out = r;
    if (!r.drift)
        return NULL;
    return _("Deze aantekeningen gaan vooral over activiteiten en inzet (uren, bijeenkomsten, wat "
             "er georganiseerd is). Wat betekent dit voor de resultaten: wat is er veranderd voor "
             "inwoners, en hoe zien we dat terug?");
}
