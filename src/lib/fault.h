/* fault.h — storage faults for tests, the way beanstalkd swaps its falloc:
 * a SQLite VFS over the default one whose writes, syncs or opens can be made
 * to fail as a full disk or a broken one would.  Production never turns it
 * on; it is there so that every "nothing is lost when the disk fails" path
 * runs in a test. */
#ifndef LX_FAULT_H
#define LX_FAULT_H

enum fault_kind {
    FAULT_NONE = 0,
    FAULT_FULL,         /* writes fail with SQLITE_FULL (no space left) */
    FAULT_IOERR,        /* writes and syncs fail with SQLITE_IOERR */
    FAULT_OPEN,         /* opening a database file fails (SQLITE_CANTOPEN) */
};

/* Registers the fault VFS as SQLite's default, once per process, when a
 * test asked for it: LIANXI_FAULT_FILE names a file whose first word
 * (full, ioerr, open, or nothing) is the fault in force, read again
 * whenever the file changes, so a test can fill and free "the disk" of a
 * running program.  Without the variable and without fault_set, nothing is
 * registered.  Call before opening a database.  Returns 0, or -1. */
int fault_init(void);

/* In-process: from the (after + 1)-th write (or sync, or open) on, fail as
 * kind; once = 1 fails one operation only.  FAULT_NONE clears.  Registers
 * the VFS when needed. */
void fault_set(enum fault_kind kind, int after, int once);

/* Operations failed so far by the fault VFS. */
unsigned long fault_count(void);

#endif
