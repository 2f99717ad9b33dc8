/*
 * replay_main.c: a main() for fuzz harnesses built with -DFUZZ_REPLAY (gcc, ASan+UBSan) so
 * that ctest replays every committed corpus file on every run. Arguments are files or
 * directories (searched recursively, in sorted order). Each input is passed in a heap block
 * of exactly its size so that ASan catches reads past the end. Fails if no input was found.
 */
#include "fuzz.h"
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_INPUT (16u * 1024u * 1024u)
#define REPLAY_MAX_PATH  4096

static size_t replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = -1;
    uint8_t *data = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto out;
    long size = ftell(f);
    if (size < 0 || (unsigned long)size > REPLAY_MAX_INPUT || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: %s: unreadable or larger than %u bytes\n", path, REPLAY_MAX_INPUT);
        goto out;
    }
    data = malloc(size ? (size_t)size : 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        goto out;
    }
    LLVMFuzzerTestOneInput(data, (size_t)size);
    replayed++;
    rc = 0;
out:
    free(data);
    fclose(f);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);

    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory %s\n", path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') /* ., .., hidden files such as .gitkeep */
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = -1;
                goto out;
            }
            names = grown;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            rc = -1;
            goto out;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char child[REPLAY_MAX_PATH];
        int len = snprintf(child, sizeof child, "%s/%s", path, names[i]);
        if (len < 0 || (size_t)len >= sizeof child) {
            fprintf(stderr, "replay: path too long under %s\n", path);
            rc = -1;
        } else {
            rc = replay_path(child);
        }
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i]) != 0)
            return 1;
    if (replayed == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    printf("replay: %zu inputs, no failures\n", replayed);
    return 0;
}
