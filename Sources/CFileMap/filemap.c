// See prio_filemap.h. Only async-signal-safe calls (system calls and memcpy) run in the handlers.
#define _GNU_SOURCE
#include "prio_filemap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_MAPPED, SLOT_BUSY, SLOT_COPIED };
enum { SLOT_COUNT = 32 };

struct slot {
    _Atomic int state;
    unsigned char *base;
    size_t length;   // the file's size
    size_t mapped;   // rounded up to whole pages
    int fd;
};

static struct slot slots[SLOT_COUNT];
static _Atomic int handlers_installed;
static struct sigaction previous_bus;

/// Turns slot `i` into a private copy and lets its lease go, unless another thread already
/// does or did. Safe in a signal handler.
static int copy_slot(int i) {
    int expected = SLOT_MAPPED;
    if (!atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_BUSY)) return 0;
    struct slot *s = &slots[i];
    void *copy = mmap(NULL, s->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy != MAP_FAILED) {
        memcpy(copy, s->base, s->length);
        mprotect(copy, s->mapped, PROT_READ);
        // Moves the copy's pages over the file's at the same address, in one step.
        if (mremap(copy, s->mapped, s->mapped, MREMAP_MAYMOVE | MREMAP_FIXED, s->base) == MAP_FAILED) {
            munmap(copy, s->mapped);
        }
    }
    fcntl(s->fd, F_SETLEASE, F_UNLCK);
    atomic_store(&s->state, SLOT_COPIED);
    return 1;
}

static void on_lease_break(int signal) {
    (void)signal;
    int saved = errno;
    for (int i = 0; i < SLOT_COUNT; i++) copy_slot(i);
    errno = saved;
}

/// A bus error inside a mapping (the disk failed, or a copy could not be made in time) ends
/// prio with a message instead of a crash; any other goes on as it would have.
static void on_bus_error(int signal, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < SLOT_COUNT; i++) {
        int state = atomic_load(&slots[i].state);
        uintptr_t base = (uintptr_t)slots[i].base;
        if (state != SLOT_FREE && address >= base && address < base + slots[i].mapped) {
            static const char message[] =
                "prio: error: the backlog file could not be read to the end (a disk error, or another "
                "program cut it short while prio read it); nothing was written\n";
            ssize_t ignored = write(2, message, sizeof message - 1);
            (void)ignored;
            _exit(1);
        }
    }
    sigaction(signal, &previous_bus, NULL);
}

static void install_handlers(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&handlers_installed, &expected, 1)) return;
    struct sigaction io;
    memset(&io, 0, sizeof io);
    io.sa_handler = on_lease_break;
    io.sa_flags = SA_RESTART;
    sigemptyset(&io.sa_mask);
    sigaction(SIGIO, &io, NULL);
    struct sigaction bus;
    memset(&bus, 0, sizeof bus);
    bus.sa_sigaction = on_bus_error;
    bus.sa_flags = SA_SIGINFO;
    sigemptyset(&bus.sa_mask);
    sigaction(SIGBUS, &bus, &previous_bus);
}

const unsigned char *prio_filemap_map(int fd, size_t limit, size_t *length, int *slot) {
    install_handlers();
    int i = 0;
    for (; i < SLOT_COUNT; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_BUSY)) break;
    }
    if (i == SLOT_COUNT) return NULL;
    struct slot *s = &slots[i];
    // The lease first, then the size: from here on nobody changes the file unnoticed.
    if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0) goto unused;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0 || (size_t)info.st_size > limit) {
        goto unleased;
    }
    long page = sysconf(_SC_PAGESIZE);
    size_t size = (size_t)info.st_size;
    size_t mapped = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
    void *base = mmap(NULL, mapped, PROT_READ, MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED) goto unleased;
    s->base = base;
    s->length = size;
    s->mapped = mapped;
    s->fd = fd;
    atomic_store(&s->state, SLOT_MAPPED);
    // A break that began before the slot was marked found nothing to copy: copy now.
    if (fcntl(fd, F_GETLEASE) != F_RDLCK) copy_slot(i);
    *length = size;
    *slot = i;
    return base;
unleased:
    fcntl(fd, F_SETLEASE, F_UNLCK);
unused:
    atomic_store(&s->state, SLOT_FREE);
    return NULL;
}

void prio_filemap_release(int slot) {
    if (slot < 0 || slot >= SLOT_COUNT) return;
    struct slot *s = &slots[slot];
    for (;;) {
        int expected = SLOT_MAPPED;
        if (atomic_compare_exchange_strong(&s->state, &expected, SLOT_BUSY)) break;
        if (expected == SLOT_COPIED && atomic_compare_exchange_strong(&s->state, &expected, SLOT_BUSY)) break;
        if (expected == SLOT_FREE) return;
        sched_yield();  // a handler is making the copy
    }
    munmap(s->base, s->mapped);
    fcntl(s->fd, F_SETLEASE, F_UNLCK);
    close(s->fd);
    s->base = NULL;
    atomic_store(&s->state, SLOT_FREE);
}

int prio_filemap_copy_all(void) {
    int copied = 0;
    for (int i = 0; i < SLOT_COUNT; i++) copied += copy_slot(i);
    return copied;
}
