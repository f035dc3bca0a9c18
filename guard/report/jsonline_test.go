package report

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/txguard/txguard/decode"
	corpus "github.com/txguard/txguard/fixtures"
	"github.com/txguard/txguard/guard"
)

// marshalLine is the oracle: what encoding/json makes of a batch line.
func marshalLine(t testing.TB, l *batchLine) []byte {
	want, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// Every fixture's batch line is json.Marshal's, byte for byte.
func TestBatchLineAsMarshal(t *testing.T) {
	book, deny := corpus.Books(t, fixtures)
	cfg := guard.Config{AddressBook: book, DenyList: deny, Chain: 1, Now: corpus.Now}
	inputs := corpus.Inputs(t, fixtures, corpus.InputGroups...)
	findings := 0
	for i, path := range inputs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := decode.Decode(b, decode.Options{Kind: decode.Kind(corpus.KindOf(path)), AddressBook: book, Chain: 1})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		v := guard.Check(res, cfg)
		l := batchLine{Line: i + 1, Level: v.Level, RulesLevel: v.RulesLevel, Findings: v.Findings,
			RulesetVersion: v.RulesetVersion, Subject: subjectOf(v.Decoded)}
		findings += len(v.Findings)
		if got, want := appendBatchLine(nil, &l), marshalLine(t, &l); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", path, got, want)
		}
	}
	if len(inputs) < 100 || findings < 100 {
		t.Fatalf("only %d fixtures with %d findings", len(inputs), findings)
	}
}

// Any strings and numbers in any field come out as json.Marshal has them:
// escapes, invalid UTF-8, U+2028, HTML characters, empty fields left out.
func FuzzBatchLineAsMarshal(f *testing.F) {
	f.Add(1, "TG101", "approve-unlimited", "Unlimited <approval>", "a \"b\"\n\t\\ & c", "tx.call.args.spender", "", "x.sol", 0, "0x12", "\u2028\xff\x00é😀")
	f.Add(-7, "", "", "", "", "", "advice", "", 42, "", "")
	f.Fuzz(func(t *testing.T, line int, rule, name, title, expl, evidence, advice, file string, fline int, hash, other string) {
		fs := []guard.Finding{
			{Rule: rule, Name: name, Severity: guard.Level(line & 3), Title: title, Explanation: expl,
				Evidence: evidence, Advice: advice, Source: other, File: file, Line: fline},
			{Rule: other, Title: expl, Explanation: title},
		}
		if line%5 == 0 {
			fs = nil
		}
		l := batchLine{Line: line, Level: guard.Level(fline & 3), RulesLevel: guard.Level(line & 1), Findings: fs,
			RulesetVersion: other, Subject: subject{Kind: name, Method: other, Hash: hash, SigningHash: rule,
				From: evidence, To: advice, Function: title}}
		if got, want := appendBatchLine(nil, &l), marshalLine(t, &l); !bytes.Equal(got, want) {
			t.Errorf("\n got %q\nwant %q", got, want)
		}
	})
}
