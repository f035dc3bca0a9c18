package decode

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/txguard/txguard/decode/label"

	corpus "github.com/txguard/txguard/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in fixtures/golden/decode")

const fixtures = "../fixtures"

// fixtureInputs lists every input under fixtures/ (not the goldens).
func fixtureInputs(t testing.TB) []string {
	var out []string
	for _, group := range []string{"tx", "calls", "request", "sign", "bytecode"} {
		for _, ext := range []string{"hex", "json", "txt"} {
			m, err := filepath.Glob(filepath.Join(fixtures, group, "*."+ext))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m...)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixtures found")
	}
	return out
}

func fixtureOptions(t testing.TB) Options {
	book, err := label.LoadAddressBook(filepath.Join(fixtures, "addressbook"), true)
	if err != nil {
		t.Fatal(err)
	}
	return Options{AddressBook: book}
}

// TestFixtures decodes every fixture and compares text and JSON output
// with the golden files; go test ./decode -update rewrites them.
func TestFixtures(t *testing.T) {
	opts := fixtureOptions(t)
	for _, in := range fixtureInputs(t) {
		rel, _ := filepath.Rel(fixtures, in)
		name := strings.TrimSuffix(rel, filepath.Ext(rel))
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Decode(b, opts)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			var text bytes.Buffer
			if err := res.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			js, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(fixtures, "golden", "decode", name+".txt"), text.Bytes())
			golden(t, filepath.Join(fixtures, "golden", "decode", name+".json"), append(js, '\n'))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	corpus.Golden(t, path, got, *update)
}
