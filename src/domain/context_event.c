/*
 * context_event.c: context events: validation, the policy (every signed-in user reads; the
 * beheerder and content roles of the owner write), optimistic locking and audit in the same
 * transaction as the change.
 */
#include "domain/context_event.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/context_event_store.h"
#include "store/org_store.h"

#define DETAIL_MAX 160

static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* "GM0114" or "0114" -> "0114"; false for anything else. */
static bool norm_cbs(const char *in, char out[5])
{
    const char *p = in;
    if ((p[0] == 'G' || p[0] == 'g') && (p[1] == 'M' || p[1] == 'm'))
        p += 2;
    if (strlen(p) != 4)
        return false;
    for (int k = 0; k < 4; k++)
        if (p[k] < '0' || p[k] > '9')
            return false;
    memcpy(out, p, 5);
    return true;
}

struct checked {
    struct str title;
    char *title_z;
    char gemeente[5];
};

static int check_fields(struct arena *a, const struct context_event_input *in, struct checked *c,
                        struct err_ctx *e)
{
    const char *d = in->description ? in->description : "";
    size_t dn = strlen(d);
    memset(c, 0, sizeof *c);
    c->title = str_trim(str_from(in->title));
    if (c->title.len == 0)
        return err_set(e, ERR_INVALID, "title", "%s", _("Vul een titel in."));
    if (!utf8_valid(c->title.p, c->title.len, NULL) || has_any_control(c->title.p, c->title.len))
        return err_set(e, ERR_INVALID, "title", "%s", _("De titel bevat ongeldige tekens."));
    if (utf8_count(c->title.p, c->title.len) > CEVENT_TITLE_MAX)
        return err_set(e, ERR_INVALID, "title", _("De titel is te lang (maximaal %d tekens)."),
                       CEVENT_TITLE_MAX);
    if (!utf8_valid(d, dn, NULL) || utf8_has_controls(d, dn))
        return err_set(e, ERR_INVALID, "description", "%s",
                       _("De beschrijving bevat ongeldige tekens."));
    if (utf8_count(d, dn) > CEVENT_DESCRIPTION_MAX)
        return err_set(e, ERR_INVALID, "description",
                       _("De beschrijving is te lang (maximaal %d tekens)."),
                       CEVENT_DESCRIPTION_MAX);
    if (in->on_date < CEVENT_DAY_MIN || in->on_date > CEVENT_DAY_MAX)
        return err_set(e, ERR_INVALID, "on_date", "%s", _("Vul een geldige datum in."));
    if (in->has_until && (in->until_date < in->on_date || in->until_date > CEVENT_DAY_MAX))
        return err_set(e, ERR_INVALID, "until_date", "%s",
                       _("De einddatum mag niet voor de begindatum liggen."));
    if (in->gemeente && *in->gemeente && !norm_cbs(in->gemeente, c->gemeente))
        return err_set(e, ERR_INVALID, "gemeente", "%s",
                       _("Kies een gemeente (CBS-code, bijvoorbeeld GM0114)."));
    if (in->gemeente && *in->gemeente && in->aanbieder_id)
        return err_set(e, ERR_INVALID, "aanbieder_id", "%s",
                       _("Kies een gemeente of een aanbieder, niet allebei."));
    c->title_z = arena_strndup(a, c->title.p, c->title.len);
    return c->title_z ? 0 : ERR_NOMEM;
}

static int check_parties(struct db *db, const struct context_event_input *in,
                         const struct checked *c, struct err_ctx *e)
{
    int ret;
    if (c->gemeente[0]) {
        char cbs[7];
        int64_t id;
        snprintf(cbs, sizeof cbs, "GM%s", c->gemeente);
        ret = org_store_find_cbs(db, cbs, 0, &id);
        if (ret == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "gemeente", "%s", _("Deze gemeente is onbekend."));
        if (ret)
            return ret;
    }
    if (in->aanbieder_id) {
        enum org_kind kind;
        bool archived;
        ret = in->aanbieder_id > 0 ? org_store_kind(db, in->aanbieder_id, &kind, &archived)
                                   : ERR_NOT_FOUND;
        if (ret == ERR_NOT_FOUND || (!ret && kind != ORG_AANBIEDER))
            return err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Deze aanbieder bestaat niet."));
        if (ret)
            return ret;
    }
    return 0;
}

static void fill(struct context_event_values *v, int64_t owner,
                 const struct context_event_input *in, const struct checked *c)
{
    *v = (struct context_event_values){
        .owner_org_id = owner,
        .title = c->title_z,
        .description = in->description ? in->description : "",
        .on_date = in->on_date,
        .has_until = in->has_until,
        .until_date = in->until_date,
        .gemeente = c->gemeente[0] ? c->gemeente : NULL,
        .aanbieder_id = in->aanbieder_id,
    };
}

static struct object_ref ref_of(int64_t id, int64_t owner, enum org_kind kind)
{
    return (struct object_ref){
        .kind = OBJ_CONTEXT_EVENT, .id = id, .owner_org_id = owner, .owner_org_kind = kind};
}

int context_event_create(struct store *s, const struct actor *who,
                         const struct context_event_input *in, int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org owner;
    struct checked c;
    struct context_event_values v;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret;

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
    struct object_ref obj = ref_of(0, owner.id, owner.kind);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_fields(a, in, &c, e)))
        goto out;
    fill(&v, owner.id, in, &c);
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "owner=%" PRId64, owner.id);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = check_parties(db, in, &c, e)) ||
        (ret = context_event_store_insert(db, &v, at, who->user_id, &id)))
        goto out;
    ret = audit_write(db, who, "context_event.create", "context_event", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft deze gebeurtenis intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

int context_event_update(struct store *s, const struct actor *who, int64_t id,
                         const struct context_event_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct context_event cur;
    enum org_kind okind;
    bool oarch;
    struct checked c;
    struct context_event_values v;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = context_event_store_get(a, db, id, &cur)) ||
        (ret = org_store_kind(db, cur.owner_org_id, &okind, &oarch)))
        goto out;
    struct object_ref obj = ref_of(id, cur.owner_org_id, okind);
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if ((ret = check_fields(a, in, &c, e)) || (ret = check_parties(db, in, &c, e)))
        goto out;
    fill(&v, cur.owner_org_id, in, &c);
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "version=%" PRId64, cur.version + 1);
    ret = context_event_store_update(db, id, in->version, &v, at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (!ret)
        ret = audit_write(db, who, "context_event.update", "context_event", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Deze gebeurtenis bestaat niet."));
    arena_free(a);
    return ret;
}

int context_event_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                               struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct context_event cur;
    enum org_kind okind;
    bool oarch;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = context_event_store_get(a, db, id, &cur)) ||
        (ret = org_store_kind(db, cur.owner_org_id, &okind, &oarch)))
        goto out;
    struct object_ref obj = ref_of(id, cur.owner_org_id, okind);
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (cur.archived == archived)
        goto out;
    audit_format_time(time(NULL), at);
    if (!(ret = context_event_store_set_archived(db, id, archived, at)))
        ret = audit_write(db, who, archived ? "context_event.archive" : "context_event.restore",
                          "context_event", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Deze gebeurtenis bestaat niet."));
    arena_free(a);
    return ret;
}

int context_event_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                      struct context_event *out)
{
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    struct context_event ev;
    int ret = context_event_store_get(a, db, id, &ev);
    if (ret)
        return ret;
    struct object_ref obj = ref_of(id, ev.owner_org_id, ORG_REGION);
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    *out = ev;
    return 0;
}

int context_event_list(struct arena *a, struct store *s, const struct actor *who,
                       const struct context_event_filter *f, struct context_event **out, int *n,
                       int *total, struct err_ctx *e)
{
    static const struct context_event_filter all = {0};
    struct context_event_query q = {0};
    char gem[5];
    struct db *db;
    int ret, count = 0, got = 0;
    struct context_event *rows = NULL;

    *out = NULL;
    *n = 0;
    *total = 0;
    if (!f)
        f = &all;
    struct object_ref obj = {.kind = OBJ_CONTEXT_EVENT, .owner_org_id = f->owner_org_id};
    if (!policy_allows(who, ACT_LIST, &obj))
        return ERR_DENIED;
    if (f->limit < 0 || f->offset < 0 || f->nscope_gemeenten < 0 ||
        (f->has_range && f->to < f->from))
        return err_set(e, ERR_INVALID, NULL, "%s", _("Ongeldig filter."));
    q.owner_org_id = f->owner_org_id;
    if (f->gemeente && *f->gemeente) {
        if (!norm_cbs(f->gemeente, gem))
            return err_set(e, ERR_INVALID, "gemeente", "%s",
                           _("Kies een gemeente (CBS-code, bijvoorbeeld GM0114)."));
        q.gemeente = gem;
    }
    q.aanbieder_id = f->aanbieder_id;
    q.scoped = f->scoped;
    q.scope_all_gemeenten = f->scope_all_gemeenten;
    q.scope_aanbieder = f->scope_aanbieder;
    if (f->scoped && f->nscope_gemeenten > 0) {
        struct buf b;
        buf_init(&b, 64 * 1024);
        buf_append_char(&b, ',');
        for (int k = 0; k < f->nscope_gemeenten; k++) {
            char c[5];
            if (f->scope_gemeenten[k] && norm_cbs(f->scope_gemeenten[k], c))
                buf_appendf(&b, "%s,", c);
        }
        q.scope_list = arena_strdup(a, buf_cstr(&b));
        buf_release(&b);
        if (!q.scope_list)
            return ERR_NOMEM;
    }
    q.has_range = f->has_range;
    q.from = f->from;
    q.to = f->to;
    if (f->q && *f->q) {
        q.like = db_like_pattern(a, f->q, false);
        if (!q.like)
            return ERR_TOO_BIG;
    }
    q.include_archived = f->include_archived;
    q.limit = f->limit == 0 ? CEVENT_LIST_DEFAULT : f->limit;
    if (q.limit > CEVENT_LIST_MAX)
        q.limit = CEVENT_LIST_MAX;
    q.offset = f->offset;
    db = store_reader(s);
    if (!db)
        return ERR_DB;
    if ((ret = db_begin(db)))
        return ret;
    if (!(ret = context_event_store_count(db, &q, &count)) && count > q.offset)
        ret = context_event_store_list(a, db, &q, &rows, &got);
    db_rollback(db);
    if (ret)
        return ret;
    *out = rows;
    *n = got;
    *total = count;
    return 0;
}
