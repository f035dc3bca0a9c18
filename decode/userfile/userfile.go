// Package userfile reads the files a person names on the command line (an
// ABI, code, an address book, a corpus) without letting a file that is not
// one hang or exhaust txguard: a FIFO with no writer, /dev/zero, a 10 GB
// sparse file or a link to any of them.
package userfile

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// Read returns the contents of the regular file at path, at most limit
// bytes. It opens without blocking (a FIFO's open waits for a writer),
// checks what it opened rather than the path (no race with a swapped
// link), and refuses anything that is not a regular file or is larger
// than limit.
func Read(path string, limit int64) ([]byte, error) { return read(path, limit, 0) }

// ReadNoFollow is Read refusing a symbolic link at path itself: for files
// txguard writes and reads back (the review cache), where a link is
// something planted.
func ReadNoFollow(path string, limit int64) ([]byte, error) { return read(path, limit, noFollow) }

func read(path string, limit int64, flags int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|flags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, kind(st.Mode()))
	case st.Size() > limit:
		return nil, fmt.Errorf("%s is %d MiB; txguard reads at most %d MiB of it", path, st.Size()>>20, limit>>20)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit { // it grew while read
		return nil, fmt.Errorf("%s is larger than %d MiB", path, limit>>20)
	}
	return b, nil
}

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.String()
}
