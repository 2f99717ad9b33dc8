/*
 * evidence.h: evidence files (bewijsstukken) uploaded to a provider review (domain/review.h):
 * the checks that decide whether a file may be kept (size and count limits, the type detected
 * from the bytes, zip-container checks against zip bombs and hostile entry names, polyglots,
 * the file name shown), the files' life (upload, download, removal) and the optional virus
 * scan. Rules and reasons: docs/evidence.md.
 *
 * Files are stored outside SQLite, content addressed, under
 * <data_dir>/bewijsstukken/<first 2 hex>/<sha256> (store/evidence_store.h); a row per upload.
 * Policy OBJ_EVIDENCE (as the review: view for the review's people, create/archive for the
 * holders of a viewpoint); only the uploading organisation removes its file, and only before
 * the review is decided. Every upload, download and removal is audited.
 */
#ifndef DUIDING_DOMAIN_EVIDENCE_H
#define DUIDING_DOMAIN_EVIDENCE_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/review.h"
#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVIDENCE_FILE_MAX         (20LL * 1024 * 1024)  /* bytes per file */
#define EVIDENCE_REVIEW_MAX_BYTES (200LL * 1024 * 1024) /* bytes per review (live files) */
#define EVIDENCE_REVIEW_MAX_FILES 200                   /* live files per review */
#define EVIDENCE_NAME_MAX         200                   /* code points of the shown name */
/* Zip containers (DOCX, XLSX, ODT): limits on what the central directory declares. */
#define EVIDENCE_ZIP_MAX_ENTRIES      2000
#define EVIDENCE_ZIP_MAX_UNCOMPRESSED (100LL * 1024 * 1024) /* sum of uncompressed sizes */
#define EVIDENCE_ZIP_MAX_RATIO        100 /* uncompressed / compressed per entry (> 1 MiB) */
#define EVIDENCE_ZIP_NAME_MAX         512 /* bytes of one entry name */
#define EVIDENCE_SCAN_TIMEOUT_S       300 /* a scan that runs longer counts as failed */

enum evidence_type {
    EVIDENCE_NONE = 0,
    EVIDENCE_PDF,
    EVIDENCE_DOCX,
    EVIDENCE_XLSX,
    EVIDENCE_ODT,
    EVIDENCE_PNG,
    EVIDENCE_JPEG,
};

enum evidence_scan {
    SCAN_NIET_GESCAND = 0, /* no scanner configured (or not yet run) */
    SCAN_SCHOON,           /* the scanner found nothing */
    SCAN_BESMET,           /* infected: removed from disk, never served */
    SCAN_FOUT,             /* the scanner failed or timed out */
};

/** "application/pdf", ... (the type a download is served with). */
const char *evidence_type_media(enum evidence_type t);
/** "pdf", "docx", ... (stored code) and back (EVIDENCE_NONE when unknown). */
const char *evidence_type_code(enum evidence_type t);
enum evidence_type evidence_type_from_code(const char *code);
/** Short translated label: "PDF-document", "Word-document", ... */
const char *evidence_type_label(enum evidence_type t);
const char *evidence_scan_code(enum evidence_scan s); /* niet_gescand, schoon, besmet, fout */
enum evidence_scan evidence_scan_from_code(const char *code);
const char *evidence_scan_label(enum evidence_scan s); /* translated */

/**
 * The type of the bytes p[0..n), by their structure, never by name: PDF (header at offset 0,
 * %%EOF in the tail), PNG (chunks walked up to an IEND that ends the file), JPEG (SOI at 0, EOI
 * at the end), DOCX/XLSX/ODT (zip: evidence_zip_check). Refuses (ERR_INVALID, Dutch reason in
 * e->msg) empty input, unknown types and polyglots: bytes that read as two types (a PDF with a
 * zip directory at its end, a zip with a PDF header in its first KiB, data before or after a
 * zip). Pure: no I/O, bounded work; fuzzed by fuzz/fuzz_evidence_sniff.c.
 */
int evidence_sniff(const unsigned char *p, size_t n, enum evidence_type *out, struct err_ctx *e);

/**
 * The zip-container checks: one end-of-central-directory record that ends the file, no zip64,
 * no multi-disk, no encryption, methods stored/deflate only, the central directory directly
 * before it, every local header at its offset and matching its central entry, entry count,
 * declared total uncompressed size and per-entry compression ratio within the limits above,
 * entry names relative and clean (no '/'-start, no "..", no '\\', no drive letter, no control
 * characters, no duplicates). Then the kind: DOCX ([Content_Types].xml + word/document.xml),
 * XLSX ([Content_Types].xml + xl/workbook.xml), ODT (first entry "mimetype", stored, holding
 * application/vnd.oasis.opendocument.text). ERR_INVALID / ERR_TOO_BIG with a Dutch reason.
 */
int evidence_zip_check(const unsigned char *p, size_t n, enum evidence_type *out,
                       struct err_ctx *e);

/**
 * The file name to show and store, from a client's name of len bytes: refuses (ERR_INVALID)
 * a NUL byte, invalid UTF-8, and names with nothing usable; keeps the part after the last '/'
 * or '\\', drops control characters and bidirectional overrides, trims white space and
 * leading dots, and shortens a name over EVIDENCE_NAME_MAX code points keeping the extension.
 * Arena string.
 */
int evidence_clean_name(struct arena *a, const char *name, size_t len, const char **out,
                        struct err_ctx *e);

/** True if the extension of the (clean) name belongs to type t (.pdf, .docx, .xlsx, .odt,
 * .png, .jpg/.jpeg; case-insensitive). */
bool evidence_name_matches(const char *name, enum evidence_type t);

struct evidence_file {
    int64_t id;
    int64_t review_id;
    int64_t criterion_id; /* 0 = the review as a whole */
    const char *name;     /* clean name, for display and the download's file name */
    enum evidence_type type;
    int64_t size;
    const char *sha256; /* 64 lower-case hex digits */
    int64_t uploaded_by;
    const char *uploaded_by_name; /* or NULL */
    int64_t org_id;               /* the uploading organisation */
    const char *org_name;
    const char *uploaded_at;
    enum evidence_scan scan;
    const char *scanned_at; /* or NULL */
};

/* An upload: the bytes are in a temp file (the web layer's, or a test's). */
struct evidence_upload {
    const char *data_dir;  /* the server's data directory (files under bewijsstukken/) */
    const char *temp_path; /* the uploaded bytes; left in place (the caller removes it) */
    const char *name;      /* the client's file name (cleaned here) */
    size_t name_len;       /* bytes of name (a NUL inside is refused) */
    int64_t criterion_id;  /* 0 = the review as a whole; else an applicable criterion */
};

/**
 * Checks and stores one upload to review r (loaded by review_get for who): policy
 * OBJ_EVIDENCE create, review not decided, the checks above and the per-review limits; then
 * the bytes are copied into the content-addressed store (temp file, fsync, rename; the same
 * content is stored once) and a row is added; audited. ERR_NOT_FOUND when who may not see
 * the review, ERR_DENIED when they may see but not upload, ERR_INVALID / ERR_TOO_BIG /
 * ERR_CONFLICT with a Dutch message naming the file and the reason.
 */
int evidence_add(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                 const struct evidence_upload *up, int64_t *id_out, struct err_ctx *e);

/** The live files of review r that who may see (criterion_id 0 = all), oldest first. */
int evidence_list(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                  int64_t criterion_id, struct evidence_file **out, int *n);

/** One live file of review r; ERR_NOT_FOUND when absent or not visible. */
int evidence_get(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                 int64_t id, struct evidence_file *out);

/**
 * Opens a file for download: policy view, not besmet (ERR_DENIED with a message), the bytes
 * present and matching the recorded size; audited. *fd_out is an open read-only descriptor the
 * caller closes; *path_out its path (arena).
 */
int evidence_open(struct arena *a, struct store *s, const struct actor *who, const struct review *r,
                  const char *data_dir, int64_t id, struct evidence_file *out, int *fd_out,
                  const char **path_out, struct err_ctx *e);

/** Whether who may remove file f now (the uploading organisation, a viewpoint holder, review
 * not decided). */
bool evidence_may_remove(const struct actor *who, const struct review *r,
                         const struct evidence_file *f);

/** Removes a file (row marked removed; the bytes unlinked when no other live row uses them);
 * audited. ERR_DENIED / ERR_CONFLICT with a Dutch message. */
int evidence_remove(struct arena *a, struct store *s, const struct actor *who,
                    const struct review *r, const char *data_dir, int64_t id, struct err_ctx *e);

/** Whether who may upload to r now (policy create and the review not decided). */
bool evidence_may_upload(const struct actor *who, const struct review *r, struct arena *a);

/**
 * Runs the configured virus scanner on file id: command is split on white space (no shell),
 * the file's path appended as the last argument; exit 0 = schoon, 1 = besmet (every live row
 * with the same bytes is marked besmet and the bytes are unlinked), anything else, a signal or
 * EVIDENCE_SCAN_TIMEOUT_S = fout. The result is stored and audited (system actor). Meant for
 * the job queue (core/jobq.h); command NULL or blank: nothing happens (niet_gescand stays).
 */
int evidence_scan(struct store *s, const char *data_dir, const char *command, int64_t id,
                  enum evidence_scan *result, struct err_ctx *e);

#endif
