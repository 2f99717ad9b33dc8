/*
 * provider_event.c: events recorded on an aanbieder (calamity, supervisor measure, complaint):
 * validation (a date, a description without person data: anon_check), optimistic locking,
 * audit, and the policy-filtered list. Who may record or read an event is asked of the policy
 * (OBJ_PROVIDER_EVENT, rule 19).
 */
#include "domain/provider_event.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/anon_check.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "store/provider_event_store.h"
#include <time.h>

#define DAY_MIN 7305  /* 1990-01-01 */
#define DAY_MAX 47482 /* 2099-12-31 */

/* Person data refused in a description. Birth dates are not screened: an event description
 * names dates of its own (the event's date has its own field, but "melding van 3-4-2026" is
 * normal), and a date alone does not identify a client here. */
#define PEV_ANON_KINDS (ANON_BSN_LIKE | ANON_EMAIL | ANON_PHONE | ANON_POSTCODE)

static const struct {
    const char *code;
    const char *label;
} kinds[] = {
    [PEV_CALAMITEIT] = {"calamiteit", N_("Calamiteit")},
    [PEV_MAATREGEL] = {"maatregel_toezichthouder", N_("Maatregel toezichthouder")},
    [PEV_KLACHT] = {"klacht", N_("Klacht")},
    [PEV_OVERIG] = {"overig", N_("Overige gebeurtenis")},
};

static bool kind_ok(int k)
{
    return k >= PEV_KIND_MIN && k <= PEV_KIND_MAX;
}

const char *provider_event_kind_code(enum provider_event_kind k)
{
    return kind_ok((int)k) ? kinds[k].code : "";
}

const char *provider_event_kind_label(enum provider_event_kind k)
{
    return kind_ok((int)k) ? _(kinds[k].label) : "";
}

int provider_event_kind_parse(const char *code, enum provider_event_kind *out)
{
    for (int k = PEV_KIND_MIN; code && k <= PEV_KIND_MAX; k++)
        if (strcmp(kinds[k].code, code) == 0) {
            *out = (enum provider_event_kind)k;
            return 0;
        }
    return ERR_INVALID;
}

void provider_event_object(const struct provider_event *ev, struct object_ref *out)
{
    *out = (struct object_ref){.kind = OBJ_PROVIDER_EVENT, .share = SHARE_PARTIES};
    if (!ev)
        return;
    out->id = ev->id;
    out->owner_org_id = ev->owner_org_id;
    out->owner_org_kind = ev->owner_org_kind;
    /* The aanbieder id lives in the event itself, so the array needs no arena. */
    out->party_org_ids = &ev->aanbieder_id;
    out->nparties = 1;
}

/* Validated fields; the description in a. */
static int check_input(struct arena *a, const struct provider_event_input *in, const char **desc,
                       struct err_ctx *e)
{
    if (!kind_ok(in->kind))
        return err_set(e, ERR_INVALID, "kind", "%s",
                       _("Kies calamiteit, maatregel toezichthouder, klacht of overig."));
    if (in->on_date < DAY_MIN || in->on_date > DAY_MAX)
        return err_set(e, ERR_INVALID, "on_date", "%s", _("Vul een geldige datum in."));
    if (in->on_date > day_today() + 1)
        return err_set(e, ERR_INVALID, "on_date", "%s", _("De datum ligt in de toekomst."));
    struct str t = str_trim(str_from(in->description ? in->description : ""));
    if (t.len == 0)
        return err_set(e, ERR_INVALID, "description", "%s", _("Vul de beschrijving in."));
    if (!utf8_valid(t.p, t.len, NULL) || utf8_has_controls(t.p, t.len))
        return err_set(e, ERR_INVALID, "description", "%s",
                       _("Er staan ongeldige tekens in de beschrijving."));
    if (utf8_count(t.p, t.len) > PEV_TEXT_MAX)
        return err_set(e, ERR_INVALID, "description",
                       _("Maak de beschrijving korter (maximaal %d tekens)."), PEV_TEXT_MAX);
    struct anon_report rep;
    int ret = anon_check(t.p, t.len, PEV_ANON_KINDS, a, &rep);
    if (ret)
        return ret;
    if (rep.nfindings > 0)
        return err_set(e, ERR_INVALID, "description",
                       _("Haal persoonsgegevens uit de beschrijving (gevonden: %s). Beschrijf "
                         "wat er gebeurde zonder iemand herkenbaar te maken."),
                       anon_kind_label(rep.findings[0].kind));
    *desc = arena_strndup(a, t.p, t.len);
    return *desc ? 0 : ERR_NOMEM;
}

int provider_event_create(struct store *s, const struct actor *who,
                          const struct provider_event_input *in, int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct org prov;
    const char *desc = NULL;
    char now[AUDIT_TS_SIZE];
    int64_t id = 0;
    int ret = a && in && who ? 0 : ERR_INVALID;
    if (ret)
        goto out;
    struct provider_event probe = {.aanbieder_id = in->aanbieder_id,
                                   .owner_org_id = who->org_id,
                                   .owner_org_kind = who->org_kind};
    struct object_ref obj;
    provider_event_object(&probe, &obj);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    ret = in->aanbieder_id > 0 ? org_get_internal(a, s, in->aanbieder_id, &prov) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND || (!ret && (prov.kind != ORG_AANBIEDER || prov.archived))) {
        ret = err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Kies een aanbieder."));
        goto out;
    }
    if (ret || (ret = check_input(a, in, &desc, e)))
        goto out;
    audit_format_time(time(NULL), now);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    const char *code = provider_event_kind_code((enum provider_event_kind)in->kind);
    if ((ret = pev_store_insert(db, prov.id, who->org_id, code, in->on_date, desc, who->user_id,
                                now, &id)))
        goto out;
    char detail[96];
    snprintf(detail, sizeof detail, "aanbieder=%" PRId64 " kind=%s", prov.id, code);
    ret = audit_write(db, who, "provider_event.create", "provider_event", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

/* Loads an event for a change: ERR_NOT_FOUND when the actor may not view it, ERR_DENIED when
 * they may view but not do act. */
static int load_for(struct arena *a, struct db *db, const struct actor *who, int64_t id,
                    enum action act, struct provider_event *ev, struct err_ctx *e)
{
    struct object_ref obj;
    int ret = pev_store_get(a, db, id, ev);
    if (!ret) {
        provider_event_object(ev, &obj);
        if (!policy_allows(who, ACT_VIEW, &obj))
            ret = ERR_NOT_FOUND;
        else if (!policy_allows(who, act, &obj))
            ret = ERR_DENIED;
    }
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Deze gebeurtenis bestaat niet."));
    return ret;
}

int provider_event_update(struct store *s, const struct actor *who, int64_t id,
                          const struct provider_event_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct provider_event ev;
    const char *desc = NULL;
    char now[AUDIT_TS_SIZE];
    int ret = a && in ? 0 : ERR_INVALID;
    if (ret || (ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, id, ACT_EDIT, &ev, e)) || (ret = check_input(a, in, &desc, e)))
        goto out;
    audit_format_time(time(NULL), now);
    const char *code = provider_event_kind_code((enum provider_event_kind)in->kind);
    ret = pev_store_update(db, id, in->version, code, in->on_date, desc, now);
    if (ret == ERR_CONFLICT) {
        err_set(e, ret, "version", "%s",
                _("Iemand anders heeft deze gebeurtenis intussen gewijzigd. Laad de pagina "
                  "opnieuw."));
        goto out;
    }
    if (!ret)
        ret = audit_write(db, who, "provider_event.update", "provider_event", id, code);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int provider_event_set_archived(struct store *s, const struct actor *who, int64_t id,
                                int64_t version, bool archived, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct provider_event ev;
    char now[AUDIT_TS_SIZE];
    int ret = a ? 0 : ERR_NOMEM;
    if (ret || (ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_for(a, db, who, id, ACT_ARCHIVE, &ev, e)))
        goto out;
    audit_format_time(time(NULL), now);
    ret = pev_store_set_archived(db, id, version, archived, now);
    if (ret == ERR_CONFLICT) {
        err_set(e, ret, "version", "%s",
                _("Iemand anders heeft deze gebeurtenis intussen gewijzigd. Laad de pagina "
                  "opnieuw."));
        goto out;
    }
    if (!ret)
        ret = audit_write(db, who, archived ? "provider_event.archive" : "provider_event.restore",
                          "provider_event", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int provider_event_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       struct provider_event *out)
{
    struct db *db = store_reader(s);
    struct object_ref obj;
    if (!db)
        return ERR_DB;
    int ret = pev_store_get(a, db, id, out);
    if (ret)
        return ret;
    provider_event_object(out, &obj);
    return policy_allows(who, ACT_VIEW, &obj) ? 0 : ERR_NOT_FOUND;
}

int provider_event_list(struct arena *a, struct store *s, const struct actor *who,
                        int64_t aanbieder_id, bool include_archived, struct provider_event **out,
                        int *n)
{
    struct db *db = store_reader(s);
    struct provider_event *rows = NULL;
    int nrows = 0;
    *out = NULL;
    *n = 0;
    if (!db)
        return ERR_DB;
    struct object_ref coll = {.kind = OBJ_PROVIDER_EVENT};
    if (!policy_allows(who, ACT_LIST, &coll))
        return ERR_DENIED;
    int ret =
        pev_store_list(a, db, aanbieder_id, include_archived, PEV_LIST_MAX * 10, &rows, &nrows);
    if (ret)
        return ret;
    int k = 0;
    for (int i = 0; i < nrows && k < PEV_LIST_MAX; i++) {
        struct object_ref obj;
        provider_event_object(&rows[i], &obj);
        if (policy_allows(who, ACT_VIEW, &obj))
            rows[k++] = rows[i];
    }
    *out = rows;
    *n = k;
    return 0;
}
