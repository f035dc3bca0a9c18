package main

import (
	"bufio"
	"errors"
	"io"
)

// errLongLine is a line longer than the reader's limit; it was read to its
// end and dropped, and the next call goes on with the line after it.
var errLongLine = errors.New("line too long")

// errEndless is a line that did not end within maxDiscard bytes: the rest
// of the input is not read, since an endless stream has no next line.
var errEndless = errors.New("line without end")

// maxDiscard is how much of an over-long line is skipped looking for its
// end.
const maxDiscard = 64 << 20

// lineReader reads lines of at most limit bytes without holding more.
type lineReader struct {
	r     *bufio.Reader
	limit int
	buf   []byte
}

func newLineReader(r io.Reader, limit int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), limit: limit}
}

// next returns the next line without its newline (valid until the next
// call), errLongLine for one over the limit, or io.EOF after the last.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	long, skipped := false, 0
	for {
		chunk, err := l.r.ReadSlice('\n')
		if skipped += len(chunk); long && skipped > maxDiscard {
			return nil, errEndless
		}
		if !long {
			if len(l.buf)+len(chunk) > l.limit+1 { // +1: the newline
				long, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(l.buf) == 0 && !long:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, err
		case long:
			return nil, errLongLine
		}
		if n := len(l.buf); n > 0 && l.buf[n-1] == '\n' {
			l.buf = l.buf[:n-1]
		}
		return l.buf, nil
	}
}
