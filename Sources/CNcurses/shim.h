// ncursesw with its wide-character API, and what Swift cannot import from the C headers:
// wcwidth, function-like macros, attribute bits built by macro expressions, and globals that
// Swift 6 would refuse as shared mutable state.
#ifndef LANCHAT_CNCURSES_SHIM_H
#define LANCHAT_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <termios.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift's Glibc module is built without _XOPEN_SOURCE, which hides wcwidth in <wchar.h>.
extern int wcwidth(wchar_t c);

// On the process's own stdin and stdout, after what stdio still buffers for stdout, so that it is not
// written later into the screen ncurses draws.
static inline SCREEN *lanchat_newterm(void) {
    fflush(stdout);
    return newterm(NULL, stdout, stdin);
}

static inline WINDOW *lanchat_stdscr(void) { return stdscr; }

static inline attr_t lanchat_attr_bold(void) { return A_BOLD; }
static inline attr_t lanchat_attr_reverse(void) { return A_REVERSE; }
static inline attr_t lanchat_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t lanchat_attr_dim(void) { return A_DIM; }

static inline int lanchat_colors(void) { return COLORS; }
static inline int lanchat_color_pairs(void) { return COLOR_PAIRS; }

// tigetstr reports a missing capability as NULL and a name that is not a string capability
// as (char *)-1; both come back as NULL here.
static inline const char *lanchat_tigetstr(const char *name) {
    char *value = tigetstr(name);
    return value == (char *)-1 ? NULL : value;
}

#endif
