package calldata

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

var update = flag.Bool("update", false, "rewrite abis/index.tsv")

// buildIndex writes the index of every function in the curated ABIs, in
// family priority order and file order within a family.
func buildIndex(t *testing.T) []byte {
	var out bytes.Buffer
	for _, fam := range families {
		b, err := os.ReadFile(filepath.Join("abis", fam+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var entries []json.RawMessage
		if err := json.Unmarshal(b, &entries); err != nil {
			t.Fatalf("abis/%s.json: %v", fam, err)
		}
		for i, e := range entries {
			var head struct{ Type string }
			if err := json.Unmarshal(e, &head); err != nil {
				t.Fatal(err)
			}
			if head.Type != "function" {
				continue
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, e); err != nil {
				t.Fatal(err)
			}
			a, err := abi.JSON(strings.NewReader("[" + compact.String() + "]"))
			if err != nil || len(a.Methods) != 1 {
				t.Fatalf("abis/%s.json entry %d: %v", fam, i, err)
			}
			for _, m := range a.Methods {
				fmt.Fprintf(&out, "%x\t%s\t%s\n", m.ID, fam, compact.String())
			}
		}
	}
	return out.Bytes()
}

// TestABIIndex keeps abis/index.tsv in step with abis/*.json
// (go generate ./decode/calldata rewrites it).
func TestABIIndex(t *testing.T) {
	want := buildIndex(t)
	if *update {
		if err := os.WriteFile(filepath.Join("abis", "index.tsv"), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if abiIndex != string(want) {
		t.Fatal("abis/index.tsv is stale: run go generate ./decode/calldata")
	}
	files, _ := filepath.Glob(filepath.Join("abis", "*.json"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".json"); !slices.Contains(families, name) {
			t.Errorf("%s is not in families, so it is not indexed", f)
		}
	}
	// Every entry parses at run time as well.
	for sel, entries := range curatedIndex() {
		if got := curated(sel); len(got) != len(entries) {
			t.Errorf("selector %x: %d of %d entries parse", sel, len(got), len(entries))
		}
	}
}
