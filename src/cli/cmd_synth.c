/*
 * cmd_synth.c: `duiding synth`: writes generated iJw/iWmo message traffic (zip archives or a
 * folder) or a provider's registration export (CSV) for the demo region, without a data
 * directory. The AGB codes are those `duiding demo --seed N` gives (default seed 2026), so the
 * material imports into a demo database. See ingest/synth.h for the model.
 */
#include "cli/cli.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/demo.h"
#include "ingest/synth.h"
#include <getopt.h>
#include <time.h>

static void synth_usage(FILE *f)
{
    fprintf(f,
            "Usage: duiding synth --berichten N [--zip-per 10000] --uit DIR [options]\n"
            "       duiding synth --trajecten N --uit DIR [options]\n"
            "       duiding synth --registratie-rijen N --uit FILE.csv [--aanbieder AGB]\n"
            "                     [--stijl plain|excel] [options]\n\n"
            "Generates realistic, invented intake material for the demo region Zuid-Drenthe:\n"
            "iJw/iWmo 3.2 messages (315, 301, 305, 307) in zip archives (or files with\n"
            "--zip-per 0), or a CBS-BiJ-style registration export of one provider.\n\n"
            "Options:\n"
            "  --seed S           traffic seed (default 1); the same seed gives the same bytes\n"
            "  --demo-seed S      seed of the demo region whose AGB codes are used (default %d)\n"
            "  --einddatum DATE   last day of the period, YYYY-MM-DD (default today)\n"
            "  --jaren Y          length of the period in years (default %d)\n"
            "  --wet jw|wmo       only one law (default both)\n"
            "  --fouten P         records with a realistic defect, per 1000 (default 0)\n"
            "  --testbsn          BSNs from the test range 999900006-999999990\n",
            DEMO_DEFAULT_SEED, SYNTH_DEFAULT_YEARS);
}

static day_t today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void print_stats(const struct synth_stats *st, double seconds)
{
    printf("  persons        %" PRIu64 " (%" PRIu64 " with more than one trajectory; %" PRIu64
           " of %" PRIu64 " followed for 3 years came back)\n"
           "  trajectories   %" PRIu64 " (%" PRIu64 " open)\n",
           st->persons, st->returning_persons, st->followed_returned, st->followed_persons,
           st->trajectories, st->open_trajectories);
    if (st->messages)
        printf("  messages       %" PRIu64 ": 315 %" PRIu64 ", 301 %" PRIu64 ", 305 %" PRIu64
               ", 307 %" PRIu64 "\n"
               "  special        %" PRIu64 " corrections, %" PRIu64 " deletions, %" PRIu64
               " temporary stops, %" PRIu64 " starts for unknown assignments, %" PRIu64
               " withdrawn assignments\n"
               "  files          %" PRIu64 " in %" PRIu64 " zip archives, %.1f MB of XML\n",
               st->messages, st->by_kind[0], st->by_kind[1], st->by_kind[2], st->by_kind[3],
               st->corrections, st->deletions, st->temporary_stops, st->unknown_assignments,
               st->withdrawn, st->files, st->zips, (double)st->bytes / 1e6);
    uint64_t jw = 0, wmo = 0;
    for (int i = 0; i < 40; i++) {
        jw += st->end_reasons[0][i];
        wmo += st->end_reasons[1][i];
    }
    if (jw)
        printf("  Jeugdwet ends  %" PRIu64 ": volgens plan (31) %.1f%%, uitval (32) %.1f%%\n", jw,
               100.0 * (double)st->end_reasons[0][31] / (double)jw,
               100.0 * (double)st->end_reasons[0][32] / (double)jw);
    if (wmo)
        printf("  Wmo ends       %" PRIu64 ": volgens plan (19) %.1f%%, door cliënt (21) %.1f%%, "
               "verhuizing (31) %.1f%%\n",
               wmo, 100.0 * (double)st->end_reasons[1][19] / (double)wmo,
               100.0 * (double)st->end_reasons[1][21] / (double)wmo,
               100.0 * (double)st->end_reasons[1][31] / (double)wmo);
    if (st->csv_rows)
        printf("  export rows    %" PRIu64 " in %" PRIu64 " file(s)\n", st->csv_rows,
               st->csv_files);
    printf("  time           %.1f s\n", seconds);
}

int cmd_synth(struct cli_ctx *ctx, int argc, char **argv)
{
    enum {
        O_BERICHTEN = 1000,
        O_TRAJECTEN,
        O_ZIP_PER,
        O_UIT,
        O_SEED,
        O_DEMO_SEED,
        O_EINDDATUM,
        O_JAREN,
        O_WET,
        O_FOUTEN,
        O_TESTBSN,
        O_RIJEN,
        O_AANBIEDER,
        O_STIJL
    };
    static const struct option opts[] = {
        {"berichten", required_argument, NULL, O_BERICHTEN},
        {"trajecten", required_argument, NULL, O_TRAJECTEN},
        {"zip-per", required_argument, NULL, O_ZIP_PER},
        {"uit", required_argument, NULL, O_UIT},
        {"seed", required_argument, NULL, O_SEED},
        {"demo-seed", required_argument, NULL, O_DEMO_SEED},
        {"einddatum", required_argument, NULL, O_EINDDATUM},
        {"jaren", required_argument, NULL, O_JAREN},
        {"wet", required_argument, NULL, O_WET},
        {"fouten", required_argument, NULL, O_FOUTEN},
        {"testbsn", no_argument, NULL, O_TESTBSN},
        {"registratie-rijen", required_argument, NULL, O_RIJEN},
        {"aanbieder", required_argument, NULL, O_AANBIEDER},
        {"stijl", required_argument, NULL, O_STIJL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    (void)ctx; /* no data directory needed */
    int64_t messages = 0, trajectories = 0, per_zip = SYNTH_DEFAULT_PER_ZIP, seed = 1,
            demo_seed = DEMO_DEFAULT_SEED, years = SYNTH_DEFAULT_YEARS, dirty = 0, rows = 0;
    const char *out = NULL, *agb = NULL;
    day_t end = today();
    unsigned laws = 0;
    bool test_bsns = false;
    enum synth_csv_style style = SYNTH_CSV_NONE;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case O_BERICHTEN:
            bad = str_parse_i64_c(optarg, 1, (int64_t)SYNTH_MAX_MESSAGES, &messages);
            break;
        case O_TRAJECTEN:
            bad = str_parse_i64_c(optarg, 1, 10000000, &trajectories);
            break;
        case O_ZIP_PER:
            bad = str_parse_i64_c(optarg, 0, 1000000, &per_zip);
            break;
        case O_UIT:
            out = optarg;
            break;
        case O_SEED:
            bad = str_parse_i64_c(optarg, 0, INT64_MAX, &seed);
            break;
        case O_DEMO_SEED:
            bad = str_parse_i64_c(optarg, 0, INT64_MAX, &demo_seed);
            break;
        case O_EINDDATUM:
            bad = str_parse_date_iso(str_from(optarg), &end);
            break;
        case O_JAREN:
            bad = str_parse_i64_c(optarg, 1, 30, &years);
            break;
        case O_WET:
            if (strcmp(optarg, "jw") == 0)
                laws = SYNTH_LAW_JW;
            else if (strcmp(optarg, "wmo") == 0)
                laws = SYNTH_LAW_WMO;
            else
                bad = 1;
            break;
        case O_FOUTEN:
            bad = str_parse_i64_c(optarg, 0, 1000, &dirty);
            break;
        case O_TESTBSN:
            test_bsns = true;
            break;
        case O_RIJEN:
            bad = str_parse_i64_c(optarg, 1, (int64_t)SYNTH_MAX_ROWS, &rows);
            break;
        case O_AANBIEDER:
            agb = optarg;
            break;
        case O_STIJL:
            if (strcmp(optarg, "plain") == 0)
                style = SYNTH_CSV_PLAIN;
            else if (strcmp(optarg, "excel") == 0)
                style = SYNTH_CSV_EXCEL;
            else
                bad = 1;
            break;
        case 'h':
            synth_usage(stdout);
            return CLI_OK;
        default:
            synth_usage(stderr);
            return CLI_USAGE;
        }
        if (bad) {
            cli_error("invalid value '%s' for --%s", optarg, opts[c - O_BERICHTEN].name);
            return CLI_USAGE;
        }
    }
    if (optind < argc || !out || (!messages && !trajectories && !rows) ||
        (rows && (messages || trajectories))) {
        synth_usage(stderr);
        return CLI_USAGE;
    }

    struct synth_provider providers[SYNTH_MAX_PROVIDERS];
    struct synth_gemeente gemeenten[SYNTH_MAX_GEMEENTEN];
    size_t np = 0, ng = 0;
    struct err_ctx e = {0};
    if (synth_demo_region((uint64_t)demo_seed, providers, &np, gemeenten, &ng, &e) != 0) {
        cli_error("%s", e.msg);
        return CLI_FAIL;
    }
    struct synth_options o = {
        .seed = (uint64_t)seed,
        .end_date = end,
        .years = (int)years,
        .n_messages = (uint64_t)messages,
        .n_trajectories = (uint64_t)trajectories,
        .laws = laws,
        .test_bsns = test_bsns,
        .dirty_per_mille = (unsigned)dirty,
        .per_zip = (size_t)per_zip,
        .providers = providers,
        .nproviders = np,
        .gemeenten = gemeenten,
        .ngemeenten = ng,
    };
    struct synth_stats st;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc;
    if (rows) {
        size_t which = SIZE_MAX;
        for (size_t i = 0; i < np && which == SIZE_MAX; i++)
            if (agb ? strcmp(providers[i].agb, agb) == 0 : providers[i].csv_style != SYNTH_CSV_NONE)
                which = i;
        if (which == SIZE_MAX) {
            cli_error("no demo provider with AGB code %s (demo seed %" PRId64 ")", agb ? agb : "?",
                      demo_seed);
            return CLI_FAIL;
        }
        printf("Writing %" PRId64 " registration rows of %s (AGB %s) to %s...\n", rows,
               providers[which].name, providers[which].agb, out);
        rc = synth_registration_csv(&o, which, style, (uint64_t)rows, out, &st, &e);
    } else {
        /* Every demo provider delivers messages here: the registration providers' exports
         * are asked for separately (--registratie-rijen). */
        for (size_t i = 0; i < np; i++)
            providers[i].csv_style = SYNTH_CSV_NONE;
        printf("Writing generated iJw/iWmo messages to %s (seed %" PRId64 ")...\n", out, seed);
        rc = synth_messages(&o, out, &st, &e);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        cli_error("%s", e.msg[0] ? e.msg : err_name(rc));
        return CLI_FAIL;
    }
    print_stats(&st, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return CLI_OK;
}
