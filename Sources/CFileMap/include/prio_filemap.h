// A file mapped read-only under a read lease, for prio's read-only commands.
//
// While the lease is held, another process that opens the file for writing or truncates it
// waits; prio is told (SIGIO), and the handler here first turns the mapping into a private copy
// at the same address, then lets the lease go. So a mapped file's bytes never change under
// prio and never vanish (no SIGBUS for a file cut short by another program).
#ifndef PRIO_FILEMAP_H
#define PRIO_FILEMAP_H

#include <stddef.h>

/// Maps the regular file open read-only on `fd` under a read lease. On success returns the
/// bytes, sets `*length` to the file's size and `*slot` to the mapping's handle; `fd` then
/// belongs to the mapping (closed by `prio_filemap_release`). Returns NULL when the file cannot
/// be leased (not the owner, someone has it open for writing, a file system without leases) or
/// mapped, or is empty or larger than `limit`: `fd` stays the caller's, to read the file instead.
const unsigned char *prio_filemap_map(int fd, size_t limit, size_t *length, int *slot);

/// Unmaps a mapping, lets its lease go and closes its file.
void prio_filemap_release(int slot);

/// Acts as if every mapped file's lease were being broken (for tests): each mapping becomes a
/// private copy and its lease is let go. Returns how many were turned into copies.
int prio_filemap_copy_all(void);

#endif
