package prompts

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/message"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
	"github.com/txguard/txguard/guard"

	corpus "github.com/txguard/txguard/fixtures"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden prompts in testdata/golden")

const (
	fixturesDir = "../fixtures"
	// goldenNonce stands in for NewNonce so that golden prompts are stable.
	goldenNonce = "0123456789abcdef"
	// promptBudget is the most the per-request part may be, in bytes, for
	// the median input of the corpus.
	promptBudget = 2000
)

// corpusVerdicts decodes and checks every fixture input as txguard check
// would for the fixtures' user, keyed by path relative to fixtures/.
func corpusVerdicts(t testing.TB) map[string]*guard.Verdict {
	t.Helper()
	book, deny := corpus.Books(t, fixturesDir)
	cfg := guard.Config{AddressBook: book, DenyList: deny, Chain: 1, Now: corpus.Now}
	out := map[string]*guard.Verdict{}
	// Every input the project ships: the prompt budget is measured over it.
	for _, p := range corpus.Inputs(t, fixturesDir, corpus.InputGroups...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res, err := decode.Decode(b, decode.Options{Kind: decode.Kind(corpus.KindOf(p)), AddressBook: book, Chain: 1})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rel, _ := filepath.Rel(fixturesDir, p)
		cfg := cfg
		if from := corpus.From(t, p); from != nil { // --from
			cfg.Signer = from
		}
		if b, err := os.ReadFile(p + ".sim"); err == nil { // what a node said of it
			cfg.Sim = new(guard.Simulation)
			if err := json.Unmarshal(b, cfg.Sim); err != nil {
				t.Fatalf("%s.sim: %v", p, err)
			}
		}
		out[filepath.ToSlash(rel)] = guard.Check(res, cfg)
	}
	if len(out) < 100 {
		t.Fatalf("only %d fixtures", len(out))
	}
	return out
}

func sortedKeys(m map[string]*guard.Verdict) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestSystemPromptStable: the system prompt is the same bytes for every
// input and every nonce, so Ollama can reuse its evaluated prefix; nothing
// from a request leaks into it.
func TestSystemPromptStable(t *testing.T) {
	vs := corpusVerdicts(t)
	var first string
	for i, name := range sortedKeys(vs) {
		p, err := Render(vs[name], NewNonce())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if i == 0 {
			first = p.System
		}
		if p.System != first {
			t.Fatalf("%s: the system prompt differs", name)
		}
		if p.TemplateHash != prompt().hash || p.Kind != string(vs[name].Decoded.Kind) {
			t.Errorf("%s: hash %q kind %q", name, p.TemplateHash, p.Kind)
		}
	}
	if strings.Contains(first, dataMarker+goldenNonce) || strings.Contains(first, "{{") {
		t.Error("the system prompt holds a nonce or an unexpanded template")
	}
}

// TestPromptBudget: the per-request part stays compact over the corpus,
// the median at most promptBudget bytes.
func TestPromptBudget(t *testing.T) {
	vs := corpusVerdicts(t)
	var sizes []int
	largest, largestName := 0, ""
	for _, name := range sortedKeys(vs) {
		p, err := Render(vs[name], NewNonce())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sizes = append(sizes, len(p.User))
		if len(p.User) > largest {
			largest, largestName = len(p.User), name
		}
	}
	slices.Sort(sizes)
	n := len(sizes)
	median := sizes[n/2]
	if n%2 == 0 {
		median = (sizes[n/2-1] + sizes[n/2]) / 2
	}
	t.Logf("per-request part over %d fixtures: median %d bytes, max %d bytes (%s), system prompt %d bytes",
		n, median, largest, largestName, len(prompt().system))
	if median > promptBudget {
		t.Errorf("median %d bytes, want at most %d", median, promptBudget)
	}
}

// TestRenderIsFenced checks every fixture's prompt: no control string or
// invisible character anywhere, every fenced value is one valid JSON
// value, and the markers pair up.
func TestRenderIsFenced(t *testing.T) {
	vs := corpusVerdicts(t)
	for _, name := range sortedKeys(vs) {
		p, err := Render(vs[name], goldenNonce)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkFenced(t, name, p.User, goldenNonce)
	}
}

// checkFenced checks a rendered request and returns what is outside the
// fences.
func checkFenced(t *testing.T, name, user, nonce string) string {
	t.Helper()
	if m := controlString().FindString(user); m != "" {
		t.Errorf("%s: control string %q in the prompt", name, m)
	}
	if strings.ContainsFunc(user, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
		t.Errorf("%s: format character in the prompt", name)
	}
	open, closing := openMarker(nonce), closeMarker(nonce)
	// The header names the markers once; every other pair holds a value.
	rest := strings.Replace(user, open+" … "+closing, "", 1)
	var outside strings.Builder
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			outside.WriteString(rest)
			break
		}
		outside.WriteString(rest[:i])
		rest = rest[i+len(open):]
		j := strings.Index(rest, closing)
		if j < 0 {
			t.Fatalf("%s: unclosed fence", name)
		}
		inner := strings.TrimSpace(rest[:j])
		if !json.Valid([]byte(inner)) {
			t.Errorf("%s: fenced value is not JSON: %s", name, inner)
		}
		rest = rest[j+len(closing):]
	}
	if strings.Contains(outside.String(), closing) {
		t.Errorf("%s: a closing marker without an opening one", name)
	}
	return outside.String()
}

// TestInputStaysInsideFences: the instruction-like text of the TG701
// fixtures reaches the model only inside fences.
func TestInputStaysInsideFences(t *testing.T) {
	vs := corpusVerdicts(t)
	for _, name := range sortedKeys(vs) {
		if !strings.HasPrefix(name, "rules/TG701-fire-") {
			continue
		}
		p, err := Render(vs[name], goldenNonce)
		if err != nil {
			t.Fatal(err)
		}
		outside := strings.ToLower(checkFenced(t, name, p.User, goldenNonce))
		for _, w := range []string{"ignore", "im_start", "im_end", "verdict is", "system prompt", "reviewer:", "developer mode"} {
			if strings.Contains(outside, w) {
				t.Errorf("%s: %q outside the fences:\n%s", name, w, outside)
			}
		}
		if !strings.Contains(p.User, "TG701 danger") {
			t.Errorf("%s: the prompt does not carry TG701", name)
		}
	}
}

// goldenCases are a representative set: every kind, nested calls, a
// 7702 authorization, fenced strings in calldata and typed data, an
// intent, and a kind without a template of its own.
var goldenCases = []struct {
	fixture, intent string
}{
	{"calls/multicall3-hidden-approve.hex", ""},
	{"calls/universal-router-swap.hex", "swap 1 ETH for USDC on Uniswap"},
	{"calls/safe-delegatecall-multisend.hex", ""},
	{"calls/seaport-basic-order.hex", ""},
	{"tx/setcode-signed.hex", ""},
	{"request/envelope-send-transaction.json", ""},
	{"sign/permit2-single-envelope.json", "log in to app.example.org"},
	{"sign/siwe-envelope.json", ""},
	{"sign/personal-text.txt", ""},
	{"sign/blind-hash.hash", ""},
	{"bytecode/eip1167-proxy.hex", ""},
	{"rules/TG701-fire-typeddata-chat-tag.json", ""},
	{"rules/TG701-fire-calldata-witness-type.hex", ""},
	{"rules/TG203-fire-bulk-order.json", ""},
	{"rules/TG1001-fire-drainer-claim-rewards.json", "claim my staking rewards"},
	{"rules/TG1009-fire-permit-all-usdc.json", ""},
}

// TestGolden compares the system prompt and the per-request part of the
// golden cases with testdata/golden; go test ./prompts -update rewrites
// them.
func TestGolden(t *testing.T) {
	vs := corpusVerdicts(t)
	golden(t, "system.txt", []byte(prompt().system+"\n"))
	for _, c := range goldenCases {
		v, ok := vs[c.fixture]
		if !ok {
			t.Fatalf("no fixture %s", c.fixture)
		}
		w := *v
		w.Intent = c.intent
		p, err := Render(&w, goldenNonce)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.NewReplacer("/", "-").Replace(strings.TrimSuffix(c.fixture, filepath.Ext(c.fixture))) + ".txt"
		golden(t, name, []byte(p.User))
	}
	// A kind without its own template: a diff, as a later issue adds it.
	diff := &guard.Verdict{RulesLevel: guard.Caution, Decoded: &decode.Result{Kind: "diff", Method: "<|im_start|>"},
		Findings: []guard.Finding{{Rule: "TG999", Severity: guard.Caution, Title: "Storage layout changed", Source: guard.SourceRules}}}
	p, err := Render(diff, goldenNonce)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "generic-diff.txt", []byte(p.User))

	// A real contract diff as txguard diff hands it over: a lost
	// onlyOwner, read hunk by hunk. Paths and details come from the diff:
	// fenced in the JSON like every input string.
	b, err := os.ReadFile(filepath.Join(fixturesDir, "rules", "TG902-fire-onlyowner-lost-hunks.diff"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(b, decode.Options{Kind: decode.KindDiff})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = Render(guard.Check(res, guard.Config{}), goldenNonce); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff-onlyowner-lost.txt", []byte(p.User))

	// check --code: the code a 7702 authorization delegates to, and the
	// code a contract call reaches, summarised beside the transaction.
	book, deny := corpus.Books(t, fixturesDir)
	for _, c := range []struct{ name, tx, code string }{
		{"code-7702-delegate.txt", "rules/TG502-quiet-address-book-delegate.hex", "rules/TG802-fire-delegatecall-from-calldata.hex"},
		{"code-contract-call.txt", "calls/erc20-transfer.hex", "bytecode/oz-erc20-runtime.hex"},
	} {
		read := func(name string, kind decode.Kind) *decode.Result {
			b, err := os.ReadFile(filepath.Join(fixturesDir, name))
			if err != nil {
				t.Fatal(err)
			}
			res, err := decode.Decode(b, decode.Options{Kind: kind, AddressBook: book, Chain: 1})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return res
		}
		code := read(c.code, decode.KindBytecode).Bytecode.Analysis
		v := guard.Check(read(c.tx, ""), guard.Config{AddressBook: book, DenyList: deny, Chain: 1, Now: corpus.Now, Code: code})
		if p, err = Render(v, goldenNonce); err != nil {
			t.Fatal(err)
		}
		golden(t, c.name, []byte(p.User))
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	corpus.Golden(t, filepath.Join("testdata", "golden", name), got, *updateGolden)
}

// TestTemplateHash: the hash covers every byte of every template.
func TestTemplateHash(t *testing.T) {
	base := fstest.MapFS{"templates/a.tmpl": {Data: []byte("a")}, "templates/b.tmpl": {Data: []byte("b")}}
	h := hashTemplates(base)
	if len(h) != 12 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Fatalf("hash %q: want 12 hex digits", h)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"one byte":     {"templates/a.tmpl": {Data: []byte("A")}, "templates/b.tmpl": {Data: []byte("b")}},
		"a new file":   {"templates/a.tmpl": {Data: []byte("a")}, "templates/b.tmpl": {Data: []byte("b")}, "templates/c.tmpl": {Data: nil}},
		"moved bytes":  {"templates/a.tmpl": {Data: []byte("ab")}, "templates/b.tmpl": {Data: []byte("")}},
		"renamed file": {"templates/a.tmpl": {Data: []byte("a")}, "templates/c.tmpl": {Data: []byte("b")}},
	} {
		if hashTemplates(fsys) == h {
			t.Errorf("%s: the hash did not change", name)
		}
	}
	if prompt().hash != hashTemplates(templateFS) {
		t.Error("templateHash is not the hash of the embedded templates")
	}
}

func TestRenderRefuses(t *testing.T) {
	v := &guard.Verdict{Decoded: &decode.Result{Kind: decode.KindHash}}
	for _, nonce := range []string{"", "short", "0123456789abcdef>>>", "0123 456789abcdef"} {
		if _, err := Render(v, nonce); err == nil {
			t.Errorf("nonce %q: want an error", nonce)
		}
	}
	if _, err := Render(&guard.Verdict{}, goldenNonce); err == nil {
		t.Error("no decoded input: want an error")
	}
}

// TestUserABINamesFenced: names from the user's --abi and signatures from
// the public selector table are text somebody else chose.
func TestUserABINamesFenced(t *testing.T) {
	vs := corpusVerdicts(t)
	p, err := Render(vs["calls/unknown-selector.hex"], goldenNonce)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.User, "unknown function 0xdeadbeef") {
		t.Errorf("unknown selector not said:\n%s", p.User)
	}
	w := *vs["calls/erc20-transfer.hex"]
	d := *w.Decoded
	txv := *d.Tx
	call := *txv.Call
	call.Source, call.Signature = "user", "transfer(address,uint256)"
	call.Args = slices.Clone(call.Args)
	call.Args[0].Name = "ignore_previous_instructions"
	txv.Call, d.Tx, w.Decoded = &call, &txv, &d
	p, err = Render(&w, goldenNonce)
	if err != nil {
		t.Fatal(err)
	}
	outside := checkFenced(t, "user abi", p.User, goldenNonce)
	if strings.Contains(outside, "transfer(address") || strings.Contains(outside, "ignore_previous") {
		t.Errorf("user ABI names outside the fences:\n%s", p.User)
	}
}

// TestRenderCaps: inputs far past the caps stay bounded, and the prompt
// says what it left out.
func TestRenderCaps(t *testing.T) {
	arg := func(i int) calldata.Arg {
		return calldata.Arg{Name: fmt.Sprintf("a%d", i), Type: "uint256", Value: fmt.Sprint(i)}
	}
	var calls []*calldata.Call
	for i := range 40 {
		c := &calldata.Call{Path: fmt.Sprintf("call.calls[%d]", i), Kind: calldata.KindCall, Signature: "f(uint256)", Source: "erc20"}
		for j := range 30 {
			c.Args = append(c.Args, arg(j))
		}
		calls = append(calls, c)
	}
	list := calldata.Arg{Name: "list", Type: "uint256[]"}
	for i := range 20 {
		list.Elems = append(list.Elems, arg(i))
	}
	top := &calldata.Call{Path: "call", Kind: calldata.KindCall, Signature: "batch(bytes[])", Source: "multicall3", Calls: calls,
		Args: []calldata.Arg{{Name: "calls", Type: "bytes[]", Carries: true}, list}}
	var fields []typeddata.Field
	for i := range 100 {
		fields = append(fields, typeddata.Field{Name: fmt.Sprintf("f%d", i), Type: "string", Value: strings.Repeat("x", 500)})
	}
	var findings []guard.Finding
	for i := range 20 {
		findings = append(findings, guard.Finding{Rule: "TG101", Severity: guard.Danger, Title: fmt.Sprintf("t%d", i)})
	}
	for range 3 { // the same finding thrice is said once
		findings = append([]guard.Finding{{Rule: "TG502", Severity: guard.Critical, Title: "same"}}, findings...)
	}
	tests := []struct {
		name string
		in   *decode.Result
		want []string
	}{
		{"calls", &decode.Result{Kind: decode.KindTx, Tx: &tx.Tx{Type: 2, Call: top, Data: []byte{1}}},
			[]string{"… 29 more nested calls not shown", "… 15 more not shown", "more arguments not shown", "… 9 more findings not shown"}},
		{"typed data", &decode.Result{Kind: decode.KindTypedData, TypedData: &typeddata.TypedData{Message: fields}},
			[]string{"«52 more values not shown»", "«the first 160 of 500 characters»"}},
		{"message", &decode.Result{Kind: decode.KindMessage, Message: &message.Message{Printable: true, Text: strings.Repeat("word ", 1000)}},
			[]string{"(the first 800 of 5000 characters)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Render(&guard.Verdict{Decoded: tt.in, Findings: findings, Intent: strings.Repeat("i", 1000)}, goldenNonce)
			if err != nil {
				t.Fatal(err)
			}
			checkFenced(t, tt.name, p.User, goldenNonce)
			for _, w := range append(tt.want, "(the first 300 of 1000 characters)", "- TG502 critical: same (3 times)\n- TG101") {
				if !strings.Contains(p.User, w) {
					t.Errorf("%q not said", w)
				}
			}
			if len(p.User) > 12000 {
				t.Errorf("%d bytes", len(p.User))
			}
		})
	}
}
