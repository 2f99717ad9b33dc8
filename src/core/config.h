/*
 * config.h: deployment settings. Sources in increasing priority: built-in defaults, the
 * file <data_dir>/duiding.conf ("key = value" lines, '#' comments), command-line flags.
 */
#ifndef DUIDING_CORE_CONFIG_H
#define DUIDING_CORE_CONFIG_H

#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>

#define CONFIG_FILE_NAME "duiding.conf"
#define CONFIG_MAX_LINE  1024
#define CONFIG_AUDIENCES 3 /* enum dc_audience (metrics/disclosure.h) */

/* Owned by: the program (main); released with config_release(). Strings are heap copies. */
struct config {
    char *data_dir;      /* folder with duiding.db, pseudonym.key, duiding.conf */
    char *db_path;       /* default <data_dir>/duiding.db */
    char *key_path;      /* default <data_dir>/pseudonym.key (0600, outside the database) */
    char *listen;        /* address to bind, default 127.0.0.1 */
    int port;            /* default 8080; 0 = pick a free port (tests) */
    int threads;         /* MHD pool size, default = number of cores */
    int job_workers;     /* background job threads, default 2 */
    int conn_limit;      /* simultaneous connections, default 1024 */
    int conn_timeout;    /* seconds idle before a connection is closed, default 15 */
    bool secure_cookies; /* set Secure on cookies (behind TLS), default false */
    char *log_level;     /* error|warn|info|debug */
    int session_hours;   /* idle session lifetime, default 8 */
    char *default_lang;  /* nl (default) or en */
    int upload_max_mb;   /* largest upload in MiB (web form and API), default 2048 = 2 GiB */
    char *public_url;    /* address residents reach the server at, for links and QR codes on
                            survey letters; default http://localhost:8080; no trailing slash */
    /* Disclosure control per audience (metrics/disclosure.h), indexed by enum dc_audience:
     * [0] intern, [1] aanbieder, [2] publiek. Keys disclosure_<audience>_min_count,
     * _min_denominator, _round, _min_benchmark. Thresholds can be raised, never set below 1
     * (min_benchmark: 3, or quartiles would show single values). */
    int disclosure_min_count[CONFIG_AUDIENCES];       /* default 10 */
    int disclosure_min_denominator[CONFIG_AUDIENCES]; /* default 10 */
    int disclosure_round[CONFIG_AUDIENCES];           /* default 1 intern, 5 otherwise */
    int disclosure_min_benchmark[CONFIG_AUDIENCES];   /* default 5 */
    /* Virus scanner run on every evidence upload (domain/evidence.h evidence_scan), e.g.
     * "clamdscan --no-summary --fdpass": split on white space (no shell), the file's path
     * appended; exit 0 clean, 1 infected, other failed. "" (default) = no scan. */
    char *virusscan_command;
};

/** Fills defaults for a data directory (copied). */
void config_defaults(struct config *c, const char *data_dir);
/**
 * Reads <data_dir>/duiding.conf if it exists (a missing file is not an error).
 * Unknown keys and bad values give ERR_INVALID with file line and key in `e`.
 */
int config_load_file(struct config *c, const char *path, struct err_ctx *e);
/** Sets one key from text ("port", "8080"); used by the file reader and CLI flags. */
int config_set(struct config *c, const char *key, const char *value, struct err_ctx *e);
/** Frees the strings. */
void config_release(struct config *c);

#endif
