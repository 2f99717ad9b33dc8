/*
 * source.h: what an import reads from: one file, a folder (recursively) or a zip archive, as a
 * sequence of items (name, bytes) handed to a callback one at a time. Nothing is ever
 * extracted to disk: zip entries are inflated into memory, each capped, with the bytes counted
 * while inflating (a header that lies about its size is a zip bomb). Items that cannot be read
 * (too big, a nested archive, a name that points outside the archive) are still delivered,
 * with the reason, so the importer can count them: nothing is silent.
 */
#ifndef DUIDING_INGEST_SOURCE_H
#define DUIDING_INGEST_SOURCE_H

#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum source_type { SOURCE_NONE = 0, SOURCE_FILE = 1, SOURCE_DIR = 2, SOURCE_ZIP = 3 };

/* One item. Borrowed until the callback returns. */
struct source_item {
    const char *name; /* "archief.zip:berichten/JW301_0001.xml", "map/JW305.xml", "x.xml" */
    const void *data; /* NULL when the item was not read: see problem */
    size_t len;
    const char *problem; /* Dutch msgid: why the item is not read; NULL when data is there */
    bool skip;           /* with problem: skipped (hidden file, nested archive), not rejected */
    uint64_t index;      /* 1-based position in the source */
};

/* Return 0 to go on; anything else stops source_each, which returns it. */
typedef int (*source_item_fn)(void *ctx, const struct source_item *it);

struct source_info {
    enum source_type type;
    uint64_t bytes_total; /* file or archive size; for a folder the sum of its files */
    uint64_t bytes_done;  /* grows while items are read (progress) */
    uint64_t items;       /* items delivered so far */
    char sha256[65];      /* folders only: hash over names and contents, set at the end */
};

/** What is at path: a folder, a zip archive (by content), or another regular file.
 * SOURCE_NONE when it does not exist or is something else (device, socket). */
enum source_type source_type_of(const char *path);

/** True if the zip archive at path has an entry with exactly this name. */
bool source_zip_has(const char *path, const char *entry);

/**
 * Hex SHA-256 and size of a regular file, read in chunks. ERR_IO naming the file, ERR_TOO_BIG
 * above max_bytes.
 */
int source_sha256_file(const char *path, uint64_t max_bytes, char hex[65], uint64_t *bytes,
                       struct err_ctx *e);

/**
 * Delivers every item of path in order: a file as one item; a folder's regular files sorted
 * by relative name (symlinks not followed, at most IMPORT_MAX_DIR_FILES), a zip archive among
 * them as its entries ("map/a.zip:x.xml", each archive with the limits of a zip given alone,
 * IMPORT_MAX_ZIP_EXPANDED for the folder as a whole); a zip's entries in archive order
 * (directories left out; at most IMPORT_MAX_ZIP_ENTRIES, IMPORT_MAX_ZIP_EXPANDED bytes in all,
 * IMPORT_MAX_ZIP_RATIO per entry; limits may lower these, NULL = defaults). Items
 * above max_item bytes are delivered without data. `display` names the source in item names (NULL =
 * the path's last component). 0, the callback's stop value, ERR_TOO_BIG (a limit: the whole source
 * is refused, e->msg says which) or ERR_IO.
 */
struct import_limits;
int source_each(const char *path, const char *display, size_t max_item,
                const struct import_limits *limits, source_item_fn fn, void *ctx,
                struct source_info *info, struct err_ctx *e);

#endif
