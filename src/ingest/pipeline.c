/*
 * pipeline.c: one import, start to end (pipeline.h). The whole batch runs inside one write
 * transaction: the batch row, every fact, every rejected record, the rebuilt trajectories and
 * the audit event commit together or not at all. A file that cannot be read at all, or a
 * database error, rolls everything back and then records a failed batch on its own.
 *
 * Per record: read (message.c / csv.c / xlsx.c + registration.c / population.c), check scope
 * (whose data may this actor deliver), known aanbieder and gemeente, duplicate message, BSN;
 * pseudonymise; find or add the person (person.id); insert facts. The groups (person x aanbieder
 * x law) a batch touches are kept as compact 16-byte keys and rebuilt in person order at the
 * end. Person ids grow in order of first appearance, so for persons new in this batch the
 * group indexes grow at their end, and there is nothing to delete before the rebuild. The
 * records of a registration export's new persons are held in a window of WIN_SLOTS persons
 * and their trajectories built from memory (on a builder thread, as rebuild_facts would) and
 * stored; only persons seen before, or seen again after leaving the window, are rebuilt at the
 * end. A registration export runs on three threads: a reader (CSV, profile, pseudonym, file
 * hash), the builder, and this one, the writer, which alone talks to the database.
 */
#include "ingest/pipeline.h"
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/audit.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "ingest/csv.h"
#include "ingest/population.h"
#include "ingest/profile.h"
#include "ingest/rebuild.h"
#include "ingest/registration.h"
#include "ingest/source.h"
#include "ingest/xlsx.h"
#include "store/contract_store.h"
#include "store/intake_store.h"
#include "store/org_store.h"
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_EVERY_S 0.05
#define RECORD_ARENA_CAP (64u * 1024 * 1024) /* one message with its products and issues */
#define REASON_MAX       1000                /* bytes of one stored reason */
#define MAX_ISSUES_SHOWN 3
#define MAX_REASON_KEYS  50 /* distinct skip reasons counted in the batch detail */
#define SNIFF_BYTES      (64u * 1024)
#define NAME_BYTES       481 /* item names, as batch file names */
#define UNKNOWN_SHA      "0000000000000000000000000000000000000000000000000000000000000000"

/* Callbacks stop their reader with this after setting run.fatal. */
#define STOP 1

/* ---- Group keys. ------------------------------------------------------------------------------
 * meta: bits 0-1 law, bits 2-31 the number of this batch's records in the group (not counting
 * registration records held in the window and stored from there, see reg_store). */
#define META_LAW       0x3u
#define META_COUNT_SH  2
#define META_COUNT_MAX ((1u << 30) - 1)

struct gkey {
    int64_t person; /* person.id */
    uint32_t aanb;  /* index into run.aanb_ids */
    uint32_t meta;
};

/* Registrations: the records of a person new in this batch, held until stored (see
 * reg_store and win_hold). */
#define WIN_SLOTS 4096

struct pend {
    int64_t person; /* 0 = free */
    bool test;
    struct traj_fact *f;
    size_t n, cap;
};

struct pcache_slot;
struct pmap_slot;
struct builder;

static uint32_t meta_count(uint32_t m)
{
    return m >> META_COUNT_SH;
}

/* An AGB code seen in this batch: known (index into aanb_ids) or not. */
struct aslot {
    char agb[9];
    bool used, known;
    uint32_t idx;
};

struct run {
    const struct import_env *env;
    const struct import_request *req;
    struct db *db;
    int64_t batch_id;
    enum import_kind kind;
    int64_t profile_id; /* registrations only */
    char file_name[NAME_BYTES];
    struct arena *rec; /* per record, reset after each */
    struct arena *keep;

    /* Whose data the actor may deliver. */
    bool all;
    enum org_kind org_kind;
    char own_agb[9];
    char own_gemeente[5];
    char **region;
    int nregion;

    struct intake_counts c;
    int64_t fact_seq, rej_seq, max_rejections;
    uint64_t unsupported;
    char first_unsupported[REASON_MAX];

    struct gkey *keys;
    size_t nkeys, capkeys;
    int64_t person_base; /* persons with a larger id are new in this batch */
    struct pcache_slot *pcache;
    int pmode;           /* > 0: recent persons were mostly new (person_of) */
    bool bulk;           /* bulk mode: person_hkey dropped, keys in pmap */
    int64_t next_person; /* bulk mode: the id of the next new person */
    struct pmap_slot *pmap;
    size_t pmap_cap, pmap_n;

    /* Registrations: persons new in this batch whose records are held until stored at once
     * (window), and which of those stored were flagged (bit id - person_base - 1). */
    struct pend *win;
    int64_t win_done; /* new persons up to this id are stored; above it they are pending */
    int64_t win_last; /* the newest person */
    uint8_t *direct_flagged;
    size_t direct_cap; /* bytes */
    int64_t *aanb_ids;
    uint32_t naanb, capaanb;
    struct aslot *aslots;
    size_t acap, aused;

    json_t *by_name, *skip_reasons, *header;
    const char *encoding;
    char delimiter;
    int year;

    struct timespec t0, last;
    double t_handle, t_rebuild, t_commit; /* seconds (messages; rebuild; commit), debug log */
    double cpu_reader; /* seconds of CPU of the registration reader thread, debug log */
    double t_wait;     /* seconds the writer waited for the registration reader, debug log */
    uint64_t bytes_total, bytes_est; /* progress: of the source, and read so far (estimated) */

    /* Registration. */
    struct mapping_profile prof;
    struct reg_binding bind;
    bool bound;
    char prof_agb[9];
    uint32_t prof_aanb;
    day_t today;

    /* Population. */
    struct population_cols pcols;
    bool pbound;
    struct population_sums sums;

    /* Why the batch stops: a database error (fatal) or a file that cannot be read. */
    int fatal;
    bool file_failed;
    char fail_msg[ERR_MSG_MAX];

    /* A registration CSV is hashed while the reader parses it (import_run): its SHA-256 and
     * size, once the reader has seen the whole file. */
    crypto_hash_sha256_state *hash;
    uint64_t hashed_bytes;
    bool hash_done;
    char hash_hex[65];

    struct buf reasons, fields; /* registrations: the reader thread's */
    struct intake_facts facts;
    struct intake_writer *w;
    struct regpar *regpar;
    struct builder *builder;
};

/* ---- Small helpers. -------------------------------------------------------------------------- */

static double secs_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void copy_cut(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s && s[1] ? s + 1 : p;
}

const char *import_kind_code(enum import_kind k)
{
    switch (k) {
    case IMPORT_MESSAGES:
        return "berichten";
    case IMPORT_REGISTRATION:
        return "registratie";
    case IMPORT_POPULATION:
        return "bevolking";
    case IMPORT_AUTO:
        break;
    }
    return "";
}

static const char *via_code(enum import_via v)
{
    switch (v) {
    case VIA_WEB:
        return "web";
    case VIA_API:
        return "api";
    case VIA_DEMO:
        return "demo";
    case VIA_CLI:
        break;
    }
    return "cli";
}

/* Sets a file-level failure (the batch is recorded as failed, nothing else changes). */
static int fail_file(struct run *r, const char *msg)
{
    r->file_failed = true;
    copy_cut(r->fail_msg, sizeof r->fail_msg, msg);
    return STOP;
}

/* Sets a database failure. */
static int fail_db(struct run *r, int err)
{
    if (!r->fatal)
        r->fatal = err ? err : ERR_DB;
    return STOP;
}

static void progress(struct run *r, bool final)
{
    if (!r->req->progress)
        return;
    if (!final && secs_since(&r->last) < PROGRESS_EVERY_S)
        return;
    clock_gettime(CLOCK_MONOTONIC, &r->last);
    uint64_t done = r->bytes_est, total = r->bytes_total;
    if (done > total || final)
        done = total;
    r->req->progress(r->req->progress_ctx, done, total, (uint64_t)r->c.read);
}

/* ---- Kind detection. ------------------------------------------------------------------------- */

static int first_row_cb(void *ctx, const struct table_row *row)
{
    *(bool *)ctx = population_header_matches(row);
    return STOP;
}

/* Reads up to SNIFF_BYTES of a file into buf; returns the count or -1. */
static ssize_t read_head(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t at = 0;
    while (at < cap) {
        ssize_t n = read(fd, buf + at, cap - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        at += (size_t)n;
    }
    close(fd);
    return (ssize_t)at;
}

static bool looks_like_xml(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
        (unsigned char)p[2] == 0xbf)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < n && p[i] == '<';
}

/* The separator of the first line (outside quotes): the most frequent of ; , TAB; 0 if none. */
static char sniff_delimiter(const char *p, size_t n)
{
    size_t semi = 0, comma = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == ',')
            comma++;
        else if (!quoted && c == '\t')
            tab++;
    }
    if (semi == 0 && comma == 0 && tab == 0)
        return 0;
    if (semi >= comma && semi >= tab)
        return ';';
    return comma >= tab ? ',' : '\t';
}

enum import_kind import_detect_kind(const char *path)
{
    switch (source_type_of(path)) {
    case SOURCE_NONE:
        return IMPORT_AUTO;
    case SOURCE_DIR:
        return IMPORT_MESSAGES;
    case SOURCE_ZIP:
        return source_zip_has(path, "xl/workbook.xml") ? IMPORT_REGISTRATION : IMPORT_MESSAGES;
    case SOURCE_FILE:
        break;
    }
    char *head = xmalloc(SNIFF_BYTES);
    ssize_t n = read_head(path, head, SNIFF_BYTES);
    enum import_kind k = IMPORT_REGISTRATION;
    if (n > 0 && looks_like_xml(head, (size_t)n)) {
        k = IMPORT_MESSAGES;
    } else if (n > 0) {
        bool pop = false;
        struct csv_options o = {.delimiter = sniff_delimiter(head, (size_t)n)};
        struct err_ctx e = {0};
        csv_read_memory(head, (size_t)n, &o, first_row_cb, &pop, NULL, &e);
        if (pop)
            k = IMPORT_POPULATION;
    }
    free(head);
    return k;
}

/* ---- Scope: whose data may the actor deliver. ------------------------------------------------ */

static int setup_scope(struct run *r, struct err_ctx *e)
{
    const struct actor *a = r->req->actor;
    r->all = a->user_id < 0 || (a->roles & ROLE_BEHEERDER);
    r->org_kind = a->org_kind;
    if (r->all)
        return 0;
    struct org o;
    int ret = org_get_internal(r->keep, r->env->store, a->org_id, &o);
    if (ret)
        return err_set(e, ret == ERR_NOT_FOUND ? ERR_DENIED : ret, NULL, "%s",
                       _("Uw organisatie is niet gevonden."));
    r->org_kind = o.kind;
    if (o.kind == ORG_AANBIEDER && o.agb_code)
        copy_cut(r->own_agb, sizeof r->own_agb, o.agb_code);
    if (o.kind == ORG_GEMEENTE && o.cbs_code && strlen(o.cbs_code) == 6)
        copy_cut(r->own_gemeente, sizeof r->own_gemeente, o.cbs_code + 2);
    if (o.kind == ORG_REGION) {
        struct db *db = store_reader(r->env->store);
        if (!db)
            return err_set(e, ERR_DB, NULL, "cannot open a reader");
        ret = intake_region_gemeenten(r->keep, db, o.id, &r->region, &r->nregion);
        if (ret)
            return err_set(e, ret, NULL, "cannot read the region's gemeenten");
    }
    return 0;
}

/* NULL when the actor may deliver data about this aanbieder and (current) gemeente. */
static const char *scope_problem(const struct run *r, const char *agb, const char *gemeente)
{
    if (r->all)
        return NULL;
    switch (r->org_kind) {
    case ORG_AANBIEDER:
        if (r->own_agb[0] && strcmp(agb, r->own_agb) == 0)
            return NULL;
        return N_("Dit gaat over een andere aanbieder dan uw organisatie");
    case ORG_GEMEENTE:
        if (gemeente && r->own_gemeente[0] && strcmp(gemeente, r->own_gemeente) == 0)
            return NULL;
        return N_("Dit gaat over inwoners van een andere gemeente dan uw organisatie");
    case ORG_REGION:
        for (int i = 0; gemeente && i < r->nregion; i++)
            if (strcmp(r->region[i], gemeente) == 0)
                return NULL;
        return N_("Dit gaat over inwoners van een gemeente buiten uw regio");
    case ORG_TOEZICHTHOUDER:
    case ORG_TOEGANG:
        break;
    }
    return N_("Uw organisatie mag deze gegevens niet aanleveren");
}

/* The current 4-digit code of a delivered gemeente code, or false if unknown. */
static bool current_gemeente(const char *code, char out[5])
{
    const struct cbs_gemeente *g = code && *code ? cbs_current(code) : NULL;
    if (!g)
        return false;
    memcpy(out, g->code + 2, 4);
    out[4] = '\0';
    return true;
}

/* ---- Aanbieders by AGB (looked up once per AGB per batch). ----------------------------------- */

static uint32_t agb_hash(const char *agb)
{
    uint32_t h = 2166136261u;
    for (const char *p = agb; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static uint32_t add_aanbieder(struct run *r, int64_t id)
{
    if (r->naanb == r->capaanb) {
        r->capaanb = r->capaanb ? r->capaanb * 2 : 64;
        r->aanb_ids = xrealloc(r->aanb_ids, r->capaanb * sizeof *r->aanb_ids);
    }
    r->aanb_ids[r->naanb] = id;
    return r->naanb++;
}

/* Finds the aanbieder with this AGB: 0 and *idx, ERR_NOT_FOUND, or a database error. */
static int aanbieder_of(struct run *r, const char *agb, uint32_t *idx)
{
    if (r->aused * 2 >= r->acap) {
        size_t ncap = r->acap ? r->acap * 2 : 256;
        struct aslot *n = xcalloc(ncap, sizeof *n);
        for (size_t i = 0; i < r->acap; i++) {
            if (!r->aslots[i].used)
                continue;
            size_t j = agb_hash(r->aslots[i].agb) & (ncap - 1);
            while (n[j].used)
                j = (j + 1) & (ncap - 1);
            n[j] = r->aslots[i];
        }
        free(r->aslots);
        r->aslots = n;
        r->acap = ncap;
    }
    size_t j = agb_hash(agb) & (r->acap - 1);
    while (r->aslots[j].used && strcmp(r->aslots[j].agb, agb) != 0)
        j = (j + 1) & (r->acap - 1);
    struct aslot *s = &r->aslots[j];
    if (!s->used) {
        int64_t id = 0;
        int ret = org_store_find_agb(r->db, agb, 0, &id);
        if (ret && ret != ERR_NOT_FOUND)
            return ret;
        s->used = true;
        r->aused++;
        copy_cut(s->agb, sizeof s->agb, agb);
        s->known = ret == 0;
        if (s->known)
            s->idx = add_aanbieder(r, id);
    }
    if (!s->known)
        return ERR_NOT_FOUND;
    *idx = s->idx;
    return 0;
}

/* ---- Group keys. ----------------------------------------------------------------------------- */

static int cmp_gkey(const void *a, const void *b)
{
    const struct gkey *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->aanb != y->aanb)
        return x->aanb < y->aanb ? -1 : 1;
    uint32_t lx = x->meta & META_LAW, ly = y->meta & META_LAW;
    return (lx > ly) - (lx < ly);
}

/* Sorts the keys and merges those of the same group. */
static void compact_keys(struct run *r)
{
    if (r->nkeys < 2)
        return;
    qsort(r->keys, r->nkeys, sizeof *r->keys, cmp_gkey);
    size_t w = 0;
    for (size_t i = 1; i < r->nkeys; i++) {
        struct gkey *k = &r->keys[w], *n = &r->keys[i];
        if (cmp_gkey(k, n) != 0) {
            r->keys[++w] = *n;
            continue;
        }
        uint32_t count = meta_count(k->meta) + meta_count(n->meta);
        if (count > META_COUNT_MAX)
            count = META_COUNT_MAX;
        k->meta = (k->meta & META_LAW) | (count << META_COUNT_SH);
    }
    r->nkeys = w + 1;
}

static void add_key(struct run *r, int64_t person, uint32_t aanb, int law)
{
    if (r->nkeys == r->capkeys) {
        compact_keys(r);
        /* Grow only when merging did not free at least a quarter. */
        if (r->nkeys * 4 > r->capkeys * 3 || r->capkeys == 0) {
            r->capkeys = r->capkeys ? r->capkeys * 2 : 4096;
            r->keys = xrealloc(r->keys, r->capkeys * sizeof *r->keys);
        }
    }
    struct gkey *k = &r->keys[r->nkeys++];
    k->person = person;
    k->aanb = aanb;
    k->meta = ((uint32_t)law & META_LAW) | (1u << META_COUNT_SH);
}

/* ---- Persons. -------------------------------------------------------------------------------- */

/* Recently seen persons: a direct-mapped cache by the pseudonym's first bytes (uniform, being
 * HMAC output), so a person's next record or message nearby costs no index descent. */
#define PCACHE_SLOTS (1u << 16)
#define PMODE_LIMIT  64 /* person_of's memory of recent outcomes, see there */

struct pcache_slot {
    unsigned char pseudonym[PSEUDONYM_BYTES];
    int64_t id; /* 0 = empty */
};

/* Bulk mode, for an import that brings mostly new persons: the index on person.hkey is
 * dropped at the start and made again (by sorting, once) at the end; meanwhile every hkey ->
 * id is in this open-addressing table, so a new person costs no index descent. (Measured on a
 * 2,000,000-row export: 2.5 µs per new person with the index, 1.3 µs without, the final sort
 * included; 64 MiB for the table.) */
#define BULK_ROW_BYTES 100        /* bytes per row expected, to size the table */
#define PMAP_MAX_SLOTS (1u << 23) /* 128 MiB; beyond this the index is made at once */

struct pmap_slot {
    int64_t hkey;
    int64_t id; /* 0 = empty */
};

static bool pmap_put(struct run *r, int64_t hkey, int64_t id);

static int64_t pmap_get(const struct run *r, int64_t hkey)
{
    size_t mask = r->pmap_cap - 1, i = (size_t)(uint64_t)hkey & mask;
    for (; r->pmap[i].id; i = (i + 1) & mask)
        if (r->pmap[i].hkey == hkey)
            return r->pmap[i].id;
    return 0;
}

/* False when the table may not grow any further. */
static bool pmap_put(struct run *r, int64_t hkey, int64_t id)
{
    if ((r->pmap_n + 1) * 4 > r->pmap_cap * 3) { /* at most 3/4 full */
        if (r->pmap_cap * 2 > PMAP_MAX_SLOTS)
            return false;
        struct pmap_slot *old = r->pmap;
        size_t oldcap = r->pmap_cap;
        r->pmap_cap *= 2;
        r->pmap = xcalloc(r->pmap_cap, sizeof *r->pmap);
        r->pmap_n = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].id)
                pmap_put(r, old[i].hkey, old[i].id);
        free(old);
    }
    size_t mask = r->pmap_cap - 1, i = (size_t)(uint64_t)hkey & mask;
    while (r->pmap[i].id)
        i = (i + 1) & mask;
    r->pmap[i] = (struct pmap_slot){.hkey = hkey, .id = id};
    r->pmap_n++;
    return true;
}

static int pmap_load(void *ctx, int64_t id, int64_t hkey)
{
    return pmap_put(ctx, hkey, id) ? 0 : ERR_TOO_BIG;
}

/* Starts bulk mode when the file promises many rows and the database holds fewer persons. */
static int bulk_begin(struct run *r, uint64_t file_bytes)
{
    uint64_t expect = file_bytes / BULK_ROW_BYTES;
    int64_t have = 0;
    int ret = intake_person_count(r->db, &have);
    uint64_t min = r->req->limits && r->req->limits->bulk_min_rows
                       ? r->req->limits->bulk_min_rows
                       : IMPORT_BULK_MIN_ROWS; /* smaller imports keep the index */
    if (ret || expect < min || (uint64_t)have > expect ||
        ((uint64_t)have + expect) * 4 > PMAP_MAX_SLOTS * 3)
        return ret;
    r->pmap_cap = 1u << 16;
    while (r->pmap_cap * 3 < ((uint64_t)have + expect) * 4)
        r->pmap_cap *= 2;
    r->pmap = xcalloc(r->pmap_cap, sizeof *r->pmap);
    if ((ret = intake_person_index(r->db, false)) ||
        (ret = intake_person_keys(r->db, pmap_load, r)) ||
        (ret = intake_person_max_id(r->db, &r->next_person)))
        return ret;
    r->next_person++;
    r->bulk = true;
    return 0;
}

/* Ends bulk mode: the index again, made from all persons at once. */
static int bulk_end(struct run *r)
{
    if (!r->bulk)
        return 0;
    r->bulk = false;
    free(r->pmap);
    r->pmap = NULL;
    r->pmap_cap = r->pmap_n = 0;
    /* The persons the writer holds, before the index and before others may add persons. */
    int ret = intake_writer_flush(r->w);
    return ret ? ret : intake_person_index(r->db, true);
}

/* person_of in bulk mode. */
static int person_of_bulk(struct run *r, const unsigned char pseudonym[PSEUDONYM_BYTES],
                          int64_t *id, bool *created)
{
    int64_t hkey = intake_person_hkey(pseudonym), found = pmap_get(r, hkey);
    int ret = 0;
    if (found) {
        unsigned char have[PSEUDONYM_BYTES];
        if ((ret = intake_writer_person_get(r->w, found, have)))
            return ret;
        if (memcmp(have, pseudonym, PSEUDONYM_BYTES) == 0) {
            *id = found;
            return 0;
        }
        /* Another pseudonym with the same first 8 bytes: added by SQLite, with the next id,
         * once the writer has written the persons it holds. */
        if ((ret = intake_writer_flush(r->w)) ||
            (ret = intake_person_add_overflow(r->db, pseudonym, id, created)))
            return ret;
        if (*created)
            r->next_person = *id + 1;
        return 0;
    }
    /* Numbered here and written 64 at a time with the facts (intake_person_write). */
    *id = r->next_person++;
    if ((ret = intake_person_write(r->w, *id, pseudonym)))
        return ret;
    *created = true;
    return pmap_put(r, hkey, *id) ? 0 : bulk_end(r);
}

/* The memory person_of is about to read for this pseudonym, fetched ahead (random places in
 * tables of megabytes: without this, half of person_of's time is waiting for memory). */
static void person_prefetch(const struct run *r, const unsigned char pseudonym[PSEUDONYM_BYTES])
{
    uint32_t h;
    memcpy(&h, pseudonym, sizeof h);
    if (r->pcache)
        __builtin_prefetch(&r->pcache[h & (PCACHE_SLOTS - 1)]);
    if (r->bulk) {
        size_t mask = r->pmap_cap - 1;
        __builtin_prefetch(&r->pmap[(size_t)(uint64_t)intake_person_hkey(pseudonym) & mask]);
    }
}

/* The person.id of a pseudonym, added when new; *created says whether this call added it. */
static int person_of(struct run *r, const unsigned char pseudonym[PSEUDONYM_BYTES], int64_t *id,
                     bool *created)
{
    uint32_t h;
    memcpy(&h, pseudonym, sizeof h);
    if (!r->pcache)
        r->pcache = xcalloc(PCACHE_SLOTS, sizeof *r->pcache);
    struct pcache_slot *sl = &r->pcache[h & (PCACHE_SLOTS - 1)];
    *created = false;
    if (sl->id && memcmp(sl->pseudonym, pseudonym, PSEUDONYM_BYTES) == 0) {
        *id = sl->id;
        return 0;
    }
    /* Mostly new persons (a first export): try to add, and look up only when that finds the
     * pseudonym taken. Mostly known ones (messages about current clients): look up first. */
    int ret = 0;
    if (r->bulk) {
        ret = person_of_bulk(r, pseudonym, id, created);
    } else if (r->pmode > 0) {
        ret = intake_person_add(r->db, pseudonym, id, created);
        if (!ret && !*created)
            ret = intake_person_find(r->db, pseudonym, id);
    } else {
        ret = intake_person_find(r->db, pseudonym, id);
        if (ret == ERR_NOT_FOUND)
            ret = intake_person_add(r->db, pseudonym, id, created);
    }
    if (ret)
        return ret;
    if (*created ? r->pmode < PMODE_LIMIT : r->pmode > -PMODE_LIMIT)
        r->pmode += *created ? 1 : -1;
    memcpy(sl->pseudonym, pseudonym, PSEUDONYM_BYTES);
    sl->id = *id;
    return 0;
}

/* Registrations: remembers that the record stored at once for a new person was flagged. */
static void set_direct_flagged(struct run *r, int64_t person)
{
    size_t bit = (size_t)(person - r->person_base - 1), byte = bit / 8;
    if (byte >= r->direct_cap) {
        size_t ncap = r->direct_cap ? r->direct_cap : 4096;
        while (ncap <= byte)
            ncap *= 2;
        r->direct_flagged = xrealloc(r->direct_flagged, ncap);
        memset(r->direct_flagged + r->direct_cap, 0, ncap - r->direct_cap);
        r->direct_cap = ncap;
    }
    r->direct_flagged[byte] |= (uint8_t)(1u << (bit % 8));
}

static bool direct_flagged(const struct run *r, int64_t person)
{
    size_t bit = (size_t)(person - r->person_base - 1), byte = bit / 8;
    return byte < r->direct_cap && (r->direct_flagged[byte] & (1u << (bit % 8)));
}

/* ---- Building the trajectories of window persons on a thread of their own. ------------------
 * A person leaving the window is a job in a chunk (its records go with it), a thread builds
 * their trajectories (trajectory_build, as rebuild_facts does) and the writer stores them
 * (intake_traj_write) when it takes the chunk back, chunks strictly in order, so trajectories
 * are numbered and stored exactly as when the writer built them itself. (Measured: a tenth of
 * the writer's time on a 2,000,000-row export.) */

#define BUILD_JOBS   256 /* persons per chunk */
#define BUILD_CHUNKS 4

struct build_job {
    int64_t person;
    bool test;
    struct traj_fact *f; /* taken over from the window slot (given back when stored) */
    size_t n, cap;
    struct trajectory *t; /* built: the chunk's arena */
    size_t nt;
    int ret;
};

struct build_chunk {
    struct build_job v[BUILD_JOBS];
    size_t n;
    struct arena *a;
    struct arena_mark empty;
};

/* A fact array a stored job gave back (no allocation per person). */
struct spare {
    struct traj_fact *f;
    size_t cap;
};

struct builder {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct build_chunk c[BUILD_CHUNKS];
    uint64_t filled, built, stored; /* chunks handed to the thread, built by it, stored */
    bool stop, started;
    pthread_t thread;
    enum law law;
    struct spare *spare; /* fact arrays of stored jobs, for window slots to take */
    size_t nspare, capspare;
};

static void *build_main(void *arg)
{
    struct builder *b = arg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->built == b->filled)
            pthread_cond_wait(&b->changed, &b->mu);
        if (b->stop)
            break;
        struct build_chunk *c = &b->c[b->built % BUILD_CHUNKS];
        pthread_mutex_unlock(&b->mu);
        for (size_t i = 0; i < c->n; i++) {
            struct build_job *j = &c->v[i];
            j->ret = trajectory_build(b->law, j->f, j->n, j->test, c->a, &j->t, &j->nt);
        }
        pthread_mutex_lock(&b->mu);
        b->built++;
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void build_stop(struct builder *b)
{
    if (!b)
        return;
    if (b->started) {
        pthread_mutex_lock(&b->mu);
        b->stop = true;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->mu);
        pthread_join(b->thread, NULL);
    }
    for (int i = 0; i < BUILD_CHUNKS; i++) {
        for (size_t k = 0; k < b->c[i].n; k++) /* jobs not stored (an import that failed) */
            free(b->c[i].v[k].f);
        arena_free(b->c[i].a);
    }
    for (size_t i = 0; i < b->nspare; i++)
        free(b->spare[i].f);
    free(b->spare);
    pthread_cond_destroy(&b->changed);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

/* Stores the trajectories of the oldest chunk handed to the thread, waiting for it. */
static int build_store_one(struct run *r)
{
    struct builder *b = r->builder;
    pthread_mutex_lock(&b->mu);
    while (b->built == b->stored)
        pthread_cond_wait(&b->changed, &b->mu);
    pthread_mutex_unlock(&b->mu);
    struct build_chunk *c = &b->c[b->stored % BUILD_CHUNKS];
    int ret = 0;
    for (size_t i = 0; i < c->n && !ret; i++) {
        const struct build_job *j = &c->v[i];
        struct intake_group g = {
            .person_id = j->person, .aanbieder_id = r->aanb_ids[r->prof_aanb], .law = b->law};
        bool flagged = false;
        if ((ret = j->ret))
            break;
        for (size_t k = 0; k < j->nt && !ret; k++) {
            const struct trajectory *t = &j->t[k];
            ret = intake_traj_write(r->w, &g, t, trajectory_age_band(b->law, t->age_at_start));
            flagged = flagged || (t->flags & REBUILD_FLAGGED);
        }
        r->c.trajectories += (int64_t)j->nt;
        if (flagged) {
            r->c.flagged += (int64_t)j->n;
            set_direct_flagged(r, j->person);
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        if (b->nspare == b->capspare) {
            b->capspare = b->capspare ? b->capspare * 2 : 1024;
            b->spare = xrealloc(b->spare, b->capspare * sizeof *b->spare);
        }
        b->spare[b->nspare++] = (struct spare){.f = c->v[i].f, .cap = c->v[i].cap};
    }
    c->n = 0;
    arena_reset_to(c->a, c->empty);
    b->stored++;
    return ret;
}

/* Hands the chunk being filled to the thread. */
static void build_hand_over(struct builder *b)
{
    pthread_mutex_lock(&b->mu);
    b->filled++;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->mu);
}

/* Stores the trajectories of the oldest pending person (the window's tail): a job for the
 * builder thread. */
static int win_flush_one(struct run *r)
{
    int64_t id = ++r->win_done;
    struct pend *p = &r->win[id % WIN_SLOTS];
    struct builder *b = r->builder;
    int ret = 0;
    if (!b) {
        b = r->builder = xcalloc(1, sizeof *b);
        pthread_mutex_init(&b->mu, NULL);
        pthread_cond_init(&b->changed, NULL);
        b->law = r->prof.law;
        for (int i = 0; i < BUILD_CHUNKS; i++) {
            b->c[i].a = arena_new(0);
            arena_alloc(b->c[i].a, 1); /* keeps the first chunk across resets */
            b->c[i].empty = arena_mark(b->c[i].a);
        }
        b->started = pthread_create(&b->thread, NULL, build_main, b) == 0;
        if (!b->started)
            return ERR_NOMEM;
    }
    /* A free chunk: the oldest must be stored first when all are taken. */
    if (b->filled - b->stored == BUILD_CHUNKS && (ret = build_store_one(r)))
        return ret;
    /* The job takes the slot's records; the slot takes the array of a stored job, if any. */
    struct build_chunk *c = &b->c[b->filled % BUILD_CHUNKS];
    c->v[c->n++] =
        (struct build_job){.person = id, .test = p->test, .f = p->f, .n = p->n, .cap = p->cap};
    if (c->n == BUILD_JOBS)
        build_hand_over(b);
    p->f = NULL;
    p->cap = 0;
    if (b->nspare) {
        struct spare *sp = &b->spare[--b->nspare];
        p->f = sp->f;
        p->cap = sp->cap;
    }
    p->person = 0;
    p->n = 0;
    return 0;
}

/* Stores every pending person (the end of the records). */
static int win_flush_all(struct run *r)
{
    int ret = 0;
    while (!ret && r->win_done < r->win_last)
        ret = win_flush_one(r);
    struct builder *b = r->builder;
    if (!b)
        return ret;
    if (!ret && b->c[b->filled % BUILD_CHUNKS].n)
        build_hand_over(b); /* the last, partly filled chunk */
    while (!ret && b->stored < b->filled)
        ret = build_store_one(r);
    return ret;
}

/* Holds a record of a person new in this batch; false when that person was stored already
 * (then the caller keeps a group key, and the group is rebuilt at the end). */
static bool win_hold(struct run *r, int64_t id, bool created, bool test, const struct traj_fact *f,
                     int *err)
{
    *err = 0;
    if (!r->win)
        r->win = xcalloc(WIN_SLOTS, sizeof *r->win);
    if (created) {
        if (r->win_last == 0)
            r->win_done = r->win_last = id - 1;
        /* Ids of the persons this import adds follow each other (one writer). */
        if (id != r->win_last + 1) {
            *err = ERR_INTERNAL;
            return false;
        }
        while (id - r->win_done > WIN_SLOTS)
            if ((*err = win_flush_one(r)))
                return false;
        r->win_last = id;
        struct pend *p = &r->win[id % WIN_SLOTS];
        p->person = id;
        p->test = test;
        p->n = 0;
    } else if (id <= r->win_done || id > r->win_last) {
        return false;
    }
    struct pend *p = &r->win[id % WIN_SLOTS];
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 2;
        p->f = xrealloc(p->f, p->cap * sizeof *p->f);
    }
    p->f[p->n++] = *f;
    p->test = p->test || test;
    return true;
}

/* ---- Rejected and skipped records. ----------------------------------------------------------- */

struct note {
    bool skipped;
    const char *source;
    int64_t record, line, col;
    const char *element;
    const char *key;    /* msgid that names the kind of reason (batch detail counts) */
    const char *reason; /* the full reason */
    const char *fields; /* JSON array text or NULL */
};

static int note(struct run *r, const struct note *n)
{
    if (n->skipped) {
        r->c.skipped++;
        const char *key = n->key ? n->key : n->reason;
        json_t *v = json_object_get(r->skip_reasons, key);
        if (!v && json_object_size(r->skip_reasons) >= MAX_REASON_KEYS)
            key = "overige", v = json_object_get(r->skip_reasons, key);
        json_object_set_new(r->skip_reasons, key, json_integer(v ? json_integer_value(v) + 1 : 1));
    } else {
        r->c.rejected++;
    }
    if (++r->rej_seq > r->max_rejections)
        return 0; /* counted, not stored */
    char reason[REASON_MAX];
    copy_cut(reason, sizeof reason, n->reason && *n->reason ? n->reason : "?");
    struct intake_rejection_new row = {
        .batch_id = r->batch_id,
        .seq = r->rej_seq,
        .skipped = n->skipped,
        .source = n->source,
        .record = n->record,
        .line = n->line,
        .col = n->col,
        .element = n->element,
        .reason = reason,
        .fields = n->fields,
    };
    int ret = intake_rejection_insert(r->db, &row);
    return ret ? fail_db(r, ret) : 0;
}

static void count_name(struct run *r, const char *name)
{
    if (!name || !*name)
        return;
    json_t *v = json_object_get(r->by_name, name);
    json_object_set_new(r->by_name, name, json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* ---- Messages. ------------------------------------------------------------------------------- */

/* "regel 12, element Bsn: reason; ..." for the first issues of a message. */
static const char *issues_text(struct run *r, const struct msg *m, const char *fallback)
{
    buf_reset(&r->reasons);
    for (int i = 0; i < m->nissues && i < MAX_ISSUES_SHOWN; i++) {
        const struct msg_issue *is = &m->issues[i];
        if (i)
            buf_append_str(&r->reasons, "; ");
        if (is->line)
            buf_appendf(&r->reasons, "regel %u, ", is->line);
        if (is->element[0])
            buf_appendf(&r->reasons, "element %s: ", is->element);
        buf_append_str(&r->reasons, is->reason);
    }
    if (m->nissues > MAX_ISSUES_SHOWN)
        buf_appendf(&r->reasons, " (en nog %d meldingen)", m->nissues - MAX_ISSUES_SHOWN);
    return r->reasons.len ? buf_cstr(&r->reasons) : fallback;
}

/* The date a product line's age is computed on. */
static day_t product_date(const struct msg *m, const struct msg_product *p)
{
    if (p->start != DAY_NONE)
        return p->start;
    if (p->valid_from != DAY_NONE)
        return p->valid_from;
    if (p->date_assigned != DAY_NONE)
        return p->date_assigned;
    return m->dagtekening;
}

static void fact_from_product(const struct msg *m, const struct msg_product *p,
                              const char gemeente[5], struct traj_fact *f)
{
    memset(f, 0, sizeof *f);
    f->kind = (enum fact_kind)m->kind;
    copy_cut(f->release, sizeof f->release, m->release);
    f->message_date = m->dagtekening;
    memcpy(f->gemeente, gemeente, 5);
    f->age = age_on(m->client.birth_date, product_date(m, p));
    f->gender = m->client.gender;
    copy_cut(f->postcode4, sizeof f->postcode4, m->client.postcode4);
    f->assignment_nr = p->assignment_nr;
    copy_cut(f->category, sizeof f->category, p->category);
    copy_cut(f->product_code, sizeof f->product_code, p->product_code);
    copy_cut(f->reference, sizeof f->reference, p->reference);
    f->date_assigned = p->date_assigned;
    f->valid_from = p->valid_from;
    f->valid_to = p->valid_to;
    copy_cut(f->change_reason, sizeof f->change_reason, p->change_reason);
    f->start = p->start;
    f->end = p->end;
    copy_cut(f->end_reason, sizeof f->end_reason, p->end_reason);
    f->status = p->status;
    copy_cut(f->referrer, sizeof f->referrer, p->referrer);
    f->goal_realisation = -1;
}

/* A JW323/WMO323 declaration (claims, issue 7): every line stored with its client's pseudonym,
 * never the BSN. One invalid BSN refuses the whole message, as for the other kinds. Undone with
 * the batch (ingest/batch.c). */
static int accept_claims(struct run *r, const char *source, const struct msg *m, const char gem[5],
                         uint32_t aanb)
{
    struct note n = {.source = source};
    char norm[10];
    for (int i = 0; i < m->nclaims; i++) {
        enum bsn_check bc = bsn_check(m->claims[i].bsn, strnlen(m->claims[i].bsn, 9), norm);
        sodium_memzero(norm, sizeof norm);
        if (bc != BSN_OK) {
            n.reason = n.key = bsn_check_reason(bc);
            n.element = "Bsn";
            n.line = m->claims[i].line;
            return note(r, &n);
        }
    }
    bool any_test = false;
    int ret;
    for (int i = 0; i < m->nclaims; i++) {
        const struct msg_claim *c = &m->claims[i];
        unsigned char client[PSEUDONYM_BYTES];
        bsn_check(c->bsn, strnlen(c->bsn, 9), norm);
        bool test = bsn_is_test(norm);
        pseudonym_of_bsn(r->env->pseudonymiser, norm, client);
        sodium_memzero(norm, sizeof norm);
        any_test = any_test || test;
        struct claim_line_new row = {
            .batch_id = r->batch_id,
            .law = m->law,
            .aanbieder_id = r->aanb_ids[aanb],
            .gemeente = gem,
            .declaration_nr = m->decl.number,
            .message_ident = m->ident,
            .reference = c->reference,
            .assignment_nr = c->assignment_nr,
            .category = c->category,
            .product_code = c->product_code,
            .period_from = c->period_from,
            .period_to = c->period_to,
            .volume = c->volume,
            .unit = c->unit,
            .tariff_cents = c->tariff_cents,
            .amount_cents = c->amount_cents,
            .credit = c->credit,
            .client = client,
            .test_person = test,
        };
        if ((ret = claim_store_insert(r->db, &row)))
            return fail_db(r, ret);
    }
    if ((ret = intake_message_insert(r->db, m->law, m->name, m->sender, m->ident, r->batch_id)))
        return fail_db(r, ret);
    r->c.accepted++;
    if (any_test)
        r->c.test++;
    return 0;
}

static int accept_message(struct run *r, const char *source, const struct msg *m)
{
    char gem[5] = "", text[REASON_MAX];
    bool known_gem = current_gemeente(m->gemeente, gem);
    struct note n = {.source = source};
    const char *why = scope_problem(r, m->agb, known_gem ? gem : NULL);
    if (why) {
        n.reason = n.key = why;
        return note(r, &n);
    }
    uint32_t aanb = 0;
    int ret = aanbieder_of(r, m->agb, &aanb);
    if (ret == ERR_NOT_FOUND) {
        snprintf(text, sizeof text, N_("Aanbieder met AGB-code %s is niet bekend in duiding"),
                 m->agb);
        n.key = N_("Aanbieder is niet bekend in duiding");
        n.reason = text;
        return note(r, &n);
    }
    if (ret)
        return fail_db(r, ret);
    if (!known_gem) {
        snprintf(text, sizeof text, N_("Gemeentecode %s is geen bekende CBS-gemeentecode"),
                 m->gemeente);
        n.key = N_("Onbekende gemeente");
        n.reason = text;
        return note(r, &n);
    }
    int64_t earlier = 0;
    ret = intake_message_find(r->db, m->law, m->name, m->sender, m->ident, &earlier);
    if (ret == 0) {
        snprintf(text, sizeof text, N_("Bericht %s %s van %s is al ingelezen in batch %lld"),
                 m->name, m->ident, m->sender, (long long)earlier);
        n.skipped = true;
        n.key = N_("Bericht is al ingelezen");
        n.reason = text;
        return note(r, &n);
    }
    if (ret != ERR_NOT_FOUND)
        return fail_db(r, ret);
    if (m->kind == MSG_KIND_323)
        return accept_claims(r, source, m, gem, aanb);
    char norm[10];
    enum bsn_check bc = bsn_check(m->client.bsn, strnlen(m->client.bsn, 9), norm);
    if (bc != BSN_OK) {
        n.reason = n.key = bsn_check_reason(bc);
        n.element = "Bsn";
        return note(r, &n);
    }
    bool test = bsn_is_test(norm), created = false;
    unsigned char person[PSEUDONYM_BYTES];
    struct intake_group g = {.aanbieder_id = r->aanb_ids[aanb], .law = m->law};
    pseudonym_of_bsn(r->env->pseudonymiser, norm, person);
    sodium_memzero(norm, sizeof norm);
    if ((ret = person_of(r, person, &g.person_id, &created)))
        return fail_db(r, ret);
    for (int i = 0; i < m->nproducts; i++) {
        struct traj_fact f;
        fact_from_product(m, &m->products[i], gem, &f);
        f.batch_id = r->batch_id;
        f.seq = ++r->fact_seq;
        if ((ret = intake_fact_write(r->w, &g, test, &f)))
            return fail_db(r, ret);
    }
    if ((ret = intake_message_insert(r->db, m->law, m->name, m->sender, m->ident, r->batch_id)))
        return fail_db(r, ret);
    add_key(r, g.person_id, aanb, m->law);
    r->c.accepted++;
    if (test)
        r->c.test++;
    return 0;
}

/* What became of one item of the source, once read (and parsed, unless it has a problem). */
static int handle_message(struct run *r, const char *name, const char *problem, bool skip, int rc,
                          const struct msg *m)
{
    struct note n = {.source = name};
    char text[REASON_MAX];
    int ret = 0;

    r->c.read++;
    if (problem) {
        n.skipped = skip;
        n.reason = n.key = problem;
        return note(r, &n);
    }
    if (rc) {
        n.reason = n.key = rc == ERR_TOO_BIG ? N_("Het bericht is groter dan 4 MB")
                                             : N_("Het bericht kon niet worden gelezen");
        return note(r, &n);
    }
    count_name(r, m->name);
    switch (m->outcome) {
    case MSG_ACCEPTED:
        ret = accept_message(r, name, m);
        break;
    case MSG_SKIPPED:
        snprintf(text, sizeof text,
                 N_("Bericht %s wordt niet gebruikt (alleen 301, 305, 307, 315 en 323)"), m->name);
        n.skipped = true;
        n.key = N_("Berichtsoort wordt niet gebruikt");
        n.reason = text;
        ret = note(r, &n);
        break;
    case MSG_UNSUPPORTED:
        n.reason = issues_text(r, m, N_("Geen iJw- of iWmo-bericht van release 3.2"));
        n.key = N_("Geen bericht van een ondersteunde release");
        if (m->nissues) {
            n.line = m->issues[0].line;
            n.element = m->issues[0].element;
        }
        if (r->unsupported++ == 0)
            copy_cut(r->first_unsupported, sizeof r->first_unsupported, n.reason);
        ret = note(r, &n);
        break;
    case MSG_INVALID:
        n.reason = issues_text(r, m, N_("Het bericht voldoet niet aan het XSD-schema"));
        n.key = N_("Bericht voldoet niet aan het schema");
        if (m->nissues) {
            n.line = m->issues[0].line;
            n.element = m->issues[0].element;
        }
        ret = note(r, &n);
        break;
    }
    return ret;
}

/* ---- Reading messages in parallel. ------------------------------------------------------------
 * Parsing and XSD validation take about 70% of a message import, the database the rest. So a
 * reader thread walks the source, worker threads parse, and this (the writer) thread handles
 * the parsed items strictly in source order, which keeps seq numbers, duplicate detection and
 * rejection order exactly as in a sequential run. A ring of slots bounds the memory. */

#define PAR_SLOTS       32
#define PAR_MAX_WORKERS 4

enum slot_state { SLOT_FREE = 0, SLOT_FILLED, SLOT_PARSED };

struct slot {
    enum slot_state state;
    char name[NAME_BYTES];
    unsigned char *data; /* grows to the largest item seen; reused */
    size_t len, cap;
    const char *problem; /* static msgid from source.c */
    bool skip;
    uint64_t bytes_done, bytes_total;
    struct arena *a;
    struct arena_mark empty;
    struct msg m;
    int rc;
};

struct par {
    pthread_mutex_t mu;
    pthread_cond_t space, work, done;
    struct slot slots[PAR_SLOTS];
    uint64_t produced, parse_next, consumed;
    bool producer_done, stop;
    int producer_ret;
    struct err_ctx producer_e;
    struct source_info info;
    const struct import_request *req;
    const struct msg_schemas *schemas;
};

/* Source callback, on the reader thread: copies the item into the next free slot. */
static int par_put(void *ctx, const struct source_item *it)
{
    struct par *p = ctx;
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->produced - p->consumed >= PAR_SLOTS)
        pthread_cond_wait(&p->space, &p->mu);
    bool stop = p->stop;
    struct slot *sl = &p->slots[p->produced % PAR_SLOTS];
    pthread_mutex_unlock(&p->mu);
    if (stop)
        return STOP;
    /* The slot is FREE and only this thread fills slots: no lock needed to write it. */
    copy_cut(sl->name, sizeof sl->name, it->name);
    sl->problem = it->problem;
    sl->skip = it->skip;
    sl->len = it->data ? it->len : 0;
    if (sl->len > sl->cap) {
        sl->cap = sl->len;
        sl->data = xrealloc(sl->data, sl->cap);
    }
    if (sl->len)
        memcpy(sl->data, it->data, sl->len);
    sl->bytes_done = p->info.bytes_done;
    sl->bytes_total = p->info.bytes_total;
    pthread_mutex_lock(&p->mu);
    sl->state = SLOT_FILLED;
    p->produced++;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

static void *par_reader(void *arg)
{
    struct par *p = arg;
    int ret = source_each(p->req->path, p->req->display_name, MSG_MAX_BYTES, p->req->limits,
                          par_put, p, &p->info, &p->producer_e);
    pthread_mutex_lock(&p->mu);
    p->producer_ret = ret;
    p->producer_done = true;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->done);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void *par_worker(void *arg)
{
    struct par *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->parse_next >= p->produced && !p->producer_done)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop || (p->parse_next >= p->produced && p->producer_done))
            break;
        struct slot *sl = &p->slots[p->parse_next++ % PAR_SLOTS];
        pthread_mutex_unlock(&p->mu);
        arena_reset_to(sl->a, sl->empty);
        memset(&sl->m, 0, sizeof sl->m);
        sl->rc = sl->problem ? 0 : msg_read(p->schemas, sl->name, sl->data, sl->len, sl->a, &sl->m);
        pthread_mutex_lock(&p->mu);
        sl->state = SLOT_PARSED;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int worker_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PAR_MAX_WORKERS ? PAR_MAX_WORKERS : (int)n;
}

static void par_stop(struct par *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->space);
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->done);
    pthread_mutex_unlock(&p->mu);
}

static void read_messages(struct run *r, struct source_info *info, struct err_ctx *e)
{
    struct par *p = xcalloc(1, sizeof *p);
    pthread_t reader, workers[PAR_MAX_WORKERS];
    int nworkers = 0;
    bool have_reader = false;

    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->space, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->req = r->req;
    p->schemas = r->env->schemas;
    for (int i = 0; i < PAR_SLOTS; i++) {
        p->slots[i].a = arena_new(RECORD_ARENA_CAP);
        arena_alloc(p->slots[i].a, 1); /* keeps the first chunk across resets */
        p->slots[i].empty = arena_mark(p->slots[i].a);
    }
    have_reader = pthread_create(&reader, NULL, par_reader, p) == 0;
    for (int i = 0, n = worker_count(); have_reader && i < n; i++)
        if (pthread_create(&workers[nworkers], NULL, par_worker, p) == 0)
            nworkers++;
    if (!have_reader || nworkers == 0) {
        par_stop(p);
        fail_db(r, ERR_NOMEM);
    }
    /* The writer: handle the parsed items in order. */
    while (!r->fatal && !r->file_failed && have_reader && nworkers > 0) {
        pthread_mutex_lock(&p->mu);
        struct slot *sl = &p->slots[p->consumed % PAR_SLOTS];
        while (!(p->consumed < p->produced && sl->state == SLOT_PARSED) &&
               !(p->producer_done && p->consumed == p->produced))
            pthread_cond_wait(&p->done, &p->mu);
        bool end = p->consumed == p->produced;
        pthread_mutex_unlock(&p->mu);
        if (end)
            break;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int ret = handle_message(r, sl->name, sl->problem, sl->skip, sl->rc, &sl->m);
        r->t_handle += secs_since(&t0);
        r->bytes_est = sl->bytes_done;
        r->bytes_total = sl->bytes_total;
        pthread_mutex_lock(&p->mu);
        sl->state = SLOT_FREE;
        p->consumed++;
        pthread_cond_broadcast(&p->space);
        pthread_mutex_unlock(&p->mu);
        if (ret)
            break;
        progress(r, false);
    }
    if (r->fatal || r->file_failed)
        par_stop(p);
    if (have_reader)
        pthread_join(reader, NULL);
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL);
    *info = p->info;
    r->bytes_est = info->bytes_done;
    r->bytes_total = info->bytes_total;
    int ret = p->producer_ret;
    if (ret && ret != STOP)
        *e = p->producer_e;
    for (int i = 0; i < PAR_SLOTS; i++) {
        arena_free(p->slots[i].a);
        free(p->slots[i].data);
    }
    pthread_cond_destroy(&p->space);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);

    if (r->fatal || r->file_failed)
        return;
    if (ret) {
        fail_file(r, e->msg[0] ? e->msg : _("De bron kan niet worden gelezen."));
        return;
    }
    if (r->c.read == 0)
        fail_file(r, _("Er staan geen bestanden in deze map of dit archief."));
    else if (r->unsupported == (uint64_t)r->c.read)
        fail_file(r, r->first_unsupported);
}

/* ---- Registrations. -------------------------------------------------------------------------- */

/* The row's values as a JSON array, sensitive columns blanked (for the correction file). */
static const char *row_fields(struct run *r, const struct table_row *row)
{
    buf_reset(&r->fields);
    buf_append_char(&r->fields, '[');
    for (int i = 0; i < row->nfields; i++) {
        bool hide = !r->bound || i >= TABLE_MAX_COLUMNS || r->bind.sensitive[i];
        if (i)
            buf_append_char(&r->fields, ',');
        buf_append_char(&r->fields, '"');
        if (!hide)
            buf_append_json_str(&r->fields, row->fields[i], row->lens[i]);
        buf_append_char(&r->fields, '"');
    }
    buf_append_char(&r->fields, ']');
    return r->fields.p ? buf_cstr(&r->fields) : NULL; /* NULL when the row was too big */
}

static void save_header(struct run *r, const struct table_row *row)
{
    json_decref(r->header);
    r->header = json_array();
    for (int i = 0; i < row->nfields; i++)
        json_array_append_new(r->header, json_stringn(row->fields[i], row->lens[i]));
}

static int table_each(struct run *r, table_row_fn fn, char delimiter, struct err_ctx *e);

/* ---- Reading registrations in parallel. -----------------------------------------------------
 * Reading the table, converting each row through the profile, pseudonymising it and hashing
 * the file take about a quarter of a registration import, the database the rest. So a reader
 * thread does the first part and hands the rows over in blocks; this (the writer) thread
 * stores them in order. */

#define REG_BLOCK    512 /* rows per hand-over */
#define REG_PREFETCH 4   /* rows ahead whose person is fetched ahead (person_prefetch) */
#define REG_BLOCKS   4

/* One row, as the writer needs it. */
struct reg_item {
    bool accepted;
    struct note n;         /* not accepted: what to record (strings in the block's arena) */
    struct reg_result res; /* accepted: the fact and the pseudonym */
};

struct reg_block {
    struct reg_item v[REG_BLOCK];
    size_t n;
    uint64_t bytes_est;
    struct arena *a;
    struct arena_mark empty;
};

struct regpar {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct reg_block blocks[REG_BLOCKS];
    uint64_t produced, consumed; /* blocks */
    bool done, stop;
    uint64_t bytes; /* reader: bytes read so far (estimated) */
    struct run *r;
    char delimiter;
    struct err_ctx e;
};

/* Reader: hands the block being filled to the writer; false when the writer stopped. */
static bool reg_publish(struct regpar *p)
{
    pthread_mutex_lock(&p->mu);
    p->produced++;
    pthread_cond_broadcast(&p->changed);
    while (!p->stop && p->produced - p->consumed >= REG_BLOCKS)
        pthread_cond_wait(&p->changed, &p->mu);
    bool go = !p->stop;
    pthread_mutex_unlock(&p->mu);
    if (go) {
        struct reg_block *b = &p->blocks[p->produced % REG_BLOCKS];
        b->n = 0;
        arena_reset_to(b->a, b->empty);
    }
    return go;
}

/* Reader: a string kept with the block (NULL when the arena is full: the note goes without). */
static const char *reg_keep(struct reg_block *b, const char *s)
{
    return s ? arena_strdup(b->a, s) : NULL;
}

/* Reader: one row of the table. */
static int reg_read_row(void *ctx, const struct table_row *row)
{
    struct run *r = ctx;
    struct regpar *p = r->regpar;
    char text[REASON_MAX];

    for (int i = 0; i < row->nfields; i++)
        p->bytes += row->lens[i] + 1;
    p->bytes += 1;
    if (row->record < (uint64_t)r->prof.header_row)
        return 0; /* a title row above the header: not a record */
    if (row->record == (uint64_t)r->prof.header_row) {
        struct err_ctx e = {0};
        if (registration_bind(&r->prof, row, &r->bind, &e))
            return fail_file(r, e.msg[0] ? e.msg : _("De kolommen van het profiel ontbreken."));
        r->bound = true;
        save_header(r, row);
        return 0;
    }
    struct reg_block *b = &p->blocks[p->produced % REG_BLOCKS];
    struct reg_item *it = &b->v[b->n];
    struct note *n = &it->n;
    memset(n, 0, sizeof *n);
    n->source = r->file_name;
    n->record = (int64_t)row->record;
    n->line = (int64_t)row->line;
    it->accepted = false;
    if (row->problem) {
        n->reason = n->key = row->problem;
        n->col = row->problem_col;
        n->fields = reg_keep(b, row_fields(r, row));
        goto next;
    }
    struct reg_result *res = &it->res;
    buf_reset(&r->reasons);
    enum reg_outcome o =
        registration_convert(&r->bind, r->env->pseudonymiser, r->prof_agb, row, res, &r->reasons);
    if (o == REG_EMPTY) {
        n->skipped = true;
        n->reason = n->key = N_("Lege regel");
        goto next;
    }
    if (o == REG_REJECTED) {
        n->reason =
            r->reasons.len ? reg_keep(b, buf_cstr(&r->reasons)) : N_("De regel is ongeldig");
        n->key = N_("Regel afgewezen");
        n->col = res->bad_col;
        n->fields = reg_keep(b, row_fields(r, row));
        goto next;
    }
    char gem[5] = "";
    bool known_gem = current_gemeente(res->fact.gemeente, gem);
    const char *why = scope_problem(r, r->prof_agb, known_gem ? gem : NULL);
    if (why || !known_gem) {
        if (!why)
            snprintf(text, sizeof text, N_("Gemeentecode %s is geen bekende CBS-gemeentecode"),
                     res->fact.gemeente);
        n->reason = why ? why : reg_keep(b, text);
        n->key = why ? why : N_("Onbekende gemeente");
        n->fields = reg_keep(b, row_fields(r, row));
        goto next;
    }
    memcpy(res->fact.gemeente, gem, sizeof gem);
    res->fact.batch_id = r->batch_id;
    if (res->fact.message_date == DAY_NONE || res->fact.message_date == 0)
        res->fact.message_date = r->today;
    it->accepted = true;
next:
    b->bytes_est = p->bytes;
    if (++b->n == REG_BLOCK && !reg_publish(p))
        return STOP;
    return 0;
}

static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *reg_reader(void *arg)
{
    struct regpar *p = arg;
    /* Not read_table(): r->fatal is the writer's (the writer stops this thread by p->stop). */
    int ret = table_each(p->r, reg_read_row, p->delimiter, &p->e);
    p->r->cpu_reader = thread_cpu();
    if (ret && ret != STOP && !p->r->file_failed)
        fail_file(p->r, p->e.msg[0] ? p->e.msg : _("Het bestand kan niet worden gelezen."));
    pthread_mutex_lock(&p->mu);
    if (p->blocks[p->produced % REG_BLOCKS].n)
        p->produced++; /* the last, partly filled block */
    p->done = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Writer: stores one accepted row. 0 or STOP (r->fatal set). */
static int reg_store(struct run *r, struct reg_result *res)
{
    res->fact.seq = ++r->fact_seq;
    struct intake_group g = {.aanbieder_id = r->aanb_ids[r->prof_aanb], .law = r->prof.law};
    bool created = false;
    int ret;
    if ((ret = person_of(r, res->person, &g.person_id, &created)) ||
        (ret = intake_fact_write(r->w, &g, res->test_person, &res->fact)))
        return fail_db(r, ret);
    /* Every record of an export is in the same group (the profile's aanbieder and law). A
     * person new in this batch has no trajectories to replace: its records are held for a
     * while (an export lists a client's records together) and its trajectories built from
     * them and stored at once. Should it come back after that, the group is rebuilt at the
     * end, like those of persons known before. */
    int werr = 0;
    bool held = g.person_id > r->person_base &&
                win_hold(r, g.person_id, created, res->test_person, &res->fact, &werr);
    if (werr)
        return fail_db(r, werr);
    if (!held)
        add_key(r, g.person_id, r->prof_aanb, g.law);
    r->c.accepted++;
    if (res->test_person)
        r->c.test++;
    return 0;
}

static void read_registration_rows(struct run *r, char delimiter, struct err_ctx *e)
{
    struct regpar *p = xcalloc(1, sizeof *p);
    pthread_t reader;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->r = r;
    p->delimiter = delimiter;
    for (int i = 0; i < REG_BLOCKS; i++) {
        p->blocks[i].a = arena_new(0);
        arena_alloc(p->blocks[i].a, 1); /* keeps the first chunk across resets */
        p->blocks[i].empty = arena_mark(p->blocks[i].a);
    }
    r->regpar = p;
    if (pthread_create(&reader, NULL, reg_reader, p) != 0) {
        fail_db(r, ERR_NOMEM);
        goto out;
    }
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (p->consumed == p->produced && !p->done) {
            struct timespec tw;
            clock_gettime(CLOCK_MONOTONIC, &tw);
            while (p->consumed == p->produced && !p->done)
                pthread_cond_wait(&p->changed, &p->mu);
            r->t_wait += secs_since(&tw);
        }
        bool end = p->consumed == p->produced;
        pthread_mutex_unlock(&p->mu);
        if (end)
            break;
        struct reg_block *b = &p->blocks[p->consumed % REG_BLOCKS];
        int ret = 0;
        for (size_t i = 0; i < b->n && !ret; i++) {
            r->c.read++;
            if (i + REG_PREFETCH < b->n && b->v[i + REG_PREFETCH].accepted)
                person_prefetch(r, b->v[i + REG_PREFETCH].res.person);
            ret = b->v[i].accepted ? reg_store(r, &b->v[i].res) : note(r, &b->v[i].n);
        }
        r->bytes_est = b->bytes_est;
        progress(r, false);
        pthread_mutex_lock(&p->mu);
        p->consumed++;
        if (ret)
            p->stop = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->mu);
        if (ret)
            break;
    }
    pthread_join(reader, NULL);
    if (p->e.msg[0])
        *e = p->e;
out:
    r->regpar = NULL;
    for (int i = 0; i < REG_BLOCKS; i++)
        arena_free(p->blocks[i].a);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* ---- Population. ----------------------------------------------------------------------------- */

static int on_population_row(void *ctx, const struct table_row *row)
{
    struct run *r = ctx;
    struct err_ctx e = {0};
    char text[REASON_MAX];
    int ret = 0;

    for (int i = 0; i < row->nfields; i++)
        r->bytes_est += row->lens[i] + 1;
    if (!r->pbound) {
        if (population_bind(row, &r->pcols, &e))
            return fail_file(r, e.msg);
        r->pbound = true;
        save_header(r, row);
        return 0;
    }
    r->c.read++;
    struct note n = {
        .source = r->file_name, .record = (int64_t)row->record, .line = (int64_t)row->line};
    struct population_row p;
    int bad = 0;
    enum population_outcome o =
        row->problem ? POP_REJECTED
                     : population_convert(&r->pcols, row, r->year, &p, text, sizeof text, &bad);
    if (row->problem) {
        copy_cut(text, sizeof text, row->problem);
        bad = row->problem_col;
    }
    if (o == POP_ACCEPTED) {
        const char *why = scope_problem(r, "", p.gemeente);
        if (why) {
            copy_cut(text, sizeof text, why);
            o = POP_REJECTED;
        }
    }
    if (o != POP_ACCEPTED) {
        n.skipped = o == POP_SKIPPED;
        n.reason = text;
        n.key = n.skipped ? N_("Postcodes zonder gemeente") : N_("Regel afgewezen");
        n.col = bad;
        ret = note(r, &n);
    } else {
        population_sums_add(&r->sums, &p);
        r->c.accepted++;
    }
    progress(r, false);
    return ret ? STOP : 0;
}

static int store_population(struct run *r)
{
    population_sums_finish(&r->sums);
    for (size_t i = 0; i < r->sums.n; i++) {
        const struct population_row *p = &r->sums.v[i];
        struct intake_population row = {.year = p->year,
                                        .age_band = p->age_band,
                                        .inhabitants = p->inhabitants,
                                        .men = p->men,
                                        .women = p->women};
        memcpy(row.gemeente, p->gemeente, 5);
        int ret = intake_population_insert(r->db, r->batch_id, &row);
        if (ret)
            return fail_db(r, ret);
    }
    return 0;
}

/* ---- Reading the source. --------------------------------------------------------------------- */

/* Bytes at the end of p[0..n) that begin a UTF-8 sequence the buffer cuts off. */
static size_t utf8_cut_tail(const unsigned char *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = p[n - k];
        if ((c & 0xc0) == 0x80)
            continue; /* a continuation byte: look further back */
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return len > k ? k : 0;
    }
    return 0;
}

/* Reads a CSV file in chunks, as csv_read_file does from a mapping of the whole file: mapped,
 * a large export counted in full in the resident size (200 MB for 2,000,000 rows). Two passes:
 * is it UTF-8 (else Windows-1252, left to csv_read_file), then parse. */
#define CSV_CHUNK (1u << 20)

static int csv_stream(struct run *r, const char *path, const struct csv_options *o, table_row_fn fn,
                      void *ctx, enum text_encoding *enc, struct err_ctx *e)
{
    const char *name = base_name(path);
    unsigned char *buf = NULL;
    struct csv_parser *p = NULL;
    size_t carry = 0;
    bool utf8 = true, first = true;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return csv_read_file(path, o, fn, ctx, enc, e); /* it says why */
    buf = xmalloc(CSV_CHUNK + 4);
    for (;;) {
        ssize_t n = read(fd, buf + carry, CSV_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_set(e, ERR_IO, NULL, _("%s: kan het bestand niet lezen"), name);
            goto out;
        }
        size_t total = carry + (size_t)n;
        if (first && total >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            break; /* a BOM says UTF-8 */
        first = false;
        size_t cut = n ? total - utf8_cut_tail(buf, total) : total;
        if (text_detect_encoding((const char *)buf, cut) != TEXT_UTF8) {
            utf8 = false;
            break;
        }
        if (n == 0)
            break;
        memmove(buf, buf + cut, total - cut);
        carry = total - cut;
    }
    if (!utf8) {
        close(fd);
        fd = -1;
        rc = csv_read_file(path, o, fn, ctx, enc, e);
        goto out;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        rc = err_set(e, ERR_IO, NULL, _("%s: kan het bestand niet lezen"), name);
        goto out;
    }
    struct err_ctx local;
    err_clear(&local);
    p = csv_new(o, fn, ctx);
    for (;;) {
        ssize_t n = read(fd, buf, CSV_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_set(e, ERR_IO, NULL, _("%s: kan het bestand niet lezen"), name);
            goto out;
        }
        if (r->hash && n > 0) {
            crypto_hash_sha256_update(r->hash, buf, (unsigned long long)n);
            r->hashed_bytes += (uint64_t)n;
        } else if (r->hash) { /* the whole file: its hash is complete */
            unsigned char d[crypto_hash_sha256_BYTES];
            crypto_hash_sha256_final(r->hash, d);
            sodium_bin2hex(r->hash_hex, sizeof r->hash_hex, d, sizeof d);
            r->hash_done = true;
        }
        if (n == 0 || (rc = csv_feed(p, (const char *)buf, (size_t)n, &local)) != 0)
            break;
    }
    if (!rc)
        rc = csv_finish(p, &local);
    if (rc < 0 && local.code == rc) { /* the parser's error, not the callback's stop value */
        err_set(e, rc, NULL, "%s: %s", name, local.msg);
        e->line = local.line;
        e->col = local.col;
    }
    if (!rc)
        *enc = TEXT_UTF8;
out:
    if (fd >= 0)
        close(fd);
    csv_free(p);
    free(buf);
    return rc;
}

/* Reads the table (CSV or XLSX) row by row into fn. 0, fn's stop value, or an error (e). */
static int table_each(struct run *r, table_row_fn fn, char delimiter, struct err_ctx *e)
{
    enum text_encoding enc = TEXT_UTF8;
    int ret;
    if (source_type_of(r->req->path) == SOURCE_ZIP) {
        struct xlsx_options o = {0};
        ret = xlsx_read_file(r->req->path, &o, fn, r, e);
        r->encoding = "XLSX";
    } else {
        struct csv_options o = {.delimiter = delimiter};
        ret = csv_stream(r, r->req->path, &o, fn, r, &enc, e);
        r->encoding = text_encoding_name(enc);
        r->delimiter = delimiter;
    }
    return ret;
}

static void read_table(struct run *r, table_row_fn fn, char delimiter, struct err_ctx *e)
{
    int ret = table_each(r, fn, delimiter, e);
    if (ret == STOP || r->fatal || r->file_failed)
        return;
    if (ret) {
        fail_file(r, e->msg[0] ? e->msg : _("Het bestand kan niet worden gelezen."));
        return;
    }
}

static void read_registration(struct run *r, struct err_ctx *e)
{
    char head[4096];
    ssize_t n = read_head(r->req->path, head, sizeof head);
    char delim =
        r->prof.delimiter ? r->prof.delimiter : (n > 0 ? sniff_delimiter(head, (size_t)n) : 0);
    read_registration_rows(r, delim, e);
    if (!r->fatal && !r->file_failed && !r->bound) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, _("De kopregel (regel %d van het profiel) ontbreekt."),
                 r->prof.header_row);
        fail_file(r, msg);
    }
}

static void read_population(struct run *r, struct err_ctx *e)
{
    char head[4096];
    ssize_t n = read_head(r->req->path, head, sizeof head);
    r->year = population_year_from_name(r->file_name);
    read_table(r, on_population_row, n > 0 ? sniff_delimiter(head, (size_t)n) : 0, e);
    if (!r->fatal && !r->file_failed && !r->pbound)
        fail_file(r, _("Het bevolkingsbestand is leeg."));
    if (!r->fatal && !r->file_failed)
        store_population(r);
}

/* ---- Rebuilding touched groups. -------------------------------------------------------------- */

static void rebuild_all(struct run *r)
{
    /* Everything written so far must be visible to the group queries below. */
    int ret = win_flush_all(r);
    if (ret || (ret = intake_writer_flush(r->w))) {
        fail_db(r, ret);
        return;
    }
    compact_keys(r);
    for (size_t i = 0; i < r->nkeys && !r->fatal; i++) {
        const struct gkey *k = &r->keys[i];
        uint32_t count = meta_count(k->meta);
        struct intake_group g = {.person_id = k->person,
                                 .aanbieder_id = r->aanb_ids[k->aanb],
                                 .law = (int)(k->meta & META_LAW)};
        /* A person new in this batch has no trajectories yet, unless a registration record
         * stored its first one at once: that one is replaced, and its counts with it. */
        bool is_new = k->person > r->person_base;
        bool direct = is_new && r->kind == IMPORT_REGISTRATION;
        struct rebuild_result res;
        struct arena_mark mk = arena_mark(r->rec);
        ret = rebuild_group(r->db, r->w, &g, is_new && !direct, r->rec, &r->facts, &res);
        arena_reset_to(r->rec, mk);
        if (ret) {
            fail_db(r, ret);
            break;
        }
        if (direct) {
            /* The records stored at once are those of this batch that have no key. */
            uint32_t batch_facts = 0;
            for (size_t j = 0; j < r->facts.n; j++)
                batch_facts += r->facts.v[j].batch_id == r->batch_id;
            if (direct_flagged(r, k->person))
                r->c.flagged -= (int64_t)(batch_facts - count);
            r->c.trajectories -= (int64_t)res.replaced;
            count = batch_facts;
        }
        r->c.trajectories += (int64_t)res.trajectories;
        if (res.flagged)
            r->c.flagged += count;
        if ((i & 1023) == 0)
            progress(r, false);
    }
    if (!r->fatal && (ret = intake_writer_flush(r->w)))
        fail_db(r, ret);
}

/* ---- The batch row. -------------------------------------------------------------------------- */

static char *detail_json(struct run *r, enum source_type st)
{
    json_t *d = json_object();
    const char *src = st == SOURCE_DIR ? "map" : st == SOURCE_ZIP ? "zip" : "bestand";
    json_object_set_new(d, "source", json_string(src));
    if (r->encoding)
        json_object_set_new(d, "encoding", json_string(r->encoding));
    if (r->delimiter) {
        char dl[2] = {r->delimiter, 0};
        json_object_set_new(d, "delimiter", json_string(r->delimiter == '\t' ? "TAB" : dl));
    }
    if (r->header)
        json_object_set(d, "header", r->header);
    if (r->kind == IMPORT_REGISTRATION) {
        json_object_set_new(d, "profile_version", json_integer(r->prof.version));
        json_object_set_new(d, "header_row", json_integer(r->prof.header_row));
    }
    if (r->kind == IMPORT_POPULATION)
        json_object_set_new(d, "year", json_integer(r->year));
    if (json_object_size(r->by_name))
        json_object_set(d, "messages", r->by_name);
    if (json_object_size(r->skip_reasons))
        json_object_set(d, "skipped", r->skip_reasons);
    if (r->rej_seq > r->max_rejections)
        json_object_set_new(d, "rejections_not_stored",
                            json_integer(r->rej_seq - r->max_rejections));
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    return s;
}

static void audit_detail(const struct run *r, char *out, size_t cap)
{
    snprintf(out, cap,
             "kind=%s read=%" PRId64 " accepted=%" PRId64 " rejected=%" PRId64 " skipped=%" PRId64
             " trajectories=%" PRId64,
             import_kind_code(r->kind), r->c.read, r->c.accepted, r->c.rejected, r->c.skipped,
             r->c.trajectories);
}

/* Records a failed batch in its own transaction (after the main one rolled back). */
static int record_failed(struct run *r, const char *sha, int64_t bytes, const char *msg)
{
    char at[AUDIT_TS_SIZE], detail[160];
    struct db *db = NULL;
    audit_format_time(time(NULL), at);
    struct intake_batch_new b = {
        .kind = import_kind_code(r->kind),
        .file_name = r->file_name,
        .file_sha256 = sha && strlen(sha) == 64 ? sha : UNKNOWN_SHA,
        .file_bytes = bytes,
        .org_id = r->req->actor->org_id,
        .user_id = r->req->actor->user_id,
        .via = via_code(r->req->via),
        .profile_id = r->profile_id,
        .status = "mislukt",
        .error = msg,
        .created_at = at,
        .finished_at = at,
    };
    int ret = store_write_begin(r->env->store, &db);
    if (ret)
        return ret;
    ret = intake_batch_insert(db, &b, &r->batch_id);
    snprintf(detail, sizeof detail, "kind=%s status=mislukt", b.kind);
    if (!ret)
        ret = audit_write(db, r->req->actor, "import.failed", "import_batch", r->batch_id, detail);
    int end = store_write_end(r->env->store, ret == 0);
    return ret ? ret : end;
}

/* ---- The run. -------------------------------------------------------------------------------- */

static void run_free(struct run *r)
{
    build_stop(r->builder);
    arena_free(r->rec);
    arena_free(r->keep);
    intake_writer_close(r->w);
    free(r->keys);
    free(r->direct_flagged);
    free(r->pcache);
    free(r->pmap);
    for (size_t i = 0; r->win && i < WIN_SLOTS; i++)
        free(r->win[i].f);
    free(r->win);
    free(r->aanb_ids);
    free(r->aslots);
    json_decref(r->by_name);
    json_decref(r->skip_reasons);
    json_decref(r->header);
    population_sums_free(&r->sums);
    buf_release(&r->reasons);
    buf_release(&r->fields);
    intake_facts_free(&r->facts);
}

/* Loads the profile of a registration import and the aanbieder it belongs to. */
static int setup_profile(struct run *r, struct err_ctx *e)
{
    int ret = profile_get(r->env->store, r->req->actor, r->profile_id, r->keep, &r->prof, e);
    if (ret)
        return ret;
    struct org o;
    ret = org_get_internal(r->keep, r->env->store, r->prof.org_id, &o);
    if (ret)
        return err_set(e, ret, "profile", "%s", _("De aanbieder van dit profiel bestaat niet."));
    if (o.kind != ORG_AANBIEDER || !o.agb_code)
        return err_set(e, ERR_INVALID, "profile", "%s",
                       _("Dit profiel hoort niet bij een aanbieder met een AGB-code."));
    copy_cut(r->prof_agb, sizeof r->prof_agb, o.agb_code);
    r->prof_aanb = add_aanbieder(r, o.id);
    return 0;
}

/* The SHA-256 of a registration CSV hashed while it was read (import_run): the reader's, or
 * a pass of its own when the reader did not take the whole file as UTF-8 (Windows-1252 is
 * converted on another path) or stopped early. */
static int finish_hash(struct run *r, char sha[65], uint64_t *bytes, struct err_ctx *e)
{
    if (r->hash_done) {
        memcpy(sha, r->hash_hex, 65);
        *bytes = r->hashed_bytes;
        return 0;
    }
    struct err_ctx he = {0};
    int ret = source_sha256_file(r->req->path, IMPORT_MAX_FILE_BYTES, sha, bytes, &he);
    if (ret) {
        sha[0] = '\0';
        if (e)
            err_set(e, ret, "file", "%s", he.msg);
    }
    return ret;
}

int import_run(const struct import_env *env, const struct import_request *req,
               struct import_report *out, struct err_ctx *e)
{
    struct run r;
    struct source_info info;
    char sha[65] = "";
    uint64_t bytes = 0;
    bool writing = false;
    int ret = 0;

    memset(out, 0, sizeof *out);
    memset(&r, 0, sizeof r);
    memset(&info, 0, sizeof info);
    if (!env || !env->store || !env->pseudonymiser || !req || !req->actor || !req->path)
        return err_set(e, ERR_INTERNAL, NULL, "import_run: missing argument");
    const struct actor *a = req->actor;
    struct object_ref obj = {
        .kind = OBJ_IMPORT_BATCH, .owner_org_id = a->org_id, .owner_org_kind = a->org_kind};
    if (!policy_allows(a, ACT_CREATE, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s", _("U mag geen gegevens inlezen."));
    enum source_type st = source_type_of(req->path);
    if (st == SOURCE_NONE)
        return err_set(e, ERR_NOT_FOUND, "file", _("%s bestaat niet of is geen bestand of map."),
                       base_name(req->path));
    if (codelist_load() != 0 || cbs_load() != 0)
        return err_set(e, ERR_INTERNAL, NULL, "cannot load the code lists");

    r.env = env;
    r.req = req;
    r.rec = arena_new(RECORD_ARENA_CAP);
    arena_alloc(r.rec, 1); /* marks taken later keep this first chunk across resets */
    r.keep = arena_new(0);
    r.by_name = json_object();
    r.skip_reasons = json_object();
    r.today = day_today();
    r.max_rejections = req->limits && req->limits->max_rejections
                           ? (int64_t)req->limits->max_rejections
                           : IMPORT_MAX_REJECTIONS;
    buf_init(&r.reasons, 64 * 1024);
    buf_init(&r.fields, TABLE_MAX_FIELD + 64 * 1024);
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
    r.last = r.t0;
    r.kind = req->kind != IMPORT_AUTO ? req->kind : import_detect_kind(req->path);
    out->kind = r.kind;
    /* Only registrations are read through a profile; others never refer to one. */
    r.profile_id = r.kind == IMPORT_REGISTRATION && req->profile_id > 0 ? req->profile_id : 0;
    copy_cut(r.file_name, sizeof r.file_name,
             req->display_name && *req->display_name ? req->display_name : base_name(req->path));

    if ((ret = setup_scope(&r, e)))
        goto done;
    if (r.kind == IMPORT_REGISTRATION && st == SOURCE_DIR) {
        fail_file(&r, _("Een registratie-export is één CSV- of XLSX-bestand, geen map."));
    } else if (r.kind == IMPORT_REGISTRATION && r.profile_id == 0) {
        fail_file(&r, _("Kies een kolomprofiel voor dit bestand."));
    } else if (r.kind == IMPORT_REGISTRATION && (ret = setup_profile(&r, e))) {
        goto done;
    } else if (r.kind == IMPORT_REGISTRATION && r.prof.archived) {
        fail_file(&r, _("Dit kolomprofiel is gearchiveerd."));
    }
    /* A registration CSV is hashed by the reader thread while it parses the file, instead of
     * in a pass of its own before (a third of a second per 100 MB on the critical path); the
     * duplicate check then follows the reading. Only when an active batch has a file of the
     * same size is the file hashed first, so that a file imported before is still answered
     * at once. */
    bool late_hash = r.kind == IMPORT_REGISTRATION && st == SOURCE_FILE && !r.file_failed;
    crypto_hash_sha256_state hash_state;
    if (late_hash) {
        struct stat sb;
        if (stat(req->path, &sb) != 0) {
            ret = err_set(e, ERR_IO, "file", _("Kan %s niet openen: %s"), base_name(req->path),
                          strerror(errno));
            goto done;
        }
        bytes = (uint64_t)sb.st_size;
        if (bytes > IMPORT_MAX_FILE_BYTES) {
            char msg[ERR_MSG_MAX];
            snprintf(msg, sizeof msg, _("Het bestand is groter dan %llu MB."),
                     (unsigned long long)(IMPORT_MAX_FILE_BYTES / (1024 * 1024)));
            fail_file(&r, msg);
            late_hash = false;
        }
    } else if (st != SOURCE_DIR && !r.file_failed) {
        struct err_ctx he = {0};
        ret = source_sha256_file(req->path, IMPORT_MAX_FILE_BYTES, sha, &bytes, &he);
        if (ret == ERR_TOO_BIG) {
            fail_file(&r, he.msg);
            ret = 0;
        } else if (ret) {
            err_set(e, ret, "file", "%s", he.msg);
            goto done;
        }
    }
    if (r.file_failed)
        goto failed;

    /* From here on everything happens in one transaction. */
    if ((ret = store_write_begin(env->store, &r.db)))
        goto done;
    writing = true;
    /* A registration export writes millions of rows whose references (batch, person,
     * aanbieder, trajectory) are its own inserts or lookups of this transaction: checking
     * each against its parent took an eighth of the import. Enforcement is back on at the end
     * of the transaction, whichever way it ends. */
    if (r.kind == IMPORT_REGISTRATION && (ret = db_begin_bulk(r.db)))
        goto db_failed;
    int64_t earlier = 0;
    if (late_hash) {
        if ((ret = intake_batch_find_size(r.db, (int64_t)bytes, r.profile_id)) == 0) {
            struct err_ctx he = {0};
            late_hash = false; /* perhaps imported before: hash it now */
            if ((ret = source_sha256_file(req->path, IMPORT_MAX_FILE_BYTES, sha, &bytes, &he))) {
                err_set(e, ret, "file", "%s", he.msg);
                goto rollback;
            }
        } else if (ret != ERR_NOT_FOUND) {
            goto db_failed;
        }
    }
    if (st != SOURCE_DIR && !late_hash &&
        (ret = intake_batch_find_active(r.db, sha, r.profile_id, &earlier)) == 0)
        goto duplicate;
    if (ret && ret != ERR_NOT_FOUND)
        goto db_failed;
    if (late_hash) {
        crypto_hash_sha256_init(&hash_state);
        r.hash = &hash_state;
    }
    intake_store_import_mode(r.db, true);
    char at[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), at);
    struct intake_batch_new b = {
        .kind = import_kind_code(r.kind),
        .file_name = r.file_name,
        .file_sha256 = st == SOURCE_DIR || late_hash ? UNKNOWN_SHA : sha,
        .file_bytes = (int64_t)bytes,
        .org_id = a->org_id,
        .user_id = a->user_id,
        .via = via_code(req->via),
        .profile_id = r.profile_id,
        .status = "actief",
        .created_at = at,
    };
    int64_t fact_base = 0, fact_last = 0;
    if ((ret = intake_batch_insert(r.db, &b, &r.batch_id)) ||
        (ret = intake_person_max_id(r.db, &r.person_base)) ||
        (ret = intake_fact_max_id(r.db, &fact_base)) || (ret = intake_writer_open(r.db, &r.w)))
        goto db_failed;
    r.bytes_total = bytes;

    switch (r.kind) {
    case IMPORT_MESSAGES:
        if (!env->schemas) {
            ret = err_set(e, ERR_INTERNAL, NULL, "import_run: schemas not loaded");
            goto rollback;
        }
        read_messages(&r, &info, e);
        break;
    case IMPORT_REGISTRATION:
        if ((ret = bulk_begin(&r, bytes)))
            goto db_failed;
        read_registration(&r, e);
        if (!r.fatal && !r.file_failed && (ret = bulk_end(&r)))
            fail_db(&r, ret);
        break;
    case IMPORT_POPULATION:
        read_population(&r, e);
        break;
    case IMPORT_AUTO:
        fail_file(&r, _("Onbekende soort bestand."));
        break;
    }
    if (r.fatal) {
        ret = r.fatal;
        goto db_failed;
    }
    if (r.file_failed)
        goto rollback_failed;
    if (late_hash && (ret = finish_hash(&r, sha, &bytes, e)))
        goto rollback;
    if (st == SOURCE_DIR || late_hash) {
        if (st == SOURCE_DIR) {
            copy_cut(sha, sizeof sha, info.sha256);
            bytes = info.bytes_total;
        }
        ret = intake_batch_find_active(r.db, sha, r.profile_id, &earlier);
        if (ret == 0)
            goto duplicate;
        if (ret != ERR_NOT_FOUND)
            goto db_failed;
    }
    struct timespec tph;
    clock_gettime(CLOCK_MONOTONIC, &tph);
    rebuild_all(&r);
    r.t_rebuild = secs_since(&tph);
    if (r.fatal) {
        ret = r.fatal;
        goto db_failed;
    }
    if ((ret = intake_fact_max_id(r.db, &fact_last)) ||
        (ret = intake_batch_set_facts(r.db, r.batch_id, fact_base + 1, fact_last)))
        goto db_failed;
    audit_format_time(time(NULL), at);
    char *detail = detail_json(&r, st);
    bool late_sha = st == SOURCE_DIR || late_hash;
    ret = intake_batch_finish(r.db, r.batch_id, &r.c, detail, at, late_sha ? sha : NULL,
                              late_sha ? (int64_t)bytes : -1);
    free(detail);
    if (ret)
        goto db_failed;
    char adetail[200];
    audit_detail(&r, adetail, sizeof adetail);
    if ((ret = audit_write(r.db, a, "import.create", "import_batch", r.batch_id, adetail)))
        goto db_failed;
    /* The change journal the indicator engine follows (metrics/engine.h), same transaction. */
    if ((ret = intake_change_insert(r.db, r.batch_id, "import", at, NULL)))
        goto db_failed;
    intake_store_import_mode(r.db, false);
    writing = false;
    clock_gettime(CLOCK_MONOTONIC, &tph);
    ret = store_write_end(env->store, true);
    r.t_commit = secs_since(&tph);
    if (ret)
        goto db_failed_after_end;

    out->batch_id = r.batch_id;
    out->read = (uint64_t)r.c.read;
    out->accepted = (uint64_t)r.c.accepted;
    out->rejected = (uint64_t)r.c.rejected;
    out->skipped = (uint64_t)r.c.skipped;
    out->flagged = (uint64_t)r.c.flagged;
    out->test_records = (uint64_t)r.c.test;
    out->trajectories = (uint64_t)r.c.trajectories;
    goto report;

duplicate:
    /* Nothing was written in this transaction that must stay. */
    intake_store_import_mode(r.db, false);
    store_write_end(env->store, false);
    writing = false;
    out->duplicate = true;
    out->batch_id = earlier;
    audit_record(env->store, a, "import.duplicate", "import_batch", earlier,
                 import_kind_code(r.kind));
    ret = 0;
    goto report;

rollback_failed:
    intake_store_import_mode(r.db, false);
    store_write_end(env->store, false);
    writing = false;
failed:
    out->failed = true;
    copy_cut(out->error, sizeof out->error, r.fail_msg);
    if (late_hash && !sha[0])
        finish_hash(&r, sha, &bytes, NULL); /* for the record; without it if it fails */
    ret = record_failed(&r, sha, (int64_t)bytes, r.fail_msg);
    if (ret) {
        err_set(e, ret, NULL, "cannot record the failed import");
        goto done;
    }
    out->batch_id = r.batch_id;
    goto report;

db_failed:
    if (writing) {
        intake_store_import_mode(r.db, false);
        store_write_end(env->store, false);
        writing = false;
    }
db_failed_after_end:
    out->failed = true;
    if (late_hash && !sha[0])
        finish_hash(&r, sha, &bytes, NULL);
    snprintf(out->error, sizeof out->error, "%s",
             _("De database gaf een fout; er is niets ingelezen."));
    if (record_failed(&r, sha, (int64_t)bytes, out->error) == 0)
        out->batch_id = r.batch_id;
    /* Constraint failures, busy and I/O errors of the database all mean: nothing changed. */
    ret = ret == ERR_NOMEM ? ret : ERR_DB;
    err_set(e, ret, NULL, "%s", out->error);
    goto report;

rollback:
    if (writing) {
        store_write_end(env->store, false);
        writing = false;
    }
    goto done;

report:
    out->file_bytes = bytes;
    copy_cut(out->file_sha256, sizeof out->file_sha256, sha);
    out->seconds = secs_since(&r.t0);
    progress(&r, true);
    {
        char id[24], rd[24], ac[24], rj[24], sk[24], tr[24], sec[320];
        snprintf(id, sizeof id, "%" PRId64, out->batch_id);
        snprintf(rd, sizeof rd, "%" PRIu64, out->read);
        snprintf(ac, sizeof ac, "%" PRIu64, out->accepted);
        snprintf(rj, sizeof rj, "%" PRIu64, out->rejected);
        snprintf(sk, sizeof sk, "%" PRIu64, out->skipped);
        snprintf(tr, sizeof tr, "%" PRIu64, out->trajectories);
        snprintf(sec, sizeof sec, "%.3f", out->seconds);
        char th[24], trb[24], tc[24], cm[24], cr[24], tw[24];
        snprintf(tw, sizeof tw, "%lld", (long long)(r.t_wait * 1000));
        snprintf(cm, sizeof cm, "%lld", (long long)(thread_cpu() * 1000));
        snprintf(cr, sizeof cr, "%lld", (long long)(r.cpu_reader * 1000));
        snprintf(th, sizeof th, "%lld", (long long)(r.t_handle * 1000));
        snprintf(trb, sizeof trb, "%lld", (long long)(r.t_rebuild * 1000));
        snprintf(tc, sizeof tc, "%lld", (long long)(r.t_commit * 1000));
        log_debug("import.timing", "batch", id, "records_ms", th, "rebuild_ms", trb, "commit_ms",
                  tc, "cpu_ms", cm, "reader_cpu_ms", cr, "wait_ms", tw, NULL);
        log_info("import.done", "batch", id, "kind", import_kind_code(r.kind), "via",
                 via_code(req->via), "status",
                 out->duplicate ? "duplicate"
                 : out->failed  ? "failed"
                                : "ok",
                 "read", rd, "accepted", ac, "rejected", rj, "skipped", sk, "trajectories", tr,
                 "seconds", sec, NULL);
    }
done:
    if (writing)
        store_write_end(env->store, false);
    run_free(&r);
    return ret;
}
