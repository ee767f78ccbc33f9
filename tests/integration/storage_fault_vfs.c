/* A SQLite VFS that fails writes on demand, for the storage fault tests
 * (storage_fault_test.cpp). Tests run as root in a container, where chmod stops nothing and
 * mounting a small or read-only filesystem may be forbidden; a VFS fails writes the way the
 * kernel would, at the one layer SQLite reads errors from.
 *
 * Preloaded into a cardsync process (LD_PRELOAD), it registers itself as SQLite's default VFS
 * over "unix", so the SQLite storage plugin's connections use it without knowing. Every write
 * goes through unchanged unless the file named by CARDSYNC_TEST_STORAGE_FAULT exists; its
 * first word picks the fault:
 *   disk-full  a write fails as on ENOSPC: SQLITE_FULL, which is what the unix VFS returns
 *              (every write, not only those that extend a file: on copy-on-write
 *              filesystems an overwrite needs new blocks too)
 *   read-only  a write fails as on a filesystem remounted read-only after errors:
 *              SQLITE_IOERR_WRITE with errno EROFS, and statvfs() reports the filesystem
 *              read-only (ST_RDONLY), as the kernel does after such a remount
 * Removing the file ends the fault: the test plays the operator who freed space. */
#define _GNU_SOURCE /* RTLD_NEXT, statvfs64 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

typedef struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real; /* the unix VFS's file, allocated right after this struct */
} FaultFile;

enum Fault { kNoFault, kDiskFull, kReadOnly };

static sqlite3_vfs* real_vfs;
static sqlite3_vfs fault_vfs;
static _Thread_local int injected_errno; /* for xGetLastError after an injected failure */

static enum Fault current_fault(void) {
  const char* path = getenv("CARDSYNC_TEST_STORAGE_FAULT");
  if (path == NULL) return kNoFault;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return kNoFault;
  char word[16] = {0};
  ssize_t n = read(fd, word, sizeof word - 1);
  close(fd);
  if (n <= 0) return kNoFault;
  if (strncmp(word, "disk-full", 9) == 0) return kDiskFull;
  if (strncmp(word, "read-only", 9) == 0) return kReadOnly;
  return kNoFault;
}

static sqlite3_file* real_of(sqlite3_file* f) {
  return ((FaultFile*)f)->real;
}

static int fault_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  switch (current_fault()) {
    case kDiskFull:
      injected_errno = ENOSPC;
      return SQLITE_FULL;
    case kReadOnly:
      injected_errno = EROFS;
      errno = EROFS;
      return SQLITE_IOERR_WRITE;
    case kNoFault:
      break;
  }
  injected_errno = 0;
  sqlite3_file* r = real_of(f);
  return r->pMethods->xWrite(r, data, amount, offset);
}

static int fault_close(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xClose(r);
}
static int fault_read(sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xRead(r, data, amount, offset);
}
static int fault_truncate(sqlite3_file* f, sqlite3_int64 size) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xTruncate(r, size);
}
static int fault_sync(sqlite3_file* f, int flags) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xSync(r, flags);
}
static int fault_file_size(sqlite3_file* f, sqlite3_int64* size) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xFileSize(r, size);
}
static int fault_lock(sqlite3_file* f, int level) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xLock(r, level);
}
static int fault_unlock(sqlite3_file* f, int level) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xUnlock(r, level);
}
static int fault_check_reserved_lock(sqlite3_file* f, int* out) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xCheckReservedLock(r, out);
}
static int fault_file_control(sqlite3_file* f, int op, void* arg) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xFileControl(r, op, arg);
}
static int fault_sector_size(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xSectorSize(r);
}
static int fault_device_characteristics(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xDeviceCharacteristics(r);
}
static int fault_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xShmMap(r, page, size, extend, out);
}
static int fault_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xShmLock(r, offset, n, flags);
}
static void fault_shm_barrier(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  r->pMethods->xShmBarrier(r);
}
static int fault_shm_unmap(sqlite3_file* f, int delete_flag) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xShmUnmap(r, delete_flag);
}
static int fault_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xFetch(r, offset, amount, out);
}
static int fault_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xUnfetch(r, offset, page);
}

static const sqlite3_io_methods fault_io_methods = {
    3,
    fault_close,
    fault_read,
    fault_write,
    fault_truncate,
    fault_sync,
    fault_file_size,
    fault_lock,
    fault_unlock,
    fault_check_reserved_lock,
    fault_file_control,
    fault_sector_size,
    fault_device_characteristics,
    fault_shm_map,
    fault_shm_lock,
    fault_shm_barrier,
    fault_shm_unmap,
    fault_fetch,
    fault_unfetch,
};

static int fault_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags,
                      int* out_flags) {
  (void)vfs;
  FaultFile* file = (FaultFile*)f;
  file->real = (sqlite3_file*)(file + 1);
  int rc = real_vfs->xOpen(real_vfs, name, file->real, flags, out_flags);
  /* The unix VFS's files are version 3; a file without methods was not opened. */
  file->base.pMethods = file->real->pMethods != NULL ? &fault_io_methods : NULL;
  return rc;
}

static int fault_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  (void)vfs;
  if (injected_errno != 0) return injected_errno;
  return real_vfs->xGetLastError(real_vfs, size, out);
}

/* The filesystem's state as the kernel would report it during the fault; interposed over
 * libc's for the whole process, so the plugin's look at the filesystem sees it too. */
int statvfs(const char* path, struct statvfs* buf) {
  int (*real)(const char*, struct statvfs*) = NULL;
  void* symbol = dlsym(RTLD_NEXT, "statvfs");
  memcpy(&real, &symbol, sizeof real); /* POSIX's way round ISO C's object/function split */
  int rc = real(path, buf);
  if (rc == 0 && current_fault() == kReadOnly) buf->f_flag |= ST_RDONLY;
  return rc;
}

int statvfs64(const char* path, struct statvfs64* buf) {
  int (*real)(const char*, struct statvfs64*) = NULL;
  void* symbol = dlsym(RTLD_NEXT, "statvfs64");
  memcpy(&real, &symbol, sizeof real); /* POSIX's way round ISO C's object/function split */
  int rc = real(path, buf);
  if (rc == 0 && current_fault() == kReadOnly) buf->f_flag |= ST_RDONLY;
  return rc;
}

__attribute__((constructor)) static void register_fault_vfs(void) {
  real_vfs = sqlite3_vfs_find("unix");
  if (real_vfs == NULL) abort();
  /* Every other method is the unix VFS's own: they read nothing of the VFS object beyond
   * what the copy keeps (mxPathname, pAppData). */
  fault_vfs = *real_vfs;
  fault_vfs.zName = "cardsync-test-fault";
  fault_vfs.pNext = NULL;
  fault_vfs.szOsFile = (int)sizeof(FaultFile) + real_vfs->szOsFile;
  fault_vfs.xOpen = fault_open;
  fault_vfs.xGetLastError = fault_get_last_error;
  if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK) abort();
}
