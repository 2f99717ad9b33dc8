/*
 * result.h: maatschappelijke resultaten (societal results): the "stip op de horizon" that a
 * gemeente or region sets, with a theme and a period. Theory of change comes in a later issue.
 */
#ifndef DUIDING_DOMAIN_RESULT_H
#define DUIDING_DOMAIN_RESULT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define RESULT_TITLE_MAX       160 /* code points */
#define RESULT_DESCRIPTION_MAX 4000
#define RESULT_THEME_MAX       80
#define RESULT_YEAR_MIN        2000
#define RESULT_YEAR_MAX        2100
#define RESULT_LIST_DEFAULT    100 /* result_filter.limit 0 */
#define RESULT_LIST_MAX        1000

/* Fixed themes of the sociaal domein; a result picks one. */
enum result_theme {
    THEME_OPGROEIEN = 1,   /* veilig en gezond opgroeien */
    THEME_ZELFREDZAAMHEID, /* zelfredzaamheid en meedoen */
    THEME_WONEN,           /* wonen en zorg */
    THEME_MENTAAL,         /* mentale gezondheid */
    THEME_ONDERWIJS,       /* onderwijs en ontwikkeling */
    THEME_VEILIGHEID,      /* veiligheid en bescherming */
    THEME_MANTELZORG,      /* mantelzorg en informele zorg */
    THEME_WERK,            /* werk en inkomen */
};
#define THEME_MIN THEME_OPGROEIEN
#define THEME_MAX THEME_WERK

const char *theme_code(enum result_theme t);  /* stable code, e.g. "opgroeien" */
const char *theme_label(enum result_theme t); /* translated */
int theme_parse(const char *code, enum result_theme *out);

struct result {
    int64_t id;
    int64_t owner_org_id;
    const char *owner_name;
    enum result_theme theme;
    const char *title;
    const char *description;
    int start_year, end_year; /* the period the result aims at, e.g. 2024-2027 */
    bool archived;
    int64_t version; /* optimistic locking: edits must carry the version they saw */
    const char *created_at, *updated_at;
};

struct result_input {
    int64_t owner_org_id;
    int theme;
    const char *title;
    const char *description;
    int start_year, end_year;
    int64_t version; /* update: the version being edited */
};

struct result_filter {
    int64_t owner_org_id; /* 0 = all */
    int theme;            /* 0 = all */
    bool include_archived;
    const char *q;
    int limit, offset;
};

int result_create(struct store *s, const struct actor *who, const struct result_input *in,
                  int64_t *id_out, struct err_ctx *e);
/** ERR_CONFLICT when in->version is not the current version (someone else edited). */
int result_update(struct store *s, const struct actor *who, int64_t id,
                  const struct result_input *in, struct err_ctx *e);
int result_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                        struct err_ctx *e);
int result_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct result *out);
int result_list(struct arena *a, struct store *s, const struct actor *who,
                const struct result_filter *f, struct result **out, int *n, int *total);

#endif
