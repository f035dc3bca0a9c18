//go:build !linux

package tui

import "os"

// FlushInput is a no-op here: only Linux flushes the terminal's input
// queue before the screen shows.
func FlushInput(*os.File) {}
