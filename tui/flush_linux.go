package tui

import (
	"os"

	"golang.org/x/sys/unix"
)

// FlushInput drops what was typed at the terminal before the screen
// showed: a key pressed ahead (an `a` meant for something else) must not
// approve a verdict the person has not seen.
func FlushInput(tty *os.File) {
	unix.IoctlSetInt(int(tty.Fd()), unix.TCFLSH, unix.TCIFLUSH)
}
