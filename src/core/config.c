/*
 * config.c: the settings table. Each key is listed once with its type, so the file reader,
 * CLI flags and docs/operations.md agree.
 */
#include "core/config.h"
#include "core/common.h"
#include "core/str.h"
#include "core/xalloc.h"
#include <unistd.h>

static char *join_path(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = xmalloc(dl + nl + 2);
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

void config_defaults(struct config *c, const char *data_dir)
{
    memset(c, 0, sizeof *c);
    c->data_dir = xstrdup(data_dir);
    c->db_path = join_path(data_dir, "duiding.db");
    c->key_path = join_path(data_dir, "pseudonym.key");
    c->listen = xstrdup("127.0.0.1");
    c->port = 8080;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cores > 0 && cores < 64 ? (int)cores : 2;
    c->job_workers = 2;
    c->conn_limit = 1024;
    c->conn_timeout = 15;
    c->secure_cookies = false;
    c->log_level = xstrdup("info");
    c->session_hours = 8;
    c->default_lang = xstrdup("nl");
    c->upload_max_mb = 2048;
    c->public_url = xstrdup("http://localhost:8080");
    c->virusscan_command = xstrdup("");
    for (int i = 0; i < CONFIG_AUDIENCES; i++) {
        c->disclosure_min_count[i] = 10;
        c->disclosure_min_denominator[i] = 10;
        c->disclosure_round[i] = i == 0 ? 1 : 5; /* internal staff see exact counts */
        c->disclosure_min_benchmark[i] = 5;
    }
}

void config_release(struct config *c)
{
    free(c->data_dir);
    free(c->db_path);
    free(c->key_path);
    free(c->listen);
    free(c->log_level);
    free(c->default_lang);
    free(c->public_url);
    free(c->virusscan_command);
    memset(c, 0, sizeof *c);
}

enum kind { K_STR, K_INT, K_BOOL };
struct key {
    const char *name;
    enum kind kind;
    size_t offset;
    int64_t min, max;
};

#define OFF(f)     offsetof(struct config, f)
#define DISC(f, i) (OFF(f) + (size_t)(i) * sizeof(int))
static const struct key keys[] = {
    {"db_path", K_STR, OFF(db_path), 0, 0},
    {"key_path", K_STR, OFF(key_path), 0, 0},
    {"listen", K_STR, OFF(listen), 0, 0},
    {"port", K_INT, OFF(port), 0, 65535},
    {"threads", K_INT, OFF(threads), 1, 64},
    {"job_workers", K_INT, OFF(job_workers), 1, 16},
    {"conn_limit", K_INT, OFF(conn_limit), 16, 100000},
    {"conn_timeout", K_INT, OFF(conn_timeout), 1, 3600},
    {"secure_cookies", K_BOOL, OFF(secure_cookies), 0, 0},
    {"log_level", K_STR, OFF(log_level), 0, 0},
    {"session_hours", K_INT, OFF(session_hours), 1, 24 * 30},
    {"default_lang", K_STR, OFF(default_lang), 0, 0},
    {"upload_max_mb", K_INT, OFF(upload_max_mb), 1, 2048},
    {"public_url", K_STR, OFF(public_url), 0, 0},
    {"virusscan_command", K_STR, OFF(virusscan_command), 0, 0},
    /* Disclosure control (metrics/disclosure.h): [0] intern, [1] aanbieder, [2] publiek. */
    {"disclosure_intern_min_count", K_INT, DISC(disclosure_min_count, 0), 1, 1000},
    {"disclosure_intern_min_denominator", K_INT, DISC(disclosure_min_denominator, 0), 1, 1000},
    {"disclosure_intern_round", K_INT, DISC(disclosure_round, 0), 1, 100},
    {"disclosure_intern_min_benchmark", K_INT, DISC(disclosure_min_benchmark, 0), 3, 1000},
    {"disclosure_aanbieder_min_count", K_INT, DISC(disclosure_min_count, 1), 1, 1000},
    {"disclosure_aanbieder_min_denominator", K_INT, DISC(disclosure_min_denominator, 1), 1, 1000},
    {"disclosure_aanbieder_round", K_INT, DISC(disclosure_round, 1), 1, 100},
    {"disclosure_aanbieder_min_benchmark", K_INT, DISC(disclosure_min_benchmark, 1), 3, 1000},
    {"disclosure_publiek_min_count", K_INT, DISC(disclosure_min_count, 2), 1, 1000},
    {"disclosure_publiek_min_denominator", K_INT, DISC(disclosure_min_denominator, 2), 1, 1000},
    {"disclosure_publiek_round", K_INT, DISC(disclosure_round, 2), 1, 100},
    {"disclosure_publiek_min_benchmark", K_INT, DISC(disclosure_min_benchmark, 2), 3, 1000},
};

/* The public address printed on survey letters and in QR codes: it must be a plain absolute
 * http(s) URL, since it ends up in HTML attributes, CSV cells and QR payloads. */
static bool public_url_ok(const char *v)
{
    size_t n = strlen(v);
    size_t scheme = strncmp(v, "https://", 8) == 0 ? 8 : strncmp(v, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0 || n <= scheme || n > 200)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\'' || ch == '<' || ch == '>' ||
            ch == '\\' || ch == '?' || ch == '#' || ch == '`' || ch == ';' || ch == ',')
            return false;
    }
    return true;
}

int config_set(struct config *c, const char *key, const char *value, struct err_ctx *e)
{
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        if (strcmp(keys[i].name, key) != 0)
            continue;
        void *field = (char *)c + keys[i].offset;
        if (keys[i].kind == K_STR) {
            if (strcmp(key, "log_level") == 0 && strcmp(value, "error") != 0 &&
                strcmp(value, "warn") != 0 && strcmp(value, "info") != 0 &&
                strcmp(value, "debug") != 0)
                return err_set(e, ERR_INVALID, keys[i].name,
                               "log_level must be error, warn, info or debug");
            if (strcmp(key, "default_lang") == 0 && strcmp(value, "nl") != 0 &&
                strcmp(value, "en") != 0)
                return err_set(e, ERR_INVALID, keys[i].name, "default_lang must be nl or en");
            if (strcmp(key, "public_url") == 0 && !public_url_ok(value))
                return err_set(e, ERR_INVALID, keys[i].name,
                               "public_url must be an http:// or https:// address of at most "
                               "200 characters without spaces, quotes, query or fragment");
            if (strcmp(key, "virusscan_command") == 0 &&
                (strlen(value) > 500 || strpbrk(value, "\n\r\"'`$;|&<>")))
                return err_set(e, ERR_INVALID, keys[i].name,
                               "virusscan_command must be a program with arguments (at most 500 "
                               "characters, no quotes or shell characters: it runs without a "
                               "shell)");
            char **s = field;
            free(*s);
            *s = xstrdup(value);
            if (strcmp(key, "public_url") == 0) {
                size_t n = strlen(*s);
                while (n > 0 && (*s)[n - 1] == '/') /* links are built as base + "/enquete" */
                    (*s)[--n] = '\0';
            }
        } else if (keys[i].kind == K_INT) {
            int64_t v;
            if (str_parse_i64_c(value, keys[i].min, keys[i].max, &v))
                return err_set(e, ERR_INVALID, keys[i].name,
                               "%s must be a whole number from %" PRId64 " to %" PRId64,
                               keys[i].name, keys[i].min, keys[i].max);
            *(int *)field = (int)v;
        } else {
            bool *b = field;
            if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0)
                *b = true;
            else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
                     strcmp(value, "0") == 0)
                *b = false;
            else
                return err_set(e, ERR_INVALID, keys[i].name, "%s must be true or false",
                               keys[i].name);
        }
        return 0;
    }
    return err_set(e, ERR_INVALID, NULL, "unknown setting '%.60s'", key);
}

int config_load_file(struct config *c, const char *path, struct err_ctx *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : err_set(e, ERR_IO, NULL, "cannot read %s", path);
    char line[CONFIG_MAX_LINE + 2];
    uint32_t lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n > CONFIG_MAX_LINE) {
            rc = err_set(e, ERR_INVALID, NULL, "%s:%u: line too long", path, lineno);
            goto out;
        }
        struct str s = str_trim(str_from(line));
        if (s.len == 0 || s.p[0] == '#')
            continue;
        const char *eq = memchr(s.p, '=', s.len);
        if (!eq) {
            rc = err_set(e, ERR_INVALID, NULL, "%s:%u: expected 'key = value'", path, lineno);
            goto out;
        }
        struct str k = str_trim((struct str){s.p, (size_t)(eq - s.p)});
        struct str v = str_trim((struct str){eq + 1, s.len - (size_t)(eq - s.p) - 1});
        char key[64], value[CONFIG_MAX_LINE];
        if (k.len == 0 || k.len >= sizeof key) {
            rc = err_set(e, ERR_INVALID, NULL, "%s:%u: bad key", path, lineno);
            goto out;
        }
        memcpy(key, k.p, k.len);
        key[k.len] = '\0';
        memcpy(value, v.p, v.len);
        value[v.len] = '\0';
        struct err_ctx inner = {0};
        if (config_set(c, key, value, &inner)) {
            rc = err_set(e, ERR_INVALID, inner.field, "%s:%u: %s", path, lineno, inner.msg);
            goto out;
        }
    }
out:
    if (rc && e)
        e->line = lineno;
    fclose(f);
    return rc;
}
