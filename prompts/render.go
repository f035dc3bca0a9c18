package prompts

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/selector"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

// maxSimulation bounds the simulation's lines in a prompt.
const maxSimulation = 2000

// Prompt is what the model is sent.
type Prompt struct {
	System       string // byte-identical across audits, so Ollama reuses its cached prefix
	User         string // the per-request part: the fenced description of the input
	TemplateHash string // identifies the templates that made it
	Kind         string // the input kind it was rendered for
}

// NewNonce returns a fresh random delimiter token for one request.
func NewNonce() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// The templates: system.tmpl is the fixed system prompt, user.tmpl the
// frame of every request (findings, level, intent), and one template per
// kind of input describes the decoded value. A kind without its own
// template (a bytecode diff, for now) gets generic.tmpl. The version of
// the prompt is the hash of all of them: a review records it, and the
// cache of reviews is keyed on it.
//
//go:embed templates/*.tmpl
var templateFS embed.FS

// prompt is the parsed templates, their hash and the system prompt, made
// on first use: commands that never ask the model (decode, rules,
// --no-llm) do not parse templates at start-up.
var prompt = sync.OnceValue(func() (p struct {
	templates    *template.Template
	hash, system string
}) {
	p.templates = template.Must(template.New("").Option("missingkey=error").ParseFS(templateFS, "templates/*.tmpl"))
	p.hash = hashTemplates(templateFS)
	p.system = mustSystem(p.templates)
	return p
})

// kindTemplates names the template that describes each kind of input.
var kindTemplates = map[decode.Kind]string{
	decode.KindTx:        "tx",
	decode.KindRequest:   "tx",
	decode.KindTypedData: "typeddata",
	decode.KindMessage:   "message",
	decode.KindHash:      "hash",
	decode.KindBytecode:  "bytecode",
}

// hashTemplates is the first 12 hex digits of SHA-256 over every template
// file, by name: any change to any of them changes it.
func hashTemplates(fsys fs.FS) string {
	h := sha256.New()
	names, err := fs.Glob(fsys, "templates/*.tmpl")
	if err != nil || len(names) == 0 {
		panic("prompts: no templates")
	}
	slices.Sort(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func mustSystem(templates *template.Template) string {
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, "system", struct{ Levels string }{levelList()}); err != nil {
		panic(err)
	}
	return b.String()
}

func levelList() string {
	var names []string
	for l := guard.OK; l <= guard.Critical; l++ {
		names = append(names, l.String())
	}
	return strings.Join(names, " < ")
}

// Render builds the prompt for a verdict. nonce is the request's fresh
// delimiter token (NewNonce): it must be letters and digits, and unknown
// to whoever wrote the input.
func Render(v *guard.Verdict, nonce string) (Prompt, error) {
	if v == nil || v.Decoded == nil {
		return Prompt{}, errors.New("prompts: no decoded input to describe")
	}
	if len(nonce) < 8 || strings.ContainsFunc(nonce, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}) {
		return Prompt{}, fmt.Errorf("prompts: nonce %q: want at least 8 letters or digits", nonce)
	}
	name, ok := kindTemplates[v.Decoded.Kind]
	if !ok {
		name = "generic"
	}
	view, err := newView(v, nonce)
	if err != nil {
		return Prompt{}, err
	}
	var b strings.Builder
	if err := prompt().templates.ExecuteTemplate(&b, name, view); err != nil {
		return Prompt{}, fmt.Errorf("prompts: %s template: %v", name, err)
	}
	return Prompt{System: prompt().system, User: b.String(), TemplateHash: prompt().hash, Kind: string(v.Decoded.Kind)}, nil
}

// Caps that keep the per-request part compact: a model reads a long
// prompt worse, and slower, on the user's own machine. What is cut is
// said, with how much.
const (
	maxFindingsShown = 12  // the rules' findings, worst first
	maxCalls         = 12  // calls of a transaction, depth first
	maxArgLines      = 24  // argument lines per call, tuple members and elements included
	maxTxArgLines    = 80  // argument lines of all the calls of a transaction
	maxElems         = 5   // elements of an array, per array
	maxLeaves        = 48  // values of a typed-data message, or of a kind without a template
	maxString        = 160 // characters of one string from the input
	maxText          = 800 // characters of a personal message
	maxIntent        = 300 // characters of --intent
	maxName          = 64  // characters of a typed-data member name
	shortBytes       = 16  // bytes values longer than this are shortened
)

// view is what the templates see. Every string in it is ready to print:
// input text is fenced, txguard's own text cleaned.
type view struct {
	Open, Close  string // this request's markers
	Method       string // the JSON-RPC method, when the input was an envelope
	Signer       string // the account asked to sign, when the request names it
	Level        string
	Coverage     string // what the rules read and did not
	Findings     []findingView
	MoreFindings int
	Intent       string // fenced; "" when not given

	Tx        *txView
	TypedData *typedView
	Message   *messageView
	Hash      *hashView
	Bytecode  *codeView
	Generic   *genericView
	// Code is the target's or delegate's code the user supplied (check
	// --code), summarised.
	Code *codeView
	// Simulation is what the user's node said the input does (check
	// --rpc), fenced: token names and revert reasons are anyone's words.
	Simulation string
}

type findingView struct {
	ID, Severity, Title string
	Count               int
}

func (f findingView) same(g findingView) bool {
	return f.ID == g.ID && f.Severity == g.Severity && f.Title == g.Title
}

func newView(v *guard.Verdict, nonce string) (*view, error) {
	r := renderer{nonce: nonce}
	in := v.Decoded
	w := &view{Open: openMarker(nonce), Close: closeMarker(nonce), Level: v.RulesLevel.String(), Method: r.clean(in.Method),
		Coverage: r.clean(v.Coverage.Line())}
	if in.Signer != nil {
		w.Signer = r.addr(*in.Signer)
	}
	// The rules' findings: their IDs, levels and titles, the same one
	// counted rather than repeated. The explanations are long, and the
	// model can read the decoded input itself.
	for i, f := range v.Findings {
		fv := findingView{r.clean(f.Rule), f.Severity.String(), r.clean(f.Title), 1}
		if n := len(w.Findings); n > 0 && w.Findings[n-1].same(fv) {
			w.Findings[n-1].Count++
			continue
		}
		if len(w.Findings) == maxFindingsShown {
			w.MoreFindings = len(v.Findings) - i
			break
		}
		w.Findings = append(w.Findings, fv)
	}
	if v.Intent != "" {
		w.Intent = r.fenceCut(v.Intent, maxIntent)
	}
	switch {
	case in.Tx != nil:
		w.Tx = r.tx(in.Tx)
	case in.TypedData != nil:
		w.TypedData = r.typedData(in.TypedData)
	case in.Message != nil:
		w.Message = r.message(in)
	case in.Hash != nil:
		w.Hash = &hashView{Hash: in.Hash.Hash.Hex(), Note: r.clean(in.Hash.Note)}
	case in.Bytecode != nil:
		b := in.Bytecode
		w.Bytecode = r.code(b.Analysis)
		w.Bytecode.Form, w.Bytecode.Size, w.Bytecode.Code = r.clean(b.Form), b.Size, shorten(b.Code.String())
		if b.Target != nil {
			w.Bytecode.Target = b.Target.Hex()
		}
	}
	if v.Code != nil {
		w.Code = r.code(v.Code)
	}
	if lines := report.SimLines(v); lines != nil {
		w.Simulation = r.fenceCut(strings.Join(lines, "\n"), maxSimulation)
	}
	if _, ok := kindTemplates[in.Kind]; !ok {
		data, err := r.generic(in)
		if err != nil {
			return nil, err
		}
		w.Generic = &genericView{Kind: r.clean(string(in.Kind)), Data: data}
	}
	return w, nil
}

// renderer turns decoded values into view text for one nonce.
type renderer struct{ nonce string }

// fence fences input text.
func (r renderer) fence(s string) string { return fenceText(r.nonce, s) }

// fenceCut fences the first n characters of s, and says how long it was.
func (r renderer) fenceCut(s string, n int) string {
	if t, cut := cutRunes(s, n); cut {
		return r.fence(t) + fmt.Sprintf(" (the first %d of %d characters)", n, utf8.RuneCountInString(s))
	}
	return r.fence(s)
}

// clean prepares txguard's own text, or the user's.
func (r renderer) clean(s string) string { return cleanTrusted(r.nonce, s) }

// addr is an address with who it is: a label from txguard's lists or
// the user's address book, or "unknown" when nobody labelled it.
func (r renderer) addr(a label.Addr) string {
	h := label.Hex(a.Address)
	return h + " (" + r.who(h, a.Label) + ")"
}

func (r renderer) who(hex, lbl string) string {
	switch {
	case lbl != "":
		return r.clean(lbl)
	case strings.Trim(strings.TrimPrefix(hex, "0x"), "0") == "":
		return "zero address"
	}
	return "unknown"
}

func cutRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	return string([]rune(s)[:n]), true
}

// shorten writes long 0x hex as its first 8 bytes, last 4 and length, as
// the text report does: enough to recognise, never a wall of digits.
func shorten(h string) string {
	digits := strings.TrimPrefix(h, "0x")
	n := len(digits) / 2
	switch {
	case n <= shortBytes:
		return h
	case strings.Trim(digits, "0") == "":
		return fmt.Sprintf("0x00…00 (%d zero bytes)", n)
	}
	return fmt.Sprintf("0x%s…%s (%d bytes)", digits[:16], digits[len(digits)-8:], n)
}

// --- transactions ---

type txView struct {
	Form       string // signed, unsigned signing payload, request
	Type       string
	Chain      string // "" when the transaction names none
	Replayable bool
	From, To   string // To "" is a contract creation
	Value      string
	Fees       string
	AccessList string
	Blobs      string
	Auths      []string
	Problems   []string
	Call       *callView
	MoreCalls  int // calls not shown
}

type callView struct {
	Indent   string
	Head     string   // the function, fenced when its name is not txguard's
	Tags     []string // where the name comes from when not a curated ABI; may revert
	Delegate bool     // made with DELEGATECALL: the code runs as the caller
	Target   string   // nested calls: whom it calls
	Value    string   // native currency sent with it
	Args     []argView
	MoreArgs int
	Readings int // other functions the same bytes decode as
	Data     string
	Note     string
	Calls    []*callView
}

type argView struct {
	Indent    string
	Name      string
	Value     string // "" when Elems or Carries
	Reads     string // txguard's reading of a tuple or array
	Carries   bool
	Elems     []argView
	MoreElems int
}

func (r renderer) tx(t *tx.Tx) *txView {
	v := &txView{Type: fmt.Sprintf("%d %s", t.Type, r.clean(t.TypeName)), Replayable: t.Replayable, Value: r.clean(t.Value.Human)}
	switch {
	case t.Source == tx.SourceRequest:
		v.Form = "request"
	case t.Signed:
		v.Form = "signed"
	default:
		v.Form = "unsigned signing payload"
	}
	if t.ChainID != nil {
		v.Chain = fmt.Sprintf("%s (%s)", r.clean(t.ChainName), t.ChainID)
	}
	if t.From != nil {
		v.From = r.addr(*t.From)
		switch t.FromSource {
		case "recovered":
			v.From += ", recovered from the signature"
		case "request":
			v.From += ", as the request names it"
		}
	}
	if t.To != nil {
		v.To = r.addr(*t.To)
	}
	var fees []string
	for _, f := range []struct {
		k string
		w *tx.Wei
	}{{"gas price", t.GasPrice}, {"max fee", t.MaxFeePerGas}, {"priority fee", t.MaxPriorityFeePerGas}, {"max blob fee", t.MaxFeePerBlobGas}} {
		if f.w != nil {
			fees = append(fees, f.k+" "+r.clean(f.w.Human))
		}
	}
	if t.Gas != nil {
		fees = append(fees, fmt.Sprintf("gas limit %d", *t.Gas))
	}
	v.Fees = strings.Join(fees, ", ")
	if len(t.AccessList) > 0 {
		keys := 0
		for _, e := range t.AccessList {
			keys += len(e.StorageKeys)
		}
		v.AccessList = fmt.Sprintf("%d addresses, %d storage keys", len(t.AccessList), keys)
	}
	if n := len(t.BlobHashes); n > 0 {
		v.Blobs = fmt.Sprintf("%d blob hashes", n)
		if t.Sidecar != nil {
			v.Blobs += fmt.Sprintf(", sidecar with %d blobs", t.Sidecar.Blobs)
		}
	}
	for i, a := range t.Authorizations {
		if i == maxElems {
			v.Auths = append(v.Auths, fmt.Sprintf("… %d more authorizations not shown", len(t.Authorizations)-i))
			break
		}
		s := fmt.Sprintf("delegate %s, %s (chain id %s), nonce %d, ", r.addr(a.Delegate), r.clean(a.ChainName), r.clean(a.ChainID), a.Nonce)
		if a.Authority != nil {
			s += "authority " + r.addr(*a.Authority)
		} else {
			s += "no authority: invalid signature (" + r.clean(a.Invalid) + ")"
		}
		v.Auths = append(v.Auths, s)
	}
	for _, p := range t.Problems {
		v.Problems = append(v.Problems, r.clean(p))
	}
	if c := t.Call; c != nil && (c.Selector != "" || len(t.Data) > 0) {
		budget, lines := maxCalls, maxTxArgLines
		v.Call = r.call(c, "  ", false, &budget, &lines)
		if budget < 0 {
			v.MoreCalls = -budget
		}
	}
	return v
}

// call describes c and the calls nested in it while budget lasts; the
// calls past it only count (budget goes negative by their number).
// Argument lines come out of txLines, at most maxArgLines per call.
func (r renderer) call(c *calldata.Call, indent string, nested bool, budget, txLines *int) *callView {
	*budget--
	v := &callView{Indent: indent}
	switch {
	case c.Kind == calldata.KindCall && c.Signature != "":
		v.Head = c.Signature
	case c.Name != "":
		v.Head = c.Name
	case c.Selector != "":
		v.Head = "unknown function " + c.Selector
	default:
		v.Head = "unknown call"
	}
	if r.untrustedNames(c) {
		// A name from the user's --abi, or a signature from the public
		// selector table that anyone can add to: text somebody chose.
		v.Head = r.fence(v.Head)
	} else {
		v.Head = r.clean(v.Head)
	}
	switch c.Source {
	case "4byte":
		v.Tags = append(v.Tags, "name guessed from a public selector table")
	case "user":
		v.Tags = append(v.Tags, "from your ABI")
	}
	if c.AllowRevert {
		v.Tags = append(v.Tags, "may revert")
	}
	v.Delegate = c.Operation == calldata.OpDelegateCall
	if nested && c.Target != nil && c.Kind == calldata.KindCall {
		v.Target = r.addr(*c.Target)
	}
	if c.Value != nil && c.Value.Sign() > 0 {
		v.Value = r.clean(c.Human)
	}
	allowed := min(maxArgLines, *txLines)
	lines := allowed
	v.Args, v.MoreArgs = r.args(c, c.Args, indent+"  ", &lines)
	*txLines -= allowed - lines
	v.Readings = len(c.Ambiguous)
	if len(c.Data) > 0 {
		v.Data = shorten(c.Data.String())
	}
	if c.Error != "" {
		// Fenced: the decoder's note can quote a signature from the
		// user's ABI or the public selector table.
		v.Note = r.fence(c.Error)
	}
	for _, in := range c.Calls {
		if *budget <= 0 {
			*budget -= countCalls(in)
			continue
		}
		v.Calls = append(v.Calls, r.call(in, indent+"  ", true, budget, txLines))
	}
	return v
}

func countCalls(c *calldata.Call) int {
	n := 0
	c.Walk(func(*calldata.Call) { n++ })
	return n
}

// untrustedNames: the call's function and argument names are not from
// txguard's curated ABIs.
func (r renderer) untrustedNames(c *calldata.Call) bool {
	return c.Source == "user" || c.Source == "4byte"
}

// args describes arguments while lines last, and returns how many at this
// level were left out.
func (r renderer) args(c *calldata.Call, as []calldata.Arg, indent string, lines *int) ([]argView, int) {
	var out []argView
	for i, a := range as {
		if *lines <= 0 {
			return out, len(as) - i
		}
		*lines--
		v := argView{Indent: indent, Name: r.clean(a.Name), Carries: a.Carries}
		if c.Source == "user" && !strings.HasPrefix(a.Name, "[") {
			v.Name = r.fence(a.Name)
		}
		switch {
		case a.Carries:
		case len(a.Elems) > 0:
			elems := a.Elems
			if strings.HasSuffix(a.Type, "]") && len(elems) > maxElems {
				v.MoreElems = len(elems) - maxElems
				elems = elems[:maxElems]
			}
			var more int
			v.Elems, more = r.args(c, elems, indent+"  ", lines)
			v.MoreElems += more
			v.Reads = r.clean(a.Human)
		case strings.HasSuffix(a.Type, "]"):
			v.Value = "empty"
		default:
			v.Value = r.argValue(a)
		}
		out = append(out, v)
	}
	return out, 0
}

func (r renderer) argValue(a calldata.Arg) string {
	switch {
	case a.Type == "address":
		return a.Value + " (" + r.who(a.Value, a.Label) + ")"
	case a.Human != "":
		return r.clean(a.Human)
	case a.Type == "string":
		return r.fenceCut(a.Value, maxString)
	case strings.HasPrefix(a.Type, "bytes"):
		return shorten(a.Value)
	}
	return r.clean(a.Value)
}

// --- typed data ---

type typedView struct {
	Chain    string // "" when the domain names none
	Contract string // the verifying contract; "" when none
	Data     string // fenced: domain strings, primary type, message, notes
}

func (r renderer) typedData(t *typeddata.TypedData) *typedView {
	v := &typedView{}
	d := t.Domain
	if d.ChainID != "" {
		v.Chain = fmt.Sprintf("%s (%s)", r.clean(d.ChainName), r.clean(d.ChainID))
	}
	if d.VerifyingContract != nil {
		v.Contract = r.addr(*d.VerifyingContract)
	}
	var dom jsonObject
	for _, f := range []typeddata.Field{{Name: "name", Type: "string", Value: d.Name}, {Name: "version", Type: "string", Value: d.Version},
		{Name: "salt", Type: "bytes32", Value: d.Salt}} {
		if f.Value != "" {
			dom = append(dom, jsonMember{f.Name, r.leaf(f)})
		}
	}
	leaves := maxLeaves
	dom = append(dom, r.fields(d.Extra, &leaves)...)
	msg := r.fields(t.Message, &leaves)
	obj := jsonObject{{"domain", dom}, {"primaryType", t.PrimaryType}, {"message", msg}}
	if leaves < 0 {
		obj = append(obj, jsonMember{"cut", reading{"", fmt.Sprintf("%d more values not shown", -leaves)}})
	}
	if len(t.Notes) > 0 {
		var notes []any
		for _, n := range t.Notes {
			notes = append(notes, reading{"", n})
		}
		obj = append(obj, jsonMember{"notes", notes})
	}
	v.Data = fenceJSON(r.nonce, obj)
	return v
}

// fields is a message as JSON, in type order; leaves past the budget only
// count (it goes negative by their number).
func (r renderer) fields(fs []typeddata.Field, leaves *int) jsonObject {
	var out jsonObject
	for _, f := range fs {
		if val, ok := r.field(f, leaves); ok {
			name, _ := cutRunes(f.Name, maxName)
			out = append(out, jsonMember{name, val})
		}
	}
	return out
}

func (r renderer) field(f typeddata.Field, leaves *int) (any, bool) {
	array := strings.HasSuffix(f.Type, "]")
	if len(f.Fields) == 0 && !array {
		*leaves--
		if *leaves < 0 {
			return nil, false
		}
		return r.leaf(f), true
	}
	if !array {
		return r.fields(f.Fields, leaves), true
	}
	list := []any{}
	for i, e := range f.Fields {
		if i == maxElems {
			list = append(list, reading{"", fmt.Sprintf("%d more elements not shown", len(f.Fields)-i)})
			break
		}
		if val, ok := r.field(e, leaves); ok {
			list = append(list, val)
		}
	}
	return list, true
}

// cutValue is an input string for fenced JSON, cut to maxString
// characters with a reading that says so.
func cutValue(s string) any {
	if t, cut := cutRunes(s, maxString); cut {
		return reading{t, fmt.Sprintf("the first %d of %d characters", maxString, utf8.RuneCountInString(s))}
	}
	return s
}

func (r renderer) leaf(f typeddata.Field) any {
	switch {
	case f.Type == "address":
		return reading{f.Value, r.who(f.Value, f.Label)}
	case f.Human != "":
		return reading{"", f.Human}
	case f.Type == "string":
		return cutValue(f.Value)
	case strings.HasPrefix(f.Type, "bytes") && shorten(f.Value) != f.Value:
		return reading{"", shorten(f.Value)}
	}
	return f.Value
}

// --- messages, hashes, bytecode and the rest ---

type messageView struct {
	SIWE      string // fenced sign-in fields
	Account   string // the account signing in
	SIWEError string // fenced: the parser quotes the input
	Text      string // fenced
	Bytes     string // not text: shortened hex
	LooksLike string
}

func (r renderer) message(in *decode.Result) *messageView {
	m := in.Message
	v := &messageView{LooksLike: r.clean(m.LooksLike)}
	switch s := m.SIWE; {
	case s != nil:
		v.Account = r.addr(s.Address)
		var res []any
		for i, u := range s.Resources {
			if i == maxElems {
				res = append(res, reading{"", fmt.Sprintf("%d more resources not shown", len(s.Resources)-i)})
				break
			}
			res = append(res, cutValue(u))
		}
		obj := jsonObject{}
		for _, f := range []struct{ k, v string }{{"scheme", s.Scheme}, {"domain", s.Domain}, {"statement", s.Statement}, {"uri", s.URI},
			{"version", s.Version}, {"chainId", s.ChainID}, {"nonce", s.Nonce}, {"issuedAt", s.IssuedAt},
			{"expirationTime", s.ExpirationTime}, {"notBefore", s.NotBefore}, {"requestId", s.RequestID}} {
			if f.v != "" {
				obj = append(obj, jsonMember{f.k, cutValue(f.v)})
			}
		}
		if res != nil {
			obj = append(obj, jsonMember{"resources", res})
		}
		v.SIWE = fenceJSON(r.nonce, obj)
	case m.Printable:
		v.Text = r.fenceCut(m.Text, maxText)
		if m.SIWEError != "" {
			v.SIWEError = r.fence(strings.TrimPrefix(m.SIWEError, "message: "))
		}
	default:
		v.Bytes = shorten(m.Bytes.String())
	}
	return v
}

type hashView struct{ Hash, Note string }

type codeView struct {
	Form   string
	Size   int
	Code   string
	Target string
	// From the analysis: a compact summary, not the code.
	Compiler   string
	Proxy      string
	Interfaces string
	Functions  []string // "0xa9059cbb transfer(address,uint256)", at most maxFunctionsShown
	More       int      // functions not shown
	Concerns   []string // "DELEGATECALL at pc 31, target from calldata"
	Addresses  []string
}

// maxFunctionsShown bounds the functions listed to the model.
const maxFunctionsShown = 24

// code summarises an analysis for the model. The compiler version comes
// from the code's metadata, which whoever compiled it wrote: fenced.
func (r renderer) code(a *evm.Analysis) *codeView {
	c := &codeView{}
	if a == nil {
		return c
	}
	c.Form, c.Size = r.clean(a.Form), a.Size
	if a.Target != nil {
		c.Target = a.Target.Hex()
	}
	if m := a.Metadata; m != nil {
		c.Compiler = r.fence(strings.TrimSpace(m.Compiler + " " + m.Version))
	}
	c.Proxy, c.Interfaces = strings.Join(a.Proxy, ", "), strings.Join(a.Interfaces, ", ")
	for i, s := range a.Selectors {
		if i == maxFunctionsShown {
			c.More = len(a.Selectors) - i
			break
		}
		c.Functions = append(c.Functions, r.clean(selector.Named(s)))
	}
	for _, k := range a.Concerns {
		c.Concerns = append(c.Concerns, r.clean(k.String()))
	}
	for _, addr := range a.Addresses {
		c.Addresses = append(c.Addresses, addr.Hex())
	}
	return c
}

type genericView struct{ Kind, Data string }

// generic is the decoded value as fenced JSON, members in their order,
// numbers and booleans as text, at most maxLeaves values.
func (r renderer) generic(in *decode.Result) (string, error) {
	js, err := json.Marshal(in)
	if err != nil {
		return "", fmt.Errorf("prompts: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	leaves := maxLeaves
	v, err := jsonValue(dec, &leaves)
	if err != nil {
		return "", fmt.Errorf("prompts: %v", err)
	}
	if o, ok := v.(jsonObject); ok && leaves < 0 {
		v = append(o, jsonMember{"cut", reading{"", fmt.Sprintf("%d more values not shown", -leaves)}})
	}
	return fenceJSON(r.nonce, v), nil
}

// jsonValue reads one JSON value from dec as fenceJSON takes it; values
// past the budget only count.
func jsonValue(dec *json.Decoder, leaves *int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := jsonObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := jsonValue(dec, leaves)
			if err != nil {
				return nil, err
			}
			if v != nil {
				o = append(o, jsonMember{k.(string), v})
			}
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		l := []any{}
		for dec.More() {
			v, err := jsonValue(dec, leaves)
			if err != nil {
				return nil, err
			}
			if v != nil {
				l = append(l, v)
			}
		}
		_, err := dec.Token()
		return l, err
	}
	if *leaves--; *leaves < 0 {
		return nil, nil
	}
	switch t := tok.(type) {
	case string:
		return cutValue(t), nil
	case nil:
		return "null", nil
	}
	return fmt.Sprint(tok), nil
}
