//go:build unix

package tui

import (
	"github.com/muesli/termenv"
	"golang.org/x/sys/unix"
)

// termSize is the size of the terminal f, when f is one.
func termSize(f termenv.File) (w, h int, ok bool) {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 || ws.Row == 0 {
		return 0, 0, false
	}
	return int(ws.Col), int(ws.Row), true
}
