package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/guard"

	corpus "github.com/txguard/txguard/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const fixtures = "../../fixtures"

// extensions of each format's golden file.
var extensions = map[Format]string{Text: ".txt", JSON: ".json", SARIF: ".sarif", Markdown: ".md"}

// testCase is one verdict with the options the CLI would pass.
type testCase struct {
	name string
	v    *guard.Verdict
	opts Options
}

// cases are the verdicts every format is tested with: a few from real
// fixtures through guard.Check (their findings follow the rules, so
// regenerate them with -update when the rules change), and hand-built
// ones that fix the output shape whatever the rules say today.
func cases(t *testing.T) []testCase {
	t.Helper()
	book, err := label.LoadAddressBook(filepath.Join(fixtures, "addressbook"), true)
	if err != nil {
		t.Fatal(err)
	}
	cfg := guard.Config{AddressBook: book, Chain: 1, Now: time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)}
	check := func(path string) *guard.Verdict { return guard.Check(decodeFile(t, path, book), cfg) }
	return []testCase{
		{"fixture-erc20-approve-unlimited", check("calls/erc20-approve-unlimited.hex"),
			Options{ArtifactURI: "fixtures/calls/erc20-approve-unlimited.hex", ToolVersion: "test"}},
		{"fixture-permit2-single-envelope", check("sign/permit2-single-envelope.json"),
			Options{ArtifactURI: "fixtures/sign/permit2-single-envelope.json", ToolVersion: "test"}},
		{"fixture-eth-transfer-contact", check("calls/eth-transfer-contact.hex"), Options{ToolVersion: "test"}},
		{"model-raised", modelRaised(decodeFile(t, "calls/erc20-approve-unlimited.hex", book)),
			Options{ArtifactURI: "txs/approve unlimited.hex", ToolVersion: "test"}},
		{"model-unavailable", modelUnavailable(decodeFile(t, "sign/blind-hash.hash", book)), Options{ToolVersion: "test"}},
	}
}

func decodeFile(t *testing.T, path string, book *label.AddressBook) *decode.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, path))
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(b, decode.Options{Kind: decode.Kind(corpus.KindOf(path)), AddressBook: book, Chain: 1})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// modelRaised: the rules say danger, a validated model review says
// critical with a finding of its own. The model's text tries Markdown and
// HTML, as a model talked into it by a crafted input could.
func modelRaised(in *decode.Result) *guard.Verdict {
	v := &guard.Verdict{
		Level: guard.Danger, RulesLevel: guard.Danger, RulesetVersion: guard.RulesetVersion, Decoded: in,
		Intent: "swap 100 USDC for ETH on Uniswap",
		Findings: []guard.Finding{
			{Rule: "TG101", Name: "approve-unlimited", Severity: guard.Danger, Source: guard.SourceRules,
				Title:       "Unlimited USDC allowance",
				Explanation: "This lets the spender move every USDC you hold, now and at any time later, without asking you again. Unlimited approvals are how most drained wallets lost their tokens.",
				Evidence:    "tx.call.args.amount", Advice: "Approve only the amount this swap needs."},
			{Rule: "TG607", Name: "unknown-function", Severity: guard.Caution, Source: guard.SourceRules,
				Title: "A contract nobody labelled", Explanation: "txguard does not know the spender."},
		},
	}
	v.Merge(&guard.ModelReview{
		Status: guard.StatusOK, Level: ptr(guard.Critical),
		Summary: "You are giving an unknown address unlimited access to your USDC.\n- It is not Uniswap's router.\n1. Reject it.",
		Findings: []guard.Finding{{
			Rule: "TG101", Name: "spender-mismatch", Severity: guard.Critical,
			Title:       "Spender <img src=x> is *not* [Uniswap](https://evil.example) | `router`",
			Explanation: "Your intent names Uniswap, but the spender 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is a contact's wallet address, which no swap would need an allowance for.",
			Evidence:    "tx.call.args.spender", Advice: "Reject; ask the dapp why it wants this.",
		}},
		Record: map[string]any{"model": "llama3.2:3b"},
	})
	return v
}

// modelUnavailable: the rules' verdict stands alone, and says why the
// model did not review.
func modelUnavailable(in *decode.Result) *guard.Verdict {
	v := &guard.Verdict{
		Level: guard.Critical, RulesLevel: guard.Critical, RulesetVersion: guard.RulesetVersion, Decoded: in,
		Findings: []guard.Finding{
			{Rule: "TG205", Name: "blind-signing", Severity: guard.Critical, Source: guard.SourceRules,
				Title:       "Blind signature of a raw hash",
				Explanation: "eth_sign signs whatever 32 bytes it is given: a transaction, a permit, an order. Nobody can tell which from the hash, so whoever asks may take anything the key controls.",
				Evidence:    "hash.hash", Advice: "Refuse. No honest dapp needs eth_sign today."},
			{Rule: "TG602", Name: "chain-mismatch", Severity: guard.Info, Source: guard.SourceRules,
				Title: "The input names no chain"},
		},
	}
	v.Merge(&guard.ModelReview{Status: guard.StatusUnavailable, Reason: "ollama: dial tcp 127.0.0.1:11434: connect: connection refused"})
	return v
}

func render(t *testing.T, f Format, c testCase) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteWith(&b, f, c.v, c.opts); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	return b.Bytes()
}

// golden compares got with testdata/golden/name; -update rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenAt(t, filepath.Join("testdata", "golden", name), got)
}

func goldenAt(t *testing.T, path string, got []byte) {
	t.Helper()
	corpus.Golden(t, path, got, *update)
}

func TestGolden(t *testing.T) {
	for _, c := range cases(t) {
		for _, f := range Formats {
			t.Run(c.name+"/"+string(f), func(t *testing.T) {
				golden(t, c.name+extensions[f], render(t, f, c))
			})
		}
	}
	for _, f := range []Format{Text, JSON, Markdown} {
		t.Run("rules/"+string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteRules(&b, f); err != nil {
				t.Fatal(err)
			}
			golden(t, "rules"+extensions[f], b.Bytes())
		})
	}
}

// TestTextWidth: text output fits an 80-column terminal, the decoded tree
// included, and so does the rules table.
func TestTextWidth(t *testing.T) {
	outputs := map[string][]byte{}
	for _, c := range cases(t) {
		outputs[c.name] = render(t, Text, c)
	}
	var rules bytes.Buffer
	if err := WriteRules(&rules, Text); err != nil {
		t.Fatal(err)
	}
	outputs["rules"] = rules.Bytes()
	for name, out := range outputs {
		for i, l := range strings.Split(string(out), "\n") {
			if n := utf8.RuneCountInString(l); n > termWidth {
				t.Errorf("%s line %d has %d columns: %q", name, i+1, n, l)
			}
		}
	}
}

// TestEveryFixture renders every fixture input in every format and
// compares each with its golden file in fixtures/golden/check/ (SARIF: the
// results, the part that differs between inputs; the whole log must
// validate against the SARIF 2.1.0 schema). Text must fit 80 columns.
func TestEveryFixture(t *testing.T) {
	book, deny := corpus.Books(t, fixtures)
	cfg := guard.Config{AddressBook: book, DenyList: deny, Chain: 1, Now: corpus.Now}
	sch := sarifSchema(t)
	inputs := corpus.Inputs(t, fixtures, corpus.InputGroups...)
	if len(inputs) < 100 {
		t.Fatalf("only %d fixtures", len(inputs))
	}
	for _, path := range inputs {
		rel, _ := filepath.Rel(fixtures, path)
		name := strings.TrimSuffix(rel, filepath.Ext(rel))
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := decode.Decode(b, decode.Options{Kind: decode.Kind(corpus.KindOf(path)), AddressBook: book, Chain: 1})
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			v := guard.Check(res, cfg)
			v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"})
			c := testCase{path, v, Options{ArtifactURI: "fixtures/" + filepath.ToSlash(rel)}}
			out := filepath.Join(fixtures, "golden", "check", name)
			text := render(t, Text, c)
			for _, l := range strings.Split(string(text), "\n") {
				if utf8.RuneCountInString(l) > termWidth {
					t.Errorf("text line wider than %d: %q", termWidth, l)
				}
			}
			goldenAt(t, out+".txt", text)
			goldenAt(t, out+".json", render(t, JSON, c))
			goldenAt(t, out+".md", render(t, Markdown, c))
			sarifOut := render(t, SARIF, c)
			if err := validate(sch, sarifOut); err != nil {
				t.Errorf("SARIF: %v", err)
			}
			if found := placeholders(t, sarifOut); len(found) > 0 {
				t.Errorf("SARIF placeholders at %v", found)
			}
			var log struct {
				Runs []struct {
					Results json.RawMessage `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(sarifOut, &log); err != nil || len(log.Runs) != 1 {
				t.Fatalf("SARIF: %v", err)
			}
			var results bytes.Buffer
			if err := json.Indent(&results, log.Runs[0].Results, "", "  "); err != nil {
				t.Fatal(err)
			}
			goldenAt(t, out+".sarif-results.json", append(results.Bytes(), '\n'))
		})
	}
}

// TestTextSays pins what a person must be able to read in text output,
// whatever the layout becomes.
func TestTextSays(t *testing.T) {
	book, _ := label.LoadAddressBook(filepath.Join(fixtures, "addressbook"), true)
	for _, tc := range []struct {
		v    *guard.Verdict
		want []string
	}{
		{modelRaised(decodeFile(t, "calls/erc20-approve-unlimited.hex", book)), []string{
			"VERDICT: CRITICAL, raised by the model (rules: danger; model: critical)\n",
			"[DANGER] TG101 approve-unlimited — Unlimited USDC allowance\n",
			"[CRITICAL] MODEL spender-mismatch (the model's review) — ",
			"    evidence: tx.call.args.amount\n",
			"    advice: Approve only the amount this swap needs.\n",
			"\ndecoded:\n  kind: transaction",
		}},
		{modelUnavailable(decodeFile(t, "sign/blind-hash.hash", book)), []string{
			"VERDICT: CRITICAL (rules: critical; model: unavailable — ollama: dial tcp",
			"[INFO] TG602 chain-mismatch — The input names no chain\n\n",
		}},
	} {
		var b bytes.Buffer
		if err := Write(&b, Text, tc.v); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("text output lacks %q:\n%s", w, b.String())
			}
		}
		if strings.ContainsRune(b.String(), '\x1b') {
			t.Error("text output has an escape sequence; it must not use colour")
		}
	}
}

// TestModelCannotPassForARule: whatever rule ID the model writes, its
// findings are MODEL and labelled as the model's.
func TestModelCannotPassForARule(t *testing.T) {
	v := modelRaised(nil)
	for _, f := range v.AllFindings() {
		if (f.Source == guard.SourceModel) != (f.Rule == guard.ModelFinding) {
			t.Errorf("finding %s from %s", f.Rule, f.Source)
		}
	}
	// A review that is not "ok" adds no findings, as Merge says.
	v.Model.Status = "failed"
	if fs := v.AllFindings(); len(fs) != len(v.Findings) {
		t.Errorf("a failed review added findings: %v", fs)
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		have string
		want Format
		err  bool
	}{
		{"text", Text, false},
		{"json", JSON, false},
		{"sarif", SARIF, false},
		{"markdown", Markdown, false},
		{"SARIF", SARIF, false},
		{"md", "", true},
		{"", "", true},
		{"yaml", "", true},
	} {
		got, err := ParseFormat(tc.have)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tc.have, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "report: ") {
			t.Errorf("ParseFormat(%q) error %q lacks the package prefix", tc.have, err)
		}
	}
}

func TestErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Text, nil); err == nil || !strings.HasPrefix(err.Error(), "report: ") {
		t.Errorf("Write(nil verdict) = %v", err)
	}
	if err := Write(&b, "yaml", &guard.Verdict{}); err == nil {
		t.Error("Write accepted an unknown format")
	}
	if err := WriteRules(&b, SARIF); err == nil {
		t.Error("WriteRules accepted sarif")
	}
	if err := BatchLine(&b, 1, nil); err == nil {
		t.Error("BatchLine(nil verdict) succeeded")
	}
	if b.Len() != 0 {
		t.Errorf("errors wrote output: %q", b.String())
	}
}

// TestBatchLine: one line per verdict, carrying the verdict's level and
// findings and a subject to match it with its input, but not the input.
func TestBatchLine(t *testing.T) {
	for i, c := range cases(t) {
		var line bytes.Buffer
		if err := BatchLine(&line, i+1, c.v); err != nil {
			t.Fatal(err)
		}
		if bytes.Count(line.Bytes(), []byte("\n")) != 1 || !bytes.HasSuffix(line.Bytes(), []byte("\n")) {
			t.Errorf("%s: not one line: %q", c.name, line.String())
		}
		var got struct {
			Line       int
			Level      guard.Level
			RulesLevel guard.Level
			Findings   []guard.Finding
			Subject    struct{ Kind string }
			Decoded    any
		}
		if err := json.Unmarshal(line.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Line != i+1 || got.Level != c.v.Level || got.RulesLevel != c.v.RulesLevel ||
			len(got.Findings) != len(c.v.Findings) || got.Subject.Kind != string(c.v.Decoded.Kind) || got.Decoded != nil {
			t.Errorf("%s: batch line %+v does not match the verdict", c.name, got)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		have        string
		first, rest string
		width       int
		want        []string
	}{
		{"one two three", "", "", 7, []string{"one two", "three"}},
		{"one two three", "> ", "  ", 9, []string{"> one two", "  three"}},
		{"a\n\nb", "", "  ", 10, []string{"a", "", "  b"}},
		{"0123456789abcdef", "x: ", "   ", 8, []string{"x: 01234", "   56789", "   abcde", "   f"}},
		{"", "advice: ", "", 10, []string{"advice:"}},
		{"ééééé", "", "", 2, []string{"éé", "éé", "é"}},
		{"ab abcdef", "", "", 4, []string{"ab", "abcd", "ef"}},
		{"word", "a long prefix: ", "", 4, []string{"a long prefix: w", "ord"}},
	} {
		got := wrap(tc.have, tc.first, tc.rest, tc.width)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %q, %q, %d) = %q, want %q", tc.have, tc.first, tc.rest, tc.width, got, tc.want)
		}
	}
}

// TestWrapLongWord: a word of half a megabyte (a hostile string in a
// finding) is cut into whole lines, nothing lost; BenchmarkWrap shows the
// cost is linear in its length.
func TestWrapLongWord(t *testing.T) {
	word := strings.Repeat("0123456789abcdeΩ", 32<<10)
	got := wrap("x "+word+" y", "> ", "  ", 80)
	var joined strings.Builder
	for i, l := range got {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Fatalf("line %d is %d runes", i, n)
		}
		if i > 0 {
			joined.WriteString(strings.TrimPrefix(l, "  "))
		}
	}
	if got[0] != "> x" || strings.ReplaceAll(joined.String(), " ", "") != word+"y" {
		t.Errorf("the long word did not survive the wrap (first line %q)", got[0])
	}
}

func BenchmarkWrap(b *testing.B) {
	for _, n := range []int{64 << 10, 512 << 10} {
		word := strings.Repeat("a", n)
		b.Run(fmt.Sprintf("word=%dKiB", n>>10), func(b *testing.B) {
			for b.Loop() {
				wrap(word, "> ", "  ", 80)
			}
		})
	}
}

func TestArtifactURI(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{"", ""},
		{"fixtures/calls/x.hex", "fixtures/calls/x.hex"},
		{"./txs/a b.hex", "txs/a%20b.hex"},
		{"file:///repo/x.hex", "file:///repo/x.hex"},
		{"/abs/x.hex", "/abs/x.hex"},
		{"odd:name.hex", "./odd:name.hex"},
	} {
		if got := artifactURI(tc.have); got != tc.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tc.have, got, tc.want)
		}
	}
}

func ptr(l guard.Level) *guard.Level { return &l }
