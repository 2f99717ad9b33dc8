/*
 * fuzz_expr.c: the indicator expression compiler (metrics/expr*.c) on arbitrary text, for
 * both result types and both units. Invariants: compiling is deterministic; a failure returns
 * ERR_INVALID or ERR_TOO_BIG, no program, and a message "kolom N: ..." in valid UTF-8 that
 * points inside the text; a program runs on a few records (bool programs give 0, 1 or
 * unknown); its canonical text (expr_format) compiles again to a program with the same
 * canonical text and the same results on every record.
 */
#include "fuzz.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/utf8.h"
#include "domain/codelist.h"
#include "metrics/expr.h"

#define NANSWERS 10

static const struct expr_setting settings[] = {
    {"externe_redenen_in_noemer", true, 1},
    {"lichtere_hulp_telt_mee", true, 0},
    {"drempel", false, 12},
};

/* Any short item code is a survey item: its slot follows from its first byte. */
static int answer_slot(void *ctx, const char *code)
{
    (void)ctx;
    size_t n = strlen(code);
    return n >= 1 && n <= 12 ? (unsigned char)code[0] % NANSWERS : -1;
}

static int64_t answers[3][NANSWERS];
static struct mx_record records[3];

static void make_records(void)
{
    for (int f = 0; f < MX_F__COUNT; f++) {
        records[0].v[f] = MX_NULL;
        records[1].v[f] = 0;
        records[2].v[f] = mx_fields()[f].type == MX_T_BOOL ? f % 2 : f * 7 - 20;
    }
    records[2].v[MX_F_LAW] = mx_code_pack("jw", 2);
    records[2].v[MX_F_CBS_REASON] = mx_code_pack("03", 2);
    records[2].v[MX_F_WITHOUT_HELP] = mx_code_pack("04", 2);
    records[2].v[MX_F_END_REASON] = mx_code_pack_list(MX_LIST_JZ588, "32", 2);
    records[2].v[MX_F_OPEN] = 0;
    records[2].v[MX_F_NEW_START] = 1;
    records[2].v[MX_F_START] = 19000;
    records[2].v[MX_F_END] = 19400;
    for (int k = 0; k < NANSWERS; k++) {
        answers[0][k] = MX_NULL;
        answers[1][k] = 0;
        answers[2][k] = k % 6;
    }
    records[0].answers = NULL;
    records[1].answers = answers[1];
    records[2].answers = answers[2];
}

static void check_error(int rc, const struct expr_prog *p, const struct expr_error *e, size_t size)
{
    FUZZ_CHECK(rc == ERR_INVALID || rc == ERR_TOO_BIG);
    FUZZ_CHECK(p == NULL);
    FUZZ_CHECK(e->offset <= size);
    FUZZ_CHECK(e->column >= 1);
    size_t n = strnlen(e->message, sizeof e->message);
    FUZZ_CHECK(n > 0 && n < sizeof e->message);
    FUZZ_CHECK(strncmp(e->message, "kolom ", 6) == 0 || strncmp(e->message, "regel ", 6) == 0);
    FUZZ_CHECK(utf8_valid(e->message, n, NULL));
}

static void run_one(const char *text, size_t size, enum expr_want want,
                    const struct expr_compile_env *env, struct arena *a)
{
    static int64_t sentinel; /* compile must overwrite it with NULL on failure */
    struct expr_prog *p = (struct expr_prog *)&sentinel, *q = NULL;
    struct expr_error e1, e2;
    int rc = expr_compile(text, size, want, env, a, &p, &e1);
    int rc2 = expr_compile(text, size, want, env, a, &q, &e2);
    FUZZ_CHECK(rc == rc2);
    if (rc) {
        check_error(rc, p, &e1, size);
        FUZZ_CHECK(strcmp(e1.message, e2.message) == 0 && e1.offset == e2.offset);
        return;
    }
    FUZZ_CHECK(p != NULL);
    int64_t values[3];
    for (int i = 0; i < 3; i++) {
        values[i] = expr_value(p, &records[i]);
        bool t = expr_test(p, &records[i]);
        if (want == EXPR_WANT_BOOL) {
            FUZZ_CHECK(values[i] == 0 || values[i] == 1 || values[i] == MX_NULL);
            FUZZ_CHECK(t == (values[i] == 1));
        }
    }
    bool used = false;
    for (int f = 0; f < MX_F__COUNT; f++)
        used |= expr_uses_field(p, (enum mx_field)f);
    (void)used;

    /* The canonical text compiles to the same program. It may outgrow the text limit only
     * because canonical spacing and keywords are longer than what was typed. */
    const char *f1 = expr_format(p, a);
    size_t n1 = strlen(f1);
    FUZZ_CHECK(n1 > 0 && utf8_valid(f1, n1, NULL));
    struct expr_prog *r = NULL;
    struct expr_error e3;
    rc = expr_compile(f1, n1, want, env, a, &r, &e3);
    if (rc) {
        if (!(rc == ERR_TOO_BIG && n1 > EXPR_MAX_TEXT))
            fprintf(stderr, "canonical text '%s' of '%.*s' fails: %s\n", f1, (int)size, text,
                    e3.message);
        FUZZ_CHECK(rc == ERR_TOO_BIG && n1 > EXPR_MAX_TEXT);
        return;
    }
    const char *f2 = expr_format(r, a);
    if (strcmp(f1, f2) != 0)
        fprintf(stderr, "canonical text not stable: '%s' -> '%s'\n", f1, f2);
    FUZZ_CHECK(strcmp(f1, f2) == 0);
    for (int i = 0; i < 3; i++)
        FUZZ_CHECK(expr_value(r, &records[i]) == values[i]);
    for (int f = 0; f < MX_F__COUNT; f++)
        FUZZ_CHECK(expr_uses_field(p, (enum mx_field)f) == expr_uses_field(r, (enum mx_field)f));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        FUZZ_CHECK(codelist_load() == 0);
        make_records();
        ready = true;
    }
    const struct expr_compile_env envs[2] = {
        {.unit = MX_UNIT_TRAJECTORY, .settings = settings, .nsettings = ARRAY_LEN(settings)},
        {.unit = MX_UNIT_RESPONSE,
         .settings = settings,
         .nsettings = ARRAY_LEN(settings),
         .answer_slot = answer_slot},
    };
    struct arena *a = arena_new(8u << 20);
    for (int u = 0; u < 2; u++) {
        run_one((const char *)data, size, EXPR_WANT_BOOL, &envs[u], a);
        run_one((const char *)data, size, EXPR_WANT_INT, &envs[u], a);
    }
    arena_free(a);
    return 0;
}
