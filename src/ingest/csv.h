/*
 * csv.h: an RFC 4180 push parser for the messy CSV exports of real registration systems:
 * UTF-8 with or without BOM or Windows-1252, ',' ';' or TAB separators (sniffed), CRLF / LF /
 * CR line ends, quoted fields with separators, "" and newlines. It is fed arbitrary chunks and
 * reports record, physical line and column for every problem. See engineering.md A5.
 *
 * What callers see: every record with at least one byte (title rows above the header too: the
 * caller picks the header). Physically empty lines are skipped but counted in table_row.line;
 * a line holding only a delimiter or only "" is a record. Rows may be ragged. A stray quote,
 * bytes after a closing quote, a NUL byte or invalid UTF-8 mark the record (table_row.problem)
 * while the field keeps the bytes as written. The delimiter is sniffed from the first 20
 * non-empty lines (at most 64 KiB): the one of ',' ';' TAB that most lines contain equally
 * often outside quotes wins (ties: the higher count, then ';' TAB ',').
 */
#ifndef DUIDING_INGEST_CSV_H
#define DUIDING_INGEST_CSV_H

#include "core/err.h"
#include "ingest/table.h"
#include <stdbool.h>
#include <stddef.h>

enum text_encoding { TEXT_UTF8 = 1, TEXT_CP1252 = 2 };

struct csv_options {
    char delimiter;       /* ',' ';' '\t', or 0 to sniff from the first records */
    size_t max_field;     /* 0 = TABLE_MAX_FIELD */
    int max_columns;      /* 0 = TABLE_MAX_COLUMNS */
    uint64_t max_records; /* 0 = TABLE_MAX_RECORDS */
};

struct csv_parser;

/** New parser for UTF-8 input (a leading BOM is skipped). Caller owns (csv_free). */
struct csv_parser *csv_new(const struct csv_options *o, table_row_fn fn, void *ctx);
/**
 * Feeds the next n bytes. 0, the callback's non-zero stop value, or ERR_TOO_BIG (a limit;
 * e->line/col and e->msg say where and which). Local problems do not fail the feed: they are
 * delivered with the record (table_row.problem).
 */
int csv_feed(struct csv_parser *p, const char *data, size_t n, struct err_ctx *e);
/** Ends the input: delivers the last record. An open quote at EOF is ERR_INVALID with the
 * line where the quoted field began. */
int csv_finish(struct csv_parser *p, struct err_ctx *e);
/** The delimiter in use (after sniffing; 0 before the first record). */
char csv_delimiter(const struct csv_parser *p);
void csv_free(struct csv_parser *p);

/**
 * Which encoding a whole file is in: TEXT_UTF8 if it has a UTF-8 BOM or is valid UTF-8,
 * TEXT_CP1252 otherwise (every byte sequence is valid Windows-1252 text once undefined bytes
 * 0x81 0x8D 0x8F 0x90 0x9D are mapped to U+FFFD).
 */
enum text_encoding text_detect_encoding(const char *data, size_t n);
/** Human name of an encoding ("UTF-8", "Windows-1252"). */
const char *text_encoding_name(enum text_encoding enc);

/**
 * Reads a CSV file start to end: maps it, detects the encoding, converts Windows-1252 to
 * UTF-8 in chunks and feeds the parser. *enc_out (may be NULL) receives the encoding found.
 * Errors name the file in e->msg.
 */
int csv_read_file(const char *path, const struct csv_options *o, table_row_fn fn, void *ctx,
                  enum text_encoding *enc_out, struct err_ctx *e);
/** The same for bytes in memory (tests, fuzzing, previews). */
int csv_read_memory(const char *data, size_t n, const struct csv_options *o, table_row_fn fn,
                    void *ctx, enum text_encoding *enc_out, struct err_ctx *e);
/**
 * The delimiter csv_read_memory would use for these bytes (',' ';' or '\t'): the one given in
 * o (may be NULL), else the sniffed one. For telling the user how a file was read.
 */
char csv_sniff(const char *data, size_t n, const struct csv_options *o);

#endif
