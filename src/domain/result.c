/*
 * result.c: maatschappelijke resultaten: the fixed themes, validation, the authorisation
 * policy (beleid of the owning gemeente or region), optimistic locking on edits, and audit
 * events written in the same transaction as the change.
 */
#include "domain/result.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/result_store.h"

#define DETAIL_MAX 160

/* ---- Themes. --------------------------------------------------------------------------------- */

struct theme_def {
    const char *code;  /* stable: stored in the database and used in URLs and the API */
    const char *label; /* msgid; translated on use */
};

static const struct theme_def themes[] = {
    [THEME_OPGROEIEN] = {"opgroeien", N_("Veilig en gezond opgroeien")},
    [THEME_ZELFREDZAAMHEID] = {"zelfredzaamheid", N_("Zelfredzaamheid en meedoen")},
    [THEME_WONEN] = {"wonen", N_("Wonen en zorg")},
    [THEME_MENTAAL] = {"mentaal", N_("Mentale gezondheid")},
    [THEME_ONDERWIJS] = {"onderwijs", N_("Onderwijs en ontwikkeling")},
    [THEME_VEILIGHEID] = {"veiligheid", N_("Veiligheid en bescherming")},
    [THEME_MANTELZORG] = {"mantelzorg", N_("Mantelzorg en informele zorg")},
    [THEME_WERK] = {"werk", N_("Werk en inkomen")},
};

static bool theme_valid(int t)
{
    return t >= THEME_MIN && t <= THEME_MAX;
}

const char *theme_code(enum result_theme t)
{
    return theme_valid((int)t) ? themes[t].code : "";
}

const char *theme_label(enum result_theme t)
{
    return theme_valid((int)t) ? _(themes[t].label) : _("Onbekend thema");
}

int theme_parse(const char *code, enum result_theme *out)
{
    if (!code)
        return ERR_INVALID;
    for (int t = THEME_MIN; t <= THEME_MAX; t++) {
        if (strcmp(themes[t].code, code) == 0) {
            *out = (enum result_theme)t;
            return 0;
        }
    }
    return ERR_INVALID;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

/* True if s has a C0 control character (newlines and tabs included) or DEL. */
static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* Looks up the would-be owner; a missing one is a validation error (there is nothing to
 * authorise against, and organisations are visible to every user anyway). */
static int find_owner(struct arena *a, struct store *s, int64_t org_id, struct org *out,
                      struct err_ctx *e)
{
    int ret = org_id > 0 ? org_get_internal(a, s, org_id, out) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "owner_org_id", "%s", _("Deze organisatie bestaat niet."));
    return ret;
}

/*
 * The owner must be a gemeente or region and in use. Checked after the policy (authorisation
 * comes before validation, so a refused user learns nothing from the answer); the policy
 * already refuses other kinds, this keeps the rule true should the policy ever widen.
 */
static int check_owner(const struct org *org, struct err_ctx *e)
{
    if (org->kind != ORG_GEMEENTE && org->kind != ORG_REGION)
        return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                       _("Alleen een gemeente of regio kan een maatschappelijk resultaat hebben."));
    if (org->archived)
        return err_set(e, ERR_INVALID, "owner_org_id", "%s",
                       _("Deze organisatie is gearchiveerd."));
    return 0;
}

/* Validates everything but the owner; *title receives the title without surrounding space. */
static int check_fields(const struct result_input *in, struct str *title, struct err_ctx *e)
{
    struct str t = str_trim(str_from(in->title));
    const char *d = in->description ? in->description : "";
    size_t dn = strlen(d);

    if (!theme_valid(in->theme))
        return err_set(e, ERR_INVALID, "theme", "%s", _("Kies een thema."));
    if (t.len == 0)
        return err_set(e, ERR_INVALID, "title", "%s", _("Vul een titel in."));
    if (!utf8_valid(t.p, t.len, NULL) || has_any_control(t.p, t.len))
        return err_set(e, ERR_INVALID, "title", "%s", _("De titel bevat ongeldige tekens."));
    if (utf8_count(t.p, t.len) > RESULT_TITLE_MAX)
        return err_set(e, ERR_INVALID, "title", _("De titel is te lang (maximaal %d tekens)."),
                       RESULT_TITLE_MAX);
    /* Line breaks and tabs are fine in a description; other control characters are not. */
    if (!utf8_valid(d, dn, NULL) || utf8_has_controls(d, dn))
        return err_set(e, ERR_INVALID, "description", "%s",
                       _("De beschrijving bevat ongeldige tekens."));
    if (utf8_count(d, dn) > RESULT_DESCRIPTION_MAX)
        return err_set(e, ERR_INVALID, "description",
                       _("De beschrijving is te lang (maximaal %d tekens)."),
                       RESULT_DESCRIPTION_MAX);
    if (in->start_year < RESULT_YEAR_MIN || in->start_year > RESULT_YEAR_MAX)
        return err_set(e, ERR_INVALID, "start_year", _("Kies een beginjaar van %d tot en met %d."),
                       RESULT_YEAR_MIN, RESULT_YEAR_MAX);
    if (in->end_year < RESULT_YEAR_MIN || in->end_year > RESULT_YEAR_MAX)
        return err_set(e, ERR_INVALID, "end_year", _("Kies een eindjaar van %d tot en met %d."),
                       RESULT_YEAR_MIN, RESULT_YEAR_MAX);
    if (in->end_year < in->start_year)
        return err_set(e, ERR_INVALID, "end_year", "%s",
                       _("Het eindjaar mag niet voor het beginjaar liggen."));
    *title = t;
    return 0;
}

/* ---- Helpers. -------------------------------------------------------------------------------- */

/* The policy's view of a result owned by org (its regions matter for gemeente owners). */
static struct object_ref owner_ref(int64_t id, const struct org *org)
{
    struct object_ref o = {
        .kind = OBJ_RESULT, .id = id, .owner_org_id = org->id, .owner_org_kind = org->kind};
    if (org->kind == ORG_GEMEENTE) {
        o.owner_region_ids = org->parent_ids;
        o.owner_nregions = org->nparents;
    }
    return o;
}

/* Policy check against a result's current owner, looked up without a policy check. */
static int allowed_on(struct arena *a, struct store *s, const struct actor *who, enum action act,
                      int64_t id, int64_t owner_id)
{
    struct org org;
    int ret = org_get_internal(a, s, owner_id, &org);
    if (ret)
        return ret;
    struct object_ref obj = owner_ref(id, &org);
    return policy_allows(who, act, &obj) ? 0 : ERR_DENIED;
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft dit resultaat intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

/* ---- Operations. ----------------------------------------------------------------------------- */

int result_create(struct store *s, const struct actor *who, const struct result_input *in,
                  int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org owner;
    struct str title;
    char *title_copy = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret = 0;

    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    if ((ret = find_owner(a, s, in->owner_org_id, &owner, e)))
        goto out;
    struct object_ref obj = owner_ref(0, &owner);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_owner(&owner, e)) || (ret = check_fields(in, &title, e)))
        goto out;
    title_copy = xstrndup(title.p, title.len);
    struct result_values v = {
        .owner_org_id = owner.id,
        .theme_code = theme_code((enum result_theme)in->theme),
        .title = title_copy,
        .description = in->description ? in->description : "",
        .start_year = in->start_year,
        .end_year = in->end_year,
    };
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "owner=%" PRId64 " theme=%s", owner.id, v.theme_code);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = result_store_insert(db, &v, at, who->user_id, &id)))
        goto out;
    ret = audit_write(db, who, "result.create", "result", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    free(title_copy);
    arena_free(a);
    return ret;
}

int result_update(struct store *s, const struct actor *who, int64_t id,
                  const struct result_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct result cur;
    struct org owner;
    struct str title;
    char *title_copy = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    /* Read inside the transaction: the version compared is the version overwritten. */
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = result_store_get(a, db, id, &cur)) ||
        (ret = org_get_internal(a, s, cur.owner_org_id, &owner)))
        goto out;
    struct object_ref from = owner_ref(id, &owner);
    if (!policy_allows(who, ACT_EDIT, &from)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    /* Moving a result to another owner needs the right to it there as well. */
    if (in->owner_org_id != cur.owner_org_id) {
        if ((ret = find_owner(a, s, in->owner_org_id, &owner, e)))
            goto out;
        struct object_ref to = owner_ref(id, &owner);
        if (!policy_allows(who, ACT_EDIT, &to)) {
            ret = ERR_DENIED;
            goto out;
        }
        if ((ret = check_owner(&owner, e)))
            goto out;
    }
    if ((ret = check_fields(in, &title, e)))
        goto out;
    title_copy = xstrndup(title.p, title.len);
    struct result_values v = {
        .owner_org_id = owner.id,
        .theme_code = theme_code((enum result_theme)in->theme),
        .title = title_copy,
        .description = in->description ? in->description : "",
        .start_year = in->start_year,
        .end_year = in->end_year,
    };
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "version=%" PRId64 " owner=%" PRId64 " theme=%s",
             cur.version + 1, owner.id, v.theme_code);
    ret = result_store_update(db, id, in->version, &v, at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, who, "result.update", "result", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    free(title_copy);
    arena_free(a);
    return ret;
}

int result_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                        struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct result cur;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = result_store_get(a, db, id, &cur)))
        goto out;
    if ((ret = allowed_on(a, s, who, ACT_ARCHIVE, id, cur.owner_org_id)))
        goto out;
    if (cur.archived == archived)
        goto out; /* nothing changes, so nothing to record */
    audit_format_time(time(NULL), at);
    if ((ret = result_store_set_archived(db, id, archived, at)))
        goto out;
    ret = audit_write(db, who, archived ? "result.archive" : "result.restore", "result", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit resultaat bestaat niet."));
    arena_free(a);
    return ret;
}

int result_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct result *out)
{
    struct result r;
    struct db *db = store_reader(s);
    int ret = 0;

    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = result_store_get(a, db, id, &r)))
        goto out;
    if ((ret = allowed_on(a, s, who, ACT_VIEW, id, r.owner_org_id)))
        goto out;
    *out = r;
out:
    return ret;
}

int result_list(struct arena *a, struct store *s, const struct actor *who,
                const struct result_filter *f, struct result **out, int *n, int *total)
{
    static const struct result_filter all = {0};
    struct result_query q = {0};
    struct result *rows = NULL;
    struct db *db = NULL;
    bool in_tx = false;
    int count = 0, got = 0;
    int ret = 0;

    if (!f)
        f = &all;
    struct object_ref obj = {.kind = OBJ_RESULT, .owner_org_id = f->owner_org_id};
    if (!policy_allows(who, ACT_LIST, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (f->limit < 0 || f->offset < 0 || (f->theme != 0 && !theme_valid(f->theme))) {
        ret = ERR_INVALID;
        goto out;
    }
    q.owner_org_id = f->owner_org_id;
    q.theme_code = f->theme ? theme_code((enum result_theme)f->theme) : NULL;
    q.include_archived = f->include_archived;
    q.limit = f->limit == 0 ? RESULT_LIST_DEFAULT : f->limit;
    if (q.limit > RESULT_LIST_MAX)
        q.limit = RESULT_LIST_MAX;
    q.offset = f->offset;
    if (f->q && *f->q) {
        q.like = db_like_pattern(a, f->q, false);
        if (!q.like) {
            ret = ERR_TOO_BIG;
            goto out;
        }
    }
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    /* One snapshot for the count and the page, so they agree. */
    if ((ret = db_begin(db)))
        goto out;
    in_tx = true;
    if ((ret = result_store_count(db, &q, &count)))
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
        if ((ret = result_store_list(a, db, &q, rows, cap, &got)))
            goto out;
    }
    *out = rows;
    *n = got;
    *total = count;
out:
    if (in_tx)
        db_rollback(db); /* read-only: ending the snapshot is all that is left to do */
    return ret;
}
