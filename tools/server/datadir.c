/*
 * datadir.c — the data directory: layout, synced renames, the start-up
 * sweep. See datadir.h.
 */
#include "datadir.h"
#include "signing.h"

#include "crashpoint.h"

#include "ids.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_dir(const char *path, char *err)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return 0;
        errno = ENOTDIR;
    }
    snprintf(err, 256, "%.200s: %s", path, strerror(errno));
    return -1;
}

int datadir_prepare(const char *dir, char *err)
{
    char p[DATADIR_PATH_MAX];
    if (strlen(dir) > DATADIR_PATH_MAX - 128) {
        snprintf(err, 256, "the data directory's path is too long");
        return -1;
    }
    if (make_dir(dir, err) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/tmp", dir);
    if (make_dir(p, err) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/batches", dir);
    return make_dir(p, err);
}

int datadir_lock(const char *dir, char *err)
{
    char p[DATADIR_PATH_MAX];
    snprintf(p, sizeof p, "%s/lock", dir);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    if (fd >= 0 && errno == EWOULDBLOCK)
        snprintf(err, 256, "%.180s: another docflow serve is using this data directory", dir);
    else
        snprintf(err, 256, "%.200s: %s", p, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

int datadir_temp(const char *dir, char *path)
{
    snprintf(path, DATADIR_PATH_MAX, "%s/tmp/upload-XXXXXX", dir);
    return mkostemp(path, O_CLOEXEC);
}

int datadir_sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int datadir_input_path(const char *dir, const char *batch_id, uint32_t index,
                       const char *format, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/batches/%s/input/%04u.%s", dir, batch_id, (unsigned)index,
                     format);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

void datadir_file_key(const char *batch_id, uint32_t index, const char *format, char *out,
                      size_t cap)
{
    snprintf(out, cap, "batch/%s/input/%04u.%s", batch_id, (unsigned)index, format);
}

static void batch_dirs(const char *dir, const char *batch_id, char *bdir, char *idir)
{
    snprintf(bdir, DATADIR_PATH_MAX, "%s/batches/%s", dir, batch_id);
    snprintf(idir, DATADIR_PATH_MAX, "%s/batches/%s/input", dir, batch_id);
}

int datadir_adopt(const char *dir, const char *batch_id, char *const *temps,
                  const st_file *files, size_t n)
{
    char bdir[DATADIR_PATH_MAX], idir[DATADIR_PATH_MAX], dst[DATADIR_PATH_MAX],
        top[DATADIR_PATH_MAX];
    batch_dirs(dir, batch_id, bdir, idir);
    snprintf(top, sizeof top, "%s/batches", dir);
    int ok = mkdir(bdir, 0700) == 0 && mkdir(idir, 0700) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        ok = datadir_input_path(dir, batch_id, (uint32_t)i, files[i].format, dst, sizeof dst) == 0
             && rename(temps[i], dst) == 0;
        crash_point("adopt", NULL); /* some files renamed, others still in tmp/ */
    }
    ok = ok && datadir_sync_dir(idir) == 0 && datadir_sync_dir(bdir) == 0 &&
         datadir_sync_dir(top) == 0;
    if (!ok) {
        int saved = errno;
        datadir_remove_batch(dir, batch_id);
        errno = saved;
        return -1;
    }
    return 0;
}

static void remove_files_in(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char p[DATADIR_PATH_MAX];
    while (d && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
}

int datadir_remove_batch(const char *dir, const char *batch_id)
{
    char bdir[DATADIR_PATH_MAX], idir[DATADIR_PATH_MAX], top[DATADIR_PATH_MAX];
    batch_dirs(dir, batch_id, bdir, idir);
    remove_files_in(idir);
    rmdir(idir);
    remove_files_in(bdir); /* nothing else is put there; a stray file must not keep it */
    int rc = rmdir(bdir) == 0 || errno == ENOENT ? 0 : -1;
    snprintf(top, sizeof top, "%s/batches", dir);
    datadir_sync_dir(top);
    return rc;
}

int datadir_sweep(const char *dir, store *s, int *removed, char *err)
{
    char p[DATADIR_PATH_MAX], id[IDS_UUID_LEN + 1];
    *removed = 0;
    snprintf(p, sizeof p, "%s/tmp", dir);
    remove_files_in(p);
    snprintf(p, sizeof p, "%s/batches", dir);
    DIR *d = opendir(p);
    if (!d) {
        snprintf(err, 256, "%.200s: %s", p, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        int live = 0;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (ids_parse_uuid(e->d_name, id) == 0 && sign_equal(id, e->d_name)) {
            int sr = store_batch_exists(s, id, &live);
            if (sr == STORE_ERROR) {
                snprintf(err, 256, "sweep: %.240s", store_error(s));
                rc = -1;
            }
        }
        if (rc == 0 && !live) {
            datadir_remove_batch(dir, e->d_name);
            (*removed)++;
        }
    }
    closedir(d);
    return rc;
}
