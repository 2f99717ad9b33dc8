/*
 * msg_check.c: test tool around ingest/message.h. For each file it prints what msg_read made
 * of it, in a form the differential check against xmllint (tests/diff/xsd_xmllint.sh) reads:
 *
 *   file: outcome=<accepted|skipped|invalid|unsupported> name=<JW307> products=<n>
 *   issue <line>:<element>:<reason>          (one per finding)
 *
 * With --dump the extracted fields follow. With --bench N [--threads T] it reads all files N
 * times (per thread) and prints messages per second (validation and extraction included).
 */
#include "core/arena.h"
#include "core/common.h"
#include "ingest/message.h"
#include <pthread.h>
#include <time.h>

#define MAX_FILES 4096

struct input {
    const char *path;
    char *data;
    size_t len;
};

static struct input inputs[MAX_FILES];
static int ninputs;
static const struct msg_schemas *schemas;
static long bench_rounds;

static const char *outcome_name(enum msg_outcome o)
{
    switch (o) {
    case MSG_ACCEPTED:
        return "accepted";
    case MSG_SKIPPED:
        return "skipped";
    case MSG_INVALID:
        return "invalid";
    case MSG_UNSUPPORTED:
        return "unsupported";
    }
    return "?";
}

static int load(const char *path, struct input *in)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            if (cap > (64u << 20))
                break;
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    in->path = path;
    in->data = buf;
    in->len = len;
    return 0;
}

static void print_date(const char *label, day_t d)
{
    char iso[11] = "-";
    if (d != DAY_NONE)
        day_format_iso(d, iso);
    printf(" %s=%s", label, iso);
}

static void dump(const struct msg *m)
{
    printf("  law=%d kind=%d release=%s code=%d sender=%s receiver=%s ident=%s", (int)m->law,
           (int)m->kind, m->release, m->bericht_code, m->sender, m->receiver, m->ident);
    print_date("dagtekening", m->dagtekening);
    printf(" gemeente=%s agb=%s\n  client bsn=%s gender=%c postcode4=%s", m->gemeente, m->agb,
           m->client.bsn, m->client.gender ? m->client.gender : '-', m->client.postcode4);
    print_date("birth", m->client.birth_date);
    printf("\n");
    for (int i = 0; i < m->nproducts; i++) {
        const struct msg_product *p = &m->products[i];
        printf("  product line=%u nr=%" PRId64 " cat=%s code=%s ref=%s", p->line, p->assignment_nr,
               p->category, p->product_code, p->reference);
        print_date("assigned", p->date_assigned);
        print_date("from", p->valid_from);
        print_date("to", p->valid_to);
        print_date("start", p->start);
        print_date("end", p->end);
        printf(" change=%s end_reason=%s status=%d referrer=%s\n", p->change_reason, p->end_reason,
               p->status, p->referrer);
    }
}

static void *bench_thread(void *arg)
{
    long *accepted = arg;
    struct arena *a = arena_new(0);
    for (long r = 0; r < bench_rounds; r++) {
        for (int i = 0; i < ninputs; i++) {
            struct arena_mark mk = arena_mark(a);
            struct msg m;
            if (msg_read(schemas, inputs[i].path, inputs[i].data, inputs[i].len, a, &m) == 0 &&
                m.outcome == MSG_ACCEPTED)
                (*accepted)++;
            arena_reset_to(a, mk);
        }
    }
    arena_free(a);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    bool want_dump = false;
    int threads = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dump") == 0) {
            want_dump = true;
        } else if (strcmp(argv[i], "--bench") == 0 && i + 1 < argc) {
            int64_t v;
            if (str_parse_i64_c(argv[++i], 1, 100000000, &v) != 0)
                return 2;
            bench_rounds = (long)v;
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            int64_t v;
            if (str_parse_i64_c(argv[++i], 1, 64, &v) != 0)
                return 2;
            threads = (int)v;
        } else if (ninputs < MAX_FILES) {
            if (load(argv[i], &inputs[ninputs]) != 0) {
                fprintf(stderr, "msg_check: cannot read %s\n", argv[i]);
                return 2;
            }
            ninputs++;
        }
    }
    if (ninputs == 0) {
        fprintf(stderr, "usage: msg_check [--dump] [--bench N [--threads T]] message.xml...\n");
        return 2;
    }
    struct err_ctx e = {0};
    struct msg_schemas *s;
    double t0 = now();
    if (msg_schemas_load(&s, &e) != 0) {
        fprintf(stderr, "msg_check: %s\n", e.msg);
        return 2;
    }
    schemas = s;
    double t_load = now() - t0;

    if (bench_rounds > 0) {
        pthread_t tid[64];
        long accepted[64] = {0};
        t0 = now();
        for (int t = 0; t < threads; t++)
            pthread_create(&tid[t], NULL, bench_thread, &accepted[t]);
        long total_acc = 0;
        for (int t = 0; t < threads; t++) {
            pthread_join(tid[t], NULL);
            total_acc += accepted[t];
        }
        double dt = now() - t0;
        double total = (double)bench_rounds * ninputs * threads;
        printf("schemas loaded in %.3f s; %d thread(s) read %.0f messages (%ld accepted) in "
               "%.3f s: %.0f messages/s\n",
               t_load, threads, total, total_acc, dt, total / dt);
    } else {
        struct arena *a = arena_new(0);
        for (int i = 0; i < ninputs; i++) {
            struct msg m;
            int rc = msg_read(s, inputs[i].path, inputs[i].data, inputs[i].len, a, &m);
            printf("%s: outcome=%s name=%s products=%d rc=%d\n", inputs[i].path,
                   outcome_name(m.outcome), m.name[0] ? m.name : "-", m.nproducts, rc);
            for (int k = 0; k < m.nissues; k++)
                printf("issue %u:%s:%s\n", m.issues[k].line, m.issues[k].element,
                       m.issues[k].reason);
            if (want_dump && m.outcome == MSG_ACCEPTED)
                dump(&m);
        }
        arena_free(a);
    }
    for (int i = 0; i < ninputs; i++)
        free(inputs[i].data);
    msg_schemas_free(s);
    return 0;
}
