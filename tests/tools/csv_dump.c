/*
 * csv_dump.c: prints the records the CSV reader finds in a file as JSON lines, for the
 * differential test against Python's csv module (tests/diff/csv_python.py) and for timing.
 *
 *   csv_dump FILE          first line {"delimiter":..,"encoding":..}, then one line per record
 *                          {"record":n,"line":n,"fields":[..],"problem":..,"col":n}, and last
 *                          {"ok":true} or {"error":"..","code":"..","line":n}
 *   csv_dump -c FILE       only counts records and prints rows/s (benchmark)
 *
 * Bytes that are not valid UTF-8 are written as \udcXX (Python's surrogateescape), so the
 * output is lossless JSON.
 */
#include "ingest/csv.h"
#include "core/common.h"
#include "core/err.h"

#include <sys/stat.h>
#include <time.h>

static void put_json_str(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            fputc(c, f);
            i++;
        } else {
            /* Copy one well-formed sequence, or escape one bad byte. */
            size_t k = 0;
            if (c >= 0xC2 && c <= 0xDF)
                k = 2;
            else if (c >= 0xE0 && c <= 0xEF)
                k = 3;
            else if (c >= 0xF0 && c <= 0xF4)
                k = 4;
            bool ok = k && i + k <= n;
            for (size_t j = 1; ok && j < k; j++)
                ok = (p[i + j] & 0xC0) == 0x80;
            if (ok && k == 3) {
                ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] > 0x9F);
            } else if (ok && k == 4) {
                ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] > 0x8F);
            }
            if (ok) {
                fwrite(p + i, 1, k, f);
                i += k;
            } else {
                fprintf(f, "\\udc%02x", c);
                i++;
            }
        }
    }
    fputc('"', f);
}

struct dump {
    bool count_only;
    uint64_t records, fields;
};

static int on_row(void *ctx, const struct table_row *row)
{
    struct dump *d = ctx;
    d->records++;
    d->fields += (uint64_t)row->nfields;
    if (d->count_only)
        return 0;
    printf("{\"record\":%" PRIu64 ",\"line\":%" PRIu64 ",\"fields\":[", row->record, row->line);
    for (int i = 0; i < row->nfields; i++) {
        if (i)
            putchar(',');
        put_json_str(stdout, row->fields[i], row->lens[i]);
    }
    putchar(']');
    if (row->problem) {
        printf(",\"problem\":");
        put_json_str(stdout, row->problem, strlen(row->problem));
        printf(",\"col\":%d", row->problem_col);
    }
    printf("}\n");
    return 0;
}

int main(int argc, char **argv)
{
    struct dump d = {0};
    int argi = 1;
    if (argi < argc && strcmp(argv[argi], "-c") == 0) {
        d.count_only = true;
        argi++;
    }
    if (argi + 1 != argc) {
        fprintf(stderr, "usage: csv_dump [-c] FILE\n");
        return 2;
    }
    const char *path = argv[argi];
    struct err_ctx e;
    err_clear(&e);
    enum text_encoding enc = 0;
    if (!d.count_only) {
        /* The delimiter and encoding the reader will use, from the same code. */
        FILE *f = fopen(path, "rb");
        char delim = ',';
        if (f) {
            struct stat st;
            if (fstat(fileno(f), &st) == 0 && st.st_size >= 0) {
                size_t n = (size_t)st.st_size;
                char *data = malloc(n ? n : 1);
                if (data && fread(data, 1, n, f) == n) {
                    delim = csv_sniff(data, n, NULL);
                    enc = text_detect_encoding(data, n);
                }
                free(data);
            }
            fclose(f);
        }
        printf("{\"delimiter\":");
        put_json_str(stdout, &delim, 1);
        printf(",\"encoding\":\"%s\"}\n", enc ? text_encoding_name(enc) : "");
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = csv_read_file(path, NULL, on_row, &d, &enc, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (d.count_only) {
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("rc=%d records=%" PRIu64 " fields=%" PRIu64 " seconds=%.3f rows_per_s=%.0f\n", rc,
               d.records, d.fields, s, s > 0 ? (double)d.records / s : 0.0);
        return rc ? 1 : 0;
    }
    if (rc) {
        printf("{\"error\":");
        put_json_str(stdout, e.msg, strlen(e.msg));
        printf(",\"code\":\"%s\",\"line\":%u}\n", err_name(rc), e.line);
    } else {
        printf("{\"ok\":true}\n");
    }
    return 0;
}
