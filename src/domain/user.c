/*
 * user.c: user accounts: validation (Dutch messages naming the field), the authorisation
 * policy, and changes written together with their audit event in one transaction. Guards the
 * system against losing its last beheerder.
 */
#include "domain/user.h"
#include "core/common.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/session_store.h"
#include "store/token_store.h"
#include "store/user_store.h"
#include <sodium.h>

#define DETAIL_MAX 160

/* ---- Validation. ----------------------------------------------------------------------------- */

static bool login_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' ||
           c == '-';
}

static int check_login(const char *login, struct err_ctx *e)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0)
        return err_set(e, ERR_INVALID, "login", "%s", _("Vul een inlognaam in."));
    if (n < USER_LOGIN_MIN || n > USER_LOGIN_MAX)
        return err_set(e, ERR_INVALID, "login", _("De inlognaam moet %d tot %d tekens lang zijn."),
                       USER_LOGIN_MIN, USER_LOGIN_MAX);
    for (size_t i = 0; i < n; i++)
        if (!login_char(login[i]))
            return err_set(e, ERR_INVALID, "login", "%s",
                           _("Gebruik in de inlognaam alleen kleine letters, cijfers en . _ @ -"));
    return 0;
}

/* True if s has a C0 control character (newlines and tabs included) or DEL. */
static bool has_any_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* Validates the display name; *trimmed receives it without surrounding white space. */
static int check_display_name(const char *name, struct str *trimmed, struct err_ctx *e)
{
    struct str t = str_trim(str_from(name));
    if (t.len == 0)
        return err_set(e, ERR_INVALID, "display_name", "%s", _("Vul een naam in."));
    if (!utf8_valid(t.p, t.len, NULL) || has_any_control(t.p, t.len))
        return err_set(e, ERR_INVALID, "display_name", "%s", _("De naam bevat ongeldige tekens."));
    if (utf8_count(t.p, t.len) > USER_DISPLAY_MAX)
        return err_set(e, ERR_INVALID, "display_name",
                       _("De naam is te lang (maximaal %d tekens)."), USER_DISPLAY_MAX);
    *trimmed = t;
    return 0;
}

static int check_roles(uint32_t roles, struct err_ctx *e)
{
    if (roles == 0)
        return err_set(e, ERR_INVALID, "roles", "%s", _("Kies ten minste één rol."));
    if ((roles & ~(uint32_t)ROLE_ALL) != 0)
        return err_set(e, ERR_INVALID, "roles", "%s", _("Onbekende rol."));
    return 0;
}

static int check_lang(const char *lang, struct err_ctx *e)
{
    if (!lang || (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0))
        return err_set(e, ERR_INVALID, "lang", "%s", _("Kies Nederlands of Engels."));
    return 0;
}

static int check_password(const char *pw, const char *login, const char *field, struct err_ctx *e)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n == 0)
        return err_set(e, ERR_INVALID, field, "%s", _("Vul een wachtwoord in."));
    if (n < USER_PASSWORD_MIN)
        return err_set(e, ERR_INVALID, field,
                       _("Het wachtwoord moet minstens %d tekens lang zijn."), USER_PASSWORD_MIN);
    if (n > USER_PASSWORD_MAX)
        return err_set(e, ERR_INVALID, field,
                       _("Het wachtwoord mag hoogstens %d tekens lang zijn."), USER_PASSWORD_MAX);
    if (!utf8_valid(pw, n, NULL))
        return err_set(e, ERR_INVALID, field, "%s", _("Het wachtwoord bevat ongeldige tekens."));
    if (login && str_eq_nocase(str_from(pw), str_from(login)))
        return err_set(e, ERR_INVALID, field, "%s",
                       _("Het wachtwoord mag niet gelijk zijn aan de inlognaam."));
    return 0;
}

/* The organisation a user is placed in must exist and be in use. */
static int check_org(struct arena *a, struct store *s, int64_t org_id, struct err_ctx *e)
{
    struct org org;
    int ret = org_id > 0 ? org_get_internal(a, s, org_id, &org) : ERR_NOT_FOUND;
    if (ret == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "org_id", "%s", _("Deze organisatie bestaat niet."));
    if (ret)
        return ret;
    if (org.archived)
        return err_set(e, ERR_INVALID, "org_id", "%s", _("Deze organisatie is gearchiveerd."));
    return 0;
}

/* ---- Helpers. -------------------------------------------------------------------------------- */

static struct object_ref user_ref(int64_t id, int64_t org_id)
{
    struct object_ref o = {.kind = OBJ_USER, .id = id, .owner_org_id = org_id};
    return o;
}

static void now_iso(char out[static AUDIT_TS_SIZE])
{
    audit_format_time(time(NULL), out);
}

/* Frees a generated or submitted secret after wiping it. */
static void free_secret(char *s)
{
    if (s) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

/*
 * Refuses a change that would leave no active beheerder: the system could then no longer be
 * administered. Runs inside the write transaction so two concurrent demotions cannot both
 * pass. `user` is the account about to lose the role or be deactivated.
 */
static int keep_last_beheerder(struct db *db, const struct user *user, struct err_ctx *e)
{
    int count = 0;
    int ret;
    if (!user->active || (user->roles & ROLE_BEHEERDER) == 0)
        return 0;
    ret = user_store_count_active_role(db, ROLE_BEHEERDER, &count);
    if (ret)
        return ret;
    if (count <= 1)
        return err_set(e, ERR_CONFLICT, "roles", "%s",
                       _("Dit is de laatste actieve beheerder. Maak eerst iemand anders "
                         "beheerder."));
    return 0;
}

/* Ends the transaction opened by store_write_begin, keeping the first error. */
/* ---- Operations. ----------------------------------------------------------------------------- */

int user_create(struct store *s, const struct actor *who, const struct user_input *in,
                int64_t *id_out, char **generated, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct str name;
    char *display = NULL, *password = NULL, *hash = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false, exists = false;
    int64_t id = 0;
    int ret = 0;

    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    struct object_ref obj = user_ref(0, in->org_id);
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    const char *lang = in->lang ? in->lang : "nl";
    if ((ret = check_login(in->login, e)) ||
        (ret = check_display_name(in->display_name, &name, e)) ||
        (ret = check_org(a, s, in->org_id, e)) || (ret = check_roles(in->roles, e)) ||
        (ret = check_lang(lang, e)))
        goto out;
    if (in->password && (ret = check_password(in->password, in->login, "password", e)))
        goto out;
    /* Checked before the slow hash so a taken name costs nothing; checked again below, inside
     * the transaction, for the race. */
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = user_store_login_exists(db, in->login, &exists)))
        goto out;
    if (exists) {
        ret = err_set(e, ERR_CONFLICT, "login", "%s", _("Deze inlognaam is al in gebruik."));
        goto out;
    }
    password = in->password ? xstrdup(in->password) : auth_generate_password();
    if ((ret = auth_hash_password(password, &hash)))
        goto out;

    display = xstrndup(name.p, name.len);
    struct user_values v = {.login = in->login,
                            .display_name = display,
                            .org_id = in->org_id,
                            .roles = in->roles,
                            .lang = lang};
    now_iso(at);
    snprintf(detail, sizeof detail, "login=%s org=%" PRId64 " roles=%" PRIu32, in->login,
             in->org_id, in->roles);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = user_store_login_exists(db, in->login, &exists)))
        goto out;
    if (exists) {
        ret = err_set(e, ERR_CONFLICT, "login", "%s", _("Deze inlognaam is al in gebruik."));
        goto out;
    }
    /* A password chosen by the system is only a way in: the user replaces it at first login. */
    if ((ret = user_store_insert(db, &v, hash, in->password == NULL, at, &id)))
        goto out;
    ret = audit_write(db, who, "user.create", "user", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    if (!ret) {
        if (id_out)
            *id_out = id;
        if (generated)
            *generated = in->password ? NULL : xstrdup(password);
    }
    free_secret(password);
    free(hash);
    free(display);
    arena_free(a);
    return ret;
}

int user_update(struct store *s, const struct actor *who, int64_t id, const struct user_input *in,
                struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct user cur;
    struct str name;
    char *display = NULL;
    char at[AUDIT_TS_SIZE], detail[DETAIL_MAX];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    if (!in) {
        ret = ERR_INVALID;
        goto out;
    }
    /* The current state is read inside the transaction, so the checks below (policy, last
     * beheerder) judge exactly what is being changed. */
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = user_store_get(a, db, id, &cur)))
        goto out;
    struct object_ref from = user_ref(id, cur.org_id), to = user_ref(id, in->org_id);
    if (!policy_allows(who, ACT_EDIT, &from) ||
        (in->org_id != cur.org_id && !policy_allows(who, ACT_EDIT, &to))) {
        ret = ERR_DENIED;
        goto out;
    }
    /* No language given keeps the user's own choice rather than resetting it. */
    const char *lang = in->lang ? in->lang : cur.lang;
    if ((ret = check_display_name(in->display_name, &name, e)) ||
        (in->org_id != cur.org_id && (ret = check_org(a, s, in->org_id, e))) ||
        (ret = check_roles(in->roles, e)) || (ret = check_lang(lang, e)))
        goto out;
    bool drops_beheerder = (cur.roles & ROLE_BEHEERDER) != 0 && (in->roles & ROLE_BEHEERDER) == 0;
    if (drops_beheerder && id == who->user_id) {
        ret = err_set(e, ERR_INVALID, "roles", "%s",
                      _("U kunt uw eigen beheerdersrol niet intrekken."));
        goto out;
    }
    if (drops_beheerder && (ret = keep_last_beheerder(db, &cur, e)))
        goto out;

    display = xstrndup(name.p, name.len);
    struct user_values v = {
        .display_name = display, .org_id = in->org_id, .roles = in->roles, .lang = lang};
    now_iso(at);
    snprintf(detail, sizeof detail,
             "org=%" PRId64 "->%" PRId64 " roles=%" PRIu32 "->%" PRIu32 " lang=%s", cur.org_id,
             in->org_id, cur.roles, in->roles, lang);
    if ((ret = user_store_update(db, id, &v, at)))
        goto out;
    ret = audit_write(db, who, "user.update", "user", id, detail);
out:
    ret = store_write_finish(s, writing, ret);
    free(display);
    arena_free(a);
    return ret;
}

int user_set_active(struct store *s, const struct actor *who, int64_t id, bool active,
                    struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct user cur;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = user_store_get(a, db, id, &cur)))
        goto out;
    struct object_ref obj = user_ref(id, cur.org_id);
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (cur.active == active)
        goto out; /* nothing changes, so nothing to record */
    if (!active && id == who->user_id) {
        ret = err_set(e, ERR_INVALID, NULL, "%s", _("U kunt uw eigen account niet deactiveren."));
        goto out;
    }
    if (!active && (ret = keep_last_beheerder(db, &cur, e)))
        goto out;
    now_iso(at);
    if ((ret = user_store_set_active(db, id, active, at)))
        goto out;
    /* A deactivated account must stop working at once, in every browser and every script. */
    if (!active &&
        ((ret = session_store_delete_user(db, id)) || (ret = token_store_revoke_user(db, id))))
        goto out;
    ret = audit_write(db, who, active ? "user.activate" : "user.deactivate", "user", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    arena_free(a);
    return ret;
}

int user_reset_password(struct store *s, const struct actor *who, int64_t id, char **generated,
                        struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct user cur;
    char *password = NULL, *hash = NULL;
    char at[AUDIT_TS_SIZE];
    struct db *db = store_reader(s);
    bool writing = false;
    int ret = 0;

    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = user_store_get(a, db, id, &cur)))
        goto out;
    struct object_ref obj = user_ref(id, cur.org_id);
    if (!policy_allows(who, ACT_RESET_PASSWORD, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    password = auth_generate_password();
    /* Hashing takes ~60 ms: done before taking the writer, which other requests wait for. */
    if ((ret = auth_hash_password(password, &hash)))
        goto out;
    now_iso(at);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    /* Whoever used the old password (perhaps the reason for the reset) is logged out. */
    if ((ret = user_store_set_password(db, id, hash, true, at)) ||
        (ret = session_store_delete_user(db, id)))
        goto out;
    ret = audit_write(db, who, "user.password_reset", "user", id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Deze gebruiker bestaat niet."));
    if (!ret && generated) {
        *generated = password;
        password = NULL;
    }
    free_secret(password);
    free(hash);
    arena_free(a);
    return ret;
}

int user_change_password(struct store *s, const struct actor *who, const char *current,
                         const char *next, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct user_cred cred;
    char *hash = NULL, *key = NULL;
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    /* Self-service for the account holder in a browser session; a token cannot do this. */
    if (!who || who->user_id <= 0 || who->via_token) {
        ret = ERR_DENIED;
        goto out;
    }
    struct object_ref self = user_ref(who->user_id, who->org_id);
    if (!policy_allows(who, ACT_VIEW, &self)) {
        ret = ERR_DENIED;
        goto out;
    }
    /* A stolen session must not become a way to guess the password at full speed. */
    key = arena_printf(a, "pwchange:%" PRId64, who->user_id);
    if (!key) {
        ret = ERR_NOMEM;
        goto out;
    }
    if (!auth_rate_allow(key, AUTH_LOGIN_MAX_FAILS, AUTH_LOGIN_WINDOW_SEC)) {
        ret = err_set(e, ERR_BUSY, "current_password", "%s",
                      _("Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw."));
        goto out;
    }
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = user_store_cred_by_id(a, db, who->user_id, &cred)))
        goto out;
    if (!cred.active) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_password(next, cred.login, "new_password", e)))
        goto out;
    if (!auth_verify_password(cred.password_hash, current ? current : "")) {
        auth_rate_hit(key);
        ret = err_set(e, ERR_INVALID, "current_password", "%s",
                      _("Het huidige wachtwoord klopt niet."));
        goto out;
    }
    if (strcmp(current, next) == 0) {
        ret = err_set(e, ERR_INVALID, "new_password", "%s",
                      _("Kies een ander wachtwoord dan het huidige."));
        goto out;
    }
    auth_rate_clear(key);
    if ((ret = auth_hash_password(next, &hash)))
        goto out;
    now_iso(at);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    if ((ret = user_store_set_password(db, who->user_id, hash, false, at)))
        goto out;
    ret = audit_write(db, who, "user.password_change", "user", who->user_id, NULL);
out:
    ret = store_write_finish(s, writing, ret);
    free(hash);
    arena_free(a);
    return ret;
}

int user_set_lang(struct store *s, const struct actor *who, const char *lang, struct err_ctx *e)
{
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    bool writing = false;
    int ret = 0;

    /* A preference of the account holder; no policy row, not audited (no data changes). */
    if (!who || who->user_id <= 0) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_lang(lang, e)))
        goto out;
    now_iso(at);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = user_store_set_lang(db, who->user_id, lang, at);
out:
    return store_write_finish(s, writing, ret);
}

int user_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
             struct user *out)
{
    struct user u;
    struct db *db = store_reader(s);
    int ret = 0;

    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    if ((ret = user_store_get(a, db, id, &u)))
        goto out;
    struct object_ref obj = user_ref(id, u.org_id);
    if (!policy_allows(who, ACT_VIEW, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    *out = u;
out:
    return ret;
}

int user_list(struct arena *a, struct store *s, const struct actor *who,
              const struct user_filter *f, struct user **out, int *n, int *total)
{
    static const struct user_filter all = {0};
    struct user_query q = {0};
    struct user *rows = NULL;
    struct db *db = NULL;
    bool in_tx = false;
    int count = 0, got = 0;
    int ret = 0;

    if (!f)
        f = &all;
    struct object_ref obj = user_ref(0, f->org_id);
    if (!who || !policy_allows(who, ACT_LIST, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (f->limit < 0 || f->offset < 0) {
        ret = ERR_INVALID;
        goto out;
    }
    q.org_id = f->org_id;
    /* policy.c note (1): only a beheerder sees the accounts of other organisations. */
    if ((who->roles & ROLE_BEHEERDER) == 0) {
        if (f->org_id != 0 && f->org_id != who->org_id) {
            ret = ERR_DENIED;
            goto out;
        }
        q.org_id = who->org_id;
    }
    q.include_inactive = f->include_inactive;
    q.limit = f->limit == 0 ? USER_LIST_DEFAULT : f->limit;
    if (q.limit > USER_LIST_MAX)
        q.limit = USER_LIST_MAX;
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
    if ((ret = user_store_count(db, &q, &count)))
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
        if ((ret = user_store_list(a, db, &q, rows, cap, &got)))
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
