// What glibc declares only under _GNU_SOURCE, which Swift's Glibc module leaves out: a pipe made
// close-on-exec at once, and the posix_spawn file actions that change the child's directory and
// close every descriptor it would inherit.
#ifndef PRIO_SPAWN_H
#define PRIO_SPAWN_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): a pipe whose two ends no other program started meanwhile inherits;
/// 0, or -1 with errno set.
int prio_pipe_cloexec(int fds[2]);

/// Adds "change to `path`" to the actions (posix_spawn_file_actions_addchdir_np); 0 or an errno
/// value (ENOSYS where the C library has no such action).
int prio_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// Adds "close every descriptor from `from` up" to the actions
/// (posix_spawn_file_actions_addclosefrom_np, glibc 2.34); 0 or an errno value (ENOSYS where
/// the C library has no such action: the caller's descriptors must then be close-on-exec).
int prio_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
