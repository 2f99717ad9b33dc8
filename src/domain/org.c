/*
 * org.c: organisations: validation (Dutch messages naming the field), the policy check before
 * anything is read or written, and the audit event in the same transaction as the change.
 * The SQL lives in store/org_store.c.
 */
#include "domain/org.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/cbs.h"
#include "domain/policy.h"
#include "store/org_store.h"

#define ORG_NAME_BYTES (ORG_NAME_MAX * 4) /* a code point is at most 4 bytes of UTF-8 */
#define ORG_Q_BYTES    ORG_NAME_BYTES     /* a search text longer than any name finds nothing */
#define ORG_CBS_LEN    6                  /* "GM0114" */
#define ORG_AGB_LEN    8
#define ORG_DETAIL_MAX 96
#define ORG_CHANGED    "changed=" /* prefix of an update's audit detail */

/* Validated, normalised input: `in` points into the buffers below (or the CBS table). */
struct org_clean {
    struct org_input in;
    char name[ORG_NAME_BYTES + 1];
    char cbs[ORG_CBS_LEN + 1];
    char agb[ORG_AGB_LEN + 1];
};

static int denied(struct err_ctx *e)
{
    return err_set(e, ERR_DENIED, NULL, _("U heeft geen toestemming voor deze handeling"));
}

static int not_found(struct err_ctx *e)
{
    return err_set(e, ERR_NOT_FOUND, NULL, _("Deze organisatie bestaat niet"));
}

/* Gives store and internal errors a message too, so the caller always has one to show. */
static void ensure_message(struct err_ctx *e, int ret)
{
    if (!e || !ret || e->code)
        return;
    if (ret == ERR_CONFLICT)
        err_set(e, ret, NULL, _("Deze organisatie bestaat al"));
    else
        err_set(e, ret, NULL, _("De organisatie kon niet worden opgeslagen; probeer het opnieuw"));
}

bool org_agb_valid(const char *code)
{
    if (!code || strlen(code) != ORG_AGB_LEN)
        return false;
    for (size_t i = 0; i < ORG_AGB_LEN; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return true;
}

/* True if s holds a C0 or C1 control character or DEL (names are one line of plain text). */
static bool has_control(struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x20 || c == 0x7f)
            return true;
        if (c == 0xc2 && i + 1 < s.len && (unsigned char)s.p[i + 1] <= 0x9f)
            return true; /* U+0080..U+009F */
    }
    return false;
}

/* Validates a name into c->name. An empty name is left empty for the caller to judge. */
static int clean_name(const char *name, struct org_clean *c, struct err_ctx *e)
{
    struct str s = str_trim(str_from(name));
    if (s.len == 0) {
        c->name[0] = '\0';
        return 0;
    }
    if (!utf8_valid(s.p, s.len, NULL))
        return err_set(e, ERR_INVALID, "name", _("De naam bevat ongeldige tekens"));
    if (has_control(s))
        return err_set(e, ERR_INVALID, "name",
                       _("De naam mag geen regeleinden, tabs of andere stuurtekens bevatten"));
    if (s.len > ORG_NAME_BYTES || utf8_count(s.p, s.len) > ORG_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", _("De naam is te lang (hoogstens %d tekens)"),
                       ORG_NAME_MAX);
    memcpy(c->name, s.p, s.len);
    c->name[s.len] = '\0';
    return 0;
}

/* The gemeente's CBS code, normalised to "GMxxxx"; the CBS name is the default name. */
static int clean_cbs(enum org_kind kind, const char *code, struct org_clean *c, struct err_ctx *e)
{
    struct str s = str_trim(str_from(code));
    char buf[ORG_CBS_LEN + 1];
    if (kind != ORG_GEMEENTE) {
        if (s.len)
            return err_set(e, ERR_INVALID, "cbs_code", _("Alleen een gemeente heeft een CBS-code"));
        return 0;
    }
    if (s.len == 0)
        return err_set(e, ERR_INVALID, "cbs_code",
                       _("Vul de CBS-code van de gemeente in, bijvoorbeeld GM0114"));
    const struct cbs_gemeente *g = NULL;
    if (s.len <= ORG_CBS_LEN) {
        memcpy(buf, s.p, s.len);
        buf[s.len] = '\0';
        g = cbs_find(buf);
    }
    if (!g)
        return err_set(e, ERR_INVALID, "cbs_code",
                       _("Deze CBS-code komt niet voor in de CBS-lijst van gemeenten"));
    memcpy(c->cbs, g->code, sizeof c->cbs);
    c->in.cbs_code = c->cbs;
    if (!c->name[0]) {
        size_t n = strlen(g->name);
        memcpy(c->name, g->name, n + 1);
    }
    return 0;
}

static int clean_agb(enum org_kind kind, const char *code, struct org_clean *c, struct err_ctx *e)
{
    struct str s = str_trim(str_from(code));
    if (kind != ORG_AANBIEDER) {
        if (s.len)
            return err_set(e, ERR_INVALID, "agb_code",
                           _("Alleen een aanbieder heeft een AGB-code"));
        return 0;
    }
    if (s.len == 0)
        return err_set(e, ERR_INVALID, "agb_code", _("Vul de AGB-code van de aanbieder in"));
    if (s.len == ORG_AGB_LEN) {
        memcpy(c->agb, s.p, s.len);
        c->agb[s.len] = '\0';
    }
    if (!org_agb_valid(c->agb))
        return err_set(e, ERR_INVALID, "agb_code", _("Een AGB-code bestaat uit 8 cijfers"));
    c->in.agb_code = c->agb;
    return 0;
}

/* Parent rules that need no database: how many, and no repeats. */
static int clean_parents(enum org_kind kind, const struct org_input *in, int64_t self_id,
                         struct org_clean *c, struct err_ctx *e)
{
    if (in->nparents < 0 || in->nparents > ORG_MAX_PARENTS)
        return err_set(e, ERR_INVALID, "parent_ids",
                       _("Te veel bovenliggende organisaties (hoogstens %d)"), ORG_MAX_PARENTS);
    if (kind == ORG_TOEGANG && in->nparents != 1)
        return err_set(e, ERR_INVALID, "parent_ids",
                       _("Kies de gemeente waar het toegangsteam bij hoort"));
    if (kind != ORG_GEMEENTE && kind != ORG_TOEGANG && in->nparents > 0)
        return err_set(e, ERR_INVALID, "parent_ids",
                       _("Alleen een gemeente of toegangsteam hoort bij een andere organisatie"));
    for (int i = 0; i < in->nparents; i++) {
        if (in->parent_ids[i] <= 0)
            return err_set(e, ERR_INVALID, "parent_ids",
                           _("De gekozen bovenliggende organisatie bestaat niet"));
        if (in->parent_ids[i] == self_id)
            return err_set(e, ERR_INVALID, "parent_ids",
                           _("Een organisatie kan niet bij zichzelf horen"));
        for (int j = 0; j < i; j++)
            if (in->parent_ids[j] == in->parent_ids[i])
                return err_set(e, ERR_INVALID, "parent_ids",
                               _("Dezelfde organisatie is twee keer gekozen"));
        c->in.parent_ids[i] = in->parent_ids[i];
    }
    c->in.nparents = in->nparents;
    return 0;
}

/* Validates everything that needs no database. kind is the (existing or new) kind. */
static int clean_input(enum org_kind kind, const struct org_input *in, int64_t self_id,
                       struct org_clean *c, struct err_ctx *e)
{
    int ret = 0;
    memset(c, 0, sizeof *c);
    if (kind < ORG_KIND_MIN || kind > ORG_KIND_MAX) {
        ret = err_set(e, ERR_INVALID, "kind", _("Kies een geldige soort organisatie"));
        goto out;
    }
    c->in.kind = kind;
    ret = clean_name(in->name, c, e);
    if (!ret)
        ret = clean_cbs(kind, in->cbs_code, c, e);
    if (!ret && !c->name[0])
        ret = err_set(e, ERR_INVALID, "name", _("Vul een naam in"));
    if (!ret)
        ret = clean_agb(kind, in->agb_code, c, e);
    if (!ret)
        ret = clean_parents(kind, in, self_id, c, e);
    if (!ret && in->population < 0)
        ret = err_set(e, ERR_INVALID, "population", _("Het inwonertal kan niet negatief zijn"));
    c->in.name = c->name;
    c->in.population = in->population;
out:
    return ret;
}

/* Parent rules that need the database: they exist and are of the right kind. */
static int check_parents(struct db *db, const struct org_clean *c, struct err_ctx *e)
{
    for (int i = 0; i < c->in.nparents; i++) {
        enum org_kind pk;
        bool archived;
        int ret = org_store_kind(db, c->in.parent_ids[i], &pk, &archived);
        if (ret == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "parent_ids",
                           _("De gekozen bovenliggende organisatie bestaat niet"));
        if (ret)
            return ret;
        if (c->in.kind == ORG_GEMEENTE && pk != ORG_REGION)
            return err_set(e, ERR_INVALID, "parent_ids",
                           _("Een gemeente kan alleen bij een regio horen"));
        if (c->in.kind == ORG_TOEGANG && pk != ORG_GEMEENTE)
            return err_set(e, ERR_INVALID, "parent_ids",
                           _("Een toegangsteam hoort bij een gemeente"));
    }
    return 0;
}

/* Turns "found" into a conflict with a message, "not found" into success. */
static int dup_result(int found, struct err_ctx *e, const char *field, const char *msg)
{
    if (found == ERR_NOT_FOUND)
        return 0;
    if (found == 0)
        return err_set(e, ERR_CONFLICT, field, "%s", msg);
    return found;
}

static int check_duplicates(struct db *db, const struct org_clean *c, int64_t self_id,
                            struct err_ctx *e)
{
    int64_t other;
    int ret = 0;
    if (c->in.cbs_code)
        ret = dup_result(org_store_find_cbs(db, c->in.cbs_code, self_id, &other), e, "cbs_code",
                         _("Er bestaat al een gemeente met deze CBS-code"));
    if (!ret && c->in.agb_code)
        ret = dup_result(org_store_find_agb(db, c->in.agb_code, self_id, &other), e, "agb_code",
                         _("Er bestaat al een aanbieder met deze AGB-code"));
    if (!ret)
        ret = dup_result(org_store_find_name(db, c->in.kind, c->in.name, self_id, &other), e,
                         "name", _("Er bestaat al een organisatie van deze soort met deze naam"));
    return ret;
}

static void now_iso(char out[static AUDIT_TS_SIZE])
{
    audit_format_time(time(NULL), out);
}

int org_create(struct store *s, const struct actor *who, const struct org_input *in,
               int64_t *id_out, struct err_ctx *e)
{
    const struct object_ref obj = {.kind = OBJ_ORGANISATION,
                                   .owner_org_kind = in ? in->kind : (enum org_kind)0};
    struct org_clean c;
    struct db *db = NULL;
    char now[AUDIT_TS_SIZE], detail[ORG_DETAIL_MAX];
    bool writing = false;
    int64_t id = 0;
    int ret = 0;

    err_clear(e);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = denied(e);
        goto out;
    }
    if (!in) {
        ret = ERR_INTERNAL;
        goto out;
    }
    ret = clean_input(in->kind, in, 0, &c, e);
    if (ret)
        goto out;
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = check_parents(db, &c, e);
    if (!ret)
        ret = check_duplicates(db, &c, 0, e);
    if (ret)
        goto out;
    now_iso(now);
    ret = org_store_insert(db, &c.in, now, &id);
    if (!ret)
        ret = org_store_set_parents(db, id, c.in.parent_ids, c.in.nparents);
    if (ret)
        goto out;
    snprintf(detail, sizeof detail, "kind=%s", org_kind_code(c.in.kind));
    ret = audit_write(db, who, "org.create", "organisation", id, detail);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    ensure_message(e, ret);
    if (!ret)
        *id_out = id;
    return ret;
}

/* Appends ",field" (or "field") to the detail of an update. */
static void note_change(char *detail, size_t size, const char *field)
{
    /* Plain copies, not snprintf: the fields are short literals, and truncation of this
     * audit note is harmless, so it is done explicitly. */
    size_t len = strlen(detail);
    if (len > sizeof ORG_CHANGED - 1 && len + 1 < size)
        detail[len++] = ',';
    for (const char *f = field; *f && len + 1 < size; f++)
        detail[len++] = *f;
    detail[len < size ? len : size - 1] = '\0';
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Which fields an update changes, as "changed=name,parents" (no values: names may be
 * personal data for one-person providers). */
static void describe_update(const struct org *old, const struct org_input *in, char *detail,
                            size_t size)
{
    snprintf(detail, size, "%s", ORG_CHANGED);
    if (!same_text(old->name, in->name))
        note_change(detail, size, "name");
    if (!same_text(old->cbs_code, in->cbs_code))
        note_change(detail, size, "cbs_code");
    if (!same_text(old->agb_code, in->agb_code))
        note_change(detail, size, "agb_code");
    if (old->population != in->population)
        note_change(detail, size, "population");
    bool parents_same = old->nparents == in->nparents;
    for (int i = 0; parents_same && i < in->nparents; i++) {
        bool found = false;
        for (int j = 0; j < old->nparents; j++)
            found = found || old->parent_ids[j] == in->parent_ids[i];
        parents_same = found;
    }
    if (!parents_same)
        note_change(detail, size, "parents");
    if (strlen(detail) == sizeof ORG_CHANGED - 1)
        note_change(detail, size, "none");
}

int org_update(struct store *s, const struct actor *who, int64_t id, const struct org_input *in,
               struct err_ctx *e)
{
    const struct object_ref obj = {.kind = OBJ_ORGANISATION, .id = id, .owner_org_id = id};
    struct arena *a = NULL;
    struct org_clean c;
    struct org old;
    struct db *db = NULL;
    char now[AUDIT_TS_SIZE], detail[ORG_DETAIL_MAX];
    bool writing = false;
    int ret = 0;

    err_clear(e);
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = denied(e);
        goto out;
    }
    if (!in) {
        ret = ERR_INTERNAL;
        goto out;
    }
    a = arena_new(0);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = org_store_get(a, db, id, &old);
    if (ret == ERR_NOT_FOUND)
        ret = not_found(e);
    if (ret)
        goto out;
    if (in->kind != 0 && in->kind != old.kind) {
        ret = err_set(e, ERR_INVALID, "kind",
                      _("De soort van een organisatie kan niet worden gewijzigd"));
        goto out;
    }
    ret = clean_input(old.kind, in, id, &c, e);
    if (!ret)
        ret = check_parents(db, &c, e);
    if (!ret)
        ret = check_duplicates(db, &c, id, e);
    if (ret)
        goto out;
    describe_update(&old, &c.in, detail, sizeof detail);
    now_iso(now);
    ret = org_store_update(db, id, &c.in, now);
    if (!ret)
        ret = org_store_set_parents(db, id, c.in.parent_ids, c.in.nparents);
    if (!ret)
        ret = audit_write(db, who, "org.update", "organisation", id, detail);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    arena_free(a);
    ensure_message(e, ret);
    return ret;
}

int org_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                     struct err_ctx *e)
{
    const struct object_ref obj = {.kind = OBJ_ORGANISATION, .id = id, .owner_org_id = id};
    struct db *db = NULL;
    char now[AUDIT_TS_SIZE];
    enum org_kind kind;
    bool was_archived = false, writing = false;
    int ret = 0;

    err_clear(e);
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = denied(e);
        goto out;
    }
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = org_store_kind(db, id, &kind, &was_archived);
    if (ret == ERR_NOT_FOUND)
        ret = not_found(e);
    /* Archiving what is archived changes nothing, so there is nothing to audit either. */
    if (ret || was_archived == archived)
        goto out;
    now_iso(now);
    ret = org_store_set_archived(db, id, archived, now);
    if (!ret)
        ret = audit_write(db, who, archived ? "org.archive" : "org.restore", "organisation", id,
                          NULL);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    ensure_message(e, ret);
    return ret;
}

int org_get_internal(struct arena *a, struct store *s, int64_t id, struct org *out)
{
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    return org_store_get(a, db, id, out);
}

int org_get(struct arena *a, struct store *s, const struct actor *who, int64_t id, struct org *out)
{
    const struct object_ref obj = {.kind = OBJ_ORGANISATION, .id = id, .owner_org_id = id};
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    return org_get_internal(a, s, id, out);
}

/* Checks a filter and resolves it into a query (limit defaulted, q as a LIKE pattern). */
static int resolve_filter(struct arena *a, const struct org_filter *f, struct org_query *q)
{
    memset(q, 0, sizeof *q);
    if (f) {
        if (f->limit < 0 || f->offset < 0 || f->parent_id < 0)
            return ERR_INVALID;
        if (f->kind != 0 && (f->kind < ORG_KIND_MIN || f->kind > ORG_KIND_MAX))
            return ERR_INVALID;
        q->kind = f->kind;
        q->include_archived = f->include_archived;
        q->parent_id = f->parent_id;
        q->limit = f->limit;
        q->offset = f->offset;
        struct str t = str_trim(str_from(f->q));
        if (t.len > ORG_Q_BYTES || !utf8_valid(t.p, t.len, NULL) || has_control(t))
            return ERR_INVALID;
        if (t.len) {
            char *text = arena_strndup(a, t.p, t.len);
            q->name_like = text ? db_like_pattern(a, text, false) : NULL;
            if (!q->name_like)
                return ERR_TOO_BIG;
        }
    }
    if (q->limit == 0)
        q->limit = ORG_LIST_DEFAULT;
    if (q->limit > ORG_LIST_MAX)
        q->limit = ORG_LIST_MAX;
    return 0;
}

int org_list(struct arena *a, struct store *s, const struct actor *who, const struct org_filter *f,
             struct org **out, int *n, int *total)
{
    const struct object_ref obj = {.kind = OBJ_ORGANISATION};
    struct org_query q;
    struct org *rows = NULL;
    struct db *db = NULL;
    bool in_tx = false;
    int count = 0, got = 0;
    int ret = 0;

    if (!policy_allows(who, ACT_LIST, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    ret = resolve_filter(a, f, &q);
    if (ret)
        goto out;
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    /* One snapshot for the count and the page, so they agree. */
    ret = db_begin(db);
    if (ret)
        goto out;
    in_tx = true;
    ret = org_store_count(db, &q, &count);
    if (ret)
        goto out;
    int cap = count > q.offset ? count - q.offset : 0;
    if (cap > q.limit)
        cap = q.limit;
    if (cap > 0) {
        rows = arena_calloc(a, (size_t)cap, sizeof *rows);
        if (!rows) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        ret = org_store_list(a, db, &q, rows, cap, &got);
        if (ret)
            goto out;
    }
    *out = rows;
    *n = got;
    *total = count;
out:
    if (in_tx)
        db_rollback(db); /* read-only: this only ends the snapshot */
    return ret;
}
