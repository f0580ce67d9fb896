// ncursesw with its wide-character API, and what Swift cannot import from the C headers.
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

#endif
