/*
 * conversation.c: kwaliteitsgesprekken: codes and labels, validation of the plan, the status
 * rules (gepland -> voorbereid -> gehouden -> afgerond, or geannuleerd), preparation notes per
 * side, notes per phase with optimistic locking and the drift hint, conclusions, the approval
 * of the minutes per side (any later edit clears every approval), evaluations and their
 * statistics (only over CONV_STATS_MIN or more), and the policy-filtered lists. Access is
 * always decided by domain/policy.c; every change writes an audit event in its transaction.
 */
#include "domain/conversation.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/outcome_drift.h"
#include "domain/user.h"
#include "store/conversation_store.h"
#include "store/result_store.h"
#include "store/org_store.h"
#include "store/user_store.h"
#include <time.h>

#define DETAIL_MAX 160

struct code_label {
    const char *code;
    const char *label; /* msgid */
};

static const struct code_label kinds[] = {
    [CONV_VOORKANT] = {"voorkant", N_("Voorkantgesprek (resultaten en verandertheorie)")},
    [CONV_ACHTERKANT] = {"achterkant", N_("Achterkantgesprek (over de gegevens)")},
};
static const struct code_label statuses[] = {
    [CONV_GEPLAND] = {"gepland", N_("Gepland")},
    [CONV_VOORBEREID] = {"voorbereid", N_("Voorbereid")},
    [CONV_GEHOUDEN] = {"gehouden", N_("Gehouden")},
    [CONV_AFGEROND] = {"afgerond", N_("Afgerond")},
    [CONV_GEANNULEERD] = {"geannuleerd", N_("Geannuleerd")},
};
static const struct code_label side_table[] = {
    [SIDE_GEMEENTE] = {"gemeente", N_("Gemeente")},
    [SIDE_AANBIEDER] = {"aanbieder", N_("Aanbieder")},
    [SIDE_SAMENWERKINGSVERBAND] = {"samenwerkingsverband", N_("Samenwerkingsverband")},
};
static const struct code_label phases[] = {
    [PHASE_HERKENNEN] = {"herkennen", N_("Herkennen")},
    [PHASE_BEGRIJPEN] = {"begrijpen", N_("Begrijpen")},
    [PHASE_WAARDEREN] = {"waarderen", N_("Waarderen")},
    [PHASE_VERBETEREN] = {"verbeteren", N_("Verbeteren")},
};
static const struct code_label role_table[] = {
    [CROLE_GESPREKSLEIDER] = {"gespreksleider", N_("Gespreksleider")},
    [CROLE_NOTULIST] = {"notulist", N_("Notulist")},
    [CROLE_DEELNEMER] = {"deelnemer", N_("Deelnemer")},
    [CROLE_TOEHOORDER] = {"toehoorder", N_("Toehoorder")},
};

#define NITEMS(t) ((int)(sizeof(t) / sizeof((t)[0])))

static const char *code_of(const struct code_label *t, int n, int v, bool label)
{
    if (v < 0 || v >= n || !t[v].code)
        return "";
    return label ? _(t[v].label) : t[v].code;
}

static int parse_of(const struct code_label *t, int n, const char *code, int *out)
{
    for (int i = 0; code && i < n; i++)
        if (t[i].code && strcmp(t[i].code, code) == 0) {
            *out = i;
            return 0;
        }
    return ERR_INVALID;
}

#define CODE_FUNCS(prefix, type, table)                                                            \
    const char *prefix##_code(type v)                                                              \
    {                                                                                              \
        return code_of(table, NITEMS(table), (int)v, false);                                       \
    }                                                                                              \
    const char *prefix##_label(type v)                                                             \
    {                                                                                              \
        return code_of(table, NITEMS(table), (int)v, true);                                        \
    }                                                                                              \
    int prefix##_parse(const char *code, type *out)                                                \
    {                                                                                              \
        int v = 0;                                                                                 \
        if (parse_of(table, NITEMS(table), code, &v) != 0)                                         \
            return ERR_INVALID;                                                                    \
        *out = (type)v;                                                                            \
        return 0;                                                                                  \
    }

CODE_FUNCS(conv_kind, enum conv_kind, kinds)
CODE_FUNCS(conv_status, enum conv_status, statuses)
CODE_FUNCS(conv_side, enum conv_side, side_table)
CODE_FUNCS(conv_phase, enum conv_phase, phases)
CODE_FUNCS(conv_role, enum conv_role, role_table)

static const struct code_label goals[] = {
    [GOAL_JA] = {"ja", N_("Ja")},
    [GOAL_DEELS] = {"deels", N_("Deels")},
    [GOAL_NEE] = {"nee", N_("Nee")},
};
CODE_FUNCS(conv_goal, enum conv_goal, goals)

enum conv_side conv_side_for(enum org_kind k)
{
    switch (k) {
    case ORG_AANBIEDER:
        return SIDE_AANBIEDER;
    case ORG_REGION:
    case ORG_TOEGANG:
        return SIDE_SAMENWERKINGSVERBAND;
    case ORG_GEMEENTE:
    case ORG_TOEZICHTHOUDER:
        break;
    }
    return SIDE_GEMEENTE;
}

static const char *const q_herkennen[] = {
    N_("Herkennen we de cijfers, verhalen en resultaten in de praktijk?"),
    N_("Wat valt op? Wat zien we wel en wat niet terug?"),
    NULL,
};
static const char *const q_begrijpen[] = {
    N_("Kunnen we de uitkomsten verklaren?"),
    N_("Welke ontwikkelingen, verschuivingen in de doelgroep of in de context spelen mee?"),
    N_("Hadden we dit verwacht?"),
    N_("Zijn er groepen voor wie de resultaten anders uitvallen?"),
    NULL,
};
static const char *const q_waarderen[] = {
    N_("Wat vinden we van deze resultaten?"),
    N_("Waar zijn we trots op?"),
    N_("Waar zijn we nog niet tevreden over, en waarom?"),
    NULL,
};
static const char *const q_verbeteren[] = {
    N_("Wat betekent dit voor de toekomst?"),
    N_("Welke acties spreken we af?"),
    N_("Wat kan elke partner doen?"),
    NULL,
};

const char *const *conv_phase_questions(enum conv_phase p)
{
    static const char *const empty[] = {NULL};
    switch (p) {
    case PHASE_HERKENNEN:
        return q_herkennen;
    case PHASE_BEGRIJPEN:
        return q_begrijpen;
    case PHASE_WAARDEREN:
        return q_waarderen;
    case PHASE_VERBETEREN:
        return q_verbeteren;
    }
    return empty;
}

/* ---- Policy objects -------------------------------------------------------------------------- */

void conversation_object(const struct conversation *c, struct arena *a, struct object_ref *out)
{
    memset(out, 0, sizeof *out);
    out->kind = OBJ_CONVERSATION;
    out->id = c->id;
    out->owner_org_id = c->owner_org_id;
    out->owner_org_kind = c->owner_org_kind;
    out->share = SHARE_PARTIES;
    int64_t *parties =
        c->nparties > 0 ? arena_calloc(a, (size_t)c->nparties, sizeof *parties) : NULL;
    int64_t *users =
        c->nparticipants > 0 ? arena_calloc(a, (size_t)c->nparticipants, sizeof *users) : NULL;
    /* Without memory the object names no parties: the policy then refuses more, never less. */
    for (int k = 0; parties && k < c->nparties; k++)
        parties[out->nparties++] = c->parties[k].org_id;
    for (int k = 0; users && k < c->nparticipants; k++)
        users[out->nparticipants++] = c->participants[k].user_id;
    out->party_org_ids = parties;
    out->participant_user_ids = users;
}

static struct object_ref key_object(const struct conv_key *k)
{
    return (struct object_ref){.kind = OBJ_CONVERSATION,
                               .id = k->id,
                               .owner_org_id = k->owner_org_id,
                               .owner_org_kind = k->owner_kind,
                               .party_org_ids = k->parties,
                               .nparties = k->nparties,
                               .participant_user_ids = k->participants,
                               .nparticipants = k->nparticipants,
                               .share = SHARE_PARTIES};
}

static bool allowed(const struct actor *who, enum action act, const struct conversation *c)
{
    struct arena *a = arena_new(0);
    struct object_ref obj;
    conversation_object(c, a, &obj);
    bool ok = policy_allows(who, act, &obj);
    arena_free(a);
    return ok;
}

/* The policy object of a preparation note of org_id in conversation c. */
static void note_object(const struct conversation *c, struct arena *a, int64_t org_id, bool shared,
                        struct object_ref *out)
{
    conversation_object(c, a, out);
    out->kind = OBJ_PREP_NOTE;
    out->owner_org_id = org_id;
    out->share = shared ? SHARE_PARTIES : SHARE_OWNER;
}

const struct conv_party *conversation_own_party(const struct conversation *c,
                                                const struct actor *who)
{
    for (int k = 0; who && k < c->nparties; k++)
        if (c->parties[k].org_id == who->org_id)
            return &c->parties[k];
    return NULL;
}

int conversation_count_participants_of(const struct conversation *c, int64_t org_id)
{
    int n = 0;
    for (int k = 0; k < c->nparticipants; k++)
        n += c->participants[k].org_id == org_id;
    return n;
}

/* ---- Loading --------------------------------------------------------------------------------- */

int conversation_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct conversation *out)
{
    if (id <= 0)
        return ERR_NOT_FOUND;
    int ret = conversation_store_get(a, store_reader(s), id, out);
    if (ret)
        return ret;
    if (!allowed(who, ACT_VIEW, out))
        return ERR_NOT_FOUND; /* its existence is not revealed */
    return 0;
}

/* Loads inside a write transaction and checks act: ERR_NOT_FOUND when the actor may not even
 * view it, ERR_DENIED when it may view but not act. */
static int load_for(struct arena *a, struct db *db, const struct actor *who, int64_t id,
                    enum action act, struct conversation *out)
{
    int ret = id > 0 ? conversation_store_get(a, db, id, out) : ERR_NOT_FOUND;
    if (ret)
        return ret;
    if (!allowed(who, ACT_VIEW, out) && !(act == ACT_ARCHIVE && allowed(who, act, out)))
        return ERR_NOT_FOUND;
    return allowed(who, act, out) ? 0 : ERR_DENIED;
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft dit gesprek intussen gewijzigd. Laad de pagina "
                     "opnieuw; uw tekst staat hieronder nog."));
}

/* ---- Validation ------------------------------------------------------------------------------ */

static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* One line: trimmed copy in *out; required or not; at most max code points. */
static int check_line(struct arena *a, const char *in, size_t max, bool required, const char *field,
                      const char *what, const char **out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(in ? in : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || has_any_control(t.p, t.len))
        return err_set(e, ERR_INVALID, field, _("%s bevat ongeldige tekens."), what);
    if (utf8_count(t.p, t.len) > max)
        return err_set(e, ERR_INVALID, field, _("%s is te lang (maximaal %zu tekens)."), what, max);
    *out = arena_strndup(a, t.p, t.len);
    return *out ? 0 : ERR_NOMEM;
}

/* Multi-line text: kept as typed (newlines allowed), at most max code points. */
static int check_text(const char *in, size_t max, const char *field, const char *what,
                      struct err_ctx *e)
{
    const char *t = in ? in : "";
    size_t n = strlen(t);
    if (!utf8_valid(t, n, NULL) || utf8_has_controls(t, n))
        return err_set(e, ERR_INVALID, field, _("%s bevat ongeldige tekens."), what);
    if (utf8_count(t, n) > max)
        return err_set(e, ERR_INVALID, field, _("%s is te lang (maximaal %zu tekens)."), what, max);
    return 0;
}

static bool blank(const char *s)
{
    return str_trim(str_from(s ? s : "")).len == 0;
}

static bool cbs_digits(const char *p)
{
    for (int k = 0; k < 4; k++)
        if (p[k] < '0' || p[k] > '9')
            return false;
    return p[4] == '\0';
}

static int norm_gemeente(const char *in, char out[5], struct err_ctx *e)
{
    out[0] = '\0';
    if (!in || !*in)
        return 0;
    const char *p = in;
    if ((p[0] == 'G' || p[0] == 'g') && (p[1] == 'M' || p[1] == 'm'))
        p += 2;
    if (strlen(p) != 4 || !cbs_digits(p))
        return err_set(e, ERR_INVALID, "gemeente", "%s",
                       _("Kies een gemeente (CBS-code, bijvoorbeeld GM0114)."));
    memcpy(out, p, 5);
    return 0;
}

static bool valid_day(day_t d)
{
    return d >= CONV_DAY_MIN && d <= CONV_DAY_MAX;
}

/* The validated plan, ready for the store (arrays in a). */
struct checked_plan {
    const char *title, *goal, *place;
    char gemeente[5];
    struct conv_values v;
};

static int check_plan_fields(struct arena *a, const struct conv_input *in, struct checked_plan *c,
                             struct err_ctx *e)
{
    int ret;
    if (in->kind != CONV_VOORKANT && in->kind != CONV_ACHTERKANT)
        return err_set(e, ERR_INVALID, "kind", "%s", _("Kies het soort gesprek."));
    if ((ret = check_line(a, in->title, CONV_TITLE_MAX, true, "title", _("een titel"), &c->title,
                          e)) ||
        (ret = check_text(in->goal, CONV_GOAL_MAX, "goal", _("Het doel"), e)) ||
        (ret = check_line(a, in->place, CONV_PLACE_MAX, false, "place", _("De plaats"), &c->place,
                          e)))
        return ret;
    c->goal = in->goal ? in->goal : "";
    if (!valid_day(in->held_on))
        return err_set(e, ERR_INVALID, "held_on", "%s", _("Vul een geldige datum in."));
    if (!valid_day(in->period_from))
        return err_set(e, ERR_INVALID, "period_from", "%s",
                       _("Vul een geldig begin van de periode in."));
    if (!valid_day(in->period_to))
        return err_set(e, ERR_INVALID, "period_to", "%s",
                       _("Vul een geldig einde van de periode in."));
    if (in->period_to < in->period_from)
        return err_set(e, ERR_INVALID, "period_to", "%s",
                       _("Het einde van de periode mag niet voor het begin liggen."));
    if ((ret = norm_gemeente(in->gemeente, c->gemeente, e)))
        return ret;
    if (in->nresults < 0 || in->nresults > CONV_MAX_RESULTS || (in->nresults && !in->result_ids))
        return err_set(e, ERR_INVALID, "result_ids", _("Kies hoogstens %d resultaten."),
                       CONV_MAX_RESULTS);
    if (in->nresults == 0)
        return err_set(e, ERR_INVALID, "result_ids", "%s",
                       _("Kies minstens één maatschappelijk resultaat."));
    if (in->nparties < 0 || in->nparties > CONV_MAX_PARTIES - 1 || (in->nparties && !in->parties))
        return err_set(e, ERR_INVALID, "parties", _("Kies hoogstens %d partijen."),
                       CONV_MAX_PARTIES - 1);
    if (in->nparticipants < 0 || in->nparticipants > CONV_MAX_PARTICIPANTS ||
        (in->nparticipants && !in->participants))
        return err_set(e, ERR_INVALID, "participants", _("Nodig hoogstens %d deelnemers uit."),
                       CONV_MAX_PARTICIPANTS);
    return 0;
}

/* Results: exist, not archived, owned by the owner or by one of its regions. */
static int check_results(struct arena *a, struct db *db, const struct org *owner,
                         const struct conv_input *in, struct checked_plan *c, struct err_ctx *e)
{
    int64_t *ids = arena_calloc(a, (size_t)in->nresults, sizeof *ids);
    int n = 0;
    if (!ids)
        return ERR_NOMEM;
    for (int k = 0; k < in->nresults; k++) {
        bool dup = false;
        for (int j = 0; j < n && !dup; j++)
            dup = ids[j] == in->result_ids[k];
        if (dup)
            continue;
        struct result r;
        int ret = result_store_get(a, db, in->result_ids[k], &r);
        bool ok = false;
        if (ret == 0) {
            ok = !r.archived && r.owner_org_id == owner->id;
            for (int p = 0; p < owner->nparents && !ok; p++)
                ok = owner->parent_ids[p] == r.owner_org_id;
        } else if (ret == ERR_NOT_FOUND) {
            ret = 0;
        }
        if (ret)
            return ret;
        if (!ok)
            return err_set(e, ERR_INVALID, "result_ids", "%s",
                           _("Kies resultaten van de eigen gemeente of regio."));
        ids[n++] = in->result_ids[k];
    }
    c->v.result_ids = ids;
    c->v.nresults = n;
    return 0;
}

/* Parties: the owner (gemeente side) and the listed organisations; no toezichthouders. */
static int check_parties(struct arena *a, struct db *db, const struct org *owner,
                         const struct conv_input *in, struct checked_plan *c, struct err_ctx *e)
{
    int64_t *ids = arena_calloc(a, (size_t)in->nparties + 1, sizeof *ids);
    const char **sides = arena_calloc(a, (size_t)in->nparties + 1, sizeof *sides);
    if (!ids || !sides)
        return ERR_NOMEM;
    int n = 0, others = 0;
    ids[n] = owner->id;
    sides[n++] = conv_side_code(SIDE_GEMEENTE);
    for (int k = 0; k < in->nparties; k++) {
        const struct conv_party_input *p = &in->parties[k];
        bool dup = false;
        for (int j = 0; j < n && !dup; j++)
            dup = ids[j] == p->org_id;
        if (dup)
            continue;
        enum org_kind kind;
        bool archived = false;
        int ret = p->org_id > 0 ? org_store_kind(db, p->org_id, &kind, &archived) : ERR_NOT_FOUND;
        if (ret == ERR_NOT_FOUND || (!ret && (archived || kind == ORG_TOEZICHTHOUDER)))
            return err_set(e, ERR_INVALID, "parties", "%s",
                           _("Een gekozen partij bestaat niet of doet niet mee."));
        if (ret)
            return ret;
        enum conv_side side = p->side ? (enum conv_side)p->side : conv_side_for(kind);
        if (side < SIDE_GEMEENTE || side > SIDE_SAMENWERKINGSVERBAND ||
            (side == SIDE_AANBIEDER) != (kind == ORG_AANBIEDER))
            return err_set(e, ERR_INVALID, "parties", "%s",
                           _("Een aanbieder zit aan de kant van de aanbieders, een gemeente of "
                             "regio niet."));
        ids[n] = p->org_id;
        sides[n++] = conv_side_code(side);
        others++;
    }
    if (others == 0)
        return err_set(e, ERR_INVALID, "parties", "%s",
                       _("Kies minstens één aanbieder of andere partij."));
    c->v.party_org_ids = ids;
    c->v.party_sides = sides;
    c->v.nparties = n;
    return 0;
}

static int check_participants(struct arena *a, struct db *db, const struct conv_input *in,
                              struct checked_plan *c, struct err_ctx *e)
{
    int64_t *ids = arena_calloc(a, (size_t)in->nparticipants + 1, sizeof *ids);
    const char **roles = arena_calloc(a, (size_t)in->nparticipants + 1, sizeof *roles);
    if (!ids || !roles)
        return ERR_NOMEM;
    int n = 0;
    for (int k = 0; k < in->nparticipants; k++) {
        const struct conv_participant_input *p = &in->participants[k];
        if (p->role < CROLE_GESPREKSLEIDER || p->role > CROLE_TOEHOORDER)
            return err_set(e, ERR_INVALID, "participants", "%s",
                           _("Kies voor elke deelnemer een rol."));
        bool dup = false;
        for (int j = 0; j < n && !dup; j++)
            dup = ids[j] == p->user_id;
        if (dup)
            continue;
        struct user u;
        int ret = p->user_id > 0 ? user_store_get(a, db, p->user_id, &u) : ERR_NOT_FOUND;
        if (ret == ERR_NOT_FOUND || (!ret && !u.active))
            return err_set(e, ERR_INVALID, "participants", "%s",
                           _("Een gekozen deelnemer bestaat niet of is niet actief."));
        if (ret)
            return ret;
        ids[n] = p->user_id;
        roles[n++] = conv_role_code((enum conv_role)p->role);
    }
    c->v.participant_ids = ids;
    c->v.participant_roles = roles;
    c->v.nparticipants = n;
    return 0;
}

/* The previous conversation: visible to the actor, of the same owner, not this one. */
static int check_previous(struct arena *a, struct db *db, const struct actor *who, int64_t owner_id,
                          int64_t self_id, int64_t previous_id, struct err_ctx *e)
{
    if (previous_id == 0)
        return 0;
    struct conversation prev;
    int ret = previous_id > 0 && previous_id != self_id
                  ? conversation_store_get(a, db, previous_id, &prev)
                  : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND ||
        (!ret && (!allowed(who, ACT_VIEW, &prev) || prev.owner_org_id != owner_id)))
        return err_set(e, ERR_INVALID, "previous_id", "%s",
                       _("Het vorige gesprek bestaat niet of is van een andere organisatie."));
    return ret;
}

static int check_plan_db(struct arena *a, struct db *db, const struct actor *who,
                         const struct org *owner, int64_t self_id, const struct conv_input *in,
                         struct checked_plan *c, struct err_ctx *e)
{
    int ret;
    if ((ret = check_results(a, db, owner, in, c, e)) ||
        (ret = check_parties(a, db, owner, in, c, e)) ||
        (ret = check_participants(a, db, in, c, e)) ||
        (ret = check_previous(a, db, who, owner->id, self_id, in->previous_id, e)))
        return ret;
    /* Figures are about the gemeente chosen, or the owner's own when it is a gemeente. */
    if (!c->gemeente[0] && owner->kind == ORG_GEMEENTE && owner->cbs_code &&
        strlen(owner->cbs_code) == 6)
        memcpy(c->gemeente, owner->cbs_code + 2, 5);
    if (c->gemeente[0]) {
        char cbs[7];
        int64_t gid;
        snprintf(cbs, sizeof cbs, "GM%s", c->gemeente);
        ret = org_store_find_cbs(db, cbs, 0, &gid);
        if (ret == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "gemeente", "%s", _("Deze gemeente is onbekend."));
        if (ret)
            return ret;
    }
    c->v.owner_org_id = owner->id;
    c->v.kind_code = conv_kind_code((enum conv_kind)in->kind);
    c->v.title = c->title;
    c->v.goal = c->goal;
    c->v.place = c->place;
    c->v.gemeente = c->gemeente[0] ? c->gemeente : NULL;
    c->v.period_from = in->period_from;
    c->v.period_to = in->period_to;
    c->v.held_on = in->held_on;
    c->v.previous_id = in->previous_id;
    return 0;
}

/* ---- Plan ------------------------------------------------------------------------------------ */

int conversation_create(struct store *s, const struct actor *who, const struct conv_input *in,
                        int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org owner;
    struct checked_plan c;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret;

    memset(&c, 0, sizeof c);
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    ret = in->owner_org_id > 0 ? org_get_internal(a, s, in->owner_org_id, &owner) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND) {
        ret = err_set(e, ERR_INVALID, "owner_org_id", "%s", _("Deze organisatie bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    struct object_ref obj = {
        .kind = OBJ_CONVERSATION, .owner_org_id = owner.id, .owner_org_kind = owner.kind};
    if (owner.archived || (owner.kind != ORG_GEMEENTE && owner.kind != ORG_REGION) ||
        !policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_plan_fields(a, in, &c, e)))
        goto out;
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = check_plan_db(a, db, who, &owner, 0, in, &c, e)))
        goto out;
    audit_format_time(time(NULL), at);
    if ((ret = conversation_store_insert(db, &c.v, at, who->user_id, &id)))
        goto out;
    snprintf(detail, sizeof detail, "owner=%" PRId64 " kind=%s parties=%d participants=%d",
             owner.id, c.v.kind_code, c.v.nparties, c.v.nparticipants);
    ret = audit_write(db, who, "conversation.create", "conversation", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

static bool plan_editable(enum conv_status st)
{
    return st == CONV_GEPLAND || st == CONV_VOORBEREID;
}

int conversation_update(struct store *s, const struct actor *who, int64_t id,
                        const struct conv_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation cur;
    struct org owner;
    struct checked_plan c;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    memset(&c, 0, sizeof c);
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    /* Access first: someone who may not see it learns nothing from a validation error. */
    if ((ret = load_for(a, db, who, id, ACT_EDIT, &cur)) || (ret = check_plan_fields(a, in, &c, e)))
        goto out;
    if (in->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if (!plan_editable(cur.status)) {
        ret = err_set(e, ERR_INVALID, "status", "%s",
                      _("Dit gesprek is al gehouden of geannuleerd; de planning ligt vast."));
        goto out;
    }
    if ((ret = org_store_get(a, db, cur.owner_org_id, &owner)) ||
        (ret = check_plan_db(a, db, who, &owner, id, in, &c, e)))
        goto out;
    audit_format_time(time(NULL), at);
    ret = conversation_store_update(db, id, in->version, &c.v, at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    snprintf(detail, sizeof detail, "version=%" PRId64 " parties=%d participants=%d",
             cur.version + 1, c.v.nparties, c.v.nparticipants);
    ret = audit_write(db, who, "conversation.update", "conversation", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

/* A status change guarded by the allowed from-statuses. */
static int change_status(struct store *s, const struct actor *who, int64_t id, int64_t version,
                         enum action act, unsigned from_mask, enum conv_status to,
                         const char *refusal, const char *audit_action, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation cur;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    int ret = store_write_begin(s, &db);
    bool writing = ret == 0;
    if (ret || (ret = load_for(a, db, who, id, act, &cur)))
        goto out;
    if (version >= 0 && version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if (!(from_mask & (1u << cur.status))) {
        ret = err_set(e, ERR_INVALID, "status", "%s", refusal);
        goto out;
    }
    audit_format_time(time(NULL), at);
    ret = conversation_store_set_status(db, id, cur.version, conv_status_code(to), at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    snprintf(detail, sizeof detail, "from=%s to=%s", conv_status_code(cur.status),
             conv_status_code(to));
    if (!ret)
        ret = audit_write(db, who, audit_action, "conversation", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

#define BIT(s) (1u << (s))

int conversation_cancel(struct store *s, const struct actor *who, int64_t id, int64_t version,
                        struct err_ctx *e)
{
    return change_status(s, who, id, version, ACT_ARCHIVE, BIT(CONV_GEPLAND) | BIT(CONV_VOORBEREID),
                         CONV_GEANNULEERD,
                         _("Alleen een gesprek dat nog niet gehouden is, kan geannuleerd worden."),
                         "conversation.cancel", e);
}

int conversation_mark_held(struct store *s, const struct actor *who, int64_t id, int64_t version,
                           struct err_ctx *e)
{
    /* A voorkant conversation (and an achterkant one without a pack) goes straight from
     * gepland to gehouden: the pack helps, it is not a condition. */
    return change_status(s, who, id, version, ACT_EDIT, BIT(CONV_GEPLAND) | BIT(CONV_VOORBEREID),
                         CONV_GEHOUDEN, _("Dit gesprek is al gehouden of geannuleerd."),
                         "conversation.held", e);
}

int conversation_mark_prepared_tx(struct db *db, int64_t id)
{
    return conversation_store_mark_prepared(db, id);
}

/* ---- Preparation notes ----------------------------------------------------------------------- */

int conversation_prep_notes(struct arena *a, struct store *s, const struct actor *who,
                            int64_t conversation_id, struct conv_prep_note **out, int *n)
{
    struct conversation c;
    struct conv_prep_note *all = NULL;
    int nall = 0;
    *out = NULL;
    *n = 0;
    int ret = conversation_get(a, s, who, conversation_id, &c);
    if (ret ||
        (ret = conversation_store_prep_list(a, store_reader(s), conversation_id, &all, &nall)))
        return ret;
    struct conv_prep_note *vis = arena_calloc(a, (size_t)(nall ? nall : 1), sizeof *vis);
    if (!vis)
        return ERR_NOMEM;
    int got = 0;
    /* Own side first, then the other sides' shared notes. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < nall; k++) {
            bool mine = who->org_id != 0 && all[k].org_id == who->org_id;
            if (mine != (pass == 0))
                continue;
            struct object_ref obj;
            note_object(&c, a, all[k].org_id, all[k].shared_at != NULL, &obj);
            if (!policy_allows(who, ACT_VIEW, &obj))
                continue;
            vis[got] = all[k];
            vis[got].mine = mine && policy_allows(who, ACT_EDIT, &obj);
            got++;
        }
    *out = vis;
    *n = got;
    return 0;
}

static int check_prep_body(const char *body, struct err_ctx *e)
{
    if (blank(body))
        return err_set(e, ERR_INVALID, "body", "%s", _("Vul de notitie in."));
    return check_text(body, CONV_PREP_MAX, "body", _("De notitie"), e);
}

int conversation_prep_create(struct store *s, const struct actor *who, int64_t conversation_id,
                             const char *body, bool shared, int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    struct conv_prep_note *all = NULL;
    int nall = 0;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, conversation_id, ACT_VIEW, &c)))
        goto out;
    struct object_ref obj;
    note_object(&c, a, who->org_id, shared, &obj);
    if (who->org_id == 0 || !policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (c.status == CONV_GEANNULEERD) {
        ret = err_set(e, ERR_INVALID, "status", "%s", _("Dit gesprek is geannuleerd."));
        goto out;
    }
    if ((ret = check_prep_body(body, e)) ||
        (ret = conversation_store_prep_list(a, db, conversation_id, &all, &nall)))
        goto out;
    if (nall >= CONV_PREP_NOTES_MAX) {
        ret = err_set(e, ERR_INVALID, "body", _("Een gesprek heeft hoogstens %d notities."),
                      CONV_PREP_NOTES_MAX);
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = conversation_store_prep_insert(db, conversation_id, who->org_id, who->user_id, body,
                                              shared, at, &id)))
        goto out;
    snprintf(detail, sizeof detail, "conversation=%" PRId64 " shared=%d", conversation_id,
             shared ? 1 : 0);
    ret = audit_write(db, who, "conversation.prep_create", "prep_note", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

/* Loads the conversation and the note and checks that the actor's side may change it. */
static int load_note(struct arena *a, struct db *db, const struct actor *who,
                     int64_t conversation_id, int64_t note_id, struct conversation *c,
                     struct conv_prep_note *note)
{
    int ret = load_for(a, db, who, conversation_id, ACT_VIEW, c);
    if (ret)
        return ret;
    ret = note_id > 0 ? conversation_store_prep_get(a, db, note_id, note) : ERR_NOT_FOUND;
    if (ret)
        return ret;
    if (note->conversation_id != conversation_id)
        return ERR_NOT_FOUND;
    struct object_ref obj;
    note_object(c, a, note->org_id, note->shared_at != NULL, &obj);
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_NOT_FOUND;
    return policy_allows(who, ACT_EDIT, &obj) ? 0 : ERR_DENIED;
}

int conversation_prep_update(struct store *s, const struct actor *who, int64_t conversation_id,
                             int64_t note_id, const char *body, bool shared, int64_t version,
                             struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    struct conv_prep_note note;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = load_note(a, db, who, conversation_id, note_id, &c, &note)) ||
        (ret = check_prep_body(body, e)))
        goto out;
    if (version != note.version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft deze notitie intussen gewijzigd. Laad de pagina "
                        "opnieuw."));
        goto out;
    }
    if (note.shared_at && !shared && !plan_editable(c.status)) {
        ret = err_set(e, ERR_INVALID, "shared", "%s",
                      _("Een gedeelde notitie blijft gedeeld nadat het gesprek is gehouden."));
        goto out;
    }
    audit_format_time(time(NULL), at);
    ret = conversation_store_prep_update(db, note_id, version, body, shared, at);
    if (ret == ERR_CONFLICT)
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft deze notitie intussen gewijzigd."));
    if (ret)
        goto out;
    snprintf(detail, sizeof detail, "conversation=%" PRId64 " shared=%d", conversation_id,
             shared ? 1 : 0);
    ret = audit_write(db, who, "conversation.prep_update", "prep_note", note_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int conversation_prep_delete(struct store *s, const struct actor *who, int64_t conversation_id,
                             int64_t note_id, struct err_ctx *e)
{
    (void)e;
    struct arena *a = arena_new(0);
    struct conversation c;
    struct conv_prep_note note;
    char detail[DETAIL_MAX];
    struct db *db = NULL;
    int ret = store_write_begin(s, &db);
    bool writing = ret == 0;
    if (ret || (ret = load_note(a, db, who, conversation_id, note_id, &c, &note)) ||
        (ret = conversation_store_prep_delete(db, note_id)))
        goto out;
    snprintf(detail, sizeof detail, "conversation=%" PRId64, conversation_id);
    ret = audit_write(db, who, "conversation.prep_delete", "prep_note", note_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

/* ---- Phases ---------------------------------------------------------------------------------- */

int conversation_phases(struct arena *a, struct store *s, const struct actor *who,
                        int64_t conversation_id, struct conv_phase_notes out[CONV_PHASES])
{
    struct conversation c;
    int ret = conversation_get(a, s, who, conversation_id, &c);
    if (ret)
        return ret;
    return conversation_store_phases(a, store_reader(s), conversation_id, out);
}

int conversation_phase_save(struct arena *ra, struct store *s, const struct actor *who,
                            int64_t conversation_id, enum conv_phase phase, const char *notes,
                            int planned_minutes, int64_t version, const char **hint,
                            struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    struct conv_phase_notes cur[CONV_PHASES];
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;
    if (hint)
        *hint = NULL;
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, conversation_id, ACT_EDIT, &c)))
        goto out;
    if ((int)phase < 0 || phase >= CONV_PHASES) {
        ret = err_set(e, ERR_INVALID, "phase", "%s", _("Onbekende fase."));
        goto out;
    }
    if (planned_minutes < 0 || planned_minutes > CONV_MINUTES_MAX) {
        ret = err_set(e, ERR_INVALID, "planned_minutes", _("Plan voor een fase 0 tot %d minuten."),
                      CONV_MINUTES_MAX);
        goto out;
    }
    if ((ret = check_text(notes, CONV_NOTES_MAX, "notes", _("De aantekeningen"), e)))
        goto out;
    if (c.status == CONV_GEANNULEERD) {
        ret = err_set(e, ERR_INVALID, "status", "%s", _("Dit gesprek is geannuleerd."));
        goto out;
    }
    if ((ret = conversation_store_phases(a, db, conversation_id, cur)))
        goto out;
    if (version != cur[phase].version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft de aantekeningen van deze fase intussen opgeslagen. "
                        "Uw tekst staat hieronder nog; voeg hem samen met de nieuwe versie."));
        goto out;
    }
    audit_format_time(time(NULL), at);
    ret = conversation_store_phase_save(db, conversation_id, conv_phase_code(phase),
                                        notes ? notes : "", planned_minutes, version, at,
                                        who->user_id);
    if (ret == ERR_CONFLICT)
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft de aantekeningen van deze fase intussen opgeslagen."));
    /* The minutes changed: every side must approve them again. */
    if (ret || (ret = conversation_store_clear_approvals(db, conversation_id)))
        goto out;
    snprintf(detail, sizeof detail, "phase=%s version=%" PRId64 " minutes=%d",
             conv_phase_code(phase), version + 1, planned_minutes);
    ret = audit_write(db, who, "conversation.phase_save", "conversation", conversation_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && hint) {
        const char *h = outcome_drift_check(notes, NULL);
        *hint = h && ra ? arena_strdup(ra, h) : h;
    }
    arena_free(a);
    return ret;
}

/* ---- Conclude and approve -------------------------------------------------------------------- */

int conversation_conclude(struct store *s, const struct actor *who, int64_t id, const char *summary,
                          const char *conclusions, int64_t version, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, id, ACT_EDIT, &c)))
        goto out;
    if (blank(summary)) {
        ret = err_set(e, ERR_INVALID, "summary", "%s", _("Vul een samenvatting in."));
        goto out;
    }
    if ((ret = check_text(summary, CONV_TEXT_MAX, "summary", _("De samenvatting"), e)) ||
        (ret = check_text(conclusions, CONV_TEXT_MAX, "conclusions", _("De conclusies"), e)))
        goto out;
    if (version != c.version) {
        ret = conflict(e);
        goto out;
    }
    if (c.status != CONV_GEHOUDEN && c.status != CONV_AFGEROND) {
        ret =
            err_set(e, ERR_INVALID, "status", "%s",
                    c.status == CONV_GEANNULEERD ? _("Dit gesprek is geannuleerd.")
                                                 : _("Rond het gesprek af nadat het gehouden is."));
        goto out;
    }
    bool changed = strcmp(c.summary ? c.summary : "", summary) != 0 ||
                   strcmp(c.conclusions ? c.conclusions : "", conclusions ? conclusions : "") != 0;
    audit_format_time(time(NULL), at);
    ret = conversation_store_conclude(db, id, version, summary, conclusions ? conclusions : "",
                                      conv_status_code(CONV_AFGEROND), at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret || (changed && (ret = conversation_store_clear_approvals(db, id))))
        goto out;
    snprintf(detail, sizeof detail, "from=%s changed=%d", conv_status_code(c.status),
             changed ? 1 : 0);
    ret = audit_write(db, who, "conversation.conclude", "conversation", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

static int set_approval(struct store *s, const struct actor *who, int64_t id, bool approve,
                        struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    int ret = store_write_begin(s, &db);
    bool writing = ret == 0;
    if (ret || (ret = load_for(a, db, who, id, ACT_APPROVE, &c)))
        goto out;
    if (c.status != CONV_AFGEROND) {
        ret = err_set(e, ERR_INVALID, "status", "%s",
                      _("Het verslag kan pas worden goedgekeurd als het gesprek is afgerond."));
        goto out;
    }
    if (!conversation_own_party(&c, who)) {
        ret = ERR_DENIED;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret =
             conversation_store_set_approval(db, id, who->org_id, approve ? who->user_id : 0, at)))
        goto out;
    snprintf(detail, sizeof detail, "org=%" PRId64, who->org_id);
    ret = audit_write(db, who, approve ? "conversation.approve" : "conversation.unapprove",
                      "conversation", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int conversation_approve(struct store *s, const struct actor *who, int64_t id, struct err_ctx *e)
{
    return set_approval(s, who, id, true, e);
}

int conversation_unapprove(struct store *s, const struct actor *who, int64_t id, struct err_ctx *e)
{
    return set_approval(s, who, id, false, e);
}

/* ---- Evaluate -------------------------------------------------------------------------------- */

int conversation_evaluation_get(struct arena *a, struct store *s, const struct actor *who,
                                int64_t conversation_id, struct conv_evaluation *out)
{
    struct conversation c;
    int ret = conversation_get(a, s, who, conversation_id, &c);
    if (ret)
        return ret;
    return conversation_store_eval_get(a, store_reader(s), conversation_id, who->user_id, out);
}

int conversation_evaluate(struct store *s, const struct actor *who, int64_t conversation_id,
                          int rating, const char *goal_reached, const char *went_well,
                          const char *tips, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct conversation c;
    struct conv_evaluation ev = {0};
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, conversation_id, ACT_EDIT, &c)))
        goto out;
    if (rating < 1 || rating > 5) {
        ret = err_set(e, ERR_INVALID, "rating", "%s", _("Kies een cijfer van 1 tot 5."));
        goto out;
    }
    if (conv_goal_parse(goal_reached, &ev.goal_reached)) {
        ret = err_set(e, ERR_INVALID, "goal_reached", "%s",
                      _("Kies of het doel van het gesprek bereikt is."));
        goto out;
    }
    if ((ret = check_text(went_well, CONV_EVAL_TEXT_MAX, "went_well", _("Wat goed ging"), e)) ||
        (ret = check_text(tips, CONV_EVAL_TEXT_MAX, "tips", _("De tips"), e)))
        goto out;
    if (c.status != CONV_GEHOUDEN && c.status != CONV_AFGEROND) {
        ret = err_set(e, ERR_INVALID, "status", "%s",
                      _("Een gesprek kan pas geëvalueerd worden als het gehouden is."));
        goto out;
    }
    audit_format_time(time(NULL), at);
    ev.conversation_id = conversation_id;
    ev.user_id = who->user_id;
    ev.org_id = who->org_id;
    ev.rating = rating;
    ev.went_well = went_well;
    ev.tips = tips;
    ev.at = at;
    if ((ret = conversation_store_eval_put(db, &ev)))
        goto out;
    snprintf(detail, sizeof detail, "rating=%d goal=%s", rating, conv_goal_code(ev.goal_reached));
    ret = audit_write(db, who, "conversation.evaluate", "conversation", conversation_id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

static void stats_add(struct conv_eval_stats *st, int rating, enum conv_goal g)
{
    st->nevaluations++;
    st->avg_rating += rating; /* a sum until stats_close */
    st->goal_ja += g == GOAL_JA;
    st->goal_deels += g == GOAL_DEELS;
    st->goal_nee += g == GOAL_NEE;
}

/* Turns sums into averages, or hides everything below the threshold (policy rule 15). */
static void stats_close(struct conv_eval_stats *st)
{
    st->shown = st->nevaluations >= CONV_STATS_MIN;
    if (st->shown) {
        st->avg_rating /= st->nevaluations;
    } else {
        st->avg_rating = 0;
        st->goal_ja = st->goal_deels = st->goal_nee = 0;
        st->tips = NULL;
        st->ntips = 0;
    }
}

int conversation_evaluation_summary(struct arena *a, struct store *s, const struct actor *who,
                                    int64_t conversation_id, struct conv_eval_stats *out)
{
    struct conversation c;
    struct conv_evaluation *evs = NULL;
    int n = 0;
    memset(out, 0, sizeof *out);
    int ret = conversation_get(a, s, who, conversation_id, &c);
    if (ret || (ret = conversation_store_eval_list(a, store_reader(s), conversation_id, &evs, &n)))
        return ret;
    out->tips = n ? arena_calloc(a, (size_t)n, sizeof *out->tips) : NULL;
    for (int k = 0; k < n; k++) {
        stats_add(out, evs[k].rating, evs[k].goal_reached);
        if (out->tips && !blank(evs[k].tips))
            out->tips[out->ntips++] = evs[k].tips;
    }
    out->nconversations = n > 0;
    stats_close(out);
    return 0;
}

int conversation_stats(struct arena *a, struct store *s, const struct actor *who, int64_t org_id,
                       struct conv_stats_row **out, int *n, struct conv_eval_stats *total)
{
    struct org org;
    struct conv_eval_row *rows = NULL;
    int nrows = 0;
    *out = NULL;
    *n = 0;
    memset(total, 0, sizeof *total);
    int ret = org_id > 0 ? org_get_internal(a, s, org_id, &org) : ERR_NOT_FOUND;
    if (ret)
        return ret;
    struct object_ref obj = {.kind = OBJ_CONVERSATION_STATS,
                             .owner_org_id = org.id,
                             .owner_org_kind = org.kind,
                             .owner_region_ids = org.parent_ids,
                             .owner_nregions = org.kind == ORG_GEMEENTE ? org.nparents : 0};
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    if ((ret = conversation_store_eval_over(a, store_reader(s), org.id, 100000, &rows, &nrows)))
        return ret;
    struct conv_stats_row *q = arena_calloc(a, CONV_STATS_QUARTERS, sizeof *q);
    if (!q)
        return ERR_NOMEM;
    int nq = 0;
    int64_t last_conv = 0, last_conv_q = 0;
    for (int k = 0; k < nrows; k++) {
        char code[PERIOD_CODE_MAX];
        period_code(period_of(rows[k].held_on, PERIOD_QUARTER), code);
        if (rows[k].conversation_id != last_conv) {
            total->nconversations++;
            last_conv = rows[k].conversation_id;
        }
        stats_add(total, rows[k].rating, rows[k].goal);
        /* rows come newest first: a new quarter is the next row of the table */
        if (nq == 0 || strcmp(q[nq - 1].quarter, code) != 0) {
            if (nq == CONV_STATS_QUARTERS)
                continue;
            snprintf(q[nq].quarter, sizeof q[nq].quarter, "%s", code);
            nq++;
            last_conv_q = 0;
        }
        struct conv_eval_stats *st = &q[nq - 1].stats;
        if (rows[k].conversation_id != last_conv_q) {
            st->nconversations++;
            last_conv_q = rows[k].conversation_id;
        }
        stats_add(st, rows[k].rating, rows[k].goal);
    }
    for (int k = 0; k < nq; k++)
        stats_close(&q[k].stats);
    stats_close(total);
    *out = q;
    *n = nq;
    return 0;
}

/* ---- Lists ----------------------------------------------------------------------------------- */

int conversation_list(struct arena *a, struct store *s, const struct actor *who,
                      const struct conv_filter *f, struct conversation **out, int *n, int *total)
{
    static const struct conv_filter none = {0};
    struct conv_key *keys = NULL;
    int nkeys = 0;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!f)
        f = &none;
    int limit = f->limit > 0 ? f->limit : CONV_LIST_DEFAULT;
    if (limit > CONV_LIST_MAX || f->offset < 0)
        return ERR_INVALID;
    if (!who || who->user_id == 0)
        return 0;
    struct conv_query q = {
        .status_code = f->status ? conv_status_code((enum conv_status)f->status) : NULL,
        .owner_org_id = f->owner_org_id,
        .party_org_id = f->party_org_id,
        .result_id = f->result_id,
        .has_period = f->has_period,
        .from = f->from,
        .to = f->to,
        .member_org = who->org_id,
        .member_user = who->user_id,
    };
    if (f->status && !*q.status_code)
        return ERR_INVALID;
    struct db *db = store_reader(s);
    int ret = conversation_store_scan(a, db, &q, CONV_SCAN_MAX, &keys, &nkeys);
    if (ret)
        return ret;
    struct conversation *rows = arena_calloc(a, (size_t)limit, sizeof *rows);
    if (!rows)
        return ERR_NOMEM;
    int got = 0, seen = 0;
    for (int k = 0; k < nkeys; k++) {
        struct object_ref obj = key_object(&keys[k]);
        if (!policy_allows(who, ACT_VIEW, &obj))
            continue;
        if (seen++ < f->offset || got >= limit)
            continue;
        if ((ret = conversation_store_get(a, db, keys[k].id, &rows[got])))
            return ret;
        got++;
    }
    *out = rows;
    *n = got;
    *total = seen;
    return 0;
}

int conversation_candidates(struct arena *a, struct store *s, const struct actor *who,
                            int64_t conversation_id, const int64_t *org_ids, int norgs,
                            struct conv_participant **out, int *n)
{
    struct conversation c;
    *out = NULL;
    *n = 0;
    if (norgs < 0 || norgs > CONV_CANDIDATES_MAX || (norgs && !org_ids))
        return ERR_INVALID;
    if (conversation_id > 0) {
        int ret = conversation_get(a, s, who, conversation_id, &c);
        if (ret)
            return ret;
        if (!allowed(who, ACT_EDIT, &c))
            return ERR_DENIED;
    } else {
        memset(&c, 0, sizeof c);
        struct object_ref obj = {.kind = OBJ_CONVERSATION,
                                 .owner_org_id = who ? who->org_id : 0,
                                 .owner_org_kind = who ? who->org_kind : ORG_GEMEENTE};
        if (!who || !policy_allows(who, ACT_CREATE, &obj))
            return ERR_DENIED;
    }
    struct buf b;
    buf_init(&b, (size_t)(norgs + c.nparties + 1) * 24 + 8);
    buf_append_char(&b, '[');
    for (int k = 0; k < norgs; k++)
        buf_appendf(&b, "%s%" PRId64, k ? "," : "", org_ids[k]);
    for (int k = 0; k < c.nparties; k++)
        buf_appendf(&b, "%s%" PRId64, (k || norgs) ? "," : "", c.parties[k].org_id);
    int ret = buf_append_char(&b, ']');
    if (!ret)
        ret = conversation_store_candidates(a, store_reader(s), buf_cstr(&b), CONV_CANDIDATES_MAX,
                                            out, n);
    buf_release(&b);
    return ret;
}
