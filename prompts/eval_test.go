package prompts

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

func TestLoadEvalCorpus(t *testing.T) {
	for _, tc := range []struct{ name, have, wantErr string }{
		{"good", "# c\na.hex\tdanger\n", ""},
		{"no level", "a.hex\n", "labels.tsv:1: want file<TAB>level"},
		{"bad level", "a.hex\tsevere\n", "labels.tsv:1: want file<TAB>level"},
		{"empty", "# nothing\n", "lists no inputs"},
		{"with a kind", "a.hex\tdanger\thash\n", ""},
		{"bad kind", "a.txt\tdanger\tprose\n", `labels.tsv:1: decode: unknown kind "prose"`},
		{"four columns", "a.txt\tdanger\tmessage\tx\n", "labels.tsv:1: want file<TAB>level[<TAB>kind]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "labels.tsv"), []byte(tc.have), 0o644); err != nil {
				t.Fatal(err)
			}
			cases, err := LoadEvalCorpus(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(cases) != 1 || cases[0].Want != guard.Danger || cases[0].Path != filepath.Join(dir, "a.hex") {
				t.Errorf("cases %+v, %v", cases, err)
			}
		})
	}
}

// TestEvalRulesOnly: the confusion table counts what the rules said,
// row by expected level; an under-rated input is counted as such.
func TestEvalRulesOnly(t *testing.T) {
	cases := []EvalCase{
		{Path: "../fixtures/sign/blind-hash.hash", Want: guard.Critical, Kind: decode.KindHash},
		{Path: "../fixtures/benign/weth-wrap.hex", Want: guard.Critical}, // mislabelled on purpose: rated below
	}
	var out bytes.Buffer
	rs, err := Eval(context.Background(), nil, cases, decode.Options{}, guard.Config{}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Rules != guard.Critical || rs[1].Rules != guard.OK {
		t.Errorf("levels %v %v", rs[0].Rules, rs[1].Rules)
	}
	if !strings.Contains(out.String(), "rules alone: 2 inputs, 1 rated below their label") {
		t.Errorf("output:\n%s", out.String())
	}
}
