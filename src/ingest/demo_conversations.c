/*
 * demo_conversations.c: the demo's quality conversations (ingest/demo_conversations.h). The
 * texts are invented but written the way note-takers of a kwaliteitsgesprek write: short
 * sentences per phase, who said what, what the figures show and what was agreed. Data, not UI
 * strings: nothing here goes through gettext. Dates are fixed relative to the demo's end date
 * (DEMO_INTAKE_END_*), so the same run gives the same conversations.
 */
#include "ingest/demo_conversations.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/auth.h"
#include "domain/conversation.h"
#include "domain/demo.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/role.h"
#include "domain/theory.h"
#include "domain/user.h"
#include "ingest/demo_intake.h"

#define SECOND_PROVIDER   5 /* demo_providers[5]: Gezinscoaching Hunzedal (in the youth theory) */
#define SECOND_SLUG       "hunzedal"
#define VOORKANT_GEMEENTE "Emmen"
#define DEMO_ACTOR_ID     (-1)

/* The people of one conversation: duos of the gemeente and of each aanbieder. */
struct cast {
    struct actor beleid, contract;  /* the gemeente */
    struct actor kwal_a, prof_a;    /* demo_providers[0] */
    struct actor kwal_b, prof_b;    /* demo_providers[SECOND_PROVIDER] */
    int64_t provider_a, provider_b; /* organisation ids */
    const char *name_a, *name_b;    /* provider names */
};

struct gen {
    struct store *s;
    struct arena *a;
    const struct demo_conv_hooks *hooks;
    struct demo_conversations_summary *sum;
    struct actor admin;
    struct err_ctx *e;
};

static int fail(struct err_ctx *e, int rc, const char *what, const char *name)
{
    char why[ERR_MSG_MAX];
    memcpy(why, e->msg, sizeof why);
    why[sizeof why - 1] = '\0';
    return err_set(e, rc, e->field, "demo conversations: %s (%s): %s", what, name,
                   why[0] ? why : err_name(rc));
}

/* ---- Users ----------------------------------------------------------------------------------- */

/* The user with exactly this login, or 0. */
static int64_t user_id_of(struct gen *g, const char *login)
{
    struct user_filter f = {.q = login, .limit = 50};
    struct user *us = NULL;
    int n = 0, total = 0;
    if (user_list(g->a, g->s, &g->admin, &f, &us, &n, &total))
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(us[i].login, login) == 0)
            return us[i].id;
    return 0;
}

/* The actor of login; the user is created first (password DEMO_PASSWORD) when missing. */
static int ensure_user(struct gen *g, const char *login, const char *display, uint32_t role,
                       int64_t org_id, const char *org_name, struct actor *out)
{
    int64_t id = user_id_of(g, login);
    int rc;
    if (!id) {
        char *generated = NULL;
        struct user_input in = {.login = login,
                                .display_name = display,
                                .org_id = org_id,
                                .roles = role,
                                .lang = "nl",
                                .password = DEMO_PASSWORD};
        rc = user_create(g->s, &g->admin, &in, &id, &generated, g->e);
        free(generated);
        if (rc)
            return fail(g->e, rc, "user", login);
        struct demo_conversations_summary *sum = g->sum;
        if (sum->nlogins < DEMO_CONV_MAX_USERS)
            sum->logins[sum->nlogins++] =
                (struct demo_conv_login){.login = arena_strdup(sum->arena, login),
                                         .role = role_code((enum role)role),
                                         .org_name = arena_strdup(sum->arena, org_name)};
    }
    if ((rc = auth_actor_for_user(g->a, g->s, id, out)))
        return fail(g->e, rc, "actor", login);
    return 0;
}

/* "De Wolden" -> "de-wolden", as domain/demo.c makes the gemeente logins. */
static const char *slug(struct arena *a, const char *name)
{
    size_t n = strlen(name), j = 0;
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        out[j++] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '-';
    }
    out[j] = '\0';
    return out;
}

static int64_t org_named(const struct org *orgs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(orgs[i].name, name) == 0)
            return orgs[i].id;
    return 0;
}

/* ---- Texts ----------------------------------------------------------------------------------- */

/* Preparation notes: [0] the gemeente's (shared, own), [1] the aanbieder's (shared, own). */
static const char *const prep_gemeente_shared =
    "Voor het gesprek willen we vooral begrijpen waarom het aandeel trajecten dat volgens plan "
    "eindigt in %s lager ligt dan in de rest van de regio. Kunnen de aanbieders laten zien bij "
    "welke groepen dat speelt? Wij nemen de cijfers van het toegangsteam over verwijzingen mee.";
static const char *const prep_gemeente_own =
    "Intern: het budget voor ambulante jeugdhulp staat onder druk. Niet zelf inbrengen als "
    "bezuiniging; eerst horen wat de aanbieders zien. Contractafspraak over de wachttijd pas "
    "in het tweede deel van het gesprek noemen.";
static const char *const prep_aanbieder_shared =
    "Wij zien dat gezinnen vaker stoppen in de eerste zes weken, vooral als er lang gewacht is "
    "op de start. Wij brengen onze eigen cijfers over de wachttijd mee en twee casussen "
    "(geanonimiseerd) van gezinnen die voortijdig stopten.";
static const char *const prep_aanbieder_own =
    "Eigen voorbereiding: het verloop in het team was dit jaar hoog (vier nieuwe begeleiders). "
    "Dat eerlijk benoemen als mogelijke verklaring voor de uitval, maar niet als excuus.";

/* Notes per phase; %1$s = the gemeente, %2$s = provider A, %3$s = provider B. */
static const char *const phase_texts[CONV_PHASES] = {
    "De cijfers herkennen we grotendeels. %2$s ziet ook dat minder trajecten volgens plan "
    "eindigen dan twee jaar geleden; de daling zit vooral bij gezinnen met meerdere kinderen. "
    "%3$s herkent de uitval in de eerste weken. Het verhaal van de moeder uit het datapakket "
    "(lang wachten, dan drie verschillende begeleiders) zien beide aanbieders vaker terug. "
    "Opvallend: de tevredenheid van ouders is hoog, ook bij gezinnen die stoppen.",
    "Verklaring volgens de aanbieders: de wachttijd tot de start is opgelopen en wie lang "
    "wacht, haakt sneller af. Daarnaast wisselingen van begeleider door verloop. De gemeente "
    "wijst erop dat het toegangsteam in %1$s sinds vorig jaar meer zware casussen doorverwijst, "
    "dus de doelgroep is verschoven. Dat hadden we niet zo verwacht. Voor jongeren van 12-17 "
    "jaar zijn de resultaten beter dan voor jonge kinderen; dat willen we nader uitzoeken.",
    "Trots zijn we op de samenwerking met de praktijkondersteuners jeugd: ouders zeggen dat de "
    "weg naar hulp korter is geworden. Niet tevreden zijn we over het aandeel gezinnen dat "
    "binnen zes maanden opnieuw hulp nodig heeft: het doel van de gemeente wordt niet gehaald. "
    "Het effect van de gezinscoaching is nog niet goed zichtbaar in de cijfers.",
    "Afgesproken: %2$s en %3$s plannen het eerste doelengesprek binnen twee weken na "
    "aanmelding, ook als de hulp nog niet kan starten. De gemeente onderzoekt met het "
    "toegangsteam de verschuiving in de doelgroep. Samen kijken we over een half jaar of de "
    "uitval in de eerste weken daalt. Iedere partner bespreekt de uitkomsten in het eigen team.",
};
static const int phase_minutes[CONV_PHASES] = {20, 30, 20, 25};

static const char *const summary_text =
    "Gemeente %1$s, %2$s en %3$s bespraken de resultaten van de jeugdhulp over het afgelopen "
    "jaar. De cijfers worden herkend: minder trajecten eindigen volgens plan en de uitval zit "
    "vooral in de eerste weken na een lange wachttijd. Ouders zijn wel tevreden over de hulp. "
    "De doelgroep is zwaarder geworden. Partijen spreken af de start van de hulp te versnellen "
    "en de verschuiving in de doelgroep samen uit te zoeken.";
static const char *const conclusions_text =
    "1. De uitval in de eerste weken is het belangrijkste verbeterpunt.\n"
    "2. De wachttijd tot de start hangt samen met de uitval; een snel eerste doelengesprek kan "
    "helpen.\n"
    "3. Het toegangsteam verwijst zwaardere casussen door; dat verklaart een deel van de daling.\n"
    "4. Over een half jaar bespreken we in een vervolggesprek of de afspraken effect hebben.";

struct action_text {
    int owner; /* 0 gemeente, 1 provider A, 2 provider B */
    enum action_status status;
    int due_offset; /* days after the demo's end date (negative: before) */
    const char *description, *effect, *reason;
};

/* One action per status, and one overdue (open, due before the demo's end date). */
static const struct action_text action_texts[] = {
    {1, ACTION_OPEN, -20,
     "Eerste doelengesprek binnen twee weken na aanmelding plannen, ook als de begeleiding nog "
     "niet kan starten.",
     "Minder gezinnen stoppen in de eerste zes weken; meer trajecten eindigen volgens plan.", NULL},
    {0, ACTION_BEZIG, 150,
     "Met het toegangsteam uitzoeken welke casussen sinds vorig jaar zwaarder zijn en of de "
     "verwijzing daarop aansluit.",
     "Een beter beeld van de doelgroep; de juiste hulp bij de eerste verwijzing.", NULL},
    {2, ACTION_OPEN, 240,
     "Gezinscoaching registreren met de doelen van het gezin, zodat het effect zichtbaar wordt in "
     "de cijfers.",
     "Het effect van de gezinscoaching kan in het volgende gesprek worden besproken.", NULL},
    {1, ACTION_KLAAR, -45,
     "Vaste begeleider per gezin: bij verloop binnen een week een overdrachtsgesprek met het "
     "gezin.",
     "Minder wisselingen van begeleider; minder uitval.", NULL},
    {0, ACTION_VERVALLEN, 90, "Extra tevredenheidsonderzoek onder ouders die voortijdig stopten.",
     "Weten waarom gezinnen stoppen.",
     "Vervalt: de aanbieders vragen dit al in hun eindgesprek; we gebruiken die uitkomsten."},
};

struct eval_text {
    int rating;
    const char *goal, *went_well, *tips;
};

static const struct eval_text eval_texts[] = {
    {4, "ja",
     "Open gesprek; de cijfers waren goed voorbereid en iedereen had het datapakket gelezen.",
     "Volgende keer meer tijd voor begrijpen, minder voor herkennen."},
    {4, "deels", "Goede sfeer; de verhalen maakten de cijfers concreet.",
     "Een jongere of ouder uitnodigen voor een deel van het gesprek."},
    {5, "ja", "Het voelde als samen leren in plaats van verantwoorden.",
     "De acties direct in het gesprek op het scherm zetten."},
    {3, "deels", "Duidelijke afspraken aan het eind.",
     "Minder over activiteiten en uren praten; meer over wat het oplevert voor gezinnen."},
};

static const char *const voorkant_starters[THEORY_STARTERS] = {
    "In %s zien we dat steeds meer inwoners met dit onderwerp te maken hebben. Het "
    "toegangsteam en de huisartsen noemen het vaak; harde cijfers hebben we nog weinig.",
    "Uit onderzoek en uit de praktijk weten we dat vroeg erbij zijn helpt, net als hulp dicht "
    "bij huis met een vaste contactpersoon. Wat inwoners zelf willen bereiken, moet leidend zijn.",
    "De aanbieders bieden begeleiding thuis en in de wijk; de gemeente werkt met het "
    "toegangsteam en het sociaal werk. Afspraken over samenwerking zijn er nog niet overal.",
    "Dat weten we nog niet goed. We spreken af welke indicatoren we gaan volgen en bespreken "
    "over een jaar de eerste resultaten in een achterkantgesprek.",
};

/* ---- One conversation ------------------------------------------------------------------------ */

static day_t demo_end(void)
{
    return day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);
}

static const char *fmt3(struct arena *a, const char *tmpl, const char *x, const char *y,
                        const char *z)
{
    /* Positional %1$s..%3$s: the templates name each at most once and in any order. */
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '3' && p[2] == '$' && p[3] == 's') {
            buf_append_str(&b, p[1] == '1' ? x : p[1] == '2' ? y : z);
            p += 3;
        } else if (p[0] == '%' && p[1] == 's') {
            buf_append_str(&b, x);
            p += 1;
        } else {
            buf_append_char(&b, *p);
        }
    }
    const char *res = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return res ? res : "";
}

static int conv_version(struct gen *g, const struct actor *who, int64_t id, int64_t *version)
{
    struct conversation c;
    int rc = conversation_get(g->a, g->s, who, id, &c);
    if (!rc)
        *version = c.version;
    return rc;
}

/* The people and parties of a conversation input. */
static void fill_people(const struct cast *k, struct conv_party_input parties[2],
                        struct conv_participant_input ppl[6], struct conv_input *in)
{
    parties[0] = (struct conv_party_input){.org_id = k->provider_a, .side = SIDE_AANBIEDER};
    parties[1] = (struct conv_party_input){.org_id = k->provider_b, .side = SIDE_AANBIEDER};
    ppl[0] = (struct conv_participant_input){k->beleid.user_id, CROLE_GESPREKSLEIDER};
    ppl[1] = (struct conv_participant_input){k->contract.user_id, CROLE_NOTULIST};
    ppl[2] = (struct conv_participant_input){k->kwal_a.user_id, CROLE_DEELNEMER};
    ppl[3] = (struct conv_participant_input){k->prof_a.user_id, CROLE_DEELNEMER};
    ppl[4] = (struct conv_participant_input){k->kwal_b.user_id, CROLE_DEELNEMER};
    ppl[5] = (struct conv_participant_input){k->prof_b.user_id, CROLE_DEELNEMER};
    in->parties = parties;
    in->nparties = k->provider_b ? 2 : 1;
    in->participants = ppl;
    in->nparticipants = k->provider_b ? 6 : 4;
}

static int prep_notes(struct gen *g, const struct cast *k, int64_t id, const char *gname)
{
    struct err_ctx *e = g->e;
    int rc;
    if ((rc = conversation_prep_create(g->s, &k->beleid, id,
                                       fmt3(g->a, prep_gemeente_shared, gname, "", ""), true, NULL,
                                       e)) ||
        (rc =
             conversation_prep_create(g->s, &k->contract, id, prep_gemeente_own, false, NULL, e)) ||
        (rc = conversation_prep_create(g->s, &k->kwal_a, id, prep_aanbieder_shared, true, NULL,
                                       e)) ||
        (rc = conversation_prep_create(g->s, &k->kwal_a, id, prep_aanbieder_own, false, NULL, e)))
        return fail(e, rc, "preparation note", gname);
    g->sum->prep_notes += 4;
    return 0;
}

static int hold(struct gen *g, const struct cast *k, int64_t id, const char *gname)
{
    struct err_ctx *e = g->e;
    struct conv_phase_notes ph[CONV_PHASES];
    int64_t v = 0;
    int rc;
    if ((rc = conv_version(g, &k->beleid, id, &v)) ||
        (rc = conversation_mark_held(g->s, &k->beleid, id, v, e)))
        return fail(e, rc, "held", gname);
    if ((rc = conversation_phases(g->a, g->s, &k->contract, id, ph)))
        return fail(e, rc, "phases", gname);
    for (int p = 0; p < CONV_PHASES; p++) {
        const char *notes = fmt3(g->a, phase_texts[p], gname, k->name_a, k->name_b);
        if ((rc = conversation_phase_save(g->a, g->s, &k->contract, id, (enum conv_phase)p, notes,
                                          phase_minutes[p], ph[p].version, NULL, e)))
            return fail(e, rc, "phase notes", gname);
        g->sum->phase_notes++;
    }
    if ((rc = conv_version(g, &k->beleid, id, &v)) ||
        (rc = conversation_conclude(g->s, &k->beleid, id,
                                    fmt3(g->a, summary_text, gname, k->name_a, k->name_b),
                                    conclusions_text, v, e)))
        return fail(e, rc, "conclusions", gname);
    return 0;
}

static const struct actor *owner_actor(const struct cast *k, int owner)
{
    return owner == 0 ? &k->beleid : owner == 1 ? &k->kwal_a : &k->kwal_b;
}

static int64_t owner_org(const struct cast *k, int owner)
{
    return owner == 0 ? k->beleid.org_id : owner == 1 ? k->provider_a : k->provider_b;
}

static int status_step(struct gen *g, const struct actor *who, int64_t id, enum action_status to,
                       const char *note)
{
    struct improvement_action act;
    int rc = action_get(g->a, g->s, who, id, &act);
    if (!rc)
        rc = action_set_status(g->s, who, id, act.version, to, note, g->a, g->e);
    return rc;
}

static int actions(struct gen *g, const struct cast *k, int64_t id, const char *gname)
{
    struct err_ctx *e = g->e;
    struct action_indicator *choices = NULL;
    int nchoices = 0;
    int rc = action_indicator_choices(g->a, g->s, &k->beleid, id, &choices, &nchoices);
    if (rc)
        return fail(e, rc, "indicator choices", gname);
    for (size_t i = 0; i < ARRAY_LEN(action_texts); i++) {
        const struct action_text *t = &action_texts[i];
        if (!k->provider_b && t->owner == 2)
            continue;
        /* One or two indicators of the conversation's results, different per action. */
        int64_t ids[2];
        int nids = 0;
        if (nchoices > 0)
            ids[nids++] = choices[i % (size_t)nchoices].indicator_id;
        if (nchoices > 1 && i % 2 == 0)
            ids[nids++] = choices[(i + 1) % (size_t)nchoices].indicator_id;
        struct action_baseline *base = NULL;
        if (nids && g->hooks && g->hooks->baselines &&
            (rc = g->hooks->baselines(g->hooks->ctx, g->a, &k->beleid, id, ids, nids, &base)))
            return fail(e, rc, "action baselines", gname);
        const struct actor *owner = owner_actor(k, t->owner);
        struct action_input in = {.conversation_id = id,
                                  .owner_org_id = owner_org(k, t->owner),
                                  .owner_user_id = owner->user_id,
                                  .description = t->description,
                                  .expected_effect = t->effect,
                                  .due_on = demo_end() + t->due_offset,
                                  .indicator_ids = ids,
                                  .nindicators = nids,
                                  .baselines = base,
                                  .nbaselines = base ? nids : 0};
        int64_t aid = 0;
        if ((rc = action_create(g->s, &k->beleid, &in, &aid, g->a, e)))
            return fail(e, rc, "action", gname);
        switch (t->status) {
        case ACTION_OPEN:
            break;
        case ACTION_BEZIG:
            rc = status_step(g, owner, aid, ACTION_BEZIG,
                             "Eerste overleg met het toegangsteam is "
                             "gepland.");
            break;
        case ACTION_KLAAR:
            if (!(rc = status_step(g, owner, aid, ACTION_BEZIG, NULL)))
                rc = status_step(g, owner, aid, ACTION_KLAAR,
                                 "Werkafspraak staat in het teamhandboek en wordt gevolgd.");
            break;
        case ACTION_VERVALLEN:
            rc = status_step(g, owner, aid, ACTION_VERVALLEN, t->reason);
            break;
        }
        if (rc)
            return fail(e, rc, "action status", gname);
        g->sum->actions++;
        g->sum->actions_by_status[t->status]++;
    }
    return 0;
}

static int approve_and_evaluate(struct gen *g, const struct cast *k, int64_t id, const char *gname)
{
    struct err_ctx *e = g->e;
    const struct actor *approvers[3] = {&k->beleid, &k->kwal_a, &k->kwal_b};
    const struct actor *evaluators[4] = {&k->beleid, &k->contract, &k->kwal_a, &k->prof_a};
    int rc;
    for (int i = 0; i < (k->provider_b ? 3 : 2); i++) {
        if ((rc = conversation_approve(g->s, approvers[i], id, e)))
            return fail(e, rc, "approval", gname);
        g->sum->approvals++;
    }
    for (int i = 0; i < 4; i++) {
        const struct eval_text *t = &eval_texts[i];
        if ((rc = conversation_evaluate(g->s, evaluators[i], id, t->rating, t->goal, t->went_well,
                                        t->tips, e)))
            return fail(e, rc, "evaluation", gname);
        g->sum->evaluations++;
    }
    return 0;
}

static int prepare(struct gen *g, const struct actor *who, int64_t id, const char *gname)
{
    if (!g->hooks || !g->hooks->prepare)
        return 0;
    int rc = g->hooks->prepare(g->hooks->ctx, who, id, g->e);
    if (rc)
        return fail(g->e, rc, "data pack", gname);
    g->sum->packs++;
    return 0;
}

/* The held conversation about results (1 or 2) and its planned follow-up. */
static int held_and_followup(struct gen *g, const struct cast *k, const char *gname,
                             const int64_t *results, int nresults, int index)
{
    struct err_ctx *e = g->e;
    struct conv_party_input parties[2];
    struct conv_participant_input ppl[6];
    day_t end = demo_end();
    /* Held in the last full quarter before the demo's end date, a week apart per gemeente;
     * about the year up to the quarter before. */
    struct period held_q = period_prev(period_of(end, PERIOD_QUARTER));
    day_t held_on = period_start(held_q) + 9 + 7 * (index % 10);
    struct period upto = period_prev(held_q);
    struct conv_input in = {
        .owner_org_id = k->beleid.org_id,
        .kind = CONV_ACHTERKANT,
        .title = arena_printf(g->a, "Kwaliteitsgesprek jeugdhulp %s", gname),
        .goal = "Samen de resultaten van de ambulante jeugdhulp duiden: herkennen we de cijfers, "
                "kunnen we ze verklaren, wat vinden we ervan en wat gaan we verbeteren?",
        .place = arena_printf(g->a, "Gemeentehuis %s", gname),
        .period_from = period_start(period_prev(period_prev(period_prev(upto)))),
        .period_to = period_end(upto),
        .held_on = held_on,
        .result_ids = results,
        .nresults = nresults,
    };
    fill_people(k, parties, ppl, &in);
    int64_t id = 0, next = 0;
    int rc = conversation_create(g->s, &k->beleid, &in, &id, e);
    if (rc)
        return fail(e, rc, "held conversation", gname);
    if ((rc = prep_notes(g, k, id, gname)) || (rc = prepare(g, &k->beleid, id, gname)) ||
        (rc = hold(g, k, id, gname)) || (rc = actions(g, k, id, gname)) ||
        (rc = approve_and_evaluate(g, k, id, gname)))
        return rc;
    g->sum->held++;
    if (g->sum->nheld < DEMO_CONV_MAX)
        g->sum->held_ids[g->sum->nheld++] = id;

    /* The follow-up, half a year later, about the quarters since. */
    in.title = arena_printf(g->a, "Vervolggesprek jeugdhulp %s", gname);
    in.goal = "Nagaan of de afspraken uit het vorige gesprek effect hebben: de start van de hulp "
              "en de uitval in de eerste weken.";
    in.previous_id = id;
    in.held_on = held_on + 182;
    in.period_from = period_start(period_prev(period_prev(held_q)));
    in.period_to = period_end(held_q);
    if ((rc = conversation_create(g->s, &k->beleid, &in, &next, e)))
        return fail(e, rc, "follow-up conversation", gname);
    if ((rc = conversation_prep_create(g->s, &k->beleid, next,
                                       "Graag per actie uit het vorige gesprek kort laten zien wat "
                                       "er is gebeurd en wat de cijfers nu laten zien.",
                                       true, NULL, e)))
        return fail(e, rc, "follow-up note", gname);
    g->sum->prep_notes++;
    if ((rc = prepare(g, &k->beleid, next, gname)))
        return rc;
    g->sum->followups++;
    if (g->sum->nfollowup_ids < DEMO_CONV_MAX)
        g->sum->followup_ids[g->sum->nfollowup_ids++] = next;
    return 0;
}

/* A held voorkant conversation about a result without a theory yet: the starter answers. */
static int voorkant(struct gen *g, const struct cast *k, const char *gname, int64_t result_id)
{
    struct err_ctx *e = g->e;
    struct conv_party_input parties[2];
    struct conv_participant_input ppl[6];
    struct period q = period_prev(period_prev(period_of(demo_end(), PERIOD_QUARTER)));
    struct conv_input in = {
        .owner_org_id = k->beleid.org_id,
        .kind = CONV_VOORKANT,
        .title = arena_printf(g->a, "Voorkantgesprek %s: wat willen we bereiken?", gname),
        .goal = "De vier startvragen samen beantwoorden en vastleggen in de verandertheorie.",
        .place = arena_printf(g->a, "Gemeentehuis %s", gname),
        .period_from = period_start(q),
        .period_to = period_end(q),
        .held_on = period_start(q) + 20,
        .result_ids = &result_id,
        .nresults = 1,
    };
    fill_people(k, parties, ppl, &in);
    in.nparties = 1; /* the youth aanbieder only */
    in.nparticipants = 4;
    int64_t id = 0, v = 0;
    int rc = conversation_create(g->s, &k->beleid, &in, &id, e);
    if (!rc && !(rc = conv_version(g, &k->beleid, id, &v)))
        rc = conversation_mark_held(g->s, &k->beleid, id, v, e);
    if (rc)
        return fail(e, rc, "voorkant conversation", gname);
    struct theory t;
    const char *answers[THEORY_STARTERS];
    if ((rc = theory_get(g->a, g->s, &k->beleid, result_id, &t)))
        return fail(e, rc, "theory", gname);
    for (int i = 0; i < THEORY_STARTERS; i++)
        answers[i] = fmt3(g->a, voorkant_starters[i], gname, "", "");
    if ((rc = theory_save_starters(g->s, &k->beleid, result_id, answers, t.version, NULL, e)))
        return fail(e, rc, "starter answers", gname);
    if ((rc = conv_version(g, &k->beleid, id, &v)) ||
        (rc = conversation_conclude(
             g->s, &k->beleid, id,
             "De vier startvragen zijn beantwoord en staan in de verandertheorie. Er is nog weinig "
             "bekend over de resultaten; we kiezen indicatoren en plannen over een jaar een "
             "achterkantgesprek.",
             "Eerst indicatoren kiezen, dan de activiteiten van de aanbieders uitschrijven.", v,
             e)))
        return fail(e, rc, "voorkant conclusions", gname);
    g->sum->voorkant++;
    g->sum->voorkant_id = id;
    return 0;
}

/* ---- Driver ---------------------------------------------------------------------------------- */

/* The duos of gemeente gem: its beleid user, a contract user (made here) and the aanbieders'. */
static int cast_for(struct gen *g, const struct org *gem, const struct cast *base, struct cast *k)
{
    *k = *base;
    const char *s = slug(g->a, gem->name);
    if (!s)
        return ERR_NOMEM;
    int64_t bid = user_id_of(g, arena_printf(g->a, "beleid.%s", s));
    if (!bid)
        return ERR_NOT_FOUND; /* no beleid user: no conversation (as the theories) */
    int rc = auth_actor_for_user(g->a, g->s, bid, &k->beleid);
    if (rc)
        return rc;
    return ensure_user(g, arena_printf(g->a, "contract.%s", s),
                       arena_printf(g->a, "Contractmanager %s", gem->name), ROLE_CONTRACT, gem->id,
                       gem->name, &k->contract);
}

/* The results of gemeente gem with a theory of change (list order), and the first without. */
static int results_of(struct gen *g, const struct org *gem, const struct actor *who,
                      int64_t with[2], int *nwith, int64_t *without)
{
    struct result_filter rf = {.owner_org_id = gem->id, .limit = 50};
    struct result *rs = NULL;
    int nr = 0, total = 0;
    int rc = result_list(g->a, g->s, who, &rf, &rs, &nr, &total);
    *nwith = 0;
    *without = 0;
    for (int i = 0; !rc && i < nr; i++) {
        struct theory t;
        if ((rc = theory_get(g->a, g->s, who, rs[i].id, &t)))
            break;
        if (t.version > 0 && *nwith < 2)
            with[(*nwith)++] = rs[i].id;
        else if (t.version == 0 && !*without)
            *without = rs[i].id;
    }
    return rc;
}

int demo_conversations_generate(struct store *s, const struct demo_conv_hooks *hooks,
                                struct demo_conversations_summary *out, struct err_ctx *e)
{
    struct gen g = {.s = s, .hooks = hooks, .sum = out, .e = e};
    struct org *gem = NULL, *prov = NULL;
    int ngem = 0, nprov = 0, total = 0, rc;
    memset(out, 0, sizeof *out);
    out->arena = arena_new(0);
    g.a = arena_new(0);
    if (!g.a || !out->arena) {
        arena_free(g.a);
        return ERR_NOMEM;
    }
    g.admin = (struct actor){.user_id = DEMO_ACTOR_ID,
                             .org_kind = ORG_REGION,
                             .roles = ROLE_BEHEERDER,
                             .display_name = "demo"};

    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    if ((rc = org_list(g.a, s, &g.admin, &f, &gem, &ngem, &total)) || ngem == 0) {
        rc = err_set(e, rc ? rc : ERR_INVALID, NULL,
                     "demo conversations: cannot list the demo gemeenten");
        goto out;
    }
    f.kind = ORG_AANBIEDER;
    if ((rc = org_list(g.a, s, &g.admin, &f, &prov, &nprov, &total)))
        goto out;
    struct cast base = {.name_a = demo_providers[0].name,
                        .name_b = demo_providers[SECOND_PROVIDER].name};
    base.provider_a = org_named(prov, nprov, base.name_a);
    base.provider_b = org_named(prov, nprov, base.name_b);
    int64_t id_kwal = user_id_of(&g, "kwaliteit.aanbieder");
    int64_t id_prof = user_id_of(&g, "professional.aanbieder");
    if (!base.provider_a || !id_kwal || !id_prof) {
        rc = err_set(e, ERR_INVALID, NULL,
                     "demo conversations: the demo aanbieder or its users are missing");
        goto out;
    }
    if ((rc = auth_actor_for_user(g.a, s, id_kwal, &base.kwal_a)) ||
        (rc = auth_actor_for_user(g.a, s, id_prof, &base.prof_a)))
        goto out;
    if (base.provider_b &&
        ((rc = ensure_user(&g, "kwaliteit." SECOND_SLUG,
                           arena_printf(g.a, "Kwaliteitsmedewerker %s", base.name_b),
                           ROLE_KWALITEIT, base.provider_b, base.name_b, &base.kwal_b)) ||
         (rc = ensure_user(&g, "professional." SECOND_SLUG,
                           arena_printf(g.a, "Gezinscoach %s", base.name_b), ROLE_PROFESSIONAL,
                           base.provider_b, base.name_b, &base.prof_b))))
        goto out;

    for (int i = 0; i < ngem; i++) {
        struct cast k;
        rc = cast_for(&g, &gem[i], &base, &k);
        if (rc == ERR_NOT_FOUND) {
            rc = 0;
            continue;
        }
        if (rc)
            goto out;
        int64_t with[2], without = 0;
        int nwith = 0;
        if ((rc = results_of(&g, &gem[i], &k.beleid, with, &nwith, &without)))
            goto out;
        if (nwith == 0)
            continue; /* no theory, no indicators linked: nothing to talk about */
        /* Every other gemeente talks about both its results, the others about one. */
        if ((rc = held_and_followup(&g, &k, gem[i].name, with, i % 2 ? 1 : nwith, i)))
            goto out;
        if (strcmp(gem[i].name, VOORKANT_GEMEENTE) == 0 &&
            (rc = voorkant(&g, &k, gem[i].name, without ? without : with[0])))
            goto out;
    }
out:
    arena_free(g.a);
    return rc;
}

void demo_conversations_summary_free(struct demo_conversations_summary *sum)
{
    if (sum) {
        arena_free(sum->arena);
        sum->arena = NULL;
        sum->nlogins = 0;
    }
}
