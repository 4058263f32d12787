// The C side of prio's terminal backend: ncursesw plus accessors for what Swift cannot import.
//
// Swift imports plain integer macros (KEY_UP, KEY_RESIZE, KEY_CODE_YES, OK, ERR, COLOR_RED)
// and real functions (newterm, wget_wch, mousemask, set_escdelay, define_key) directly.
// It cannot import macros that expand to expressions (A_BOLD, COLOR_PAIR, BUTTON1_PRESSED,
// getmaxyx), and Swift 6 rejects C mutable globals (stdscr, stdin, stdout) as not
// concurrency-safe. Those are the only things this file wraps. Only the PrioTerminal target
// imports it.
#ifndef PRIO_CNCURSESW_SHIM_H
#define PRIO_CNCURSESW_SHIM_H

// Wide-character curses (get_wch, cchar_t, wint_t). SwiftPM does not pass pkg-config's
// defines, so set them here, before any system header.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
// Debian and Ubuntu: /usr/include/ncursesw/curses.h links to the wide /usr/include/curses.h.
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

// MARK: Screen

/// Starts curses on the process's own stdout and stdin (unlike initscr, returns NULL on failure).
static inline SCREEN *prio_newterm(void) { return newterm(NULL, stdout, stdin); }

/// True when the terminal can move the cursor (terminfo `cup`): a full screen needs it, and
/// TERM=dumb, for one, has none.
static inline bool prio_can_address_cursor(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}

/// The standard screen window.
static inline WINDOW *prio_stdscr(void) { return stdscr; }

/// The size of the standard screen.
static inline int prio_rows(void) { int y, x; getmaxyx(stdscr, y, x); (void)x; return y; }
static inline int prio_cols(void) { int y, x; getmaxyx(stdscr, y, x); (void)y; return x; }

// MARK: Attributes and colours

static inline attr_t prio_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t prio_A_BOLD(void) { return A_BOLD; }
static inline attr_t prio_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t prio_A_DIM(void) { return A_DIM; }
static inline attr_t prio_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t prio_COLOR_PAIR(int pair) { return (attr_t)COLOR_PAIR(pair); }

// MARK: Output

/// Draws one grapheme cluster (a spacing character, then up to CCHARW_MAX - 1 combining
/// characters) at y, x with attributes and a colour pair. A cluster ncurses cannot hold in one
/// cchar_t (an emoji ZWJ sequence) is written as a string instead. Returns OK or ERR; writing
/// the bottom-right cell returns ERR although the character is drawn.
static inline int prio_put_grapheme(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    if (count <= 0) return ERR;
    if (count < CCHARW_MAX) {
        wchar_t chars[CCHARW_MAX];
        for (int i = 0; i < count; i++) chars[i] = text[i];
        chars[count] = L'\0';
        cchar_t cell;
        if (setcchar(&cell, chars, attrs, pair, NULL) == OK) {
            return mvwadd_wch(stdscr, y, x, &cell);
        }
    }
    if (wmove(stdscr, y, x) == ERR) return ERR;
    wattr_set(stdscr, attrs, pair, NULL);
    int result = waddnwstr(stdscr, text, count);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    return result;
}

// MARK: Input

/// Reads one key from the standard screen: returns OK (a character in *key), KEY_CODE_YES
/// (a key code in *key) or ERR (no key before the timeout, or an interrupted read).
static inline int prio_get_wch(wint_t *key) { return wget_wch(stdscr, key); }

// MARK: Mouse

static inline mmask_t prio_BUTTON1_PRESSED(void) { return BUTTON1_PRESSED; }
static inline mmask_t prio_BUTTON1_CLICKED(void) { return BUTTON1_CLICKED; }
static inline mmask_t prio_BUTTON4_PRESSED(void) { return BUTTON4_PRESSED; }
static inline mmask_t prio_BUTTON5_PRESSED(void) { return BUTTON5_PRESSED; }
static inline mmask_t prio_ALL_MOUSE_EVENTS(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t prio_REPORT_MOUSE_POSITION(void) { return REPORT_MOUSE_POSITION; }

/// Takes the pending mouse event after KEY_MOUSE: its 0-based row and column and its button
/// state. Returns OK or ERR.
static inline int prio_getmouse(int *row, int *column, mmask_t *buttons) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *row = event.y;
    *column = event.x;
    *buttons = event.bstate;
    return OK;
}

#endif
