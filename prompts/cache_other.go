//go:build !unix

package prompts

import "os"

// openEntry opens a cache file; load checks, on the opened file, that it
// is a regular one. (No FIFOs live among files here.)
func openEntry(path string) (*os.File, error) { return os.Open(path) }
