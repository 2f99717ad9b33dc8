/*
 * story.c: verhalen: kinds and consents, validation, the anonymisation check that must be
 * confirmed before saving, the policy (visibility from the consent, parties = the gemeente's
 * organisation and the aanbieder), optimistic locking, audit in the same transaction, and the
 * policy-filtered list and full-text search.
 */
#include "domain/story.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "store/org_store.h"
#include "store/story_store.h"

#define DETAIL_MAX 160

/* ---- Kinds and consents ---------------------------------------------------------------------- */

struct code_label {
    const char *code;
    const char *label; /* msgid */
};

static const struct code_label kinds[] = {
    [STORY_CITAAT] = {"citaat", N_("Citaat van een inwoner")},
    [STORY_CASUS] = {"casus", N_("Casusbeschrijving")},
    [STORY_REFLECTIE] = {"reflectie", N_("Reflectie van een professional")},
    [STORY_INTERVIEW] = {"interview", N_("Samenvatting van een interview")},
};

static const struct code_label consents[] = {
    [CONSENT_INTERN] = {"intern", N_("Alleen intern")},
    [CONSENT_GESPREK] = {"gesprek", N_("Voor kwaliteitsgesprekken")},
    [CONSENT_PUBLICATIE] = {"publicatie", N_("Mag gepubliceerd worden")},
};

const char *story_kind_code(enum story_kind k)
{
    return k >= STORY_KIND_MIN && k <= STORY_KIND_MAX ? kinds[k].code : "";
}

const char *story_kind_label(enum story_kind k)
{
    return k >= STORY_KIND_MIN && k <= STORY_KIND_MAX ? _(kinds[k].label) : "";
}

int story_kind_parse(const char *code, enum story_kind *out)
{
    for (int k = STORY_KIND_MIN; code && k <= STORY_KIND_MAX; k++)
        if (strcmp(kinds[k].code, code) == 0) {
            *out = (enum story_kind)k;
            return 0;
        }
    return ERR_INVALID;
}

const char *story_consent_code(enum story_consent c)
{
    return c >= CONSENT_MIN && c <= CONSENT_MAX ? consents[c].code : "";
}

const char *story_consent_label(enum story_consent c)
{
    return c >= CONSENT_MIN && c <= CONSENT_MAX ? _(consents[c].label) : "";
}

int story_consent_parse(const char *code, enum story_consent *out)
{
    for (int c = CONSENT_MIN; code && c <= CONSENT_MAX; c++)
        if (strcmp(consents[c].code, code) == 0) {
            *out = (enum story_consent)c;
            return 0;
        }
    return ERR_INVALID;
}

enum share_level story_consent_share(enum story_consent c)
{
    switch (c) {
    case CONSENT_PUBLICATIE:
        return SHARE_ALL;
    case CONSENT_GESPREK:
        return SHARE_PARTIES;
    case CONSENT_INTERN:
        break;
    }
    return SHARE_OWNER;
}

/* ---- Policy ---------------------------------------------------------------------------------- */

static struct object_ref key_ref(int64_t id, int64_t owner, int owner_kind, int consent,
                                 int64_t gemeente_org, int64_t aanbieder, int64_t *parties)
{
    int np = 0;
    if (gemeente_org > 0)
        parties[np++] = gemeente_org;
    if (aanbieder > 0)
        parties[np++] = aanbieder;
    return (struct object_ref){.kind = OBJ_STORY,
                               .id = id,
                               .owner_org_id = owner,
                               .owner_org_kind = (enum org_kind)owner_kind,
                               .party_org_ids = parties,
                               .nparties = np,
                               .share = story_consent_share((enum story_consent)consent)};
}

struct object_ref story_ref(const struct story *st, int64_t *parties)
{
    return key_ref(st->id, st->owner_org_id, 0, (int)st->consent, st->gemeente_org_id,
                   st->aanbieder_id, parties);
}

/* ---- Full-text query ------------------------------------------------------------------------- */

static bool word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

#define WORD_MAX 64 /* bytes; longer "words" are not words a person searches for */

char *story_fts_query(struct arena *a, const char *text)
{
    struct buf b;
    int terms = 0;
    size_t i = 0, n = text ? strlen(text) : 0;
    buf_init(&b, STORY_QUERY_MAX * 2 + 64);
    while (i < n && terms < STORY_QUERY_TERMS) {
        if (!word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t w = i;
        while (i < n && word_byte((unsigned char)text[i]))
            i++;
        bool prefix = i < n && text[i] == '*';
        if (i - w > WORD_MAX)
            continue;
        /* Only letters, digits and UTF-8 bytes go between the quotes: never a '"'. */
        if (terms)
            buf_append_char(&b, ' ');
        buf_append_char(&b, '"');
        buf_append(&b, text + w, i - w);
        buf_append_char(&b, '"');
        if (prefix)
            buf_append_char(&b, '*');
        terms++;
    }
    char *out = NULL;
    if (terms > 0 && buf_append_char(&b, '\0') == 0)
        out = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return out;
}

/* ---- Validation ------------------------------------------------------------------------------ */

static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* Problems of a one-line field (title, role), named by the caller in its own words. */
enum line_problem { LINE_OK, LINE_EMPTY, LINE_BAD, LINE_LONG };

/* One line of text: trimmed, valid UTF-8, no controls, 1..max code points. */
static enum line_problem check_line(const char *in, size_t max, struct str *out)
{
    struct str t = str_trim(str_from(in));
    if (t.len == 0)
        return LINE_EMPTY;
    if (!utf8_valid(t.p, t.len, NULL) || has_any_control(t.p, t.len))
        return LINE_BAD;
    if (utf8_count(t.p, t.len) > max)
        return LINE_LONG;
    *out = t;
    return LINE_OK;
}

static int check_title_role(const struct story_input *in, struct str *title, struct str *role,
                            struct err_ctx *e)
{
    switch (check_line(in->title, STORY_TITLE_MAX, title)) {
    case LINE_EMPTY:
        return err_set(e, ERR_INVALID, "title", "%s", _("Vul een titel in."));
    case LINE_BAD:
        return err_set(e, ERR_INVALID, "title", "%s", _("De titel bevat ongeldige tekens."));
    case LINE_LONG:
        return err_set(e, ERR_INVALID, "title", _("De titel is te lang (maximaal %d tekens)."),
                       STORY_TITLE_MAX);
    case LINE_OK:
        break;
    }
    switch (check_line(in->teller_role, STORY_ROLE_MAX, role)) {
    case LINE_EMPTY:
        return err_set(e, ERR_INVALID, "teller_role", "%s",
                       _("Vul in wie het verhaal vertelt (een rol, geen naam)."));
    case LINE_BAD:
        return err_set(e, ERR_INVALID, "teller_role", "%s",
                       _("De rol van de verteller bevat ongeldige tekens."));
    case LINE_LONG:
        return err_set(e, ERR_INVALID, "teller_role",
                       _("De rol van de verteller is te lang (maximaal %d tekens)."),
                       STORY_ROLE_MAX);
    case LINE_OK:
        break;
    }
    return 0;
}

static bool cbs_digits(const char *p)
{
    for (int k = 0; k < 4; k++)
        if (p[k] < '0' || p[k] > '9')
            return false;
    return p[4] == '\0';
}

/* "GM0114" or "0114" -> "0114" in out; "" / NULL -> no gemeente. */
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

/* Tags: lower case, [a-z0-9-], spaces become '-', no duplicates. */
static int norm_tags(struct arena *a, const struct story_input *in, const char ***out, int *n,
                     struct err_ctx *e)
{
    if (in->ntags < 0 || in->ntags > STORY_MAX_TAGS)
        return err_set(e, ERR_INVALID, "tags", _("Gebruik hoogstens %d labels."), STORY_MAX_TAGS);
    const char **tags = arena_calloc(a, (size_t)(in->ntags ? in->ntags : 1), sizeof *tags);
    if (!tags)
        return ERR_NOMEM;
    int got = 0;
    for (int k = 0; k < in->ntags; k++) {
        struct str t = str_trim(str_from(in->tags[k]));
        if (t.len == 0)
            continue;
        if (t.len > STORY_TAG_MAX)
            return err_set(e, ERR_INVALID, "tags", _("Een label is te lang (maximaal %d tekens)."),
                           STORY_TAG_MAX);
        char *s = arena_strndup(a, t.p, t.len);
        if (!s)
            return ERR_NOMEM;
        for (size_t j = 0; j < t.len; j++) {
            char c = s[j];
            if (c >= 'A' && c <= 'Z')
                s[j] = (char)(c - 'A' + 'a');
            else if (c == ' ' || c == '_')
                s[j] = '-';
            else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return err_set(e, ERR_INVALID, "tags", "%s",
                               _("Een label mag alleen letters (a-z), cijfers en streepjes "
                                 "bevatten."));
        }
        bool dup = false;
        for (int j = 0; j < got && !dup; j++)
            dup = strcmp(tags[j], s) == 0;
        if (!dup)
            tags[got++] = s;
    }
    *out = tags;
    *n = got;
    return 0;
}

static int check_ids(const int64_t *ids, int n, const char *field, struct err_ctx *e)
{
    if (n < 0 || n > STORY_MAX_LINKS || (n > 0 && !ids))
        return err_set(e, ERR_INVALID, field, _("Koppel hoogstens %d items."), STORY_MAX_LINKS);
    for (int k = 0; k < n; k++)
        if (ids[k] <= 0)
            return err_set(e, ERR_INVALID, field, "%s", _("Deze koppeling bestaat niet."));
    return 0;
}

/* Validated, normalised values (strings in a). */
struct checked {
    struct str title, role;
    const char *title_z, *role_z;
    char gemeente[5];
    const char **tags;
    int ntags;
};

static int check_fields(struct arena *a, const struct story_input *in, struct checked *c,
                        struct err_ctx *e)
{
    int ret;
    const char *body = in->body ? in->body : "";
    size_t bn = strlen(body);
    memset(c, 0, sizeof *c);
    if (in->kind < STORY_KIND_MIN || in->kind > STORY_KIND_MAX)
        return err_set(e, ERR_INVALID, "kind", "%s", _("Kies het soort verhaal."));
    if (in->consent < CONSENT_MIN || in->consent > CONSENT_MAX)
        return err_set(e, ERR_INVALID, "consent", "%s",
                       _("Kies waarvoor de verteller toestemming gaf."));
    if ((ret = check_title_role(in, &c->title, &c->role, e)))
        return ret;
    if (str_trim(str_from(body)).len == 0)
        return err_set(e, ERR_INVALID, "body", "%s", _("Vul het verhaal in."));
    if (!utf8_valid(body, bn, NULL) || utf8_has_controls(body, bn))
        return err_set(e, ERR_INVALID, "body", "%s", _("Het verhaal bevat ongeldige tekens."));
    if (utf8_count(body, bn) > STORY_BODY_MAX)
        return err_set(e, ERR_INVALID, "body", _("Het verhaal is te lang (maximaal %d tekens)."),
                       STORY_BODY_MAX);
    if (c->title.len + c->role.len + bn + 4 > ANON_MAX_TEXT)
        return err_set(e, ERR_INVALID, "body", "%s",
                       _("Het verhaal is te lang om te controleren op persoonsgegevens."));
    if (in->told_on < STORY_DAY_MIN || in->told_on > STORY_DAY_MAX)
        return err_set(e, ERR_INVALID, "told_on", "%s", _("Vul een geldige datum in."));
    if (in->has_period) {
        if (in->period_from < STORY_DAY_MIN || in->period_from > STORY_DAY_MAX ||
            in->period_to < STORY_DAY_MIN || in->period_to > STORY_DAY_MAX)
            return err_set(e, ERR_INVALID, "period_from", "%s", _("Vul een geldige periode in."));
        if (in->period_to < in->period_from)
            return err_set(e, ERR_INVALID, "period_to", "%s",
                           _("Het einde van de periode mag niet voor het begin liggen."));
    }
    if ((ret = norm_gemeente(in->gemeente, c->gemeente, e)) ||
        (ret = check_ids(in->result_ids, in->nresults, "result_ids", e)) ||
        (ret = check_ids(in->indicator_ids, in->nindicators, "indicator_ids", e)) ||
        (ret = norm_tags(a, in, &c->tags, &c->ntags, e)))
        return ret;
    c->title_z = arena_strndup(a, c->title.p, c->title.len);
    c->role_z = arena_strndup(a, c->role.p, c->role.len);
    if (!c->title_z || !c->role_z)
        return ERR_NOMEM;
    return 0;
}

/* The gemeente and aanbieder must exist (and be of that kind). */
static int check_parties(struct db *db, const struct story_input *in, const struct checked *c,
                         struct err_ctx *e)
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
    if (in->aanbieder_id != 0) {
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

/* ---- Screening ------------------------------------------------------------------------------- */

int story_screen(struct arena *a, const struct story_input *in, struct anon_report *out)
{
    const char *parts[3] = {in->title ? in->title : "", in->teller_role ? in->teller_role : "",
                            in->body ? in->body : ""};
    struct buf b;
    buf_init(&b, ANON_MAX_TEXT + 1);
    for (int k = 0; k < 3; k++) {
        if (k)
            buf_append_str(&b, "\n\n");
        buf_append_str(&b, parts[k]);
    }
    int ret = b.len > ANON_MAX_TEXT ? ERR_TOO_BIG
                                    : anon_check(buf_cstr(&b), b.len, ANON_ALL_KINDS, a, out);
    buf_release(&b);
    return ret;
}

/* The confirmed warnings as stored: kinds and counts, never the matched text itself. */
static char *anon_summary(struct arena *a, const struct anon_report *r)
{
    static const enum anon_kind all[] = {ANON_BSN_LIKE,   ANON_EMAIL,    ANON_PHONE,
                                         ANON_BIRTH_DATE, ANON_POSTCODE, ANON_NAME};
    struct buf b;
    buf_init(&b, 1024);
    buf_append_char(&b, '[');
    bool first = true;
    for (size_t k = 0; k < ARRAY_LEN(all); k++) {
        size_t count = 0;
        for (size_t j = 0; j < r->nfindings; j++)
            count += r->findings[j].kind == all[k];
        if (!count)
            continue;
        buf_appendf(&b, "%s{\"soort\":\"%s\",\"aantal\":%zu}", first ? "" : ",",
                    anon_kind_code(all[k]), count);
        first = false;
    }
    buf_append_char(&b, ']');
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

/* Screens; ERR_INVALID "anon" when something was found and not confirmed. */
static int screen(struct arena *tmp, const struct story_input *in, struct arena *ra,
                  struct anon_report *report, const char **summary, struct err_ctx *e)
{
    struct anon_report r;
    int ret = story_screen(ra ? ra : tmp, in, &r);
    if (ret)
        return ret == ERR_TOO_BIG ? err_set(e, ERR_INVALID, "body", "%s",
                                            _("Het verhaal is te lang om te controleren."))
                                  : ret;
    if (report)
        *report = r;
    if (r.ntotal > 0 && !in->anon_confirmed)
        return err_set(e, ERR_INVALID, "anon",
                       _("De controle vond %zu mogelijke persoonsgegevens. Pas de tekst aan of "
                         "bevestig dat u het gecontroleerd heeft."),
                       r.ntotal);
    *summary = anon_summary(tmp, &r);
    return *summary ? 0 : ERR_NOMEM;
}

/* ---- Operations ------------------------------------------------------------------------------ */

static void fill_values(struct story_values *v, int64_t owner, const struct story_input *in,
                        const struct checked *c, const char *summary)
{
    *v = (struct story_values){
        .owner_org_id = owner,
        .kind_code = story_kind_code((enum story_kind)in->kind),
        .consent_code = story_consent_code((enum story_consent)in->consent),
        .title = c->title_z,
        .body = in->body,
        .teller_role = c->role_z,
        .told_on = in->told_on,
        .gemeente = c->gemeente[0] ? c->gemeente : NULL,
        .aanbieder_id = in->aanbieder_id,
        .has_period = in->has_period,
        .period_from = in->period_from,
        .period_to = in->period_to,
        .anon_checked = summary,
        .result_ids = in->result_ids,
        .nresults = in->nresults,
        .indicator_ids = in->indicator_ids,
        .nindicators = in->nindicators,
        .tags = c->tags,
        .ntags = c->ntags,
    };
}

static int links_exist(struct db *db, const struct story_values *v, struct err_ctx *e)
{
    const char *field = NULL;
    int64_t bad = 0;
    int ret = story_store_missing_link(db, v, &field, &bad);
    if (!ret && field)
        ret = err_set(e, ERR_INVALID, field, _("Koppeling %" PRId64 " bestaat niet."), bad);
    return ret;
}

int story_create(struct store *s, const struct actor *who, const struct story_input *in,
                 int64_t *id_out, struct arena *ra, struct anon_report *report, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org owner;
    struct checked c;
    struct story_values v;
    const char *summary = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0;
    int ret = 0;

    if (report)
        memset(report, 0, sizeof *report);
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
        .kind = OBJ_STORY, .owner_org_id = owner.id, .owner_org_kind = owner.kind};
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_fields(a, in, &c, e)) || (ret = screen(a, in, ra, report, &summary, e)))
        goto out;
    fill_values(&v, owner.id, in, &c, summary);
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "owner=%" PRId64 " kind=%s consent=%s", owner.id, v.kind_code,
             v.consent_code);
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = check_parties(db, in, &c, e)) || (ret = links_exist(db, &v, e)) ||
        (ret = story_store_insert(db, &v, at, who->user_id, &id)))
        goto out;
    ret = audit_write(db, who, "story.create", "story", id, detail);
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
                   _("Iemand anders heeft dit verhaal intussen gewijzigd. Laad de pagina "
                     "opnieuw."));
}

int story_update(struct store *s, const struct actor *who, int64_t id, const struct story_input *in,
                 struct arena *ra, struct anon_report *report, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct story cur;
    struct checked c;
    struct story_values v;
    const char *summary = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    int64_t parties[2];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if (report)
        memset(report, 0, sizeof *report);
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    /* Read inside the transaction: the version compared is the version overwritten. */
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = story_store_get(a, db, id, false, &cur)))
        goto out;
    struct object_ref obj = story_ref(&cur, parties);
    if (!policy_allows(who, ACT_EDIT, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (in->version != cur.version) {
        ret = conflict(e);
        goto out;
    }
    if ((ret = check_fields(a, in, &c, e)) || (ret = screen(a, in, ra, report, &summary, e)) ||
        (ret = check_parties(db, in, &c, e)))
        goto out;
    /* The owner does not change on edit: a story stays with the organisation that recorded it. */
    fill_values(&v, cur.owner_org_id, in, &c, summary);
    if ((ret = links_exist(db, &v, e)))
        goto out;
    audit_format_time(time(NULL), at);
    snprintf(detail, sizeof detail, "version=%" PRId64 " kind=%s consent=%s", cur.version + 1,
             v.kind_code, v.consent_code);
    ret = story_store_update(db, id, in->version, &v, at);
    if (ret == ERR_CONFLICT) {
        ret = conflict(e);
        goto out;
    }
    if (ret)
        goto out;
    ret = audit_write(db, who, "story.update", "story", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit verhaal bestaat niet."));
    arena_free(a);
    return ret;
}

int story_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                       struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct story cur;
    char at[AUDIT_TS_SIZE];
    int64_t parties[2];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    if ((ret = story_store_get(a, db, id, false, &cur)))
        goto out;
    struct object_ref obj = story_ref(&cur, parties);
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (cur.archived == archived)
        goto out;
    audit_format_time(time(NULL), at);
    if ((ret = story_store_set_archived(db, id, archived, at)))
        goto out;
    ret = audit_write(db, who, archived ? "story.archive" : "story.restore", "story", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit verhaal bestaat niet."));
    arena_free(a);
    return ret;
}

int story_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
              struct story *out)
{
    struct story st;
    int64_t parties[2];
    struct db *db = store_reader(s);
    if (!db)
        return ERR_DB;
    int ret = story_store_get(a, db, id, true, &st);
    if (ret)
        return ret;
    struct object_ref obj = story_ref(&st, parties);
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_DENIED;
    *out = st;
    return 0;
}

int story_list(struct arena *a, struct store *s, const struct actor *who,
               const struct story_filter *f, struct story **out, int *n, int *total,
               struct err_ctx *e)
{
    static const struct story_filter all = {0};
    struct story_query q = {0};
    struct story_key *keys = NULL;
    struct story *rows = NULL;
    char gem[5];
    struct db *db = NULL;
    bool in_tx = false;
    int nkeys = 0, got = 0, seen = 0;
    int ret = 0;

    *out = NULL;
    *n = 0;
    *total = 0;
    if (!f)
        f = &all;
    struct object_ref lobj = {.kind = OBJ_STORY};
    if (!policy_allows(who, ACT_LIST, &lobj))
        return ERR_DENIED;
    if (f->limit < 0 || f->offset < 0 ||
        (f->kind && (f->kind < STORY_KIND_MIN || f->kind > STORY_KIND_MAX)) ||
        (f->consent && (f->consent < CONSENT_MIN || f->consent > CONSENT_MAX)) ||
        f->min_consent < 0 || f->min_consent > CONSENT_MAX)
        return err_set(e, ERR_INVALID, NULL, "%s", _("Ongeldig filter."));
    if (f->q && *f->q) {
        size_t ql = strlen(f->q);
        if (ql > STORY_QUERY_MAX)
            return err_set(e, ERR_INVALID, "q", _("De zoekterm is te lang (maximaal %d tekens)."),
                           STORY_QUERY_MAX);
        if (!utf8_valid(f->q, ql, NULL))
            return err_set(e, ERR_INVALID, "q", "%s", _("De zoekterm bevat ongeldige tekens."));
        q.match = story_fts_query(a, f->q);
        if (!q.match)
            return 0; /* no words: nothing matches */
    }
    if ((ret = norm_gemeente(f->gemeente, gem, e)))
        return ret;
    q.gemeente = gem[0] ? gem : NULL;
    q.gemeente_or_none = f->gemeente_or_none;
    q.owner_org_id = f->owner_org_id;
    q.result_id = f->result_id;
    q.indicator_id = f->indicator_id;
    q.aanbieder_id = f->aanbieder_id;
    q.tag = f->tag && *f->tag ? f->tag : NULL;
    q.kind_code = f->kind ? story_kind_code((enum story_kind)f->kind) : NULL;
    q.consent_code = f->consent ? story_consent_code((enum story_consent)f->consent) : NULL;
    q.min_consent = f->min_consent;
    q.has_period = f->has_period;
    q.period_from = f->period_from;
    q.period_to = f->period_to;
    q.include_archived = f->include_archived;
    int limit = f->limit == 0 ? STORY_LIST_DEFAULT : f->limit;
    if (limit > STORY_LIST_MAX)
        limit = STORY_LIST_MAX;

    db = store_reader(s);
    if (!db)
        return ERR_DB;
    /* One snapshot for the keys and the rows, so they agree. */
    if ((ret = db_begin(db)))
        return ret;
    in_tx = true;
    if ((ret = story_store_scan(a, db, &q, STORY_SCAN_MAX, &keys, &nkeys)))
        goto out;
    rows = arena_calloc(a, (size_t)limit, sizeof *rows);
    if (!rows) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    for (int k = 0; k < nkeys; k++) {
        int64_t parties[2];
        struct object_ref obj =
            key_ref(keys[k].id, keys[k].owner_org_id, keys[k].owner_kind, keys[k].consent,
                    keys[k].gemeente_org_id, keys[k].aanbieder_id, parties);
        if (!policy_allows(who, ACT_VIEW, &obj))
            continue;
        if (seen >= f->offset && got < limit) {
            if ((ret = story_store_get(a, db, keys[k].id, false, &rows[got])))
                goto out;
            got++;
        }
        seen++;
    }
    *out = got ? rows : NULL;
    *n = got;
    *total = seen;
out:
    if (in_tx)
        db_rollback(db);
    return ret;
}
