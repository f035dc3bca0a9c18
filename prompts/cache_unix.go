//go:build unix

package prompts

import (
	"os"

	"golang.org/x/sys/unix"
)

// openEntry opens a cache file without following a symlink planted there
// (to /dev/zero, say) and without waiting for a writer if it is a FIFO;
// load then checks, on the opened file, that it is a regular one.
func openEntry(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
}
