/*
 * test_trajectory.c: facts to trajectories (domain/trajectory.c), scenario by scenario from the
 * record rules in trajectory.h, domain.md §1.4 and §2.7: the real JW/WMO 301-305-307 sample
 * messages, temporary stops and restarts, StatusAanlevering corrections and deletions, missing
 * assignments and starts, merging per category, RedenWijziging 13, referrers from 315,
 * registration records with informants, age bands and ages across leap days. Every scenario
 * is also built from shuffled copies of its facts, which must give the same result.
 */
#include "domain/trajectory.h"
#include "core/arena.h"
#include "core/common.h"
#include "domain/codelist.h"
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#define SAMPLES TEST_SHARED_DIR "/external/istandaarden/"

static struct arena *A;
static int64_t next_seq;

static int setup(void **state)
{
    (void)state;
    A = arena_new(64u << 20);
    next_seq = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    A = NULL;
    return 0;
}

static day_t D(const char *iso)
{
    day_t d = DAY_NONE;
    if (str_parse_date_iso(str_from(iso), &d))
        fail_msg("bad date %s", iso);
    return d;
}

/* ---- Fact builders. ------------------------------------------------------------------- */

static struct traj_fact base(enum fact_kind kind, const char *msgdate)
{
    struct traj_fact f;
    memset(&f, 0, sizeof f);
    f.batch_id = 1;
    f.seq = ++next_seq;
    f.kind = kind;
    snprintf(f.release, sizeof f.release, "%s", kind == FACT_REGISTRATION ? "v7" : "3.2");
    f.message_date = msgdate ? D(msgdate) : DAY_NONE;
    snprintf(f.gemeente, sizeof f.gemeente, "0363");
    f.age = -1;
    f.gender = '2';
    f.assignment_nr = -1;
    f.date_assigned = f.valid_from = f.valid_to = f.start = f.end = DAY_NONE;
    f.goal_realisation = -1;
    return f;
}

static void set(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}
#define SET(dst, s) set((dst), sizeof(dst), (s))

static struct traj_fact asg(int64_t nr, const char *cat, const char *code, const char *ref,
                            const char *from, const char *to, const char *reason,
                            const char *msgdate)
{
    struct traj_fact f = base(FACT_ASSIGNMENT, msgdate);
    f.assignment_nr = nr;
    SET(f.category, cat);
    SET(f.product_code, code);
    SET(f.reference, ref);
    f.date_assigned = D(msgdate);
    f.valid_from = D(from);
    f.valid_to = to ? D(to) : DAY_NONE;
    SET(f.change_reason, reason);
    return f;
}

static struct traj_fact start(int64_t nr, const char *cat, const char *code, const char *begin,
                              int status, const char *msgdate)
{
    struct traj_fact f = base(FACT_START, msgdate);
    f.assignment_nr = nr;
    SET(f.category, cat);
    SET(f.product_code, code);
    f.start = D(begin);
    f.status = status;
    return f;
}

static struct traj_fact stop(int64_t nr, const char *cat, const char *code, const char *begin,
                             const char *end, const char *reason, int status, const char *msgdate)
{
    struct traj_fact f = start(nr, cat, code, begin, status, msgdate);
    f.kind = FACT_STOP;
    f.end = D(end);
    SET(f.end_reason, reason);
    return f;
}

static struct traj_fact req(const char *ref, const char *cat, const char *referrer,
                            const char *msgdate)
{
    struct traj_fact f = base(FACT_REQUEST, msgdate);
    SET(f.reference, ref);
    SET(f.category, cat);
    SET(f.referrer, referrer);
    return f;
}

static struct traj_fact reg(const char *hulpvorm, const char *begin, const char *end,
                            const char *cbs, const char *informant, int64_t batch, int satisfaction,
                            const char *zhv, int goal)
{
    struct traj_fact f = base(FACT_REGISTRATION, "2024-12-31");
    f.batch_id = batch;
    SET(f.hulpvorm, hulpvorm);
    f.start = D(begin);
    f.end = end ? D(end) : DAY_NONE;
    SET(f.cbs_reason, cbs);
    SET(f.informant, informant);
    f.satisfaction = satisfaction;
    SET(f.zonder_hulp, zhv);
    f.goal_realisation = goal;
    SET(f.referrer, "01");
    return f;
}

/* ---- Building, and the same result from every order. ----------------------------------- */

static void expect_same(const struct trajectory *a, const struct trajectory *b, size_t i)
{
    if (a->law != b->law || strcmp(a->category, b->category) || strcmp(a->hulpvorm, b->hulpvorm) ||
        strcmp(a->product_code, b->product_code) || a->start != b->start || a->end != b->end ||
        strcmp(a->end_reason, b->end_reason) || strcmp(a->end_reason_list, b->end_reason_list) ||
        strcmp(a->release, b->release) || strcmp(a->cbs_reason, b->cbs_reason) ||
        strcmp(a->referrer, b->referrer) || a->age_at_start != b->age_at_start ||
        a->gender != b->gender || strcmp(a->postcode4, b->postcode4) ||
        strcmp(a->gemeente, b->gemeente) || a->flags != b->flags || a->batch_id != b->batch_id ||
        a->nlines != b->nlines || a->nmeasurements != b->nmeasurements)
        fail_msg("trajectory %zu differs after shuffling (start %d/%d end %d/%d reason %s/%s)", i,
                 a->start, b->start, a->end, b->end, a->end_reason, b->end_reason);
    for (int m = 0; m < a->nmeasurements; m++)
        assert_memory_equal(&a->measurements[m], &b->measurements[m], sizeof a->measurements[m]);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Builds the trajectories of facts[0..n), then of 30 shuffles of them: all must agree. */
static size_t build_law(enum law law, const struct traj_fact *facts, size_t n,
                        struct trajectory **out)
{
    size_t nt = 99;
    assert_int_equal(trajectory_build(law, facts, n, false, A, out, &nt), 0);
    struct traj_fact *copy = arena_alloc(A, (n ? n : 1) * sizeof *copy);
    assert_non_null(copy);
    for (int round = 0; round < 30; round++) {
        memcpy(copy, facts, n * sizeof *copy);
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)(next_rand() % i);
            struct traj_fact tmp = copy[i - 1];
            copy[i - 1] = copy[j];
            copy[j] = tmp;
        }
        struct trajectory *t2 = NULL;
        size_t nt2 = 99;
        assert_int_equal(trajectory_build(law, copy, n, false, A, &t2, &nt2), 0);
        assert_int_equal(nt2, nt);
        for (size_t i = 0; i < nt; i++)
            expect_same(&(*out)[i], &t2[i], i);
    }
    return nt;
}

static size_t build(const struct traj_fact *facts, size_t n, struct trajectory **out)
{
    return build_law(LAW_JW, facts, n, out);
}

/* ---- The real sample messages. --------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = malloc(1u << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1u << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The text of every opening element <prefix:tag> in document order (a test-side reading of
 * the samples; the real reader is ingest/message.c, a higher layer). */
static int xml_vals(const char *xml, const char *tag, char vals[][40], int max)
{
    char needle[64];
    int n = 0;
    snprintf(needle, sizeof needle, ":%s>", tag);
    for (const char *p = strstr(xml, needle); p; p = strstr(p + 1, needle)) {
        const char *lt = p;
        while (lt > xml && *lt != '<')
            lt--;
        if (lt[1] == '/')
            continue;
        const char *v = p + strlen(needle), *e = strchr(v, '<');
        assert_non_null(e);
        assert_true(n < max && e - v < 40);
        memcpy(vals[n], v, (size_t)(e - v));
        vals[n++][e - v] = '\0';
    }
    return n;
}

/* Turns the product lines of a sample 301/305/307 into facts like the intake would. */
static size_t sample_facts(const char *path, enum fact_kind kind, struct traj_fact *out)
{
    char *xml = slurp(path);
    char dag[4][40], birth[8][40], sex[8][40], nr[8][40], cat[8][40], code[8][40], ref[8][40],
        from[8][40], to[8][40], begin[8][40], reason[8][40], end[8][40], status[8][40];
    assert_int_equal(xml_vals(xml, "Dagtekening", dag, 4), 1);
    assert_true(xml_vals(xml, "Datum", birth, 8) >= 1); /* the client's Geboortedatum first */
    assert_true(xml_vals(xml, "Geslacht", sex, 8) >= 1);
    int np = xml_vals(xml, "ToewijzingNummer", nr, 8);
    assert_int_equal(xml_vals(xml, "Categorie", cat, 8), np);
    assert_int_equal(xml_vals(xml, "Code", code, 8), np);
    if (kind == FACT_ASSIGNMENT) {
        assert_int_equal(xml_vals(xml, "ReferentieAanbieder", ref, 8), np);
        assert_int_equal(xml_vals(xml, "Ingangsdatum", from, 8), np);
        assert_int_equal(xml_vals(xml, "Einddatum", to, 8), np);
    } else {
        assert_int_equal(xml_vals(xml, "Begindatum", begin, 8), np);
        assert_int_equal(xml_vals(xml, "StatusAanlevering", status, 8), np);
    }
    if (kind == FACT_STOP) {
        assert_int_equal(xml_vals(xml, "RedenBeeindiging", reason, 8), np);
        assert_int_equal(xml_vals(xml, "Einddatum", end, 8), np);
    }
    for (int i = 0; i < np; i++) {
        int64_t n64 = 0;
        assert_int_equal(str_parse_i64_c(nr[i], 1, INT64_MAX, &n64), 0);
        struct traj_fact f;
        if (kind == FACT_ASSIGNMENT) {
            f = asg(n64, cat[i], code[i], ref[i], from[i], to[i], "", dag[0]);
            f.age = age_on(D(birth[0]), f.valid_from);
        } else if (kind == FACT_START) {
            f = start(n64, cat[i], code[i], begin[i], status[i][0] - '0', dag[0]);
        } else {
            f = stop(n64, cat[i], code[i], begin[i], end[i], reason[i], status[i][0] - '0', dag[0]);
        }
        if (kind != FACT_ASSIGNMENT)
            f.age = age_on(D(birth[0]), f.start);
        f.gender = sex[0][0];
        out[i] = f;
    }
    free(xml);
    return (size_t)np;
}

static void test_sample_chain_jw(void **state)
{
    (void)state;
    struct traj_fact f[16];
    size_t n = 0;
    n += sample_facts(SAMPLES "ijw-3.2/berichten/JW301.xml", FACT_ASSIGNMENT, f + n);
    n += sample_facts(SAMPLES "ijw-3.2/berichten/JW305.xml", FACT_START, f + n);
    n += sample_facts(SAMPLES "ijw-3.2/berichten/JW307.xml", FACT_STOP, f + n);
    assert_int_equal(n, 6); /* two products in each message */
    struct trajectory *t;
    /* JZ588 31 "volgens plan" -> CBS 01; both products are category 55: one trajectory. */
    assert_int_equal(build(f, n, &t), 1);
    assert_int_equal(t->law, LAW_JW);
    assert_string_equal(t->category, "55");
    assert_string_equal(t->product_code, "55A11");
    assert_string_equal(t->hulpvorm, ""); /* landelijk ingekochte zorg: no hulpvorm */
    assert_int_equal(t->start, D("2026-04-03"));
    assert_int_equal(t->end, D("2026-07-17"));
    assert_string_equal(t->end_reason, "31");
    assert_string_equal(t->end_reason_list, "JZ588");
    assert_string_equal(t->cbs_reason, "01");
    assert_string_equal(t->release, "3.2");
    assert_int_equal(t->nlines, 2);
    assert_int_equal(t->flags, 0);
    assert_int_equal(t->age_at_start, 16); /* born 2010-02-14 */
    assert_int_equal(t->gender, '1');
    assert_string_equal(t->gemeente, "0363");
    assert_string_equal(t->referrer, "");

    /* Without the 301 the same lines are accepted, flagged. */
    assert_int_equal(build(f + 2, 4, &t), 1);
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT);
    assert_string_equal(t->cbs_reason, "01");

    /* The test BSN of the samples marks every result. */
    size_t nt = 0;
    assert_int_equal(trajectory_build(LAW_JW, f, n, true, A, &t, &nt), 0);
    assert_int_equal(nt, 1);
    assert_int_equal(t->flags, TRAJ_TEST_PERSON);
}

static void test_sample_chain_wmo(void **state)
{
    (void)state;
    struct traj_fact f[16];
    size_t n = 0;
    n += sample_facts(SAMPLES "iwmo-3.2/berichten/WMO305.xml", FACT_START, f + n);
    n += sample_facts(SAMPLES "iwmo-3.2/berichten/WMO307.xml", FACT_STOP, f + n);
    assert_int_equal(n, 4);
    /* The samples have no 301 for these numbers; add them as the gemeente would have sent. */
    f[n++] = asg(300201, "01", "01A11", "R1", "2025-04-01", NULL, "", "2025-03-28");
    f[n++] = asg(300202, "01", "01A12", "R2", "2025-04-01", NULL, "", "2025-03-28");
    struct trajectory *t;
    /* WMO588 31 is "verhuizing naar een andere gemeente": CBS 05, not 01. The second stop's
     * Begindatum (04-15) differs from its start (04-04), as in the sample: still one line. */
    assert_int_equal(build_law(LAW_WMO, f, n, &t), 1);
    assert_int_equal(t->law, LAW_WMO);
    assert_string_equal(t->category, "01");
    assert_int_equal(t->start, D("2025-04-03"));
    assert_int_equal(t->end, D("2025-07-18"));
    assert_string_equal(t->end_reason, "31");
    assert_string_equal(t->end_reason_list, "WMO588");
    assert_string_equal(t->cbs_reason, "05");
    assert_string_equal(t->hulpvorm, "");
    assert_int_equal(t->nlines, 2);
    assert_int_equal(t->flags, 0);
    assert_int_equal(t->age_at_start, 57); /* born 1967-08-13 */

    /* WMO588 19 "volgens plan" -> 01. */
    for (size_t i = 0; i < n; i++)
        if (f[i].kind == FACT_STOP)
            SET(f[i].end_reason, "19");
    assert_int_equal(build_law(LAW_WMO, f, n, &t), 1);
    assert_string_equal(t->end_reason, "19");
    assert_string_equal(t->cbs_reason, "01");
    /* The same code under the Jeugdwet list would not exist in JZ588: no CBS reason. */
    assert_int_equal(build_law(LAW_JW, f, n, &t), 1);
    assert_string_equal(t->cbs_reason, "");
}

/* ---- Temporary stops. ------------------------------------------------------------------- */

static void test_temporary_stop_restart_final(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(1, "45", "45A01", "", "2024-01-01", "2024-12-31", "", "2023-12-20"),
        start(1, "45", "45A01", "2024-01-08", 1, "2024-01-10"),
        stop(1, "45", "45A01", "2024-01-08", "2024-03-01", "20", 1, "2024-03-02"),
        start(1, "45", "45A01", "2024-04-02", 1, "2024-04-03"), /* restart */
        stop(1, "45", "45A01", "2024-04-02", "2024-06-28", "32", 1, "2024-07-01"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->start, D("2024-01-08"));
    assert_int_equal(t->end, D("2024-06-28"));
    assert_string_equal(t->end_reason, "32");
    assert_string_equal(t->cbs_reason, "03"); /* uitval */
    assert_string_equal(t->hulpvorm, "02");   /* 45 ambulant */
    assert_int_equal(t->flags, 0);
    assert_int_equal(t->nlines, 1); /* the restart continues the line */

    /* Up to the restart: open again, no longer temporarily stopped. */
    assert_int_equal(build(f, 4, &t), 1);
    assert_int_equal(t->end, DAY_NONE);
    assert_int_equal(t->flags, 0);
    assert_string_equal(t->cbs_reason, "");

    /* The same without assignment numbers (taakgericht): two lines, merged the same way. */
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        f[i].assignment_nr = -1;
    assert_int_equal(build(f + 1, 4, &t), 1);
    assert_int_equal(t->start, D("2024-01-08"));
    assert_int_equal(t->end, D("2024-06-28"));
    assert_string_equal(t->cbs_reason, "03");
    assert_int_equal(t->flags, 0);
    assert_int_equal(t->nlines, 2);
}

static void test_temporary_stop_open(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(1, "45", "45A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(1, "45", "45A01", "2024-01-08", 1, "2024-01-10"),
        stop(1, "45", "45A01", "2024-01-08", "2024-03-01", "20", 1, "2024-03-02"),
        /* The final stop refers to the original start (procesbeschrijving §4.5). */
        stop(1, "45", "45A01", "2024-01-08", "2024-04-15", "31", 1, "2024-04-16"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, 3, &t), 1);
    assert_int_equal(t->end, DAY_NONE);
    assert_int_equal(t->flags, TRAJ_TEMP_STOPPED);
    assert_string_equal(t->end_reason, "");
    assert_string_equal(t->cbs_reason, "");
    assert_int_equal(t->nlines, 1);

    assert_int_equal(build(f, 4, &t), 1);
    assert_int_equal(t->end, D("2024-04-15"));
    assert_string_equal(t->end_reason, "31");
    assert_string_equal(t->cbs_reason, "01");
    assert_int_equal(t->flags, 0);

    /* Wmo: 20 is the temporary stop there too. */
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        SET(f[i].category, "02");
    assert_int_equal(build_law(LAW_WMO, f, 3, &t), 1);
    assert_int_equal(t->flags, TRAJ_TEMP_STOPPED);
    assert_int_equal(t->end, DAY_NONE);

    /* A temporarily stopped line next to a running one of the same category: open, but the
     * trajectory as a whole is not temporarily stopped. */
    struct traj_fact g[] = {
        f[0],
        f[1],
        f[2],
        start(2, "02", "02A02", "2024-02-01", 1, "2024-02-02"),
    };
    assert_int_equal(build_law(LAW_WMO, g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->end, DAY_NONE);
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT); /* assignment 2 was never sent */
    assert_int_equal(t->nlines, 2);
}

/* ---- StatusAanlevering. ----------------------------------------------------------------- */

static void test_correction_replaces(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(7, "45", "45B01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(7, "45", "45B01", "2024-01-08", 1, "2024-01-10"),
        stop(7, "45", "45B01", "2024-01-08", "2024-03-01", "31", 1, "2024-03-02"),
        stop(7, "45", "45B01", "2024-01-08", "2024-05-31", "34", 2, "2024-06-01"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->end, D("2024-05-31"));
    assert_string_equal(t->end_reason, "34");
    assert_string_equal(t->cbs_reason, "02");
    assert_int_equal(t->nlines, 1);

    /* The latest message wins by Dagtekening, not by batch: a correction dated later but
     * imported in an earlier batch still replaces. */
    f[2].batch_id = 5;
    f[3].batch_id = 2;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->end, D("2024-05-31"));
    assert_int_equal(t->batch_id, 5); /* the newest batch that contributed */
    /* Same Dagtekening: the later batch wins. */
    f[3].message_date = f[2].message_date;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->end, D("2024-03-01"));
    assert_string_equal(t->cbs_reason, "01");

    /* A correction of the start to another Begindatum replaces the earlier start. */
    struct traj_fact g[] = {
        start(8, "45", "45B01", "2024-01-08", 1, "2024-01-10"),
        start(8, "45", "45B01", "2024-01-15", 2, "2024-01-20"),
    };
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->start, D("2024-01-15"));
    assert_int_equal(t->nlines, 1);
}

static void test_deletion(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(3, "41", "41A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(3, "41", "41A01", "2024-01-08", 1, "2024-01-10"),
        stop(3, "41", "41A01", "2024-01-08", "2024-03-01", "33", 1, "2024-03-02"),
        stop(3, "41", "41A01", "2024-01-08", "2024-03-01", "33", 3, "2024-03-05"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, 3, &t), 1);
    assert_string_equal(t->cbs_reason, "04");
    /* Deleting the stop opens the trajectory again. */
    assert_int_equal(build(f, 4, &t), 1);
    assert_int_equal(t->end, DAY_NONE);
    assert_string_equal(t->end_reason, "");
    assert_string_equal(t->cbs_reason, "");
    assert_string_equal(t->hulpvorm, "03"); /* 41 dagbehandeling: daghulp */

    /* Deleting the start removes the line. */
    struct traj_fact g[] = {
        f[0],
        f[1],
        start(3, "41", "41A01", "2024-01-08", 3, "2024-01-12"),
    };
    size_t nt = build(g, ARRAY_LEN(g), &t);
    assert_int_equal(nt, 0);
    assert_null(t);
    /* ... and with the stop still there, what is left is a stop without a start. */
    struct traj_fact h[] = {f[0], f[1], f[2], g[2]};
    assert_int_equal(build(h, ARRAY_LEN(h), &t), 1);
    assert_int_equal(t->flags, TRAJ_STOP_WITHOUT_START);
    assert_int_equal(t->start, D("2024-01-08"));
    assert_int_equal(t->end, D("2024-03-01"));

    /* IV008: delete and send again in one message. The new delivery comes first in the
     * message; the deletion names the old Begindatum and must not remove the new one. */
    struct traj_fact k[] = {
        start(4, "41", "41A01", "2024-01-08", 1, "2024-01-10"),
        start(4, "41", "41A01", "2024-01-15", 1, "2024-01-20"),
        start(4, "41", "41A01", "2024-01-08", 3, "2024-01-20"),
    };
    assert_int_equal(build(k, ARRAY_LEN(k), &t), 1);
    assert_int_equal(t->start, D("2024-01-15"));
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT);

    /* A deletion for a line never delivered changes nothing (and does not crash). */
    struct traj_fact m[] = {
        stop(9, "41", "41A01", "2024-01-08", "2024-03-01", "33", 3, "2024-03-05")};
    assert_int_equal(build(m, ARRAY_LEN(m), &t), 0);
}

/* ---- Missing assignments and starts. ---------------------------------------------------- */

static void test_no_assignment_and_no_start(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(10, "45", "45A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(777, "45", "45A01", "2024-01-08", 1, "2024-01-10"), /* unknown number */
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT);
    assert_int_equal(t->end, DAY_NONE);

    /* Taakgericht: no number at all is not "unknown assignment". */
    f[1].assignment_nr = -1;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->flags, 0);

    /* A stop without a start uses its own Begindatum. */
    struct traj_fact g[] = {
        asg(5, "45", "45A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        stop(5, "45", "45A01", "2024-02-01", "2024-03-31", "33", 1, "2024-04-01"),
    };
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->start, D("2024-02-01"));
    assert_int_equal(t->end, D("2024-03-31"));
    assert_int_equal(t->flags, TRAJ_STOP_WITHOUT_START);
    assert_string_equal(t->cbs_reason, "04");

    /* A generic start (no product) takes the category of its assignment. */
    struct traj_fact h[] = {
        asg(6, "43", "43A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(6, "", "", "2024-01-08", 1, "2024-01-10"),
    };
    assert_int_equal(build(h, ARRAY_LEN(h), &t), 1);
    assert_string_equal(t->category, "43");
    assert_string_equal(t->product_code, "43A01");
    assert_string_equal(t->hulpvorm, "14");

    /* An assignment alone is not (yet) a trajectory. */
    assert_int_equal(build(h, 1, &t), 0);
}

static void test_deleted_assignment(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(11, "45", "45A01", "R11", "2024-01-01", "2024-12-31", "", "2023-12-20"),
        asg(11, "45", "45A01", "R11", "2024-01-01", "2024-01-01", "13", "2023-12-22"),
        req("R11", "41", "02", "2023-12-01"),
        start(11, "45", "45A01", "2024-01-08", 1, "2024-01-10"),
    };
    struct trajectory *t;
    /* RedenWijziging 13: as if never sent. No trajectory from the assignments alone ... */
    assert_int_equal(build(f, 3, &t), 0);
    /* ... the start is kept but flagged, and the request is not linked through it. */
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT);
    assert_string_equal(t->referrer, "");
    /* Without the deletion the referrer comes through the ReferentieAanbieder. */
    struct traj_fact g[] = {f[0], f[2], f[3]};
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->flags, 0);
    assert_string_equal(t->referrer, "02");
}

/* ---- Merging per category. -------------------------------------------------------------- */

static void test_overlap_merges(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(1, "45", "45A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        asg(2, "45", "45A02", "", "2024-03-01", NULL, "", "2024-02-20"),
        start(1, "45", "45A01", "2024-01-01", 1, "2024-01-03"),
        start(2, "45", "45A02", "2024-03-01", 1, "2024-03-03"),
        stop(1, "45", "45A01", "2024-01-01", "2024-06-30", "31", 1, "2024-07-01"),
        stop(2, "45", "45A02", "2024-03-01", "2024-05-31", "32", 1, "2024-06-01"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->start, D("2024-01-01"));
    assert_int_equal(t->end, D("2024-06-30"));
    assert_string_equal(t->end_reason, "31"); /* the line that ended last */
    assert_string_equal(t->cbs_reason, "01");
    assert_string_equal(t->product_code, "45A01");
    assert_int_equal(t->nlines, 2);

    f[5].end = D("2024-08-31");
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->end, D("2024-08-31"));
    assert_string_equal(t->end_reason, "32");
    assert_string_equal(t->cbs_reason, "03");

    /* Both end on the same day: the later-started line gives the reason. */
    f[5].end = D("2024-06-30");
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->end, D("2024-06-30"));
    assert_string_equal(t->end_reason, "32");

    /* One of them still open: the trajectory is open. */
    assert_int_equal(build(f, 5, &t), 1);
    assert_int_equal(t->end, DAY_NONE);
    assert_string_equal(t->cbs_reason, "");
}

static void test_touching_and_gap(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        start(1, "45", "45A01", "2024-01-01", 1, "2024-01-03"),
        stop(1, "45", "45A01", "2024-01-01", "2024-03-31", "34", 1, "2024-04-01"),
        start(2, "45", "45A02", "2024-04-01", 1, "2024-04-03"), /* end + 1 day */
        stop(2, "45", "45A02", "2024-04-01", "2024-06-30", "31", 1, "2024-07-01"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->start, D("2024-01-01"));
    assert_int_equal(t->end, D("2024-06-30"));
    assert_string_equal(t->cbs_reason, "01");
    assert_int_equal(t->nlines, 2);

    /* A gap of one whole day (start = end + 2): two trajectories. */
    f[2].start = f[3].start = D("2024-04-02");
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 2);
    assert_int_equal(t[0].end, D("2024-03-31"));
    assert_string_equal(t[0].cbs_reason, "02");
    assert_int_equal(t[1].start, D("2024-04-02"));
    assert_string_equal(t[1].cbs_reason, "01");
    assert_int_equal(t[0].nlines, 1);
    assert_int_equal(t[1].nlines, 1);
}

static void test_category_change(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        start(1, "45", "45A01", "2024-01-01", 1, "2024-01-03"),
        stop(1, "45", "45A01", "2024-01-01", "2024-03-31", "34", 1, "2024-04-01"),
        start(2, "43", "43A01", "2024-04-01", 1, "2024-04-03"),
        start(3, "41", "41A01", "2024-01-01", 1, "2024-01-03"),
    };
    struct trajectory *t;
    /* Sorted by start, then category. */
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 3);
    assert_string_equal(t[0].category, "41");
    assert_string_equal(t[0].hulpvorm, "03");
    assert_string_equal(t[1].category, "45");
    assert_string_equal(t[1].hulpvorm, "02");
    assert_int_equal(t[1].end, D("2024-03-31"));
    assert_string_equal(t[2].category, "43");
    assert_string_equal(t[2].hulpvorm, "14");
    assert_int_equal(t[2].start, D("2024-04-01"));
    assert_int_equal(t[2].end, DAY_NONE);
}

/* ---- Referrer, age and person fields. --------------------------------------------------- */

static void test_referrer(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        req("R1", "45", "02", "2023-12-01"),
        req("R2", "45", "06", "2023-12-15"), /* later, but not this assignment's request */
        req("R3", "45", "08", "2024-02-01"), /* after the start */
        req("R4", "43", "04", "2023-12-20"), /* other category */
        asg(1, "45", "45A01", "R1", "2024-01-01", NULL, "", "2023-12-20"),
        start(1, "45", "45A01", "2024-01-08", 1, "2024-01-10"),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_string_equal(t->referrer, "02");
    /* Without a matching reference: the latest request of the category before the start. */
    SET(f[4].reference, "");
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_string_equal(t->referrer, "06");
    SET(f[4].reference, "R9");
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_string_equal(t->referrer, "06");
    /* A request dated on the start day itself counts ("on or before"). */
    struct traj_fact same_day[] = {f[0], req("R5", "45", "05", "2024-01-08"), f[4], f[5]};
    assert_int_equal(build(same_day, ARRAY_LEN(same_day), &t), 1);
    assert_string_equal(t->referrer, "05");
    /* Only a request after the start: no referrer. */
    assert_int_equal(build(f + 2, 4, &t), 1);
    assert_string_equal(t->referrer, "");
}

static void test_age_and_person(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        asg(1, "45", "45A01", "", "2024-01-01", NULL, "", "2023-12-20"),
        start(1, "45", "45A01", "2024-01-08", 1, "2024-01-10"),
        stop(1, "45", "45A01", "2024-01-08", "2025-02-01", "31", 1, "2025-02-02"),
    };
    f[0].age = 11; /* at its Ingangsdatum 2024-01-01 */
    f[1].age = 12; /* the fact at the start */
    f[2].age = 13; /* at its Begindatum (inconsistent on purpose: the start fact wins) */
    SET(f[0].gemeente, "0370"); /* Beemster, later Purmerend */
    SET(f[1].gemeente, "0370");
    SET(f[2].gemeente, "0439");
    SET(f[2].postcode4, "1441");
    f[2].gender = '1';
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->age_at_start, 12);
    assert_string_equal(t->gemeente, "0439"); /* from the newest fact */
    assert_string_equal(t->postcode4, "1441");
    assert_int_equal(t->gender, '1');
    /* Unknown at the start: the age of the fact whose own date is nearest to the start. */
    f[1].age = -1;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->age_at_start, 13); /* the stop: Begindatum = the start */
    f[2].age = -1;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->age_at_start, 11);
    f[0].age = -1;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->age_at_start, -1);
    /* Equally near before and after the start: the newer message wins. */
    struct traj_fact g[] = {f[0], f[1], f[2], req("", "41", "01", "2024-01-15")};
    g[0].age = 11; /* 7 days before, message of 2023-12-20 */
    g[3].age = 12; /* 7 days after, message of 2024-01-15 */
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->age_at_start, 12);
    g[3].message_date = D("2024-01-16"); /* now 8 days after */
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 1);
    assert_int_equal(t->age_at_start, 11);
    /* Nothing in the group knows gender or postcode: absent, not invented. */
    for (size_t i = 0; i < ARRAY_LEN(f); i++) {
        f[i].gender = 0;
        f[i].postcode4[0] = '\0';
    }
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->gender, 0);
    assert_string_equal(t->postcode4, "");
}

/* ---- Registration records. -------------------------------------------------------------- */

static void test_registration_replacement(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        reg("02", "2024-01-01", "2024-06-30", "01", "01", 1, 7, "04", -1),
        reg("02", "2024-01-01", "2024-07-31", "03", "01", 2, 9, "03", 60),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->flags, TRAJ_FROM_REGISTRATION);
    assert_string_equal(t->hulpvorm, "02");
    assert_string_equal(t->category, "");
    assert_int_equal(t->start, D("2024-01-01"));
    assert_int_equal(t->end, D("2024-07-31"));
    assert_string_equal(t->cbs_reason, "03");
    assert_string_equal(t->end_reason, "03");
    assert_string_equal(t->end_reason_list, "CBS");
    assert_string_equal(t->release, "v7");
    assert_string_equal(t->referrer, "01");
    assert_int_equal(t->batch_id, 2);
    assert_int_equal(t->nlines, 1);
    assert_int_equal(t->nmeasurements, 1);
    assert_string_equal(t->measurements[0].informant, "01");
    assert_int_equal(t->measurements[0].satisfaction, 9);
    assert_string_equal(t->measurements[0].zonder_hulp, "03");
    assert_int_equal(t->measurements[0].goal_realisation, 60);

    /* Within one batch the later record wins. */
    f[1].batch_id = 1;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->measurements[0].satisfaction, f[0].seq > f[1].seq ? 7 : 9);

    /* Another hulpvorm or start date is another trajectory. */
    struct traj_fact g[] = {
        f[0],
        reg("11", "2024-01-01", NULL, "", "01", 1, 0, "", -1),
        reg("02", "2024-08-01", NULL, "", "01", 1, 0, "", -1),
    };
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 3);
    assert_string_equal(t[0].hulpvorm, "02");
    assert_string_equal(t[1].hulpvorm, "11");
    assert_int_equal(t[1].end, DAY_NONE);
    assert_int_equal(t[1].nmeasurements, 0); /* nothing measured */
    assert_null(t[1].measurements);
    assert_int_equal(t[2].start, D("2024-08-01"));
}

static void test_registration_informants(void **state)
{
    (void)state;
    struct traj_fact f[] = {
        /* The parent's record came in a later batch with a later end: it decides. */
        reg("12", "2023-05-01", "2024-05-31", "03", "02", 4, 6, "02", 80),
        reg("12", "2023-05-01", "2024-04-30", "02", "01", 3, 8, "04", -1),
    };
    struct trajectory *t;
    assert_int_equal(build(f, ARRAY_LEN(f), &t), 1);
    assert_int_equal(t->nlines, 2);
    assert_int_equal(t->nmeasurements, 2);
    assert_string_equal(t->measurements[0].informant, "01");
    assert_int_equal(t->measurements[0].satisfaction, 8);
    assert_string_equal(t->measurements[0].zonder_hulp, "04");
    assert_int_equal(t->measurements[0].goal_realisation, -1);
    assert_string_equal(t->measurements[1].informant, "02");
    assert_int_equal(t->measurements[1].satisfaction, 6);
    assert_int_equal(t->measurements[1].goal_realisation, 80);
    assert_string_equal(t->cbs_reason, "03");
    assert_int_equal(t->end, D("2024-05-31"));
    assert_int_equal(t->batch_id, 4);

    /* Registrations and messages of one group live side by side. */
    struct traj_fact g[] = {f[0], f[1], start(1, "45", "45A01", "2023-01-01", 1, "2023-01-02")};
    assert_int_equal(build(g, ARRAY_LEN(g), &t), 2);
    assert_string_equal(t[0].category, "45");
    assert_int_equal(t[0].flags, TRAJ_NO_ASSIGNMENT);
    assert_int_equal(t[1].flags, TRAJ_FROM_REGISTRATION);
}

/* ---- Ages. ------------------------------------------------------------------------------ */

static void test_age_bands(void **state)
{
    (void)state;
    static const struct {
        enum law law;
        int age;
        const char *band;
    } cases[] = {
        {LAW_JW, -1, "onbekend"}, {LAW_JW, 0, "0-3"},     {LAW_JW, 3, "0-3"},
        {LAW_JW, 4, "4-11"},      {LAW_JW, 11, "4-11"},   {LAW_JW, 12, "12-17"},
        {LAW_JW, 17, "12-17"},    {LAW_JW, 18, "18-22"},  {LAW_JW, 22, "18-22"},
        {LAW_JW, 23, "23+"},      {LAW_JW, 99, "23+"},    {LAW_WMO, -5, "onbekend"},
        {LAW_WMO, 0, "0-17"},     {LAW_WMO, 17, "0-17"},  {LAW_WMO, 18, "18-64"},
        {LAW_WMO, 64, "18-64"},   {LAW_WMO, 65, "65-74"}, {LAW_WMO, 74, "65-74"},
        {LAW_WMO, 75, "75-84"},   {LAW_WMO, 84, "75-84"}, {LAW_WMO, 85, "85+"},
        {LAW_WMO, 120, "85+"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (strcmp(trajectory_age_band(cases[i].law, cases[i].age), cases[i].band) != 0)
            fail_msg("law %d age %d: %s, want %s", cases[i].law, cases[i].age,
                     trajectory_age_band(cases[i].law, cases[i].age), cases[i].band);
}

static void test_age_on(void **state)
{
    (void)state;
    static const struct {
        const char *birth, *date;
        int age;
    } cases[] = {
        {"2008-02-29", "2008-02-29", 0},  {"2008-02-29", "2009-02-28", 0},
        {"2008-02-29", "2009-03-01", 1},  {"2008-02-29", "2012-02-28", 3},
        {"2008-02-29", "2012-02-29", 4},  {"2000-03-01", "2004-02-29", 3},
        {"2000-03-01", "2004-03-01", 4},  {"2010-02-14", "2026-02-13", 15},
        {"2010-02-14", "2026-02-14", 16}, {"1900-01-01", "2000-01-01", 100},
        {"1899-12-31", "1900-03-01", 0},  {"2024-12-31", "2025-01-01", 0},
        {"2006-01-01", "2023-12-31", 17}, {"2006-01-01", "2024-01-01", 18},
        {"2024-01-02", "2024-01-01", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int got = age_on(D(cases[i].birth), D(cases[i].date));
        if (got != cases[i].age)
            fail_msg("%s on %s: %d, want %d", cases[i].birth, cases[i].date, got, cases[i].age);
    }
    assert_int_equal(age_on(DAY_NONE, D("2024-01-01")), -1);
    assert_int_equal(age_on(D("2024-01-01"), DAY_NONE), -1);
}

/* ---- Hostile input and limits. ---------------------------------------------------------- */

static void test_hostile(void **state)
{
    (void)state;
    struct trajectory *t = (void *)1;
    size_t nt = 99;
    assert_int_equal(trajectory_build(LAW_JW, NULL, 0, false, A, &t, &nt), 0);
    assert_int_equal(nt, 0);
    assert_null(t);
    assert_int_equal(trajectory_build((enum law)9, NULL, 0, false, A, &t, &nt), ERR_INTERNAL);
    assert_int_equal(trajectory_build(LAW_JW, NULL, 3, false, A, &t, &nt), ERR_INTERNAL);

    /* Code fields without a terminating NUL, unknown kinds and statuses, missing dates. */
    struct traj_fact f[6];
    f[0] = start(1, "45", "45A01", "2024-01-01", 9, "2024-01-02"); /* 9: as a delivery */
    memset(f[0].category, 'X', sizeof f[0].category);
    memset(f[0].product_code, 'Y', sizeof f[0].product_code);
    memset(f[0].release, 'Z', sizeof f[0].release);
    memset(f[0].gemeente, '7', sizeof f[0].gemeente);
    f[1] = stop(1, "45", "45A01", "2024-01-01", "2024-02-01", "31", 7, "2024-02-02");
    memset(f[1].end_reason, '3', sizeof f[1].end_reason);
    f[2] = start(2, "45", "45A01", "2024-01-01", 1, NULL);
    f[2].start = DAY_NONE; /* cannot be placed in time: ignored */
    f[3] = base((enum fact_kind)123, "2024-01-01");
    f[4] = asg(3, "45", "45A01", "R", "2024-01-01", NULL, "", "2024-01-01");
    memset(f[4].reference, 'R', sizeof f[4].reference);
    memset(f[4].change_reason, '1', sizeof f[4].change_reason);
    f[5] = req("R", "45", "02", "2023-12-01");
    memset(f[5].reference, 'R', sizeof f[5].reference);
    memset(f[5].referrer, '0', sizeof f[5].referrer);
    nt = build(f, ARRAY_LEN(f), &t);
    assert_int_equal(nt, 1);
    assert_string_equal(t->category, "45"); /* the unterminated category is not used */
    assert_string_equal(t->product_code, "45A01");
    assert_int_equal(t->end, D("2024-02-01"));
    assert_string_equal(t->end_reason, ""); /* "333..." is not cut down to "33" */
    assert_string_equal(t->cbs_reason, "");
    assert_string_equal(t->release, "3.2");
    assert_string_equal(t->gemeente, "0363");
    assert_string_equal(t->referrer, ""); /* unterminated referrer */
    assert_int_equal(t->flags, TRAJ_NO_ASSIGNMENT);

    /* An unterminated release on the deciding stop: no code is looked up in it. */
    memset(f[1].release, 'Q', sizeof f[1].release);
    SET(f[1].end_reason, "20");
    nt = build(f, ARRAY_LEN(f), &t);
    assert_int_equal(nt, 1);
    assert_string_equal(t->release, "");
    assert_int_equal(t->end, D("2024-02-01")); /* 20 in an unknown release: not temporary */
    assert_string_equal(t->cbs_reason, "");
    assert_string_equal(t->hulpvorm, "");

    /* A full arena is ERR_NOMEM, not a crash. */
    struct arena *tiny = arena_new(256);
    assert_int_equal(trajectory_build(LAW_JW, f, ARRAY_LEN(f), false, tiny, &t, &nt), ERR_NOMEM);
    arena_free(tiny);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_large_groups(void **state)
{
    (void)state;
    /* 40 000 touching lines of one category, and 40 000 restarts of one assignment: both
     * must be fast (O(n log n)), and merge into a single trajectory. */
    enum { N = 40000 };
    struct traj_fact *f = calloc(2 * N, sizeof *f);
    assert_non_null(f);
    day_t d0 = D("2000-01-01");
    char day[11];
    for (int i = 0; i < N; i++) {
        day_format_iso(d0 + i, day);
        f[2 * i] = start(i + 1, "45", "45A01", day, 1, day);
        f[2 * i + 1] = stop(i + 1, "45", "45A01", day, day, i + 1 == N ? "32" : "31", 1, day);
    }
    struct trajectory *t;
    size_t nt = 0;
    double t0 = now_s();
    assert_int_equal(trajectory_build(LAW_JW, f, 2 * N, false, A, &t, &nt), 0);
    assert_int_equal(nt, 1);
    assert_int_equal(t->nlines, N);
    assert_int_equal(t->end, d0 + N - 1);
    assert_string_equal(t->cbs_reason, "03");
    for (int i = 0; i < N; i++) { /* the same assignment: temporary stops and restarts */
        f[2 * i].assignment_nr = f[2 * i + 1].assignment_nr = 1;
        SET(f[2 * i + 1].end_reason, i + 1 == N ? "34" : "20");
    }
    assert_int_equal(trajectory_build(LAW_JW, f, 2 * N, false, A, &t, &nt), 0);
    assert_int_equal(nt, 1);
    assert_int_equal(t->nlines, 1);
    assert_int_equal(t->end, d0 + N - 1);
    assert_string_equal(t->cbs_reason, "02");
    /* 20 000 separate trajectories (gaps of two days) with a request before each and no age
     * on any start or stop: referrer and age come from binary searches, not scans. */
    enum { M = 20000 };
    for (int i = 0; i < M; i++) {
        char when[11], asked[11], ref[16];
        day_format_iso(d0 + 3 * i, when);
        day_format_iso(d0 + 3 * i - 1, asked);
        snprintf(ref, sizeof ref, "R%d", i);
        f[3 * i] = start(-1, "45", "45A01", when, 1, when);
        f[3 * i + 1] = stop(-1, "45", "45A01", when, when, "31", 1, when);
        f[3 * i + 2] = req(ref, "45", i % 2 ? "02" : "06", asked);
        f[3 * i + 2].age = i / 365;
    }
    assert_int_equal(trajectory_build(LAW_JW, f, 3 * M, false, A, &t, &nt), 0);
    assert_int_equal(nt, M);
    for (int i = 0; i < M; i += 997) {
        assert_int_equal(t[i].start, d0 + 3 * i);
        assert_string_equal(t[i].referrer, i % 2 ? "02" : "06");
        assert_int_equal(t[i].age_at_start, i / 365);
    }
    double took = now_s() - t0;
    if (took > 10.0) /* generous for sanitizer builds; quadratic would take minutes */
        fail_msg("too slow: %.1f s", took);
    free(f);
}

int main(void)
{
    assert_int_equal(codelist_load(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sample_chain_jw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_chain_wmo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_temporary_stop_restart_final, setup, teardown),
        cmocka_unit_test_setup_teardown(test_temporary_stop_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deletion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_assignment_and_no_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_assignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touching_and_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_category_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referrer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_age_and_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration_informants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_age_bands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_age_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_groups, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
