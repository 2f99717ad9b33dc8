/*
 * source.c: enumerating the items of an import source (file, folder, zip, folder of zips) for
 * pipeline.c, with every limit of pipeline.h enforced and zip entries inflated into memory
 * only (never onto disk). Item names are made safe for reports: control characters are replaced and
 * a zip entry whose name is absolute or climbs out with ".." is reported by its position instead.
 */
#include "ingest/source.h"
#include "core/common.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ingest/pipeline.h"
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#define NAME_MAX_BYTES   440 /* longer item names are cut (at a character boundary) */
#define PREFIX_MAX_BYTES 200 /* the source's own name within item names */
#define DIR_MAX_DEPTH    32
#define RATIO_MIN_BYTES  (64u * 1024) /* small entries may compress well without being bombs */
#define READ_CHUNK       (256u * 1024)
#define ZIP_MAGIC        "PK\003\004"
#define ZIP_MAGIC_LEN    4

/* The limits in force: the request's, defaults where 0. */
struct lim {
    uint64_t entries, expanded, ratio, dir_files;
};

static struct lim resolve(const struct import_limits *l)
{
    struct lim r = {IMPORT_MAX_ZIP_ENTRIES, IMPORT_MAX_ZIP_EXPANDED, IMPORT_MAX_ZIP_RATIO,
                    IMPORT_MAX_DIR_FILES};
    if (l && l->max_zip_entries)
        r.entries = l->max_zip_entries;
    if (l && l->max_zip_expanded)
        r.expanded = l->max_zip_expanded;
    if (l && l->zip_ratio)
        r.ratio = l->zip_ratio;
    if (l && l->max_dir_files)
        r.dir_files = l->max_dir_files;
    return r;
}

/* ---- Names. ---------------------------------------------------------------------------------- */

/* The last path component of p. */
static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s && s[1] ? s + 1 : p;
}

/* Appends s to b, control characters as '?', cut at NAME_MAX_BYTES on a character boundary. */
static void append_safe(char *b, size_t cap, const char *s)
{
    size_t at = strlen(b);
    size_t n = strlen(s);
    if (!utf8_valid(s, n, NULL)) {
        /* Not UTF-8 (libzip already converted CP437 names): keep ASCII only. */
        for (size_t i = 0; i < n && at + 1 < cap; i++)
            b[at++] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
        b[at] = '\0';
        return;
    }
    for (size_t i = 0; i < n && at + 1 < cap;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (at + len >= cap)
            break;
        if (c < 0x20 || c == 0x7f) {
            b[at++] = '?';
            i++;
            continue;
        }
        memcpy(b + at, s + i, len);
        at += len;
        i += len;
    }
    b[at] = '\0';
}

/* True for a zip entry name that would leave the archive's root if extracted. */
static bool name_escapes(const char *n)
{
    if (n[0] == '/' || n[0] == '\\' || (n[0] && n[1] == ':'))
        return true;
    const char *p = n;
    while (*p) {
        size_t len = strcspn(p, "/\\");
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += len;
        if (*p)
            p++;
    }
    return false;
}

/* Hidden files and the resource forks macOS adds to zips. */
static bool name_hidden(const char *n)
{
    if (strncmp(n, "__MACOSX/", 9) == 0)
        return true;
    const char *b = base_name(n);
    return b[0] == '.';
}

static bool has_zip_ext(const char *n)
{
    size_t len = strlen(n);
    return len >= 4 && strcasecmp(n + len - 4, ".zip") == 0;
}

static bool looks_like_zip(const void *p, size_t n)
{
    return n >= ZIP_MAGIC_LEN && memcmp(p, ZIP_MAGIC, ZIP_MAGIC_LEN) == 0;
}

/* ---- Kinds and hashes. ----------------------------------------------------------------------- */

static bool file_is_zip(const char *path)
{
    char head[ZIP_MAGIC_LEN];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n == (ssize_t)sizeof head && looks_like_zip(head, sizeof head);
}

enum source_type source_type_of(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return SOURCE_NONE;
    if (S_ISDIR(st.st_mode))
        return SOURCE_DIR;
    if (!S_ISREG(st.st_mode))
        return SOURCE_NONE;
    return file_is_zip(path) ? SOURCE_ZIP : SOURCE_FILE;
}

bool source_zip_has(const char *path, const char *entry)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za)
        return false;
    bool found = zip_name_locate(za, entry, 0) >= 0;
    zip_discard(za);
    return found;
}

static void hex_of(const unsigned char d[crypto_hash_sha256_BYTES], char hex[65])
{
    sodium_bin2hex(hex, 65, d, crypto_hash_sha256_BYTES);
}

int source_sha256_file(const char *path, uint64_t max_bytes, char hex[65], uint64_t *bytes,
                       struct err_ctx *e)
{
    crypto_hash_sha256_state h;
    unsigned char d[crypto_hash_sha256_BYTES];
    unsigned char *chunk = NULL;
    uint64_t total = 0;
    int ret = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return err_set(e, ERR_IO, "file", _("Kan %s niet openen: %s"), base_name(path),
                       strerror(errno));
    chunk = xmalloc(READ_CHUNK);
    crypto_hash_sha256_init(&h);
    for (;;) {
        ssize_t n = read(fd, chunk, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ret = err_set(e, ERR_IO, "file", _("Kan %s niet lezen: %s"), base_name(path),
                          strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (total > max_bytes) {
            ret = err_set(e, ERR_TOO_BIG, "file", _("Het bestand is groter dan %llu MB."),
                          (unsigned long long)(max_bytes / (1024 * 1024)));
            goto out;
        }
        crypto_hash_sha256_update(&h, chunk, (unsigned long long)n);
    }
    crypto_hash_sha256_final(&h, d);
    hex_of(d, hex);
    *bytes = total;
out:
    free(chunk);
    close(fd);
    return ret;
}

/* ---- Reading files. -------------------------------------------------------------------------- */

/* A reusable read buffer. */
struct rbuf {
    unsigned char *p;
    size_t cap;
};

static void rbuf_reserve(struct rbuf *b, size_t n)
{
    if (n <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap < n)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

/* Reads exactly size bytes of fd into b (one more is tried, to notice a file that grew). */
static int read_all(int fd, size_t size, struct rbuf *b, size_t *got)
{
    rbuf_reserve(b, size + 1);
    size_t at = 0;
    while (at < size + 1) {
        ssize_t n = read(fd, b->p + at, size + 1 - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ERR_IO;
        if (n == 0)
            break;
        at += (size_t)n;
    }
    *got = at;
    return 0;
}

static int single_file(const char *path, const char *display, size_t max_item, source_item_fn fn,
                       void *ctx, struct source_info *info, struct err_ctx *e)
{
    struct rbuf b = {0};
    struct stat st;
    char name[NAME_MAX_BYTES + 1] = "";
    int ret = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    append_safe(name, sizeof name, display ? display : base_name(path));
    if (fd < 0 || fstat(fd, &st) != 0) {
        ret = err_set(e, ERR_IO, "file", _("Kan %s niet openen: %s"), name, strerror(errno));
        goto out;
    }
    info->bytes_total = (uint64_t)st.st_size;
    struct source_item it = {.name = name, .index = 1};
    if ((uint64_t)st.st_size > max_item) {
        it.problem = N_("Het bestand is te groot voor één bericht");
    } else {
        size_t got = 0;
        if (read_all(fd, (size_t)st.st_size, &b, &got)) {
            ret = err_set(e, ERR_IO, "file", _("Kan %s niet lezen: %s"), name, strerror(errno));
            goto out;
        }
        if (got > max_item) {
            it.problem = N_("Het bestand is te groot voor één bericht");
        } else {
            it.data = b.p;
            it.len = got;
        }
    }
    info->bytes_done = info->bytes_total;
    info->items = 1;
    ret = fn(ctx, &it);
out:
    if (fd >= 0)
        close(fd);
    free(b.p);
    return ret;
}

/* ---- Zip archives. --------------------------------------------------------------------------- */

static int zip_refuse(struct err_ctx *e, const char *what)
{
    return err_set(e, ERR_TOO_BIG, "file", "%s", what);
}

/* Checks the declared sizes of every entry before anything is inflated. */
static int zip_precheck(zip_t *za, zip_int64_t n, struct lim lim, struct err_ctx *e)
{
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0)
            return err_set(e, ERR_INVALID, "file", "%s", _("Het zip-archief is beschadigd."));
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            continue;
        total += st.size;
        if (total > lim.expanded)
            return err_set(e, ERR_TOO_BIG, "file",
                           _("Het zip-archief pakt uit tot meer dan %llu kB."),
                           (unsigned long long)(lim.expanded >> 10));
        if (st.size > RATIO_MIN_BYTES && st.size / (st.comp_size ? st.comp_size : 1) > lim.ratio)
            return err_set(e, ERR_TOO_BIG, "file",
                           _("Het zip-archief lijkt een zip-bom: een bestand pakt meer dan "
                             "%llu keer groter uit."),
                           (unsigned long long)lim.ratio);
    }
    return 0;
}

/* Inflates one entry into b, counting bytes. *bomb on more bytes than declared. */
static int zip_read_entry(zip_t *za, zip_uint64_t i, uint64_t declared, struct rbuf *b, size_t *got,
                          bool *bomb)
{
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    *bomb = false;
    if (!zf)
        return ERR_INVALID;
    rbuf_reserve(b, (size_t)declared + 1);
    size_t at = 0;
    int ret = 0;
    for (;;) {
        size_t want = (size_t)declared + 1 - at;
        if (want == 0) {
            *bomb = true;
            break;
        }
        zip_int64_t n = zip_fread(zf, b->p + at, want);
        if (n < 0) {
            ret = ERR_INVALID; /* CRC error, unsupported method, encrypted */
            break;
        }
        if (n == 0)
            break;
        at += (size_t)n;
        if (at > declared) {
            *bomb = true;
            break;
        }
    }
    zip_fclose(zf);
    *got = at;
    return ret;
}

/* Delivers the entries of an open archive under "prefix:" (a zip given on its own, or one in a
 * folder). *inflated counts the bytes inflated so far from the whole source, checked against
 * lim.expanded; b is a reusable buffer. 0, the callback's stop value, ERR_TOO_BIG (a limit, a
 * bomb) or ERR_INVALID (a damaged archive), with e->msg. */
static int zip_walk(zip_t *za, const char *prefix, size_t max_item, struct lim lim,
                    uint64_t *inflated, struct rbuf *b, source_item_fn fn, void *ctx,
                    struct source_info *info, struct err_ctx *e)
{
    char name[NAME_MAX_BYTES + 1];
    int ret = 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0)
        return err_set(e, ERR_INVALID, "file", _("%s is geen leesbaar zip-archief."), prefix);
    if ((uint64_t)n > lim.entries)
        return err_set(e, ERR_TOO_BIG, "file", _("Het zip-archief bevat meer dan %llu bestanden."),
                       (unsigned long long)lim.entries);
    if ((ret = zip_precheck(za, n, lim, e)))
        return ret;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE))
            return err_set(e, ERR_INVALID, "file", "%s", _("Het zip-archief is beschadigd."));
        size_t nlen = strlen(st.name);
        if (nlen > 0 && (st.name[nlen - 1] == '/' || st.name[nlen - 1] == '\\'))
            continue; /* a folder entry: not a record */
        struct source_item it = {.name = name, .index = info->items + 1};
        snprintf(name, sizeof name, "%s:", prefix);
        if (nlen == 0 || name_escapes(st.name)) {
            /* Never show such a name: report the entry by its position. */
            snprintf(name, sizeof name, "%s:#%lld", prefix, (long long)i + 1);
            it.problem = N_("Ongeldige bestandsnaam in het archief (absoluut pad of '..')");
        } else {
            append_safe(name, sizeof name, st.name);
            if (name_hidden(st.name)) {
                it.problem = N_("Verborgen bestand: niet gelezen");
                it.skip = true;
            } else if (has_zip_ext(st.name)) {
                it.problem = N_("Zip-archief in een zip-archief: niet gelezen");
                it.skip = true;
            } else if (st.size > max_item) {
                it.problem = N_("Het bestand is te groot voor één bericht");
            }
        }
        if (!it.problem) {
            size_t got = 0;
            bool bomb = false;
            int rc = zip_read_entry(za, (zip_uint64_t)i, st.size, b, &got, &bomb);
            *inflated += got;
            if (bomb || *inflated > lim.expanded)
                return zip_refuse(e, _("Het zip-archief pakt groter uit dan het zelf opgeeft: "
                                       "geweigerd als zip-bom."));
            if (rc) {
                it.problem = N_("Het bestand in het archief is beschadigd of versleuteld");
            } else if (looks_like_zip(b->p, got)) {
                it.problem = N_("Zip-archief in een zip-archief: niet gelezen");
                it.skip = true;
            } else {
                it.data = b->p;
                it.len = got;
            }
        }
        info->bytes_done += (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        if (info->bytes_done > info->bytes_total)
            info->bytes_done = info->bytes_total;
        info->items++;
        if ((ret = fn(ctx, &it)))
            return ret;
    }
    return 0;
}

static int zip_archive(const char *path, const char *display, size_t max_item, struct lim lim,
                       source_item_fn fn, void *ctx, struct source_info *info, struct err_ctx *e)
{
    struct rbuf b = {0};
    struct stat fst;
    char prefix[PREFIX_MAX_BYTES + 1] = "";
    uint64_t inflated = 0;
    int zerr = 0, ret = 0;

    append_safe(prefix, sizeof prefix, display ? display : base_name(path));
    if (stat(path, &fst) != 0)
        return err_set(e, ERR_IO, "file", _("Kan %s niet openen: %s"), prefix, strerror(errno));
    info->bytes_total = (uint64_t)fst.st_size;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za)
        return err_set(e, ERR_INVALID, "file", _("%s is geen leesbaar zip-archief."), prefix);
    ret = zip_walk(za, prefix, max_item, lim, &inflated, &b, fn, ctx, info, e);
    if (!ret)
        info->bytes_done = info->bytes_total;
    zip_discard(za);
    free(b.p);
    return ret;
}

/* ---- Folders. -------------------------------------------------------------------------------- */

struct dir_entry {
    char *rel; /* relative path */
    uint64_t size;
    bool regular; /* false: a symbolic link or special file, reported but not read */
};

struct dir_list {
    struct dir_entry *v;
    size_t n, cap;
    uint64_t bytes;
    uint64_t max; /* files */
};

static int list_add(struct dir_list *l, const char *rel, uint64_t size, bool regular,
                    struct err_ctx *e)
{
    if (l->n >= l->max)
        return err_set(e, ERR_TOO_BIG, "file", _("De map bevat meer dan %llu bestanden."),
                       (unsigned long long)l->max);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct dir_entry){.rel = xstrdup(rel), .size = size, .regular = regular};
    l->bytes += size;
    return 0;
}

static void list_free(struct dir_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].rel);
    free(l->v);
}

/* Collects the entries of the folder open at fd (which this call closes). */
static int walk(int fd, const char *rel, int depth, struct dir_list *l, struct err_ctx *e)
{
    DIR *d = fdopendir(fd);
    int ret = 0;
    if (!d) {
        close(fd);
        return err_set(e, ERR_IO, "file", _("Kan de map %s niet lezen: %s"), rel, strerror(errno));
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[4096];
        size_t rl = strlen(rel), nl = strlen(de->d_name);
        if (rl + 1 + nl + 1 > sizeof path) {
            ret =
                err_set(e, ERR_TOO_BIG, "file", "%s", _("Een bestandsnaam in de map is te lang."));
            break;
        }
        /* "rel/name", or "name" at the top. */
        size_t at = 0;
        if (rl) {
            memcpy(path, rel, rl);
            path[rl] = '/';
            at = rl + 1;
        }
        memcpy(path + at, de->d_name, nl + 1);
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* vanished meanwhile */
        if (S_ISDIR(st.st_mode)) {
            if (depth >= DIR_MAX_DEPTH) {
                ret = err_set(e, ERR_TOO_BIG, "file", _("De map is dieper genest dan %d niveaus."),
                              DIR_MAX_DEPTH);
                break;
            }
            int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                continue;
            if ((ret = walk(sub, path, depth + 1, l, e)))
                break;
        } else if ((ret = list_add(l, path, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0,
                                   S_ISREG(st.st_mode), e))) {
            break;
        }
    }
    closedir(d);
    return ret;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct dir_entry *)a)->rel, ((const struct dir_entry *)b)->rel);
}

/* Hash input per file: name, NUL, size (8 bytes little-endian), content. */
static void hash_entry_head(crypto_hash_sha256_state *h, const struct dir_entry *de)
{
    unsigned char size[8];
    for (int i = 0; i < 8; i++)
        size[i] = (unsigned char)(de->size >> (8 * i));
    crypto_hash_sha256_update(h, (const unsigned char *)de->rel, strlen(de->rel) + 1);
    crypto_hash_sha256_update(h, size, sizeof size);
}

/* True when the file open at fd is a zip archive (by its first bytes); fd is rewound. */
static bool fd_is_zip(int fd)
{
    char head[ZIP_MAGIC_LEN];
    ssize_t n = pread(fd, head, sizeof head, 0);
    return n == (ssize_t)sizeof head && looks_like_zip(head, sizeof head);
}

/* A zip archive in a folder: hashed into the folder's hash like any file, then its entries
 * delivered as if the archive had been given on its own ("map/a.zip:entry.xml"), with the
 * same limits; the bytes inflated count against lim.expanded for the folder as a whole. fd is
 * the archive, open; closed here. */
static int folder_zip(int fd, const struct dir_entry *de, const char *name, size_t max_item,
                      struct lim lim, uint64_t *inflated, struct rbuf *b,
                      crypto_hash_sha256_state *h, source_item_fn fn, void *ctx,
                      struct source_info *info, struct err_ctx *e)
{
    uint64_t done_before = info->bytes_done;
    int zerr = 0, ret = 0;
    if (de->size > IMPORT_MAX_FILE_BYTES) {
        close(fd);
        return err_set(e, ERR_TOO_BIG, "file", _("%s is groter dan %llu MB."), name,
                       (unsigned long long)(IMPORT_MAX_FILE_BYTES / (1024 * 1024)));
    }
    rbuf_reserve(b, READ_CHUNK);
    for (;;) {
        ssize_t n = read(fd, b->p, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return err_set(e, ERR_IO, "file", _("Kan %s niet lezen: %s"), name, strerror(errno));
        }
        if (n == 0)
            break;
        crypto_hash_sha256_update(h, b->p, (unsigned long long)n);
    }
    zip_t *za = lseek(fd, 0, SEEK_SET) == 0 ? zip_fdopen(fd, ZIP_RDONLY, &zerr) : NULL;
    if (!za) {
        close(fd);
        return err_set(e, ERR_INVALID, "file", _("%s is geen leesbaar zip-archief."), name);
    }
    ret = zip_walk(za, name, max_item, lim, inflated, b, fn, ctx, info, e);
    zip_discard(za); /* closes fd */
    info->bytes_done = done_before + de->size;
    return ret;
}

static int folder(const char *path, const char *display, size_t max_item, struct lim lim,
                  source_item_fn fn, void *ctx, struct source_info *info, struct err_ctx *e)
{
    uint64_t inflated = 0;
    struct dir_list l = {.max = lim.dir_files};
    struct rbuf b = {0};
    crypto_hash_sha256_state h;
    unsigned char d[crypto_hash_sha256_BYTES];
    char prefix[PREFIX_MAX_BYTES + 1] = "";
    char name[NAME_MAX_BYTES + 1];
    int ret = 0;

    int root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return err_set(e, ERR_IO, "file", _("Kan de map %s niet openen: %s"), base_name(path),
                       strerror(errno));
    int walk_fd = dup(root);
    if (walk_fd < 0) {
        close(root);
        return err_set(e, ERR_IO, "file", "%s", strerror(errno));
    }
    if ((ret = walk(walk_fd, "", 0, &l, e)))
        goto out;
    if (l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, cmp_entry);
    info->bytes_total = l.bytes;
    append_safe(prefix, sizeof prefix, display ? display : base_name(path));
    crypto_hash_sha256_init(&h);
    for (size_t i = 0; i < l.n; i++) {
        const struct dir_entry *de = &l.v[i];
        struct source_item it = {.name = name, .index = info->items + 1};
        snprintf(name, sizeof name, "%s/", prefix);
        append_safe(name, sizeof name, de->rel);
        hash_entry_head(&h, de);
        int fd = -1;
        if (!de->regular) {
            it.problem = N_("Geen gewoon bestand (bijvoorbeeld een snelkoppeling): niet gelezen");
            it.skip = true;
        } else if (name_hidden(de->rel)) {
            it.problem = N_("Verborgen bestand: niet gelezen");
            it.skip = true;
        } else if ((fd = openat(root, de->rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
            it.problem = N_("Het bestand kan niet worden geopend");
        } else if (has_zip_ext(de->rel) || fd_is_zip(fd)) {
            /* A folder of zip archives is a normal delivery. */
            ret = folder_zip(fd, de, name, max_item, lim, &inflated, &b, &h, fn, ctx, info, e);
            if (ret)
                goto out;
            continue;
        } else if (de->size > max_item) {
            it.problem = N_("Het bestand is te groot voor één bericht");
        } else {
            size_t got = 0;
            if (read_all(fd, (size_t)de->size, &b, &got) || got > max_item) {
                it.problem = N_("Het bestand kan niet worden gelezen");
            } else {
                crypto_hash_sha256_update(&h, b.p, got);
                it.data = b.p;
                it.len = got;
            }
        }
        if (fd >= 0)
            close(fd);
        info->bytes_done += de->size;
        info->items++;
        if ((ret = fn(ctx, &it)))
            goto out;
    }
    crypto_hash_sha256_final(&h, d);
    hex_of(d, info->sha256);
out:
    close(root);
    list_free(&l);
    free(b.p);
    return ret;
}

int source_each(const char *path, const char *display, size_t max_item,
                const struct import_limits *limits, source_item_fn fn, void *ctx,
                struct source_info *info, struct err_ctx *e)
{
    struct lim lim = resolve(limits);
    memset(info, 0, sizeof *info);
    info->type = source_type_of(path);
    switch (info->type) {
    case SOURCE_FILE:
        return single_file(path, display, max_item, fn, ctx, info, e);
    case SOURCE_DIR:
        return folder(path, display, max_item, lim, fn, ctx, info, e);
    case SOURCE_ZIP:
        return zip_archive(path, display, max_item, lim, fn, ctx, info, e);
    case SOURCE_NONE:
        break;
    }
    return err_set(e, ERR_NOT_FOUND, "file", _("%s bestaat niet of is geen bestand of map."),
                   base_name(path));
}
