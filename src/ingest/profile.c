/*
 * profile.c: column-mapping profiles for providers' registration exports: the fields of the
 * CBS Beleidsinformatie Jeugd record (and its Wmo counterpart) with their Dutch labels, help
 * texts and the header names real exports use; the profile's JSON form; validation; a preview
 * of a CSV/XLSX sample with suggestions (header row, columns, value maps); and the stored
 * profiles with their policy checks and audit events.
 */
#include "ingest/profile.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "ingest/csv.h"
#include "ingest/pseudonym.h"
#include "ingest/text_fold.h"
#include "ingest/xlsx.h"
#include "store/profile_store.h"
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#define PROFILE_JSON_VERSION 1
#define FIND_CAP             8 /* same-named profiles looked at by profile_find */
#define SNIFF_BYTES          (256 * 1024)
#define HEADER_SCAN_ROWS     15 /* rows looked at for the header */
#define DETAIL_MAX           160

/* ---- The fields. ----------------------------------------------------------------------------- */

/* Synonyms are compared after folding (text_fold.h), so case, accents and punctuation do not
 * matter. Short generic words only ever match a whole header, never part of one. */
static const struct reg_field_info fields[RF_COUNT] = {
    [RF_CLIENT_BSN] = {"bsn", N_("BSN"),
                       N_("Burgerservicenummer van de cliënt (9 cijfers). Het wordt gecontroleerd "
                          "met de elfproef en meteen vervangen door een pseudoniem; het BSN zelf "
                          "wordt nooit bewaard."),
                       NULL,
                       "bsn|burgerservicenummer|burger service nummer|bsn client|bsn clienten|"
                       "bsn jeugdige|bsn nummer|bsnnummer|bsn cl|sofinummer|sofi nummer"},
    [RF_CLIENT_KEY] = {"clientsleutel", N_("Cliëntsleutel"),
                       N_("Uw eigen (gepseudonimiseerde) cliëntnummer, als het bestand geen BSN "
                          "bevat. Hetzelfde nummer moet bij elke levering dezelfde cliënt "
                          "aanduiden."),
                       NULL,
                       "clientsleutel|client sleutel|client id|clientid|client_id|clientnummer|"
                       "client nummer|clientnr|client nr|cliëntnummer|clientcode|client code|"
                       "dossiernummer|dossier nummer|dossiernr|dossier nr|pseudoniem|pseudo id|"
                       "registratienummer|patientnummer|id client|cliënt-id"},
    [RF_GEMEENTE] = {"gemeente", N_("Gemeente"),
                     N_("De woongemeente van de cliënt (woonplaatsbeginsel): de CBS-code, zoals "
                        "0114 of GM0114, of de naam van de gemeente."),
                     NULL,
                     "gemeente|gemeentecode|gemeente code|woongemeente|woonplaatsgemeente|"
                     "gemeentenaam|gemeente naam|code gemeente|cbs code gemeente|gemeente cbs|"
                     "gm code|verantwoordelijke gemeente|gemeente woonplaatsbeginsel|"
                     "gemeente client|gemeente jeugdige"},
    [RF_HULPVORM] = {"hulpvorm", N_("Hulpvorm of productcategorie"),
                     N_("Jeugdwet: de CBS-hulpvorm (01-04 zonder verblijf, 11-14 met verblijf). "
                        "Wmo: de productcategorie (bijvoorbeeld 02 Begeleiding)."),
                     "CBS-HULPVORM",
                     "hulpvorm|soort hulp|soort jeugdhulp|vorm van hulp|hulp vorm|zorgvorm|"
                     "cbs hulpvorm|hulpvorm cbs|type hulp|productcategorie|product categorie|"
                     "categorie|voorziening|soort voorziening|soort ondersteuning"},
    [RF_PRODUCT_CODE] = {"productcode", N_("Productcode"),
                         N_("De productcode uit de productcodelijst (hoogstens 5 tekens), als uw "
                            "export die heeft."),
                         NULL,
                         "productcode|product code|product|prestatiecode|prestatie code|"
                         "zorgproductcode|productnummer"},
    [RF_START] = {"startdatum", N_("Startdatum"),
                  N_("Datum aanvang: het eerste echte hulpcontact (niet de intake), bijvoorbeeld "
                     "2024-03-01 of 1-3-2024."),
                  NULL,
                  "startdatum|start datum|datum aanvang|aanvangsdatum|datum start|begindatum|"
                  "begin datum|datum begin|ingangsdatum|aanvang|start|begin|startdatum hulp|"
                  "startdatum traject|datum aanvang jeugdhulp|aanvang hulp|begindatum zorg"},
    [RF_END] = {"einddatum", N_("Einddatum"),
                N_("Datum einde: de laatste dag van de hulp. Leeg zolang de hulp loopt."), NULL,
                "einddatum|eind datum|datum einde|datum eind|einde|eind|datum beeindiging|"
                "beeindigingsdatum|afsluitdatum|datum afsluiting|einddatum hulp|"
                "einddatum traject|datum einde jeugdhulp|stopdatum|datum stop"},
    [RF_REASON] = {"reden", N_("Reden beëindiging"),
                   N_("De CBS-reden: 01 volgens plan, 02 voortijdig in overeenstemming, 03 "
                      "voortijdig eenzijdig door de cliënt, 04 voortijdig eenzijdig door de "
                      "aanbieder, 05 externe omstandigheden."),
                   "CBS-REDEN",
                   "reden|reden beeindiging|reden einde|reden eind|reden afsluiting|"
                   "reden beeindiging jeugdhulp|reden stoppen|reden stop|beeindigingsreden|"
                   "afsluitreden|reden uitstroom|uitstroomreden|einde reden"},
    [RF_REFERRER] = {"verwijzer", N_("Verwijzer"),
                     N_("Wie verwees: 01 gemeente, 02 huisarts, 03 jeugdarts, 04 gecertificeerde "
                        "instelling, 05 medisch specialist, 06 geen verwijzer, 08 rechter of "
                        "officier van justitie."),
                     "CBS-VERWIJZER",
                     "verwijzer|verwijzing|verwezen door|verwijzende partij|soort verwijzer|"
                     "type verwijzer|verwijzer cbs|toeleider"},
    [RF_SATISFACTION] = {"tevredenheid", N_("Tevredenheid"),
                         N_("Rapportcijfer van 1 tot en met 10 voor hoe nuttig de hulp was."), NULL,
                         "tevredenheid|rapportcijfer|cijfer|cijfer tevredenheid|"
                         "tevredenheidscijfer|score tevredenheid|waardering|cijfer nut|"
                         "tevredenheid client|rapportcijfer hulp|nut van de hulp"},
    [RF_ZONDER_HULP] = {"zonder_hulp", N_("Zonder hulp verder"),
                        N_("01 eenzelfde of zwaardere hulp nodig, 02 lichtere hulp is genoeg, 03 "
                           "nu geen hulp maar later misschien wel, 04 geen verdere hulp nodig."),
                        "CBS-ZHV",
                        "zonder hulp verder|zonder hulp|verdere hulp|vervolghulp|vervolg hulp|"
                        "hulp nodig na afloop|zhv"},
    [RF_INFORMANT] = {"informant", N_("Informant"),
                      N_("Wie de vragen beantwoordde: 01 de jeugdige (cliënt), 02 de ouder of "
                         "verzorger."),
                      "CBS-INFORMANT",
                      "informant|type informant|ingevuld door|respondent|beantwoord door|"
                      "invuller"},
    [RF_GOAL] = {"doelrealisatie", N_("Doelrealisatie"),
                 N_("In hoeverre de doelen zijn bereikt: een percentage van 0 tot en met 100, of "
                    "ja, deels of nee."),
                 NULL,
                 "doelrealisatie|doel realisatie|doelen behaald|doelen bereikt|doel bereikt|"
                 "doel behaald|doelbereik|percentage doelrealisatie|mate van doelrealisatie|"
                 "resultaat doelen"},
    [RF_BIRTH_DATE] = {"geboortedatum", N_("Geboortedatum"),
                       N_("Wordt omgerekend naar de leeftijd op de startdatum; de datum zelf "
                          "wordt niet bewaard."),
                       NULL,
                       "geboortedatum|geboorte datum|geb datum|gebdatum|geb dat|datum geboorte|"
                       "geboren"},
    [RF_AGE] = {"leeftijd", N_("Leeftijd"),
                N_("Leeftijd in hele jaren op de startdatum, als het bestand geen geboortedatum "
                   "heeft."),
                NULL,
                "leeftijd|leeftijd bij start|leeftijd start|leeftijd aanvang|leeftijd in jaren|"
                "age"},
    [RF_GENDER] = {"geslacht", N_("Geslacht"), N_("Man, vrouw of onbekend (ook m/v of 1, 2 en 0)."),
                   "COD046", "geslacht|gender|sekse|m v"},
    [RF_POSTCODE] = {"postcode", N_("Postcode"),
                     N_("Postcode van het woonadres; alleen de 4 cijfers worden bewaard."), NULL,
                     "postcode|postcode client|postcode woonadres|pc|pc4|postcode cijfers"},
};

const struct reg_field_info *reg_field(enum reg_field f)
{
    if ((int)f < 0 || f >= RF_COUNT)
        return NULL;
    return &fields[f];
}

enum reg_field reg_field_by_code(const char *code)
{
    if (!code)
        return RF_COUNT;
    for (int f = 0; f < RF_COUNT; f++)
        if (strcmp(fields[f].code, code) == 0)
            return (enum reg_field)f;
    return RF_COUNT;
}

bool reg_field_codelist(enum reg_field f, enum law law, const char **list, const char **release)
{
    const char *l = NULL, *r = "v7";
    switch (f) {
    case RF_HULPVORM:
        if (law == LAW_WMO) {
            l = "WMO020";
            r = "3.2";
        } else {
            l = "CBS-HULPVORM";
        }
        break;
    case RF_REASON:
        l = "CBS-REDEN";
        break;
    case RF_REFERRER:
        l = "CBS-VERWIJZER";
        break;
    case RF_ZONDER_HULP:
        l = "CBS-ZHV";
        break;
    case RF_INFORMANT:
        l = "CBS-INFORMANT";
        break;
    case RF_GENDER:
        l = "COD046";
        r = "3.2";
        break;
    default:
        return false;
    }
    if (list)
        *list = l;
    if (release)
        *release = r;
    return true;
}

/* ---- Standard codes and suggestions. --------------------------------------------------------- */

/* True if needle occurs in hay as whole words (both folded: single spaces, no edges). */
static bool has_words(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return false;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        bool start = p == hay || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

static const struct code_entry *find_code(const char *list, const char *release, const char *code)
{
    if (codelist_load() != 0)
        return NULL;
    return codelist_find(list, release, code);
}

const char *reg_standard_code(enum reg_field f, enum law law, const char *value, size_t n)
{
    const char *list, *release;
    struct str v = str_trim((struct str){value, value ? n : 0});
    char code[8];
    if (v.len == 0 || !reg_field_codelist(f, law, &list, &release))
        return NULL;
    if (f == RF_GENDER) {
        static const struct {
            const char *word, *code;
        } genders[] = {
            {"m", "1"},     {"man", "1"},        {"mannelijk", "1"}, {"jongen", "1"},   {"v", "2"},
            {"vrouw", "2"}, {"vrouwelijk", "2"}, {"meisje", "2"},    {"onbekend", "0"}, {"o", "0"},
        };
        char fv[TEXT_FOLD_MAX];
        text_fold(v.p, v.len, fv, sizeof fv);
        for (size_t i = 0; i < ARRAY_LEN(genders); i++)
            if (strcmp(fv, genders[i].word) == 0)
                return genders[i].code;
    }
    if (v.len >= sizeof code)
        return NULL;
    memcpy(code, v.p, v.len);
    code[v.len] = '\0';
    const struct code_entry *ce = find_code(list, release, code);
    if (!ce && v.len == 1 && code[0] >= '0' && code[0] <= '9') {
        char two[3] = {'0', code[0], '\0'};
        ce = find_code(list, release, two);
    } else if (!ce && v.len == 2 && code[0] == '0') {
        ce = find_code(list, release, code + 1);
    }
    return ce ? ce->code : NULL;
}

/* Words that providers use for a code, in the order they are tried (specific first). Folded. */
struct keyword {
    enum reg_field field;
    int law; /* 0 = both */
    const char *words;
    const char *code;
};

static const struct keyword keywords[] = {
    {RF_REASON, 0, "in overeenstemming", "02"},
    {RF_REASON, 0, "in overleg", "02"},
    {RF_REASON, 0, "wederzijds", "02"},
    {RF_REASON, 0, "door client", "03"},
    {RF_REASON, 0, "door de client", "03"},
    {RF_REASON, 0, "client gestopt", "03"},
    {RF_REASON, 0, "uitval", "03"},
    {RF_REASON, 0, "no show", "03"},
    {RF_REASON, 0, "drop out", "03"},
    {RF_REASON, 0, "niet meer verschenen", "03"},
    {RF_REASON, 0, "door aanbieder", "04"},
    {RF_REASON, 0, "door de aanbieder", "04"},
    {RF_REASON, 0, "verhuisd", "05"},
    {RF_REASON, 0, "verhuizing", "05"},
    {RF_REASON, 0, "overleden", "05"},
    {RF_REASON, 0, "overlijden", "05"},
    {RF_REASON, 0, "externe omstandigheden", "05"},
    {RF_REASON, 0, "volgens plan", "01"},
    {RF_REASON, 0, "afgerond", "01"},
    {RF_REASON, 0, "regulier", "01"},
    {RF_REASON, 0, "doelen behaald", "01"},
    {RF_HULPVORM, LAW_JW, "wijkteam", "01"},
    {RF_HULPVORM, LAW_JW, "buurtteam", "01"},
    {RF_HULPVORM, LAW_JW, "lokaal team", "01"},
    {RF_HULPVORM, LAW_JW, "gesloten", "13"},
    {RF_HULPVORM, LAW_JW, "pleegzorg", "11"},
    {RF_HULPVORM, LAW_JW, "pleeggezin", "11"},
    {RF_HULPVORM, LAW_JW, "gezinshuis", "12"},
    {RF_HULPVORM, LAW_JW, "gezinsgericht", "12"},
    {RF_HULPVORM, LAW_JW, "residentieel", "14"},
    {RF_HULPVORM, LAW_JW, "verblijf", "14"},
    {RF_HULPVORM, LAW_JW, "dagbehandeling", "03"},
    {RF_HULPVORM, LAW_JW, "daghulp", "03"},
    {RF_HULPVORM, LAW_JW, "netwerk", "04"},
    {RF_HULPVORM, LAW_JW, "ambulant", "02"},
    {RF_HULPVORM, LAW_JW, "ambulante", "02"},
    {RF_HULPVORM, LAW_WMO, "huishoudelijke hulp", "01"},
    {RF_HULPVORM, LAW_WMO, "huishouden", "01"},
    {RF_HULPVORM, LAW_WMO, "hbh", "01"},
    {RF_HULPVORM, LAW_WMO, "persoonlijke verzorging", "03"},
    {RF_HULPVORM, LAW_WMO, "kortdurend verblijf", "04"},
    {RF_HULPVORM, LAW_WMO, "logeren", "04"},
    {RF_HULPVORM, LAW_WMO, "dagbesteding", "07"},
    {RF_HULPVORM, LAW_WMO, "beschermd wonen", "15"},
    {RF_HULPVORM, LAW_WMO, "maatschappelijke opvang", "16"},
    {RF_HULPVORM, LAW_WMO, "begeleiding", "02"},
    {RF_HULPVORM, LAW_WMO, "vervoer", "08"},
    {RF_HULPVORM, LAW_WMO, "rolstoel", "11"},
    {RF_REFERRER, 0, "gecertificeerde instelling", "04"},
    {RF_REFERRER, 0, "jeugdbescherming", "04"},
    {RF_REFERRER, 0, "gi", "04"},
    {RF_REFERRER, 0, "huisarts", "02"},
    {RF_REFERRER, 0, "jeugdarts", "03"},
    {RF_REFERRER, 0, "consultatiebureau", "03"},
    {RF_REFERRER, 0, "medisch specialist", "05"},
    {RF_REFERRER, 0, "specialist", "05"},
    {RF_REFERRER, 0, "ziekenhuis", "05"},
    {RF_REFERRER, 0, "rechter", "08"},
    {RF_REFERRER, 0, "rechtbank", "08"},
    {RF_REFERRER, 0, "officier van justitie", "08"},
    {RF_REFERRER, 0, "ovj", "08"},
    {RF_REFERRER, 0, "geen verwijzer", "06"},
    {RF_REFERRER, 0, "zelfverwijzer", "06"},
    {RF_REFERRER, 0, "zelf", "06"},
    {RF_REFERRER, 0, "geen", "06"},
    {RF_REFERRER, 0, "gemeente", "01"},
    {RF_REFERRER, 0, "wijkteam", "01"},
    {RF_REFERRER, 0, "toegang", "01"},
    {RF_ZONDER_HULP, 0, "later", "03"},
    {RF_ZONDER_HULP, 0, "zwaardere", "01"},
    {RF_ZONDER_HULP, 0, "eenzelfde", "01"},
    {RF_ZONDER_HULP, 0, "zelfde", "01"},
    {RF_ZONDER_HULP, 0, "lichtere", "02"},
    {RF_ZONDER_HULP, 0, "geen verdere hulp", "04"},
    {RF_ZONDER_HULP, 0, "geen hulp", "04"},
    {RF_INFORMANT, 0, "ouder", "02"},
    {RF_INFORMANT, 0, "ouders", "02"},
    {RF_INFORMANT, 0, "verzorger", "02"},
    {RF_INFORMANT, 0, "moeder", "02"},
    {RF_INFORMANT, 0, "vader", "02"},
    {RF_INFORMANT, 0, "pleegouder", "02"},
    {RF_INFORMANT, 0, "voogd", "02"},
    {RF_INFORMANT, 0, "jeugdige", "01"},
    {RF_INFORMANT, 0, "jongere", "01"},
    {RF_INFORMANT, 0, "kind", "01"},
    {RF_INFORMANT, 0, "client", "01"},
};

/* Words too common in labels to tell codes apart. */
static bool stop_word(const char *w, size_t n)
{
    static const char *const stop[] = {
        "de",   "het", "een",  "van", "door", "met",  "voor",   "en",     "op",
        "in",   "te",  "naar", "is",  "bij",  "aan",  "of",     "hulp",   "jeugdhulp",
        "niet", "wel", "nog",  "ik",  "heb",  "red",  "het",    "goed",   "nodig",
        "dat",  "die", "zijn", "als", "ook",  "geen", "zonder", "overig", "overige",
    };
    if (n < 3)
        return true;
    for (size_t i = 0; i < ARRAY_LEN(stop); i++)
        if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
            return true;
    return false;
}

/* Number of significant words of a (folded) that also occur in b (folded). */
static int shared_words(const char *a, const char *b, int *na)
{
    int shared = 0, total = 0;
    const char *p = a;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!stop_word(p, n)) {
            char w[TEXT_FOLD_MAX];
            memcpy(w, p, n);
            w[n] = '\0';
            total++;
            if (has_words(b, w))
                shared++;
        }
        p += n;
        if (*p == ' ')
            p++;
    }
    *na = total;
    return shared;
}

const char *reg_suggest_code(enum reg_field f, enum law law, const char *value, size_t n)
{
    const char *list, *release, *std;
    char fv[TEXT_FOLD_MAX];
    size_t ncodes = 0;
    if ((std = reg_standard_code(f, law, value, n)) != NULL)
        return std;
    if (!reg_field_codelist(f, law, &list, &release) || codelist_load() != 0)
        return NULL;
    if (text_fold(value, n, fv, sizeof fv) == 0)
        return NULL;
    const struct code_entry *codes = codelist_entries(list, release, &ncodes);

    /* The label itself. */
    for (size_t i = 0; i < ncodes; i++) {
        char fl[TEXT_FOLD_MAX];
        text_fold(codes[i].label, strlen(codes[i].label), fl, sizeof fl);
        if (strcmp(fl, fv) == 0)
            return codes[i].code;
    }
    /* A code in front: "02 Ambulant", "1. Beëindigd volgens plan". */
    const char *sp = strchr(fv, ' ');
    if (sp && sp - fv <= 2) {
        const char *c = reg_standard_code(f, law, fv, (size_t)(sp - fv));
        if (c)
            return c;
    }
    /* Known words. */
    for (size_t i = 0; i < ARRAY_LEN(keywords); i++) {
        const struct keyword *k = &keywords[i];
        if (k->field != f || (k->law != 0 && k->law != (int)law) || !has_words(fv, k->words))
            continue;
        const struct code_entry *ce = find_code(list, release, k->code);
        if (ce)
            return ce->code;
    }
    /* The one label that shares the most words, covering at least half of the value's. */
    int best = 0, nbest = 0, total = 0;
    const char *best_code = NULL;
    for (size_t i = 0; i < ncodes; i++) {
        char fl[TEXT_FOLD_MAX];
        text_fold(codes[i].label, strlen(codes[i].label), fl, sizeof fl);
        int s = shared_words(fv, fl, &total);
        if (s > best) {
            best = s;
            nbest = 1;
            best_code = codes[i].code;
        } else if (s == best && s > 0) {
            nbest++;
        }
    }
    if (best > 0 && nbest == 1 && best * 2 >= total)
        return best_code;
    return NULL;
}

/* ---- JSON. ----------------------------------------------------------------------------------- */

static const char *law_code(enum law law)
{
    return law == LAW_WMO ? "wmo" : law == LAW_JW ? "jeugdwet" : "";
}

static int law_parse(const char *s, enum law *out)
{
    if (strcmp(s, "jeugdwet") == 0)
        *out = LAW_JW;
    else if (strcmp(s, "wmo") == 0)
        *out = LAW_WMO;
    else
        return ERR_INVALID;
    return 0;
}

/* Builds the JSON object; NULL when out of memory. */
static json_t *profile_json(const struct mapping_profile *p)
{
    json_t *root = json_object(), *cols = json_object(), *vals = json_array();
    bool ok = root && cols && vals;
    if (ok)
        ok = json_object_set_new(root, "versie", json_integer(PROFILE_JSON_VERSION)) == 0 &&
             (!p->name || json_object_set_new(root, "naam", json_string(p->name)) == 0) &&
             json_object_set_new(root, "wet", json_string(law_code(p->law))) == 0 &&
             json_object_set_new(root, "kopregel", json_integer(p->header_row)) == 0;
    if (ok && p->delimiter) {
        char d[2] = {p->delimiter, '\0'};
        ok = json_object_set_new(root, "scheidingsteken", json_string(d)) == 0;
    }
    for (int f = 0; ok && f < RF_COUNT; f++)
        if (p->columns[f])
            ok = json_object_set_new(cols, fields[f].code, json_string(p->columns[f])) == 0;
    for (int i = 0; ok && i < p->nvalues; i++) {
        const struct value_map *v = &p->values[i];
        const struct reg_field_info *fi = reg_field(v->field);
        json_t *o = fi && v->from && v->to ? json_pack("{s:s, s:s, s:s}", "veld", fi->code, "van",
                                                       v->from, "naar", v->to)
                                           : NULL;
        ok = o && json_array_append_new(vals, o) == 0;
    }
    if (ok) {
        ok = json_object_set(root, "kolommen", cols) == 0 &&
             json_object_set(root, "waarden", vals) == 0;
    }
    json_decref(cols);
    json_decref(vals);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int profile_to_json(const struct mapping_profile *p, struct buf *out)
{
    if (!p || !out)
        return ERR_INVALID;
    json_t *root = profile_json(p);
    if (!root)
        return ERR_NOMEM;
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!s)
        return ERR_NOMEM;
    int ret = buf_append_str(out, s);
    free(s);
    return ret;
}

static int bad_json(struct err_ctx *e, const char *why)
{
    return err_set(e, ERR_INVALID, "definitie", _("Het profiel is ongeldig: %s"), why);
}

/* A string attribute of at most max bytes, copied into the arena. */
static int json_str(json_t *v, size_t max, struct arena *a, const char **out)
{
    if (!json_is_string(v) || json_string_length(v) > max)
        return ERR_INVALID;
    char *s = arena_strndup(a, json_string_value(v), json_string_length(v));
    if (!s)
        return ERR_TOO_BIG;
    if (strlen(s) != json_string_length(v))
        return ERR_INVALID; /* an embedded NUL */
    *out = s;
    return 0;
}

static int parse_columns(json_t *cols, struct arena *a, struct mapping_profile *p,
                         struct err_ctx *e)
{
    const char *key;
    json_t *v;
    if (!json_is_object(cols))
        return bad_json(e, _("'kolommen' moet een object zijn."));
    json_object_foreach(cols, key, v)
    {
        enum reg_field f = reg_field_by_code(key);
        if (f == RF_COUNT)
            return err_set(e, ERR_INVALID, "definitie",
                           _("Het profiel is ongeldig: onbekend veld '%.60s' in 'kolommen'."), key);
        int ret = json_str(v, PROFILE_COLUMN_MAX, a, &p->columns[f]);
        if (ret == ERR_TOO_BIG)
            return ret;
        if (ret)
            return err_set(e, ERR_INVALID, "definitie",
                           _("Het profiel is ongeldig: de kolom bij '%s' moet tekst zijn."), key);
    }
    return 0;
}

static int parse_values(json_t *vals, struct arena *a, struct mapping_profile *p, struct err_ctx *e)
{
    size_t i;
    json_t *el;
    if (!json_is_array(vals))
        return bad_json(e, _("'waarden' moet een lijst zijn."));
    if (json_array_size(vals) > PROFILE_MAX_VALUES)
        return err_set(e, ERR_TOO_BIG, "definitie",
                       _("Het profiel heeft te veel vertaalde waarden (hoogstens %d)."),
                       PROFILE_MAX_VALUES);
    p->values = arena_calloc(a, json_array_size(vals) + 1, sizeof *p->values);
    if (!p->values)
        return ERR_TOO_BIG;
    json_array_foreach(vals, i, el)
    {
        const char *k;
        json_t *v;
        const char *field = NULL, *from = NULL, *to = NULL;
        if (!json_is_object(el))
            return bad_json(e, _("elke vertaalde waarde moet een object zijn."));
        json_object_foreach(el, k, v)
        {
            const char **slot = strcmp(k, "veld") == 0   ? &field
                                : strcmp(k, "van") == 0  ? &from
                                : strcmp(k, "naar") == 0 ? &to
                                                         : NULL;
            if (!slot)
                return err_set(e, ERR_INVALID, "definitie",
                               _("Het profiel is ongeldig: onbekend veld '%.60s' in 'waarden'."),
                               k);
            int ret = json_str(v, PROFILE_VALUE_MAX, a, slot);
            if (ret == ERR_TOO_BIG)
                return ret;
            if (ret)
                return err_set(e, ERR_INVALID, "definitie",
                               _("Het profiel is ongeldig: '%s' in 'waarden' moet korte tekst "
                                 "zijn."),
                               k);
        }
        enum reg_field f = reg_field_by_code(field);
        if (f == RF_COUNT || !from || !to)
            return bad_json(e, _("een vertaalde waarde mist 'veld', 'van' of 'naar', of noemt "
                                 "een onbekend veld."));
        p->values[p->nvalues++] = (struct value_map){.field = f, .from = from, .to = to};
    }
    return 0;
}

int profile_from_json(const char *json, struct arena *a, struct mapping_profile *p,
                      struct err_ctx *e)
{
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *key;
    bool have_version = false, have_law = false, have_header = false;
    int ret = 0;

    if (!json || !a || !p)
        return ERR_INVALID;
    memset(p, 0, sizeof *p);
    if (strlen(json) > PROFILE_JSON_MAX)
        return err_set(e, ERR_TOO_BIG, "definitie", "%s", _("Het profiel is te groot."));
    root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        ret =
            err_set(e, ERR_INVALID, "definitie",
                    _("Het profiel is geen geldige JSON (regel %d): %.80s"), jerr.line, jerr.text);
        if (e)
            e->line = jerr.line > 0 ? (uint32_t)jerr.line : 0;
        return ret;
    }
    if (!json_is_object(root)) {
        ret = bad_json(e, _("het moet een JSON-object zijn."));
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "versie") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) != PROFILE_JSON_VERSION) {
                ret = err_set(e, ERR_INVALID, "definitie",
                              _("Deze versie van het profiel wordt niet ondersteund (verwacht: "
                                "%d)."),
                              PROFILE_JSON_VERSION);
                goto out;
            }
            have_version = true;
        } else if (strcmp(key, "naam") == 0) {
            if ((ret = json_str(v, PROFILE_NAME_MAX * 4, a, &p->name))) {
                if (ret != ERR_TOO_BIG)
                    ret = bad_json(e, _("'naam' moet tekst zijn."));
                goto out;
            }
        } else if (strcmp(key, "wet") == 0) {
            if (!json_is_string(v) || law_parse(json_string_value(v), &p->law) != 0) {
                ret = bad_json(e, _("'wet' moet \"jeugdwet\" of \"wmo\" zijn."));
                goto out;
            }
            have_law = true;
        } else if (strcmp(key, "kopregel") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > PROFILE_MAX_HEADER_ROW) {
                ret = err_set(e, ERR_INVALID, "definitie",
                              _("Het profiel is ongeldig: 'kopregel' moet een getal van 1 tot en "
                                "met %d zijn."),
                              PROFILE_MAX_HEADER_ROW);
                goto out;
            }
            p->header_row = (int)json_integer_value(v);
            have_header = true;
        } else if (strcmp(key, "scheidingsteken") == 0) {
            const char *d = json_is_string(v) ? json_string_value(v) : "";
            if (json_string_length(v) != 1 || (d[0] != ',' && d[0] != ';' && d[0] != '\t')) {
                ret = bad_json(e, _("'scheidingsteken' moet een komma, puntkomma of tab zijn."));
                goto out;
            }
            p->delimiter = d[0];
        } else if (strcmp(key, "kolommen") == 0) {
            if ((ret = parse_columns(v, a, p, e)))
                goto out;
        } else if (strcmp(key, "waarden") == 0) {
            if ((ret = parse_values(v, a, p, e)))
                goto out;
        } else {
            ret = err_set(e, ERR_INVALID, "definitie",
                          _("Het profiel is ongeldig: onbekend veld '%.60s'."), key);
            goto out;
        }
    }
    if (!have_version || !have_law || !have_header)
        ret = bad_json(e, _("'versie', 'wet' en 'kopregel' zijn verplicht."));
out:
    json_decref(root);
    return ret;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* Form field name of a field's column: "kolom_startdatum". Static buffer per field. */
static const char *column_field(enum reg_field f)
{
    static const char *const names[RF_COUNT] = {
        [RF_CLIENT_BSN] = "kolom_bsn",
        [RF_CLIENT_KEY] = "kolom_clientsleutel",
        [RF_GEMEENTE] = "kolom_gemeente",
        [RF_HULPVORM] = "kolom_hulpvorm",
        [RF_PRODUCT_CODE] = "kolom_productcode",
        [RF_START] = "kolom_startdatum",
        [RF_END] = "kolom_einddatum",
        [RF_REASON] = "kolom_reden",
        [RF_REFERRER] = "kolom_verwijzer",
        [RF_SATISFACTION] = "kolom_tevredenheid",
        [RF_ZONDER_HULP] = "kolom_zonder_hulp",
        [RF_INFORMANT] = "kolom_informant",
        [RF_GOAL] = "kolom_doelrealisatie",
        [RF_BIRTH_DATE] = "kolom_geboortedatum",
        [RF_AGE] = "kolom_leeftijd",
        [RF_GENDER] = "kolom_geslacht",
        [RF_POSTCODE] = "kolom_postcode",
    };
    return names[f];
}

static const char *value_field(enum reg_field f)
{
    static const char *const names[RF_COUNT] = {
        [RF_HULPVORM] = "waarden_hulpvorm",   [RF_REASON] = "waarden_reden",
        [RF_REFERRER] = "waarden_verwijzer",  [RF_ZONDER_HULP] = "waarden_zonder_hulp",
        [RF_INFORMANT] = "waarden_informant", [RF_GENDER] = "waarden_geslacht",
    };
    return names[f] ? names[f] : "waarden";
}

static int check_name(const char *name, struct err_ctx *e)
{
    struct str t = str_trim(str_from(name));
    if (t.len == 0)
        return err_set(e, ERR_INVALID, "naam", "%s", _("Vul een naam in voor het profiel."));
    if (!utf8_valid(t.p, t.len, NULL) || has_control(name))
        return err_set(e, ERR_INVALID, "naam", "%s", _("De naam bevat ongeldige tekens."));
    if (utf8_count(t.p, t.len) > PROFILE_NAME_MAX)
        return err_set(e, ERR_INVALID, "naam", _("De naam is te lang (hoogstens %d tekens)."),
                       PROFILE_NAME_MAX);
    return 0;
}

static int check_columns(const struct mapping_profile *p, struct err_ctx *e)
{
    char folded[RF_COUNT][TEXT_FOLD_MAX];
    for (int f = 0; f < RF_COUNT; f++) {
        const char *c = p->columns[f];
        folded[f][0] = '\0';
        if (!c)
            continue;
        struct str t = str_trim(str_from(c));
        if (t.len == 0 || t.len > PROFILE_COLUMN_MAX || !utf8_valid(t.p, t.len, NULL) ||
            has_control(c))
            return err_set(e, ERR_INVALID, column_field((enum reg_field)f),
                           _("Kies een geldige kolom voor %s."), _(fields[f].label));
        text_fold(t.p, t.len, folded[f], sizeof folded[f]);
        for (int g = 0; g < f; g++)
            if (p->columns[g] && strcmp(folded[g], folded[f]) == 0)
                return err_set(e, ERR_INVALID, column_field((enum reg_field)f),
                               _("De kolom '%.80s' is al gekozen voor %s. Elke kolom kan maar "
                                 "bij één veld horen."),
                               c, _(fields[g].label));
    }
    if (!p->columns[RF_CLIENT_BSN] && !p->columns[RF_CLIENT_KEY])
        return err_set(e, ERR_INVALID, "kolom_bsn", "%s",
                       _("Kies de kolom met het BSN, of met uw eigen cliëntsleutel."));
    static const enum reg_field required[] = {RF_GEMEENTE, RF_HULPVORM, RF_START};
    for (size_t i = 0; i < ARRAY_LEN(required); i++) {
        enum reg_field f = required[i];
        if (!p->columns[f])
            return err_set(e, ERR_INVALID, column_field(f), _("Kies de kolom met %s."),
                           _(fields[f].label));
    }
    return 0;
}

static int check_values(const struct mapping_profile *p, struct err_ctx *e)
{
    if (p->nvalues < 0 || p->nvalues > PROFILE_MAX_VALUES)
        return err_set(e, ERR_INVALID, "waarden",
                       _("Het profiel heeft te veel vertaalde waarden (hoogstens %d)."),
                       PROFILE_MAX_VALUES);
    for (int i = 0; i < p->nvalues; i++) {
        const struct value_map *v = &p->values[i];
        const char *list, *release;
        if ((int)v->field < 0 || v->field >= RF_COUNT ||
            !reg_field_codelist(v->field, p->law, &list, &release))
            return err_set(e, ERR_INVALID, "waarden", "%s",
                           _("Alleen velden met een codelijst kunnen vertaalde waarden hebben."));
        const char *field = value_field(v->field);
        struct str from = str_trim(str_from(v->from));
        if (from.len == 0 || from.len > PROFILE_VALUE_MAX || !utf8_valid(from.p, from.len, NULL) ||
            has_control(v->from))
            return err_set(e, ERR_INVALID, field, _("Een waarde bij %s is leeg of ongeldig."),
                           _(fields[v->field].label));
        if (!v->to || codelist_load() != 0 || !codelist_find(list, release, v->to))
            return err_set(e, ERR_INVALID, field,
                           _("Kies voor '%.60s' (%s) een code uit de lijst %s."), v->from,
                           _(fields[v->field].label), list);
        for (int j = 0; j < i; j++)
            if (p->values[j].field == v->field &&
                text_fold_eq(p->values[j].from, strlen(p->values[j].from), from.p, from.len))
                return err_set(e, ERR_INVALID, field,
                               _("De waarde '%.60s' bij %s is twee keer vertaald."), v->from,
                               _(fields[v->field].label));
    }
    return 0;
}

int profile_validate(const struct mapping_profile *p, struct err_ctx *e)
{
    int ret;
    if (!p)
        return ERR_INVALID;
    if ((ret = check_name(p->name, e)))
        return ret;
    if (p->law != LAW_JW && p->law != LAW_WMO)
        return err_set(e, ERR_INVALID, "wet", "%s", _("Kies de wet: Jeugdwet of Wmo."));
    if (p->header_row < 1 || p->header_row > PROFILE_MAX_HEADER_ROW)
        return err_set(e, ERR_INVALID, "kopregel",
                       _("De kopregel moet een regelnummer van 1 tot en met %d zijn."),
                       PROFILE_MAX_HEADER_ROW);
    if (p->delimiter != 0 && p->delimiter != ',' && p->delimiter != ';' && p->delimiter != '\t')
        return err_set(e, ERR_INVALID, "scheidingsteken", "%s",
                       _("Het scheidingsteken moet een komma, puntkomma of tab zijn."));
    if ((ret = check_columns(p, e)))
        return ret;
    return check_values(p, e);
}

/* ---- Preview. -------------------------------------------------------------------------------- */

struct preview_ctx {
    struct arena *a;
    const char **cells[PREVIEW_MAX_ROWS];
    int nfields[PREVIEW_MAX_ROWS];
    int nrows;
    int ncols;
    bool oom;
};

/* Length of s cut to at most max bytes at a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

static int preview_row(void *ctx, const struct table_row *row)
{
    struct preview_ctx *c = ctx;
    if (c->nrows >= PREVIEW_MAX_ROWS)
        return 1;
    int nf = row->nfields;
    const char **cells = arena_calloc(c->a, nf > 0 ? (size_t)nf : 1, sizeof *cells);
    if (!cells) {
        c->oom = true;
        return ERR_TOO_BIG;
    }
    for (int i = 0; i < nf; i++) {
        size_t len = row->lens ? row->lens[i] : strlen(row->fields[i]);
        cells[i] =
            arena_strndup(c->a, row->fields[i], utf8_cut(row->fields[i], len, PREVIEW_CELL_MAX));
        if (!cells[i]) {
            c->oom = true;
            return ERR_TOO_BIG;
        }
    }
    c->cells[c->nrows] = cells;
    c->nfields[c->nrows] = nf;
    c->nrows++;
    if (nf > c->ncols)
        c->ncols = nf;
    /* Stop the reader once the preview is full: the rest of the file is not needed. */
    return c->nrows >= PREVIEW_MAX_ROWS ? 1 : 0;
}

static int stop_after_some(void *ctx, const struct table_row *row)
{
    int *n = ctx;
    (void)row;
    return ++*n >= PREVIEW_MAX_ROWS ? 1 : 0;
}

/* The delimiter the CSV parser sniffs from the start of the file; 0 if it cannot tell. */
static char sniff_delimiter(const char *path)
{
    char *data = malloc(SNIFF_BYTES);
    ssize_t got = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char d = 0;
    if (data && fd >= 0)
        got = read(fd, data, SNIFF_BYTES);
    if (fd >= 0)
        close(fd);
    if (got > 0) {
        int n = 0;
        struct err_ctx e = {0};
        struct csv_options o = {0};
        struct csv_parser *p = csv_new(&o, stop_after_some, &n);
        if (p) {
            int rc = csv_feed(p, data, (size_t)got, &e);
            if (rc == 0 && n < PREVIEW_MAX_ROWS)
                (void)csv_finish(p, &e); /* a cut record at the end does not matter here */
            d = csv_delimiter(p);
            csv_free(p);
        }
    }
    free(data);
    return d;
}

static bool looks_like_xlsx(const char *path)
{
    unsigned char head[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t got = -1;
    if (fd < 0)
        return false;
    got = read(fd, head, sizeof head);
    close(fd);
    return got == (ssize_t)sizeof head && xlsx_looks_like_zip(head, sizeof head);
}

static int detect_header_row(const struct table_preview *pv);

int table_preview(const char *path, struct arena *a, struct table_preview *out, struct err_ctx *e)
{
    struct preview_ctx c = {.a = a};
    int ret;
    if (!path || !a || !out)
        return ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (access(path, R_OK) != 0)
        return err_set(e, ERR_IO, NULL, _("Het bestand kan niet worden gelezen: %s"), path);
    if (looks_like_xlsx(path)) {
        struct xlsx_options o = {0};
        out->is_xlsx = true;
        out->encoding = "XLSX";
        ret = xlsx_read_file(path, &o, preview_row, &c, e);
    } else {
        struct csv_options o = {0};
        enum text_encoding enc = TEXT_UTF8;
        ret = csv_read_file(path, &o, preview_row, &c, &enc, e);
        out->encoding = text_encoding_name(enc);
        if (ret == 0 || ret == 1)
            out->delimiter = sniff_delimiter(path);
    }
    if (c.oom)
        return err_set(e, ERR_TOO_BIG, NULL, "%s",
                       _("Het voorbeeld van dit bestand past niet in het geheugen."));
    if (ret != 0 && ret != 1)
        return ret;
    if (c.nrows == 0)
        return err_set(e, ERR_INVALID, NULL, "%s", _("Het bestand is leeg."));
    out->nrows = c.nrows;
    out->ncols = c.ncols;
    out->rows = arena_calloc(a, (size_t)c.nrows, sizeof *out->rows);
    if (!out->rows)
        return ERR_TOO_BIG;
    for (int r = 0; r < c.nrows; r++) {
        const char **row = arena_calloc(a, (size_t)(c.ncols > 0 ? c.ncols : 1), sizeof *row);
        if (!row)
            return ERR_TOO_BIG;
        for (int i = 0; i < c.ncols; i++)
            row[i] = i < c.nfields[r] ? c.cells[r][i] : "";
        out->rows[r] = row;
    }
    out->header_row = detect_header_row(out);
    return 0;
}

/* ---- Suggestions. ---------------------------------------------------------------------------- */

/* The synonyms of every field, folded once (headers are compared with them very often). */
#define SYN_MAX     32
#define SYN_LEN_MAX 64
static struct {
    int n;
    char s[SYN_MAX][SYN_LEN_MAX];
} synonyms[RF_COUNT];
static pthread_once_t synonyms_once = PTHREAD_ONCE_INIT;

static void synonyms_init(void)
{
    for (int f = 0; f < RF_COUNT; f++) {
        const char *s = fields[f].synonyms;
        while (s && *s && synonyms[f].n < SYN_MAX) {
            const char *bar = strchr(s, '|');
            size_t n = bar ? (size_t)(bar - s) : strlen(s);
            if (text_fold(s, n, synonyms[f].s[synonyms[f].n], SYN_LEN_MAX) > 0)
                synonyms[f].n++;
            s += n;
            if (*s == '|')
                s++;
        }
    }
}

/* How well a folded header names field f: 1000+ for a synonym, the synonym's length when the
 * header contains a longer synonym as whole words, 0 for nothing. */
static int header_score(const char *header, enum reg_field f)
{
    int best = 0;
    pthread_once(&synonyms_once, synonyms_init);
    for (int i = 0; i < synonyms[f].n; i++) {
        const char *syn = synonyms[f].s[i];
        int sn = (int)strlen(syn);
        if (strcmp(header, syn) == 0)
            return 1000 + sn;
        if (sn >= 5 && sn > best && has_words(header, syn))
            best = sn;
    }
    return best;
}

/* Number of cells of a row that name some field. */
static int header_matches(const struct table_preview *pv, int r)
{
    int n = 0;
    for (int c = 0; c < pv->ncols; c++) {
        char h[TEXT_FOLD_MAX];
        if (text_fold(pv->rows[r][c], strlen(pv->rows[r][c]), h, sizeof h) == 0)
            continue;
        for (int f = 0; f < RF_COUNT; f++)
            if (header_score(h, (enum reg_field)f) > 0) {
                n++;
                break;
            }
    }
    return n;
}

static bool looks_numeric(const char *s)
{
    struct str t = str_trim(str_from(s));
    double d;
    day_t day;
    return str_parse_decimal(t, &d) == 0 || str_parse_date_iso(t, &day) == 0 ||
           str_parse_date_nl(t, &day) == 0;
}

/*
 * The header row (1-based): the row naming the most fields when some row names at least two;
 * otherwise the first row with several non-empty, mostly non-numeric cells (title rows above a
 * header have one cell or none).
 */
static int detect_header_row(const struct table_preview *pv)
{
    int scan = pv->nrows < HEADER_SCAN_ROWS ? pv->nrows : HEADER_SCAN_ROWS;
    int best = 0, best_row = -1, widest = 0;
    for (int r = 0; r < scan; r++) {
        int m = header_matches(pv, r);
        if (m > best) {
            best = m;
            best_row = r;
        }
    }
    if (best >= 2)
        return best_row + 1;
    for (int r = 0; r < scan; r++) {
        int ne = 0;
        for (int c = 0; c < pv->ncols; c++)
            ne += str_trim(str_from(pv->rows[r][c])).len > 0;
        if (ne > widest)
            widest = ne;
    }
    for (int r = 0; r < scan; r++) {
        int ne = 0, num = 0;
        for (int c = 0; c < pv->ncols; c++) {
            if (str_trim(str_from(pv->rows[r][c])).len == 0)
                continue;
            ne++;
            num += looks_numeric(pv->rows[r][c]);
        }
        if (ne >= 2 && ne * 2 >= widest && num * 4 <= ne)
            return r + 1;
    }
    return 1;
}

/* True if most filled cells of column c below the header are valid BSNs. */
static bool column_holds_bsns(const struct table_preview *pv, int header_row, int c)
{
    int filled = 0, ok = 0;
    for (int r = header_row; r < pv->nrows; r++) {
        const char *v = pv->rows[r][c];
        char norm[10];
        if (str_trim(str_from(v)).len == 0)
            continue;
        filled++;
        ok += bsn_check(v, strlen(v), norm) == BSN_OK;
    }
    return filled >= 2 && ok * 5 >= filled * 4;
}

struct candidate {
    int score;
    int field;
    int col;
};

static int by_score(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->field - y->field;
}

int profile_preview_values(const struct table_preview *pv, int header_row, int col,
                           enum reg_field f, enum law law, struct arena *a, const char ***out)
{
    const char **vals;
    int n = 0;
    *out = NULL;
    if (!pv || col < 0 || col >= pv->ncols || header_row < 1 ||
        !reg_field_codelist(f, law, NULL, NULL))
        return 0;
    vals = arena_calloc(a, PREVIEW_MAX_ROWS, sizeof *vals);
    if (!vals)
        return 0;
    for (int r = header_row; r < pv->nrows && n < PREVIEW_MAX_ROWS; r++) {
        struct str v = str_trim(str_from(pv->rows[r][col]));
        bool seen = false;
        if (v.len == 0 || v.len > PROFILE_VALUE_MAX || reg_standard_code(f, law, v.p, v.len))
            continue;
        for (int i = 0; i < n && !seen; i++)
            seen = text_fold_eq(vals[i], strlen(vals[i]), v.p, v.len);
        if (seen)
            continue;
        if (!(vals[n] = arena_strndup(a, v.p, v.len)))
            break;
        n++;
    }
    *out = vals;
    return n;
}

static void suggest_values(const struct table_preview *pv, const int *colof, enum law law,
                           struct arena *a, struct mapping_profile *out)
{
    int cap = PREVIEW_MAX_ROWS * RF_COUNT;
    out->values = arena_calloc(a, (size_t)cap, sizeof *out->values);
    if (!out->values)
        return;
    for (int f = 0; f < RF_COUNT; f++) {
        const char **vals;
        int n =
            profile_preview_values(pv, out->header_row, colof[f], (enum reg_field)f, law, a, &vals);
        for (int i = 0; i < n && out->nvalues < cap; i++) {
            const char *to = reg_suggest_code((enum reg_field)f, law, vals[i], strlen(vals[i]));
            if (to)
                out->values[out->nvalues++] =
                    (struct value_map){.field = (enum reg_field)f, .from = vals[i], .to = to};
        }
    }
}

void profile_suggest(const struct table_preview *pv, enum law law, struct arena *a,
                     struct mapping_profile *out)
{
    int colof[RF_COUNT];
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    out->law = law;
    out->header_row = 1;
    for (int f = 0; f < RF_COUNT; f++)
        colof[f] = -1;
    if (!pv || !a || pv->nrows == 0 || pv->ncols == 0)
        return;
    out->delimiter = pv->is_xlsx ? 0 : pv->delimiter;
    out->header_row =
        pv->header_row >= 1 && pv->header_row <= pv->nrows ? pv->header_row : detect_header_row(pv);
    const char *const *hdr = pv->rows[out->header_row - 1];

    /* Every (field, column) pair that matches, best first; then take them greedily, so a
     * column and a field are each used once ("Reden einde" goes to the reason, not the end). */
    size_t cap = (size_t)pv->ncols * RF_COUNT;
    struct candidate *cands = arena_calloc(a, cap, sizeof *cands);
    char(*folded)[TEXT_FOLD_MAX] = arena_calloc(a, (size_t)pv->ncols, TEXT_FOLD_MAX);
    size_t n = 0;
    if (!cands || !folded)
        return;
    for (int c = 0; c < pv->ncols; c++) {
        text_fold(hdr[c], strlen(hdr[c]), folded[c], TEXT_FOLD_MAX);
        bool dup = false;
        for (int d = 0; d < c && !dup; d++)
            dup = folded[d][0] && strcmp(folded[d], folded[c]) == 0;
        if (!folded[c][0] || dup)
            continue; /* a repeated header cannot be told apart when importing */
        for (int f = 0; f < RF_COUNT; f++) {
            int s = header_score(folded[c], (enum reg_field)f);
            if (s > 0)
                cands[n++] = (struct candidate){.score = s, .field = f, .col = c};
        }
    }
    qsort(cands, n, sizeof *cands, by_score);
    bool col_used[TABLE_MAX_COLUMNS] = {0};
    for (size_t i = 0; i < n; i++) {
        if (colof[cands[i].field] >= 0 || col_used[cands[i].col])
            continue;
        colof[cands[i].field] = cands[i].col;
        col_used[cands[i].col] = true;
    }
    /* A BSN column with an unusual name is recognised by its content. */
    if (colof[RF_CLIENT_BSN] < 0) {
        for (int c = 0; c < pv->ncols && c < TABLE_MAX_COLUMNS; c++) {
            if (col_used[c] || !folded[c][0] || !column_holds_bsns(pv, out->header_row, c))
                continue;
            colof[RF_CLIENT_BSN] = c;
            col_used[c] = true;
            break;
        }
    }
    /* With a BSN there is no need for the provider's own key. */
    if (colof[RF_CLIENT_BSN] >= 0)
        colof[RF_CLIENT_KEY] = -1;
    for (int f = 0; f < RF_COUNT; f++) {
        if (colof[f] < 0)
            continue;
        struct str t = str_trim(str_from(hdr[colof[f]]));
        out->columns[f] = arena_strndup(a, t.p, t.len);
    }
    suggest_values(pv, colof, law, a, out);
}

/* ---- Stored profiles. ------------------------------------------------------------------------ */

static struct object_ref profile_ref(int64_t id, int64_t org_id)
{
    return (struct object_ref){.kind = OBJ_MAPPING_PROFILE,
                               .id = id,
                               .owner_org_id = org_id,
                               .owner_org_kind = ORG_AANBIEDER};
}

static bool may(const struct actor *a, enum action act, int64_t id, int64_t org_id)
{
    struct object_ref o = profile_ref(id, org_id);
    return policy_allows(a, act, &o);
}

/* A stored row as a profile: the definition parsed, the columns of the row on top. */
static int from_row(struct arena *ar, const struct profile_row *r, struct mapping_profile *out,
                    struct err_ctx *e)
{
    int ret = profile_from_json(r->definition, ar, out, e);
    if (ret)
        return ret;
    out->id = r->id;
    out->org_id = r->org_id;
    out->org_name = r->org_name;
    out->name = r->name;
    out->law = r->law == LAW_WMO ? LAW_WMO : LAW_JW;
    out->version = r->version;
    out->archived = r->archived;
    out->updated_at = r->updated_at;
    return 0;
}

static int not_found(struct err_ctx *e)
{
    return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Dit profiel bestaat niet."));
}

int profile_list(struct store *s, const struct actor *a, int64_t org_id, struct arena *ar,
                 struct mapping_profile **out, int *n, struct err_ctx *e)
{
    struct object_ref obj = profile_ref(0, org_id);
    struct profile_row *rows;
    struct mapping_profile *ps;
    int nrows = 0, got = 0, ret;
    struct db *db;

    if (!s || !a || !ar || !out || !n)
        return ERR_INVALID;
    *out = NULL;
    *n = 0;
    if (!policy_allows(a, ACT_LIST, &obj))
        return ERR_DENIED;
    db = store_reader(s);
    if (!db)
        return ERR_DB;
    rows = arena_calloc(ar, PROFILE_STORE_LIST_MAX, sizeof *rows);
    if (!rows)
        return ERR_TOO_BIG;
    if ((ret = profile_store_list(ar, db, org_id, rows, PROFILE_STORE_LIST_MAX, &nrows)))
        return ret;
    ps = arena_calloc(ar, (size_t)(nrows > 0 ? nrows : 1), sizeof *ps);
    if (!ps)
        return ERR_TOO_BIG;
    /* The policy decides row by row: a kwaliteit user sees only their own aanbieder's. */
    for (int i = 0; i < nrows; i++) {
        if (!may(a, ACT_VIEW, rows[i].id, rows[i].org_id))
            continue;
        struct err_ctx ignore = {0};
        if (from_row(ar, &rows[i], &ps[got], &ignore) != 0) {
            /* An unreadable definition still shows in the list, without its columns. */
            memset(&ps[got], 0, sizeof ps[got]);
            ps[got] = (struct mapping_profile){.id = rows[i].id,
                                               .org_id = rows[i].org_id,
                                               .org_name = rows[i].org_name,
                                               .name = rows[i].name,
                                               .law = rows[i].law == LAW_WMO ? LAW_WMO : LAW_JW,
                                               .version = rows[i].version,
                                               .archived = rows[i].archived,
                                               .updated_at = rows[i].updated_at};
        }
        got++;
    }
    *out = ps;
    *n = got;
    (void)e;
    return 0;
}

int profile_get(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
                struct mapping_profile *out, struct err_ctx *e)
{
    struct profile_row r;
    struct db *db;
    int ret;
    if (!s || !a || !ar || !out)
        return ERR_INVALID;
    db = store_reader(s);
    if (!db)
        return ERR_DB;
    ret = profile_store_get(ar, db, id, &r);
    if (ret == ERR_NOT_FOUND)
        return not_found(e);
    if (ret)
        return ret;
    if (!may(a, ACT_VIEW, id, r.org_id))
        return ERR_DENIED;
    return from_row(ar, &r, out, e);
}

int profile_find(struct store *s, const struct actor *a, int64_t org_id, const char *name,
                 struct arena *ar, struct mapping_profile *out, struct err_ctx *e)
{
    struct profile_row rows[FIND_CAP];
    int nrows = 0, hit = -1, nhits = 0, ret;
    struct db *db;
    if (!s || !a || !ar || !out || !name)
        return ERR_INVALID;
    db = store_reader(s);
    if (!db)
        return ERR_DB;
    struct str t = str_trim(str_from(name));
    char *trimmed = arena_strndup(ar, t.p, t.len);
    if (!trimmed)
        return ERR_TOO_BIG;
    if ((ret = profile_store_find(ar, db, org_id, trimmed, rows, FIND_CAP, &nrows)))
        return ret;
    /* Profiles the actor may not see do not exist for them. */
    for (int i = 0; i < nrows; i++) {
        if (!may(a, ACT_VIEW, rows[i].id, rows[i].org_id))
            continue;
        if (hit < 0)
            hit = i;
        nhits++;
    }
    if (nhits == 0)
        return err_set(e, ERR_NOT_FOUND, "profiel", _("Er is geen profiel met de naam '%.80s'."),
                       trimmed);
    if (nhits > 1)
        return err_set(e, ERR_CONFLICT, "profiel",
                       _("Meerdere organisaties hebben een profiel met de naam '%.80s'. Noem "
                         "ook de organisatie."),
                       trimmed);
    return from_row(ar, &rows[hit], out, e);
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "versie", "%s",
                   _("Iemand anders heeft dit profiel intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

static int name_taken(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "naam", "%s",
                   _("Deze aanbieder heeft al een profiel met deze naam. Kies een andere naam."));
}

/* The definition JSON of p with its name trimmed; *name receives the trimmed name. */
static int definition_of(const struct mapping_profile *p, struct arena *ar, struct buf *json,
                         const char **name)
{
    struct mapping_profile copy = *p;
    struct str t = str_trim(str_from(p->name));
    copy.name = arena_strndup(ar, t.p, t.len);
    if (!copy.name)
        return ERR_TOO_BIG;
    *name = copy.name;
    return profile_to_json(&copy, json);
}

static int create(struct store *s, const struct actor *a, const struct mapping_profile *p,
                  int64_t *id_out, struct err_ctx *e)
{
    struct arena *ar = arena_new(0);
    struct buf json;
    struct org owner;
    struct db *db = NULL;
    bool writing = false;
    const char *name = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    int64_t id = 0;
    int ret;

    buf_init(&json, PROFILE_JSON_MAX);
    ret = p->org_id > 0 ? org_get_internal(ar, s, p->org_id, &owner) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND) {
        ret = err_set(e, ERR_INVALID, "organisatie", "%s", _("Deze organisatie bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    struct object_ref obj = {
        .kind = OBJ_MAPPING_PROFILE, .owner_org_id = owner.id, .owner_org_kind = owner.kind};
    if (!policy_allows(a, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (owner.kind != ORG_AANBIEDER) {
        ret = err_set(e, ERR_INVALID, "organisatie", "%s",
                      _("Een kolomprofiel hoort bij een aanbieder."));
        goto out;
    }
    if (owner.archived) {
        ret = err_set(e, ERR_INVALID, "organisatie", "%s", _("Deze organisatie is gearchiveerd."));
        goto out;
    }
    if ((ret = profile_validate(p, e)) || (ret = definition_of(p, ar, &json, &name)))
        goto out;
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "org=%" PRId64 " wet=%s", owner.id, law_code(p->law));
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    ret =
        profile_store_insert(db, owner.id, name, (int)p->law, buf_cstr(&json), at, a->user_id, &id);
    if (ret == ERR_CONFLICT) {
        ret = name_taken(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, a, "profile.create", "mapping_profile", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    buf_release(&json);
    arena_free(ar);
    return ret;
}

static int update(struct store *s, const struct actor *a, const struct mapping_profile *p,
                  int64_t *id_out, struct err_ctx *e)
{
    struct arena *ar = arena_new(0);
    struct buf json;
    struct profile_row cur;
    struct db *db = NULL;
    bool writing = false, taken = false;
    const char *name = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    int ret;

    buf_init(&json, PROFILE_JSON_MAX);
    /* Read inside the transaction: the version compared is the version overwritten. */
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    ret = profile_store_get(ar, db, p->id, &cur);
    if (ret == ERR_NOT_FOUND) {
        ret = not_found(e);
        goto out;
    }
    if (ret)
        goto out;
    if (!may(a, ACT_EDIT, cur.id, cur.org_id)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (p->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if (p->org_id != 0 && p->org_id != cur.org_id) {
        ret = err_set(e, ERR_INVALID, "organisatie", "%s",
                      _("Een profiel kan niet naar een andere organisatie."));
        goto out;
    }
    if ((ret = profile_validate(p, e)) || (ret = definition_of(p, ar, &json, &name)))
        goto out;
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "version=%" PRId64 " wet=%s", cur.version + 1,
             law_code(p->law));
    ret = profile_store_update(db, cur.id, p->version, name, (int)p->law, buf_cstr(&json), at,
                               &taken);
    if (ret == ERR_CONFLICT) {
        ret = taken ? name_taken(e) : conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, a, "profile.update", "mapping_profile", cur.id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = p->id;
    buf_release(&json);
    arena_free(ar);
    return ret;
}

int profile_save(struct store *s, const struct actor *a, const struct mapping_profile *p,
                 int64_t *id_out, struct err_ctx *e)
{
    if (!s || !a || !p)
        return ERR_INVALID;
    return p->id == 0 ? create(s, a, p, id_out, e) : update(s, a, p, id_out, e);
}

int profile_set_archived(struct store *s, const struct actor *a, int64_t id, bool archived,
                         struct err_ctx *e)
{
    struct arena *ar = arena_new(0);
    struct profile_row cur;
    struct db *db = NULL;
    bool writing = false;
    char at[AUDIT_TS_SIZE];
    int ret;

    if (!s || !a) {
        arena_free(ar);
        return ERR_INVALID;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = profile_store_get(ar, db, id, &cur)))
        goto out;
    if (!may(a, ACT_ARCHIVE, id, cur.org_id)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (cur.archived == archived)
        goto out; /* nothing changes, so nothing to record */
    audit_format_time(time(NULL), at);
    if ((ret = profile_store_set_archived(db, id, archived, at)))
        goto out;
    ret = audit_write(db, a, archived ? "profile.archive" : "profile.restore", "mapping_profile",
                      id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        not_found(e);
    arena_free(ar);
    return ret;
}
