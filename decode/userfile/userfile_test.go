package userfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	if err := os.WriteFile(good, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(dir, "sparse")
	if err := os.WriteFile(sparse, nil, 0o644); err != nil || os.Truncate(sparse, 10<<30) != nil {
		t.Fatal("cannot make a sparse file")
	}
	linkZero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", linkZero); err != nil {
		t.Fatal(err)
	}
	linkGood := filepath.Join(dir, "link")
	if err := os.Symlink(good, linkGood); err != nil {
		t.Fatal(err)
	}
	t.Run("ReadNoFollow refuses a link, reads the file", func(t *testing.T) {
		if _, err := ReadNoFollow(linkGood, 1<<20); err == nil {
			t.Error("ReadNoFollow followed a link")
		}
		if b, err := ReadNoFollow(good, 1<<20); err != nil || string(b) != "hello" {
			t.Errorf("ReadNoFollow = %q, %v", b, err)
		}
	})
	for _, tc := range []struct{ name, path, want string }{
		{"regular file", good, ""},
		{"a link to a regular file", linkGood, ""},
		{"FIFO without a writer", fifo, "is not a regular file (a FIFO)"},
		{"/dev/zero", "/dev/zero", "is not a regular file (a character device)"},
		{"a link to /dev/zero", linkZero, "is not a regular file (a character device)"},
		{"10 GB sparse file", sparse, "txguard reads at most 1 MiB"},
		{"directory", dir, "is not a regular file (a directory)"},
		{"missing", filepath.Join(dir, "none"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			var b []byte
			var err error
			go func() { b, err = Read(tc.path, 1<<20); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Read blocked")
			}
			switch {
			case tc.want == "" && (err != nil || string(b) != "hello"):
				t.Errorf("Read = %q, %v; want hello", b, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Read error %v, want %q", err, tc.want)
			}
		})
	}
}
