/*
 * xlsx_file.c: a workbook on a temporary file, read back when done (xlsx_file.h).
 */
#include "report/xlsx_file.h"
#include "core/common.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int xlsx_file_open(struct xlsx_file *f, struct arena *a, const char *tmp_dir, const char *prefix,
                   struct err_ctx *e)
{
    memset(f, 0, sizeof *f);
    const char *dir = tmp_dir && *tmp_dir ? tmp_dir : "/tmp";
    char *path = arena_printf(a, "%s/%s-XXXXXX", dir, prefix ? prefix : "export");
    if (!path)
        return err_set(e, ERR_NOMEM, NULL, "%s", _("Het bestand wordt te groot."));
    /* mkstemp gives a private (0600) unique name; libxlsxwriter then rewrites that file. */
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(e, ERR_IO, NULL, "export: cannot create a temp file in %s: %s", dir,
                       strerror(errno));
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir};
    f->wb = workbook_new_opt(path, &opt);
    if (!f->wb) {
        unlink(path);
        return err_set(e, ERR_IO, NULL, "export: cannot start workbook %s", path);
    }
    f->path = path;
    return 0;
}

static int read_back(const char *path, struct arena *a, const char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return ERR_IO;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || (uint64_t)st.st_size > XLSX_FILE_MAX_BYTES) {
        close(fd);
        return ERR_TOO_BIG;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *p = arena_alloc(a, n + 1);
    if (!p) {
        close(fd);
        return ERR_NOMEM;
    }
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return ERR_IO;
        }
        got += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *out = p;
    *len = n;
    return 0;
}

int xlsx_file_finish(struct xlsx_file *f, lxw_error err, struct arena *a, const char **out,
                     size_t *len, struct err_ctx *e)
{
    lxw_error cerr = workbook_close(f->wb);
    f->wb = NULL;
    int rc = 0;
    if (err || cerr)
        rc = err_set(e, ERR_IO, NULL, "export: libxlsxwriter: %s", lxw_strerror(err ? err : cerr));
    else if ((rc = read_back(f->path, a, out, len)) != 0)
        err_set(e, rc, NULL, "export: cannot read back %s", f->path);
    unlink(f->path);
    return rc;
}
