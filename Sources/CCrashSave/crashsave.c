// Crash-time recovery: a fatal signal writes the unsaved work the screen prepared before it.
// Everything the handler touches is prepared beforehand; the handler itself calls only
// async-signal-safe functions (open, write, fsync, close, tcsetattr, sigaction, raise).
#define _GNU_SOURCE
#include "prio_crashsave.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
    char *path;
    unsigned char *bytes;
    size_t count;
    char *message;
    size_t messageLength;
} Prepared;

/// The prepared work the handler reads; swapped whole, so the handler sees an old or a new one.
static _Atomic(Prepared *) current = NULL;
/// The one before, freed at the next swap (a handler running on another thread may still read it
/// until then; the screen has one thread, so it never does).
static Prepared *retired = NULL;

static const int handled[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define HANDLED_COUNT (sizeof handled / sizeof handled[0])
static struct sigaction previous[HANDLED_COUNT];
static int installed = 0;
static struct termios shellModes;
static int haveShellModes = 0;
static stack_t alternate;

static void release(Prepared *p) {
    if (p == NULL) return;
    free(p->path);
    free(p->bytes);
    free(p->message);
    free(p);
}

int prio_crashsave_prepare(const char *path, const unsigned char *bytes, size_t count) {
    Prepared *made = NULL;
    if (path != NULL && count > 0) {
        made = calloc(1, sizeof *made);
        if (made == NULL) return -1;
        made->path = strdup(path);
        made->bytes = malloc(count);
        static const char head[] = "prio: crashed; unsaved changes were kept in ";
        static const char tail[] = "; open the backlog again to restore them\n";
        size_t pathLength = strlen(path);
        made->messageLength = sizeof head - 1 + pathLength + sizeof tail - 1;
        made->message = malloc(made->messageLength);
        if (made->path == NULL || made->bytes == NULL || made->message == NULL) {
            release(made);
            return -1;
        }
        memcpy(made->bytes, bytes, count);
        made->count = count;
        memcpy(made->message, head, sizeof head - 1);
        memcpy(made->message + sizeof head - 1, path, pathLength);
        memcpy(made->message + sizeof head - 1 + pathLength, tail, sizeof tail - 1);
    }
    Prepared *old = atomic_exchange(&current, made);
    release(retired);
    retired = old;
    return 0;
}

static void writeAll(int fd, const unsigned char *bytes, size_t count) {
    while (count > 0) {
        ssize_t written = write(fd, bytes, count);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        bytes += written;
        count -= (size_t)written;
    }
}

static void onFatalSignal(int number) {
    int savedErrno = errno;
    Prepared *p = atomic_load(&current);
    // The terminal first: out of the alternate screen, cursor shown, the shell's modes back.
    static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
    writeAll(STDOUT_FILENO, (const unsigned char *)reset, sizeof reset - 1);
    if (haveShellModes) tcsetattr(STDIN_FILENO, TCSANOW, &shellModes);
    if (p != NULL) {
        // A new file only: never over an existing one (O_EXCL), private like a recovery file.
        int fd = open(p->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            writeAll(fd, p->bytes, p->count);
            fsync(fd);
            close(fd);
            writeAll(STDERR_FILENO, (const unsigned char *)p->message, p->messageLength);
        }
    }
    // The signal ends the process as it would have without this handler (core dump and all).
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(number, &fallback, NULL);
    errno = savedErrno;
    raise(number);
}

void prio_crashsave_install(void) {
    if (installed) return;
    if (tcgetattr(STDIN_FILENO, &shellModes) == 0) haveShellModes = 1;
    // A stack of its own: a crash from a stack overflow has no stack left to run a handler on.
    alternate.ss_size = 64 * 1024;
    alternate.ss_sp = malloc(alternate.ss_size);
    alternate.ss_flags = 0;
    if (alternate.ss_sp != NULL) sigaltstack(&alternate, NULL);
    for (size_t i = 0; i < HANDLED_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = onFatalSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_ONSTACK | SA_RESETHAND;
        sigaction(handled[i], &action, &previous[i]);
    }
    installed = 1;
}

void prio_crashsave_uninstall(void) {
    if (!installed) return;
    for (size_t i = 0; i < HANDLED_COUNT; i++) sigaction(handled[i], &previous[i], NULL);
    installed = 0;
    prio_crashsave_prepare(NULL, NULL, 0);
}
