/*
 * engine_internal.h: the data structures shared by the engine's files (engine.c public calls
 * and definitions, engine_build.c columns and dictionaries, engine_eval.c per-definition
 * columns, engine_sync.c the journal, engine_query.c queries). Not for use outside
 * src/metrics/engine*.c.
 *
 * Layout: struct-of-arrays. A person's trajectory rows are together, so the distinct persons of
 * a cell are counted in one pass (a cell remembers the last person it counted); the persons
 * come in order of their earliest day, so a query that ends early reads only the rows up to
 * rows_before_day. Dimension codes
 * are small integers into per-dimension dictionaries (index 0 is always the code ""). Every
 * registered definition has a class column (2 bits per row: 0 outside the population, 1 in
 * it, 2 in it with the event) and, for gemiddelde/mediaan, an int32 value column.
 */
#ifndef DUIDING_METRICS_ENGINE_INTERNAL_H
#define DUIDING_METRICS_ENGINE_INTERNAL_H

#include "core/str.h"
#include "metrics/definition.h"
#include "metrics/engine.h"
#include "metrics/fields.h"
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Dictionaries. --------------------------------------------------------------------------- */

struct mx_dict {
    char **codes;    /* xmalloc'd, NUL-terminated; codes[0] = "" */
    int64_t *packed; /* the code as an expression value (mx_code_pack / _list); MX_NULL for "" */
    uint32_t n, cap;
    uint32_t max;    /* most entries the column type can hold */
    uint32_t *slots; /* open addressing: index + 1; 0 = empty */
    uint32_t nslots;
};

void dict_init(struct mx_dict *d, uint32_t max);
void dict_free(struct mx_dict *d);
/** Index of code (added if new); -1 when the dictionary is full. packed is its expression
 * value, used only when the code is new. */
int dict_intern(struct mx_dict *d, const char *code, int64_t packed);
/** Index of code or -1. */
int dict_find(const struct mx_dict *d, const char *code);
size_t dict_bytes(const struct mx_dict *d);

/* The dictionaries of dimensions and of coded fields. Build interns into the engine's set;
 * sync into a private set that is then merged (dicts_merge) under the write lock. */
enum mx_fdict { FD_PRODUCT, FD_END_REASON, FD_CBS, FD_ZH, FD__COUNT };

struct mx_dicts {
    struct mx_dict dim[MX_DIM__COUNT];
    struct mx_dict fd[FD__COUNT];
};

void dicts_init(struct mx_dicts *ds);
void dicts_free(struct mx_dicts *ds);

/* ---- Rows. ----------------------------------------------------------------------------------- */

#define MX_INF_CLIENT 0 /* informant "01" */
#define MX_INF_PARENT 1 /* informant "02" */
#define MX_INF_NONE   2 /* informant "" */

struct mx_ans {
    uint16_t item; /* index into the engine's item dictionary */
    int32_t value;
};

/* One set of rows: trajectories (is_resp false) or survey responses. */
struct mx_rows {
    bool is_resp;
    size_t n, cap;
    uint32_t *person; /* trajectories */
    int32_t *start;   /* trajectory start; response date */
    int32_t *end;     /* DAY_NONE while open; responses: DAY_NONE */
    uint16_t *dim[MX_DIM__COUNT];
    int16_t *age; /* -1 unknown */
    /* trajectories */
    uint16_t *fd[FD__COUNT]; /* product, end reason (list code), cbs reason, zonder_hulp["" ] */
    uint8_t *flags;
    int32_t *date_assigned, *date_requested;
    uint8_t *sat[3]; /* per informant: 1-10, 0 unknown */
    uint8_t *zh[3];  /* per informant: FD_ZH index (the dictionary holds 255), 0 unknown */
    uint8_t *goal;   /* max over measurements, 255 unknown */
    /* bit k (k = enum period_kind): the row shares a month / quarter / half year / year with
     * another row of the same person (rows_person_overlaps); distinct persons need care only
     * for such rows */
    uint8_t *share;
    /* responses: answers of row i are ans[ans_off[i] .. ans_off[i + 1]) */
    uint32_t *ans_off;
    struct mx_ans *ans;
    size_t nans, cans;
    /* reach[b]: the earliest day of any row from row b * MX_REACH_ROWS on (rows_index_reach),
     * so a query that ends before it need not read those rows (rows_before_day) */
    int32_t *reach;
    size_t nreach;
};

#define MX_REACH_ROWS 1024

/* Every column of a row set with its element size, for growing, sorting and merging. */
struct colref {
    void **p;
    size_t size;
};
#define MAX_COLS 40
/** The columns of r (not the answers of responses); returns how many. */
int row_columns(struct mx_rows *r, struct colref *out);

void rows_init(struct mx_rows *r, bool is_resp);
void rows_free(struct mx_rows *r);
/** Makes room for one more row (xrealloc). */
void rows_grow(struct mx_rows *r, size_t need);
size_t rows_bytes(const struct mx_rows *r);
/** Reorders trajectory rows so that each person's rows are together (in their order) and the
 * persons follow their key: earliest day (start, or an end before it), then person id. A query
 * that ends early then finds its rows near the front (rows_before_day). */
void rows_sort_persons(struct mx_rows *r);
/** The key of the person whose rows start at row i (rows_sort_persons' order); *run_end, when
 * not NULL, gets the row after the person's last. */
uint64_t rows_person_key(const struct mx_rows *r, size_t i, size_t *run_end);
/** Rebuilds r's reach index (after the rows changed). */
void rows_index_reach(struct mx_rows *r);
/** How many leading rows a query with periods up to day top must read: every row after them
 * starts (and ends) after top. Correct in any row order; small when rows come in key order. */
size_t rows_before_day(const struct mx_rows *r, day_t top);
/** Sets the share column of trajectory rows (a person's rows together; all of them present). */
void rows_person_overlaps(struct mx_rows *r);

struct mstore_traj;
struct mstore_response;
/** Appends a trajectory, interning its codes into ds. 0, or ERR_TOO_BIG when a dictionary is
 * full. */
int rows_add_traj(struct mx_rows *r, struct mx_dicts *ds, const struct mstore_traj *t);
/** Appends a response; answers' items are interned into items. */
int rows_add_response(struct mx_rows *r, struct mx_dicts *ds, struct mx_dict *items,
                      const struct mstore_response *s);

/* ---- Population (CBS inhabitants per gemeente x year x band). -------------------------------- */

struct mx_pop_entry {
    uint16_t gem; /* gemeente dictionary index */
    int16_t year;
    int16_t lo, hi;                  /* band ages, inclusive */
    int64_t inhabitants, men, women; /* men/women 0 when unknown */
};

struct mx_pop {
    struct mx_pop_entry *v; /* sorted by gemeente, year */
    size_t n;
    uint32_t *first; /* per gemeente index: first entry (ngem + 1 offsets; gemeenten added to
                        the dictionary later have none) */
    uint32_t ngem;
};

void pop_free(struct mx_pop *p);
/** Sorts the entries and indexes them per gemeente (ngem = the gemeente dictionary's size). */
void pop_index(struct mx_pop *p, uint32_t ngem);

/* ---- Definitions. ---------------------------------------------------------------------------- */

#define CLS_GET(c, i) (((c)[(i) >> 2] >> (((i)&3) * 2)) & 3u)

struct mx_defslot {
    int64_t id;
    int version;
    struct arena *arena; /* owns the copied definition and its programs */
    struct ind_compiled c;
    bool resp;    /* over the response rows */
    bool has_val; /* gemiddelde / mediaan */
    uint8_t *cls; /* 2 bits per row */
    int32_t *val;
    int32_t vmin, vmax; /* bounds of val (0 included), for medians by counting */
};

/* ---- The engine. ----------------------------------------------------------------------------- */

struct mx_engine {
    pthread_rwlock_t lock; /* queries read; sync/define swap under write */
    uint64_t generation;   /* engine_next_generation() at build and at every change */
    pthread_mutex_t sync;  /* one writer (sync, define, undefine) at a time */
    struct mx_dicts ds;
    struct mx_dict items; /* survey answer items: antwoord("...") slots */
    struct mx_rows traj, resp;
    struct mx_pop pop;
    /* Sort order of every dimension's codes (strcmp), so that cells come out of a query in
     * code order without sorting: rank[d][code] is the code's position, order[d][pos] the
     * code; nranked[d] codes (the rows use no others). Rebuilt by engine_rank_dims. */
    uint32_t *rank[MX_DIM__COUNT], *order[MX_DIM__COUNT];
    uint32_t nranked[MX_DIM__COUNT];
    struct mx_defslot *defs;
    size_t ndefs, cdefs;
    int64_t seq, max_person;
    int64_t resp_count, resp_max;
    day_t data_date;
    size_t npersons;
    double build_seconds, last_sync_seconds;
};

/* engine_build.c */
int engine_load_population(struct db *db, struct mx_dicts *ds, struct mx_pop *out);
void engine_data_date(struct mx_engine *eng);
size_t engine_count_persons(const struct mx_rows *r);
/** Recomputes rank/order of the dimensions whose dictionary grew (under the write lock). */
void engine_rank_dims(struct mx_engine *eng);

/* engine_eval.c */
/** Fills the fields of trajectory row i (follow-up fields left MX_NULL). */
void eval_fill_traj(const struct mx_dicts *ds, const struct mx_rows *r, size_t i,
                    struct mx_record *rec);
/** Evaluates definitions over rows [0, r->n) into freshly allocated columns (cls packed,
 * val where needed): cls_out[k] / val_out[k] per definition k. Runs on two threads for large
 * sets. data_date is the follow-up reference; nitems the answer slots of response rows. */
int eval_defs(const struct mx_rows *r, const struct mx_dicts *ds, size_t nitems,
              struct mx_defslot *const *defs, size_t ndefs, day_t data_date, uint8_t **cls_out,
              int32_t **val_out);
/** Sets d->vmin / vmax from its value column over n rows. */
void slot_value_range(struct mx_defslot *d, size_t n);
/** Widens d->vmin / vmax to include val[0..n) (bounds may be wider than the column: safe). */
void slot_value_widen(struct mx_defslot *d, const int32_t *val, size_t n);
/** Re-evaluates definition d at trajectory row i of eng->traj (person range found around i). */
void eval_one(const struct mx_engine *eng, struct mx_defslot *d, size_t i, day_t data_date);
/** window_end(end) = end + months, clamped to the month's last day. */
day_t eval_window_end(day_t end, int months);

/* engine_query.c */
/** Most cells ((periods + 1) x keys) a query always counts in plain arrays; beyond, an
 * estimate of its cells chooses plain arrays or a hash (0: always the hash). A variable only
 * so that tests can send small queries down those paths too. */
extern uint64_t engine_dense_max;
/** Threads a dense scan may use (1: one) and the fewest rows for which it uses two
 * (engine_query.c "Two threads"); variables so that tests can compare both ways. */
extern int engine_scan_threads;
extern size_t engine_two_min_rows;
/** Whether scans sieve rows by date a word at a time first (engine_query.c in_range_word):
 * 0 never, 1 when a sample says it pays, 2 always; a variable so that tests compare. */
extern int engine_sieve;

/* engine.c */
/** A number no engine of this process had before: stamps a state of rows and definitions, so
 * that what was computed from one state (protect.c's decided tables) is never taken for
 * another. */
uint64_t engine_next_generation(void);
struct mx_defslot *engine_find_def(struct mx_engine *eng, int64_t id);
int engine_answer_slot(void *ctx, const char *code);
void def_copy(struct arena *a, const struct ind_def *src, struct ind_def *dst);

#endif
