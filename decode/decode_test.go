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

// fixtureInputs lists every input under fixtures/ that decode's goldens
// cover.
func fixtureInputs(t testing.TB) []string {
	return corpus.Inputs(t, fixtures, "tx", "calls", "request", "sign", "bytecode")
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
			o := opts
			o.Kind = Kind(corpus.KindOf(in))
			res, err := Decode(b, o)
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
