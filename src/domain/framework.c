/*
 * framework.c: the quality framework (kwaliteitskader): source/law/verification vocabularies,
 * validation with Dutch messages naming the field, the authorisation policy (OBJ_FRAMEWORK,
 * OBJ_CRITERION), optimistic locking, the version history (every change bumps the framework
 * version and copies the changed criteria into criterion_version), the duplicate check and
 * merges (nothing is deleted: a merged criterion is archived and its source recorded on the
 * one kept), and the all-or-nothing import of rows. Audit events go in the same transaction.
 */
#include "domain/framework.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/framework_similar.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/framework_store.h"
#include "store/org_store.h"
#include <ctype.h>
#include <stdlib.h>

#define DETAIL_MAX  200
#define SUMMARY_MAX 400
#define DUP_MAX     500 /* pairs shown at once; the most similar first */

/* ---- Vocabularies. --------------------------------------------------------------------------- */

struct source_def {
    const char *code;
    const char *label;
};

static const struct source_def sources[] = {
    [FW_SRC_BRANCHENORM] = {"branchenorm", N_("Branchenorm")},
    [FW_SRC_CERTIFICERING] = {"certificering", N_("Certificering")},
    [FW_SRC_WETSARTIKEL] = {"wetsartikel", N_("Wetsartikel")},
    [FW_SRC_CONTRACTEIS] = {"contracteis", N_("Contracteis")},
    [FW_SRC_LOKAAL] = {"lokaal", N_("Lokaal punt")},
};

static bool source_valid(int s)
{
    return s >= FW_SRC_MIN && s <= FW_SRC_MAX;
}

const char *fw_source_code(enum fw_source s)
{
    return source_valid((int)s) ? sources[s].code : "";
}

const char *fw_source_label(enum fw_source s)
{
    return source_valid((int)s) ? _(sources[s].label) : _("Onbekende bron");
}

/* Lower-cased ASCII word [a-z0-9] runs of s, one at a time: returns the next word into w. */
static const char *next_word(const char *p, char *w, size_t cap)
{
    size_t n = 0;
    while (*p && !isalnum((unsigned char)*p))
        p++;
    while (*p && isalnum((unsigned char)*p)) {
        if (n + 1 < cap)
            w[n++] = (char)tolower((unsigned char)*p);
        p++;
    }
    w[n] = '\0';
    return p;
}

int fw_source_parse(const char *code, enum fw_source *out)
{
    char w[32];
    if (!code)
        return ERR_INVALID;
    struct str t = str_trim(str_from(code));
    if (t.len == 0 || t.len >= sizeof w)
        return ERR_INVALID;
    for (size_t i = 0; i < t.len; i++)
        w[i] = (char)tolower((unsigned char)t.p[i]);
    w[t.len] = '\0';
    for (int s = FW_SRC_MIN; s <= FW_SRC_MAX; s++) {
        if (strcmp(w, sources[s].code) == 0) {
            *out = (enum fw_source)s;
            return 0;
        }
    }
    return ERR_INVALID;
}

const char *fw_laws_code(unsigned laws)
{
    switch (laws & FW_LAW_ALL) {
    case FW_LAW_JW:
        return "jw";
    case FW_LAW_WMO:
        return "wmo";
    case FW_LAW_ALL:
        return "jw,wmo";
    }
    return "";
}

const char *fw_verify_code(unsigned v)
{
    static const char *const codes[] = {
        "",          "document",           "gesprek",           "document,gesprek",
        "onderzoek", "document,onderzoek", "gesprek,onderzoek", "document,gesprek,onderzoek",
    };
    return codes[v & FW_VERIFY_ALL];
}

int fw_laws_parse(const char *s, unsigned *out)
{
    char w[32];
    unsigned bits = 0;
    if (!s)
        return ERR_INVALID;
    for (const char *p = next_word(s, w, sizeof w); w[0]; p = next_word(p, w, sizeof w)) {
        if (!strcmp(w, "jw") || !strcmp(w, "jeugdwet") || !strcmp(w, "jeugd"))
            bits |= FW_LAW_JW;
        else if (!strcmp(w, "wmo"))
            bits |= FW_LAW_WMO;
        else if (!strcmp(w, "beide") || !strcmp(w, "alle"))
            bits |= FW_LAW_ALL;
        else if (strcmp(w, "en") != 0 && strcmp(w, "2015") != 0)
            return ERR_INVALID;
    }
    if (!bits)
        return ERR_INVALID;
    *out = bits;
    return 0;
}

int fw_verify_parse(const char *s, unsigned *out)
{
    char w[32];
    unsigned bits = 0;
    if (!s)
        return ERR_INVALID;
    for (const char *p = next_word(s, w, sizeof w); w[0]; p = next_word(p, w, sizeof w)) {
        if (!strcmp(w, "document") || !strcmp(w, "documenten") || !strcmp(w, "dossier"))
            bits |= FW_VERIFY_DOCUMENT;
        else if (!strcmp(w, "gesprek") || !strcmp(w, "gesprekken") ||
                 !strcmp(w, "verificatiegesprek"))
            bits |= FW_VERIFY_GESPREK;
        else if (!strcmp(w, "onderzoek"))
            bits |= FW_VERIFY_ONDERZOEK;
        else if (strcmp(w, "aanvullend") != 0 && strcmp(w, "en") != 0)
            return ERR_INVALID;
    }
    if (!bits)
        return ERR_INVALID;
    *out = bits;
    return 0;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* Messages built from "%s ..." with a lower-case field phrase start with a capital. */
static int capitalised(struct err_ctx *e, int code)
{
    if (e && e->msg[0] >= 'a' && e->msg[0] <= 'z')
        e->msg[0] = (char)(e->msg[0] - 'a' + 'A');
    return code;
}

/* A one-line text of 1..max (or 0..max when optional) code points, trimmed into *out. */
static int check_line(const char *s, bool required, int max, const char *field, const char *what,
                      struct str *out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(s ? s : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || has_any_control(t.p, t.len))
        return capitalised(e,
                           err_set(e, ERR_INVALID, field, _("%s bevat ongeldige tekens."), what));
    if (utf8_count(t.p, t.len) > (size_t)max)
        return capitalised(
            e, err_set(e, ERR_INVALID, field, _("%s is te lang (maximaal %d tekens)."), what, max));
    *out = t;
    return 0;
}

/* A text that may have line breaks. */
static int check_text(const char *s, bool required, int max, const char *field, const char *what,
                      struct str *out, struct err_ctx *e)
{
    struct str t = str_trim(str_from(s ? s : ""));
    if (t.len == 0 && required)
        return err_set(e, ERR_INVALID, field, _("Vul %s in."), what);
    if (!utf8_valid(t.p, t.len, NULL) || utf8_has_controls(t.p, t.len))
        return capitalised(e,
                           err_set(e, ERR_INVALID, field, _("%s bevat ongeldige tekens."), what));
    if (utf8_count(t.p, t.len) > (size_t)max)
        return capitalised(
            e, err_set(e, ERR_INVALID, field, _("%s is te lang (maximaal %d tekens)."), what, max));
    *out = t;
    return 0;
}

/* A criterion's fields, trimmed copies in the arena. */
struct crit_clean {
    char *theme, *code, *text, *source_ref, *categories, *evidence;
};

static int check_criterion(struct arena *a, const struct criterion_input *in, struct crit_clean *c,
                           struct err_ctx *e)
{
    struct str theme, code, text, ref, cats, ev;
    int ret;
    if ((ret = check_line(in->theme, true, FW_THEME_MAX, "theme", _("het thema"), &theme, e)) ||
        (ret = check_line(in->code, true, FW_CODE_MAX, "code", _("de code"), &code, e)))
        return ret;
    for (size_t i = 0; i < code.len; i++) {
        char ch = code.p[i];
        if (!isalnum((unsigned char)ch) && ch != '.' && ch != '-' && ch != '_')
            return err_set(e, ERR_INVALID, "code", "%s",
                           _("Een code bestaat uit letters, cijfers, punt, streepje of liggend "
                             "streepje."));
    }
    if ((ret = check_text(in->text, true, FW_TEXT_MAX, "text", _("de tekst van het criterium"),
                          &text, e)))
        return ret;
    if (!source_valid(in->source))
        return err_set(e, ERR_INVALID, "source", "%s",
                       _("Kies een bron: branchenorm, certificering, wetsartikel, contracteis "
                         "of lokaal."));
    if ((ret = check_line(in->source_ref, false, FW_SOURCE_REF_MAX, "source_ref",
                          _("de bronverwijzing"), &ref, e)))
        return ret;
    if (in->laws == 0 || (in->laws & ~FW_LAW_ALL))
        return err_set(e, ERR_INVALID, "laws", "%s", _("Kies Jeugdwet, Wmo of beide."));
    cats = str_trim(str_from(in->categories ? in->categories : ""));
    if (cats.len > FW_CATEGORIES_MAX)
        return err_set(e, ERR_INVALID, "categories",
                       _("De productcategorieën zijn te lang (maximaal %d tekens)."),
                       FW_CATEGORIES_MAX);
    for (size_t i = 0; i < cats.len; i++) {
        char ch = cats.p[i];
        if (!isalnum((unsigned char)ch) && ch != ',' && ch != ' ')
            return err_set(e, ERR_INVALID, "categories", "%s",
                           _("Productcategorieën zijn codes gescheiden door komma's, "
                             "bijvoorbeeld 41, 45."));
    }
    if ((ret = check_text(in->evidence, false, FW_EVIDENCE_MAX, "evidence",
                          _("het gevraagde bewijs"), &ev, e)))
        return ret;
    if (in->verify == 0 || (in->verify & ~FW_VERIFY_ALL))
        return err_set(e, ERR_INVALID, "verify", "%s",
                       _("Kies hoe het criterium wordt getoetst: document, gesprek of "
                         "aanvullend onderzoek."));
    c->theme = arena_strndup(a, theme.p, theme.len);
    c->code = arena_strndup(a, code.p, code.len);
    c->text = arena_strndup(a, text.p, text.len);
    c->source_ref = arena_strndup(a, ref.p, ref.len);
    c->categories = arena_strndup(a, cats.p, cats.len);
    c->evidence = arena_strndup(a, ev.p, ev.len);
    if (!c->theme || !c->code || !c->text || !c->source_ref || !c->categories || !c->evidence)
        return ERR_NOMEM;
    return 0;
}

int criterion_check(const struct criterion_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct crit_clean c;
    int ret = a && in ? check_criterion(a, in, &c, e) : ERR_INVALID;
    arena_free(a);
    return ret;
}

/* ---- Helpers. -------------------------------------------------------------------------------- */

static struct object_ref owner_ref(enum object_kind k, int64_t id, const struct org *org)
{
    struct object_ref o = {
        .kind = k, .id = id, .owner_org_id = org->id, .owner_org_kind = org->kind};
    if (org->kind == ORG_GEMEENTE) {
        o.owner_region_ids = org->parent_ids;
        o.owner_nregions = org->nparents;
    }
    return o;
}

static int allowed(struct arena *a, struct store *s, const struct actor *who, enum object_kind k,
                   enum action act, int64_t id, int64_t owner)
{
    struct org org;
    int ret = org_get_internal(a, s, owner, &org);
    if (ret)
        return ret == ERR_NOT_FOUND ? ERR_DENIED : ret;
    struct object_ref obj = owner_ref(k, id, &org);
    return policy_allows(who, act, &obj) ? 0 : ERR_DENIED;
}

/* The owner of a criterion: its gemeente when local, else the framework's region. */
static int64_t crit_owner(const struct framework *f, int64_t local_org_id)
{
    return local_org_id > 0 ? local_org_id : f->owner_org_id;
}

static int not_found(struct err_ctx *e, int ret, const char *what)
{
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", what);
    return ret;
}

/* A local criterion's gemeente must be a gemeente of the framework's region. */
static int check_local(struct arena *a, struct store *s, const struct framework *f,
                       int64_t local_org_id, struct err_ctx *e)
{
    struct org g;
    if (local_org_id <= 0)
        return 0;
    int ret = org_get_internal(a, s, local_org_id, &g);
    if (ret == ERR_NOT_FOUND || (ret == 0 && g.kind != ORG_GEMEENTE))
        return err_set(e, ERR_INVALID, "local_org_id", "%s",
                       _("Een lokaal criterium hoort bij een gemeente."));
    if (ret)
        return ret;
    for (int i = 0; i < g.nparents; i++)
        if (g.parent_ids[i] == f->owner_org_id)
            return 0;
    return err_set(e, ERR_INVALID, "local_org_id", "%s",
                   _("Deze gemeente hoort niet bij de regio van dit kwaliteitskader."));
}

static void values_from(struct criterion_values *v, const struct crit_clean *c,
                        const struct criterion_input *in, int64_t theme_id)
{
    *v = (struct criterion_values){
        .theme_id = theme_id,
        .local_org_id = in->local_org_id,
        .code = c->code,
        .text = c->text,
        .source_code = fw_source_code((enum fw_source)in->source),
        .source_ref = c->source_ref,
        .laws = in->laws,
        .categories = c->categories,
        .evidence = c->evidence,
        .verify = in->verify,
    };
}

/* Bumps the framework version with a summary and copies the touched criteria at it. */
static int record_version(struct db *db, const struct actor *who, int64_t fw, const int64_t *ids,
                          int n, const char *summary, const char *now)
{
    int64_t version = 0;
    int ret = fw_store_bump(db, fw, summary, now, who->user_id, &version);
    for (int i = 0; !ret && i < n; i++)
        ret = crit_store_snapshot(db, ids[i], version);
    return ret;
}

/* ---- Frameworks. ----------------------------------------------------------------------------- */

static int check_framework(const struct framework_input *in, struct str *name, struct str *desc,
                           struct err_ctx *e)
{
    int ret = check_line(in->name, true, FW_NAME_MAX, "name", _("de naam"), name, e);
    if (!ret)
        ret = check_text(in->description, false, FW_DESCRIPTION_MAX, "description",
                         _("de beschrijving"), desc, e);
    return ret;
}

int framework_create(struct store *s, const struct actor *who, const struct framework_input *in,
                     int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org owner;
    struct str name, desc;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret;

    if (!in || !a) {
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
    struct object_ref obj = owner_ref(OBJ_FRAMEWORK, 0, &owner);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (owner.kind != ORG_REGION || owner.archived) {
        ret = err_set(e, ERR_INVALID, "owner_org_id", "%s",
                      _("Een kwaliteitskader hoort bij een regio die in gebruik is."));
        goto out;
    }
    if ((ret = check_framework(in, &name, &desc, e)))
        goto out;
    char *n = arena_strndup(a, name.p, name.len), *d = arena_strndup(a, desc.p, desc.len);
    if (!n || !d) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = fw_store_insert(db, owner.id, n, d, at, who->user_id, &id)) ||
        (ret = fw_store_first_version(db, id, _("Kwaliteitskader aangemaakt"), at, who->user_id)))
        goto out;
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "owner=%" PRId64, owner.id);
    ret = audit_write(db, who, "framework.create", "framework", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

int framework_update(struct store *s, const struct actor *who, int64_t id,
                     const struct framework_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework cur;
    struct str name, desc;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!in || !a) {
        ret = ERR_INVALID;
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = fw_store_get(a, db, id, &cur)) ||
        (ret = allowed(a, s, who, OBJ_FRAMEWORK, ACT_EDIT, id, cur.owner_org_id)))
        goto out;
    if (in->version != cur.version) {
        ret = err_set(e, ERR_CONFLICT, "version", "%s",
                      _("Iemand anders heeft dit kwaliteitskader intussen gewijzigd. Laad de "
                        "pagina opnieuw."));
        goto out;
    }
    if ((ret = check_framework(in, &name, &desc, e)))
        goto out;
    char *n = arena_strndup(a, name.p, name.len), *d = arena_strndup(a, desc.p, desc.len);
    if (!n || !d) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = fw_store_update(db, id, in->version, n, d, at)) ||
        (ret = record_version(db, who, id, NULL, 0, _("Naam of beschrijving gewijzigd"), at)))
        goto out;
    ret = audit_write(db, who, "framework.update", "framework", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit kwaliteitskader bestaat niet."));
    arena_free(a);
    return ret;
}

int framework_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                  struct framework *out)
{
    struct db *db = store_reader(s);
    struct framework f;
    if (!db)
        return ERR_DB;
    int ret = fw_store_get(a, db, id, &f);
    if (ret)
        return ret;
    if ((ret = allowed(a, s, who, OBJ_FRAMEWORK, ACT_VIEW, id, f.owner_org_id)))
        return ret;
    *out = f;
    return 0;
}

int framework_list(struct arena *a, struct store *s, const struct actor *who, int64_t owner_org_id,
                   struct framework **out, int *n)
{
    struct object_ref obj = {.kind = OBJ_FRAMEWORK, .owner_org_id = owner_org_id};
    if (!policy_allows(who, ACT_LIST, &obj))
        return ERR_DENIED;
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    return fw_store_list(a, db, owner_org_id, out, n);
}

/* Reads a framework the actor may view (reader connection). */
static int viewable(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                    struct db **db_out)
{
    struct framework f;
    int ret = framework_get(a, s, who, id, &f);
    if (ret)
        return ret;
    *db_out = store_reader(s);
    return *db_out ? 0 : ERR_DB;
}

int framework_themes(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct fw_theme **out, int *n)
{
    struct db *db;
    int ret = viewable(a, s, who, id, &db);
    return ret ? ret : fw_store_themes(a, db, id, out, n);
}

int framework_criteria(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       bool include_archived, struct criterion **out, int *n)
{
    struct db *db;
    int ret = viewable(a, s, who, id, &db);
    return ret ? ret : crit_store_list(a, db, id, include_archived, out, n);
}

int framework_criteria_at(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                          int64_t version, struct criterion **out, int *n)
{
    struct framework f;
    int ret = framework_get(a, s, who, id, &f);
    if (ret)
        return ret;
    if (version < 1 || version > f.version)
        return ERR_NOT_FOUND;
    struct db *db = store_reader(s);
    return db ? crit_store_list_at(a, db, id, version, out, n) : ERR_DB;
}

int framework_versions(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       struct fw_version **out, int *n)
{
    struct db *db;
    int ret = viewable(a, s, who, id, &db);
    return ret ? ret : fw_store_versions(a, db, id, out, n);
}

/* ---- Criteria. ------------------------------------------------------------------------------- */

/* Counts the framework's criteria (archived too) against FW_CRITERIA_MAX. */
static int check_room(struct arena *a, struct db *db, int64_t fw, int adding, struct err_ctx *e)
{
    struct criterion *cs;
    int n = 0;
    int ret = crit_store_list(a, db, fw, true, &cs, &n);
    if (ret)
        return ret;
    if (n + adding > FW_CRITERIA_MAX)
        return err_set(e, ERR_TOO_BIG, NULL, _("Een kwaliteitskader heeft maximaal %d criteria."),
                       FW_CRITERIA_MAX);
    return 0;
}

/* Adds one criterion inside an open write transaction (no version bump, no audit). */
static int create_in(struct arena *a, struct store *s, struct db *db, const struct actor *who,
                     const struct framework *f, const struct criterion_input *in, const char *now,
                     int64_t *id_out, struct err_ctx *e)
{
    struct crit_clean c;
    struct criterion_values v;
    int64_t theme_id, other;
    int ret = allowed(a, s, who, OBJ_CRITERION, ACT_CREATE, 0, crit_owner(f, in->local_org_id));
    if (ret)
        return ret;
    if (f->archived)
        return err_set(e, ERR_INVALID, NULL, "%s", _("Dit kwaliteitskader is gearchiveerd."));
    if ((ret = check_criterion(a, in, &c, e)) || (ret = check_local(a, s, f, in->local_org_id, e)))
        return ret;
    ret = crit_store_by_code(db, f->id, c.code, &other);
    if (ret == 0)
        return err_set(e, ERR_CONFLICT, "code", _("Er is al een criterium met de code %s."),
                       c.code);
    if (ret != ERR_NOT_FOUND)
        return ret;
    if ((ret = fw_store_theme_id(db, f->id, c.theme, &theme_id)))
        return ret;
    values_from(&v, &c, in, theme_id);
    return crit_store_insert(db, f->id, &v, now, id_out);
}

int criterion_create(struct store *s, const struct actor *who, int64_t framework_id,
                     const struct criterion_input *in, int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    char at[AUDIT_TS_SIZE], summary[SUMMARY_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret;

    if (!in || !a) {
        ret = ERR_INVALID;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = fw_store_get(a, db, framework_id, &f)) ||
        (ret = allowed(a, s, who, OBJ_FRAMEWORK, ACT_VIEW, f.id, f.owner_org_id)) ||
        (ret = check_room(a, db, f.id, 1, e)) ||
        (ret = create_in(a, s, db, who, &f, in, at, &id, e)))
        goto out;
    snprintf(summary, sizeof summary, _("Criterium %s toegevoegd"), in->code);
    if ((ret = record_version(db, who, f.id, &id, 1, summary, at)))
        goto out;
    char detail[DETAIL_MAX];
    snprintf(detail, sizeof detail, "framework=%" PRId64 " local=%" PRId64, f.id, in->local_org_id);
    ret = audit_write(db, who, "criterion.create", "criterion", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit kwaliteitskader bestaat niet."));
    if (!ret && id_out)
        *id_out = id;
    arena_free(a);
    return ret;
}

/* Updates one criterion inside an open write transaction (no version bump, no audit).
 * check_version false: the import overwrites whatever version is current. */
static int update_in(struct arena *a, struct store *s, struct db *db, const struct actor *who,
                     const struct framework *f, const struct criterion *cur,
                     const struct criterion_input *in, bool check_version, const char *now,
                     struct err_ctx *e)
{
    struct crit_clean c;
    struct criterion_values v;
    int64_t theme_id, other;
    int ret =
        allowed(a, s, who, OBJ_CRITERION, ACT_EDIT, cur->id, crit_owner(f, cur->local_org_id));
    if (ret)
        return ret;
    /* Moving a criterion between regional and local needs the right at the new owner too. */
    if (in->local_org_id != cur->local_org_id &&
        (ret =
             allowed(a, s, who, OBJ_CRITERION, ACT_EDIT, cur->id, crit_owner(f, in->local_org_id))))
        return ret;
    if (check_version && in->version != cur->version)
        return err_set(e, ERR_CONFLICT, "version", "%s",
                       _("Iemand anders heeft dit criterium intussen gewijzigd. Laad de pagina "
                         "opnieuw."));
    if ((ret = check_criterion(a, in, &c, e)) || (ret = check_local(a, s, f, in->local_org_id, e)))
        return ret;
    ret = crit_store_by_code(db, f->id, c.code, &other);
    if (ret == 0 && other != cur->id)
        return err_set(e, ERR_CONFLICT, "code", _("Er is al een criterium met de code %s."),
                       c.code);
    if (ret != 0 && ret != ERR_NOT_FOUND)
        return ret;
    if ((ret = fw_store_theme_id(db, f->id, c.theme, &theme_id)))
        return ret;
    values_from(&v, &c, in, theme_id);
    ret = crit_store_update(db, cur->id, cur->version, &v, now);
    if (ret == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "version", "%s",
                       _("Iemand anders heeft dit criterium intussen gewijzigd."));
    return ret;
}

int criterion_update(struct store *s, const struct actor *who, int64_t id,
                     const struct criterion_input *in, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    struct criterion cur;
    char at[AUDIT_TS_SIZE], summary[SUMMARY_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!in || !a) {
        ret = ERR_INVALID;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = crit_store_get(a, db, id, &cur)) ||
        (ret = fw_store_get(a, db, cur.framework_id, &f)) ||
        (ret = update_in(a, s, db, who, &f, &cur, in, true, at, e)))
        goto out;
    snprintf(summary, sizeof summary, _("Criterium %s gewijzigd"), cur.code);
    if ((ret = record_version(db, who, f.id, &id, 1, summary, at)))
        goto out;
    ret = audit_write(db, who, "criterion.update", "criterion", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

int criterion_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                           struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    struct criterion cur;
    char at[AUDIT_TS_SIZE], summary[SUMMARY_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!a) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = crit_store_get(a, db, id, &cur)) ||
        (ret = fw_store_get(a, db, cur.framework_id, &f)) ||
        (ret =
             allowed(a, s, who, OBJ_CRITERION, ACT_ARCHIVE, id, crit_owner(&f, cur.local_org_id))))
        goto out;
    if (cur.archived == archived)
        goto out;
    if ((ret = crit_store_set_archived(db, id, archived, 0, at)))
        goto out;
    snprintf(summary, sizeof summary,
             archived ? _("Criterium %s gearchiveerd") : _("Criterium %s teruggezet"), cur.code);
    if ((ret = record_version(db, who, f.id, &id, 1, summary, at)))
        goto out;
    ret = audit_write(db, who, archived ? "criterion.archive" : "criterion.restore", "criterion",
                      id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

int criterion_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                  struct criterion *out)
{
    struct db *db = store_reader(s);
    struct criterion c;
    struct framework f;
    if (!db)
        return ERR_DB;
    int ret = crit_store_get(a, db, id, &c);
    if (ret || (ret = fw_store_get(a, db, c.framework_id, &f)))
        return ret;
    if ((ret = allowed(a, s, who, OBJ_CRITERION, ACT_VIEW, id, crit_owner(&f, c.local_org_id))))
        return ret;
    *out = c;
    return 0;
}

/* ---- Duplicates. ----------------------------------------------------------------------------- */

static int cmp_dup(const void *x, const void *y)
{
    const struct fw_duplicate *a = x, *b = y;
    if (a->similarity != b->similarity)
        return a->similarity < b->similarity ? 1 : -1;
    if (a->a->id != b->a->id)
        return a->a->id < b->a->id ? -1 : 1;
    return (a->b->id > b->b->id) - (a->b->id < b->b->id);
}

static bool pair_decided(const struct fw_pair *ps, int n, int64_t lo, int64_t hi)
{
    for (int i = 0; i < n; i++)
        if (ps[i].low == lo && ps[i].high == hi)
            return true;
    return false;
}

int framework_duplicates(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                         struct fw_duplicate **out, int *n)
{
    struct criterion *cs = NULL;
    struct fw_pair *decided = NULL;
    struct db *db;
    int nc = 0, nd = 0, got = 0;
    int ret = viewable(a, s, who, id, &db);
    if (ret || (ret = crit_store_list(a, db, id, false, &cs, &nc)) ||
        (ret = crit_store_not_dup_list(a, db, id, &decided, &nd)))
        return ret;
    struct fw_sig *sig = nc ? arena_calloc(a, (size_t)nc, sizeof *sig) : NULL;
    struct fw_duplicate *pairs = arena_calloc(a, DUP_MAX + 1, sizeof *pairs);
    if ((nc && !sig) || !pairs)
        return ERR_NOMEM;
    for (int i = 0; i < nc; i++)
        if ((ret = fw_signature(a, cs[i].text, &sig[i])))
            return ret;
    /* All pairs: a framework has at most FW_CRITERIA_MAX criteria (2 million comparisons of
     * short sorted arrays, well under a second); 40 criteria take microseconds. */
    for (int i = 0; i < nc; i++) {
        for (int j = i + 1; j < nc; j++) {
            double sim = fw_sig_similarity(&sig[i], &sig[j]);
            if (sim < FW_DUP_THRESHOLD)
                continue;
            const struct criterion *lo = cs[i].id < cs[j].id ? &cs[i] : &cs[j];
            const struct criterion *hi = lo == &cs[i] ? &cs[j] : &cs[i];
            if (pair_decided(decided, nd, lo->id, hi->id))
                continue;
            pairs[got++] = (struct fw_duplicate){.a = lo, .b = hi, .similarity = sim};
            if (got > DUP_MAX) { /* keep the most similar DUP_MAX */
                qsort(pairs, (size_t)got, sizeof *pairs, cmp_dup);
                got = DUP_MAX;
            }
        }
    }
    qsort(pairs, (size_t)got, sizeof *pairs, cmp_dup);
    *out = pairs;
    *n = got;
    return 0;
}

/* Criteria x and y and their framework; both must be of the same framework (field: the
 * parameter to blame otherwise). */
static int load_pair(struct arena *a, struct db *db, int64_t x, int64_t y, const char *field,
                     struct framework *f, struct criterion *cx, struct criterion *cy,
                     struct err_ctx *e)
{
    int ret;
    if ((ret = crit_store_get(a, db, x, cx)) || (ret = crit_store_get(a, db, y, cy)) ||
        (ret = fw_store_get(a, db, cx->framework_id, f)))
        return ret;
    if (cx->framework_id != cy->framework_id)
        return err_set(e, ERR_INVALID, field, "%s",
                       _("Deze criteria horen bij verschillende kwaliteitskaders."));
    return 0;
}
int framework_merge(struct store *s, const struct actor *who, int64_t keep, int64_t drop,
                    struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    struct criterion k, d;
    char at[AUDIT_TS_SIZE], summary[SUMMARY_MAX], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!a) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_pair(a, db, keep, drop, "drop", &f, &k, &d, e)))
        goto out;
    if ((ret = allowed(a, s, who, OBJ_CRITERION, ACT_EDIT, keep, crit_owner(&f, k.local_org_id))) ||
        (ret =
             allowed(a, s, who, OBJ_CRITERION, ACT_ARCHIVE, drop, crit_owner(&f, d.local_org_id))))
        goto out;
    /* Checked after the policy: a refused user learns nothing from the answer. */
    if (keep == drop) {
        ret = err_set(e, ERR_INVALID, "drop", "%s",
                      _("Kies twee verschillende criteria om samen te voegen."));
        goto out;
    }
    if (k.archived || d.archived) {
        ret = err_set(e, ERR_CONFLICT, "drop", "%s",
                      _("Een van deze criteria is al gearchiveerd of samengevoegd."));
        goto out;
    }
    /* The kept criterion now also answers to the dropped one's sources. */
    if ((ret = crit_store_add_source(db, keep, drop, fw_source_code(d.source), d.source_ref)))
        goto out;
    for (int i = 0; i < d.nextra; i++)
        if ((ret = crit_store_add_source(db, keep, d.extra[i].from_criterion_id,
                                         fw_source_code(d.extra[i].kind), d.extra[i].ref)))
            goto out;
    if ((ret = crit_store_set_archived(db, drop, true, keep, at)))
        goto out;
    snprintf(summary, sizeof summary, _("Criterium %s samengevoegd met %s"), d.code, k.code);
    int64_t ids[2] = {keep, drop};
    if ((ret = record_version(db, who, f.id, ids, 2, summary, at)))
        goto out;
    snprintf(detail, sizeof detail, "keep=%" PRId64 " drop=%" PRId64, keep, drop);
    ret = audit_write(db, who, "criterion.merge", "criterion", keep, detail);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

int framework_not_duplicate(struct store *s, const struct actor *who, int64_t x, int64_t y,
                            struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    struct criterion cx, cy;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret;

    if (!a) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = load_pair(a, db, x, y, "b", &f, &cx, &cy, e)))
        goto out;
    /* Whoever may change one of the two may say they are different. */
    if (allowed(a, s, who, OBJ_CRITERION, ACT_EDIT, x, crit_owner(&f, cx.local_org_id)) != 0 &&
        (ret = allowed(a, s, who, OBJ_CRITERION, ACT_EDIT, y, crit_owner(&f, cy.local_org_id))))
        goto out;
    if (x == y) {
        ret = err_set(e, ERR_INVALID, "b", "%s", _("Kies twee verschillende criteria."));
        goto out;
    }
    int64_t lo = x < y ? x : y, hi = x < y ? y : x;
    if ((ret = crit_store_not_dup_add(db, lo, hi, at, who->user_id)))
        goto out;
    snprintf(detail, sizeof detail, "other=%" PRId64, hi);
    ret = audit_write(db, who, "criterion.not_duplicate", "criterion", lo, detail);
out:
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit criterium bestaat niet."));
    arena_free(a);
    return ret;
}

/* ---- Import. --------------------------------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* True if applying in to cur would change nothing (after trimming). */
static bool unchanged(struct arena *a, const struct criterion *cur,
                      const struct criterion_input *in)
{
    struct crit_clean c;
    struct err_ctx e = {0};
    if (check_criterion(a, in, &c, &e) != 0)
        return false;
    return same_str(c.theme, cur->theme_name) && same_str(c.text, cur->text) &&
           (int)cur->source == in->source && same_str(c.source_ref, cur->source_ref) &&
           cur->laws == in->laws && same_str(c.categories, cur->categories) &&
           same_str(c.evidence, cur->evidence) && cur->verify == in->verify &&
           cur->local_org_id == in->local_org_id && !cur->archived;
}

int framework_apply(struct store *s, const struct actor *who, int64_t framework_id,
                    const struct criterion_input *rows, int n, int *created, int *updated,
                    int *bad_row, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct framework f;
    char at[AUDIT_TS_SIZE], summary[SUMMARY_MAX], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t *ids = NULL;
    int nids = 0, nc = 0, nu = 0, i = 0;
    int ret;

    *bad_row = 0;
    if (!a || n < 0 || (n > 0 && !rows)) {
        ret = ERR_INVALID;
        goto out;
    }
    ids = n ? arena_calloc(a, (size_t)n, sizeof *ids) : NULL;
    if (n && !ids) {
        ret = ERR_NOMEM;
        goto out;
    }
    audit_format_time(time(NULL), at);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = fw_store_get(a, db, framework_id, &f)) ||
        (ret = allowed(a, s, who, OBJ_FRAMEWORK, ACT_VIEW, f.id, f.owner_org_id)) ||
        (ret = check_room(a, db, f.id, 0, e)))
        goto out;
    for (i = 0; i < n; i++) {
        const struct criterion_input *in = &rows[i];
        struct str code = str_trim(str_from(in->code ? in->code : ""));
        char *c = arena_strndup(a, code.p, code.len);
        int64_t id = 0;
        if (!c) {
            ret = ERR_NOMEM;
            goto out;
        }
        ret = code.len ? crit_store_by_code(db, f.id, c, &id) : ERR_NOT_FOUND;
        if (ret == 0) {
            struct criterion cur;
            if ((ret = crit_store_get(a, db, id, &cur)))
                goto out;
            if (unchanged(a, &cur, in))
                continue;
            if ((ret = update_in(a, s, db, who, &f, &cur, in, false, at, e)))
                goto out;
            if (cur.archived && (ret = crit_store_set_archived(db, id, false, 0, at)))
                goto out;
            nu++;
        } else if (ret == ERR_NOT_FOUND) {
            if ((ret = create_in(a, s, db, who, &f, in, at, &id, e)))
                goto out;
            nc++;
        } else {
            goto out;
        }
        ids[nids++] = id;
    }
    if ((ret = check_room(a, db, f.id, 0, e)))
        goto out;
    if (nids == 0)
        goto out; /* nothing changed: no new version */
    snprintf(summary, sizeof summary, _("Import: %d criteria toegevoegd, %d gewijzigd"), nc, nu);
    if ((ret = record_version(db, who, f.id, ids, nids, summary, at)))
        goto out;
    snprintf(detail, sizeof detail, "created=%d updated=%d", nc, nu);
    ret = audit_write(db, who, "framework.import", "framework", f.id, detail);
out:
    if (ret && i < n)
        *bad_row = i + 1;
    ret = store_write_finish(s, writing, ret);
    not_found(e, ret, _("Dit kwaliteitskader bestaat niet."));
    if (!ret) {
        *created = nc;
        *updated = nu;
    }
    arena_free(a);
    return ret;
}

int framework_may_import(struct store *s, const struct actor *who, int64_t id)
{
    struct arena *a = arena_new(0);
    struct framework f;
    struct org own;
    int ret = a ? framework_get(a, s, who, id, &f) : ERR_NOMEM;
    if (ret)
        goto out;
    if (allowed(a, s, who, OBJ_CRITERION, ACT_CREATE, 0, f.owner_org_id) == 0)
        goto out;
    ret = ERR_DENIED;
    if (who->org_id <= 0 || org_get_internal(a, s, who->org_id, &own) != 0 ||
        own.kind != ORG_GEMEENTE)
        goto out;
    for (int i = 0; i < own.nparents; i++)
        if (own.parent_ids[i] == f.owner_org_id &&
            allowed(a, s, who, OBJ_CRITERION, ACT_CREATE, 0, own.id) == 0)
            ret = 0;
out:
    arena_free(a);
    return ret;
}

int framework_gemeente_by_cbs(struct store *s, const char *cbs, int64_t *org_id)
{
    char code[8];
    struct str t = str_trim(str_from(cbs ? cbs : ""));
    if (t.len == 4)
        snprintf(code, sizeof code, "GM%.4s", t.p);
    else if (t.len == 6 && (t.p[0] == 'G' || t.p[0] == 'g') && (t.p[1] == 'M' || t.p[1] == 'm'))
        snprintf(code, sizeof code, "GM%.4s", t.p + 2);
    else
        return ERR_NOT_FOUND;
    for (int i = 2; i < 6; i++)
        if (!isdigit((unsigned char)code[i]))
            return ERR_NOT_FOUND;
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    return org_store_find_cbs(db, code, 0, org_id);
}
