/*
 * evidence.c: the life of evidence files of provider reviews (domain/evidence.h): upload with
 * every check (the pure ones are in evidence_check.c), listing, download, removal and the
 * optional virus scan. Policy OBJ_EVIDENCE is the review's object with another kind; the
 * review's status is read again inside the write transaction, so a decision taken meanwhile
 * wins over an upload or removal in flight.
 */
#include "domain/evidence.h"
#include "core/common.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/policy.h"
#include "store/evidence_store.h"
#include "store/review_store.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME_IN_MSG   60 /* bytes of a file name quoted in an error message */
#define SCAN_MAX_ARGS 32

extern char **environ;

static void evidence_object(const struct review *r, struct arena *a, struct object_ref *out)
{
    review_object(r, a, out);
    out->kind = OBJ_EVIDENCE;
}

/* The first bytes of a name, cut on a character boundary, for messages. */
static const char *short_name(struct arena *a, const char *name)
{
    if (!name)
        return "";
    size_t n = strlen(name);
    if (n <= NAME_IN_MSG)
        return name;
    n = NAME_IN_MSG;
    while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
        n--;
    const char *s = arena_printf(a, "%.*s…", (int)n, name);
    return s ? s : "";
}

/* Prefixes the reason in e with the file's name: "Bestand ‘x.pdf’ geweigerd: <reason>". */
static int refuse(struct arena *a, struct err_ctx *e, int code, const char *name)
{
    char reason[ERR_MSG_MAX];
    snprintf(reason, sizeof reason, "%s", e ? e->msg : "");
    return err_set(e, code, "bestand", _("Bestand ‘%s’ geweigerd: %s"), short_name(a, name),
                   reason);
}

bool evidence_may_upload(const struct actor *who, const struct review *r, struct arena *a)
{
    struct object_ref obj;
    evidence_object(r, a, &obj);
    return r->status != REVIEW_BESLOTEN && policy_allows(who, ACT_CREATE, &obj);
}

bool evidence_may_remove(const struct actor *who, const struct review *r,
                         const struct evidence_file *f)
{
    struct object_ref obj;
    evidence_object(r, NULL, &obj);
    /* Parties are not needed for the viewpoint holders of the owner side; the aanbieder is
     * always a party, so give the object its party explicitly. */
    int64_t party = r->aanbieder_id;
    obj.party_org_ids = &party;
    obj.nparties = 1;
    return r->status != REVIEW_BESLOTEN && who->org_id != 0 && f->org_id == who->org_id &&
           policy_allows(who, ACT_ARCHIVE, &obj);
}

/* Reads the temp file: at most EVIDENCE_FILE_MAX bytes, exactly its size. *p is xmalloc'ed. */
static int read_upload(const char *path, unsigned char **p, size_t *n, struct err_ctx *e)
{
    *p = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return err_set(e, ERR_IO, "bestand", "%s", _("het bestand kon niet worden gelezen."));
    struct stat st;
    int ret = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ret = err_set(e, ERR_IO, "bestand", "%s", _("het bestand kon niet worden gelezen."));
        goto out;
    }
    if (st.st_size == 0) {
        ret = err_set(e, ERR_INVALID, "bestand", "%s", _("het bestand is leeg."));
        goto out;
    }
    if (st.st_size > EVIDENCE_FILE_MAX) {
        ret = err_set(e, ERR_TOO_BIG, "bestand", "%s",
                      _("het bestand is groter dan 20 MiB (de grens per bestand)."));
        goto out;
    }
    *p = xmalloc((size_t)st.st_size);
    while (*n < (size_t)st.st_size) {
        ssize_t r = read(fd, *p + *n, (size_t)st.st_size - *n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        *n += (size_t)r;
    }
    if (*n != (size_t)st.st_size)
        ret = err_set(e, ERR_IO, "bestand", "%s", _("het bestand kon niet worden gelezen."));
out:
    close(fd);
    if (ret) {
        free(*p);
        *p = NULL;
    }
    return ret;
}

/* Inside the write transaction: the review as stored now, the criterion and the limits. */
static int check_review_now(struct arena *a, struct db *db, const struct review *r,
                            int64_t criterion_id, int64_t size, const char *name, struct err_ctx *e)
{
    struct review now;
    int ret = review_store_get(a, db, r->id, &now);
    if (ret)
        return ret;
    if (now.status == REVIEW_BESLOTEN)
        return err_set(e, ERR_CONFLICT, "bestand", "%s",
                       _("Over deze toetsing is al besloten; er kunnen geen bewijsstukken meer "
                         "bij."));
    if (criterion_id > 0) {
        bool found;
        if ((ret = evidence_store_criterion_in_review(db, r->id, criterion_id, &found)))
            return ret;
        if (!found)
            return err_set(e, ERR_INVALID, "criterium", "%s",
                           _("Dit criterium hoort niet bij deze toetsing."));
    }
    int nfiles;
    int64_t bytes;
    if ((ret = evidence_store_totals(db, r->id, &nfiles, &bytes)))
        return ret;
    if (nfiles + 1 > EVIDENCE_REVIEW_MAX_FILES)
        return err_set(e, ERR_TOO_BIG, "bestand",
                       _("Bestand ‘%s’ geweigerd: bij deze toetsing staan al %d bestanden (de "
                         "grens)."),
                       short_name(a, name), EVIDENCE_REVIEW_MAX_FILES);
    if (bytes + size > EVIDENCE_REVIEW_MAX_BYTES)
        return err_set(e, ERR_TOO_BIG, "bestand",
                       _("Bestand ‘%s’ geweigerd: samen met de andere bestanden van deze toetsing "
                         "wordt het meer dan 200 MiB (de grens per toetsing)."),
                       short_name(a, name));
    return 0;
}

int evidence_add(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                 const struct evidence_upload *up, int64_t *id_out, struct err_ctx *e)
{
    struct object_ref obj;
    evidence_object(r, a, &obj);
    *id_out = 0;
    if (!policy_allows(who, ACT_VIEW, &obj))
        return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Deze toetsing bestaat niet."));
    if (!policy_allows(who, ACT_CREATE, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s",
                       _("U mag bij deze toetsing geen bewijsstukken toevoegen."));
    if (r->status == REVIEW_BESLOTEN)
        return err_set(e, ERR_CONFLICT, "bestand", "%s",
                       _("Over deze toetsing is al besloten; er kunnen geen bewijsstukken meer "
                         "bij."));
    if (!up || !up->data_dir || !up->temp_path)
        return err_set(e, ERR_INVALID, "bestand", "%s", _("Kies een bestand."));
    const char *name = NULL;
    int ret = evidence_clean_name(a, up->name, up->name_len, &name, e);
    if (ret)
        return ret;
    unsigned char *p = NULL;
    size_t n = 0;
    if ((ret = read_upload(up->temp_path, &p, &n, e)))
        return refuse(a, e, ret, name);
    enum evidence_type type;
    if ((ret = evidence_sniff(p, n, &type, e))) {
        free(p);
        return refuse(a, e, ret, name);
    }
    if (!evidence_name_matches(name, type)) {
        free(p);
        return err_set(e, ERR_INVALID, "bestand",
                       _("Bestand ‘%s’ geweigerd: de extensie van de naam past niet bij de "
                         "inhoud (een %s)."),
                       short_name(a, name), evidence_type_label(type));
    }
    char sha[65];
    const char *staged = NULL;
    ret = evidence_blob_stage(a, up->data_dir, p, n, sha, &staged);
    free(p);
    if (ret)
        return err_set(e, ret, NULL, "%s", _("Het bestand kon niet worden opgeslagen."));

    struct db *db;
    if ((ret = store_write_begin(s, &db))) {
        evidence_blob_discard(staged);
        return ret;
    }
    bool renamed = false;
    ret = check_review_now(a, db, r, up->criterion_id, (int64_t)n, name, e);
    if (!ret) {
        ret = evidence_blob_commit(a, up->data_dir, staged, sha);
        if (ret)
            err_set(e, ret, NULL, "%s", _("Het bestand kon niet worden opgeslagen."));
        renamed = ret == 0;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    struct evidence_values v = {
        .review_id = r->id,
        .criterion_id = up->criterion_id,
        .name = name,
        .type = type,
        .size = (int64_t)n,
        .sha256 = sha,
        .uploaded_by = who->user_id,
        .org_id = who->org_id,
    };
    if (!ret)
        ret = evidence_store_insert(db, &v, at, id_out);
    if (!ret) {
        char detail[200];
        snprintf(detail, sizeof detail, "toetsing %lld, %s, %lld bytes, sha256 %.16s",
                 (long long)r->id, evidence_type_code(type), (long long)n, sha);
        ret = audit_write(db, who, "evidence.create", "evidence", *id_out, detail);
    }
    if (ret && renamed) {
        /* Rolled back: keep no bytes that no live row uses. */
        int refs = 1;
        if (evidence_store_refs(db, sha, &refs) == 0 && refs == 0)
            evidence_blob_unlink(a, up->data_dir, sha);
    }
    if (!renamed)
        evidence_blob_discard(staged);
    int end = store_write_end(s, ret == 0);
    if (!ret && end)
        ret = end;
    if (ret)
        *id_out = 0;
    return ret;
}

int evidence_list(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                  int64_t criterion_id, struct evidence_file **out, int *n)
{
    struct object_ref obj;
    evidence_object(r, a, &obj);
    *out = NULL;
    *n = 0;
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_NOT_FOUND;
    return evidence_store_list(a, store_reader(s), r->id, criterion_id, out, n);
}

int evidence_get(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                 int64_t id, struct evidence_file *out)
{
    struct object_ref obj;
    evidence_object(r, a, &obj);
    if (!policy_allows(who, ACT_VIEW, &obj))
        return ERR_NOT_FOUND;
    return evidence_store_get(a, store_reader(s), r->id, id, out);
}

int evidence_open(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                  const char *data_dir, int64_t id, struct evidence_file *out, int *fd_out,
                  const char **path_out, struct err_ctx *e)
{
    *fd_out = -1;
    *path_out = NULL;
    int ret = evidence_get(a, s, who, r, id, out);
    if (ret)
        return err_set(e, ret, NULL, "%s", _("Dit bestand bestaat niet."));
    if (out->scan == SCAN_BESMET)
        return err_set(e, ERR_DENIED, NULL, "%s",
                       _("Dit bestand is bij de virusscan besmet bevonden en is verwijderd; het "
                         "kan niet worden gedownload."));
    const char *path = evidence_blob_path(a, data_dir, out->sha256);
    if (!path)
        return err_set(e, ERR_INTERNAL, NULL, "%s", _("Dit bestand ontbreekt."));
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != out->size) {
        if (fd >= 0)
            close(fd);
        return err_set(e, ERR_IO, NULL, "%s", _("Dit bestand ontbreekt of is beschadigd."));
    }
    char detail[64];
    snprintf(detail, sizeof detail, "toetsing %lld", (long long)r->id);
    if ((ret = audit_record(s, who, "evidence.download", "evidence", id, detail))) {
        close(fd);
        return err_set(e, ret, NULL, "%s", _("Dit bestand kan nu niet worden gedownload."));
    }
    *fd_out = fd;
    *path_out = path;
    return 0;
}

int evidence_remove(struct arena *a, struct store *s, const struct actor *who,
                    const struct review *r, const char *data_dir, int64_t id, struct err_ctx *e)
{
    struct evidence_file f;
    int ret = evidence_get(a, s, who, r, id, &f);
    if (ret)
        return err_set(e, ret, NULL, "%s", _("Dit bestand bestaat niet."));
    struct object_ref obj;
    evidence_object(r, a, &obj);
    if (!policy_allows(who, ACT_ARCHIVE, &obj) || f.org_id != who->org_id)
        return err_set(e, ERR_DENIED, NULL, "%s",
                       _("Alleen de organisatie die het bestand heeft toegevoegd kan het "
                         "verwijderen."));
    struct db *db;
    if ((ret = store_write_begin(s, &db)))
        return ret;
    struct review now;
    ret = review_store_get(a, db, r->id, &now);
    if (!ret && now.status == REVIEW_BESLOTEN)
        ret = err_set(e, ERR_CONFLICT, NULL, "%s",
                      _("Over deze toetsing is al besloten; bewijsstukken blijven bewaard."));
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    if (!ret && (ret = evidence_store_mark_removed(db, id, who->user_id, at)) == ERR_NOT_FOUND)
        err_set(e, ret, NULL, "%s", _("Dit bestand bestaat niet."));
    int refs = 1;
    if (!ret)
        ret = evidence_store_refs(db, f.sha256, &refs);
    if (!ret) {
        char detail[160];
        snprintf(detail, sizeof detail, "toetsing %lld, sha256 %.16s", (long long)r->id, f.sha256);
        ret = audit_write(db, who, "evidence.remove", "evidence", id, detail);
    }
    /* Unlinked under the writer lock: an upload of the same bytes waits for it. */
    if (!ret && refs == 0 && evidence_blob_unlink(a, data_dir, f.sha256))
        ret = err_set(e, ERR_IO, NULL, "%s", _("Het bestand kon niet worden verwijderd."));
    int end = store_write_end(s, ret == 0);
    return ret ? ret : end;
}

/* --- the virus scan --- */

/* Runs argv, waits at most EVIDENCE_SCAN_TIMEOUT_S; the exit status, or -1. */
static int run_scanner(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    struct timespec tick = {0, 50 * 1000 * 1000};
    for (long waited_ms = 0;; waited_ms += 50) {
        int status;
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (w < 0 && errno != EINTR)
            return -1;
        if (waited_ms >= (long)EVIDENCE_SCAN_TIMEOUT_S * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&tick, NULL);
    }
}

int evidence_scan(struct store *s, const char *data_dir, const char *command, int64_t id,
                  enum evidence_scan *result, struct err_ctx *e)
{
    *result = SCAN_NIET_GESCAND;
    if (!command || !*command)
        return 0;
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    struct evidence_file f;
    int ret = evidence_store_get(a, store_reader(s), 0, id, &f);
    if (ret) {
        arena_free(a);
        return err_set(e, ret, NULL, "evidence %lld not found", (long long)id);
    }
    const char *path = evidence_blob_path(a, data_dir, f.sha256);
    char *cmd = arena_strdup(a, command);
    char *argv[SCAN_MAX_ARGS + 2];
    int argc = 0;
    for (char *p = cmd; p && *p && argc < SCAN_MAX_ARGS;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    enum evidence_scan scan = SCAN_FOUT;
    if (argc > 0 && path) {
        argv[argc++] = (char *)path;
        argv[argc] = NULL;
        int code = run_scanner(argv);
        scan = code == 0 ? SCAN_SCHOON : code == 1 ? SCAN_BESMET : SCAN_FOUT;
    }
    static const struct actor scanner = {.user_id = -1, .display_name = "virusscan"};
    struct db *db;
    if ((ret = store_write_begin(s, &db))) {
        arena_free(a);
        return ret;
    }
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    ret = evidence_store_set_scan(db, f.sha256, scan, at);
    /* Infected bytes go at once; the row keeps "besmet", so nothing serves it even if the
     * unlink failed. */
    if (!ret && scan == SCAN_BESMET)
        (void)evidence_blob_unlink(a, data_dir, f.sha256);
    if (!ret) {
        char detail[120];
        snprintf(detail, sizeof detail, "%s, sha256 %.16s", evidence_scan_code(scan), f.sha256);
        ret = audit_write(db, &scanner, "evidence.scan", "evidence", id, detail);
    }
    int end = store_write_end(s, ret == 0);
    arena_free(a);
    if (!ret)
        ret = end;
    if (!ret)
        *result = scan;
    return ret ? err_set(e, ret, NULL, "scan result of evidence %lld not stored", (long long)id)
               : 0;
}
