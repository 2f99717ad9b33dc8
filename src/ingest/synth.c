/*
 * synth.c: the deterministic generator behind `duiding synth`, the demo's intake step and the
 * import benchmark. One PRNG stream (xoshiro256**, seeded through splitmix64) drives a model
 * of persons, trajectories and the chain's messages; see synth.h for the model and
 * bench/README.md for the figures it aims at. Messages are rendered from the real structure of
 * the iJw 3.2 / iWmo 3.2 XSDs (data/xsd/), one product per message.
 *
 * Two passes keep memory small: the model first records compact events (28 bytes per
 * message), which are sorted by Dagtekening; each message is rendered only when it is written
 * (zip entries through a libzip source callback while the archive is closed), so the XML of
 * the whole run never sits in memory. Registration rows are written as they are generated.
 */
#include "ingest/synth.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "domain/cbs.h"
#include "domain/demo.h"
#include "domain/demo_data.h"
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

#define MSG_BUF_MAX     (256u * 1024u)
#define ROW_BUF_MAX     (64u * 1024u)
#define MAX_EXTENSIONS  12
#define BSN_TRIES       1000
#define SYNTH_MAX_YEARS 30
#define LAW_SLOTS       3 /* indexed by enum law (1, 2) */
/* Repeat use: of the persons whose help ended (not by death), this share comes back after
 * 1 month to 3 years, half of them at the same provider. */
#define REPEAT_CHANCE  0.19
#define REPEAT_MIN_GAP 30
#define REPEAT_MAX_GAP 1095
/* Identification and assignment number ranges (LDT_IdentificatieBericht: 12 characters,
 * LDT_Nummer: at most 999999999). */
#define IDENT_MIN   UINT64_C(100000000000)
#define IDENT_SPAN  UINT64_C(800000000000)
#define ASG_NR_MIN  100000000u
#define ASG_NR_SPAN 800000000u

static int rng_range(struct rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

static double rng_uniform(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

static double rng_normal(struct rng *r)
{
    double u1 = rng_unit(r), u2 = rng_unit(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Index drawn from integer weights. */
static size_t rng_weighted(struct rng *r, const int *w, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return 0;
    int x = (int)rng_below(r, (uint64_t)total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- Static material: kinds of help, products per sector, names and places. ------------- */

enum age_profile { AGE_JW, AGE_JW_SCHOOL, AGE_JW_TEEN, AGE_ADULT, AGE_OLD, AGE_WMO_MIXED };
enum ref_profile { REF_JW, REF_JW_GGZ, REF_JW_PROTECT, REF_WMO };

/* A kind of help: how long it lasts, how long a municipality assigns it for, who gets it. */
struct kind {
    double median_days, sigma;
    int min_days, max_days;
    int planned_days;     /* assignment period; extended (RedenWijziging 04) when exceeded */
    double open_ended;    /* share of assignments without Einddatum */
    const char *hulpvorm; /* CBS hulpvorm for registration exports */
    enum age_profile age;
    enum ref_profile ref;
    const char *eenheid, *frequentie; /* Omvang of the assignment */
    int volume_lo, volume_hi;
};

enum kind_id {
    K_AMB,
    K_NETWERK,
    K_DIAG,
    K_GGZ,
    K_DYS,
    K_DAG,
    K_PLEEG,
    K_PLEEG_DT,
    K_GEZINSHUIS,
    K_VERBLIJF,
    K_KAMER,
    K_CRISIS,
    K_LOGEER,
    K_WIJK,
    K_HH,
    K_BEGL,
    K_VERZ,
    K_DAGB,
    K_KV,
    K_BW,
    K_GROEP,
    K_COUNT
};

static const struct kind kinds[K_COUNT] = {
    [K_AMB] = {180, 0.6, 21, 900, 182, 0, "02", AGE_JW, REF_JW, "04", "2", 1, 3},
    [K_NETWERK] = {200, 0.6, 30, 900, 182, 0, "04", AGE_JW, REF_JW, "04", "2", 2, 4},
    [K_DIAG] = {70, 0.4, 20, 240, 91, 0, "02", AGE_JW_SCHOOL, REF_JW_GGZ, "04", "6", 8, 20},
    [K_GGZ] = {240, 0.6, 30, 1100, 365, 0, "02", AGE_JW, REF_JW_GGZ, "04", "4", 2, 6},
    [K_DYS] = {420, 0.25, 180, 730, 365, 0, "02", AGE_JW_SCHOOL, REF_JW_GGZ, "04", "6", 30, 50},
    [K_DAG] = {330, 0.6, 30, 1200, 365, 0, "03", AGE_JW, REF_JW, "16", "2", 2, 6},
    [K_PLEEG] = {700, 0.8, 30, 3000, 365, 0, "11", AGE_JW, REF_JW_PROTECT, "14", "1", 1, 1},
    [K_PLEEG_DT] = {300, 0.7, 30, 1500, 365, 0, "11", AGE_JW, REF_JW_PROTECT, "14", "4", 4, 8},
    [K_GEZINSHUIS] = {600, 0.7, 30, 2500, 365, 0, "12", AGE_JW, REF_JW_PROTECT, "14", "1", 1, 1},
    [K_VERBLIJF] = {300, 0.7, 14, 1500, 182, 0, "14", AGE_JW_TEEN, REF_JW_PROTECT, "14", "1", 1, 1},
    [K_KAMER] = {420, 0.5, 60, 1200, 365, 0, "14", AGE_JW_TEEN, REF_JW, "14", "1", 1, 1},
    [K_CRISIS] = {21, 0.6, 2, 120, 28, 0, "14", AGE_JW_TEEN, REF_JW_PROTECT, "14", "1", 1, 1},
    [K_LOGEER] = {150, 0.6, 20, 700, 182, 0, "14", AGE_JW, REF_JW, "14", "4", 2, 4},
    [K_WIJK] = {120, 0.6, 14, 600, 182, 0, "01", AGE_JW, REF_JW, "04", "2", 1, 2},
    [K_HH] = {900, 0.8, 30, 4000, 1095, 0.3, "", AGE_OLD, REF_WMO, "04", "2", 2, 6},
    [K_BEGL] = {365, 0.7, 30, 2000, 365, 0.1, "", AGE_ADULT, REF_WMO, "04", "2", 1, 4},
    [K_VERZ] = {500, 0.7, 30, 2500, 365, 0.1, "", AGE_OLD, REF_WMO, "04", "2", 2, 7},
    [K_DAGB] = {700, 0.7, 60, 3000, 730, 0.2, "", AGE_WMO_MIXED, REF_WMO, "16", "2", 2, 6},
    [K_KV] = {90, 0.6, 14, 500, 182, 0, "", AGE_OLD, REF_WMO, "14", "4", 1, 4},
    [K_BW] = {1000, 0.7, 60, 4000, 1095, 0.2, "", AGE_ADULT, REF_WMO, "14", "1", 1, 1},
    [K_GROEP] = {300, 0.6, 30, 1500, 365, 0.1, "", AGE_WMO_MIXED, REF_WMO, "16", "2", 1, 2},
};

struct product {
    enum law law;
    const char *category; /* JZ020 / WMO020 */
    const char *code;     /* invented product code in the shape of the national lists */
    enum kind_id kind;
    int weight;
};

#define MAX_SECTOR_PRODUCTS 4

/* What a provider offers, by the sector texts of domain/demo_data.c. */
struct sector {
    const char *name;
    double size; /* relative client volume */
    struct product items[MAX_SECTOR_PRODUCTS];
};

static const struct sector sectors[] = {
    {"ambulante jeugdhulp",
     2.0,
     {{LAW_JW, "45", "45A01", K_AMB, 55},
      {LAW_JW, "45", "45A02", K_AMB, 30},
      {LAW_JW, "45", "45A04", K_NETWERK, 15}}},
    {"jeugd-GGZ praktijk",
     1.2,
     {{LAW_JW, "54", "54A01", K_GGZ, 65},
      {LAW_JW, "54", "54A02", K_GGZ, 20},
      {LAW_JW, "45", "45A03", K_DIAG, 15}}},
    {"pleegzorg",
     0.5,
     {{LAW_JW, "44", "44A01", K_PLEEG, 80}, {LAW_JW, "44", "44A02", K_PLEEG_DT, 20}}},
    {"gezinshuis", 0.15, {{LAW_JW, "44", "44A05", K_GEZINSHUIS, 100}}},
    {"diagnostiek en ambulante jeugdhulp",
     1.0,
     {{LAW_JW, "45", "45A03", K_DIAG, 50}, {LAW_JW, "45", "45A02", K_AMB, 50}}},
    {"ambulante gezinsbegeleiding",
     1.3,
     {{LAW_JW, "45", "45A04", K_NETWERK, 70}, {LAW_JW, "45", "45A01", K_AMB, 30}}},
    {"dagbesteding op de boerderij",
     0.5,
     {{LAW_JW, "41", "41A01", K_DAG, 100}, {LAW_WMO, "07", "07A02", K_DAGB, 100}}},
    {"kamertraining voor jongeren",
     0.3,
     {{LAW_JW, "44", "44A06", K_KAMER, 70}, {LAW_JW, "45", "45A05", K_AMB, 30}}},
    {"dyslexiezorg", 0.8, {{LAW_JW, "54", "54A10", K_DYS, 100}}},
    {"specialistische jeugd-GGZ",
     1.0,
     {{LAW_JW, "54", "54A02", K_GGZ, 60},
      {LAW_JW, "43", "43A01", K_VERBLIJF, 15},
      {LAW_JW, "41", "41A02", K_DAG, 25}}},
    {"crisisopvang en verblijf",
     0.35,
     {{LAW_JW, "46", "46A01", K_CRISIS, 60}, {LAW_JW, "43", "43A03", K_VERBLIJF, 40}}},
    {"logeeropvang en kortdurend verblijf",
     0.4,
     {{LAW_JW, "44", "44A07", K_LOGEER, 100}, {LAW_WMO, "04", "04A01", K_KV, 100}}},
    {"dagbesteding",
     0.9,
     {{LAW_WMO, "07", "07A01", K_DAGB, 80}, {LAW_WMO, "09", "09A01", K_GROEP, 20}}},
    {"begeleid wonen",
     0.6,
     {{LAW_WMO, "02", "02A03", K_BEGL, 70}, {LAW_WMO, "02", "02A04", K_BEGL, 30}}},
    {"huishoudelijke hulp",
     3.0,
     {{LAW_WMO, "01", "01A01", K_HH, 70}, {LAW_WMO, "01", "01A02", K_HH, 30}}},
    {"thuisbegeleiding",
     1.2,
     {{LAW_WMO, "02", "02A01", K_BEGL, 80}, {LAW_WMO, "06", "06A01", K_BEGL, 20}}},
    {"persoonlijke verzorging in de wijk", 1.0, {{LAW_WMO, "03", "03A01", K_VERZ, 100}}},
    {"beschermd en begeleid wonen",
     0.5,
     {{LAW_WMO, "15", "15A01", K_BW, 60}, {LAW_WMO, "02", "02A03", K_BEGL, 40}}},
    {"respijtzorg en mantelzorgondersteuning",
     0.5,
     {{LAW_WMO, "04", "04A02", K_KV, 60}, {LAW_WMO, "09", "09A02", K_GROEP, 40}}},
    {"maatschappelijk werk",
     1.0,
     {{LAW_JW, "45", "45A08", K_WIJK, 100}, {LAW_WMO, "06", "06A02", K_BEGL, 100}}},
    {"ambulante begeleiding",
     1.0,
     {{LAW_WMO, "02", "02A01", K_BEGL, 60}, {LAW_WMO, "02", "02A02", K_BEGL, 40}}},
    {"dagbesteding voor ouderen", 0.8, {{LAW_WMO, "07", "07A03", K_DAGB, 100}}},
    {"begeleid wonen (GGZ)",
     0.6,
     {{LAW_WMO, "02", "02A05", K_BEGL, 60}, {LAW_WMO, "15", "15A02", K_BW, 40}}},
};

/* For providers whose sector is not listed. */
static const struct sector sector_default = {
    "", 1.0, {{LAW_JW, "45", "45A01", K_AMB, 100}, {LAW_WMO, "02", "02A01", K_BEGL, 100}}};

static const struct sector *sector_find(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_LEN(sectors); i++)
        if (strcmp(sectors[i].name, name) == 0)
            return &sectors[i];
    return &sector_default;
}

/* COD327 referrer mixes per profile: 01 gemeente, 02 huisarts, 03 jeugdarts, 04 GI,
 * 05 medisch specialist, 06 geen/zelf, 08 rechter. REF_JW gives the mix of the brief. */
static const char *const ref_codes[7] = {"01", "02", "03", "04", "05", "06", "08"};
static const int ref_weights[][7] = {
    [REF_JW] = {45, 30, 8, 4, 6, 6, 1},
    [REF_JW_GGZ] = {25, 52, 5, 2, 12, 4, 0},
    [REF_JW_PROTECT] = {45, 5, 3, 40, 2, 2, 3},
    [REF_WMO] = {86, 7, 0, 0, 4, 3, 0},
};

/* End reasons: the law's codes in a fixed order; per provider a probability for each. */
#define NREASONS 10
static const char *const jw_reasons[NREASONS] = {"31", "34", "32", "33", "35",
                                                 "02", "36", "37", "38", "39"};
static const char *const wmo_reasons[NREASONS] = {"19", "23", "21", "22", "31",
                                                  "02", "36", "37", "38", "39"};
/* CBS reason for a JZ588 code in registration exports (administrative codes folded). */
static const char *const jw_reason_cbs[NREASONS] = {"01", "02", "03", "04", "05",
                                                    "05", "02", "01", "02", "01"};
enum { R_PLAN, R_AGREED, R_CLIENT, R_PROVIDER, R_EXTERNAL, R_DEATH, R_36, R_37, R_38, R_39 };

struct place {
    const char *gemeente; /* CBS name */
    const char *name;
    int pc4_lo, pc4_hi;
    const char *area_code; /* netnummer for phone numbers */
};

/* Plausible places and PC4 ranges of the demo gemeenten (Drenthe). */
static const struct place places[] = {
    {"Emmen", "Emmen", 7811, 7826, "0591"},
    {"Emmen", "Klazienaveen", 7891, 7892, "0591"},
    {"Emmen", "Nieuw-Amsterdam", 7833, 7833, "0591"},
    {"Emmen", "Erica", 7887, 7887, "0591"},
    {"Emmen", "Emmer-Compascuum", 7881, 7881, "0591"},
    {"Emmen", "Schoonebeek", 7761, 7761, "0524"},
    {"Emmen", "Nieuw-Weerdinge", 7831, 7831, "0591"},
    {"Hoogeveen", "Hoogeveen", 7901, 7909, "0528"},
    {"Hoogeveen", "Hollandscheveld", 7913, 7913, "0528"},
    {"Hoogeveen", "Elim", 7916, 7916, "0528"},
    {"Hoogeveen", "Pesse", 7933, 7933, "0528"},
    {"Coevorden", "Coevorden", 7741, 7742, "0524"},
    {"Coevorden", "Dalen", 7751, 7751, "0524"},
    {"Coevorden", "Sleen", 7841, 7841, "0591"},
    {"Coevorden", "Oosterhesselen", 7861, 7861, "0524"},
    {"Coevorden", "Aalden", 7854, 7854, "0591"},
    {"Borger-Odoorn", "Borger", 9531, 9531, "0599"},
    {"Borger-Odoorn", "Exloo", 7875, 7875, "0591"},
    {"Borger-Odoorn", "Odoorn", 7873, 7873, "0591"},
    {"Borger-Odoorn", "Nieuw-Buinen", 9521, 9521, "0599"},
    {"Borger-Odoorn", "2e Exloërmond", 7872, 7872, "0599"},
    {"Borger-Odoorn", "Valthermond", 7876, 7876, "0599"},
    {"De Wolden", "Zuidwolde", 7921, 7921, "0528"},
    {"De Wolden", "Ruinerwold", 7961, 7961, "0522"},
    {"De Wolden", "De Wijk", 7957, 7957, "0522"},
    {"De Wolden", "Ruinen", 7963, 7963, "0522"},
    {"Meppel", "Meppel", 7941, 7944, "0522"},
    {"Meppel", "Nijeveen", 7948, 7948, "0522"},
    {"Westerveld", "Diever", 7981, 7981, "0521"},
    {"Westerveld", "Dwingeloo", 7991, 7991, "0521"},
    {"Westerveld", "Havelte", 7970, 7970, "0521"},
    {"Westerveld", "Vledder", 8381, 8381, "0521"},
};

static const char *const streets[] = {
    "Hoofdstraat", "Kerkstraat",     "Dorpsstraat",         "Brink",
    "Esweg",       "Stationsstraat", "Julianastraat",       "Wilhelminalaan",
    "Beatrixlaan", "Molenweg",       "Schoolstraat",        "Markeweg",
    "Veenweg",     "Kanaalweg",      "Boermarke",           "Hunzeweg",
    "Reestlaan",   "Noorderstraat",  "Eikenlaan",           "Berkenlaan",
    "Lindenlaan",  "Iepenlaan",      "Prinses Irenestraat", "Bosrand",
    "Heidestraat", "De Es",          "Tuinstraat",          "Parklaan",
    "Klinkerweg",  "Hondsrugweg",    "Zuideresch",          "Oude Vaart",
};

static const char *const first_m[] = {
    "Daan",  "Sem",        "Luuk",   "Milan", "Bram",   "Jesse",    "Thijs",  "Lars",
    "Finn",  "Ruben",      "Noah",   "Levi",  "Stijn",  "Jasper",   "Tim",    "Sven",
    "Niels", "Koen",       "Mees",   "Gijs",  "Jan",    "Hendrik",  "Gerrit", "Albert",
    "Harm",  "Jan Willem", "Roelof", "Klaas", "Berend", "Johannes", "André",  "Rémy",
};
static const char *const first_f[] = {
    "Emma",    "Julia",    "Sophie",  "Lotte",      "Sanne",    "Fleur",  "Noa",        "Lieke",
    "Anna",    "Eva",      "Isa",     "Mila",       "Nina",     "Roos",   "Femke",      "Tess",
    "Zoë",     "Chloë",    "Anouk",   "Esmee",      "Geertje",  "Hilje",  "Jantje",     "Aaltje",
    "Grietje", "Hendrika", "Johanna", "Wilhelmina", "Trijntje", "Roelie", "Anne Marie", "Renée",
};

struct surname {
    const char *prefix; /* voorvoegsel, "" if none */
    const char *name;
};
static const struct surname surnames[] = {
    {"", "Bakker"},      {"de", "Vries"},  {"", "Jansen"},   {"van der", "Veen"}, {"", "Mulder"},
    {"de", "Boer"},      {"", "Hoving"},   {"", "Kuiper"},   {"", "Smit"},        {"", "Meijer"},
    {"", "Dijkstra"},    {"", "Huizing"},  {"", "Lubbers"},  {"", "Wolters"},     {"", "Hulshof"},
    {"", "Oosting"},     {"", "Bruins"},   {"", "Schepers"}, {"", "Zwiers"},      {"ten", "Brink"},
    {"", "Timmer"},      {"", "Lanting"},  {"", "Nijhuis"},  {"", "Haveman"},     {"", "Seinen"},
    {"van den", "Berg"}, {"ter", "Horst"}, {"", "Koops"},    {"", "Wielink"},     {"", "Westerhof"},
    {"", "Boerema"},     {"", "Pol"},      {"", "Kroeze"},   {"", "Eising"},      {"", "Veldman"},
    {"in 't", "Veld"},   {"", "D'Hondt"},  {"", "Özdemir"},  {"", "Wiersma"},     {"", "Bos"},
};

static const char *const comments[] = {
    "Intake via wijkteam",
    "Wachttijd 6 weken",
    "Gestart na verhuizing; dossier overgedragen",
    "Ouders gescheiden, co-ouderschap",
    "Zie ook traject bij andere aanbieder",
    "Evaluatie na 3 maanden",
    "Cliënt wil geen vragenlijst invullen",
    "Groepsaanbod",
    "Eerste afspraak gemist.\nTweede afspraak wel.",
    "Afgesloten in overleg met \"toegang\"",
};

/* ---- Persons. ------------------------------------------------------------------------------ */

struct person {
    char bsn[10];
    char gender;      /* '1' man, '2' vrouw, '0' onbekend */
    uint8_t gemeente; /* index into the options' gemeenten; may change on moving */
    day_t birth;
    uint32_t name_seed; /* names are derived, not stored */
    uint32_t addr_seed;
    uint32_t client_nr; /* the provider-side client number in exports */
};

/* Open-addressing set of the BSNs in use (0 = empty; 0 is never a valid BSN here). */
struct bsn_set {
    uint32_t *slots;
    size_t cap, n;
};

static size_t bsn_hash(uint32_t v, size_t cap)
{
    return (size_t)((v * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (cap - 1);
}

static bool bsn_set_add(struct bsn_set *s, uint32_t v)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 4096;
        uint32_t *ns = xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t h = bsn_hash(s->slots[i], ncap);
            while (ns[h])
                h = (h + 1) & (ncap - 1);
            ns[h] = s->slots[i];
        }
        free(s->slots);
        s->slots = ns;
        s->cap = ncap;
    }
    size_t h = bsn_hash(v, s->cap);
    while (s->slots[h]) {
        if (s->slots[h] == v)
            return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->slots[h] = v;
    s->n++;
    return true;
}

bool synth_bsn_elfproef(const char bsn[static 9])
{
    int sum = 0;
    for (int i = 0; i < 9; i++) {
        if (bsn[i] < '0' || bsn[i] > '9')
            return false;
        int d = bsn[i] - '0';
        sum += i < 8 ? d * (9 - i) : -d;
    }
    return sum % 11 == 0;
}

/* The check digit that completes 8 digits to a BSN, or -1 if none does (sum % 11 == 10). */
static int bsn_check_digit(uint32_t first8)
{
    int sum = 0;
    for (int i = 7; i >= 0; i--, first8 /= 10)
        sum += (int)(first8 % 10) * (9 - i);
    int d = sum % 11;
    return d == 10 ? -1 : d;
}

/* ---- Generator state. ---------------------------------------------------------------------- */

enum traj_flag_bits {
    TF_REQUEST = 1 << 0,       /* a 315 precedes the assignment */
    TF_NEVER_STARTED = 1 << 1, /* assigned, never started */
    TF_WITHDRAWN = 1 << 2,     /* assignment withdrawn (RedenWijziging 13) */
    TF_UNKNOWN_ASG = 1 << 3,   /* the 301 is missing from the traffic */
    TF_START_DELETED = 1 << 4, /* a start sent and deleted (StatusAanlevering 3) */
};

struct traj {
    uint32_t person;
    uint16_t prov;
    uint8_t law;
    uint8_t prod;
    uint8_t gem;
    uint8_t flags;
    char referrer[3];
    char reason[3]; /* final reason, "" while open */
    uint8_t reason_idx;
    uint32_t addr_seed;
    uint32_t asg_nr, ref_nr;
    day_t start, end; /* end DAY_NONE while open */
    day_t asg_date, asg_from, asg_to;
};

/* One message to render. 28 bytes; all variable content of the message lives here. */
struct event {
    day_t date; /* Dagtekening */
    uint32_t traj;
    uint32_t seq;  /* generation order: the tie-break of the sort */
    uint16_t kind; /* 301 305 307 315 */
    uint8_t status;
    uint8_t change; /* 301 RedenWijziging (4, 5, 13) or 0 */
    char reason[3];
    uint8_t dirty; /* enum dirty_kind */
    day_t a, b;    /* see emit_events */
};

enum dirty_kind { DIRTY_NONE = 0, DIRTY_BSN, DIRTY_REASON, DIRTY_GENDER, DIRTY_COUNT };

struct gprov {
    const struct synth_provider *p;
    const struct sector *sec;
    double weight;
    double reason_p[LAW_SLOTS][NREASONS];
    uint64_t ident; /* next BerichtIdentificatie of this sender */
    FILE *csv;      /* registration export, synth_messages only */
    uint64_t csv_rows;
};

struct gen {
    const struct synth_options *o;
    struct rng r;
    day_t period_start, end;
    struct gprov *prov;
    size_t nprov;
    int64_t gem_total;
    uint64_t *gem_ident;
    struct person *persons;
    size_t npersons, cap_persons;
    struct bsn_set bsns;
    uint32_t next_asg, next_ref, next_client;
    /* message mode */
    struct traj *trajs;
    size_t ntrajs, cap_trajs;
    struct event *events;
    size_t nevents, cap_events;
    uint64_t target_events; /* 0 = none */
    bool done;
    /* registration mode */
    uint64_t target_rows, rows;
    FILE *single_csv;
    enum synth_csv_style single_style;
    struct synth_stats *st;
    int rc;
    struct err_ctx *e;
};

static const char *law_name(enum law law)
{
    return law == LAW_WMO ? "WMO" : "JW";
}

/* Provider parameters come from the seed and the provider's own code, so adding a provider
 * to the list leaves the others as they were. */
static void provider_params(struct gen *g, struct gprov *gp)
{
    struct rng r;
    rng_seed(&r, g->o->seed ^ rng_hash_name(gp->p->agb) ^ UINT64_C(0x5eed));
    gp->weight = gp->sec->size * rng_uniform(&r, 0.7, 1.4);
    for (int law = LAW_JW; law <= LAW_WMO; law++) {
        double *p = gp->reason_p[law];
        if (law == LAW_JW) {
            p[R_AGREED] = rng_uniform(&r, 0.08, 0.12);
            p[R_CLIENT] = rng_uniform(&r, 0.05, 0.15); /* uitval */
            p[R_PROVIDER] = rng_uniform(&r, 0.02, 0.04);
            p[R_EXTERNAL] = rng_uniform(&r, 0.035, 0.055);
            p[R_DEATH] = 0.001;
            p[R_36] = 0.010;
            p[R_37] = 0.008;
            p[R_38] = 0.015;
            p[R_39] = 0.012;
        } else {
            p[R_AGREED] = rng_uniform(&r, 0.06, 0.10);
            p[R_CLIENT] = rng_uniform(&r, 0.03, 0.09);
            p[R_PROVIDER] = rng_uniform(&r, 0.01, 0.03);
            p[R_EXTERNAL] = rng_uniform(&r, 0.03, 0.06); /* WMO588 31: verhuizing */
            p[R_DEATH] = 0.01;
            p[R_36] = 0.015;
            p[R_37] = 0.010;
            p[R_38] = 0.020;
            p[R_39] = 0.015;
        }
        double rest = 0;
        for (int i = 1; i < NREASONS; i++)
            rest += p[i];
        /* Keep "volgens plan" between 60% and 75%, as in practice. */
        double scale = rest > 0.40 ? 0.40 / rest : rest < 0.25 ? 0.25 / rest : 1.0;
        rest = 0;
        for (int i = 1; i < NREASONS; i++)
            rest += (p[i] *= scale);
        p[R_PLAN] = 1.0 - rest;
    }
}

static int draw_reason(struct gen *g, const struct gprov *gp, enum law law, enum kind_id k, int age)
{
    struct rng *r = &g->r;
    if (k == K_CRISIS) {
        /* A crisis placement mostly ends as planned or in a move to other care. */
        static const int w[NREASONS] = {45, 10, 8, 0, 5, 0, 0, 7, 25, 0};
        return (int)rng_weighted(r, w, NREASONS);
    }
    if (law == LAW_WMO && age >= 75) {
        if (rng_chance(r, 0.09))
            return R_DEATH;
        if (rng_chance(r, 0.04))
            return R_39; /* uitstroom naar de Wlz */
    }
    double u = rng_unit(r), acc = 0;
    for (int i = 0; i < NREASONS; i++) {
        acc += gp->reason_p[law][i];
        if (u < acc)
            return i;
    }
    return R_PLAN;
}

static int draw_age(struct rng *r, enum age_profile p)
{
    switch (p) {
    case AGE_JW: {
        /* Youth care peaks in primary school and puberty. */
        static const int w[18] = {2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 10, 10, 10, 9, 8, 7};
        return (int)rng_weighted(r, w, 18);
    }
    case AGE_JW_SCHOOL:
        return rng_range(r, 6, 13);
    case AGE_JW_TEEN:
        return rng_range(r, 12, 19);
    case AGE_ADULT:
        return rng_range(r, 18, 40) + (int)rng_below(r, 30);
    case AGE_OLD:
        return 65 + (int)fmin(34, fabs(rng_normal(r)) * 10 + rng_below(r, 12));
    case AGE_WMO_MIXED:
        return rng_chance(r, 0.45) ? rng_range(r, 18, 64) : rng_range(r, 65, 95);
    }
    return 10;
}

static int duration_days(struct rng *r, const struct kind *k)
{
    double d = k->median_days * exp(k->sigma * rng_normal(r));
    if (d < k->min_days)
        d = k->min_days + rng_below(r, 7);
    if (d > k->max_days)
        d = k->max_days - (double)rng_below(r, 30);
    return (int)d;
}

static size_t pick_gemeente(struct gen *g)
{
    int64_t x = (int64_t)rng_below(&g->r, (uint64_t)g->gem_total);
    for (size_t i = 0; i < g->o->ngemeenten; i++) {
        x -= g->o->gemeenten[i].population > 0 ? g->o->gemeenten[i].population : 1;
        if (x < 0)
            return i;
    }
    return 0;
}

static bool prov_has_law(const struct gprov *gp, enum law law)
{
    if (!(gp->p->laws & (1u << law)))
        return false;
    for (int i = 0; i < MAX_SECTOR_PRODUCTS; i++)
        if (gp->sec->items[i].code && gp->sec->items[i].law == law)
            return true;
    return false;
}

/* A provider for the law, by weight; `avoid` (or SIZE_MAX) is skipped when another exists. */
static size_t pick_provider(struct gen *g, enum law law, size_t avoid)
{
    double total = 0;
    for (size_t i = 0; i < g->nprov; i++)
        if (i != avoid && prov_has_law(&g->prov[i], law))
            total += g->prov[i].weight;
    if (total <= 0)
        return avoid;
    double x = rng_unit(&g->r) * total;
    size_t last = avoid;
    for (size_t i = 0; i < g->nprov; i++) {
        if (i == avoid || !prov_has_law(&g->prov[i], law))
            continue;
        last = i;
        x -= g->prov[i].weight;
        if (x < 0)
            return i;
    }
    return last;
}

static int pick_product(struct gen *g, const struct gprov *gp, enum law law)
{
    int w[MAX_SECTOR_PRODUCTS] = {0};
    for (int i = 0; i < MAX_SECTOR_PRODUCTS; i++)
        if (gp->sec->items[i].code && gp->sec->items[i].law == law)
            w[i] = gp->sec->items[i].weight;
    return (int)rng_weighted(&g->r, w, MAX_SECTOR_PRODUCTS);
}

static const struct product *traj_product(const struct gen *g, const struct traj *t)
{
    return &g->prov[t->prov].sec->items[t->prod];
}

static int new_person(struct gen *g, day_t start, int age, enum law law, uint32_t *out)
{
    struct rng *r = &g->r;
    if (g->npersons == g->cap_persons) {
        g->cap_persons = g->cap_persons ? g->cap_persons * 2 : 1024;
        g->persons = xrealloc(g->persons, g->cap_persons * sizeof *g->persons);
    }
    struct person *p = &g->persons[g->npersons];
    memset(p, 0, sizeof *p);
    for (int tries = 0;; tries++) {
        if (tries >= BSN_TRIES)
            return err_set(g->e, ERR_INTERNAL, NULL, "no unused BSN found");
        uint32_t first8 = g->o->test_bsns ? 99990000u + (uint32_t)rng_below(r, 10000)
                                          : 10000000u + (uint32_t)rng_below(r, 60000000);
        int d = bsn_check_digit(first8);
        if (d < 0)
            continue;
        uint32_t v = first8 * 10 + (uint32_t)d;
        if (g->o->test_bsns && (v < 999900006u || v > 999999990u))
            continue;
        if (!bsn_set_add(&g->bsns, v))
            continue;
        for (int i = 8; i >= 0; i--, v /= 10)
            p->bsn[i] = (char)('0' + v % 10);
        p->bsn[9] = '\0';
        break;
    }
    int y, m, d;
    day_to_ymd(start, &y, &m, &d);
    day_t anchor = day_from_ymd(y - age - 1, m, d > 28 ? 28 : d);
    p->birth = anchor + 1 + (day_t)rng_below(r, 364);
    if (p->birth > start)
        p->birth = start - 1;
    double p_man = law == LAW_JW ? 0.56 : age >= 65 ? 0.36 : 0.47;
    p->gender = rng_chance(r, 0.002) ? '0' : rng_chance(r, p_man) ? '1' : '2';
    p->gemeente = (uint8_t)pick_gemeente(g);
    p->name_seed = (uint32_t)rng_next(r);
    p->addr_seed = (uint32_t)rng_next(r);
    p->client_nr = ++g->next_client;
    *out = (uint32_t)g->npersons++;
    g->st->persons++;
    return 0;
}

/* ---- Derived person data: names, address. ------------------------------------------------- */

struct names {
    const char *first;
    const struct surname *sur;
    char initials[8];
};

static void person_names(const struct person *p, uint32_t salt, struct names *out)
{
    uint64_t h = p->name_seed ^ ((uint64_t)salt << 32);
    struct rng r;
    rng_seed(&r, h);
    bool male = p->gender == '1' || (p->gender == '0' && (h & 1));
    if (salt == 1) /* the parent in Relaties: the other gender, often */
        male = rng_chance(&r, 0.5);
    out->first = male ? first_m[rng_below(&r, ARRAY_LEN(first_m))]
                      : first_f[rng_below(&r, ARRAY_LEN(first_f))];
    struct rng rs;
    rng_seed(&rs, p->name_seed); /* the family name is the person's, also for the parent */
    out->sur = &surnames[rng_below(&rs, ARRAY_LEN(surnames))];
    size_t n = 0;
    bool at_word = true;
    for (const char *c = out->first; *c && n + 1 < sizeof out->initials; c++) {
        if (*c == ' ') {
            at_word = true;
        } else if (at_word) {
            out->initials[n++] = *c; /* first names start with an ASCII letter */
            at_word = false;
        }
    }
    out->initials[n] = '\0';
}

struct address {
    const struct place *place;
    char postcode[16];
    const char *street;
    int number;
    char letter; /* 0 if none */
    char phone[32];
};

static void person_address(const struct gen *g, size_t gem, uint32_t seed, struct address *out)
{
    struct rng r;
    rng_seed(&r, seed ^ ((uint64_t)gem << 40));
    const char *gname = g->o->gemeenten[gem].name;
    size_t cand[ARRAY_LEN(places)], nc = 0;
    for (size_t i = 0; gname && i < ARRAY_LEN(places); i++)
        if (strcmp(places[i].gemeente, gname) == 0)
            cand[nc++] = i;
    static const struct place elsewhere = {"", "", 1000, 9999, "0800"};
    out->place = nc ? &places[cand[rng_below(&r, nc)]] : &elsewhere;
    int pc4 = rng_range(&r, out->place->pc4_lo, out->place->pc4_hi);
    /* Letter pairs SA, SD and SS are not used in Dutch postcodes. */
    char l1, l2;
    do {
        l1 = (char)('A' + rng_below(&r, 26));
        l2 = (char)('A' + rng_below(&r, 26));
    } while (l1 == 'S' && (l2 == 'A' || l2 == 'D' || l2 == 'S'));
    snprintf(out->postcode, sizeof out->postcode, "%04d%c%c", pc4, l1, l2);
    out->street = streets[rng_below(&r, ARRAY_LEN(streets))];
    out->number = 1 + (int)rng_below(&r, 140);
    out->letter = rng_chance(&r, 0.08) ? (char)('a' + rng_below(&r, 4)) : 0;
    snprintf(out->phone, sizeof out->phone, "%s%06" PRIu64, out->place->area_code,
             100000 + rng_below(&r, 900000));
}

/* ---- The trajectory model. ----------------------------------------------------------------- */

static int age_at(day_t birth, day_t d)
{
    int by, bm, bd, y, m, dd;
    day_to_ymd(birth, &by, &bm, &bd);
    day_to_ymd(d, &y, &m, &dd);
    int age = y - by;
    if (m < bm || (m == bm && dd < bd))
        age--;
    return age;
}

static int emit_traj(struct gen *g, struct traj *t);

/*
 * One person's history: a first trajectory and, for 15-20% of persons, a return within 1-3
 * years at the same provider (half of them) or another one.
 */
static int person_chain(struct gen *g)
{
    struct rng *r = &g->r;
    unsigned laws = g->o->laws ? g->o->laws : (SYNTH_LAW_JW | SYNTH_LAW_WMO);
    enum law law = (laws & SYNTH_LAW_JW) && (laws & SYNTH_LAW_WMO)
                       ? (rng_chance(r, 0.45) ? LAW_JW : LAW_WMO)
                       : ((laws & SYNTH_LAW_JW) ? LAW_JW : LAW_WMO);
    size_t prov = pick_provider(g, law, SIZE_MAX);
    if (prov == SIZE_MAX)
        return err_set(g->e, ERR_INVALID, NULL, "no provider offers %s", law_name(law));
    int prod = pick_product(g, &g->prov[prov], law);
    const struct kind *k = &kinds[g->prov[prov].sec->items[prod].kind];
    int span = g->end - g->period_start - 45;
    day_t start = g->period_start + 45 + (day_t)rng_below(r, (uint64_t)(span > 1 ? span : 1));
    int age = draw_age(r, k->age);
    uint32_t person;
    int rc = new_person(g, start, age, law, &person);
    if (rc)
        return rc;
    uint64_t before = g->st->trajectories;
    bool followed = false; /* first trajectory ended 3+ years before the end of the period */
    for (int episode = 0; episode < 6 && !g->done; episode++) {
        const struct person *p = &g->persons[person];
        struct traj t = {
            .person = person,
            .prov = (uint16_t)prov,
            .law = (uint8_t)law,
            .prod = (uint8_t)prod,
            .gem = p->gemeente,
            .addr_seed = p->addr_seed,
            .start = start,
        };
        if ((rc = emit_traj(g, &t)))
            return rc;
        if (t.end == DAY_NONE || (t.flags & (TF_NEVER_STARTED | TF_WITHDRAWN | TF_START_DELETED)))
            break;
        if (episode == 0 && t.end + REPEAT_MAX_GAP <= g->end) {
            followed = true;
            g->st->followed_persons++;
        }
        if (t.reason_idx == R_DEATH)
            break;
        if (law == LAW_WMO && t.reason_idx == R_EXTERNAL) {
            /* WMO588 31: moved. Some move within the region and may come back there. */
            if (!rng_chance(r, 0.3))
                break;
            struct person *pm = &g->persons[person];
            pm->gemeente = (uint8_t)pick_gemeente(g);
            pm->addr_seed = (uint32_t)rng_next(r);
        }
        if (!rng_chance(r, REPEAT_CHANCE))
            break;
        start = t.end + REPEAT_MIN_GAP + (day_t)rng_below(r, REPEAT_MAX_GAP - REPEAT_MIN_GAP + 1);
        if (start > g->end)
            break;
        int a = age_at(g->persons[person].birth, start);
        if (law == LAW_JW && a >= 18) {
            if (!(laws & SYNTH_LAW_WMO) || !rng_chance(r, 0.3))
                break;
            law = LAW_WMO; /* from youth care to adult support */
        }
        if (!rng_chance(r, 0.5) || !prov_has_law(&g->prov[prov], law))
            prov = pick_provider(g, law, prov);
        if (prov == SIZE_MAX || !prov_has_law(&g->prov[prov], law))
            break;
        prod = pick_product(g, &g->prov[prov], law);
    }
    if (g->st->trajectories - before >= 2) {
        g->st->returning_persons++;
        g->st->followed_returned += followed;
    }
    return 0;
}

/* ---- Message events. ----------------------------------------------------------------------- */

static bool add_event(struct gen *g, const struct event *ev)
{
    if (ev->date > g->end || ev->date == DAY_NONE)
        return false; /* not sent yet */
    if (g->nevents == g->cap_events) {
        g->cap_events = g->cap_events ? g->cap_events * 2 : 4096;
        g->events = xrealloc(g->events, g->cap_events * sizeof *g->events);
    }
    struct event *e = &g->events[g->nevents];
    *e = *ev;
    e->seq = (uint32_t)g->nevents;
    if (g->o->dirty_per_mille && rng_below(&g->r, 1000) < g->o->dirty_per_mille)
        e->dirty = (uint8_t)(1 + rng_below(&g->r, DIRTY_COUNT - 1));
    g->nevents++;
    return true;
}

static struct event ev_make(uint32_t traj, uint16_t kind, day_t date)
{
    struct event ev;
    memset(&ev, 0, sizeof ev);
    ev.traj = traj;
    ev.kind = kind;
    ev.date = date;
    ev.status = 1;
    ev.a = ev.b = DAY_NONE;
    return ev;
}

static void ev_reason(struct event *ev, const char *code)
{
    memcpy(ev->reason, code, 3);
}

/* Delay between an event and its message: mostly a few days, sometimes weeks late. */
static day_t delay(struct rng *r)
{
    return rng_chance(r, 0.05) ? rng_range(r, 10, 40) : rng_range(r, 1, 7);
}

/*
 * The chain of one trajectory (procesbeschrijving iJw 3.2): 315 when a non-gemeente referrer
 * asked for it, 301 assignment, 305 start, extensions (301 RedenWijziging 04) while it runs
 * past the assignment's end, a temporary stop (20) with restart or final stop, the final 307,
 * sometimes a shortening (05); plus corrections (status 2), deletions (status 3), withdrawn
 * assignments (13) and starts for an assignment whose 301 never came.
 *
 * Event fields: 301 a = Ingangsdatum, b = Einddatum; 305 a = Begindatum; 307 a = Begindatum,
 * b = Einddatum; 315 a = ToewijzingIngangsdatum, b = ToewijzingEinddatum.
 */
static bool emit_events(struct gen *g, struct traj *t, uint32_t ti, day_t true_end)
{
    struct rng *r = &g->r;
    const struct kind *k = &kinds[traj_product(g, t)->kind];
    const char *const *codes = t->law == LAW_JW ? jw_reasons : wmo_reasons;
    struct event ev;

    if (t->flags & TF_REQUEST) {
        ev = ev_make(ti, 315, t->asg_date - rng_range(r, 1, 5));
        ev.a = t->asg_from;
        ev.b = t->asg_to;
        add_event(g, &ev);
    }
    if (!(t->flags & TF_UNKNOWN_ASG)) {
        ev = ev_make(ti, 301, t->asg_date);
        ev.a = t->asg_from;
        ev.b = t->asg_to;
        add_event(g, &ev);
    }
    if (t->flags & TF_WITHDRAWN) {
        ev = ev_make(ti, 301, t->asg_date + rng_range(r, 2, 20));
        ev.change = 13;
        ev.a = ev.b = t->asg_from;
        add_event(g, &ev);
        g->st->withdrawn++;
        return false;
    }
    if (t->flags & TF_NEVER_STARTED)
        return false;
    bool started;
    day_t sent = t->start + delay(r);
    if (t->flags & TF_START_DELETED) {
        ev = ev_make(ti, 305, sent);
        ev.a = t->start;
        add_event(g, &ev);
        ev = ev_make(ti, 305, sent + rng_range(r, 2, 20));
        ev.a = t->start;
        ev.status = 3;
        add_event(g, &ev);
        g->st->deletions++;
        return false;
    }
    if (rng_chance(r, 0.01)) {
        /* A start with a typing error, corrected later (StatusAanlevering 2). */
        ev = ev_make(ti, 305, sent);
        ev.a = t->start + (rng_chance(r, 0.5) ? 1 : -1) * rng_range(r, 3, 30);
        add_event(g, &ev);
        ev = ev_make(ti, 305, sent + rng_range(r, 2, 20));
        ev.a = t->start;
        ev.status = 2;
        started = add_event(g, &ev);
        g->st->corrections += started;
    } else {
        ev = ev_make(ti, 305, sent);
        ev.a = t->start;
        started = add_event(g, &ev);
    }
    if (t->flags & TF_UNKNOWN_ASG)
        g->st->unknown_assignments += started;

    /* Extensions while the help runs past the assignment's end (or today, if open). */
    day_t last = true_end != DAY_NONE ? true_end : g->end;
    day_t to = t->asg_to;
    for (int i = 0;
         i < MAX_EXTENSIONS && to != DAY_NONE && to < last && !(t->flags & TF_UNKNOWN_ASG); i++) {
        day_t nto = to + k->planned_days;
        ev = ev_make(ti, 301, to - rng_range(r, 7, 21));
        ev.change = 4;
        ev.a = t->asg_from;
        ev.b = nto;
        add_event(g, &ev);
        to = nto;
    }

    day_t line_begin = t->start;
    int dur = (int)(last - t->start);
    double p_temp = t->law == LAW_JW ? 0.04 : 0.05;
    if (dur >= 60 && rng_chance(r, p_temp)) {
        day_t temp_at = t->start + dur * rng_range(r, 30, 70) / 100;
        ev = ev_make(ti, 307, temp_at + delay(r));
        ev.a = t->start;
        ev.b = temp_at;
        ev_reason(&ev, "20");
        add_event(g, &ev);
        g->st->temporary_stops++;
        day_t restart = temp_at + rng_range(r, 7, 60);
        if (restart < last - 14 && rng_chance(r, 0.6)) {
            ev = ev_make(ti, 305, restart + delay(r));
            ev.a = restart;
            add_event(g, &ev);
            line_begin = restart;
        }
    }
    if (dur >= 90 && rng_chance(r, 0.007)) {
        /* A stop sent by mistake and deleted (StatusAanlevering 3); the help goes on. */
        day_t mid = line_begin + (last - line_begin) / 2;
        ev = ev_make(ti, 307, mid + rng_range(r, 1, 5));
        ev.a = line_begin;
        ev.b = mid;
        ev_reason(&ev, codes[R_PLAN]);
        add_event(g, &ev);
        ev.date += rng_range(r, 2, 15);
        ev.status = 3;
        add_event(g, &ev);
        g->st->deletions++;
    }
    if (true_end == DAY_NONE)
        return started;
    sent = true_end + delay(r);
    if (sent > g->end) {
        t->end = DAY_NONE; /* the stop is not sent yet: still open in the data */
        t->reason[0] = '\0';
        return started;
    }
    if (rng_chance(r, 0.02)) {
        /* A stop with a wrong end date or reason, corrected later (StatusAanlevering 2). */
        ev = ev_make(ti, 307, sent);
        ev.a = line_begin;
        ev.b = true_end;
        ev_reason(&ev, t->reason);
        if (rng_chance(r, 0.5) && true_end - 10 > line_begin)
            ev.b = true_end - rng_range(r, 3, 10);
        else
            ev_reason(&ev, strcmp(t->reason, codes[R_PLAN]) ? codes[R_PLAN] : codes[R_AGREED]);
        add_event(g, &ev);
        ev = ev_make(ti, 307, sent + rng_range(r, 2, 30));
        ev.a = line_begin;
        ev.b = true_end;
        ev.status = 2;
        ev_reason(&ev, t->reason);
        add_event(g, &ev);
        g->st->corrections++;
    } else {
        ev = ev_make(ti, 307, sent);
        ev.a = line_begin;
        ev.b = true_end;
        ev_reason(&ev, t->reason);
        add_event(g, &ev);
    }
    if (to != DAY_NONE && true_end < to - 30 && !(t->flags & TF_UNKNOWN_ASG) &&
        rng_chance(r, 0.25)) {
        ev = ev_make(ti, 301, true_end + rng_range(r, 5, 20));
        ev.change = 5; /* verkorting */
        ev.a = t->asg_from;
        ev.b = true_end;
        add_event(g, &ev);
    }
    return started;
}

/* ---- Registration rows. -------------------------------------------------------------------- */

static int write_csv_traj(struct gen *g, FILE *f, enum synth_csv_style style, const struct traj *t);

/* Plans one trajectory's dates and reason, then hands it to the message or the export sink. */
static int emit_traj(struct gen *g, struct traj *t)
{
    struct rng *r = &g->r;
    struct gprov *gp = &g->prov[t->prov];
    const struct product *pr = &gp->sec->items[t->prod];
    const struct kind *k = &kinds[pr->kind];
    const struct person *p = &g->persons[t->person];
    int age = age_at(p->birth, t->start);

    memcpy(t->referrer, ref_codes[rng_weighted(r, ref_weights[k->ref], 7)], 3);
    bool gemeente_ref = strcmp(t->referrer, "01") == 0;
    if (rng_chance(r, gemeente_ref ? 0.08 : 0.9))
        t->flags |= TF_REQUEST;
    t->asg_date = t->start - rng_range(r, 3, 30);
    t->asg_from = t->asg_date + (day_t)rng_below(r, (uint64_t)(t->start - t->asg_date + 1));
    t->asg_to = rng_chance(r, k->open_ended) ? DAY_NONE : t->asg_from + k->planned_days - 1;
    t->asg_nr = g->next_asg++;
    t->ref_nr = g->next_ref++;

    day_t end = t->start + duration_days(r, k) - 1;
    t->reason_idx = (uint8_t)draw_reason(g, gp, (enum law)t->law, pr->kind, age);
    const char *const *codes = t->law == LAW_JW ? jw_reasons : wmo_reasons;
    memcpy(t->reason, codes[t->reason_idx], 3);
    if (end >= g->end) {
        end = DAY_NONE;
        t->reason[0] = '\0';
    }
    double u = rng_unit(r);
    if (u < 0.02)
        t->flags |= TF_NEVER_STARTED;
    else if (u < 0.025)
        t->flags |= TF_WITHDRAWN;
    else if (u < 0.028)
        t->flags |= TF_START_DELETED;
    else if (u < 0.033)
        t->flags |= TF_UNKNOWN_ASG;
    t->end = end;

    if (g->single_csv || (gp->p->csv_style != SYNTH_CSV_NONE && t->law == LAW_JW)) {
        if (t->flags & (TF_NEVER_STARTED | TF_WITHDRAWN | TF_START_DELETED))
            return 0;
        FILE *f = g->single_csv ? g->single_csv : gp->csv;
        enum synth_csv_style style = g->single_csv ? g->single_style : gp->p->csv_style;
        if (!f)
            return 0;
        g->st->trajectories++;
        g->st->open_trajectories += t->end == DAY_NONE;
        return write_csv_traj(g, f, style, t);
    }

    if (g->ntrajs == g->cap_trajs) {
        g->cap_trajs = g->cap_trajs ? g->cap_trajs * 2 : 1024;
        g->trajs = xrealloc(g->trajs, g->cap_trajs * sizeof *g->trajs);
    }
    uint32_t ti = (uint32_t)g->ntrajs++;
    bool started = emit_events(g, t, ti, end);
    g->trajs[ti] = *t;
    if (started) {
        g->st->trajectories++;
        if (t->end == DAY_NONE)
            g->st->open_trajectories++;
        else
            g->st->end_reasons[t->law - 1][(t->reason[0] - '0') * 10 + (t->reason[1] - '0')]++;
    }
    if (g->target_events && g->nevents >= g->target_events) {
        /* Exactly the asked number: the last trajectory keeps the first of its messages. */
        g->nevents = (size_t)g->target_events;
        g->done = true;
    }
    return 0;
}

/* ---- XML rendering. ------------------------------------------------------------------------ */

struct xw {
    struct buf *b;
    const char *m;  /* message prefix "jw301" */
    const char *bs; /* basisschema prefix "ijw" / "iwmo" */
    int depth;
    int rc;
};

static void xw_indent(struct xw *x)
{
    for (int i = 0; i < x->depth && !x->rc; i++)
        x->rc = buf_append_char(x->b, '\t');
}

static void xw_tag(struct xw *x, bool base, const char *name, bool close)
{
    if (x->rc)
        return;
    x->rc = buf_appendf(x->b, "<%s%s:%s>", close ? "/" : "", base ? x->bs : x->m, name);
}

static void xw_open(struct xw *x, bool base, const char *name)
{
    xw_indent(x);
    xw_tag(x, base, name, false);
    if (!x->rc)
        x->rc = buf_append_char(x->b, '\n');
    x->depth++;
}

static void xw_close(struct xw *x, bool base, const char *name)
{
    x->depth--;
    xw_indent(x);
    xw_tag(x, base, name, true);
    if (!x->rc)
        x->rc = buf_append_char(x->b, '\n');
}

static void xw_leaf(struct xw *x, bool base, const char *name, const char *text)
{
    xw_indent(x);
    xw_tag(x, base, name, false);
    if (!x->rc)
        x->rc = buf_append_html(x->b, text, strlen(text)); /* &#39; and &quot; are valid XML */
    xw_tag(x, base, name, true);
    if (!x->rc)
        x->rc = buf_append_char(x->b, '\n');
}

static void xw_date(struct xw *x, bool base, const char *name, day_t d)
{
    char iso[11];
    day_format_iso(d, iso);
    xw_leaf(x, base, name, iso);
}

static void xw_num(struct xw *x, bool base, const char *name, uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRIu64, v);
    xw_leaf(x, base, name, s);
}

static int bericht_code(enum law law, int kind)
{
    switch (kind) {
    case 301:
        return law == LAW_JW ? 436 : 414;
    case 305:
        return law == LAW_JW ? 438 : 418;
    case 307:
        return law == LAW_JW ? 440 : 420;
    default:
        return law == LAW_JW ? 446 : 444;
    }
}

/* The XsdVersie the shipped schemas declare (data/xsd/<release>/, appinfo). */
static const char *xsd_version(enum law law)
{
    return law == LAW_JW ? "0.1.0" : "1.0.0";
}

static void xw_product(struct xw *x, const struct product *pr, bool dirty)
{
    xw_open(x, false, "Product");
    xw_leaf(x, true, "Categorie", dirty ? "99" : pr->category);
    xw_leaf(x, true, "Code", pr->code);
    xw_close(x, false, "Product");
}

static void xw_name(struct xw *x, const struct names *n, bool full)
{
    xw_open(x, false, "Naam");
    xw_open(x, true, "Geslachtsnaam");
    xw_leaf(x, true, "Achternaam", n->sur->name);
    if (n->sur->prefix[0])
        xw_leaf(x, true, "Voorvoegsel", n->sur->prefix);
    xw_close(x, true, "Geslachtsnaam");
    xw_leaf(x, true, "Voornamen", n->first);
    xw_leaf(x, true, "Voorletters", n->initials);
    if (full)
        xw_leaf(x, true, "NaamGebruik", "1");
    xw_close(x, false, "Naam");
}

static void xw_omvang(struct xw *x, struct rng *r, const struct kind *k)
{
    xw_open(x, false, "Omvang");
    xw_num(x, true, "Volume", (uint64_t)rng_range(r, k->volume_lo, k->volume_hi));
    xw_leaf(x, true, "Eenheid", k->eenheid);
    xw_leaf(x, true, "Frequentie", k->frequentie);
    xw_close(x, false, "Omvang");
}

static const char *referrer_name(const char *code)
{
    if (strcmp(code, "02") == 0)
        return "Huisartsenpraktijk";
    if (strcmp(code, "03") == 0)
        return "Jeugdgezondheidszorg GGD";
    if (strcmp(code, "04") == 0)
        return "Gecertificeerde instelling Drenthe";
    if (strcmp(code, "05") == 0)
        return "Ziekenhuis Zuid-Drenthe, kindergeneeskunde";
    if (strcmp(code, "08") == 0)
        return "Rechtbank Noord-Nederland";
    return NULL;
}

/* "JW301_<sender>_<ident>.xml": the sender is the gemeente for 301, else the aanbieder. */
static void msg_name(const struct gen *g, const struct event *ev, const char *ident,
                     char name_out[64])
{
    const struct traj *t = &g->trajs[ev->traj];
    const char *sender = ev->kind == 301 ? g->o->gemeenten[t->gem].code : g->prov[t->prov].p->agb;
    snprintf(name_out, 64, "%s%d_%s_%s.xml", law_name((enum law)t->law), ev->kind, sender, ident);
}

/*
 * Renders one message. `sender`/`receiver` and ident are the header's; the client block
 * follows the XSD of the kind (301: full name, contact data, relation for youth; others: the
 * short name). Deterministic: the per-message PRNG is seeded from the event.
 */
static int render(const struct gen *g, const struct event *ev, const char *ident, struct buf *b,
                  char name_out[64])
{
    const struct traj *t = &g->trajs[ev->traj];
    const struct person *p = &g->persons[t->person];
    const struct gprov *gp = &g->prov[t->prov];
    const struct product *pr = &gp->sec->items[t->prod];
    const struct kind *k = &kinds[pr->kind];
    const struct synth_gemeente *gem = &g->o->gemeenten[t->gem];
    enum law law = (enum law)t->law;
    struct rng r;
    rng_seed(&r, g->o->seed ^ ((uint64_t)ev->seq << 20) ^ ev->kind);

    char m[16];
    snprintf(m, sizeof m, "%s%d", law == LAW_JW ? "jw" : "wmo", ev->kind);
    const char *bs = law == LAW_JW ? "ijw" : "iwmo";
    const char *std = law == LAW_JW ? "ijw" : "iwmo";
    bool from_gemeente = ev->kind == 301;
    const char *sender = from_gemeente ? gem->code : gp->p->agb;
    const char *receiver = from_gemeente ? gp->p->agb : gem->code;
    msg_name(g, ev, ident, name_out);

    struct xw x = {.b = b, .m = m, .bs = bs};
    x.rc =
        buf_appendf(b,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<%s:Bericht xmlns:%s=\"http://www.istandaarden.nl/%s/3_2/basisschema/schema\" "
                    "xmlns:%s=\"http://www.istandaarden.nl/%s/3_2/%s/schema\">\n",
                    m, bs, std, m, std, m);
    x.depth = 1;
    xw_open(&x, false, "Header");
    xw_num(&x, false, "BerichtCode", (uint64_t)bericht_code(law, ev->kind));
    xw_leaf(&x, false, "BerichtVersie", "3");
    xw_leaf(&x, false, "BerichtSubversie", "2");
    xw_leaf(&x, false, "Afzender", sender);
    xw_leaf(&x, false, "Ontvanger", receiver);
    xw_open(&x, false, "BerichtIdentificatie");
    xw_leaf(&x, true, "Identificatie", ident);
    xw_date(&x, true, "Dagtekening", ev->date);
    xw_close(&x, false, "BerichtIdentificatie");
    xw_open(&x, false, "XsdVersie");
    xw_leaf(&x, true, "BasisschemaXsdVersie", xsd_version(law));
    xw_leaf(&x, true, "BerichtXsdVersie", xsd_version(law));
    xw_close(&x, false, "XsdVersie");
    xw_close(&x, false, "Header");

    xw_open(&x, false, "Client");
    char bsn[10];
    memcpy(bsn, p->bsn, sizeof bsn);
    if (ev->dirty == DIRTY_BSN)
        bsn[8] = (char)('0' + (bsn[8] - '0' + 1) % 10); /* fails the elfproef */
    xw_leaf(&x, false, "Bsn", bsn);
    xw_open(&x, false, "Geboortedatum");
    xw_date(&x, true, "Datum", p->birth);
    xw_close(&x, false, "Geboortedatum");
    char gender[2] = {ev->dirty == DIRTY_GENDER ? '3' : p->gender, 0};
    xw_leaf(&x, false, "Geslacht", gender);
    struct names nm;
    person_names(p, 0, &nm);
    xw_name(&x, &nm, ev->kind == 301);

    char ref[40];
    snprintf(ref, sizeof ref, "%.3s-%" PRIu32, gp->p->agb + 5, t->ref_nr);
    switch (ev->kind) {
    case 301: {
        struct address ad;
        person_address(g, t->gem, t->addr_seed, &ad);
        bool youth = law == LAW_JW && age_at(p->birth, ev->date) < 18;
        if (youth) {
            struct names parent;
            person_names(p, 1, &parent);
            xw_open(&x, false, "Relaties");
            xw_open(&x, false, "Relatie");
            xw_leaf(&x, false, "Nummer", "1");
            xw_leaf(&x, false, "Volgorde", "1");
            xw_leaf(&x, false, "Soort", "10"); /* ouder */
            xw_name(&x, &parent, true);
            xw_open(&x, false, "Contact");
            xw_leaf(&x, false, "Soort", "01");
            xw_open(&x, false, "Telefoon");
            xw_open(&x, true, "Telefoon01");
            xw_leaf(&x, true, "Telefoonnummer", ad.phone);
            xw_leaf(&x, true, "Landnummer", "0031");
            xw_close(&x, true, "Telefoon01");
            xw_close(&x, false, "Telefoon");
            xw_close(&x, false, "Contact");
            xw_close(&x, false, "Relatie");
            xw_close(&x, false, "Relaties");
        }
        xw_open(&x, false, "Contactgegevens");
        xw_open(&x, false, "Contact");
        xw_leaf(&x, false, "Soort", "01"); /* BRP-adres */
        xw_open(&x, false, "Adres");
        xw_open(&x, true, "Huis");
        xw_num(&x, true, "Huisnummer", (uint64_t)ad.number);
        if (ad.letter) {
            char l[2] = {ad.letter, 0};
            xw_leaf(&x, true, "Huisletter", l);
        }
        xw_close(&x, true, "Huis");
        xw_leaf(&x, true, "Postcode", ad.postcode);
        xw_leaf(&x, true, "Straatnaam", ad.street);
        xw_leaf(&x, true, "Plaatsnaam", ad.place->name);
        xw_leaf(&x, true, "LandCode", "NL");
        xw_close(&x, false, "Adres");
        if (!youth && rng_chance(&r, 0.6)) {
            xw_open(&x, false, "Telefoon");
            xw_open(&x, true, "Telefoon01");
            xw_leaf(&x, true, "Telefoonnummer", ad.phone);
            xw_leaf(&x, true, "Landnummer", "0031");
            xw_close(&x, true, "Telefoon01");
            xw_close(&x, false, "Telefoon");
        }
        xw_close(&x, false, "Contact");
        xw_close(&x, false, "Contactgegevens");
        xw_open(&x, false, "ToegewezenProducten");
        xw_open(&x, false, "ToegewezenProduct");
        xw_num(&x, false, "ToewijzingNummer", t->asg_nr);
        if (t->flags & TF_REQUEST)
            xw_leaf(&x, false, "ReferentieAanbieder", ref);
        xw_product(&x, pr, ev->dirty == DIRTY_REASON);
        xw_date(&x, false, "Toewijzingsdatum", ev->change ? ev->date : t->asg_date);
        char tijd[40];
        snprintf(tijd, sizeof tijd, "%02d:%02d:%02d", rng_range(&r, 8, 17), rng_range(&r, 0, 59),
                 rng_range(&r, 0, 59));
        xw_leaf(&x, false, "Toewijzingstijd", tijd);
        xw_date(&x, false, "Ingangsdatum", ev->a);
        if (ev->b != DAY_NONE)
            xw_date(&x, false, "Einddatum", ev->b);
        if (ev->change) {
            char rw[12];
            snprintf(rw, sizeof rw, "%02d", ev->change);
            xw_leaf(&x, false, "RedenWijziging", rw);
        }
        xw_omvang(&x, &r, k);
        xw_close(&x, false, "ToegewezenProduct");
        xw_close(&x, false, "ToegewezenProducten");
        break;
    }
    case 305:
    case 307: {
        bool stop = ev->kind == 307;
        xw_open(&x, false, stop ? "StopProducten" : "StartProducten");
        xw_open(&x, false, stop ? "StopProduct" : "StartProduct");
        xw_num(&x, false, "ToewijzingNummer", t->asg_nr);
        xw_product(&x, pr, ev->dirty == DIRTY_REASON && !stop);
        xw_date(&x, false, "ToewijzingIngangsdatum", t->asg_from);
        xw_date(&x, false, "Begindatum", ev->a);
        if (stop) {
            xw_leaf(&x, false, "RedenBeeindiging", ev->dirty == DIRTY_REASON ? "30" : ev->reason);
            xw_date(&x, false, "Einddatum", ev->b);
        }
        char status[2] = {(char)('0' + ev->status), 0};
        xw_leaf(&x, false, "StatusAanlevering", status);
        xw_close(&x, false, stop ? "StopProduct" : "StartProduct");
        xw_close(&x, false, stop ? "StopProducten" : "StartProducten");
        break;
    }
    default: { /* 315 */
        if (law == LAW_JW && rng_chance(&r, 0.5))
            xw_leaf(&x, false, "GezagsdragerBekend", "1");
        xw_open(&x, false, "AangevraagdeProducten");
        xw_open(&x, false, "AangevraagdProduct");
        xw_leaf(&x, false, "ReferentieAanbieder", ref);
        xw_product(&x, pr, ev->dirty == DIRTY_REASON);
        xw_date(&x, false, "ToewijzingIngangsdatum", ev->a);
        if (ev->b != DAY_NONE)
            xw_date(&x, false, "ToewijzingEinddatum", ev->b);
        xw_omvang(&x, &r, k);
        xw_open(&x, false, "Verwijzer");
        xw_leaf(&x, true, "Type", t->referrer);
        const char *rn = referrer_name(t->referrer);
        if (rn)
            xw_leaf(&x, true, "Naam", rn);
        if (strcmp(t->referrer, "02") == 0) {
            char agb[16]; /* huisarts AGB codes start with 01 */
            snprintf(agb, sizeof agb, "01%06" PRIu32, 100000 + (t->ref_nr * 7919u) % 900000);
            xw_leaf(&x, true, "ZorgverlenerCode", agb);
        }
        xw_close(&x, false, "Verwijzer");
        xw_close(&x, false, "AangevraagdProduct");
        xw_close(&x, false, "AangevraagdeProducten");
        break;
    }
    }
    xw_close(&x, false, "Client");
    x.depth = 0;
    xw_tag(&x, false, "Bericht", true);
    if (!x.rc)
        x.rc = buf_append_char(b, '\n');
    return x.rc;
}

/* ---- Output: zip archives or a folder. ----------------------------------------------------- */

/*
 * Zip entries are rendered lazily: libzip asks for an entry's bytes only while it writes the
 * archive (zip_close), through a source callback, so an archive of any size costs one
 * rendered message of memory plus libzip's directory, never all its messages at once.
 */
struct lazy_msg {
    const struct gen *g;
    const struct event *ev;
    char ident[24];
    struct buf b;
    size_t off;
    time_t mtime;
    zip_error_t error;
};

static zip_int64_t lazy_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    struct lazy_msg *m = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN: {
        char name[64];
        buf_reset(&m->b);
        m->off = 0;
        if (render(m->g, m->ev, m->ident, &m->b, name) != 0) {
            zip_error_set(&m->error, ZIP_ER_MEMORY, 0);
            return -1;
        }
        m->g->st->bytes += m->b.len;
        return 0;
    }
    case ZIP_SOURCE_READ: {
        size_t n = m->b.len - m->off;
        if (n > len)
            n = (size_t)len;
        memcpy(data, m->b.p + m->off, n);
        m->off += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        buf_release(&m->b);
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->mtime = m->mtime;
        st->valid |= ZIP_STAT_MTIME;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&m->error, data, len);
    case ZIP_SOURCE_FREE:
        buf_release(&m->b);
        zip_error_fini(&m->error);
        free(m);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zip_error_set(&m->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

struct out {
    const char *dir;
    size_t per_zip;
    time_t mtime;
    zip_t *za;
    char zip_path[4096];
    size_t in_zip;
    unsigned zip_no;
    struct synth_stats *st;
    struct err_ctx *e;
};

static int ensure_dir(const char *dir, struct err_ctx *e)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? 0 : err_set(e, ERR_IO, NULL, "%s is not a folder", dir);
    if (mkdir(dir, 0755) != 0)
        return err_set(e, ERR_IO, NULL, "cannot create %s: %s", dir, strerror(errno));
    return 0;
}

static int out_close_zip(struct out *o)
{
    if (!o->za)
        return 0;
    int rc = 0;
    if (zip_close(o->za) != 0) {
        rc = err_set(o->e, ERR_IO, NULL, "cannot write %s: %s", o->zip_path, zip_strerror(o->za));
        zip_discard(o->za);
    }
    o->za = NULL;
    o->in_zip = 0;
    return rc;
}

static int out_file(struct out *o, const char *name, const struct buf *b)
{
    char path[4096 + 64];
    int n = snprintf(path, sizeof path, "%s/%s", o->dir, name);
    FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "wb") : NULL;
    bool ok = f && fwrite(b->p, 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        return err_set(o->e, ERR_IO, NULL, "cannot write %s", path);
    o->st->files++;
    o->st->bytes += b->len;
    return 0;
}

static int out_zip_entry(struct out *o, const struct gen *g, const struct event *ev,
                         const char *ident, const char *name)
{
    if (o->za && o->in_zip >= o->per_zip) {
        int rc = out_close_zip(o);
        if (rc)
            return rc;
    }
    if (!o->za) {
        int n =
            snprintf(o->zip_path, sizeof o->zip_path, "%s/berichten-%04u.zip", o->dir, ++o->zip_no);
        int zerr = 0;
        o->za = n > 0 && (size_t)n < sizeof o->zip_path
                    ? zip_open(o->zip_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr)
                    : NULL;
        if (!o->za)
            return err_set(o->e, ERR_IO, NULL, "cannot create %s (libzip error %d)", o->zip_path,
                           zerr);
        o->st->zips++;
    }
    struct lazy_msg *m = xcalloc(1, sizeof *m);
    m->g = g;
    m->ev = ev;
    m->mtime = o->mtime;
    snprintf(m->ident, sizeof m->ident, "%s", ident);
    buf_init(&m->b, MSG_BUF_MAX);
    zip_error_init(&m->error);
    zip_source_t *src = zip_source_function(o->za, lazy_cb, m);
    if (!src) {
        zip_error_fini(&m->error);
        free(m);
        return err_set(o->e, ERR_NOMEM, NULL, "zip: %s", zip_strerror(o->za));
    }
    zip_int64_t idx = zip_file_add(o->za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src); /* frees m through ZIP_SOURCE_FREE */
        return err_set(o->e, ERR_IO, NULL, "zip: %s", zip_strerror(o->za));
    }
    /* A fixed time keeps the archive's bytes a function of the seed. */
    zip_file_set_mtime(o->za, (zip_uint64_t)idx, o->mtime, 0);
    o->in_zip++;
    o->st->files++;
    return 0;
}

static int cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int write_messages(struct gen *g, const char *dir)
{
    struct out o = {
        .dir = dir,
        .per_zip = g->o->per_zip,
        .mtime = (time_t)g->end * 86400 + 12 * 3600,
        .st = g->st,
        .e = g->e,
    };
    struct buf b;
    int rc = 0;
    qsort(g->events, g->nevents, sizeof *g->events, cmp_event);
    buf_init(&b, MSG_BUF_MAX);
    for (size_t i = 0; i < g->nevents && !rc; i++) {
        const struct event *ev = &g->events[i];
        const struct traj *t = &g->trajs[ev->traj];
        /* Identifications are unique per sender and grow with time, as in real traffic. */
        uint64_t *counter = ev->kind == 301 ? &g->gem_ident[t->gem] : &g->prov[t->prov].ident;
        char ident[24], name[64];
        snprintf(ident, sizeof ident, "%" PRIu64, (*counter)++);
        if (o.per_zip) {
            msg_name(g, ev, ident, name);
            rc = out_zip_entry(&o, g, ev, ident, name);
        } else {
            buf_reset(&b);
            if ((rc = render(g, ev, ident, &b, name)))
                rc = err_set(g->e, rc, NULL, "message %s too large", name);
            else
                rc = out_file(&o, name, &b);
        }
        g->st->messages++;
        g->st->by_kind[ev->kind == 315 ? 0 : ev->kind == 301 ? 1 : ev->kind == 305 ? 2 : 3]++;
    }
    buf_release(&b);
    int rc2 = out_close_zip(&o);
    return rc ? rc : rc2;
}

/* ---- Registration export. ------------------------------------------------------------------ */

struct row {
    struct buf *b;
    enum synth_csv_style style;
    char sep;
    int rc;
};

/* Appends one field, quoting it when it holds the separator, a quote or a line break. */
static void row_field(struct row *r, const char *s)
{
    if (r->rc)
        return;
    bool quote = strchr(s, r->sep) || strchr(s, '"') || strchr(s, '\n');
    if (quote) {
        r->rc = buf_append_char(r->b, '"');
        for (const char *c = s; *c && !r->rc; c++)
            r->rc = *c == '"' ? buf_append(r->b, "\"\"", 2) : buf_append_char(r->b, *c);
        if (!r->rc)
            r->rc = buf_append_char(r->b, '"');
    } else {
        r->rc = buf_append_str(r->b, s);
    }
}

static void row_next(struct row *r, const char *s)
{
    if (!r->rc)
        r->rc = buf_append_char(r->b, r->sep);
    row_field(r, s);
}

static void row_end(struct row *r)
{
    if (!r->rc)
        r->rc =
            r->style == SYNTH_CSV_EXCEL ? buf_append(r->b, "\r\n", 2) : buf_append_char(r->b, '\n');
}

static void fmt_date(enum synth_csv_style style, day_t d, char out[40])
{
    if (d == DAY_NONE) {
        out[0] = '\0';
        return;
    }
    if (style == SYNTH_CSV_EXCEL) {
        int y, m, dd;
        day_to_ymd(d, &y, &m, &dd);
        snprintf(out, 40, "%d-%d-%04d", dd, m, y);
    } else {
        day_format_iso(d, out);
    }
}

/* UTF-8 -> Windows-1252 for the characters this generator writes; others become '?'. */
static int write_cp1252(FILE *f, const char *s, size_t n)
{
    char chunk[4096];
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
            cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            len = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            cp = ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
                 ((unsigned char)s[i + 2] & 0x3Fu);
            len = 3;
        } else {
            cp = '?';
            len = 1;
        }
        i += len;
        char out;
        if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
            out = (char)cp;
        else if (cp == 0x2013)
            out = (char)0x96;
        else if (cp == 0x2019)
            out = (char)0x92;
        else if (cp == 0x20AC)
            out = (char)0x80;
        else
            out = '?';
        chunk[k++] = out;
        if (k == sizeof chunk) {
            if (fwrite(chunk, 1, k, f) != k)
                return ERR_IO;
            k = 0;
        }
    }
    return k && fwrite(chunk, 1, k, f) != k ? ERR_IO : 0;
}

static int write_row(FILE *f, enum synth_csv_style style, const struct buf *b)
{
    if (style == SYNTH_CSV_EXCEL)
        return write_cp1252(f, b->p, b->len);
    return fwrite(b->p, 1, b->len, f) == b->len ? 0 : ERR_IO;
}

static const char *const plain_headers[] = {
    "Cliëntnummer",       "BSN",         "Geboortedatum", "Geslacht",           "Postcode",
    "Gemeentecode",       "Hulpvorm",    "Productcode",   "Datum aanvang",      "Datum einde",
    "Reden beëindiging",  "Verwijzer",   "Tevredenheid",  "Zonder hulp verder", "Type informant",
    "Doelrealisatie (%)", "Behandelaar",
};
static const char *const excel_headers[] = {
    "Cliëntnr",      "Burgerservicenummer", "Geb.datum",     "M/V",
    "Postcode",      "Woongemeente",        "Vorm van hulp", "Product",
    "Startdatum",    "Einddatum",           "Reden einde",   "Verwezen door",
    "Rapportcijfer", "Zonder hulp verder",  "Ingevuld door", "Doelen behaald",
    "Opmerking",
};
#define NCSV_COLS 17

/* Words the "excel" house style uses instead of codes; the profile maps them back. */
static const struct value_map excel_values[] = {
    {RF_HULPVORM, "Wijkteam", "01"},
    {RF_HULPVORM, "Ambulant", "02"},
    {RF_HULPVORM, "Daghulp", "03"},
    {RF_HULPVORM, "In het netwerk", "04"},
    {RF_HULPVORM, "Pleegzorg", "11"},
    {RF_HULPVORM, "Gezinshuis", "12"},
    {RF_HULPVORM, "Gesloten plaatsing", "13"},
    {RF_HULPVORM, "Residentieel", "14"},
    {RF_REASON, "Volgens plan", "01"},
    {RF_REASON, "In overleg voortijdig", "02"},
    {RF_REASON, "Cliënt gestopt", "03"},
    {RF_REASON, "Gestopt door aanbieder", "04"},
    {RF_REASON, "Externe omstandigheden", "05"},
    {RF_REFERRER, "Gemeente", "01"},
    {RF_REFERRER, "Huisarts", "02"},
    {RF_REFERRER, "Jeugdarts", "03"},
    {RF_REFERRER, "GI", "04"},
    {RF_REFERRER, "Medisch specialist", "05"},
    {RF_REFERRER, "Geen", "06"},
    {RF_REFERRER, "Rechter", "08"},
    {RF_GENDER, "M", "1"},
    {RF_GENDER, "V", "2"},
    {RF_GENDER, "O", "0"},
    {RF_INFORMANT, "Jeugdige", "01"},
    {RF_INFORMANT, "Ouder", "02"},
    {RF_ZONDER_HULP, "1", "01"},
    {RF_ZONDER_HULP, "2", "02"},
    {RF_ZONDER_HULP, "3", "03"},
    {RF_ZONDER_HULP, "4", "04"},
};

/* The word of the excel style for a standard code, by reverse look-up in the value map. */
static const char *excel_word(enum reg_field f, const char *code)
{
    for (size_t i = 0; i < ARRAY_LEN(excel_values); i++)
        if (excel_values[i].field == f && strcmp(excel_values[i].to, code) == 0)
            return excel_values[i].from;
    return code;
}

void synth_registration_profile(enum synth_csv_style style, int64_t org_id, const char *name,
                                struct mapping_profile *out)
{
    /* Column i of the export -> field; RF_COUNT = not mapped (client number, free text). */
    static const enum reg_field fields[NCSV_COLS] = {
        RF_COUNT,        RF_CLIENT_BSN,   RF_BIRTH_DATE, RF_GENDER, RF_POSTCODE, RF_GEMEENTE,
        RF_HULPVORM,     RF_PRODUCT_CODE, RF_START,      RF_END,    RF_REASON,   RF_REFERRER,
        RF_SATISFACTION, RF_ZONDER_HULP,  RF_INFORMANT,  RF_GOAL,   RF_COUNT,
    };
    bool excel = style == SYNTH_CSV_EXCEL;
    memset(out, 0, sizeof *out);
    out->org_id = org_id;
    out->name = name;
    out->law = LAW_JW;
    out->delimiter = excel ? ';' : ',';
    out->header_row = excel ? 3 : 1;
    for (int i = 0; i < NCSV_COLS; i++)
        if (fields[i] != RF_COUNT)
            out->columns[fields[i]] = excel ? excel_headers[i] : plain_headers[i];
    if (excel) {
        out->values = (struct value_map *)excel_values; /* read-only use by the profile code */
        out->nvalues = (int)ARRAY_LEN(excel_values);
    }
}

static int write_csv_header(struct gen *g, FILE *f, enum synth_csv_style style,
                            const char *provider)
{
    struct buf b;
    buf_init(&b, ROW_BUF_MAX);
    struct row r = {.b = &b, .style = style, .sep = style == SYNTH_CSV_EXCEL ? ';' : ','};
    const char *const *h = style == SYNTH_CSV_EXCEL ? excel_headers : plain_headers;
    if (style == SYNTH_CSV_EXCEL) {
        char from[40], to[40];
        fmt_date(style, g->period_start, from);
        fmt_date(style, g->end, to);
        r.rc = buf_appendf(&b, "Export cliëntregistratie – %s", provider);
        row_end(&r);
        if (!r.rc)
            r.rc = buf_appendf(&b, "Periode %s t/m %s;aangemaakt %s", from, to, to);
        row_end(&r);
    }
    for (int i = 0; i < NCSV_COLS; i++)
        (i ? row_next : row_field)(&r, h[i]);
    row_end(&r);
    int rc = r.rc ? r.rc : write_row(f, style, &b);
    buf_release(&b);
    return rc;
}

/* Outcome of one informant, correlated with how the help ended. */
struct outcome {
    int satisfaction; /* 0 = not answered */
    const char *zhv;  /* "" = not answered */
    int goal;         /* -1 = not answered */
};

static void draw_outcome(struct rng *r, const char *cbs, struct outcome *o)
{
    static const double mean_sat[6] = {0, 7.8, 7.0, 5.2, 4.8, 6.8};
    static const int zhv_w[6][4] = {
        {25, 25, 25, 25}, {10, 20, 35, 35}, {25, 30, 30, 15},
        {45, 25, 20, 10}, {60, 25, 15, 0},  {40, 30, 20, 10},
    };
    static const int goal_lo[6] = {0, 60, 40, 0, 0, 20}, goal_hi[6] = {100, 100, 80, 50, 40, 70};
    static const char *const zhv[4] = {"01", "02", "03", "04"};
    int c = cbs[0] ? cbs[1] - '0' : 0;
    if (c < 0 || c > 5)
        c = 0;
    double s = mean_sat[c] + 1.3 * rng_normal(r);
    o->satisfaction = rng_chance(r, 0.1) ? 0 : s < 1 ? 1 : s > 10 ? 10 : (int)lround(s);
    o->zhv = rng_chance(r, 0.12) ? "" : zhv[rng_weighted(r, zhv_w[c], 4)];
    o->goal = rng_chance(r, 0.15) ? -1 : 10 * rng_range(r, goal_lo[c] / 10, goal_hi[c] / 10);
}

static int write_csv_traj(struct gen *g, FILE *f, enum synth_csv_style style, const struct traj *t)
{
    struct rng *r = &g->r;
    const struct person *p = &g->persons[t->person];
    const struct product *pr = traj_product(g, t);
    const struct kind *k = &kinds[pr->kind];
    bool excel = style == SYNTH_CSV_EXCEL;
    const char *cbs = t->end != DAY_NONE ? jw_reason_cbs[t->reason_idx] : "";
    int age_end = age_at(p->birth, t->end != DAY_NONE ? t->end : g->end);

    /* Who answered: parents of young children, the young person from 12, sometimes both. */
    const char *informants[2] = {"", NULL};
    if (t->end != DAY_NONE && rng_chance(r, 0.75)) {
        if (age_end < 12) {
            informants[0] = "02";
        } else if (age_end >= 18) {
            informants[0] = "01";
        } else {
            double u = rng_unit(r);
            informants[0] = u < 0.7 ? "01" : "02";
            if (u < 0.3)
                informants[1] = "02";
        }
    }
    struct address ad;
    person_address(g, t->gem, t->addr_seed, &ad);
    struct names practitioner;
    struct person fake = {.name_seed = t->ref_nr * 2654435761u, .gender = '2'};
    person_names(&fake, 0, &practitioner);

    char client[24], birth[40], start[40], end[40], pc[24], sat[12], goal[12];
    snprintf(client, sizeof client, "%s%06" PRIu32, excel ? "" : "C", p->client_nr);
    fmt_date(style, p->birth, birth);
    fmt_date(style, t->start, start);
    fmt_date(style, t->end, end);
    if (excel)
        snprintf(pc, sizeof pc, "%s", ad.postcode);
    else
        snprintf(pc, sizeof pc, "%.4s %.2s", ad.postcode, ad.postcode + 4);

    struct buf b;
    buf_init(&b, ROW_BUF_MAX);
    int rc = 0;
    for (int i = 0; i < 2 && informants[i] && !rc; i++) {
        if (g->target_rows && g->rows >= g->target_rows) {
            g->done = true;
            break;
        }
        struct outcome oc = {0, "", -1};
        if (informants[i][0])
            draw_outcome(r, cbs, &oc);
        buf_reset(&b);
        struct row row = {.b = &b, .style = style, .sep = excel ? ';' : ','};
        char bsn[10];
        memcpy(bsn, p->bsn, sizeof bsn);
        const char *bad_start = NULL;
        if (g->o->dirty_per_mille && rng_below(r, 1000) < g->o->dirty_per_mille) {
            switch (rng_below(r, 4)) {
            case 0: /* two digits swapped: usually fails the elfproef */
                bsn[3] = p->bsn[4];
                bsn[4] = p->bsn[3];
                if (bsn[3] == bsn[4])
                    bsn[8] = (char)('0' + (bsn[8] - '0' + 1) % 10);
                break;
            case 1:
                bad_start = excel ? "31-2-2024" : "2024-02-31";
                break;
            case 2:
                oc.satisfaction = 11;
                break;
            default:
                bad_start = "";
                break;
            }
        }
        if (oc.satisfaction)
            snprintf(sat, sizeof sat, "%d", oc.satisfaction);
        else
            sat[0] = '\0';
        if (oc.goal < 0)
            goal[0] = '\0';
        else if (excel)
            snprintf(goal, sizeof goal, "%s",
                     oc.goal >= 75   ? "ja"
                     : oc.goal >= 35 ? "deels"
                                     : "nee");
        else
            snprintf(goal, sizeof goal, "%d", oc.goal);
        char gender[2] = {p->gender, 0};
        row_field(&row, client);
        row_next(&row, bsn);
        row_next(&row, birth);
        row_next(&row, excel ? excel_word(RF_GENDER, gender) : gender);
        row_next(&row, pc);
        row_next(&row, g->o->gemeenten[t->gem].code);
        row_next(&row, excel ? excel_word(RF_HULPVORM, k->hulpvorm) : k->hulpvorm);
        row_next(&row, pr->code);
        row_next(&row, bad_start ? bad_start : start);
        row_next(&row, end);
        row_next(&row, excel && cbs[0] ? excel_word(RF_REASON, cbs) : cbs);
        row_next(&row, excel ? excel_word(RF_REFERRER, t->referrer) : t->referrer);
        row_next(&row, sat);
        row_next(&row, excel && oc.zhv[0] ? excel_word(RF_ZONDER_HULP, oc.zhv) : oc.zhv);
        row_next(&row, excel && informants[i][0] ? excel_word(RF_INFORMANT, informants[i])
                                                 : informants[i]);
        row_next(&row, goal);
        if (excel) {
            row_next(&row, rng_chance(r, 0.08) ? comments[rng_below(r, ARRAY_LEN(comments))] : "");
        } else {
            char who[64];
            snprintf(who, sizeof who, "%s. %s%s%s", practitioner.initials, practitioner.sur->prefix,
                     practitioner.sur->prefix[0] ? " " : "", practitioner.sur->name);
            row_next(&row, who);
        }
        row_end(&row);
        rc = row.rc ? row.rc : write_row(f, style, &b);
        if (rc)
            rc = err_set(g->e, ERR_IO, NULL, "cannot write the registration export");
        g->rows++;
        g->st->csv_rows++;
    }
    buf_release(&b);
    return rc;
}

/* ---- Driver. ------------------------------------------------------------------------------- */

/* Where a sender's BerichtIdentificatie numbers start: 12 digits drawn from seed and sender,
 * so two runs with other seeds practically never reuse an identification (a receiver would
 * take the second message for a duplicate of the first). */
static uint64_t ident_start(uint64_t seed, const char *sender)
{
    uint64_t x = seed ^ rng_hash_name(sender);
    return IDENT_MIN + rng_splitmix64(&x) % IDENT_SPAN;
}

static int gen_init(struct gen *g, const struct synth_options *o, struct synth_stats *st,
                    struct err_ctx *e)
{
    memset(g, 0, sizeof *g);
    memset(st, 0, sizeof *st);
    g->o = o;
    g->st = st;
    g->e = e;
    if (!o->providers || o->nproviders == 0 || o->nproviders > SYNTH_MAX_PROVIDERS)
        return err_set(e, ERR_INVALID, NULL, "between 1 and %d providers needed",
                       SYNTH_MAX_PROVIDERS);
    if (!o->gemeenten || o->ngemeenten == 0 || o->ngemeenten > SYNTH_MAX_GEMEENTEN)
        return err_set(e, ERR_INVALID, NULL, "between 1 and %d gemeenten needed",
                       SYNTH_MAX_GEMEENTEN);
    if (o->end_date == DAY_NONE)
        return err_set(e, ERR_INVALID, NULL, "no end date");
    int years = o->years ? o->years : SYNTH_DEFAULT_YEARS;
    if (years < 1 || years > SYNTH_MAX_YEARS)
        return err_set(e, ERR_INVALID, NULL, "years must be 1-%d", SYNTH_MAX_YEARS);
    if (o->n_messages > SYNTH_MAX_MESSAGES)
        return err_set(e, ERR_TOO_BIG, NULL, "at most %llu messages",
                       (unsigned long long)SYNTH_MAX_MESSAGES);
    for (size_t i = 0; i < o->ngemeenten; i++) {
        const char *c = o->gemeenten[i].code;
        if (strlen(c) != 4 || strspn(c, "0123456789") != 4)
            return err_set(e, ERR_INVALID, NULL, "gemeente code \"%s\" is not 4 digits", c);
        g->gem_total += o->gemeenten[i].population > 0 ? o->gemeenten[i].population : 1;
    }
    rng_seed(&g->r, o->seed);
    g->end = o->end_date;
    g->period_start = o->end_date - years * 365 - years / 4;
    g->prov = xcalloc(o->nproviders, sizeof *g->prov);
    g->nprov = o->nproviders;
    g->gem_ident = xcalloc(o->ngemeenten, sizeof *g->gem_ident);
    for (size_t i = 0; i < o->nproviders; i++) {
        const struct synth_provider *p = &o->providers[i];
        if (strlen(p->agb) != 8 || strspn(p->agb, "0123456789") != 8)
            return err_set(e, ERR_INVALID, NULL, "AGB code \"%s\" is not 8 digits", p->agb);
        g->prov[i].p = p;
        g->prov[i].sec = sector_find(p->sector);
        provider_params(g, &g->prov[i]);
        g->prov[i].ident = ident_start(o->seed, p->agb);
    }
    for (size_t i = 0; i < o->ngemeenten; i++)
        g->gem_ident[i] = ident_start(o->seed, o->gemeenten[i].code);
    /* Numbers also differ between seeds, so material of two runs can go into one database
     * (the demo's and the benchmark's) without reusing a number for another client. */
    uint64_t x = o->seed ^ UINT64_C(0xa551);
    g->next_asg = ASG_NR_MIN + (uint32_t)(rng_splitmix64(&x) % ASG_NR_SPAN);
    g->next_ref = (uint32_t)(rng_splitmix64(&x) % 10000000);
    return 0;
}

static void gen_free(struct gen *g)
{
    for (size_t i = 0; g->prov && i < g->nprov; i++)
        if (g->prov[i].csv)
            fclose(g->prov[i].csv);
    free(g->prov);
    free(g->gem_ident);
    free(g->persons);
    free(g->bsns.slots);
    free(g->trajs);
    free(g->events);
}

int synth_messages(const struct synth_options *o, const char *out_dir, struct synth_stats *st,
                   struct err_ctx *e)
{
    struct gen g;
    struct synth_stats local;
    int rc = gen_init(&g, o, st ? st : &local, e);
    if (rc)
        goto out;
    if (!o->n_messages && !o->n_trajectories) {
        rc = err_set(e, ERR_INVALID, NULL, "ask for messages or trajectories");
        goto out;
    }
    if ((rc = ensure_dir(out_dir, e)))
        goto out;
    for (size_t i = 0; i < g.nprov; i++) {
        struct gprov *gp = &g.prov[i];
        if (gp->p->csv_style == SYNTH_CSV_NONE || !prov_has_law(gp, LAW_JW))
            continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/registratie-%s.csv", out_dir, gp->p->agb);
        gp->csv = n > 0 && (size_t)n < sizeof path ? fopen(path, "wb") : NULL;
        if (!gp->csv) {
            rc = err_set(e, ERR_IO, NULL, "cannot create %s", path);
            goto out;
        }
        g.st->csv_files++;
        if ((rc = write_csv_header(&g, gp->csv, gp->p->csv_style,
                                   gp->p->name ? gp->p->name : gp->p->agb)))
            goto out;
    }
    /* A provider with a registration export only delivers Jeugdwet trajectories that way;
     * its Wmo side (if any) still sends messages. */
    g.target_events = o->n_messages;
    while (!g.done && !rc) {
        if (!o->n_messages && g.st->trajectories >= o->n_trajectories)
            break;
        if (o->n_messages && g.st->trajectories > o->n_messages * 4) {
            rc = err_set(e, ERR_INTERNAL, NULL, "the providers give no message traffic");
            break;
        }
        rc = person_chain(&g);
    }
    if (!rc)
        rc = write_messages(&g, out_dir);
    for (size_t i = 0; i < g.nprov && !rc; i++) {
        if (g.prov[i].csv && fclose(g.prov[i].csv) != 0)
            rc = err_set(e, ERR_IO, NULL, "cannot write registratie-%s.csv", g.prov[i].p->agb);
        g.prov[i].csv = NULL;
    }
out:
    gen_free(&g);
    return rc;
}

int synth_registration_csv(const struct synth_options *o, size_t provider,
                           enum synth_csv_style style, uint64_t rows, const char *path,
                           struct synth_stats *st, struct err_ctx *e)
{
    struct gen g;
    struct synth_stats local;
    int rc = gen_init(&g, o, st ? st : &local, e);
    if (rc)
        goto out;
    if (provider >= o->nproviders || !prov_has_law(&g.prov[provider], LAW_JW)) {
        rc = err_set(e, ERR_INVALID, NULL, "provider %zu offers no Jeugdwet help", provider);
        goto out;
    }
    if (rows == 0 || rows > SYNTH_MAX_ROWS) {
        rc = err_set(e, ERR_INVALID, NULL, "rows must be 1-%llu",
                     (unsigned long long)SYNTH_MAX_ROWS);
        goto out;
    }
    if (style == SYNTH_CSV_NONE)
        style = o->providers[provider].csv_style != SYNTH_CSV_NONE
                    ? o->providers[provider].csv_style
                    : SYNTH_CSV_PLAIN;
    /* Only this provider, only youth care. */
    for (size_t i = 0; i < g.nprov; i++)
        if (i != provider)
            g.prov[i].weight = 0;
    struct synth_options one = *o;
    one.laws = SYNTH_LAW_JW;
    g.o = &one;
    g.single_csv = fopen(path, "wb");
    g.single_style = style;
    g.target_rows = rows;
    if (!g.single_csv) {
        rc = err_set(e, ERR_IO, NULL, "cannot create %s: %s", path, strerror(errno));
        goto out;
    }
    /* A large buffer: the export is written in one sequential stream. */
    setvbuf(g.single_csv, NULL, _IOFBF, 1 << 20);
    g.st->csv_files = 1;
    const struct synth_provider *p = &o->providers[provider];
    rc = write_csv_header(&g, g.single_csv, style, p->name ? p->name : p->agb);
    while (!rc && !g.done && g.rows < rows)
        rc = person_chain(&g);
    if (fclose(g.single_csv) != 0 && !rc)
        rc = err_set(e, ERR_IO, NULL, "cannot write %s", path);
    g.single_csv = NULL;
out:
    gen_free(&g);
    return rc;
}

/* ---- The demo region. ---------------------------------------------------------------------- */

/* Demo providers that deliver a registration export instead of start/stop messages. */
static const struct {
    const char *name;
    enum synth_csv_style style;
} demo_csv_providers[] = {
    {"Praktijk Brinkzicht voor Jeugd-GGZ", SYNTH_CSV_PLAIN},
    {"Orthopedagogiekpraktijk Groeilicht", SYNTH_CSV_EXCEL},
    {"Kinderpsychologenpraktijk De Zandloper", SYNTH_CSV_EXCEL},
    {"Dyslexiezorg Leesvaardig Zuidoost", SYNTH_CSV_PLAIN},
};

int synth_demo_region(uint64_t seed, struct synth_provider *providers, size_t *nproviders,
                      struct synth_gemeente *gemeenten, size_t *ngemeenten, struct err_ctx *e)
{
    char agb[SYNTH_MAX_PROVIDERS][DEMO_AGB_LEN + 1];
    int64_t pop[DEMO_GEMEENTE_COUNT];
    int rc;
    if (demo_provider_count > SYNTH_MAX_PROVIDERS)
        return err_set(e, ERR_INTERNAL, NULL, "too many demo providers");
    if (cbs_load() != 0)
        return err_set(e, ERR_INTERNAL, NULL, "the embedded CBS list could not be loaded");
    if ((rc = demo_provider_agb_codes(seed, agb, demo_provider_count, e)))
        return rc;
    if ((rc = demo_gemeente_populations(pop, DEMO_GEMEENTE_COUNT, e)))
        return rc;
    for (size_t i = 0; i < demo_provider_count; i++) {
        const struct demo_provider *d = &demo_providers[i];
        struct synth_provider *p = &providers[i];
        memset(p, 0, sizeof *p);
        memcpy(p->agb, agb[i], sizeof p->agb);
        p->name = d->name;
        p->sector = d->sector;
        p->laws = d->law == DEMO_LAW_JEUGD ? SYNTH_LAW_JW
                  : d->law == DEMO_LAW_WMO ? SYNTH_LAW_WMO
                                           : SYNTH_LAW_JW | SYNTH_LAW_WMO;
        for (size_t j = 0; j < ARRAY_LEN(demo_csv_providers); j++)
            if (strcmp(demo_csv_providers[j].name, d->name) == 0)
                p->csv_style = demo_csv_providers[j].style;
    }
    *nproviders = demo_provider_count;
    size_t n = 0;
    const struct cbs_gemeente *all = cbs_gemeenten(&n);
    for (size_t g = 0; g < DEMO_GEMEENTE_COUNT; g++) {
        const struct cbs_gemeente *c = NULL;
        for (size_t i = 0; i < n && !c; i++)
            if (strcmp(all[i].name, demo_gemeente_names[g]) == 0)
                c = &all[i];
        if (!c || strlen(c->code) != 6)
            return err_set(e, ERR_NOT_FOUND, NULL, "gemeente %s is not in the CBS list",
                           demo_gemeente_names[g]);
        memcpy(gemeenten[g].code, c->code + 2, 5); /* "GM0114" -> "0114" */
        gemeenten[g].name = demo_gemeente_names[g];
        gemeenten[g].population = pop[g];
    }
    *ngemeenten = DEMO_GEMEENTE_COUNT;
    return 0;
}
