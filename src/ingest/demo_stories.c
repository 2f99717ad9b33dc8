/*
 * demo_stories.c: the demo's stories and context events (ingest/demo_stories.h). The texts are
 * invented but written the way residents, parents and professionals in the sociaal domein talk
 * about help: no names, no addresses, tellers as roles. Owners rotate over the demo gemeenten;
 * some youth stories are recorded by the demo's youth-care provider (demo_providers[0]).
 */
#include "ingest/demo_stories.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/str.h"
#include "domain/context_event.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/story.h"
#include "ingest/demo_intake.h"
#include "metrics/catalog.h"

#define STEP     "demo/verhalen"
#define MAX_ORGS 64
#define MAX_TAGS STORY_MAX_TAGS

/* kind, consent, law, role, title, body, indicators, tags */
const struct demo_story_text demo_story_texts[] = {
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "inwoner (78) met huishoudelijke hulp",
     "Ik kan weer mensen ontvangen",
     "Sinds de hulp elke week komt, is mijn huis weer schoon. Ik durf weer mensen uit te "
     "nodigen. Dat had ik al twee jaar niet gedaan.",
     {"wmo_ceo_8", "wmo_ceo_10"},
     "huishoudelijke-hulp, meedoen"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_JEUGD,
     "moeder van een tiener",
     "Eindelijk iemand die meedenkt",
     "We hebben lang gewacht. Maar toen de hulp er was, dacht de begeleider echt met ons mee. "
     "Onze zoon gaat nu weer naar school en hij lacht weer.",
     {"jw_tevredenheid", "wachttijd"},
     "wachttijd, school"},
    {STORY_CASUS,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "jeugdconsulent",
     "Van drie hulpverleners naar één plan",
     "Een gezin had hulp van drie aanbieders tegelijk, elk met een eigen plan. Niemand had het "
     "overzicht. Na een gezamenlijk overleg kwam er één gezinsplan met één regisseur. De ouders "
     "zeiden dat ze voor het eerst wisten wie ze moesten bellen. Na een half jaar kon een van de "
     "drie trajecten stoppen.",
     {"jw_volgens_plan", "jw_doelrealisatie"},
     "samenwerking, regie"},
    {STORY_REFLECTIE,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "gedragswetenschapper",
     "Waarom cliënten afhaken",
     "In ons team zien we dat gezinnen vooral afhaken in de eerste weken. Vaak sluit de hulp "
     "niet aan bij wat zij zelf het belangrijkst vinden. Sinds we in het eerste gesprek vragen "
     "wat er over drie maanden anders moet zijn, stoppen minder gezinnen voortijdig.",
     {"jw_uitval", NULL},
     "uitval, werkwijze"},
    {STORY_INTERVIEW,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "mantelzorger van haar man",
     "Even op adem komen",
     "Zij zorgt al zes jaar voor haar man met dementie. Sinds hij twee dagen per week naar de "
     "dagbesteding op de boerderij gaat, heeft zij tijd voor zichzelf. Ze vertelt dat ze weer "
     "slaapt en dat ze de zorg langer volhoudt. Wel vindt ze het vervoer soms onrustig voor hem.",
     {"wmo_ceo_9", "wmo_ceo_10"},
     "mantelzorg, dagbesteding, vervoer"},
    {STORY_CITAAT,
     CONSENT_GESPREK,
     DEMO_LAW_WMO,
     "inwoner met een scootmobiel",
     "Het duurde te lang",
     "Mijn aanvraag lag drie maanden stil. Niemand belde terug. Toen de scootmobiel er eenmaal "
     "was, was ik er heel blij mee.",
     {"doorlooptijd", "wmo_ceo_1"},
     "wachttijd, hulpmiddelen"},
    {STORY_CASUS,
     CONSENT_INTERN,
     DEMO_LAW_JEUGD,
     "wijkcoach",
     "Jongere tussen wal en schip bij achttien jaar",
     "Een jongere werd achttien en de jeugdhulp stopte. De overgang naar begeleiding vanuit de "
     "Wmo was niet geregeld. Drie maanden had hij geen begeleiding en raakte hij zijn kamer bijna "
     "kwijt. Nu maken we een half jaar voor de achttiende verjaardag al een plan samen met de "
     "jongere.",
     {"jw_geen_nieuwe_start_6m", NULL},
     "18-min-18-plus, overgang"},
    {STORY_REFLECTIE,
     CONSENT_INTERN,
     DEMO_LAW_WMO,
     "Wmo-consulent",
     "Het keukentafelgesprek duurt te kort",
     "We hebben voor een eerste gesprek een uur. Bij inwoners met meerdere vragen is dat te kort "
     "om te horen wat er echt speelt. Soms zien we dezelfde inwoner binnen een jaar opnieuw met "
     "een zwaardere vraag.",
     {"wmo_ceo_2", "doorlooptijd"},
     "toegang, werkwijze"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_JEUGD,
     "jongere (16)",
     "Ik werd serieus genomen",
     "Voor het eerst vroeg iemand wat ik zelf wilde. Niet alleen mijn ouders of school. Dat "
     "maakte echt verschil.",
     {"jw_tevredenheid", NULL},
     "inspraak, jongeren"},
    {STORY_INTERVIEW,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "vader van twee kinderen",
     "Pleegzorg als tijdelijke oplossing",
     "Zijn dochter woonde een jaar in een pleeggezin. Hij vertelt dat het contact met het "
     "pleeggezin goed was, maar dat de terugkeer naar huis te snel ging. Er was weinig "
     "begeleiding in de eerste maanden thuis. Hij had graag vaker iemand gezien.",
     {"jw_zonder_hulp_verder", "jw_geen_nieuwe_start_12m"},
     "pleegzorg, nazorg"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "inwoner (64) met begeleid wonen",
     "Mijn eigen sleutel",
     "Ik woon nu zelfstandig, met begeleiding twee keer per week. Ik heb mijn eigen sleutel en "
     "mijn eigen ritme. Dat had ik nooit gedacht.",
     {"wmo_ceo_8", "wmo_ceo_10"},
     "wonen, zelfstandigheid"},
    {STORY_CASUS,
     CONSENT_GESPREK,
     DEMO_LAW_WMO,
     "ouderenadviseur",
     "Eenzaamheid achter de voordeur",
     "Een oudere inwoner kreeg huishoudelijke hulp, maar de medewerker merkte dat het grootste "
     "probleem eenzaamheid was. Via het sociaal team kwam er een maatje en een plek bij een "
     "eetgroep in het dorp. De vraag om meer uren hulp verdween.",
     {"wmo_ceo_9", NULL},
     "eenzaamheid, signaleren"},
    {STORY_REFLECTIE,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "praktijkondersteuner jeugd bij de huisarts",
     "Lichte hulp dichtbij voorkomt zware hulp",
     "Veel kinderen die vroeger meteen naar de specialistische jeugd-GGZ gingen, zien we nu eerst "
     "in de praktijk. Een paar gesprekken zijn vaak genoeg. Voor de kinderen die wel meer nodig "
     "hebben, is de wachttijd daardoor korter geworden.",
     {"wachttijd", "nieuwe_starts"},
     "preventie, huisarts"},
    {STORY_CITAAT,
     CONSENT_INTERN,
     DEMO_LAW_JEUGD,
     "moeder van een kind met autisme",
     "Steeds opnieuw ons verhaal vertellen",
     "Elke nieuwe hulpverlener vroeg weer alles. Ik heb ons verhaal wel tien keer verteld. Dat "
     "put je uit.",
     {"jw_tevredenheid", NULL},
     "regie, samenwerking"},
    {STORY_INTERVIEW,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "inwoner (45) na een burn-out",
     "Weer aan het werk via dagbesteding",
     "Na een lange periode thuis begon hij met dagbesteding in een werkplaats. Eerst twee "
     "ochtenden, later vier. Nu heeft hij een baan van twintig uur. Hij zegt dat de structuur "
     "en de collega's hem het meest hebben geholpen.",
     {"wmo_ceo_10", "wmo_ceo_9"},
     "werk, dagbesteding, meedoen"},
    {STORY_CASUS,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "medewerker crisisopvang",
     "Crisisplek bezet door gebrek aan vervolgplek",
     "Een jongere bleef acht weken op een crisisplek omdat er geen passende vervolgplek was. De "
     "crisisplek was daardoor niet beschikbaar voor andere jongeren. De regio zoekt nu samen met "
     "aanbieders naar meer plekken in gezinshuizen.",
     {"trajecten_actief", NULL},
     "crisis, capaciteit"},
    {STORY_CITAAT,
     CONSENT_GESPREK,
     DEMO_LAW_WMO,
     "mantelzorger van haar moeder",
     "Een luisterend oor",
     "Ik had niet meteen hulp nodig, maar iemand die luisterde. De mantelzorgconsulent belde elke "
     "maand even. Dat was genoeg om het vol te houden.",
     {"wmo_ceo_9", NULL},
     "mantelzorg"},
    {STORY_REFLECTIE,
     CONSENT_INTERN,
     DEMO_LAW_JEUGD,
     "teamleider ambulante jeugdhulp",
     "Personeelstekort en wachttijden",
     "Door het vertrek van drie collega's liep onze wachtlijst op. We hebben gekozen voor "
     "voorrang bij spoed en tussentijds contact met wachtende gezinnen. Gezinnen zeggen dat dat "
     "contact het wachten draaglijker maakt.",
     {"wachttijd", "jw_uitval"},
     "wachttijd, personeel"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_JEUGD,
     "vader van een zoon met dyslexie",
     "Hij leest nu voor het slapengaan",
     "Na de behandeling leest onze zoon zelf boeken. Vroeger huilde hij bij het huiswerk. Nu "
     "leest hij elke avond voor het slapengaan.",
     {"jw_doelrealisatie", NULL},
     "dyslexie, school"},
    {STORY_CASUS,
     CONSENT_GESPREK,
     DEMO_LAW_WMO,
     "medewerker beschermd wonen",
     "Uitstroom naar een eigen woning",
     "Een bewoner was klaar om zelfstandig te wonen, maar er was geen woning. Na overleg met de "
     "woningcorporatie kwam er een woning met begeleiding aan huis. Na een jaar gaat het goed en "
     "is de begeleiding afgebouwd naar een keer per week.",
     {"wmo_ceo_8", NULL},
     "wonen, uitstroom"},
    {STORY_INTERVIEW,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "jongere (19) na kamertraining",
     "Leren op eigen benen staan",
     "Ze woonde anderhalf jaar in een kamertrainingshuis. Ze leerde koken, haar geld beheren en "
     "afspraken nakomen. Ze vertelt dat ze het moeilijk vond om te vertrekken, maar dat de "
     "begeleider nog een paar maanden langskwam. Dat gaf rust.",
     {"jw_zonder_hulp_verder", "jw_geen_nieuwe_start_12m"},
     "zelfstandigheid, nazorg"},
    {STORY_CITAAT,
     CONSENT_INTERN,
     DEMO_LAW_WMO,
     "inwoner met een traplift",
     "Niet duidelijk wie wat doet",
     "De gemeente zei dat ik bij de leverancier moest zijn. De leverancier stuurde me terug naar "
     "de gemeente. Ik wist niet meer waar ik moest aankloppen.",
     {"wmo_ceo_3", "wmo_ceo_1"},
     "hulpmiddelen, bereikbaarheid"},
    {STORY_REFLECTIE,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "beleidsadviseur sociaal domein",
     "Wat de cijfers over tevredenheid niet laten zien",
     "De tevredenheid over de Wmo is al jaren hoog. Toch horen we in gesprekken dat inwoners met "
     "een lichte vraag de weg naar het loket niet vinden. Wie niet aanvraagt, staat niet in de "
     "cijfers. Daarom kijken we nu ook naar het bereik in elke wijk.",
     {"wmo_bereik", "wmo_ceo_1"},
     "bereik, toegang"},
    {STORY_CASUS,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "jeugdconsulent",
     "Snel terug na een afgesloten traject",
     "Een gezin sloot een traject af omdat de doelen waren gehaald. Twee maanden later kwam "
     "dezelfde vraag terug. Achteraf was er geen afspraak over wat te doen als het weer slechter "
     "ging. We spreken nu bij elke afsluiting een terugvalplan af.",
     {"jw_geen_nieuwe_start_6m", NULL},
     "nazorg, afsluiting"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "inwoner (82) met thuisbegeleiding",
     "Elke dinsdag een vast gezicht",
     "Het fijnste is dat er steeds dezelfde begeleider komt. Ze weet hoe ik mijn koffie drink en "
     "ze ziet meteen als het niet goed gaat.",
     {"wmo_ceo_4", "wmo_ceo_5"},
     "continuiteit"},
    {STORY_INTERVIEW,
     CONSENT_INTERN,
     DEMO_LAW_JEUGD,
     "ouders van een kind in een gezinshuis",
     "Een tweede thuis",
     "Hun zoon woont sinds twee jaar in een gezinshuis in een dorp vlakbij. De ouders zijn blij "
     "met de warme sfeer en het vaste ritme. Ze zouden graag meer betrokken worden bij "
     "beslissingen over school en vrije tijd.",
     {"jw_tevredenheid", NULL},
     "verblijf, betrokkenheid"},
    {STORY_REFLECTIE,
     CONSENT_GESPREK,
     DEMO_LAW_WMO,
     "coördinator respijtzorg",
     "Respijtzorg wordt te laat gevraagd",
     "Mantelzorgers komen vaak pas bij ons als ze al overbelast zijn. Als de huisarts of de "
     "wijkverpleging eerder doorverwijst, kan een logeerweekend veel voorkomen.",
     {"wmo_ceo_9", NULL},
     "mantelzorg, preventie"},
    {STORY_CITAAT,
     CONSENT_GESPREK,
     DEMO_LAW_JEUGD,
     "jongere (15)",
     "Praten hielp meer dan ik dacht",
     "Ik wilde eerst niet. Maar na een paar gesprekken kon ik beter zeggen wat er in mijn hoofd "
     "zat. Thuis is het nu rustiger.",
     {"jw_doelrealisatie", "jw_tevredenheid"},
     "jongeren, jeugd-ggz"},
    {STORY_CASUS,
     CONSENT_INTERN,
     DEMO_LAW_WMO,
     "Wmo-consulent",
     "Schulden als verborgen oorzaak",
     "Een inwoner vroeg om meer uren huishoudelijke hulp. In het gesprek bleek dat de stress "
     "vooral kwam door schulden. Na doorverwijzing naar schuldhulp en een vaste contactpersoon "
     "werd de hulpvraag kleiner.",
     {"wmo_ceo_2", NULL},
     "schulden, integraal"},
    {STORY_CITAAT,
     CONSENT_PUBLICATIE,
     DEMO_LAW_WMO,
     "inwoner met een rolstoel",
     "De taxi komt op tijd",
     "Vroeger moest ik vaak een uur wachten op de taxi. Sinds de nieuwe afspraken komt hij bijna "
     "altijd op tijd. Nu kan ik weer naar het koor.",
     {"wmo_ceo_10", NULL},
     "vervoer, meedoen"},
};
const size_t demo_story_text_count = ARRAY_LEN(demo_story_texts);

/* title, description, on (y m d), until (y m d or 0), gemeente name, provider index + 1 */
const struct demo_event_text demo_event_texts[] = {
    {"Lockdown: dagbesteding en scholen beperkt open",
     "Landelijke coronamaatregelen. Dagbesteding draaide in kleine groepen, scholen waren dicht. "
     "Minder nieuwe aanmeldingen, meer crisiszorg daarna.",
     2021, 12, 19, 2022, 1, 25, NULL, 0},
    {"Personeelstekort jeugd-GGZ",
     "Meerdere aanbieders meldden vertrek van behandelaars; wachttijden liepen op.", 2022, 10, 1,
     2023, 3, 31, NULL, 0},
    {"Nieuwe inkoop jeugdhulp: resultaatgericht",
     "De regio kocht jeugdhulp opnieuw in, met afspraken over resultaten in plaats van uren.", 2023,
     1, 1, 0, 0, 0, NULL, 0},
    {"Hervormingsagenda Jeugd vastgesteld",
     "Landelijke afspraken over minder lichte hulp via de specialistische jeugdhulp.", 2023, 6, 1,
     0, 0, 0, NULL, 0},
    {"Nieuw toegangsteam jeugd gestart",
     "Jeugdconsulenten werken vanuit één team in de wijken, met een vaste contactpersoon per "
     "gezin.",
     2022, 9, 1, 0, 0, 0, "Emmen", 0},
    {"Wachtlijstmaatregel: voorrang bij spoed",
     "Tijdelijke maatregel: gezinnen met spoed eerst, anderen krijgen tussentijds contact.", 2024,
     2, 1, 2024, 8, 31, "Hoogeveen", 0},
    {"Sociaal team in het gemeentehuis",
     "Het sociaal team verhuisde naar het gemeentehuis; inloopspreekuur elke werkdag.", 2023, 4, 1,
     0, 0, 0, "Coevorden", 0},
    {"Huishoudelijke hulp: nieuwe manier van indiceren",
     "Indicatie op resultaat (een schoon en leefbaar huis) in plaats van op uren.", 2024, 1, 1, 0,
     0, 0, "Meppel", 0},
    {"Praktijkondersteuners jeugd bij alle huisartsen",
     "Elke huisartsenpraktijk heeft nu een praktijkondersteuner jeugd.", 2025, 1, 1, 0, 0, 0,
     "De Wolden", 0},
    {"Regionale afspraken over wachttijden jeugdhulp",
     "Aanbieders en gemeenten spraken af: binnen zes weken start de hulp, anders zoeken ze samen "
     "een andere plek.",
     2025, 9, 1, 0, 0, 0, NULL, 0},
    {"Nieuwe werkwijze: gezinsplan binnen vier weken",
     "Jeugdhulp Veenstroom stelt binnen vier weken na de start met het gezin een plan op.", 2024, 5,
     1, 0, 0, 0, NULL, 1},
};
const size_t demo_event_text_count = ARRAY_LEN(demo_event_texts);

static const struct actor demo_actor = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

/* The actor that records for an organisation: content roles of that organisation. */
static struct actor owner_actor(const struct org *o)
{
    return (struct actor){.user_id = -1,
                          .org_id = o->id,
                          .org_kind = o->kind,
                          .roles = ROLE_BELEID | ROLE_KWALITEIT,
                          .display_name = "demo"};
}

static const struct org *find_named(const struct org *orgs, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(orgs[i].name, name) == 0)
            return &orgs[i];
    return NULL;
}

/* A provider of the demo with the given law (or both), picked by k. */
static const struct org *provider_for(const struct org *prov, int nprov, int law, uint64_t k)
{
    const struct org *cand[64];
    int n = 0;
    for (size_t i = 0; i < demo_provider_count && n < 64; i++) {
        if (demo_providers[i].law != (enum demo_law)law && demo_providers[i].law != DEMO_LAW_BOTH)
            continue;
        const struct org *o = find_named(prov, nprov, demo_providers[i].name);
        if (o)
            cand[n++] = o;
    }
    return n ? cand[k % (uint64_t)n] : NULL;
}

static int split_tags(struct arena *a, const char *s, const char **out)
{
    int n = 0;
    const char *p = s ? s : "";
    while (*p && n < MAX_TAGS) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        struct str t = str_trim((struct str){p, len});
        if (t.len)
            out[n++] = arena_strndup(a, t.p, t.len);
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

int demo_stories_generate(struct store *s, uint64_t seed, struct demo_stories_summary *out,
                          struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org *gem = NULL, *prov = NULL, *reg = NULL;
    int ngem = 0, nprov = 0, nreg = 0, total = 0, rc;
    struct rng r;
    memset(out, 0, sizeof *out);
    rng_seed(&r, seed ^ rng_hash_name(STEP));

    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    if ((rc = org_list(a, s, &demo_actor, &f, &gem, &ngem, &total)) || ngem == 0) {
        rc = err_set(e, rc ? rc : ERR_INVALID, NULL, "cannot list the demo gemeenten");
        goto out;
    }
    f.kind = ORG_AANBIEDER;
    if ((rc = org_list(a, s, &demo_actor, &f, &prov, &nprov, &total)))
        goto out;
    f.kind = ORG_REGION;
    if ((rc = org_list(a, s, &demo_actor, &f, &reg, &nreg, &total)) || nreg == 0) {
        rc = err_set(e, rc ? rc : ERR_INVALID, NULL, "cannot list the demo region");
        goto out;
    }
    const struct org *youth = find_named(prov, nprov, demo_providers[0].name);
    struct db *db = store_reader(s);
    day_t end = day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);

    for (size_t i = 0; i < demo_story_text_count; i++) {
        const struct demo_story_text *t = &demo_story_texts[i];
        const struct org *owner = &gem[i % (size_t)ngem];
        const struct org *about = provider_for(prov, nprov, t->law, rng_next(&r));
        bool by_provider = t->law == DEMO_LAW_JEUGD && youth && i % 4 == 3;
        if (by_provider) {
            owner = youth;
            about = youth;
        }
        const char *tags[MAX_TAGS];
        int64_t ind[2], res[1];
        int nind = 0, nres = 0;
        for (int k = 0; k < 2; k++) {
            int64_t id = t->indicators[k] ? ind_catalog_standard_id(db, t->indicators[k]) : 0;
            if (id > 0)
                ind[nind++] = id;
        }
        /* A gemeente's own story is linked to one of its societal results, when it has one. */
        if (!by_provider) {
            struct result_filter rf = {.owner_org_id = owner->id, .limit = 10};
            struct result *rs = NULL;
            int nr = 0, rt = 0;
            if (result_list(a, s, &demo_actor, &rf, &rs, &nr, &rt) == 0 && nr > 0)
                res[nres++] = rs[rng_below(&r, (uint64_t)nr)].id;
        }
        day_t told = end - 20 - (day_t)(i * 23) - (day_t)rng_below(&r, 15);
        struct story_input in = {
            .owner_org_id = owner->id,
            .kind = t->kind,
            .consent = t->consent,
            .title = t->title,
            .body = t->body,
            .teller_role = t->role,
            .told_on = told,
            .gemeente = by_provider ? gem[rng_below(&r, (uint64_t)ngem)].cbs_code : owner->cbs_code,
            .aanbieder_id = about && (by_provider || i % 3 != 0) ? about->id : 0,
            .has_period = t->kind == STORY_CASUS,
            .period_from = told - 180,
            .period_to = told,
            .result_ids = res,
            .nresults = nres,
            .indicator_ids = ind,
            .nindicators = nind,
            .tags = tags,
            .ntags = split_tags(a, t->tags, tags),
            .anon_confirmed = false, /* the texts are clean: a finding is a bug in them */
        };
        struct actor who = owner_actor(owner);
        int64_t id;
        if ((rc = story_create(s, &who, &in, &id, NULL, NULL, e))) {
            char why[ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", e->msg);
            err_set(e, rc, e->field, "demo story %zu (%s): %s", i, t->title, why);
            goto out;
        }
        out->stories++;
        out->publicatie += t->consent == CONSENT_PUBLICATIE;
        out->gesprek += t->consent == CONSENT_GESPREK;
        out->intern += t->consent == CONSENT_INTERN;
        out->result_links += (size_t)nres;
        out->indicator_links += (size_t)nind;
    }

    for (size_t i = 0; i < demo_event_text_count; i++) {
        const struct demo_event_text *t = &demo_event_texts[i];
        const struct org *owner = &reg[0];
        const struct org *g = NULL, *p = NULL;
        if (t->gemeente) {
            for (int k = 0; k < ngem && !g; k++)
                if (strcmp(gem[k].name, t->gemeente) == 0)
                    g = &gem[k];
            if (!g)
                continue; /* a demo region without that gemeente */
            owner = g;
        } else if (t->provider > 0 && (size_t)t->provider <= demo_provider_count) {
            p = find_named(prov, nprov, demo_providers[t->provider - 1].name);
            if (!p)
                continue;
            owner = p;
        }
        struct context_event_input in = {
            .owner_org_id = owner->id,
            .title = t->title,
            .description = t->description,
            .on_date = day_from_ymd(t->y, t->m, t->d),
            .has_until = t->uy != 0,
            .until_date = t->uy ? day_from_ymd(t->uy, t->um, t->ud) : 0,
            .gemeente = g ? g->cbs_code : NULL,
            .aanbieder_id = p ? p->id : 0,
        };
        struct actor who = owner == &reg[0] ? demo_actor : owner_actor(owner);
        int64_t id;
        if ((rc = context_event_create(s, &who, &in, &id, e))) {
            char why[ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", e->msg);
            err_set(e, rc, e->field, "demo context event %zu: %s", i, why);
            goto out;
        }
        out->events++;
    }
    rc = 0;
out:
    arena_free(a);
    return rc;
}
