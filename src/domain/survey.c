/*
 * survey.c: questionnaires as stored (survey.h): the policy (OBJ_SURVEY: beleid of the owning
 * gemeente or region edits, every user reads), validation through domain/questionnaire.c and
 * storage in canonical form, optimistic locking with a version history, compatibility once
 * rounds exist, and audit events in the same transaction as each change.
 */
#include "domain/survey.h"
#include "core/common.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/questionnaire_store.h"
#include "store/round_store.h"

static int survey_ref(struct arena *a, struct store *s, int64_t id, int64_t owner_id,
                      struct org *owner, struct object_ref *out)
{
    int ret = org_get_internal(a, s, owner_id, owner);
    if (ret)
        return ret;
    *out = (struct object_ref){
        .kind = OBJ_SURVEY, .id = id, .owner_org_id = owner_id, .owner_org_kind = owner->kind};
    if (owner->kind == ORG_GEMEENTE) {
        out->owner_region_ids = owner->parent_ids;
        out->owner_nregions = owner->nparents;
    }
    return 0;
}

static int conflict(struct err_ctx *e)
{
    return err_set(e, ERR_CONFLICT, "version", "%s",
                   _("Iemand anders heeft deze vragenlijst intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

int survey_parse(struct arena *a, const char *json, struct questionnaire *q, struct err_ctx *e)
{
    return questionnaire_parse(a, json, json ? strlen(json) : 0, q, e);
}

int survey_create(struct store *s, const struct actor *who, int64_t owner_org_id,
                  const char *template_code, const char *json, size_t len, int64_t *id_out,
                  struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct org owner;
    struct object_ref obj;
    struct questionnaire q;
    int ret = owner_org_id > 0 ? survey_ref(a, s, 0, owner_org_id, &owner, &obj) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND) {
        ret = err_set(e, ERR_INVALID, "owner_org_id", "%s", _("Deze organisatie bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (owner.archived || (owner.kind != ORG_GEMEENTE && owner.kind != ORG_REGION)) {
        ret = err_set(e, ERR_INVALID, "owner_org_id", "%s",
                      _("Alleen een gemeente of regio in gebruik kan een vragenlijst hebben."));
        goto out;
    }
    if (json)
        ret = questionnaire_parse(a, json, len, &q, e);
    else
        ret = questionnaire_template(a, template_code, &q, NULL, e);
    if (ret)
        goto out;
    const char *doc = questionnaire_write(a, &q);
    if (!doc) {
        ret = ERR_NOMEM;
        goto out;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    int64_t id = 0;
    ret = questionnaire_store_insert(db, owner_org_id, q.code, json ? NULL : template_code, doc, at,
                                     who->user_id, &id);
    if (ret == ERR_CONFLICT) {
        ret = err_set(e, ERR_CONFLICT, "code",
                      _("Deze organisatie heeft al een vragenlijst met de code %s."), q.code);
        goto out;
    }
    if (ret || (ret = audit_write(db, who, "survey.create", "survey", id, q.code)))
        goto out;
    *id_out = id;
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int survey_update(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  const char *json, size_t len, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct survey cur;
    struct org owner;
    struct object_ref obj;
    struct questionnaire q, old;
    int ret = questionnaire_store_get(a, store_reader(s), id, &cur);
    if (ret)
        goto out;
    if ((ret = survey_ref(a, s, id, cur.owner_org_id, &owner, &obj)))
        goto out;
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if ((ret = questionnaire_parse(a, json, len, &q, e)))
        goto out;
    /* Once residents answered a version, stored numbers must keep their meaning. */
    if (cur.nrounds > 0) {
        if ((ret = survey_parse(a, cur.document, &old, e)))
            goto out;
        if (!questionnaire_compatible(&old, &q, e)) {
            ret = ERR_INVALID;
            goto out;
        }
    }
    const char *doc = questionnaire_write(a, &q);
    if (!doc) {
        ret = ERR_NOMEM;
        goto out;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    ret = questionnaire_store_update(db, id, version, q.code, doc, at, who->user_id);
    if (ret == ERR_CONFLICT) {
        /* Either someone saved in between, or the new code is taken by another survey. */
        struct survey now;
        if (questionnaire_store_get(a, db, id, &now) == 0 && now.version != version)
            ret = conflict(e);
        else
            ret = err_set(e, ERR_CONFLICT, "code",
                          _("Deze organisatie heeft al een vragenlijst met de code %s."), q.code);
        goto out;
    }
    if (ret)
        goto out;
    char detail[80];
    snprintf(detail, sizeof detail, "%s v%" PRId64, q.code, version + 1);
    ret = audit_write(db, who, "survey.update", "survey", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int survey_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                        struct err_ctx *e)
{
    (void)e;
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct survey cur;
    struct org owner;
    struct object_ref obj;
    int ret = questionnaire_store_get(a, store_reader(s), id, &cur);
    if (ret)
        goto out;
    if ((ret = survey_ref(a, s, id, cur.owner_org_id, &owner, &obj)))
        goto out;
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = questionnaire_store_set_archived(db, id, archived, at)))
        goto out;
    ret = audit_write(db, who, archived ? "survey.archive" : "survey.restore", "survey", id,
                      cur.code);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

/* The document's title for lists (the stored row keeps only the code). */
static void fill_title(struct arena *a, struct survey *sv)
{
    struct questionnaire q;
    struct err_ctx e;
    sv->title = survey_parse(a, sv->document, &q, &e) == 0 ? q.title : sv->code;
}

int survey_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct survey *out)
{
    struct org owner;
    struct object_ref obj;
    int ret = questionnaire_store_get(a, store_reader(s), id, out);
    if (ret)
        return ret;
    if ((ret = survey_ref(a, s, id, out->owner_org_id, &owner, &obj)))
        return ret;
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    fill_title(a, out);
    return 0;
}

int survey_get_version(struct arena *a, struct store *s, int64_t id, int64_t version,
                       const char **json_out)
{
    return questionnaire_store_version(a, store_reader(s), id, version, json_out);
}

bool survey_may(struct arena *a, struct store *s, const struct actor *who, enum action act,
                const struct survey *sv)
{
    struct org owner;
    struct object_ref obj;
    return survey_ref(a, s, sv->id, sv->owner_org_id, &owner, &obj) == 0 &&
           policy_allows(who, act, &obj);
}

bool survey_may_create(struct arena *a, struct store *s, const struct actor *who,
                       int64_t owner_org_id)
{
    struct org owner;
    struct object_ref obj;
    return owner_org_id > 0 && survey_ref(a, s, 0, owner_org_id, &owner, &obj) == 0 &&
           policy_allows(who, ACT_CREATE, &obj);
}

int survey_list(struct arena *a, struct store *s, const struct actor *who,
                const struct survey_filter *f, struct survey **out, int *n, int *total)
{
    struct survey_filter def = {0};
    if (!f)
        f = &def;
    struct object_ref coll = {.kind = OBJ_SURVEY};
    if (!policy_allows(who, ACT_LIST, &coll))
        return ERR_DENIED;
    if (f->limit < 0 || f->offset < 0)
        return ERR_INVALID;
    int limit = f->limit == 0 ? SURVEY_LIST_DEFAULT : f->limit;
    if (limit > SURVEY_LIST_MAX)
        limit = SURVEY_LIST_MAX;
    int ret = questionnaire_store_list(a, store_reader(s), f->owner_org_id, f->include_archived,
                                       limit, f->offset, out, n, total);
    for (int i = 0; !ret && i < *n; i++)
        fill_title(a, &(*out)[i]);
    return ret;
}
