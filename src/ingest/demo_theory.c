/*
 * demo_theory.c: the demo's theories of change (ingest/demo_theory.h). The texts are invented
 * but written the way gemeenten and aanbieders describe their plans: per theme three links in
 * the chain, with why they should help, what they need and what should change for residents.
 * Data, not UI strings: nothing here goes through gettext.
 */
#include "ingest/demo_theory.h"
#include "core/common.h"
#include "domain/auth.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/theory.h"
#include "domain/user.h"
#include "metrics/catalog.h"

#define ACTS_PER_THEORY  3
#define THEORIES_PER_GEM 2
#define NO_PROVIDER      (-1)

struct act_text {
    int provider; /* index in demo_providers, or NO_PROVIDER: a programme of the gemeente */
    const char *product, *description, *assumptions, *conditions, *outcomes;
    const char *indicators[2]; /* standard codes, or NULL */
};

struct theme_text {
    enum result_theme theme;
    const char *starters[THEORY_STARTERS];
    struct act_text acts[ACTS_PER_THEORY];
};

static const struct theme_text themes[] = {
    {THEME_OPGROEIEN,
     {"Het aantal jongeren met jeugdhulp is de afgelopen jaren gestegen. Veel gezinnen hebben "
      "hulp bij opvoeden en gedrag; een deel stopt voordat de hulp klaar is.",
      "Hulp die dichtbij en in het gezin zelf plaatsvindt, met doelen die het gezin zelf kiest, "
      "werkt beter dan hulp op afstand. Een vaste begeleider helpt.",
      "Aanbieders bieden ambulante begeleiding thuis en gezinscoaching; de gemeente heeft "
      "praktijkondersteuners jeugd bij de huisartsen.",
      "Ouders zijn tevreden over de begeleiding. We weten nog te weinig over hoe het gezinnen "
      "een jaar na de hulp vergaat."},
     {{0,
       "Ambulante gezinsbegeleiding",
       "Een vaste begeleider komt thuis bij het gezin en werkt met ouders en jongere aan de "
       "doelen uit het gezinsplan.",
       "Hulp thuis sluit aan bij het dagelijks leven van het gezin. Een goede werkrelatie en "
       "doelen die het gezin zelf kiest, maken de kans kleiner dat de hulp te vroeg stopt.",
       "Begeleiders met een SKJ-registratie, hoogstens twaalf gezinnen per begeleider en een "
       "gedragswetenschapper die meekijkt.",
       "Meer trajecten eindigen volgens plan en gezinnen kunnen daarna zonder nieuwe hulp "
       "verder.",
       {"jw_volgens_plan", "jw_geen_nieuwe_start_6m"}},
      {5,
       "Gezinscoaching",
       "Een gezinscoach helpt ouders om de dag weer rond te krijgen: structuur, afspraken en "
       "contact met school.",
       "Als ouders het overzicht terug hebben, hebben kinderen minder zware hulp nodig.",
       "Coaches die ook 's avonds kunnen komen; korte lijnen met het toegangsteam.",
       "Ouders voelen zich sterker in hun rol; minder gezinnen haken af.",
       {"jw_uitval", "jw_tevredenheid"}},
      {NO_PROVIDER,
       "Praktijkondersteuner jeugd",
       "Bij elke huisartsenpraktijk werkt een praktijkondersteuner jeugd die lichte vragen zelf "
       "oppakt en gericht doorverwijst.",
       "Vroeg erbij zijn voorkomt dat vragen groter worden. Niet elke vraag heeft "
       "specialistische hulp nodig.",
       "Een vaste ondersteuner per praktijk, afspraken met huisartsen over verwijzen.",
       "Minder jongeren hebben zware jeugdhulp nodig.",
       {"jw_bereik", NULL}}}},
    {THEME_MENTAAL,
     {"Steeds meer jongeren melden somberheid en stress. De wachttijd voor jeugd-GGZ is lang.",
      "Snelle, lichte steun op school en in de wijk helpt veel jongeren; voor wie meer nodig "
      "heeft, moet specialistische hulp snel beschikbaar zijn.",
      "Aanbieders bieden steun op school en kortdurende behandeling; de gemeente betaalt een "
      "preventieprogramma in de klas.",
      "Jongeren die hulp kregen, zijn er positief over. De wachttijd is nog niet korter."},
     {{0,
       "Steun op school",
       "Een jeugdhulpverlener heeft elke week spreekuur op de middelbare school en begeleidt "
       "jongeren kort en licht.",
       "Jongeren zoeken hulp waar zij al zijn. Kortdurende steun voorkomt vaak dat klachten "
       "groter worden.",
       "Een vaste plek in de school, afspraken met mentoren en zorgcoördinator.",
       "Minder jongeren wachten op specialistische hulp; doelen worden vaker gehaald.",
       {"jw_doelrealisatie", NULL}},
      {1,
       "Kortdurende behandeling",
       "Behandeling in hoogstens twaalf gesprekken voor jongeren met angst- of "
       "somberheidsklachten.",
       "Voor veel klachten is een korte, gerichte behandeling genoeg.",
       "Behandelaars met ruimte in hun agenda; een wachtlijstbeheer met de andere praktijken.",
       "Kortere wachttijd en doelen die gehaald worden.",
       {"wachttijd", "jw_doelrealisatie"}},
      {NO_PROVIDER,
       "Weerbaar in de klas",
       "Een preventieprogramma in groep 8 en de brugklas over omgaan met stress.",
       "Jongeren die weten wat ze met stress kunnen doen, hebben later minder hulp nodig.",
       "Scholen die meedoen, getrainde docenten.",
       "Minder jongeren met zware klachten.",
       {NULL, NULL}}}},
    {THEME_ONDERWIJS,
     {"Er zijn in de gemeente tientallen thuiszitters. Jeugdhulp en onderwijs werken nog vaak "
      "langs elkaar heen.",
      "Eén plan per kind, met school, ouders en hulp aan één tafel, werkt het best.",
      "Aanbieders bieden jeugdhulp in de school en dyslexiezorg; de gemeente zit het "
      "thuiszittersoverleg voor.",
      "Het aantal thuiszitters daalt langzaam."},
     {{0,
       "Jeugdhulp in de school",
       "Jeugdhulpverleners werken in het speciaal onderwijs mee in de klas en met de ouders.",
       "Hulp op school voorkomt dat kinderen uitvallen en thuis komen te zitten.",
       "Een vaste begeleider per school; afspraken over privacy met ouders.",
       "Meer trajecten eindigen volgens plan; minder kinderen zitten thuis.",
       {"jw_volgens_plan", NULL}},
      {9,
       "Dyslexiebehandeling",
       "Behandeling van ernstige, enkelvoudige dyslexie in de basisschoolleeftijd.",
       "Vroege behandeling maakt dat kinderen goed mee kunnen komen op school.",
       "Een goede screening door school vooraf.",
       "Kinderen halen hun leesdoelen.",
       {"jw_doelrealisatie", NULL}},
      {NO_PROVIDER,
       "Thuiszittersoverleg",
       "Elke maand bespreken gemeente, samenwerkingsverband en scholen elk kind dat thuis zit.",
       "Als iemand de regie houdt, komen kinderen sneller terug op school.",
       "Een vaste voorzitter, snelle toegang tot jeugdhulp.",
       "Minder en kortere thuiszittersperiodes.",
       {NULL, NULL}}}},
    {THEME_VEILIGHEID,
     {"Het aantal meldingen bij Veilig Thuis is stabiel. Na afloop van de hulp volgt soms een "
      "nieuwe melding.",
      "Hulp die het hele gezin betrekt en lang genoeg doorloopt, maakt de veiligheid blijvend.",
      "Aanbieders bieden gezinsgerichte hulp en crisisopvang; het toegangsteam werkt samen met "
      "Veilig Thuis.",
      "De meeste gezinnen hebben na de hulp geen nieuwe hulp nodig."},
     {{0,
       "Gezinsgerichte hulp na een melding",
       "Na een melding werkt een hulpverlener met het hele gezin aan een veiligheidsplan.",
       "Veiligheid wordt blijvend als het gezin zelf afspraken maakt en het netwerk meedoet.",
       "Hulpverleners met ervaring in huiselijk geweld; nazorg na zes maanden.",
       "Minder gezinnen hebben binnen een jaar opnieuw hulp nodig.",
       {"jw_geen_nieuwe_start_12m", NULL}},
      {11,
       "Crisisopvang en terugkeer",
       "Kortdurende opvang als het thuis niet veilig is, met vanaf dag één een plan voor "
       "terugkeer.",
       "Een korte opvang met een duidelijk plan voorkomt een lange uithuisplaatsing.",
       "Plaatsen die altijd beschikbaar zijn; samenwerking met de ambulante hulp.",
       "Jongeren gaan sneller en veilig terug naar huis.",
       {"doorlooptijd", NULL}},
      {NO_PROVIDER,
       "Veilig Thuis in het toegangsteam",
       "Een medewerker van Veilig Thuis schuift wekelijks aan bij het toegangsteam.",
       "Signalen worden eerder herkend als de kennis in het team zit.",
       "Vaste tijd in de week, korte lijnen.",
       "Eerder passende hulp na een signaal.",
       {NULL, NULL}}}},
    {THEME_WERK,
     {"Een deel van de jongeren met jeugdhulp valt na hun achttiende tussen wal en schip.",
      "Begeleiding die doorloopt over de grens van achttien jaar voorkomt een breuk.",
      "Aanbieders bieden kamertraining en begeleiding 18-/18+; de gemeente heeft een "
      "jongerenloket.",
      "We weten nog weinig: dit volgen we vanaf dit jaar."},
     {{8,
       "Kamertraining",
       "Jongeren van 16 tot 23 jaar leren zelfstandig wonen, met begeleiding bij school of werk.",
       "Wie zelfstandig kan wonen, houdt school of werk beter vol.",
       "Kamers in de gemeente zelf; begeleiders die ook na 18 jaar blijven.",
       "Jongeren ronden hun traject af volgens plan.",
       {"jw_volgens_plan", NULL}},
      {0,
       "Begeleiding 18-/18+",
       "Dezelfde begeleider blijft na de achttiende verjaardag, tot de Wmo- of werkbegeleiding "
       "goed loopt.",
       "Een vaste begeleider voorkomt dat jongeren afhaken bij de overgang.",
       "Afspraken tussen Jeugdwet en Wmo over de financiering.",
       "Minder jongeren haken af rond hun achttiende.",
       {"jw_uitval", NULL}},
      {NO_PROVIDER,
       "Jongerenloket",
       "Eén loket voor werk, inkomen en opleiding voor jongeren tot 27 jaar.",
       "Eén plek maakt de weg korter.",
       "Een vaste contactpersoon per jongere.",
       "Meer jongeren aan het werk of op school.",
       {NULL, NULL}}}},
    {THEME_ZELFREDZAAMHEID,
     {"Steeds meer inwoners krijgen Wmo-ondersteuning. Zij willen zo lang mogelijk zelf de "
      "regie houden.",
      "Ondersteuning die uitgaat van wat iemand zelf en met het netwerk kan, maakt mensen "
      "sterker.",
      "Aanbieders bieden thuisbegeleiding en sociaal werk in de wijk; de gemeente regelt "
      "onafhankelijke cliëntondersteuning.",
      "De meeste cliënten zeggen dat zij zich door de ondersteuning beter redden."},
     {{17,
       "Thuisbegeleiding",
       "Een begeleider helpt thuis met de administratie, het huishouden plannen en afspraken.",
       "Als het thuis op orde is, kunnen mensen weer meedoen.",
       "Begeleiders die tijd hebben om samen te doen in plaats van over te nemen.",
       "Cliënten redden zich beter en doen meer wat zij willen.",
       {"wmo_ceo_9", "wmo_ceo_8"}},
      {22,
       "Sociaal werk in de wijk",
       "Sociaal werkers in het buurthuis helpen met vragen over geld, eenzaamheid en meedoen.",
       "Veel vragen zijn op te lossen zonder geïndiceerde zorg.",
       "Een herkenbare plek in elke kern.",
       "Inwoners doen mee en hebben minder zware ondersteuning nodig.",
       {"wmo_ceo_8", NULL}},
      {NO_PROVIDER,
       "Onafhankelijke cliëntondersteuning",
       "Inwoners kunnen gratis een onafhankelijke ondersteuner meenemen naar het gesprek.",
       "Met steun kunnen mensen beter zeggen wat zij nodig hebben.",
       "Bekendheid bij het toegangsteam en de inwoners.",
       "Meer inwoners weten dat zij een ondersteuner kunnen vragen.",
       {"wmo_ceo_5", NULL}}}},
    {THEME_WONEN,
     {"De gemeente vergrijst. Steeds meer ouderen wonen alleen.",
      "Hulp bij het huishouden en begeleiding in de buurt maken dat mensen langer thuis kunnen "
      "wonen.",
      "Aanbieders bieden huishoudelijke hulp en wijkzorg; de gemeente regelt "
      "woningaanpassingen.",
      "Cliënten zijn tevreden over de hulp; de wachttijd voor aanpassingen is lang."},
     {{15,
       "Huishoudelijke hulp",
       "Een vaste hulp komt elke week en let ook op hoe het met iemand gaat.",
       "Een schoon huis en een bekend gezicht maken dat mensen zich veilig en gezien voelen.",
       "Vaste hulpen, weinig wisselingen.",
       "Cliënten redden zich beter en ervaren een betere kwaliteit van leven.",
       {"wmo_ceo_9", "wmo_ceo_10"}},
      {18,
       "Wijkzorg en begeleiding",
       "Een wijkteam biedt begeleiding en verzorging in de kernen.",
       "Zorg dichtbij voorkomt dat mensen moeten verhuizen.",
       "Genoeg personeel in de kleine kernen.",
       "De ondersteuning past bij de hulpvraag.",
       {"wmo_ceo_7", NULL}},
      {NO_PROVIDER,
       "Woonadvies en woningaanpassingen",
       "Een woonadviseur kijkt met inwoners naar hun huis en regelt aanpassingen.",
       "Een aangepast huis voorkomt vallen en verhuizen.",
       "Korte doorlooptijd bij de aanvraag.",
       "Inwoners wonen langer veilig thuis.",
       {"wmo_ceo_10", NULL}}}},
    {THEME_MANTELZORG,
     {"Veel mantelzorgers zorgen al jaren en zijn moe. Lang niet iedereen kent de "
      "ondersteuning.",
      "Af en toe vrij zijn (respijt) en iemand die meedenkt, helpen mantelzorgers het vol te "
      "houden.",
      "Aanbieders bieden respijtzorg en dagbesteding; de gemeente heeft een "
      "mantelzorgconsulent.",
      "Mantelzorgers die respijt krijgen, zeggen dat ze het beter volhouden."},
     {{21,
       "Respijtzorg",
       "Een vrijwilliger of beroepskracht neemt de zorg een dagdeel per week over.",
       "Even vrij zijn voorkomt overbelasting.",
       "Genoeg vrijwilligers; flexibele tijden.",
       "Mantelzorgers houden het langer vol.",
       {"wmo_ceo_10", NULL}},
      {7,
       "Dagbesteding op de boerderij",
       "Ouderen met dementie gaan twee dagen per week naar de zorgboerderij.",
       "Een zinvolle dag voor de oudere geeft rust aan de mantelzorger.",
       "Vervoer dat rustig en op tijd is.",
       "Betere kwaliteit van leven voor cliënt en mantelzorger.",
       {"wmo_ceo_10", NULL}},
      {NO_PROVIDER,
       "Mantelzorgconsulent",
       "Een consulent in het toegangsteam bespreekt bij elke aanvraag ook de mantelzorger.",
       "Wie gezien wordt, vraagt eerder om hulp.",
       "Tijd in elk gesprek voor de mantelzorger.",
       "Mantelzorgers weten waar ze terechtkunnen.",
       {"wmo_ceo_1", NULL}}}},
};

static const struct actor demo_actor = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

static const struct theme_text *theme_text_for(enum result_theme t)
{
    for (size_t i = 0; i < ARRAY_LEN(themes); i++)
        if (themes[i].theme == t)
            return &themes[i];
    return NULL;
}

/* Youth results first: the demo's kwaliteit user works for a youth-care provider. */
static int theme_rank(enum result_theme t)
{
    switch (t) {
    case THEME_OPGROEIEN:
        return 0;
    case THEME_MENTAAL:
    case THEME_ONDERWIJS:
    case THEME_VEILIGHEID:
        return 1;
    case THEME_WERK:
        return 2;
    default:
        return 3;
    }
}

static int64_t org_named(const struct org *orgs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(orgs[i].name, name) == 0)
            return orgs[i].id;
    return 0;
}

/* The actor of the demo user with this login in org (0 = any). */
static int actor_for_login(struct arena *a, struct store *s, int64_t org, const char *login,
                           struct actor *out)
{
    struct user_filter f = {.org_id = org, .q = login, .limit = 50};
    struct user *us = NULL;
    int n = 0, total = 0;
    int rc = user_list(a, s, &demo_actor, &f, &us, &n, &total);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        if (strcmp(us[i].login, login) == 0)
            return auth_actor_for_user(a, s, us[i].id, out);
    return ERR_NOT_FOUND;
}

/* The gemeente's beleid user ("beleid.<slug>"). */
static int beleid_actor(struct arena *a, struct store *s, int64_t org, struct actor *out)
{
    struct user_filter f = {.org_id = org, .q = "beleid.", .limit = 50};
    struct user *us = NULL;
    int n = 0, total = 0;
    int rc = user_list(a, s, &demo_actor, &f, &us, &n, &total);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        if (strncmp(us[i].login, "beleid.", 7) == 0 && (us[i].roles & ROLE_BELEID))
            return auth_actor_for_user(a, s, us[i].id, out);
    return ERR_NOT_FOUND;
}

/* Builds version 1 of the theory of result r from its theme's texts. */
static int first_version(struct arena *a, struct db *db, const struct theme_text *tt,
                         const struct org *prov, int nprov, struct theory *out)
{
    memset(out, 0, sizeof *out);
    for (int q = 0; q < THEORY_STARTERS; q++)
        out->starters[q] = tt->starters[q];
    out->activities = arena_calloc(a, ACTS_PER_THEORY, sizeof *out->activities);
    if (!out->activities)
        return ERR_NOMEM;
    for (int k = 0; k < ACTS_PER_THEORY; k++) {
        const struct act_text *at = &tt->acts[k];
        struct theory_activity *act = &out->activities[out->nactivities++];
        act->aanbieder_id = at->provider == NO_PROVIDER
                                ? 0
                                : org_named(prov, nprov, demo_providers[at->provider].name);
        act->product = at->product;
        act->description = at->description;
        act->assumptions = at->assumptions;
        act->conditions = at->conditions;
        act->outcomes = at->outcomes;
        act->indicators = arena_calloc(a, 2, sizeof *act->indicators);
        if (!act->indicators)
            return ERR_NOMEM;
        /* Version 1 links the first indicator only; version 2 adds the second. */
        int64_t id = at->indicators[0] ? ind_catalog_standard_id(db, at->indicators[0]) : 0;
        if (id)
            act->indicators[act->nindicators++].id = id;
    }
    return 0;
}

static int fail(struct err_ctx *e, int rc, const char *what, const char *title)
{
    if (e && e->msg[0]) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", e->msg);
        return err_set(e, rc, NULL, "demo theory %s (%s): %s", what, title, msg);
    }
    return err_set(e, rc, NULL, "demo theory %s (%s): %s", what, title, err_name(rc));
}

/* One theory: version 1 by the beleid user, version 2 by another user. */
static int one_theory(struct arena *a, struct store *s, const struct result *r,
                      const struct actor *beleid, const struct actor *kwaliteit,
                      const struct actor *beheer, const struct org *prov, int nprov,
                      struct demo_theory_summary *sum, struct err_ctx *e)
{
    const struct theme_text *tt = theme_text_for(r->theme);
    struct db *db = store_reader(s);
    struct theory t;
    int64_t v = 0;
    int rc;
    if (!tt || !db)
        return 0;
    if ((rc = first_version(a, db, tt, prov, nprov, &t)))
        return rc;
    if ((rc = theory_put(s, beleid, r->id, &t, &v, e)))
        return fail(e, rc, "version 1", r->title);
    sum->theories++;
    sum->activities += (size_t)t.nactivities;
    sum->versions++;

    /* Version 2: the aanbieder sharpens its own activity, or the beheerder links indicators. */
    struct theory cur;
    if ((rc = theory_get(a, s, beleid, r->id, &cur)))
        return fail(e, rc, "reload", r->title);
    int own = -1;
    for (int k = 0; k < cur.nactivities && own < 0; k++)
        if (kwaliteit && cur.activities[k].aanbieder_id == kwaliteit->org_id)
            own = k;
    if (own >= 0) {
        const struct act_text *at = NULL;
        for (int k = 0; k < ACTS_PER_THEORY; k++)
            if (tt->acts[k].provider == 0)
                at = &tt->acts[k];
        struct theory_activity act = cur.activities[own];
        act.assumptions = arena_printf(a, "%s %s", act.assumptions,
                                       "Onze eigen evaluatie laat zien dat de eerste weken het "
                                       "belangrijkst zijn: wie dan samen doelen kiest, blijft. "
                                       "Daarom plannen we het eerste doelengesprek binnen twee "
                                       "weken.");
        struct theory_indicator *inds = arena_calloc(a, 3, sizeof *inds);
        if (!inds)
            return ERR_NOMEM;
        int n = 0;
        for (int j = 0; j < act.nindicators; j++)
            inds[n++] = act.indicators[j];
        int64_t id = at && at->indicators[1] ? ind_catalog_standard_id(db, at->indicators[1])
                                             : ind_catalog_standard_id(db, "jw_tevredenheid");
        if (id)
            inds[n++].id = id;
        act.indicators = inds;
        act.nindicators = n;
        if ((rc = theory_activity_save(s, kwaliteit, r->id, &act, cur.version, NULL, e)))
            return fail(e, rc, "version 2 (aanbieder)", r->title);
    } else {
        for (int k = 0; k < cur.nactivities && k < ACTS_PER_THEORY; k++) {
            struct theory_activity *act = &cur.activities[k];
            int64_t id = tt->acts[k].indicators[1]
                             ? ind_catalog_standard_id(db, tt->acts[k].indicators[1])
                             : 0;
            if (!id)
                continue;
            struct theory_indicator *inds =
                arena_calloc(a, (size_t)act->nindicators + 1, sizeof *inds);
            if (!inds)
                return ERR_NOMEM;
            for (int j = 0; j < act->nindicators; j++)
                inds[j] = act->indicators[j];
            inds[act->nindicators].id = id;
            act->indicators = inds;
            act->nindicators++;
        }
        if ((rc = theory_put(s, beheer, r->id, &cur, NULL, e)))
            return fail(e, rc, "version 2 (beheerder)", r->title);
    }
    sum->versions++;
    return 0;
}

int demo_theory_generate(struct store *s, struct demo_theory_summary *out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org *gem = NULL, *prov = NULL;
    int ngem = 0, nprov = 0, total = 0, rc;
    struct actor kwaliteit, beheer;
    bool have_kwaliteit;
    memset(out, 0, sizeof *out);
    if (!a)
        return ERR_NOMEM;

    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    if ((rc = org_list(a, s, &demo_actor, &f, &gem, &ngem, &total)) || ngem == 0) {
        rc = err_set(e, rc ? rc : ERR_INVALID, NULL, "cannot list the demo gemeenten");
        goto out;
    }
    f.kind = ORG_AANBIEDER;
    if ((rc = org_list(a, s, &demo_actor, &f, &prov, &nprov, &total)))
        goto out;
    int64_t youth = org_named(prov, nprov, demo_providers[0].name);
    have_kwaliteit = youth && actor_for_login(a, s, youth, "kwaliteit.aanbieder", &kwaliteit) == 0;
    if ((rc = actor_for_login(a, s, 0, "beheerder", &beheer))) {
        rc = err_set(e, rc, NULL, "demo theory: the beheerder account is missing");
        goto out;
    }
    for (int g = 0; g < ngem; g++) {
        struct actor beleid;
        if (beleid_actor(a, s, gem[g].id, &beleid) != 0)
            continue; /* a gemeente without its own beleid user gets no theory */
        struct result_filter rf = {.owner_org_id = gem[g].id, .limit = 50};
        struct result *rs = NULL;
        int nr = 0, rt = 0;
        if ((rc = result_list(a, s, &demo_actor, &rf, &rs, &nr, &rt)))
            goto out;
        /* The two best-ranked results (stable: ties keep the list order). */
        int picked[THEORIES_PER_GEM] = {-1, -1};
        for (int p = 0; p < THEORIES_PER_GEM; p++)
            for (int i = 0; i < nr; i++) {
                if (i == picked[0] || !theme_text_for(rs[i].theme))
                    continue;
                if (picked[p] < 0 || theme_rank(rs[i].theme) < theme_rank(rs[picked[p]].theme))
                    picked[p] = i;
            }
        for (int p = 0; p < THEORIES_PER_GEM; p++) {
            if (picked[p] < 0)
                continue;
            if ((rc = one_theory(a, s, &rs[picked[p]], &beleid, have_kwaliteit ? &kwaliteit : NULL,
                                 &beheer, prov, nprov, out, e)))
                goto out;
        }
    }
out:
    arena_free(a);
    return rc;
}
