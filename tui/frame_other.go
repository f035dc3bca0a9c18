//go:build !unix

package tui

import "github.com/muesli/termenv"

// termSize is not known here: the screen's first frame waits for the
// renderer, as bubbletea draws it.
func termSize(termenv.File) (w, h int, ok bool) { return 0, 0, false }
