/* fault.c — a SQLite VFS that passes every call to the default VFS, except
 * the writes, syncs and opens a test told it to fail (see fault.h). */
#include "fault.h"
#include "log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ffile {
    sqlite3_file base;
    sqlite3_file *real;     /* the default VFS's file, allocated right after */
};

static sqlite3_vfs fvfs;
static sqlite3_vfs *real_vfs;
static sqlite3_io_methods fio;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int registered;
static const char *ctl_file;            /* LIANXI_FAULT_FILE */
static struct timespec ctl_mtime;
static off_t ctl_size = -1;
static enum fault_kind kind;
static long after;                      /* operations to let through first */
static int once;
static atomic_ulong failed;

enum { OP_WRITE, OP_SYNC, OP_OPEN };

/* 1 when fault k fails operation op. */
static int
applies(enum fault_kind k, int op)
{
    return (k == FAULT_FULL && op == OP_WRITE) || (k == FAULT_IOERR && op != OP_OPEN) ||
           (k == FAULT_OPEN && op == OP_OPEN);
}

/* The fault that fails this operation (op), or FAULT_NONE; counts it. */
static enum fault_kind
current(int op)
{
    enum fault_kind k;
    struct stat sb;

    pthread_mutex_lock(&lock);
    if (ctl_file) {
        if (stat(ctl_file, &sb) < 0) {
            kind = FAULT_NONE;
            ctl_size = -1;
        } else if (sb.st_size != ctl_size || sb.st_mtim.tv_sec != ctl_mtime.tv_sec ||
                   sb.st_mtim.tv_nsec != ctl_mtime.tv_nsec) {
            char word[16] = "";
            FILE *f = fopen(ctl_file, "r");
            if (f) {
                if (fscanf(f, "%15s", word) != 1)
                    word[0] = '\0';
                fclose(f);
            }
            kind = strcmp(word, "full") == 0 ? FAULT_FULL : strcmp(word, "ioerr") == 0
                   ? FAULT_IOERR : strcmp(word, "open") == 0 ? FAULT_OPEN : FAULT_NONE;
            ctl_mtime = sb.st_mtim;
            ctl_size = sb.st_size;
        }
    }
    k = applies(kind, op) ? kind : FAULT_NONE;
    if (k != FAULT_NONE && after > 0) {
        after--;
        k = FAULT_NONE;
    } else if (k != FAULT_NONE && once) {
        kind = FAULT_NONE;
        once = 0;
    }
    pthread_mutex_unlock(&lock);
    if (k != FAULT_NONE)
        atomic_fetch_add(&failed, 1);
    return k;
}

#define REAL(f) (((struct ffile *)(f))->real)

static int
f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    switch (current(OP_WRITE)) {
    case FAULT_FULL: return SQLITE_FULL;
    case FAULT_IOERR: return SQLITE_IOERR_WRITE;
    default: return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
    }
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
    /* A full disk still syncs what was written; a broken one does not. */
    if (current(OP_SYNC) == FAULT_IOERR)
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int
f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int
f_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
f_fctl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
f_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
f_shmmap(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int
f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
f_shmbarrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
f_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int
f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int
v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    struct ffile *ff = (struct ffile *)file;
    int rc;

    (void)vfs;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    if ((flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) && current(OP_OPEN) == FAULT_OPEN)
        return SQLITE_CANTOPEN;
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    if (rc == SQLITE_OK && ff->real->pMethods) {
        ff->base.pMethods = &fio;
    }
    return rc;
}

static int
v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync);
}

static int
v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int
v_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *
v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void
v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void
v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}

static int
v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int
v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int
v_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int
v_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}

static int
v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

/* Registers the wrapper as the default VFS.  Called with lock held. */
static int
register_vfs(void)
{
    if (registered)
        return 0;
    if (sqlite3_initialize() != SQLITE_OK || !(real_vfs = sqlite3_vfs_find(NULL)))
        return -1;
    fvfs.iVersion = 2;
    fvfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
    fvfs.mxPathname = real_vfs->mxPathname;
    fvfs.zName = "lianxi-fault";
    fvfs.xOpen = v_open;
    fvfs.xDelete = v_delete;
    fvfs.xAccess = v_access;
    fvfs.xFullPathname = v_fullpath;
    fvfs.xDlOpen = v_dlopen;
    fvfs.xDlError = v_dlerror;
    fvfs.xDlSym = v_dlsym;
    fvfs.xDlClose = v_dlclose;
    fvfs.xRandomness = v_random;
    fvfs.xSleep = v_sleep;
    fvfs.xCurrentTime = v_time;
    fvfs.xGetLastError = v_lasterr;
    fvfs.xCurrentTimeInt64 = v_time64;
    /* The wrapper's methods, filled once before any file is opened. */
    fio.iVersion = 3;
    fio.xClose = f_close;
    fio.xRead = f_read;
    fio.xWrite = f_write;
    fio.xTruncate = f_truncate;
    fio.xSync = f_sync;
    fio.xFileSize = f_size;
    fio.xLock = f_lock;
    fio.xUnlock = f_unlock;
    fio.xCheckReservedLock = f_check;
    fio.xFileControl = f_fctl;
    fio.xSectorSize = f_sector;
    fio.xDeviceCharacteristics = f_devchar;
    fio.xShmMap = f_shmmap;
    fio.xShmLock = f_shmlock;
    fio.xShmBarrier = f_shmbarrier;
    fio.xShmUnmap = f_shmunmap;
    fio.xFetch = f_fetch;
    fio.xUnfetch = f_unfetch;
    if (sqlite3_vfs_register(&fvfs, 1) != SQLITE_OK)
        return -1;
    registered = 1;
    return 0;
}

int
fault_init(void)
{
    const char *env = getenv("LIANXI_FAULT_FILE");
    int rc = 0;

    if (!env || !*env)
        return 0;
    pthread_mutex_lock(&lock);
    if (!registered) {
        ctl_file = env;
        rc = register_vfs();
        if (rc == 0)
            log_warnx("storage faults are injected from %s (LIANXI_FAULT_FILE: tests only)",
                      env);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void
fault_set(enum fault_kind k, int n, int one)
{
    pthread_mutex_lock(&lock);
    if (k != FAULT_NONE)
        register_vfs();
    kind = k;
    after = n;
    once = one;
    pthread_mutex_unlock(&lock);
}

unsigned long
fault_count(void)
{
    return atomic_load(&failed);
}
