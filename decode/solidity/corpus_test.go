package solidity

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corpus "github.com/txguard/txguard/fixtures"
)

var update = flag.Bool("update", false, "rewrite expected.txt in fixtures/diff")

const corpusDir = "../../fixtures/diff"

// scanDir scans every .sol file under dir, keyed by path relative to dir.
func scanDir(t *testing.T, dir string) map[string]*File {
	t.Helper()
	files := map[string]*File{}
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".sol") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := Scan(src)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rel, _ := filepath.Rel(dir, path)
		f.Path = filepath.ToSlash(rel)
		files[f.Path] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// expected renders changes as expected.txt lines: kind contract function line.
func expected(changes []Change) []byte {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%s %s %s %d\n", c.Kind, orDash(c.Contract), orDash(c.Function), c.Line)
	}
	return []byte(b.String())
}

// TestCorpus runs every case in fixtures/diff: old/ and new/ are compared
// as directories and the change kinds checked against expected.txt. Cases
// named quiet-* must also report nothing but appended storage.
func TestCorpus(t *testing.T) {
	cases, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if !c.IsDir() || c.Name() == "testdata" {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(corpusDir, c.Name())
			changes := DiffSet(scanDir(t, filepath.Join(dir, "old")), scanDir(t, filepath.Join(dir, "new")))
			for _, ch := range changes {
				t.Log(ch)
				if strings.HasPrefix(c.Name(), "quiet-") && ch.Kind != StorageAppended {
					t.Errorf("quiet case reports %s", ch)
				}
			}
			if !strings.HasPrefix(c.Name(), "quiet-") && len(changes) == 0 {
				t.Errorf("mistake case reports nothing")
			}
			corpus.Golden(t, filepath.Join(dir, "expected.txt"), expected(changes), *update)
		})
	}
	if n < 22 {
		t.Errorf("corpus has %d cases, want at least 22", n)
	}
}
