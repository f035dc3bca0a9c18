package solidity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seedCorpus adds every .sol file and diff of the fixtures to f.
func seedCorpus(f *testing.F, pattern string) {
	matches, _ := filepath.Glob(filepath.Join(corpusDir, pattern))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil {
			f.Add(b)
		}
	}
}

// FuzzScan: Scan never panics, and a file compared with itself never
// changes.
func FuzzScan(f *testing.F) {
	seedCorpus(f, "*/*/*.sol")
	seedCorpus(f, "testdata/*.sol")
	f.Add([]byte("contract C { function (uint) external returns (bool) f; function () payable {} }"))
	f.Add([]byte("contract C is A(1), B { uint256[2] __gap; struct S { S[2] s; } S x; }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Scan(src)
		if err != nil {
			return
		}
		if changes := Diff(file, file); len(changes) != 0 {
			t.Fatalf("a file differs from itself: %v", changes)
		}
		Diff(nil, file)
		Diff(file, nil)
	})
}

// FuzzDiffUnified: any input either fails to parse or yields changes,
// without panicking.
func FuzzDiffUnified(f *testing.F) {
	seedCorpus(f, "*/*.diff")
	f.Add([]byte("--- a/V.sol\n+++ b/V.sol\n@@ -1,2 +1,2 @@ contract V is A {\n-    uint a;\n+    uint b;\n }\n"))
	f.Fuzz(func(t *testing.T, diff []byte) {
		fcs, err := DiffUnified(diff)
		if err != nil && fcs != nil {
			t.Fatal("error with results")
		}
	})
}

// TestLargeInputs guards against quadratic paths: shapes that once made
// the scanner or the hunk reader slow must stay fast, whole or as a diff.
func TestLargeInputs(t *testing.T) {
	inputs := map[string]string{
		"nested braces":      strings.Repeat("{a", 40000),
		"mismatched":         strings.Repeat("(", 40000) + strings.Repeat("]", 40000),
		"storage and consts": "contract C {" + strings.Repeat("uint a; uint constant b = 1;", 5000) + "}",
		"functions":          "contract C {" + strings.Repeat("function f(uint a) external { a.call(\"\"); }", 3000) + "}",
		"contracts":          strings.Repeat("contract A is B { struct S { S[2] s; } S x; uint256[5] __gap; }", 2000),
	}
	for name, src := range inputs {
		start := time.Now()
		if f, err := Scan([]byte(src)); err == nil {
			Diff(f, f)
		}
		var b strings.Builder
		b.WriteString("--- a/X.sol\n+++ b/X.sol\n@@ -5,1 +5,1 @@ contract X {\n")
		for _, l := range strings.SplitAfter(src, ";") {
			b.WriteString("+" + l + "\n")
		}
		if _, err := DiffUnified([]byte(b.String())); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %d bytes took %v", name, len(src), d)
		}
	}
}
