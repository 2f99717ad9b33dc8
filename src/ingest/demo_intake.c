/*
 * demo_intake.c: the demo's intake step (see demo_intake.h): generate the region's traffic and
 * exports into a temporary folder, store the exporting providers' mapping profiles, import
 * every file with import_run as a real delivery would be, then remove the folder.
 */
#include "ingest/demo_intake.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/resource.h"
#include "domain/org.h"
#include "ingest/batch.h"
#include "ingest/profile.h"
#include "ingest/synth.h"
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SMALL_TRAJECTORIES  300
#define NORMAL_TRAJECTORIES 24000
#define NORMAL_PER_ZIP      10000
#define DIRTY_PER_MILLE     2 /* a few defective records, so the demo shows rejections */
#define MAX_FILES           256
#define PROFILE_NAME_PREFIX "Export "

enum demo_size demo_size_parse(const char *s)
{
    if (s && strcmp(s, "klein") == 0)
        return DEMO_SIZE_SMALL;
    if (s && strcmp(s, "normaal") == 0)
        return DEMO_SIZE_NORMAL;
    return DEMO_SIZE_NONE;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The generated files, sorted: zip archives (in Dagtekening order) before exports. */
static int list_files(const char *dir, struct arena *a, char **out, size_t *n, struct err_ctx *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(e, ERR_IO, NULL, "cannot read %s: %s", dir, strerror(errno));
    struct dirent *de;
    *n = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (*n >= MAX_FILES) {
            closedir(d);
            return err_set(e, ERR_TOO_BIG, NULL, "too many generated files in %s", dir);
        }
        out[(*n)++] = arena_strdup(a, de->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        if (!out[i])
            return ERR_NOMEM;
    qsort(out, *n, sizeof *out, cmp_str); /* "berichten-" < "registratie-" */
    return 0;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[4096 + 512]; /* dir (< 4096) + '/' + d_name (< 256) */
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            if (n > 0 && (size_t)n < sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The aanbieder with this AGB code in the store. */
static int64_t org_by_agb(struct arena *a, struct store *s, const struct actor *who,
                          const char *agb, const char **name)
{
    struct org_filter f = {.kind = ORG_AANBIEDER, .include_archived = true, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0;
    if (org_list(a, s, who, &f, &orgs, &n, &total) != 0)
        return 0;
    for (int i = 0; i < n; i++) {
        if (orgs[i].agb_code && strcmp(orgs[i].agb_code, agb) == 0) {
            *name = orgs[i].name;
            return orgs[i].id;
        }
    }
    return 0;
}

static int import_one(const struct import_env *env, const struct actor *actor, const char *path,
                      const char *display, enum import_kind kind, int64_t profile_id,
                      struct demo_intake_summary *sum, FILE *log, struct err_ctx *e)
{
    struct import_request req = {
        .path = path,
        .display_name = display,
        .kind = kind,
        .profile_id = profile_id,
        .actor = actor,
        .via = VIA_DEMO,
    };
    struct import_report rep;
    memset(&rep, 0, sizeof rep);
    int rc = import_run(env, &req, &rep, e);
    if (rc)
        return err_set(e, rc, NULL, "import of %s: %s", display, e->msg[0] ? e->msg : err_name(rc));
    sum->batches++;
    if (rep.failed) {
        sum->failed_batches++;
        if (log)
            fprintf(log, "  %-32s failed: %s\n", display, rep.error);
        return 0;
    }
    sum->read += rep.read;
    sum->accepted += rep.accepted;
    sum->rejected += rep.rejected;
    sum->skipped += rep.skipped;
    if (log)
        fprintf(log,
                "  %-32s batch %" PRId64 ": %" PRIu64 " read, %" PRIu64 " accepted, %" PRIu64
                " rejected, %" PRIu64 " skipped (%.1f s)\n",
                display, rep.batch_id, rep.read, rep.accepted, rep.rejected, rep.skipped,
                rep.seconds);
    return 0;
}

/* The CBS population per gemeente and age (2021, shipped with duiding) is the denominator of
 * reach per 1,000 inhabitants: imported as a beheerder would with `duiding import --soort
 * bevolking`. Its few rows of gemeenten that were split since are rejected, as in real life. */
static int import_population(const struct import_env *env, const struct actor *actor,
                             const char *dir, struct demo_intake_summary *sum, FILE *log,
                             struct err_ctx *e)
{
    static const char name[] = "inwoners-gemeente-leeftijd-2021.csv";
    const struct resource *r = resource_find("data/inwoners-gemeente-leeftijd-2021.csv");
    if (!r)
        return err_set(e, ERR_INTERNAL, NULL, "the CBS population file is not built in");
    char path[4096 + 64];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "wb") : NULL;
    if (!f)
        return err_set(e, ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
    bool ok = fwrite(r->data, 1, r->len, f) == r->len;
    ok = fclose(f) == 0 && ok;
    if (!ok)
        return err_set(e, ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
    uint64_t before = sum->read;
    int rc = import_one(env, actor, path, name, IMPORT_POPULATION, 0, sum, log, e);
    sum->population_rows = sum->read - before;
    return rc;
}

int demo_intake(const struct import_env *env, const struct actor *actor, uint64_t seed,
                enum demo_size size, const char *work_dir, struct demo_intake_summary *out,
                FILE *log, struct err_ctx *e)
{
    struct synth_provider providers[SYNTH_MAX_PROVIDERS];
    struct synth_gemeente gemeenten[SYNTH_MAX_GEMEENTEN];
    size_t np = 0, ng = 0;
    char dir[4096];
    char *files[MAX_FILES];
    size_t nfiles = 0;
    struct timespec t0, t1;
    struct arena *a = arena_new(0);
    bool made_dir = false;
    int rc;

    memset(out, 0, sizeof *out);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (size == DEMO_SIZE_NONE) {
        rc = 0;
        goto done;
    }
    if ((rc = synth_demo_region(seed, providers, &np, gemeenten, &ng, e)))
        goto done;
    int n = snprintf(dir, sizeof dir, "%s/demo-intake-XXXXXX", work_dir);
    if (n < 0 || (size_t)n >= sizeof dir) {
        rc = err_set(e, ERR_INVALID, NULL, "data directory path too long");
        goto done;
    }
    if (!mkdtemp(dir)) {
        rc = err_set(e, ERR_IO, NULL, "cannot create a temporary folder in %s: %s", work_dir,
                     strerror(errno));
        goto done;
    }
    made_dir = true;

    struct synth_options o = {
        .seed = seed,
        .end_date = day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY),
        .years = SYNTH_DEFAULT_YEARS,
        .n_trajectories = size == DEMO_SIZE_SMALL ? SMALL_TRAJECTORIES : NORMAL_TRAJECTORIES,
        .dirty_per_mille = DIRTY_PER_MILLE,
        .per_zip = size == DEMO_SIZE_SMALL ? SIZE_MAX / 2 : NORMAL_PER_ZIP,
        .providers = providers,
        .nproviders = np,
        .gemeenten = gemeenten,
        .ngemeenten = ng,
    };
    struct synth_stats st;
    if ((rc = synth_messages(&o, dir, &st, e)))
        goto done;
    out->messages = st.messages;
    out->rows = st.csv_rows;
    if ((rc = list_files(dir, a, files, &nfiles, e)))
        goto done;

    for (size_t i = 0; i < nfiles; i++) {
        char path[4096 + 512];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (strncmp(files[i], "berichten-", 10) == 0) {
            if ((rc = import_one(env, actor, path, files[i], IMPORT_MESSAGES, 0, out, log, e)))
                goto done;
            continue;
        }
        /* registratie-<agb>.csv: the provider's profile first, as its quality officer would
         * make it in the wizard. */
        char agb[9] = {0};
        if (strncmp(files[i], "registratie-", 12) != 0 || strlen(files[i]) < 20)
            continue;
        memcpy(agb, files[i] + 12, 8);
        const struct synth_provider *sp = NULL;
        for (size_t j = 0; j < np && !sp; j++)
            if (strcmp(providers[j].agb, agb) == 0)
                sp = &providers[j];
        const char *org_name = NULL;
        int64_t org_id = sp ? org_by_agb(a, env->store, actor, agb, &org_name) : 0;
        if (!org_id) {
            rc = err_set(e, ERR_NOT_FOUND, NULL, "no demo aanbieder with AGB code %s", agb);
            goto done;
        }
        struct mapping_profile p;
        char *pname = arena_printf(a, PROFILE_NAME_PREFIX "%s", org_name);
        if (!pname) {
            rc = ERR_NOMEM;
            goto done;
        }
        synth_registration_profile(sp->csv_style, org_id, pname, &p);
        int64_t profile_id = 0;
        if ((rc = profile_save(env->store, actor, &p, &profile_id, e))) {
            rc = err_set(e, rc, e->field, "profile %s: %s", pname,
                         e->msg[0] ? e->msg : err_name(rc));
            goto done;
        }
        out->profiles++;
        char *display = arena_printf(a, "%s.csv", pname);
        if ((rc = import_one(env, actor, path, display ? display : files[i], IMPORT_REGISTRATION,
                             profile_id, out, log, e)))
            goto done;
    }
    if ((rc = import_population(env, actor, dir, out, log, e)))
        goto done;
    struct intake_totals tot;
    if ((rc = intake_totals(env->store, actor, &tot, e)))
        goto done;
    out->trajectories = (uint64_t)tot.trajectories;
    out->open_trajectories = (uint64_t)tot.open_trajectories;
done:
    if (made_dir)
        remove_dir(dir);
    arena_free(a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
