/*
 * theory.c: the theory of change of a societal result. Every change goes through one path
 * (theory_put): load the current state inside the write transaction, check the policy
 * (OBJ_THEORY) and the version, validate the new state, enforce that an aanbieder changes only
 * its own activities, compare old and new into a summary in words, write the state, the
 * canonical JSON document of the new version and an audit event, all in one transaction.
 */
#include "domain/theory.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/result.h"
#include "store/result_store.h"
#include "store/theory_store.h"
#include <jansson.h>

#define LABEL_WORDS_MAX 40 /* code points of a description used as an activity's label */

/* ---- Starter questions. ---------------------------------------------------------------------- */

static const struct {
    const char *code;      /* JSON key and form field */
    const char *question;  /* msgid */
    const char *shortname; /* msgid, for the summary of changes */
} starters[THEORY_STARTERS] = {
    [STARTER_KNOWN_HERE] = {"bekendHier", N_("Wat weten we over dit onderwerp hier?"),
                            N_("wat we hier weten")},
    [STARTER_KNOWN_HELPS] = {"bekendWatHelpt", N_("Wat weten we over wat helpt?"), N_("wat helpt")},
    [STARTER_PROVIDERS_DO] = {"aanbiedersDoen", N_("Wat doen de aanbieders eraan?"),
                              N_("wat aanbieders doen")},
    [STARTER_WITH_RESULT] = {"metWelkResultaat", N_("Met welk resultaat?"),
                             N_("met welk resultaat")},
};

const char *theory_starter_code(enum theory_starter q)
{
    return (int)q >= 0 && q < THEORY_STARTERS ? starters[q].code : "";
}

const char *theory_starter_question(enum theory_starter q)
{
    return (int)q >= 0 && q < THEORY_STARTERS ? _(starters[q].question) : "";
}

/* The text fields of an activity, in chain order (JSON keys, form fields, summary names). */
enum act_field { AF_PRODUCT, AF_DESCRIPTION, AF_ASSUMPTIONS, AF_CONDITIONS, AF_OUTCOMES, AF_N };

static const struct {
    const char *code;
    const char *name; /* msgid */
    int max;
    bool multiline;
    bool required;
} act_fields[AF_N] = {
    [AF_PRODUCT] = {"product", N_("product of programma"), THEORY_PRODUCT_MAX, false, false},
    [AF_DESCRIPTION] = {"beschrijving", N_("beschrijving"), THEORY_DESCRIPTION_MAX, true, true},
    [AF_ASSUMPTIONS] = {"aannames", N_("aannames"), THEORY_TEXT_MAX, true, false},
    [AF_CONDITIONS] = {"voorwaarden", N_("voorwaarden"), THEORY_TEXT_MAX, true, false},
    [AF_OUTCOMES] = {"uitkomsten", N_("verwachte uitkomsten"), THEORY_TEXT_MAX, true, false},
};

static const char **act_field_ptr(struct theory_activity *a, enum act_field f)
{
    switch (f) {
    case AF_PRODUCT:
        return &a->product;
    case AF_DESCRIPTION:
        return &a->description;
    case AF_ASSUMPTIONS:
        return &a->assumptions;
    case AF_CONDITIONS:
        return &a->conditions;
    default:
        return &a->outcomes;
    }
}

static const char *act_field_get(const struct theory_activity *a, enum act_field f)
{
    const char *v = *act_field_ptr((struct theory_activity *)a, f);
    return v ? v : "";
}

/* ---- Policy. --------------------------------------------------------------------------------- */

void theory_object(const struct theory *t, struct arena *a, struct object_ref *out)
{
    memset(out, 0, sizeof *out);
    out->kind = OBJ_THEORY;
    out->id = t->result_id;
    out->owner_org_id = t->owner_org_id;
    out->owner_org_kind = t->owner_org_kind;
    out->share = SHARE_ALL;
    if (t->nactivities <= 0)
        return;
    int64_t *ids = arena_calloc(a, (size_t)t->nactivities, sizeof *ids);
    if (!ids)
        return; /* no parties: the stricter answer */
    int n = 0;
    for (int k = 0; k < t->nactivities; k++) {
        int64_t id = t->activities[k].aanbieder_id;
        bool seen = id <= 0;
        for (int j = 0; j < n && !seen; j++)
            seen = ids[j] == id;
        if (!seen)
            ids[n++] = id;
    }
    out->party_org_ids = ids;
    out->nparties = n;
}

/* Adds the owner's regions to the object (for gemeente owners; the policy may use them). */
static int object_with_regions(struct arena *a, struct store *s, const struct theory *t,
                               struct object_ref *out)
{
    struct org org;
    int ret = org_get_internal(a, s, t->owner_org_id, &org);
    if (ret)
        return ret;
    theory_object(t, a, out);
    out->owner_org_kind = org.kind;
    if (org.kind == ORG_GEMEENTE) {
        out->owner_region_ids = arena_calloc(a, ORG_MAX_PARENTS, sizeof(int64_t));
        if (!out->owner_region_ids)
            return ERR_NOMEM;
        memcpy((int64_t *)out->owner_region_ids, org.parent_ids,
               (size_t)org.nparents * sizeof(int64_t));
        out->owner_nregions = org.nparents;
    }
    return 0;
}

/* An aanbieder user (not beheerder) may change only the activities of its own organisation. */
static bool own_only_actor(const struct actor *who)
{
    return who->org_kind == ORG_AANBIEDER && !(who->roles & ROLE_BEHEERDER);
}

bool theory_may_edit(const struct actor *who, const struct theory *t, struct arena *a,
                     bool *own_only)
{
    struct object_ref obj;
    theory_object(t, a, &obj);
    bool ok = policy_allows(who, ACT_EDIT, &obj);
    if (own_only)
        *own_only = ok && own_only_actor(who);
    return ok;
}

/* ---- Loading. -------------------------------------------------------------------------------- */

/* The current theory with the result's fields, read on db (reader or the open writer). */
static int load(struct arena *a, struct db *db, int64_t result_id, struct theory *out)
{
    struct result r;
    int ret = result_store_get(a, db, result_id, &r);
    if (ret)
        return ret;
    memset(out, 0, sizeof *out);
    if ((ret = theory_store_get(a, db, result_id, out)))
        return ret;
    out->result_id = r.id;
    out->result_title = r.title;
    out->owner_org_id = r.owner_org_id;
    return 0;
}

int theory_get(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
               struct theory *out)
{
    struct db *db = store_reader(s);
    struct theory t;
    struct object_ref obj;
    int ret;

    if (!db)
        return ERR_DB;
    if (result_id <= 0)
        return ERR_NOT_FOUND;
    if ((ret = load(a, db, result_id, &t)) || (ret = object_with_regions(a, s, &t, &obj)))
        return ret;
    t.owner_org_kind = obj.owner_org_kind;
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    *out = t;
    return 0;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

/* Trims surrounding white space into an arena copy and checks encoding and length. */
static int check_text(struct arena *a, const char *in, int max, bool multiline, bool required,
                      const char *field, const char *where, const char *name, const char **out,
                      struct err_ctx *e)
{
    struct str t = str_trim(str_from(in ? in : ""));
    if (!utf8_valid(t.p, t.len, NULL))
        return err_set(e, ERR_INVALID, field, _("%s%s bevat ongeldige tekens."), where, name);
    bool bad = false;
    for (size_t i = 0; i < t.len && !multiline; i++)
        bad |= (unsigned char)t.p[i] < 0x20 || t.p[i] == 0x7f;
    if (bad || utf8_has_controls(t.p, t.len))
        return err_set(e, ERR_INVALID, field, _("%s%s bevat ongeldige tekens."), where, name);
    if (required && t.len == 0)
        return err_set(e, ERR_INVALID, field, _("%sVul %s in."), where, name);
    if (utf8_count(t.p, t.len) > (size_t)max)
        return err_set(e, ERR_TOO_BIG, field, _("%s%s is te lang (maximaal %d tekens)."), where,
                       name, max);
    *out = arena_strndup(a, t.p, t.len);
    return *out ? 0 : ERR_NOMEM;
}

/* Copies `in` into `out` (arena) with trimmed, checked texts and names looked up. */
static int validate(struct arena *a, struct db *db, const struct theory *in, struct theory *out,
                    struct err_ctx *e)
{
    int ret;
    if (in->nactivities < 0 || in->nactivities > THEORY_MAX_ACTIVITIES)
        return err_set(e, ERR_TOO_BIG, "activiteiten",
                       _("Een verandertheorie heeft hoogstens %d activiteiten."),
                       THEORY_MAX_ACTIVITIES);
    for (int q = 0; q < THEORY_STARTERS; q++) {
        char name[120];
        snprintf(name, sizeof name, _("Het antwoord op \"%s\""), _(starters[q].question));
        if ((ret = check_text(a, in->starters[q], THEORY_STARTER_MAX, true, false, starters[q].code,
                              "", name, &out->starters[q], e)))
            return ret;
    }
    out->nactivities = in->nactivities;
    out->activities =
        in->nactivities ? arena_calloc(a, (size_t)in->nactivities, sizeof *out->activities) : NULL;
    if (in->nactivities && !out->activities)
        return ERR_NOMEM;
    for (int k = 0; k < in->nactivities; k++) {
        const struct theory_activity *src = &in->activities[k];
        struct theory_activity *dst = &out->activities[k];
        char where[48];
        snprintf(where, sizeof where, _("Activiteit %d: "), k + 1);
        if (src->id < 0)
            return err_set(e, ERR_INVALID, "id", _("%sonbekende activiteit."), where);
        for (int j = 0; j < k; j++)
            if (src->id > 0 && in->activities[j].id == src->id)
                return err_set(e, ERR_INVALID, "id", _("%sdeze activiteit staat er twee keer in."),
                               where);
        dst->id = src->id;
        for (int f = 0; f < AF_N; f++) {
            const char *name = _(act_fields[f].name);
            if ((ret =
                     check_text(a, act_field_get(src, (enum act_field)f), act_fields[f].max,
                                act_fields[f].multiline, act_fields[f].required, act_fields[f].code,
                                where, name, act_field_ptr(dst, (enum act_field)f), e)))
                return ret;
        }
        dst->aanbieder_id = src->aanbieder_id > 0 ? src->aanbieder_id : 0;
        if (src->aanbieder_id < 0)
            return err_set(e, ERR_INVALID, "aanbieder_id", _("%skies een aanbieder."), where);
        if (dst->aanbieder_id) {
            ret = theory_store_aanbieder(a, db, dst->aanbieder_id, &dst->aanbieder_name);
            if (ret == ERR_NOT_FOUND)
                return err_set(e, ERR_INVALID, "aanbieder_id",
                               _("%sdeze organisatie is geen aanbieder."), where);
            if (ret)
                return ret;
        }
        if (src->nindicators < 0 || src->nindicators > THEORY_MAX_INDICATORS)
            return err_set(e, ERR_TOO_BIG, "indicatoren",
                           _("%shoogstens %d indicatoren per activiteit."), where,
                           THEORY_MAX_INDICATORS);
        if (src->nindicators) {
            dst->indicators = arena_calloc(a, (size_t)src->nindicators, sizeof *dst->indicators);
            if (!dst->indicators)
                return ERR_NOMEM;
        }
        for (int j = 0; j < src->nindicators; j++) {
            int64_t id = src->indicators[j].id;
            bool dup = false;
            for (int m = 0; m < dst->nindicators && !dup; m++)
                dup = dst->indicators[m].id == id;
            if (dup)
                continue; /* the same indicator twice is one link */
            struct theory_indicator *ind = &dst->indicators[dst->nindicators];
            ind->id = id;
            ret = id > 0 ? theory_store_indicator(a, db, id, &ind->name) : ERR_NOT_FOUND;
            if (ret == ERR_NOT_FOUND)
                return err_set(e, ERR_INVALID, "indicatoren",
                               _("%sindicator %" PRId64 " bestaat niet."), where, id);
            if (ret)
                return ret;
            dst->nindicators++;
        }
    }
    return 0;
}

static bool same_text(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

static bool same_indicators(const struct theory_activity *x, const struct theory_activity *y)
{
    if (x->nindicators != y->nindicators)
        return false;
    for (int i = 0; i < x->nindicators; i++) {
        bool found = false;
        for (int j = 0; j < y->nindicators && !found; j++)
            found = x->indicators[i].id == y->indicators[j].id;
        if (!found)
            return false;
    }
    return true;
}

static bool same_activity(const struct theory_activity *x, const struct theory_activity *y)
{
    for (int f = 0; f < AF_N; f++)
        if (!same_text(act_field_get(x, (enum act_field)f), act_field_get(y, (enum act_field)f)))
            return false;
    return x->aanbieder_id == y->aanbieder_id && same_indicators(x, y);
}

static int find_activity(const struct theory *t, int64_t id)
{
    for (int k = 0; id > 0 && k < t->nactivities; k++)
        if (t->activities[k].id == id)
            return k;
    return -1;
}

/*
 * Rule 11: an aanbieder changes only its own activities. The starter questions stay as they
 * are; every activity of someone else is kept unchanged and in the same order relative to the
 * others; new, changed and deleted activities are the aanbieder's own before and after.
 */
static int check_own_only(const struct actor *who, const struct theory *cur,
                          const struct theory *next, struct err_ctx *e)
{
    int64_t me = who->org_id;
    for (int q = 0; q < THEORY_STARTERS; q++)
        if (!same_text(cur->starters[q], next->starters[q]))
            return err_set(e, ERR_DENIED, starters[q].code, "%s",
                           _("Een aanbieder kan alleen de eigen activiteiten wijzigen, niet de "
                             "startvragen."));
    for (int k = 0; k < cur->nactivities; k++) {
        const struct theory_activity *old = &cur->activities[k];
        int j = find_activity(next, old->id);
        if (old->aanbieder_id == me) {
            if (j >= 0 && next->activities[j].aanbieder_id != me)
                return err_set(e, ERR_DENIED, "aanbieder_id",
                               _("Activiteit %d: u kunt een activiteit niet aan een andere "
                                 "organisatie toewijzen."),
                               j + 1);
            continue;
        }
        if (j < 0 || !same_activity(old, &next->activities[j]))
            return err_set(e, ERR_DENIED, NULL,
                           _("Activiteit %d is van een andere organisatie; u kunt alleen de eigen "
                             "activiteiten wijzigen."),
                           k + 1);
    }
    for (int j = 0; j < next->nactivities; j++)
        if (find_activity(cur, next->activities[j].id) < 0 &&
            next->activities[j].aanbieder_id != me)
            return err_set(e, ERR_DENIED, "aanbieder_id",
                           _("Activiteit %d: een nieuwe activiteit moet van uw eigen organisatie "
                             "zijn."),
                           j + 1);
    /* The others keep their order among themselves. */
    int last = -1;
    for (int k = 0; k < cur->nactivities; k++) {
        if (cur->activities[k].aanbieder_id == me)
            continue;
        int j = find_activity(next, cur->activities[k].id);
        if (j < last)
            return err_set(e, ERR_DENIED, NULL, "%s",
                           _("U kunt de activiteiten van andere organisaties niet verplaatsen."));
        last = j;
    }
    return 0;
}

/* ---- Canonical JSON. ------------------------------------------------------------------------- */

/* A JSON string with quotes (buf_append_json_str escapes only). */
static int json_str(struct buf *b, const char *v)
{
    const char *s = v ? v : "";
    int ret = buf_append_char(b, '"');
    ret |= buf_append_json_str(b, s, strlen(s));
    ret |= buf_append_char(b, '"');
    return ret;
}

static int json_key_str(struct buf *b, const char *key, const char *v, bool comma)
{
    int ret = 0;
    if (comma)
        ret |= buf_append_char(b, ',');
    ret |= json_str(b, key);
    ret |= buf_append_char(b, ':');
    ret |= json_str(b, v);
    return ret ? ERR_TOO_BIG : 0;
}

int theory_to_json(const struct theory *t, struct buf *b)
{
    int ret = 0;
    ret |= buf_appendf(b, "{\"resultaat\":{\"id\":%" PRId64 ",", t->result_id);
    ret |= json_key_str(b, "titel", t->result_title, false);
    ret |= buf_appendf(b, "},\"versie\":%" PRId64 ",\"startvragen\":{", t->version);
    for (int q = 0; q < THEORY_STARTERS; q++)
        ret |= json_key_str(b, starters[q].code, t->starters[q], q > 0);
    ret |= buf_append_str(b, "},\"activiteiten\":[");
    for (int k = 0; k < t->nactivities; k++) {
        const struct theory_activity *act = &t->activities[k];
        ret |= buf_appendf(b, "%s{\"id\":%" PRId64 ",\"aanbieder\":", k ? "," : "", act->id);
        if (act->aanbieder_id > 0) {
            ret |= buf_appendf(b, "{\"id\":%" PRId64 ",", act->aanbieder_id);
            ret |= json_key_str(b, "naam", act->aanbieder_name, false);
            ret |= buf_append_char(b, '}');
        } else {
            ret |= buf_append_str(b, "null");
        }
        for (int f = 0; f < AF_N; f++)
            ret |= json_key_str(b, act_fields[f].code, act_field_get(act, (enum act_field)f), true);
        ret |= buf_append_str(b, ",\"indicatoren\":[");
        for (int j = 0; j < act->nindicators; j++) {
            ret |= buf_appendf(b, "%s{\"id\":%" PRId64 ",", j ? "," : "", act->indicators[j].id);
            ret |= json_key_str(b, "naam", act->indicators[j].name, false);
            ret |= buf_append_char(b, '}');
        }
        ret |= buf_append_str(b, "]}");
    }
    ret |= buf_append_str(b, "]}");
    return ret ? ERR_TOO_BIG : 0;
}

struct jctx {
    struct arena *a;
    struct err_ctx *e;
};

static int jfail(struct jctx *c, int code, const char *field, const char *msg)
{
    return err_set(c->e, code, field, "%s", msg);
}

/* An optional string member ("" when absent or null). */
static int jstr(struct jctx *c, json_t *obj, const char *key, const char *where, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *out = "";
        return 0;
    }
    if (!json_is_string(v))
        return err_set(c->e, ERR_INVALID, key, _("%s%s moet tekst zijn."), where, key);
    size_t n = json_string_length(v);
    if (memchr(json_string_value(v), '\0', n))
        return err_set(c->e, ERR_INVALID, key, _("%s%s bevat ongeldige tekens."), where, key);
    *out = arena_strndup(c->a, json_string_value(v), n);
    return *out ? 0 : ERR_NOMEM;
}

/* An id member: a positive integer, or an object {"id": n}; absent or null is 0. */
static int jid(struct jctx *c, json_t *obj, const char *key, const char *where, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (v && json_is_object(v))
        v = json_object_get(v, "id");
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return err_set(c->e, ERR_INVALID, key, _("%s%s moet een positief getal zijn."), where, key);
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* Refuses members not in allowed (NULL-terminated): a misspelt key must not be ignored. */
static int only_keys(struct jctx *c, json_t *obj, const char *const *allowed, const char *where)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        bool ok = false;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = strcmp(allowed[i], k) == 0;
        if (!ok)
            return err_set(c->e, ERR_INVALID, NULL, _("%sonbekend veld \"%.40s\"."), where, k);
    }
    return 0;
}

static int parse_activity(struct jctx *c, json_t *o, int index, struct theory_activity *act)
{
    char where[48];
    snprintf(where, sizeof where, _("Activiteit %d: "), index + 1);
    if (!json_is_object(o))
        return err_set(c->e, ERR_INVALID, "activiteiten", _("%sverwacht een object."), where);
    static const char *const keys[] = {"id",           "aanbieder",   "product",
                                       "beschrijving", "aannames",    "voorwaarden",
                                       "uitkomsten",   "indicatoren", NULL};
    int ret;
    if ((ret = only_keys(c, o, keys, where)) || (ret = jid(c, o, "id", where, &act->id)) ||
        (ret = jid(c, o, "aanbieder", where, &act->aanbieder_id)))
        return ret;
    json_t *aan = json_object_get(o, "aanbieder");
    if (aan && json_is_object(aan)) {
        json_t *nm = json_object_get(aan, "naam");
        if (nm && json_is_string(nm))
            act->aanbieder_name = arena_strdup(c->a, json_string_value(nm));
    }
    for (int f = 0; f < AF_N; f++)
        if ((ret = jstr(c, o, act_fields[f].code, where, act_field_ptr(act, (enum act_field)f))))
            return ret;
    json_t *inds = json_object_get(o, "indicatoren");
    if (!inds || json_is_null(inds))
        return 0;
    if (!json_is_array(inds))
        return err_set(c->e, ERR_INVALID, "indicatoren", _("%sindicatoren moet een lijst zijn."),
                       where);
    size_t n = json_array_size(inds);
    if (n > THEORY_MAX_INDICATORS)
        return err_set(c->e, ERR_TOO_BIG, "indicatoren",
                       _("%shoogstens %d indicatoren per activiteit."), where,
                       THEORY_MAX_INDICATORS);
    if (n) {
        act->indicators = arena_calloc(c->a, n, sizeof *act->indicators);
        if (!act->indicators)
            return ERR_NOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        json_t *x = json_array_get(inds, j);
        json_t *id = json_is_object(x) ? json_object_get(x, "id") : x;
        if (!id || !json_is_integer(id) || json_integer_value(id) <= 0)
            return err_set(c->e, ERR_INVALID, "indicatoren",
                           _("%sindicator %zu heeft geen geldig id."), where, j + 1);
        struct theory_indicator *ind = &act->indicators[act->nindicators++];
        ind->id = (int64_t)json_integer_value(id);
        json_t *nm = json_is_object(x) ? json_object_get(x, "naam") : NULL;
        ind->name = nm && json_is_string(nm) ? arena_strdup(c->a, json_string_value(nm)) : "";
    }
    return 0;
}

static int parse_root(struct jctx *c, json_t *root, struct theory *out)
{
    static const char *const keys[] = {
        "resultaat", "versie", "startvragen", "activiteiten", "gewijzigdOp", "gewijzigdDoor", NULL};
    int ret;
    if (!json_is_object(root))
        return jfail(c, ERR_INVALID, NULL, _("Verwacht een JSON-object."));
    if ((ret = only_keys(c, root, keys, "")))
        return ret;
    json_t *r = json_object_get(root, "resultaat");
    if (r && json_is_object(r)) {
        json_t *id = json_object_get(r, "id");
        json_t *t = json_object_get(r, "titel");
        if (id && json_is_integer(id))
            out->result_id = (int64_t)json_integer_value(id);
        if (t && json_is_string(t))
            out->result_title = arena_strdup(c->a, json_string_value(t));
    }
    json_t *v = json_object_get(root, "versie");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return jfail(c, ERR_INVALID, "versie", _("versie moet een getal zijn."));
        out->version = (int64_t)json_integer_value(v);
    }
    json_t *sv = json_object_get(root, "startvragen");
    if (sv && !json_is_null(sv) && !json_is_object(sv))
        return jfail(c, ERR_INVALID, "startvragen", _("startvragen moet een object zijn."));
    if (sv && json_is_object(sv)) {
        const char *const skeys[] = {starters[0].code, starters[1].code, starters[2].code,
                                     starters[3].code, NULL};
        if ((ret = only_keys(c, sv, skeys, "")))
            return ret;
    }
    for (int q = 0; q < THEORY_STARTERS; q++) {
        if (!sv || json_is_null(sv)) {
            out->starters[q] = "";
            continue;
        }
        if ((ret = jstr(c, sv, starters[q].code, "", &out->starters[q])))
            return ret;
    }
    json_t *acts = json_object_get(root, "activiteiten");
    if (!acts || json_is_null(acts))
        return 0;
    if (!json_is_array(acts))
        return jfail(c, ERR_INVALID, "activiteiten", _("activiteiten moet een lijst zijn."));
    size_t n = json_array_size(acts);
    if (n > THEORY_MAX_ACTIVITIES)
        return err_set(c->e, ERR_TOO_BIG, "activiteiten",
                       _("Een verandertheorie heeft hoogstens %d activiteiten."),
                       THEORY_MAX_ACTIVITIES);
    if (n) {
        out->activities = arena_calloc(c->a, n, sizeof *out->activities);
        if (!out->activities)
            return ERR_NOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        if ((ret = parse_activity(c, json_array_get(acts, k), (int)k, &out->activities[k])))
            return ret;
        out->nactivities++;
    }
    return 0;
}

int theory_from_json(struct arena *a, const char *json, size_t len, struct theory *out,
                     struct err_ctx *e)
{
    struct jctx c = {.a = a, .e = e};
    memset(out, 0, sizeof *out);
    for (int q = 0; q < THEORY_STARTERS; q++)
        out->starters[q] = "";
    if (!json || len == 0)
        return jfail(&c, ERR_INVALID, NULL, _("De verandertheorie is leeg."));
    if (len > THEORY_DOC_MAX)
        return err_set(e, ERR_TOO_BIG, NULL, _("Het document is te groot (hoogstens %d bytes)."),
                       THEORY_DOC_MAX);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        int rc = err_set(e, ERR_INVALID, NULL, _("Geen geldige JSON (regel %d, kolom %d)."),
                         jerr.line, jerr.column);
        if (e)
            e->line = jerr.line > 0 ? (uint32_t)jerr.line : 0;
        return rc;
    }
    int rc = parse_root(&c, root, out);
    json_decref(root);
    return rc;
}

/* ---- Comparison and summary. ----------------------------------------------------------------- */

static const char *activity_label(struct arena *a, const struct theory_activity *act, int index)
{
    const char *name = act->product && *act->product                 ? act->product
                       : act->aanbieder_name && *act->aanbieder_name ? act->aanbieder_name
                                                                     : NULL;
    char shortdesc[LABEL_WORDS_MAX * 4 + 8];
    if (!name) {
        /* The first words of the description, cut at a character boundary. */
        const char *d = act->description ? act->description : "";
        size_t i = 0, cps = 0;
        while (d[i] && cps < LABEL_WORDS_MAX && d[i] != '\n') {
            i++;
            while ((d[i] & 0xC0) == 0x80)
                i++;
            cps++;
        }
        if (d[i] && d[i] != '\n') {
            size_t w = i; /* cut at the last space, when there is one */
            while (w > 0 && d[w] != ' ')
                w--;
            if (w > 0)
                i = w;
        }
        snprintf(shortdesc, sizeof shortdesc, "%.*s%s", (int)i, d, d[i] ? "…" : "");
        name = shortdesc;
    }
    return arena_printf(a, _("activiteit %d (%s)"), index + 1, name);
}

static const char *indicator_names(struct arena *a, const struct theory_activity *act)
{
    struct buf b;
    buf_init(&b, 8192);
    for (int j = 0; j < act->nindicators; j++) {
        if (j)
            buf_append_str(&b, ", ");
        buf_append_str(&b, act->indicators[j].name ? act->indicators[j].name : "");
    }
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

struct changes {
    struct arena *a;
    struct theory_change *v;
    int n, cap;
};

static int add_change(struct changes *c, int index, const char *label, const char *field,
                      const char *what, const char *before, const char *after)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 16;
        struct theory_change *v = arena_calloc(c->a, (size_t)cap, sizeof *v);
        if (!v)
            return ERR_NOMEM;
        if (c->n)
            memcpy(v, c->v, (size_t)c->n * sizeof *v);
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = (struct theory_change){index, label, field, what, before, after};
    return 0;
}

int theory_compare(struct arena *a, const struct theory *older, const struct theory *newer,
                   struct theory_change **out, int *n)
{
    struct changes c = {.a = a};
    int ret = 0;
    for (int q = 0; q < THEORY_STARTERS && !ret; q++)
        if (!same_text(older->starters[q], newer->starters[q]))
            ret = add_change(&c, 0, NULL, _(starters[q].shortname), _("aangepast"),
                             older->starters[q], newer->starters[q]);
    /* Rank of the activities both versions have, to tell a move from a shift. */
    int rank_old = 0;
    for (int k = 0; k < newer->nactivities && !ret; k++) {
        const struct theory_activity *nw = &newer->activities[k];
        const char *label = activity_label(a, nw, k);
        int j = find_activity(older, nw->id);
        if (j < 0) {
            ret = add_change(&c, k + 1, label, NULL, _("toegevoegd"), NULL, nw->description);
            continue;
        }
        const struct theory_activity *od = &older->activities[j];
        int rank = 0; /* the rank of od among the older activities that newer kept */
        for (int m = 0; m < j; m++)
            rank += find_activity(newer, older->activities[m].id) >= 0;
        if (rank != rank_old)
            ret = add_change(&c, k + 1, label, NULL, _("verplaatst"), NULL, NULL);
        rank_old++;
        if (!ret && od->aanbieder_id != nw->aanbieder_id)
            ret = add_change(&c, k + 1, label, _("aanbieder"), _("aangepast"),
                             od->aanbieder_name ? od->aanbieder_name : "",
                             nw->aanbieder_name ? nw->aanbieder_name : "");
        for (int f = 0; f < AF_N && !ret; f++) {
            const char *x = act_field_get(od, (enum act_field)f);
            const char *y = act_field_get(nw, (enum act_field)f);
            if (!same_text(x, y))
                ret = add_change(&c, k + 1, label, _(act_fields[f].name), _("aangepast"), x, y);
        }
        if (!ret && !same_indicators(od, nw))
            ret = add_change(&c, k + 1, label, _("indicatoren"), _("aangepast"),
                             indicator_names(a, od), indicator_names(a, nw));
    }
    for (int j = 0; j < older->nactivities && !ret; j++)
        if (find_activity(newer, older->activities[j].id) < 0)
            ret = add_change(&c, j + 1, activity_label(a, &older->activities[j], j), NULL,
                             _("verwijderd"), older->activities[j].description, NULL);
    if (ret)
        return ret;
    *out = c.v;
    *n = c.n;
    return 0;
}

const char *theory_change_summary(struct arena *a, const struct theory_change *c, int n)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (int i = 0; i < n; i++) {
        /* Group consecutive changes of one part: "activiteit 2 (X) aangepast: a, b". */
        bool same_group = i > 0 && c[i].activity_index == c[i - 1].activity_index &&
                          same_text(c[i].what, c[i - 1].what) &&
                          same_text(c[i].activity_label, c[i - 1].activity_label) && c[i].field &&
                          c[i - 1].field;
        if (same_group) {
            buf_appendf(&b, ", %s", c[i].field);
            continue;
        }
        if (i)
            buf_append_str(&b, "; ");
        const char *part = c[i].activity_label ? c[i].activity_label : _("startvragen");
        if (c[i].field)
            buf_appendf(&b, "%s %s: %s", part, c[i].what, c[i].field);
        else
            buf_appendf(&b, "%s %s", part, c[i].what);
    }
    const char *s = buf_cstr(&b);
    size_t len = strlen(s);
    char *res;
    if (len <= THEORY_SUMMARY_MAX) {
        res = arena_strdup(a, s);
    } else {
        size_t cut = THEORY_SUMMARY_MAX - strlen("…");
        while (cut > 0 && (s[cut] & 0xC0) == 0x80)
            cut--;
        res = arena_printf(a, "%.*s…", (int)cut, s);
    }
    buf_release(&b);
    return res ? res : "";
}

/* ---- Saving. --------------------------------------------------------------------------------- */

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "versie", "%s",
                   _("Iemand anders heeft deze verandertheorie intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

/* Builds the next state from the current one; called inside the write transaction. */
typedef int (*theory_edit_fn)(struct arena *a, const struct theory *cur, struct theory *next,
                              void *ctx, struct err_ctx *e);

/* An activity whose id the caller wants after the save (index set by the edit function). */
struct track {
    int index;
    int64_t id;
};

static int save(struct store *s, const struct actor *who, int64_t result_id, int64_t version,
                theory_edit_fn edit, void *ctx, struct track *track, int64_t *version_out,
                struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct theory cur, want, next;
    struct object_ref obj;
    struct db *db = NULL;
    struct buf doc;
    char at[AUDIT_TS_SIZE], detail[96];
    bool writing = false;
    int ret;

    buf_init(&doc, THEORY_DOC_MAX * 2);
    if (!a) {
        ret = ERR_NOMEM;
        goto out;
    }
    if (result_id <= 0) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    /* Read inside the transaction: the version compared is the version overwritten. */
    if ((ret = load(a, db, result_id, &cur)) || (ret = object_with_regions(a, s, &cur, &obj)))
        goto out;
    cur.owner_org_kind = obj.owner_org_kind;
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = err_set(e, ERR_DENIED, NULL, "%s", _("U mag deze verandertheorie niet wijzigen."));
        goto out;
    }
    if (version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    memset(&want, 0, sizeof want);
    if ((ret = edit(a, &cur, &want, ctx, e)))
        goto out;
    next = cur;
    if ((ret = validate(a, db, &want, &next, e)))
        goto out;
    for (int k = 0; k < next.nactivities; k++)
        if (next.activities[k].id > 0 && find_activity(&cur, next.activities[k].id) < 0) {
            ret = err_set(e, ERR_INVALID, "id",
                          _("Activiteit %d: deze activiteit hoort niet bij deze verandertheorie."),
                          k + 1);
            goto out;
        }
    if (own_only_actor(who) && (ret = check_own_only(who, &cur, &next, e)))
        goto out;
    struct theory_change *ch = NULL;
    int nch = 0;
    if ((ret = theory_compare(a, &cur, &next, &ch, &nch)))
        goto out;
    if (nch == 0) {
        if (version_out)
            *version_out = cur.version; /* nothing changed: no new version */
        goto out;
    }
    const char *summary = theory_change_summary(a, ch, nch);
    audit_format_time(time(NULL), at);
    ret = theory_store_save(db, result_id, cur.version, &next, at, who->user_id);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    next.version = cur.version + 1;
    next.updated_at = at;
    if ((ret = theory_to_json(&next, &doc)))
        goto out;
    if ((ret = theory_store_add_version(db, result_id, next.version, at, who->user_id,
                                        who->display_name ? who->display_name : "", summary,
                                        buf_cstr(&doc))))
        goto out;
    snprintf(detail, sizeof detail, "version=%" PRId64 " activities=%d", next.version,
             next.nactivities);
    if ((ret = audit_write(db, who, "theory.update", "theory", result_id, detail)))
        goto out;
    if (version_out)
        *version_out = next.version;
    /* The id the store gave the activity the caller tracks (a new one). */
    if (track && track->index >= 0 && track->index < next.nactivities)
        track->id = next.activities[track->index].id;
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    if (ret == ERR_NOT_FOUND && e && !e->msg[0])
        err_set(e, ret, NULL, "%s", _("Dit resultaat bestaat niet."));
    buf_release(&doc);
    arena_free(a);
    return ret;
}

/* theory_put: the caller's whole document. */
static int edit_put(struct arena *a, const struct theory *cur, struct theory *next, void *ctx,
                    struct err_ctx *e)
{
    (void)a;
    (void)cur;
    (void)e;
    const struct theory *in = ctx;
    *next = *in;
    return 0;
}

int theory_put(struct store *s, const struct actor *who, int64_t result_id, const struct theory *in,
               int64_t *version_out, struct err_ctx *e)
{
    if (!in)
        return ERR_INVALID;
    return save(s, who, result_id, in->version, edit_put, (void *)in, NULL, version_out, e);
}

static int edit_starters(struct arena *a, const struct theory *cur, struct theory *next, void *ctx,
                         struct err_ctx *e)
{
    (void)a;
    (void)e;
    const char *const *in = ctx;
    *next = *cur;
    for (int q = 0; q < THEORY_STARTERS; q++)
        next->starters[q] = in[q] ? in[q] : "";
    return 0;
}

int theory_save_starters(struct store *s, const struct actor *who, int64_t result_id,
                         const char *const in[THEORY_STARTERS], int64_t version,
                         int64_t *version_out, struct err_ctx *e)
{
    if (!in)
        return ERR_INVALID;
    return save(s, who, result_id, version, edit_starters, (void *)in, NULL, version_out, e);
}

/* One activity edit: save (act set), delete (delete_id) or move (move_id, delta). */
struct act_edit {
    const struct theory_activity *act;
    int64_t delete_id, move_id;
    int delta;
    struct track track; /* index: the saved activity's place in the new chain */
};

static int not_found_activity(struct err_ctx *e)
{
    return err_set(e, ERR_NOT_FOUND, "id", "%s",
                   _("Deze activiteit bestaat niet (meer). Laad de pagina opnieuw."));
}

static int edit_activity(struct arena *a, const struct theory *cur, struct theory *next, void *ctx,
                         struct err_ctx *e)
{
    struct act_edit *ed = ctx;
    int n = cur->nactivities;
    *next = *cur;
    next->activities = arena_calloc(a, (size_t)n + 1, sizeof *next->activities);
    if (!next->activities)
        return ERR_NOMEM;
    if (n)
        memcpy(next->activities, cur->activities, (size_t)n * sizeof *next->activities);
    if (ed->act) {
        if (ed->act->id == 0) {
            if (n >= THEORY_MAX_ACTIVITIES)
                return err_set(e, ERR_TOO_BIG, "activiteiten",
                               _("Een verandertheorie heeft hoogstens %d activiteiten."),
                               THEORY_MAX_ACTIVITIES);
            next->activities[n] = *ed->act;
            next->nactivities = n + 1;
            ed->track.index = n;
            return 0;
        }
        int k = find_activity(cur, ed->act->id);
        if (k < 0)
            return not_found_activity(e);
        next->activities[k] = *ed->act;
        ed->track.index = k;
        return 0;
    }
    if (ed->delete_id) {
        int k = find_activity(cur, ed->delete_id);
        if (k < 0)
            return not_found_activity(e);
        memmove(&next->activities[k], &next->activities[k + 1],
                (size_t)(n - k - 1) * sizeof *next->activities);
        next->nactivities = n - 1;
        return 0;
    }
    int k = find_activity(cur, ed->move_id);
    if (k < 0)
        return not_found_activity(e);
    int to = k + (ed->delta < 0 ? -1 : 1);
    if (to < 0 || to >= n)
        return 0; /* already first or last: nothing changes */
    struct theory_activity tmp = next->activities[k];
    next->activities[k] = next->activities[to];
    next->activities[to] = tmp;
    return 0;
}

int theory_activity_save(struct store *s, const struct actor *who, int64_t result_id,
                         const struct theory_activity *act, int64_t version,
                         int64_t *activity_id_out, struct err_ctx *e)
{
    if (!act)
        return ERR_INVALID;
    struct act_edit ed = {.act = act, .track = {.index = -1, .id = act->id}};
    int ret = save(s, who, result_id, version, edit_activity, &ed, &ed.track, NULL, e);
    if (!ret && activity_id_out)
        *activity_id_out = ed.track.id;
    return ret;
}

int theory_activity_delete(struct store *s, const struct actor *who, int64_t result_id,
                           int64_t activity_id, int64_t version, struct err_ctx *e)
{
    if (activity_id <= 0)
        return not_found_activity(e);
    struct act_edit ed = {.delete_id = activity_id};
    return save(s, who, result_id, version, edit_activity, &ed, NULL, NULL, e);
}

int theory_activity_move(struct store *s, const struct actor *who, int64_t result_id,
                         int64_t activity_id, int delta, int64_t version, struct err_ctx *e)
{
    if (activity_id <= 0)
        return not_found_activity(e);
    if (delta == 0)
        return err_set(e, ERR_INVALID, "richting", "%s", _("Kies omhoog of omlaag."));
    struct act_edit ed = {.move_id = activity_id, .delta = delta};
    return save(s, who, result_id, version, edit_activity, &ed, NULL, NULL, e);
}

/* ---- Versions. ------------------------------------------------------------------------------- */

int theory_versions(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
                    struct theory_version_info **out, int *n)
{
    struct theory t;
    int ret = theory_get(a, s, who, result_id, &t);
    if (ret)
        return ret;
    *out = NULL;
    *n = 0;
    return theory_store_versions(a, store_reader(s), result_id, THEORY_VERSIONS_MAX, out, n);
}

int theory_version_get(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
                       int64_t version, struct theory *out, struct theory_version_info *info)
{
    struct theory cur;
    const char *doc = NULL;
    struct err_ctx e = {0};
    int ret = theory_get(a, s, who, result_id, &cur);
    if (ret)
        return ret;
    if (version <= 0)
        return ERR_NOT_FOUND;
    if ((ret = theory_store_version(a, store_reader(s), result_id, version, info, &doc)))
        return ret;
    if ((ret = theory_from_json(a, doc, strlen(doc), out, &e)))
        return ret == ERR_NOMEM ? ret : ERR_INTERNAL; /* a stored document must parse */
    out->result_id = cur.result_id;
    out->result_title = cur.result_title;
    out->owner_org_id = cur.owner_org_id;
    out->owner_org_kind = cur.owner_org_kind;
    out->version = info->version;
    out->updated_at = info->at;
    out->updated_by_name = info->user_name;
    return 0;
}
