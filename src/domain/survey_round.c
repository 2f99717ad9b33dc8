/*
 * survey_round.c: survey rounds and invitation codes (survey_round.h): code generation,
 * normalisation and keyed hashing; the round rules (one gemeente of the owner, dates, status
 * concept -> open -> gesloten, drafts deleted on close); codes made in bulk; authorisation
 * through the policy (OBJ_SURVEY_ROUND: the round's aanbieder is a party that sees response
 * rates, never codes) and audit events in the same transaction as each change.
 */
#include "domain/survey_round.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/questionnaire_store.h"
#include "store/round_store.h"
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define CODE_KEY_LABEL  "duiding-enquetecode-v1"
#define MAX_SHARED_KEYS 8
#define ROUND_DAY_MIN   10957  /* 2000-01-01 */
#define ROUND_DAY_MAX   47482  /* 2099-12-31 */
#define CODE_RETRIES    8      /* a collision of 50-bit codes is rare; retry a few times */
#define ROUND_CODES_CAP 200000 /* invitations one round may hold in all */

/* ---- Statuses. ----------------------------------------------------------------------------- */

static const struct {
    const char *code, *label;
} statuses[] = {
    [ROUND_CONCEPT] = {"concept", N_("Concept")},
    [ROUND_OPEN] = {"open", N_("Open")},
    [ROUND_CLOSED] = {"gesloten", N_("Gesloten")},
};

static bool status_valid(int s)
{
    return s >= ROUND_CONCEPT && s <= ROUND_CLOSED;
}

const char *round_status_code(enum round_status s)
{
    return status_valid((int)s) ? statuses[s].code : "";
}

const char *round_status_label(enum round_status s)
{
    return status_valid((int)s) ? _(statuses[s].label) : "";
}

int round_status_parse(const char *code, enum round_status *out)
{
    for (int s = ROUND_CONCEPT; code && s <= ROUND_CLOSED; s++) {
        if (strcmp(statuses[s].code, code) == 0) {
            *out = (enum round_status)s;
            return 0;
        }
    }
    return ERR_INVALID;
}

/* ---- Codes. -------------------------------------------------------------------------------- */

/* Owned by: whoever opened it; the key lives in guarded, read-only libsodium memory. */
struct survey_code_key {
    unsigned char *key; /* crypto_generichash_KEYBYTES */
};

int survey_code_key_from_bytes(const unsigned char key[SURVEY_KEY_BYTES],
                               struct survey_code_key **out)
{
    if (sodium_init() < 0)
        return ERR_INTERNAL;
    struct survey_code_key *k = calloc(1, sizeof *k);
    if (!k)
        return ERR_NOMEM;
    k->key = sodium_malloc(crypto_generichash_KEYBYTES);
    if (!k->key) {
        free(k);
        return ERR_NOMEM;
    }
    /* Its own domain: the same deployment key also derives the pseudonym subkey (HMAC). */
    crypto_generichash(k->key, crypto_generichash_KEYBYTES, (const unsigned char *)CODE_KEY_LABEL,
                       strlen(CODE_KEY_LABEL), key, SURVEY_KEY_BYTES);
    sodium_mprotect_readonly(k->key);
    *out = k;
    return 0;
}

void survey_code_key_free(struct survey_code_key *k)
{
    if (!k)
        return;
    sodium_free(k->key);
    free(k);
}

int survey_code_key_open(const char *key_path, struct survey_code_key **out, struct err_ctx *e)
{
    unsigned char key[SURVEY_KEY_BYTES + 1];
    struct stat st;
    int ret = 0;
    int fd = key_path ? open(key_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    if (fd < 0)
        return err_set(e, ERR_IO, "key", "cannot open key file %s: %s",
                       key_path ? key_path : "(none)", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != SURVEY_KEY_BYTES) {
        ret = err_set(e, ERR_IO, "key", "key file %s is not a %d-byte regular file", key_path,
                      SURVEY_KEY_BYTES);
        goto out;
    }
    size_t got = 0;
    while (got < sizeof key) { /* one byte more than expected: a grown file is refused */
        ssize_t n = read(fd, key + got, sizeof key - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got != SURVEY_KEY_BYTES) {
        ret = err_set(e, ERR_IO, "key", "key file %s does not hold exactly %d bytes", key_path,
                      SURVEY_KEY_BYTES);
        goto out;
    }
    ret = survey_code_key_from_bytes(key, out);
out:
    sodium_memzero(key, sizeof key);
    close(fd);
    return ret;
}

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char *path;
    struct survey_code_key *key;
} shared[MAX_SHARED_KEYS];

const struct survey_code_key *survey_code_key_shared(const char *key_path, struct err_ctx *e)
{
    const struct survey_code_key *found = NULL;
    if (!key_path) {
        err_set(e, ERR_IO, "key", "%s", "no key file configured");
        return NULL;
    }
    pthread_mutex_lock(&shared_lock);
    int i = 0;
    for (; i < MAX_SHARED_KEYS && shared[i].path && !found; i++)
        if (strcmp(shared[i].path, key_path) == 0)
            found = shared[i].key;
    if (!found && i < MAX_SHARED_KEYS) {
        struct survey_code_key *k = NULL;
        char *p = strdup(key_path);
        if (p && survey_code_key_open(key_path, &k, e) == 0) {
            shared[i].path = p;
            shared[i].key = k;
            found = k;
        } else {
            free(p);
        }
    } else if (!found) {
        err_set(e, ERR_INTERNAL, "key", "%s", "too many key files");
    }
    pthread_mutex_unlock(&shared_lock);
    return found;
}

void survey_code_generate(char out[SURVEY_CODE_LEN + 1])
{
    static const char alphabet[] = SURVEY_CODE_ALPHABET; /* 32 symbols: 5 bits each */
    for (int i = 0; i < SURVEY_CODE_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[SURVEY_CODE_LEN] = '\0';
}

void survey_code_format(const char *norm, char out[SURVEY_CODE_SHOWN_LEN + 1])
{
    size_t n = strlen(norm);
    if (n != SURVEY_CODE_LEN) {
        snprintf(out, SURVEY_CODE_SHOWN_LEN + 1, "%s", norm);
        return;
    }
    snprintf(out, SURVEY_CODE_SHOWN_LEN + 1, "%.4s-%.4s-%.2s", norm, norm + 4, norm + 8);
}

int survey_code_normalise(const char *in, size_t len, char out[SURVEY_CODE_LEN + 1],
                          struct err_ctx *e)
{
    size_t n = 0;
    out[0] = '\0';
    if (!in || len == 0)
        return err_set(e, ERR_INVALID, "code", "%s", _("Vul uw code in."));
    if (len > SURVEY_CODE_INPUT_MAX)
        return err_set(e, ERR_INVALID, "code", "%s",
                       _("Dit is geen code. Een code heeft 10 letters en cijfers."));
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == '0' || c == 'O' || c == '1' || c == 'I')
            return err_set(e, ERR_INVALID, "code",
                           _("Een code heeft nooit een %c. Kijk nog eens goed naar de code in uw "
                             "brief."),
                           c);
        if (!strchr(SURVEY_CODE_ALPHABET, c) || c == '\0')
            return err_set(e, ERR_INVALID, "code", "%s",
                           _("De code bevat een teken dat niet in een code voorkomt. Een code "
                             "heeft alleen letters en cijfers."));
        if (n == SURVEY_CODE_LEN)
            return err_set(e, ERR_INVALID, "code", "%s",
                           _("De code is te lang. Een code heeft 10 letters en cijfers."));
        out[n++] = c;
    }
    out[n] = '\0';
    if (n != SURVEY_CODE_LEN)
        return err_set(e, ERR_INVALID, "code", "%s",
                       _("De code is te kort. Een code heeft 10 letters en cijfers."));
    return 0;
}

void survey_code_hash(const struct survey_code_key *k, const char *norm,
                      unsigned char out[SURVEY_CODE_HASH_LEN])
{
    crypto_generichash(out, SURVEY_CODE_HASH_LEN, (const unsigned char *)norm, strlen(norm), k->key,
                       crypto_generichash_KEYBYTES);
}

/* ---- Policy helpers. ----------------------------------------------------------------------- */

struct round_ref {
    struct org owner;
    int64_t party;
    struct object_ref obj;
};

static int round_ref(struct arena *a, struct store *s, int64_t id, int64_t owner_id,
                     int64_t aanbieder_id, struct round_ref *out)
{
    int ret = org_get_internal(a, s, owner_id, &out->owner);
    if (ret)
        return ret;
    out->party = aanbieder_id;
    out->obj = (struct object_ref){.kind = OBJ_SURVEY_ROUND,
                                   .id = id,
                                   .owner_org_id = owner_id,
                                   .owner_org_kind = out->owner.kind,
                                   .party_org_ids = aanbieder_id > 0 ? &out->party : NULL,
                                   .nparties = aanbieder_id > 0 ? 1 : 0};
    if (out->owner.kind == ORG_GEMEENTE) {
        out->obj.owner_region_ids = out->owner.parent_ids;
        out->obj.owner_nregions = out->owner.nparents;
    }
    return 0;
}

static bool allowed(struct arena *a, struct store *s, const struct actor *who, enum action act,
                    const struct survey_round *r)
{
    struct round_ref ref;
    if (round_ref(a, s, r->id, r->owner_org_id, r->aanbieder_id, &ref))
        return false;
    return policy_allows(who, act, &ref.obj);
}

bool round_may_edit(struct arena *a, struct store *s, const struct actor *who,
                    const struct survey_round *r)
{
    return allowed(a, s, who, ACT_EDIT, r);
}

static void now_text(char out[AUDIT_TS_SIZE])
{
    audit_format_time(time(NULL), out);
}

/* ---- Validation. --------------------------------------------------------------------------- */

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* The round's gemeente must be the owner itself or, for a region, one of its gemeenten. */
static int check_gemeente(struct arena *a, struct store *s, const struct actor *who,
                          const struct org *owner, const char *gm, struct err_ctx *e)
{
    if (!gm || strlen(gm) != 4 || strspn(gm, "0123456789") != 4)
        return err_set(e, ERR_INVALID, "gemeente", "%s",
                       _("Kies een gemeente (CBS-code van 4 cijfers)."));
    if (owner->kind == ORG_GEMEENTE) {
        if (!owner->cbs_code ||
            strcmp(owner->cbs_code + (strlen(owner->cbs_code) == 6 ? 2 : 0), gm) != 0)
            return err_set(e, ERR_INVALID, "gemeente", "%s",
                           _("Een gemeente houdt alleen een uitvraag onder haar eigen inwoners."));
        return 0;
    }
    struct org_filter f = {.kind = ORG_GEMEENTE, .parent_id = owner->id, .limit = ORG_LIST_MAX};
    struct org *list = NULL;
    int n = 0, total = 0;
    int ret = org_list(a, s, who, &f, &list, &n, &total);
    if (ret)
        return ret;
    for (int i = 0; i < n; i++)
        if (list[i].cbs_code && strlen(list[i].cbs_code) == 6 &&
            strcmp(list[i].cbs_code + 2, gm) == 0)
            return 0;
    return err_set(e, ERR_INVALID, "gemeente", "%s",
                   _("Deze gemeente hoort niet bij de regio die de vragenlijst beheert."));
}

static int check_input(struct arena *a, struct store *s, const struct actor *who,
                       const struct round_input *in, const struct org *owner, struct err_ctx *e)
{
    struct str name = str_trim(str_from(in->name));
    if (name.len == 0)
        return err_set(e, ERR_INVALID, "name", "%s", _("Geef de uitvraag een naam."));
    if (!utf8_valid(name.p, name.len, NULL) || has_control(in->name))
        return err_set(e, ERR_INVALID, "name", "%s", _("De naam bevat ongeldige tekens."));
    if (utf8_count(name.p, name.len) > ROUND_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", _("De naam is te lang (hoogstens %d tekens)."),
                       ROUND_NAME_MAX);
    int ret = check_gemeente(a, s, who, owner, in->gemeente, e);
    if (ret)
        return ret;
    if (in->aanbieder_id < 0)
        return err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Deze aanbieder bestaat niet."));
    if (in->aanbieder_id > 0) {
        struct org ab;
        ret = org_get_internal(a, s, in->aanbieder_id, &ab);
        if (ret == ERR_NOT_FOUND || (!ret && ab.kind != ORG_AANBIEDER))
            return err_set(e, ERR_INVALID, "aanbieder_id", "%s", _("Deze aanbieder bestaat niet."));
        if (ret)
            return ret;
    }
    if (in->law < 0 || in->law > 2)
        return err_set(e, ERR_INVALID, "law", "%s", _("Kies Jeugdwet, Wmo of geen wet."));
    if (in->category && in->category[0]) {
        size_t n = strlen(in->category);
        if (n > 8 || strspn(in->category, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n)
            return err_set(e, ERR_INVALID, "category", "%s",
                           _("De productcategorie is een code van hoogstens 8 cijfers of "
                             "hoofdletters, bijvoorbeeld 02."));
    }
    if (in->opens_on < ROUND_DAY_MIN || in->opens_on > ROUND_DAY_MAX)
        return err_set(e, ERR_INVALID, "opens_on", "%s", _("Vul een geldige begindatum in."));
    if (in->closes_on < ROUND_DAY_MIN || in->closes_on > ROUND_DAY_MAX)
        return err_set(e, ERR_INVALID, "closes_on", "%s", _("Vul een geldige einddatum in."));
    if (in->closes_on < in->opens_on)
        return err_set(e, ERR_INVALID, "closes_on", "%s",
                       _("De einddatum mag niet voor de begindatum liggen."));
    return 0;
}

static void make_slug(char out[ROUND_SLUG_LEN + 1])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32 symbols */
    for (int i = 0; i < ROUND_SLUG_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[ROUND_SLUG_LEN] = '\0';
}

/* ---- Operations. --------------------------------------------------------------------------- */

int round_response_permille(const struct survey_round *r)
{
    if (r->n_invitations <= 0)
        return -1;
    return (int)((r->n_responses * 1000 + r->n_invitations / 2) / r->n_invitations);
}

int round_create(struct store *s, const struct actor *who, const struct round_input *in,
                 int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;
    struct survey sv;
    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    ret = questionnaire_store_get(a, store_reader(s), in->survey_id, &sv);
    if (ret == ERR_NOT_FOUND) {
        ret = err_set(e, ERR_INVALID, "survey_id", "%s", _("Deze vragenlijst bestaat niet."));
        goto out;
    }
    if (ret)
        goto out;
    struct round_ref ref;
    if ((ret = round_ref(a, s, 0, sv.owner_org_id, in->aanbieder_id, &ref)))
        goto out;
    if (!policy_allows(who, ACT_CREATE, &ref.obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (sv.archived) {
        ret = err_set(e, ERR_INVALID, "survey_id", "%s",
                      _("Deze vragenlijst is gearchiveerd; maak eerst een nieuwe versie."));
        goto out;
    }
    if ((ret = check_input(a, s, who, in, &ref.owner, e)))
        goto out;
    char slug[ROUND_SLUG_LEN + 1], at[AUDIT_TS_SIZE];
    if (in->public_link)
        make_slug(slug);
    now_text(at);
    struct str name = str_trim(str_from(in->name));
    struct round_values v = {
        .survey_id = sv.id,
        .survey_version = sv.version,
        .owner_org_id = sv.owner_org_id,
        .name = arena_strndup(a, name.p, name.len),
        .gemeente = in->gemeente,
        .aanbieder_id = in->aanbieder_id,
        .law = in->law,
        .category = in->category && in->category[0] ? in->category : NULL,
        .opens_on = in->opens_on,
        .closes_on = in->closes_on,
        .status_code = round_status_code(ROUND_CONCEPT),
        .public_slug = in->public_link ? slug : NULL,
    };
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    int64_t id = 0;
    if ((ret = round_store_insert(db, &v, at, who->user_id, &id)))
        goto out;
    char detail[80];
    snprintf(detail, sizeof detail, "survey %" PRId64 " v%" PRId64 ", gemeente %s", sv.id,
             sv.version, in->gemeente);
    if ((ret = audit_write(db, who, "round.create", "survey_round", id, detail)))
        goto out;
    *id_out = id;
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int round_set_status(struct store *s, const struct actor *who, int64_t id, enum round_status to,
                     struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct survey_round r;
    int ret = round_store_get(a, store_reader(s), id, &r);
    if (ret)
        goto out;
    if (!allowed(a, s, who, ACT_EDIT, &r)) {
        ret = ERR_DENIED;
        goto out;
    }
    bool ok = (r.status == ROUND_CONCEPT && (to == ROUND_OPEN || to == ROUND_CLOSED)) ||
              (r.status == ROUND_OPEN && to == ROUND_CLOSED);
    if (!ok) {
        ret = err_set(e, ERR_INVALID, "status", _("Een uitvraag met status %s kan niet naar %s."),
                      round_status_label(r.status), round_status_label(to));
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    int drafts = 0;
    if ((ret = round_store_set_status(db, id, round_status_code(to))))
        goto out;
    /* Paused answers are tied to a code: they must not outlive the round. */
    if (to == ROUND_CLOSED && (ret = round_store_delete_drafts(db, id, &drafts)))
        goto out;
    char detail[64];
    snprintf(detail, sizeof detail, "%s -> %s, %d drafts deleted", round_status_code(r.status),
             round_status_code(to), drafts);
    ret = audit_write(db, who, "round.status", "survey_round", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int round_make_codes(struct store *s, const struct survey_code_key *k, const struct actor *who,
                     int64_t id, int n, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct db *db = NULL;
    bool writing = false;
    struct survey_round r;
    int ret = round_store_get(a, store_reader(s), id, &r);
    if (ret)
        goto out;
    if (!allowed(a, s, who, ACT_EDIT, &r)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (!k) {
        ret = err_set(e, ERR_INTERNAL, "key", "%s", _("De sleutel voor codes ontbreekt."));
        goto out;
    }
    if (r.status == ROUND_CLOSED) {
        ret = err_set(e, ERR_INVALID, "status", "%s",
                      _("Deze uitvraag is gesloten; er kunnen geen codes meer bij."));
        goto out;
    }
    if (n < 1 || n > ROUND_MAX_CODES) {
        ret = err_set(e, ERR_INVALID, "count", _("Maak 1 tot %d codes tegelijk."), ROUND_MAX_CODES);
        goto out;
    }
    if (r.n_invitations + n > ROUND_CODES_CAP) {
        ret = err_set(e, ERR_INVALID, "count", _("Een uitvraag heeft hoogstens %d codes."),
                      ROUND_CODES_CAP);
        goto out;
    }
    if ((ret = store_write_begin(s, &db)))
        goto out;
    writing = true;
    for (int i = 0; i < n && !ret; i++) {
        ret = ERR_CONFLICT;
        for (int t = 0; t < CODE_RETRIES && ret == ERR_CONFLICT; t++) {
            char code[SURVEY_CODE_LEN + 1];
            unsigned char hash[SURVEY_CODE_HASH_LEN];
            survey_code_generate(code);
            survey_code_hash(k, code, hash);
            ret = round_store_add_code(db, id, code, hash);
        }
    }
    if (ret)
        goto out;
    char detail[48];
    snprintf(detail, sizeof detail, "%d codes", n);
    ret = audit_write(db, who, "round.codes_make", "survey_round", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int round_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
              struct survey_round *out)
{
    int ret = round_store_get(a, store_reader(s), id, out);
    if (ret)
        return ret;
    return allowed(a, s, who, ACT_VIEW, out) ? 0 : ERR_DENIED;
}

int round_list(struct arena *a, struct store *s, const struct actor *who, int64_t survey_id,
               struct survey_round **out, int *n)
{
    struct survey_round *all = NULL;
    int count = 0;
    *out = NULL;
    *n = 0;
    int ret = round_store_list(a, store_reader(s), survey_id, 0, &all, &count);
    if (ret)
        return ret;
    int k = 0;
    for (int i = 0; i < count; i++)
        if (allowed(a, s, who, ACT_VIEW, &all[i]))
            all[k++] = all[i];
    *out = all;
    *n = k;
    return 0;
}

int round_codes(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                struct round_code **out, int *n)
{
    struct survey_round r;
    *out = NULL;
    *n = 0;
    int ret = round_store_get(a, store_reader(s), id, &r);
    if (ret)
        return ret;
    if (!allowed(a, s, who, ACT_EDIT, &r))
        return ERR_DENIED;
    if ((ret = round_store_codes(a, store_reader(s), id, false, out, n)))
        return ret;
    for (int i = 0; i < *n; i++)
        (*out)[i].used = false;
    /* Codes give access to a survey: who printed or downloaded them is recorded. */
    char detail[48];
    snprintf(detail, sizeof detail, "%d codes read", *n);
    return audit_record(s, who, "round.codes_read", "survey_round", id, detail);
}

int round_find_by_code(struct arena *a, struct store *s, const struct survey_code_key *k,
                       const char *norm, struct round_invitation *out)
{
    unsigned char hash[SURVEY_CODE_HASH_LEN];
    int64_t round_id = 0;
    if (!k || !norm || strlen(norm) != SURVEY_CODE_LEN)
        return ERR_NOT_FOUND;
    survey_code_hash(k, norm, hash);
    int ret =
        round_store_find_hash(store_reader(s), hash, &out->invitation_id, &round_id, &out->used);
    if (ret)
        return ret;
    return round_store_get(a, store_reader(s), round_id, &out->round);
}

int round_find_by_slug(struct arena *a, struct store *s, const char *slug, struct survey_round *out)
{
    int64_t id = 0;
    size_t n = slug ? strlen(slug) : 0;
    if (n < 16 || n > 64)
        return ERR_NOT_FOUND;
    int ret = round_store_find_slug(store_reader(s), slug, &id);
    if (ret)
        return ret;
    return round_store_get(a, store_reader(s), id, out);
}

bool round_accepts(const struct survey_round *r, int32_t today)
{
    return r->status == ROUND_OPEN && today >= r->opens_on && today <= r->closes_on;
}
