#ifndef PRIO_CRASHSAVE_H
#define PRIO_CRASHSAVE_H

#include <stddef.h>

/// Keeps what a crash must write: the recovery file's path and bytes, copied now (outside any
/// signal handler). A NULL path (or a count of 0) forgets what was kept. Returns 0, or -1 when
/// memory ran out (what was kept before stays).
int prio_crashsave_prepare(const char *path, const unsigned char *bytes, size_t count);

/// Installs the handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT, on a stack of their
/// own, and remembers the terminal's modes (call before curses starts). Each handler writes
/// the prepared bytes to a new file at the prepared path (never over an existing one), puts the
/// terminal back, says where the work went, and lets the signal end the process.
void prio_crashsave_install(void);

/// Puts the previous handlers back and forgets what was prepared.
void prio_crashsave_uninstall(void);

#endif
