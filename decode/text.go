package decode

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/codediff"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/selector"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
)

// textWriter writes "key: value" lines with two spaces of indent per level
// and remembers the first write error, so rendering code stays linear.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) line(depth int, format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, "%s%s\n", strings.Repeat("  ", depth), Escape(fmt.Sprintf(format, args...)))
}

// Escape makes text from the input safe to print on a terminal: control
// and format characters (escape sequences, carriage returns, bidi
// overrides, zero-width characters) become \u escapes, so an input can
// neither repaint the screen nor read differently from its bytes.
//
// Bytes that are not UTF-8 become \xNN: a lone 0x9b is CSI to a terminal
// that reads 8-bit controls.
func Escape(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp) || blank(r) || unassigned(r)
}

// unassigned is a code point no Unicode version this build knows gives a
// meaning: a font or a later terminal may draw anything for it. Private
// use (Co, above) is the same: a font's logo or icon, not text.
func unassigned(r rune) bool {
	return r >= 0x80 && !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)
}

// blank are characters that show as nothing or as a space although they
// are letters or marks (Hangul fillers, the combining grapheme joiner,
// variation selectors, Mongolian free variation selectors, Khmer inherent
// vowels, Braille blank): a label or message can hide text behind them.
func blank(r rune) bool {
	switch {
	case r == 0x034f, r == 0x115f, r == 0x1160, r == 0x17b4, r == 0x17b5, r == 0x2800, r == 0x3164, r == 0xffa0:
		return true
	case 0x180b <= r && r <= 0x180f, 0xfe00 <= r && r <= 0xfe0f, 0xe0100 <= r && r <= 0xe01ef:
		return true
	}
	return false
}

// EscapeJSON rewrites, in a complete JSON document, every character that
// Escape would escape and encoding/json leaves raw (C1 controls, bidi and
// other format characters) as a \u escape, so a JSON result printed on a
// terminal or opened in an editor cannot repaint it or read reversed. Such
// characters are never JSON syntax, so they only occur inside strings and
// the escape keeps the document's value.
func EscapeJSON(doc []byte) []byte {
	i := firstUnsafe(doc)
	if i < 0 {
		return doc
	}
	out := make([]byte, 0, len(doc)+32)
	out = append(out, doc[:i]...)
	for doc = doc[i:]; len(doc) > 0; {
		r, n := utf8.DecodeRune(doc)
		switch {
		case r >= 0x7f && unsafeRune(r) && r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		case r >= 0x7f && unsafeRune(r): // DEL, and all encoding/json leaves raw
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, doc[:n]...)
		}
		doc = doc[n:]
	}
	return out
}

// firstUnsafe is the offset of the first rune EscapeJSON escapes, or -1.
// ASCII below DEL is skipped a byte at a time: a verdict is nearly all of
// it, and decoding every rune was a tenth of writing a batch line.
func firstUnsafe(doc []byte) int {
	for i := 0; i < len(doc); {
		if doc[i] < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRune(doc[i:])
		if unsafeRune(r) {
			return i
		}
		i += n
	}
	return -1
}

// kv writes "key: value", skipping empty values.
func (t *textWriter) kv(depth int, key, value string) {
	if value != "" {
		t.line(depth, "%s: %s", key, value)
	}
}

// WriteText writes r as an indented tree for people.
func (r *Result) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	if r.Method != "" {
		t.kv(0, "request", r.Method)
	}
	if r.Signer != nil {
		t.kv(0, "signer", r.Signer.String())
	}
	switch {
	case r.Tx != nil:
		writeTx(t, r.Tx)
	case r.TypedData != nil:
		writeTypedData(t, r.TypedData)
		if r.Op != nil {
			writeOp(t, r.Op)
		}
	case r.Message != nil:
		m := r.Message
		t.kv(0, "kind", "personal message (personal_sign)")
		if m.Printable {
			t.line(0, "text:")
			for _, l := range strings.Split(m.Text, "\n") {
				t.line(1, "%s", l)
			}
		} else {
			t.kv(0, "bytes", m.Bytes.String())
		}
		t.kv(0, "looks like", m.LooksLike)
		t.kv(0, "not a valid sign-in", m.SIWEError)
		t.kv(0, "hash", m.Hash.Hex())
		if s := m.SIWE; s != nil {
			t.line(0, "sign-in with ethereum:")
			t.kv(1, "domain", s.Domain)
			t.kv(1, "address", s.Address.String())
			t.kv(1, "statement", s.Statement)
			t.kv(1, "uri", s.URI)
			t.kv(1, "chain id", s.ChainID)
			t.kv(1, "nonce", s.Nonce)
			t.kv(1, "issued at", s.IssuedAt)
			t.kv(1, "expires", s.ExpirationTime)
			t.kv(1, "not before", s.NotBefore)
			t.kv(1, "request id", s.RequestID)
			for _, res := range s.Resources {
				t.kv(1, "resource", res)
			}
		}
	case r.Hash != nil:
		t.kv(0, "kind", "raw hash (eth_sign): blind signing")
		t.kv(0, "hash", r.Hash.Hash.Hex())
		t.kv(0, "note", r.Hash.Note)
	case r.Bytecode != nil:
		b := r.Bytecode
		t.kv(0, "kind", "bytecode")
		t.kv(0, "form", b.Form)
		t.kv(0, "size", fmt.Sprintf("%d bytes", b.Size))
		if b.Target != nil {
			t.kv(0, "target", b.Target.Hex())
		}
		if b.Analysis != nil {
			writeAnalysis(t, b.Analysis)
		}
	case r.Op != nil && r.TypedData == nil:
		writeOp(t, r.Op)
	case r.Calldata != nil:
		t.kv(0, "kind", "calldata (no transaction: no recipient, value or signer)")
		writeCall(t, 0, r.Calldata, false)
	case r.Diff != nil:
		writeDiff(t, r.Diff)
	}
	return t.err
}

// writeOp writes what an account is made to execute: whose account, the
// standard, what deploys or pays for it, the hash signed, and the call.
func writeOp(t *textWriter, o *account.Op) {
	t.line(0, "executes, as the on-chain call it becomes:")
	t.kv(1, "standard", o.Standard)
	if o.Account.Address != (common.Address{}) {
		t.kv(1, "account", o.Account.String())
	}
	if o.EntryPoint != nil {
		t.kv(1, "entry point", o.EntryPoint.String())
	}
	if o.Factory != nil {
		t.kv(1, "factory", o.Factory.String())
	}
	if o.Paymaster != nil {
		t.kv(1, "paymaster", o.Paymaster.String())
	}
	t.kv(1, "chain id", o.ChainID)
	t.kv(1, "nonce", o.Nonce)
	if o.Hash != (common.Hash{}) {
		t.kv(1, "hash signed", o.Hash.Hex())
	}
	for _, n := range o.Notes {
		t.kv(1, "note", n)
	}
	if o.Call != nil {
		writeCall(t, 1, o.Call, true)
	}
}

func writeAnalysis(t *textWriter, a *evm.Analysis) {
	if a.Form == evm.FormCreation {
		t.kv(0, "runtime", fmt.Sprintf("%d bytes at offset %d", a.RuntimeSize, a.RuntimeOffset))
	}
	if m := a.Metadata; m != nil {
		t.kv(0, "compiler", strings.TrimSpace(m.Compiler+" "+m.Version))
	}
	t.kv(0, "proxy", strings.Join(a.Proxy, ", "))
	for _, s := range a.Slots {
		t.kv(0, "slot", s.Name)
	}
	t.kv(0, "interfaces", strings.Join(a.Interfaces, ", "))
	t.line(0, "functions: %d", len(a.Selectors))
	for _, s := range a.Selectors {
		t.line(1, "%s", selector.Named(s))
	}
	for _, c := range a.Concerns {
		t.kv(0, "concern", c.String())
	}
	for _, addr := range a.Addresses {
		t.kv(0, "address in code", addr.Hex())
	}
}

func writeDiff(t *textWriter, d *codediff.Diff) {
	t.kv(0, "kind", "contract diff")
	if len(d.Files) == 0 {
		t.kv(0, "files", "none: no Solidity or bytecode file changed")
	} else {
		t.line(0, "files:")
	}
	for _, f := range d.Files {
		t.line(1, "%s (%s)", f.Path, f.Status)
	}
	if len(d.Source) > 0 {
		t.line(0, "source changes:")
		for _, c := range d.Source {
			where := c.Path
			if c.Line > 0 {
				where += fmt.Sprint(":", c.Line)
			}
			t.line(1, "%s %s: %s", where, c.Kind, c.Detail)
		}
	}
	if len(d.Code) > 0 {
		t.line(0, "bytecode changes:")
		for _, c := range d.Code {
			t.line(1, "%s %s: %s", c.Path, c.Kind, c.Detail)
		}
	}
	for _, u := range d.Unread {
		t.kv(0, "not read", u.Path+": "+u.Reason)
	}
	for _, n := range d.Notes {
		t.kv(0, "note", n)
	}
}

func writeTx(t *textWriter, x *tx.Tx) {
	state := "unsigned signing payload"
	if x.Signed {
		state = "signed"
	}
	if x.Source == tx.SourceRequest {
		state = "request"
	}
	t.kv(0, "kind", fmt.Sprintf("transaction, %s, type %d %s", state, x.Type, x.TypeName))
	if x.ChainID != nil {
		t.kv(0, "chain", fmt.Sprintf("%s (%s)", x.ChainName, x.ChainID))
	} else if x.Replayable {
		t.kv(0, "chain", "none: replayable on every chain (pre-EIP-155)")
	}
	if x.From != nil {
		t.kv(0, "from", x.From.String()+" ["+x.FromSource+"]")
	}
	if x.To != nil {
		t.kv(0, "to", x.To.String())
	} else {
		t.kv(0, "to", "none: contract creation")
	}
	t.kv(0, "value", x.Value.Human)
	if x.Nonce != nil {
		t.kv(0, "nonce", fmt.Sprint(*x.Nonce))
	}
	if x.Gas != nil {
		t.kv(0, "gas limit", fmt.Sprint(*x.Gas))
	}
	for _, f := range []struct {
		k string
		v *tx.Wei
	}{{"gas price", x.GasPrice}, {"max fee per gas", x.MaxFeePerGas}, {"max priority fee", x.MaxPriorityFeePerGas}, {"max fee per blob gas", x.MaxFeePerBlobGas}} {
		if f.v != nil {
			t.kv(0, f.k, f.v.Human)
		}
	}
	if len(x.AccessList) > 0 {
		t.line(0, "access list:")
		for _, e := range x.AccessList {
			t.line(1, "%s (%d storage keys)", e.Address.Hex(), len(e.StorageKeys))
		}
	}
	for _, h := range x.BlobHashes {
		t.kv(0, "blob hash", h.Hex())
	}
	if x.Sidecar != nil {
		t.kv(0, "sidecar", fmt.Sprintf("%d blobs (version %d)", x.Sidecar.Blobs, x.Sidecar.Version))
	}
	for i, a := range x.Authorizations {
		t.line(0, "authorization %d:", i)
		t.kv(1, "delegate", a.Delegate.String())
		t.kv(1, "chain", a.ChainName)
		t.kv(1, "nonce", fmt.Sprint(a.Nonce))
		if a.Authority != nil {
			t.kv(1, "authority", a.Authority.String())
		} else {
			t.kv(1, "authority", "none: invalid signature ("+a.Invalid+")")
		}
	}
	if x.Hash != nil {
		t.kv(0, "hash", x.Hash.Hex())
	}
	if x.SigningHash != nil {
		t.kv(0, "signing hash", x.SigningHash.Hex())
	}
	for _, p := range x.Problems {
		t.kv(0, "problem", p)
	}
	if x.Call != nil && (x.Call.Selector != "" || len(x.Data) > 0) {
		t.line(0, "call:")
		writeCall(t, 1, x.Call, false)
	}
}

func writeCall(t *textWriter, depth int, c *calldata.Call, showTarget bool) {
	head := c.Name
	if c.Signature != "" && c.Kind == calldata.KindCall {
		head = c.Signature
	}
	if head == "" {
		head = "unknown call"
	}
	var tags []string
	if c.Source != "" {
		tags = append(tags, c.Source)
	}
	if c.Operation == calldata.OpDelegateCall {
		tags = append(tags, "DELEGATECALL")
	}
	if c.AllowRevert {
		tags = append(tags, "may revert")
	}
	if len(tags) > 0 {
		head += "  [" + strings.Join(tags, ", ") + "]"
	}
	t.line(depth, "%s", head)
	if showTarget && c.Target != nil && c.Kind == calldata.KindCall {
		t.kv(depth+1, "target", c.Target.String())
	}
	t.kv(depth+1, "value", c.Human)
	for _, a := range c.Args {
		if a.Carries {
			// The calls these bytes carry are written out below.
			t.line(depth+1, "%s (%s): decoded below", a.Name, a.Type)
			continue
		}
		writeArg(t, depth+1, a)
	}
	for _, amb := range c.Ambiguous {
		t.kv(depth+1, "also reads as", amb)
	}
	if len(c.Data) > 0 {
		writeArg(t, depth+1, calldata.Arg{Name: "data", Type: "bytes", Value: c.Data.String()})
	}
	t.kv(depth+1, "note", c.Error)
	for _, in := range c.Calls {
		writeCall(t, depth+1, in, true)
	}
}

// longBytes is how much of a bytes value text output shows: enough to
// recognise it, short enough for an 80-column terminal.
const longBytes = 2 + 2*32

func writeArg(t *textWriter, depth int, a calldata.Arg) {
	v := a.Value
	if strings.HasPrefix(a.Type, "bytes") && len(v) > longBytes {
		v = fmt.Sprintf("%s…%s (%d bytes)", v[:2+16], v[len(v)-8:], (len(v)-2)/2)
	}
	if a.Label != "" {
		v += " (" + a.Label + ")"
	}
	if a.Human != "" {
		v += " = " + a.Human
	}
	if strings.HasSuffix(a.Type, "]") && len(a.Elems) == 0 {
		t.line(depth, "%s (%s): empty", a.Name, a.Type)
		return
	}
	if len(a.Elems) > 0 {
		t.line(depth, "%s (%s):", a.Name, a.Type)
		for _, e := range a.Elems {
			writeArg(t, depth+1, e)
		}
		if a.Human != "" {
			t.kv(depth+1, "reads as", a.Human)
		}
		return
	}
	t.line(depth, "%s (%s): %s", a.Name, a.Type, v)
}

func writeTypedData(t *textWriter, d *typeddata.TypedData) {
	t.kv(0, "kind", "EIP-712 typed data ("+d.PrimaryType+")")
	t.line(0, "domain:")
	dom := d.Domain
	t.kv(1, "name", dom.Name)
	t.kv(1, "version", dom.Version)
	if dom.ChainID != "" {
		t.kv(1, "chain", dom.ChainName+" ("+dom.ChainID+")")
	}
	if dom.VerifyingContract != nil {
		t.kv(1, "verifying contract", dom.VerifyingContract.String())
	}
	t.kv(1, "salt", dom.Salt)
	writeFields(t, 1, dom.Extra)
	t.line(0, "message:")
	writeFields(t, 1, d.Message)
	t.kv(0, "domain separator", d.DomainSeparator.Hex())
	t.kv(0, "struct hash", d.StructHash.Hex())
	t.kv(0, "signing hash", d.SigningHash.Hex())
	for _, n := range d.Notes {
		t.kv(0, "note", n)
	}
}

func writeFields(t *textWriter, depth int, fs []typeddata.Field) {
	for _, f := range fs {
		if len(f.Fields) > 0 {
			t.line(depth, "%s (%s):", f.Name, f.Type)
			writeFields(t, depth+1, f.Fields)
			continue
		}
		v := f.Value
		if f.Label != "" {
			v += " (" + f.Label + ")"
		}
		if f.Human != "" {
			v += " = " + f.Human
		}
		t.line(depth, "%s (%s): %s", f.Name, f.Type, v)
	}
}
