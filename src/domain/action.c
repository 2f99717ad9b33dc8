/*
 * action.c: improvement actions: statuses and their lifecycle, validation against the
 * conversation they belong to (owner party, owner person, linked indicators), optimistic
 * locking, the history written with every change, audit in the same transaction, and the
 * policy-filtered list. Who may see or change an action is asked of the policy (OBJ_ACTION with
 * the conversation's parties and participants); nothing is decided here.
 */
#include "domain/action.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "store/action_store.h"
#include <time.h>

#define DETAIL_MAX     160
#define CONV_CACHE_MAX 256 /* conversations remembered per list for the policy check */

/* ---- Statuses -------------------------------------------------------------------------------- */

struct code_label {
    const char *code;
    const char *label; /* msgid */
};

static const struct code_label statuses[] = {
    [ACTION_OPEN] = {"open", N_("Open")},
    [ACTION_BEZIG] = {"bezig", N_("Bezig")},
    [ACTION_KLAAR] = {"klaar", N_("Klaar")},
    [ACTION_VERVALLEN] = {"vervallen", N_("Vervallen")},
};

static bool status_ok(int s)
{
    return s >= ACTION_STATUS_MIN && s <= ACTION_STATUS_MAX;
}

const char *action_status_code(enum action_status s)
{
    return status_ok((int)s) ? statuses[s].code : "";
}

const char *action_status_label(enum action_status s)
{
    return status_ok((int)s) ? _(statuses[s].label) : "";
}

int action_status_parse(const char *code, enum action_status *out)
{
    for (int k = ACTION_STATUS_MIN; code && k <= ACTION_STATUS_MAX; k++)
        if (strcmp(statuses[k].code, code) == 0) {
            *out = (enum action_status)k;
            return 0;
        }
    return ERR_INVALID;
}

bool action_transition_allowed(enum action_status from, enum action_status to)
{
    if (!status_ok((int)from) || !status_ok((int)to) || from == to)
        return false;
    switch (from) {
    case ACTION_OPEN:
    case ACTION_BEZIG:
        return true; /* to any other status */
    case ACTION_KLAAR:
        return to == ACTION_BEZIG; /* reopened: it turned out not to be done */
    case ACTION_VERVALLEN:
        return to == ACTION_OPEN; /* taken up again */
    }
    return false;
}

bool action_is_overdue(const struct improvement_action *a, day_t today)
{
    return (a->status == ACTION_OPEN || a->status == ACTION_BEZIG) && a->due_on < today;
}

day_t action_today(void)
{
    return day_today();
}

static const char *side_code(enum conv_side s)
{
    switch (s) {
    case SIDE_GEMEENTE:
        return "gemeente";
    case SIDE_AANBIEDER:
        return "aanbieder";
    case SIDE_SAMENWERKINGSVERBAND:
        return "samenwerkingsverband";
    }
    return "";
}

/* ---- Policy ---------------------------------------------------------------------------------- */

void action_object(const struct improvement_action *act, const struct conversation *c,
                   struct arena *a, struct object_ref *out)
{
    if (!c) {
        *out = (struct object_ref){.kind = OBJ_ACTION,
                                   .id = act ? act->id : 0,
                                   .owner_org_id = act ? act->owner_org_id : 0};
        return;
    }
    conversation_object(c, a, out);
    /* The parties are built here too so that the conversation's owner is always among them:
     * once the action's owner takes the owner slot, the planner must still count as a party. */
    int64_t *parties = arena_calloc(a, (size_t)c->nparties + 1, sizeof *parties);
    int np = 0;
    if (parties) {
        parties[np++] = c->owner_org_id;
        for (int k = 0; k < c->nparties; k++)
            if (c->parties[k].org_id != c->owner_org_id)
                parties[np++] = c->parties[k].org_id;
        out->party_org_ids = parties;
        out->nparties = np;
    }
    out->kind = OBJ_ACTION;
    out->id = act ? act->id : 0;
    out->share = SHARE_PARTIES;
    if (act) {
        out->owner_org_id = act->owner_org_id;
        for (int k = 0; k < c->nparties; k++)
            if (c->parties[k].org_id == act->owner_org_id)
                out->owner_org_kind = c->parties[k].org_kind;
    }
}

/* The conversation of an action as the actor sees it: NULL when it is gone or not visible to
 * the actor (then only the owner party's rights apply, which is what the policy gives a
 * non-member anyway). */
static int load_conv(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct conversation **out)
{
    *out = NULL;
    if (id <= 0)
        return 0;
    struct conversation *c = arena_calloc(a, 1, sizeof *c);
    if (!c)
        return ERR_NOMEM;
    int ret = conversation_get(a, s, who, id, c);
    if (ret == ERR_NOT_FOUND || ret == ERR_DENIED)
        return 0;
    if (ret)
        return ret;
    *out = c;
    return 0;
}

/* ---- Validation ------------------------------------------------------------------------------ */

/* Multi-line text: valid UTF-8 without controls, at most max code points; required: not blank. */
static int check_text(struct arena *a, const char *in, bool required, const char *field,
                      const char *what, const char **out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(in ? in : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || utf8_has_controls(t.p, t.len))
        return err_set(e, ERR_INVALID, field, _("Er staan ongeldige tekens in %s."), what);
    if (utf8_count(t.p, t.len) > ACTION_TEXT_MAX)
        return err_set(e, ERR_INVALID, field, _("Maak %s korter (maximaal %d tekens)."), what,
                       ACTION_TEXT_MAX);
    *out = arena_strndup(a, t.p, t.len);
    return *out ? 0 : ERR_NOMEM;
}

/* Validated, normalised values (strings in a). */
struct checked {
    const char *description, *effect;
    enum conv_side side;
    int64_t *indicator_ids;
    int nindicators;
};

static const struct conv_party *party_of(const struct conversation *c, int64_t org_id)
{
    for (int k = 0; c && k < c->nparties; k++)
        if (c->parties[k].org_id == org_id)
            return &c->parties[k];
    return NULL;
}

static int check_fields(struct arena *a, struct store *s, const struct conversation *c,
                        const struct improvement_action *cur, const struct action_input *in,
                        struct checked *out, struct err_ctx *e)
{
    int ret;
    memset(out, 0, sizeof *out);
    if ((ret = check_text(a, in->description, true, "description", _("de beschrijving"),
                          &out->description, e)) ||
        (ret = check_text(a, in->expected_effect, false, "expected_effect",
                          _("het verwachte effect"), &out->effect, e)))
        return ret;
    if (in->due_on < ACTION_DAY_MIN || in->due_on > ACTION_DAY_MAX)
        return err_set(e, ERR_INVALID, "due_on", "%s", _("Vul een geldige datum in."));
    /* The owner is one of the conversation's parties (an action without a conversation keeps
     * its owner). */
    if (c) {
        const struct conv_party *p = party_of(c, in->owner_org_id);
        if (!p)
            return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                           _("Kies als eigenaar een van de partijen van het gesprek."));
        out->side = p->side;
    } else if (cur && in->owner_org_id == cur->owner_org_id) {
        out->side = cur->owner_side;
    } else {
        return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                       _("De eigenaar kan niet meer wijzigen: het gesprek bestaat niet meer."));
    }
    if (in->nindicators < 0 || in->nindicators > ACTION_MAX_INDICATORS ||
        (in->nindicators > 0 && !in->indicator_ids))
        return err_set(e, ERR_INVALID, "indicator_ids", _("Koppel hoogstens %d indicatoren."),
                       ACTION_MAX_INDICATORS);
    out->indicator_ids = arena_calloc(a, (size_t)in->nindicators + 1, sizeof(int64_t));
    if (!out->indicator_ids)
        return ERR_NOMEM;
    struct action_indicator *choices = NULL;
    int nchoices = 0;
    if (c) {
        struct db *db = store_reader(s);
        if (!db)
            return ERR_DB;
        if ((ret = action_store_indicator_choices(a, db, c->id, &choices, &nchoices)))
            return ret;
    } else if (cur) {
        choices = cur->indicators;
        nchoices = cur->nindicators;
    }
    for (int k = 0; k < in->nindicators; k++) {
        int64_t id = in->indicator_ids[k];
        bool known = false, dup = false;
        for (int j = 0; j < nchoices && !known; j++)
            known = choices[j].indicator_id == id;
        if (!known)
            return err_set(e, ERR_INVALID, "indicator_ids",
                           _("Indicator %" PRId64 " hoort niet bij de resultaten van dit gesprek."),
                           id);
        for (int j = 0; j < out->nindicators && !dup; j++)
            dup = out->indicator_ids[j] == id;
        if (!dup)
            out->indicator_ids[out->nindicators++] = id;
    }
    return 0;
}

/* The owner person must be a user of the owner party or invited to the conversation. */
static int check_owner_user(struct db *db, const struct action_input *in, int64_t conv_id,
                            struct err_ctx *e)
{
    if (in->owner_user_id == 0)
        return 0;
    bool fits = false;
    int ret = in->owner_user_id > 0
                  ? action_store_user_fits(db, in->owner_user_id, in->owner_org_id, conv_id, &fits)
                  : 0;
    if (ret)
        return ret;
    if (!fits)
        return err_set(e, ERR_INVALID, "owner_user_id", "%s",
                       _("Kies als eigenaar iemand van de eigenaar-organisatie of een deelnemer "
                         "aan het gesprek."));
    return 0;
}

/* The gemeente an action is about, for the overviews: the conversation's, else its owner's. */
static const char *gemeente_of(struct arena *a, struct store *s, const struct conversation *c)
{
    if (c->gemeente && *c->gemeente)
        return c->gemeente;
    struct org o;
    if (org_get_internal(a, s, c->owner_org_id, &o) == 0 && o.cbs_code && strlen(o.cbs_code) == 6)
        return o.cbs_code + 2;
    return NULL;
}

static void fill_values(struct action_values *v, const struct action_input *in,
                        const struct checked *c)
{
    *v = (struct action_values){
        .owner_org_id = in->owner_org_id,
        .owner_side_code = side_code(c->side),
        .owner_user_id = in->owner_user_id,
        .description = c->description,
        .expected_effect = c->effect,
        .due_on = in->due_on,
        .indicator_ids = c->indicator_ids,
        .nindicators = c->nindicators,
        .baselines = in->baselines,
        .nbaselines = in->baselines ? in->nbaselines : 0,
    };
}

static const char *login_of(const struct actor *who)
{
    /* Accounts are named by their login in SQL; actors without one (the CLI) by name. */
    return who && who->user_id < 0 ? who->display_name : NULL;
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft deze actie intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

static int not_found(struct err_ctx *e)
{
    return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Deze actie bestaat niet."));
}

/* ---- Operations ------------------------------------------------------------------------------ */

int action_create(struct store *s, const struct actor *who, const struct action_input *in,
                  int64_t *id_out, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    struct arena *a = arena_new(0);
    struct conversation *c = NULL;
    struct checked chk;
    struct action_values v;
    struct object_ref obj;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret = 0;

    if (!a)
        return ERR_NOMEM;
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    if ((ret = load_conv(a, s, who, in->conversation_id, &c)))
        goto out;
    if (!c) {
        ret = err_set(e, ERR_NOT_FOUND, "conversation_id", "%s", _("Dit gesprek bestaat niet."));
        goto out;
    }
    struct improvement_action draft = {.owner_org_id = in->owner_org_id};
    action_object(&draft, c, a, &obj);
    /* Who may add an action is asked for the party it would belong to; a party that is not in
     * the conversation is refused below as a field error. */
    if (!party_of(c, in->owner_org_id)) {
        struct object_ref any = obj;
        any.owner_org_id = c->owner_org_id;
        if (!policy_allows(who, ACT_CREATE, &any)) {
            ret = ERR_DENIED;
            goto out;
        }
    } else if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (c->status == CONV_GEANNULEERD) {
        ret = err_set(e, ERR_INVALID, "conversation_id", "%s",
                      _("Dit gesprek is geannuleerd; er kunnen geen acties meer bij."));
        goto out;
    }
    if ((ret = check_fields(a, s, c, NULL, in, &chk, e)))
        goto out;
    fill_values(&v, in, &chk);
    v.conversation_id = c->id;
    v.gemeente = gemeente_of(a, s, c);
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "conversation=%" PRId64 " owner=%" PRId64 " indicators=%d",
             c->id, in->owner_org_id, chk.nindicators);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    struct action_change ch = {.now = at, .user_id = who->user_id, .user_login = login_of(who)};
    if ((ret = check_owner_user(db, in, c->id, e)) || (ret = action_store_insert(db, &v, &ch, &id)))
        goto out;
    ret = audit_write(db, who, "action.create", "improvement_action", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

int action_update(struct store *s, const struct actor *who, int64_t id,
                  const struct action_input *in, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    struct arena *a = arena_new(0);
    struct improvement_action cur;
    struct conversation *c = NULL;
    struct checked chk;
    struct action_values v;
    struct object_ref obj, next;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if (!a)
        return ERR_NOMEM;
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    /* Read inside the transaction: the version compared is the version overwritten. */
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = action_store_get(a, db, id, false, &cur)) ||
        (ret = load_conv(a, s, who, cur.conversation_id, &c)))
        goto out;
    action_object(&cur, c, a, &obj);
    if (!policy_allows(who, ACT_VIEW, &obj)) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if ((ret = check_fields(a, s, c, &cur, in, &chk, e)))
        goto out;
    /* Handing an action to another party needs the right to edit it there too. */
    struct improvement_action moved = cur;
    moved.owner_org_id = in->owner_org_id;
    action_object(&moved, c, a, &next);
    if (!policy_allows(who, ACT_EDIT, &next)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_owner_user(db, in, cur.conversation_id, e)))
        goto out;
    fill_values(&v, in, &chk);
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "version=%" PRId64 " owner=%" PRId64 " indicators=%d",
             cur.version + 1, in->owner_org_id, chk.nindicators);
    struct action_change ch = {.now = at,
                               .user_id = who->user_id,
                               .user_login = login_of(who),
                               .note = _("Actie bewerkt")};
    ret = action_store_update(db, id, in->version, &v, &ch);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, who, "action.update", "improvement_action", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND && e && !e->msg[0])
        not_found(e);
    arena_free(a);
    return ret;
}

int action_set_status(struct store *s, const struct actor *who, int64_t id, int64_t version,
                      enum action_status to, const char *note, struct arena *ra, struct err_ctx *e)
{
    (void)ra;
    struct arena *a = arena_new(0);
    struct improvement_action cur;
    struct conversation *c = NULL;
    struct object_ref obj;
    const char *text = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if (!a)
        return ERR_NOMEM;
    if (!status_ok((int)to)) {
        ret = err_set(e, ERR_INVALID, "status", "%s", _("Kies een geldige status."));
        goto out;
    }
    if ((ret = check_text(a, note, to == ACTION_VERVALLEN, "reason",
                          to == ACTION_VERVALLEN ? _("de reden waarom de actie vervalt")
                                                 : _("de toelichting"),
                          &text, e)))
        goto out;
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = action_store_get(a, db, id, false, &cur)) ||
        (ret = load_conv(a, s, who, cur.conversation_id, &c)))
        goto out;
    action_object(&cur, c, a, &obj);
    if (!policy_allows(who, ACT_VIEW, &obj)) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if (!action_transition_allowed(cur.status, to)) {
        ret = err_set(e, ERR_INVALID, "status", _("Een actie met status %s kan niet naar %s."),
                      action_status_label(cur.status), action_status_label(to));
        goto out;
    }
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "%s->%s", action_status_code(cur.status),
             action_status_code(to));
    struct action_change ch = {
        .now = at, .user_id = who->user_id, .user_login = login_of(who), .note = text};
    ret = action_store_set_status(db, id, version, action_status_code(cur.status),
                                  action_status_code(to), to == ACTION_VERVALLEN ? text : "", &ch);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, who, "action.status", "improvement_action", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND && e && !e->msg[0])
        not_found(e);
    arena_free(a);
    return ret;
}

int action_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct improvement_action *out)
{
    struct improvement_action act;
    struct conversation *c = NULL;
    struct object_ref obj;
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    int ret = action_store_get(a, db, id, true, &act);
    if (ret)
        return ret;
    if ((ret = load_conv(a, s, who, act.conversation_id, &c)))
        return ret;
    action_object(&act, c, a, &obj);
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_NOT_FOUND;
    act.overdue = action_is_overdue(&act, action_today());
    *out = act;
    return 0;
}

int action_indicator_choices(struct arena *a, struct store *s, const struct actor *who,
                             int64_t conv_id, struct action_indicator **out, int *n)
{
    struct conversation *c = NULL;
    *out = NULL;
    *n = 0;
    int ret = load_conv(a, s, who, conv_id, &c);
    if (ret)
        return ret;
    if (!c)
        return ERR_NOT_FOUND;
    struct db *db = store_reader(s);
    return db ? action_store_indicator_choices(a, db, conv_id, out, n) : ERR_DB;
}

/* ---- Lists ----------------------------------------------------------------------------------- */

/* Conversations already loaded during one list (the policy needs each action's). */
struct conv_cache {
    int64_t ids[CONV_CACHE_MAX];
    struct conversation *convs[CONV_CACHE_MAX];
    int n;
};

static int cached_conv(struct arena *a, struct store *s, const struct actor *who,
                       struct conv_cache *cc, int64_t id, struct conversation **out)
{
    for (int k = 0; k < cc->n; k++)
        if (cc->ids[k] == id) {
            *out = cc->convs[k];
            return 0;
        }
    int ret = load_conv(a, s, who, id, out);
    if (!ret && cc->n < CONV_CACHE_MAX) {
        cc->ids[cc->n] = id;
        cc->convs[cc->n++] = *out;
    }
    return ret;
}

/* The viewable matches of f (all of them, up to ACTION_SCAN_MAX), in list order. */
static int scan_visible(struct arena *a, struct store *s, const struct actor *who,
                        const struct action_filter *f, day_t *today,
                        struct improvement_action **out, int *n)
{
    static const struct action_filter all = {0};
    struct action_query q = {0};
    struct improvement_action *rows = NULL;
    int nrows = 0, got = 0, ret;

    *out = NULL;
    *n = 0;
    if (!f)
        f = &all;
    struct object_ref lobj = {.kind = OBJ_ACTION};
    if (!policy_allows(who, ACT_LIST, &lobj))
        return ERR_DENIED;
    if (f->limit < 0 || f->offset < 0 || f->status_mask & ~0x1Eu)
        return ERR_INVALID;
    q = (struct action_query){
        .conversation_id = f->conversation_id,
        .owner_org_id = f->owner_org_id,
        .aanbieder_id = f->aanbieder_id,
        .region_id = f->region_id,
        .result_id = f->result_id,
        .owner_user_id = f->owner_user_id,
        .status_mask = f->status_mask,
        .overdue_only = f->overdue_only,
        .today = f->today ? f->today : action_today(),
    };
    if (f->gemeente && *f->gemeente) {
        const char *g = f->gemeente;
        if ((g[0] == 'G' || g[0] == 'g') && (g[1] == 'M' || g[1] == 'm'))
            g += 2;
        if (strlen(g) != 4)
            return ERR_INVALID;
        for (int k = 0; k < 4; k++)
            if (g[k] < '0' || g[k] > '9')
                return ERR_INVALID;
        q.gemeente = g;
    }
    *today = q.today;
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    if ((ret = action_store_scan(a, db, &q, ACTION_SCAN_MAX, &rows, &nrows)))
        return ret;
    struct conv_cache *cc = arena_calloc(a, 1, sizeof *cc);
    if (!cc)
        return ERR_NOMEM;
    for (int k = 0; k < nrows; k++) {
        struct conversation *c = NULL;
        struct object_ref obj;
        if ((ret = cached_conv(a, s, who, cc, rows[k].conversation_id, &c)))
            return ret;
        action_object(&rows[k], c, a, &obj);
        if (!policy_allows(who, ACT_VIEW, &obj))
            continue;
        rows[k].overdue = action_is_overdue(&rows[k], q.today);
        rows[got++] = rows[k];
    }
    *out = rows;
    *n = got;
    return 0;
}

int action_list(struct arena *a, struct store *s, const struct actor *who,
                const struct action_filter *f, struct improvement_action **out, int *n, int *total)
{
    struct improvement_action *rows = NULL;
    int nrows = 0;
    day_t today;
    *out = NULL;
    *n = 0;
    *total = 0;
    int ret = scan_visible(a, s, who, f, &today, &rows, &nrows);
    if (ret)
        return ret;
    int limit = f && f->limit ? f->limit : ACTION_LIST_DEFAULT;
    if (limit > ACTION_LIST_MAX)
        limit = ACTION_LIST_MAX;
    int offset = f ? f->offset : 0;
    *total = nrows;
    if (offset >= nrows)
        return 0;
    int take = nrows - offset < limit ? nrows - offset : limit;
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    if ((ret = action_store_fill_indicators(a, db, rows + offset, take)))
        return ret;
    *out = rows + offset;
    *n = take;
    return 0;
}

int action_count(struct arena *a, struct store *s, const struct actor *who,
                 const struct action_filter *f, struct action_counts *out)
{
    struct improvement_action *rows = NULL;
    int nrows = 0;
    day_t today;
    memset(out, 0, sizeof *out);
    int ret = scan_visible(a, s, who, f, &today, &rows, &nrows);
    if (ret)
        return ret;
    for (int k = 0; k < nrows; k++) {
        switch (rows[k].status) {
        case ACTION_OPEN:
            out->open++;
            break;
        case ACTION_BEZIG:
            out->bezig++;
            break;
        case ACTION_KLAAR:
            out->klaar++;
            break;
        case ACTION_VERVALLEN:
            out->vervallen++;
            break;
        }
        out->overdue += rows[k].overdue;
    }
    return 0;
}
