/*
 * auth.c: authentication with libsodium: Argon2id password hashes, server-side sessions and
 * API tokens whose secrets are 256-bit random values stored only as SHA-256, CSRF tokens
 * derived from the session id, and an in-memory, bounded login rate limiter.
 */
#include "domain/auth.h"
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "store/session_store.h"
#include "store/token_store.h"
#include "store/user_store.h"
#include <pthread.h>
#include <sodium.h>

#define SECRET_BYTES       32
#define PASSWORD_GROUPS    4
#define PASSWORD_GROUP_LEN 5
#define TOKEN_PREFIX_LEN   (sizeof AUTH_TOKEN_PREFIX - 1)
#define TOKEN_LEN          (TOKEN_PREFIX_LEN + AUTH_SECRET_B64_LEN)
#define RATE_KEY_BYTES     16 /* BLAKE2b digest of the key: bounded memory, no login names kept */

/* No 0/o and no 1/l, so a password read aloud or from paper is typed right the first time.
 * 32 symbols: randombytes_uniform draws them without bias, 5 bits each. */
static const char password_alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";

/* ---- Initialisation and password hashing. -------------------------------------------------- */

int auth_init(void)
{
    /* Only libsodium: the dummy hash of unknown logins is made by the first one (see
     * unknown_login_work), so commands that never log anyone in (an import, a backup) do not
     * spend 64 MiB and a tenth of a second on it at every start. */
    return sodium_init() < 0 ? ERR_INTERNAL : 0;
}

int auth_hash_password(const char *password, char **hash_out)
{
    char hash[crypto_pwhash_STRBYTES];
    if (!password)
        return ERR_INVALID;
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ERR_NOMEM; /* the only documented failure: the 64 MiB could not be had */
    *hash_out = xstrdup(hash);
    return 0;
}

bool auth_verify_password(const char *hash, const char *password)
{
    if (!hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

char *auth_generate_password(void)
{
    char *pw = xmalloc(PASSWORD_GROUPS * (PASSWORD_GROUP_LEN + 1));
    size_t at = 0;
    for (int g = 0; g < PASSWORD_GROUPS; g++) {
        if (g > 0)
            pw[at++] = '-';
        for (int i = 0; i < PASSWORD_GROUP_LEN; i++)
            pw[at++] = password_alphabet[randombytes_uniform(sizeof password_alphabet - 1)];
    }
    pw[at] = '\0';
    return pw;
}

/*
 * The hash verified when a login name is unknown, so that answering "no such user" costs the
 * same Argon2id work as a wrong password. Made once per process with the current parameters
 * (rather than a literal) so its cost keeps matching real hashes if libsodium's INTERACTIVE
 * limits change; its password is random and thrown away.
 */
static char dummy_hash[crypto_pwhash_STRBYTES];
static bool dummy_made;
static pthread_mutex_t dummy_mu = PTHREAD_MUTEX_INITIALIZER;

static void make_dummy_hash(void)
{
    unsigned char raw[SECRET_BYTES];
    if (sodium_init() < 0)
        return;
    randombytes_buf(raw, sizeof raw);
    if (crypto_pwhash_str(dummy_hash, (const char *)raw, sizeof raw,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        dummy_hash[0] = '\0';
        log_error("auth.dummy_hash", "msg", "cannot compute the dummy password hash", NULL);
    }
    sodium_memzero(raw, sizeof raw);
}

/* The Argon2id work for a login name that does not exist. The first time in a process that is
 * making the dummy hash, which costs what verifying against it costs: so not even the first
 * answer after a start tells an unknown name from a wrong password by its time. */
static void unknown_login_work(const char *password)
{
    pthread_mutex_lock(&dummy_mu);
    bool made = dummy_made;
    if (!made) {
        make_dummy_hash();
        dummy_made = true;
    }
    pthread_mutex_unlock(&dummy_mu);
    if (made)
        (void)auth_verify_password(dummy_hash, password);
}

/* ---- Secrets. -------------------------------------------------------------------------------- */

/* A fresh 256-bit secret as base64url without padding (AUTH_SECRET_B64_LEN characters). */
static void new_secret(char out[static AUTH_SECRET_B64_LEN + 1])
{
    unsigned char raw[SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_SECRET_B64_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* What the database stores instead of a secret: SHA-256 of its text. */
static void secret_hash(const char *secret, unsigned char out[static crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256(out, (const unsigned char *)secret, strlen(secret));
}

static int64_t now_sec(void)
{
    return (int64_t)time(NULL);
}

/* ---- Rate limiting. -------------------------------------------------------------------------- */

/* One key's failures in its current window. Keys are kept only as a digest. */
struct rate_slot {
    unsigned char key[RATE_KEY_BYTES];
    bool used;
    int count;
    int window;    /* seconds; set by auth_rate_allow, AUTH_LOGIN_WINDOW_SEC until then */
    int64_t first; /* start of the window: the first failure */
    uint64_t seq;  /* when it was last hit, in hits since start: orders eviction exactly */
};

/* Owned by: this file; fixed size, so an attacker cycling keys cannot grow memory. */
static struct rate_slot rate_table[AUTH_RATE_SLOTS];
static uint64_t rate_seq;
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static void rate_digest(const char *key, unsigned char out[static RATE_KEY_BYTES])
{
    crypto_generichash(out, RATE_KEY_BYTES, (const unsigned char *)key, key ? strlen(key) : 0, NULL,
                       0);
}

static bool rate_expired(const struct rate_slot *r, int64_t now)
{
    return now - r->first >= r->window;
}

/*
 * The slot of key, or NULL. With create, a missing key takes a free or expired slot, else the
 * least recently hit slot that is not locked, else the least recently hit one. Sparing locked
 * slots means a flood of fresh keys (each with one failure) churns among itself instead of
 * unlocking the accounts it is guessing at. rate_lock held.
 */
static struct rate_slot *rate_find(const unsigned char key[static RATE_KEY_BYTES], bool create,
                                   int64_t now)
{
    struct rate_slot *spare = NULL, *oldest = NULL, *oldest_open = NULL;
    for (size_t i = 0; i < AUTH_RATE_SLOTS; i++) {
        struct rate_slot *r = &rate_table[i];
        if (!r->used || rate_expired(r, now)) {
            if (!spare)
                spare = r;
            if (!r->used)
                continue;
        }
        /* Digests, not secrets: an ordinary comparison is fine. */
        if (memcmp(r->key, key, RATE_KEY_BYTES) == 0)
            return r;
        if (!oldest || r->seq < oldest->seq)
            oldest = r;
        if (r->count < AUTH_LOGIN_MAX_FAILS && (!oldest_open || r->seq < oldest_open->seq))
            oldest_open = r;
    }
    if (!create)
        return NULL;
    struct rate_slot *r = spare ? spare : oldest_open ? oldest_open : oldest;
    memcpy(r->key, key, RATE_KEY_BYTES);
    r->used = true;
    r->count = 0;
    r->window = AUTH_LOGIN_WINDOW_SEC;
    r->first = now;
    r->seq = ++rate_seq;
    return r;
}

bool auth_rate_allow(const char *key, int max, int window_sec)
{
    unsigned char k[RATE_KEY_BYTES];
    int64_t now = now_sec();
    bool allow = true;
    rate_digest(key, k);
    pthread_mutex_lock(&rate_lock);
    struct rate_slot *r = rate_find(k, false, now);
    if (r) {
        r->window = window_sec;
        if (rate_expired(r, now))
            r->used = false;
        else
            allow = r->count < max;
    }
    pthread_mutex_unlock(&rate_lock);
    return allow;
}

void auth_rate_hit(const char *key)
{
    unsigned char k[RATE_KEY_BYTES];
    int64_t now = now_sec();
    rate_digest(key, k);
    pthread_mutex_lock(&rate_lock);
    struct rate_slot *r = rate_find(k, true, now);
    if (rate_expired(r, now)) {
        r->count = 0;
        r->first = now;
    }
    r->count++;
    r->seq = ++rate_seq;
    pthread_mutex_unlock(&rate_lock);
}

void auth_rate_clear(const char *key)
{
    unsigned char k[RATE_KEY_BYTES];
    rate_digest(key, k);
    pthread_mutex_lock(&rate_lock);
    struct rate_slot *r = rate_find(k, false, now_sec());
    if (r)
        r->used = false;
    pthread_mutex_unlock(&rate_lock);
}

/* ---- Actors. --------------------------------------------------------------------------------- */

int auth_actor_for_user(struct arena *a, struct store *s, int64_t user_id, struct actor *out)
{
    struct actor act;
    bool active = false;
    struct db *db = store_reader(s);
    int ret;
    if (!db)
        return ERR_DB;
    ret = user_store_actor(a, db, user_id, &act, NULL, &active);
    if (ret)
        goto out;
    /* An actor means "may act": a deactivated account never gets one. */
    if (!active) {
        ret = ERR_UNAUTH;
        goto out;
    }
    *out = act;
out:
    return ret;
}

/* ---- Login, sessions, logout. ---------------------------------------------------------------- */

/* Lower-cases ASCII into the arena: logins are stored lower-case, people type "Jan". */
static char *lower_copy(struct arena *a, const char *s)
{
    char *c = arena_strdup(a, s);
    if (c)
        for (char *p = c; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    return c;
}

/* True if s could be a login at all (user.c enforces the same rule when accounts are made). */
static bool login_plausible(const char *s)
{
    size_t n = strlen(s);
    if (n < USER_LOGIN_MIN || n > USER_LOGIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '@' || c == '-'))
            return false;
    }
    return true;
}

/* Records a refused login in its own transaction. The address is never written. */
static void audit_login(struct store *s, const char *action, int64_t user_id, const char *login,
                        const char *reason)
{
    struct actor anon;
    char detail[160];
    memset(&anon, 0, sizeof anon);
    snprintf(detail, sizeof detail, "login=%s reason=%s",
             login_plausible(login) ? login : "(ongeldig)", reason);
    if (audit_record(s, &anon, action, "user", user_id, detail) != 0)
        log_error("auth.audit", "action", action, NULL);
}

/* Creates the session row, records the login and, if asked, stores an upgraded hash. */
static int start_session(struct store *s, const struct user_cred *cred, const char *new_hash,
                         const char *sid)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    struct actor who;
    bool writing = false;
    int64_t now = now_sec();
    int ret;

    secret_hash(sid, h);
    audit_format_time((time_t)now, at);
    memset(&who, 0, sizeof who);
    who.user_id = cred->id;
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    /* Dropping dead sessions here keeps the table small without a sweeper thread. */
    if ((ret = session_store_purge(db, now, 0)) ||
        (ret = session_store_insert(db, h, cred->id, now, now + AUTH_SESSION_MAX_SEC)) ||
        (ret = user_store_touch_login(db, cred->id, at)))
        goto out;
    if (new_hash &&
        (ret = user_store_set_password(db, cred->id, new_hash, cred->must_change_password, at)))
        goto out;
    ret = audit_write(db, &who, "login.ok", "user", cred->id, new_hash ? "rehash=1" : NULL);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    sodium_memzero(h, sizeof h);
    return ret;
}

int auth_login(struct store *s, const char *login, const char *password, const char *addr,
               char **session_id, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct user_cred cred = {0};
    char sid[AUTH_SECRET_B64_LEN + 1] = "";
    char *new_hash = NULL;
    char *name = NULL, *acct_key = NULL, *addr_key = NULL;
    bool found = false, ok = false;
    int ret = 0;

    if (!login || !password) {
        ret = err_set(e, ERR_UNAUTH, NULL, "%s", _("De inlognaam of het wachtwoord klopt niet."));
        goto out;
    }
    name = lower_copy(a, login);
    acct_key = name ? arena_printf(a, "acct:%s", name) : NULL;
    addr_key = addr ? arena_printf(a, "addr:%s", addr) : NULL;
    if (!name || !acct_key || (addr && !addr_key)) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    if (!auth_rate_allow(acct_key, AUTH_LOGIN_MAX_FAILS, AUTH_LOGIN_WINDOW_SEC) ||
        (addr_key && !auth_rate_allow(addr_key, AUTH_LOGIN_MAX_FAILS, AUTH_LOGIN_WINDOW_SEC))) {
        audit_login(s, "login.limited", 0, name, "rate");
        ret = err_set(e, ERR_BUSY, NULL, "%s",
                      _("Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw."));
        goto out;
    }

    if (login_plausible(name)) {
        struct db *db = store_reader(s);
        if (!db) {
            ret = ERR_DB;
            goto out;
        }
        ret = user_store_cred_by_login(a, db, name, &cred);
        if (ret && ret != ERR_NOT_FOUND)
            goto out;
        found = ret == 0;
        ret = 0;
    }
    if (found) {
        ok = auth_verify_password(cred.password_hash, password);
    } else {
        unknown_login_work(password);
    }
    /* An inactive account fails exactly like a wrong password, after the same work. */
    if (!ok || !cred.active) {
        auth_rate_hit(acct_key);
        if (addr_key)
            auth_rate_hit(addr_key);
        audit_login(s, "login.fail", found ? cred.id : 0, name,
                    !found ? "unknown"
                    : !ok  ? "password"
                           : "inactive");
        ret = err_set(e, ERR_UNAUTH, NULL, "%s", _("De inlognaam of het wachtwoord klopt niet."));
        goto out;
    }

    /* Hashes made with weaker parameters are upgraded while the password is at hand. A failure
     * here only postpones the upgrade. */
    if (crypto_pwhash_str_needs_rehash(cred.password_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
        auth_hash_password(password, &new_hash) != 0)
        log_warn("auth.rehash", "msg", "could not upgrade a password hash", NULL);

    new_secret(sid);
    ret = start_session(s, &cred, new_hash, sid);
    if (ret) {
        err_set(e, ret, NULL, "%s", _("Inloggen lukt nu niet. Probeer het later opnieuw."));
        goto out;
    }
    /* Only the account's counter: clearing the address counter too would let someone with one
     * valid account reset it and keep guessing the passwords of others. */
    auth_rate_clear(acct_key);
    *session_id = xstrdup(sid);
out:
    sodium_memzero(sid, sizeof sid);
    free(new_hash);
    arena_free(a);
    return ret;
}

/* Deletes a session in its own transaction; best effort (an expired row is also purged later). */
static void drop_session(struct store *s, const unsigned char h[static crypto_hash_sha256_BYTES])
{
    struct db *db = NULL;
    if (store_write_begin(s, &db) != 0)
        return;
    int ret = session_store_delete(db, h);
    if (store_write_end(s, ret == 0) != 0 || ret)
        log_warn("auth.session_drop", "msg", "could not delete a session", NULL);
}

int auth_session_actor(struct arena *a, struct store *s, const char *session_id, int idle_hours,
                       struct actor *out, char **lang_out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    struct session_row row;
    struct actor act;
    const char *lang = NULL;
    bool active = false;
    int64_t now = now_sec();
    int64_t idle = (int64_t)(idle_hours > 0 ? idle_hours : AUTH_SESSION_IDLE_DEFAULT_HOURS) * 3600;
    int ret = 0;

    if (!session_id || strlen(session_id) != AUTH_SECRET_B64_LEN)
        return ERR_UNAUTH;
    secret_hash(session_id, h);
    struct db *db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    ret = session_store_find(db, h, &row);
    if (ret) {
        ret = ret == ERR_NOT_FOUND ? ERR_UNAUTH : ret;
        goto out;
    }
    if (now >= row.expires_at || now - row.last_seen_at >= idle) {
        drop_session(s, h);
        ret = ERR_UNAUTH;
        goto out;
    }
    ret = user_store_actor(a, db, row.user_id, &act, &lang, &active);
    if (ret || !active) {
        ret = ret && ret != ERR_NOT_FOUND ? ret : ERR_UNAUTH;
        goto out;
    }
    /* Idle time is measured from last_seen_at; writing it on every request would turn each
     * page view into a write, so it is refreshed at most once a minute. */
    if (now - row.last_seen_at >= AUTH_TOUCH_SEC) {
        struct db *w = NULL;
        if (store_write_begin(s, &w) == 0) {
            int rc = session_store_touch(w, h, now);
            if (store_write_end(s, rc == 0) != 0 || rc)
                log_warn("auth.session_touch", "msg", "could not refresh a session", NULL);
        }
    }
    *out = act;
    if (lang_out)
        *lang_out = (char *)lang;
out:
    sodium_memzero(h, sizeof h);
    return ret;
}

int auth_logout(struct store *s, const char *session_id)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    struct db *db = NULL;
    int ret = 0;
    if (!session_id)
        return 0;
    secret_hash(session_id, h);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    ret = session_store_delete(db, h);
    int end = store_write_end(s, ret == 0);
    if (!ret)
        ret = end;
out:
    sodium_memzero(h, sizeof h);
    return ret;
}

/* ---- CSRF. ----------------------------------------------------------------------------------- */

void auth_csrf_token(const char *session_id, char out[AUTH_SECRET_B64_LEN + 1])
{
    static const unsigned char msg[] = "csrf";
    unsigned char key[crypto_hash_sha256_BYTES];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    /* HMAC-SHA-256 in libsodium takes a 32-byte key; the session id text is hashed to one. */
    secret_hash(session_id ? session_id : "", key);
    crypto_auth_hmacsha256(mac, msg, sizeof msg - 1, key);
    sodium_bin2base64(out, AUTH_SECRET_B64_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(key, sizeof key);
    sodium_memzero(mac, sizeof mac);
}

bool auth_csrf_check(const char *session_id, const char *submitted)
{
    char expect[AUTH_SECRET_B64_LEN + 1];
    bool ok;
    if (!session_id || !submitted || strlen(submitted) != AUTH_SECRET_B64_LEN)
        return false;
    auth_csrf_token(session_id, expect);
    ok = sodium_memcmp(expect, submitted, AUTH_SECRET_B64_LEN) == 0;
    sodium_memzero(expect, sizeof expect);
    return ok;
}

/* ---- API tokens. ----------------------------------------------------------------------------- */

static int check_label(const char *label, struct err_ctx *e)
{
    size_t n = label ? strlen(label) : 0;
    struct str t = str_trim((struct str){label, n});
    if (t.len == 0)
        return err_set(e, ERR_INVALID, "label", "%s", _("Geef het token een naam."));
    if (!utf8_valid(label, n, NULL) || utf8_has_controls(label, n) || memchr(label, '\n', n) ||
        memchr(label, '\r', n) || memchr(label, '\t', n))
        return err_set(e, ERR_INVALID, "label", "%s",
                       _("De naam van het token bevat ongeldige tekens."));
    if (utf8_count(label, n) > AUTH_TOKEN_LABEL_MAX)
        return err_set(e, ERR_INVALID, "label",
                       _("De naam van het token is te lang (maximaal %d tekens)."),
                       AUTH_TOKEN_LABEL_MAX);
    return 0;
}

int auth_token_create(struct store *s, const struct actor *who, int64_t user_id, const char *label,
                      uint32_t scopes, int days, char **token, int64_t *id_out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    char secret[AUTH_SECRET_B64_LEN + 1] = "";
    char tok[TOKEN_LEN + 1] = "";
    unsigned char h[crypto_hash_sha256_BYTES];
    char detail[96];
    struct user target;
    struct db *db = NULL;
    bool writing = false;
    int64_t id = 0, now = now_sec();
    int ret = 0;

    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    ret = user_store_get(a, db, user_id, &target);
    if (ret)
        goto out;
    struct object_ref obj = {.kind = OBJ_API_TOKEN, .id = user_id, .owner_org_id = target.org_id};
    if (!policy_allows(who, ACT_CREATE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if ((ret = check_label(label, e)))
        goto out;
    if (scopes == 0 || (scopes & ~(uint32_t)SCOPE_ALL) != 0) {
        ret = err_set(e, ERR_INVALID, "scopes", "%s", _("Kies wat het token mag."));
        goto out;
    }
    if (days < 1 || days > AUTH_TOKEN_DAYS_MAX) {
        ret = err_set(e, ERR_INVALID, "days", _("Een token is 1 tot %d dagen geldig."),
                      AUTH_TOKEN_DAYS_MAX);
        goto out;
    }
    if (!target.active) {
        ret = err_set(e, ERR_INVALID, "user_id", "%s", _("Dit account is gedeactiveerd."));
        goto out;
    }

    new_secret(secret);
    memcpy(tok, AUTH_TOKEN_PREFIX, TOKEN_PREFIX_LEN);
    memcpy(tok + TOKEN_PREFIX_LEN, secret, AUTH_SECRET_B64_LEN + 1);
    secret_hash(tok, h);
    snprintf(detail, sizeof detail, "user=%" PRId64 " scopes=%" PRIu32 " days=%d", user_id, scopes,
             days);
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = token_store_insert(db, h, user_id, label, scopes, now, now + (int64_t)days * 86400, &id);
    if (!ret)
        ret = audit_write(db, who, "token.create", "api_token", id, detail);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    if (!ret) {
        *token = xstrdup(tok);
        if (id_out)
            *id_out = id;
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(tok, sizeof tok);
    sodium_memzero(h, sizeof h);
    arena_free(a);
    return ret;
}

int auth_token_revoke(struct store *s, const struct actor *who, int64_t token_id, struct err_ctx *e)
{
    struct db *db = NULL;
    int64_t owner = 0;
    bool revoked = false, writing = false;
    int ret = 0;

    /* Read and change in one transaction, so the owner checked is the owner revoked. */
    ret = store_write_begin(s, &db);
    if (ret)
        goto out;
    writing = true;
    ret = token_store_owner(db, token_id, &owner, &revoked);
    if (ret)
        goto out;
    struct object_ref obj = {.kind = OBJ_API_TOKEN, .id = owner};
    if (!policy_allows(who, ACT_ARCHIVE, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (revoked)
        goto out; /* already done: nothing to change or record */
    ret = token_store_revoke(db, token_id);
    if (!ret)
        ret = audit_write(db, who, "token.revoke", "api_token", token_id, NULL);
out:
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    if (ret == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit token bestaat niet."));
    return ret;
}

int auth_token_actor(struct arena *a, struct store *s, const char *token, struct actor *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    struct token_row row;
    struct actor act;
    bool active = false;
    int64_t now = now_sec();
    int ret = 0;

    if (!token || strlen(token) != TOKEN_LEN ||
        memcmp(token, AUTH_TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
        return ERR_UNAUTH;
    secret_hash(token, h);
    struct db *db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    ret = token_store_find(db, h, &row);
    if (ret) {
        ret = ret == ERR_NOT_FOUND ? ERR_UNAUTH : ret;
        goto out;
    }
    if (row.revoked || now >= row.expires_at) {
        ret = ERR_UNAUTH;
        goto out;
    }
    ret = user_store_actor(a, db, row.user_id, &act, NULL, &active);
    if (ret || !active) {
        ret = ret && ret != ERR_NOT_FOUND ? ret : ERR_UNAUTH;
        goto out;
    }
    act.via_token = true;
    act.token_scopes = row.scopes;
    /* Like sessions: at most one write a minute per token, however busy the client is. */
    if (now - row.last_used_at >= AUTH_TOUCH_SEC) {
        struct db *w = NULL;
        if (store_write_begin(s, &w) == 0) {
            int rc = token_store_touch(w, row.id, now);
            if (store_write_end(s, rc == 0) != 0 || rc)
                log_warn("auth.token_touch", "msg", "could not record token use", NULL);
        }
    }
    *out = act;
out:
    sodium_memzero(h, sizeof h);
    return ret;
}
