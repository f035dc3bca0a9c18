package decode

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/jsonkey"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
)

// envelope is a JSON-RPC request as a wallet receives it.
type envelope struct {
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// json decodes a JSON input: a JSON-RPC envelope, bare typed data, or a
// bare transaction request. want, when given, is the kind --kind asked for.
func (d *decoder) json(in []byte, want ...Kind) (*Result, error) {
	if in[0] == '"' {
		// Typed data often arrives as a JSON string holding the object, and
		// JSON lines carry raw transactions as strings.
		s, err := unquoteJSON(in)
		if err != nil {
			return nil, fmt.Errorf("decode: JSON string: %v", jsonSyntax(in, err))
		}
		s = TrimInvisible(s)
		switch {
		case len(s) == 0:
			return nil, fmt.Errorf("decode: the input is an empty JSON string")
		case s[0] == '{':
			return d.json(s, want...)
		case len(want) == 0:
			return d.detect(s)
		}
		return nil, fmt.Errorf("decode: a JSON string that is not an object cannot be decoded as %s", want[0])
	}
	if in[0] == '[' {
		return d.params(in, want)
	}
	if err := jsonkey.Check(in, "jsonrpc", "id", "method", "params"); err != nil {
		return nil, fmt.Errorf("decode: %v", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(in, &probe); err != nil {
		return nil, fmt.Errorf("decode: JSON: %v", jsonSyntax(in, err))
	}
	kind := KindRequest
	switch {
	case probe["method"] != nil:
		if err := onlyKeys(probe, "a JSON-RPC request", envelopeKeys); err != nil {
			return nil, err
		}
		return d.envelope(probe, want)
	case probe["txParams"] != nil:
		return d.metaMaskTx(probe, want)
	case isSignedJSON(probe) && (len(want) == 0 || want[0] == KindTx || want[0] == KindRequest):
		return d.signedJSON(in, probe)
	case isSafeService(probe) && (len(want) == 0 || want[0] == KindTypedData):
		return d.safeService(probe)
	case probe["types"] != nil || probe["primaryType"] != nil:
		if err := onlyKeys(probe, "typed data", typedKeys); err != nil {
			return nil, err
		}
		kind = KindTypedData
	}
	if len(want) > 0 && want[0] != kind {
		kind = want[0]
	}
	return d.bare(kind, in)
}

// The keys of an envelope and of typed data: one object with keys of two
// shapes has two readings (a request's "to" and "data" beside an
// envelope's "method", typed data's "types"), and a wallet may sign the
// one txguard did not judge.
var (
	envelopeKeys = []string{"jsonrpc", "id", "method", "params"}
	typedKeys    = []string{"types", "primaryType", "domain", "message"}
)

func onlyKeys(probe map[string]json.RawMessage, what string, keys []string) error {
	for _, k := range slices.Sorted(maps.Keys(probe)) {
		if !slices.Contains(keys, k) {
			return fmt.Errorf("decode: %s with %q beside %s: a wallet could read it as something else than txguard does, so it is refused", what, k, strings.Join(keys, ", "))
		}
	}
	return nil
}

func (d *decoder) bare(kind Kind, in []byte) (*Result, error) {
	if err := tooLarge(kind, len(in)); err != nil {
		return nil, err
	}
	r := &Result{Kind: kind}
	var err error
	switch kind {
	case KindTypedData:
		if r.TypedData, err = typeddata.Parse(in, d.lab); err == nil {
			r.Op, err = account.FromTypedData(r.TypedData, d.txo.Calls.WithLabels(d.lab))
		}
	case KindRequest:
		r.Tx, err = tx.DecodeRequest(in, d.txo)
	default:
		return nil, fmt.Errorf("decode: JSON input cannot be decoded as %s", kind)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Positions of the parameters in each signing method. MetaMask's
// personal_sign takes [message, address]; eth_sign [address, hash].
var methods = map[string]struct {
	kind         Kind
	data, signer int
}{
	"eth_sendTransaction":    {KindRequest, 0, -1},
	"eth_signTransaction":    {KindRequest, 0, -1},
	"eth_sendRawTransaction": {KindTx, 0, -1},
	// EIP-7966: eth_sendRawTransaction that waits for the receipt.
	"eth_sendRawTransactionSync": {KindTx, 0, -1},
	"eth_signTypedData_v4":       {KindTypedData, 1, 0},
	"eth_signTypedData_v3":       {KindTypedData, 1, 0},
	"eth_signTypedData":          {KindTypedData, 1, 0},
	"personal_sign":              {KindMessage, 0, 1},
	"eth_sign":                   {KindHash, 1, 0},
	"eth_sendUserOperation":      {KindUserOp, 0, -1},
	"wallet_sendCalls":           {KindCalls, 0, -1},
}

// Signs reports whether a JSON-RPC method signs or moves value and is one
// txguard reads: an RPC firewall gates exactly these. A case variant
// counts too: a lenient node could take it for the method (and decoding
// refuses it, so what is gated for it is refused).
func Signs(method string) bool {
	for m := range methods {
		if strings.EqualFold(m, method) {
			return true
		}
	}
	return false
}

func (d *decoder) envelope(probe map[string]json.RawMessage, want []Kind) (*Result, error) {
	var env envelope
	if err := json.Unmarshal(probe["method"], &env.Method); err != nil {
		return nil, fmt.Errorf("decode: JSON-RPC request: \"method\" is not a string")
	}
	if p := probe["params"]; p != nil {
		if err := json.Unmarshal(p, &env.Params); err != nil {
			return nil, fmt.Errorf("decode: JSON-RPC request: \"params\" is not an array")
		}
	}
	m, ok := methods[env.Method]
	if !ok {
		return nil, fmt.Errorf("decode: JSON-RPC method %q is not a signing request txguard knows", env.Method)
	}
	if len(want) > 0 && want[0] != m.kind {
		return nil, fmt.Errorf("decode: JSON-RPC method %s carries %s, not %s", env.Method, m.kind, want[0])
	}
	if m.data >= len(env.Params) || (m.signer >= 0 && m.signer >= len(env.Params)) {
		return nil, fmt.Errorf("decode: %s needs %d params, has %d", env.Method, max(m.data, m.signer)+1, len(env.Params))
	}
	data := env.Params[m.data]
	var r *Result
	var err error
	switch m.kind {
	case KindUserOp:
		r = &Result{Kind: KindUserOp}
		r.Op, err = account.ParseUserOperation(env.Params, d.txo.Calls.WithLabels(d.lab), d.o.Chain)
	case KindCalls:
		r = &Result{Kind: KindCalls}
		r.Op, err = account.ParseSendCalls(env.Params, d.txo.Calls.WithLabels(d.lab))
		if err == nil && r.Op.Account.Address != (common.Address{}) {
			signer := r.Op.Account
			r.Signer = &signer
		}
	case KindTypedData:
		if err := typedParamsOrder(env.Method, env.Params, m.data); err != nil {
			return nil, err
		}
		// Typed data in params[1] is often a JSON string: bare() and
		// typeddata.Parse both accept that.
		r, err = d.bare(m.kind, data)
	case KindRequest:
		r, err = d.bare(m.kind, data)
	default:
		var s string
		if uerr := json.Unmarshal(data, &s); uerr != nil {
			return nil, fmt.Errorf("decode: %s params[%d]: want a string", env.Method, m.data)
		}
		r, err = d.as(m.kind, []byte(strings.TrimSpace(s)))
	}
	if err != nil {
		return nil, err
	}
	r.Method = env.Method
	if m.signer >= 0 {
		var s string
		if json.Unmarshal(env.Params[m.signer], &s) != nil {
			return nil, fmt.Errorf("decode: %s params[%d]: want the signer's address as a string", env.Method, m.signer)
		}
		a, err := label.ParseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("decode: %s params[%d]: %v", env.Method, m.signer, err)
		}
		signer := d.lab.Addr(a)
		r.Signer = &signer
	}
	return r, nil
}

// typedParamsOrder says, for a person, why typed-data params in another
// shape than [address, typed data] are refused: the legacy array of
// eth_signTypedData v1 (no domain: nothing binds it to a contract or a
// chain), or the two params swapped (a wallet reads params[1] as the data).
func typedParamsOrder(method string, params []json.RawMessage, data int) error {
	first := func(r json.RawMessage) byte {
		if r = bytes.TrimSpace(r); len(r) > 0 {
			return r[0]
		}
		return 0
	}
	var s string
	isAddr := json.Unmarshal(params[data], &s) == nil && len(s) == 42 && common.IsHexAddress(s)
	switch {
	case first(params[0]) == '[':
		return fmt.Errorf("decode: %s with an array of {type, name, value} is legacy typed data (v1), which txguard does not read: it has no domain, so nothing binds it to a contract or a chain; refuse it, or ask the site for eth_signTypedData_v4", method)
	case isAddr:
		return fmt.Errorf("decode: %s takes [address, typed data], and params[%d] here is an address: the params are swapped, and a wallet would read them otherwise than they were meant", method, data)
	}
	return nil
}

// unquoteJSON reads the JSON string literal in. A literal of printable
// ASCII without escapes (raw transactions in JSON lines: hex) is its own
// content, and is read as such without encoding/json's validation scan and
// reflection; anything else is left to json.Unmarshal.
func unquoteJSON(in []byte) ([]byte, error) {
	if len(in) >= 2 && in[0] == '"' && in[len(in)-1] == '"' {
		if plainJSON(in[1 : len(in)-1]) {
			// Decoding only reads its input: the literal's own bytes will
			// do, and a blob transaction's line is not copied again.
			return in[1 : len(in)-1], nil
		}
	}
	var s string
	err := json.Unmarshal(in, &s)
	return []byte(s), err
}

// plainJSON reports whether b is printable ASCII without '"' or '\\': a
// JSON string's content that is its own value. A blob transaction's line
// is a quarter of a megabyte of hex, so it looks at eight bytes at a time
// (the zero-byte and less-than tests of "Bit Twiddling Hacks").
func plainJSON(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) bool { return (x-ones)&^x&highs != 0 }
	for ; len(b) >= 8; b = b[8:] {
		x := binary.LittleEndian.Uint64(b)
		if x&highs != 0 || // a byte >= 0x80
			(x-ones*0x20)&^x&highs != 0 || // a byte < 0x20
			zero(x^(ones*'"')) || zero(x^(ones*'\\')) || zero(x^(ones*0x7f)) {
			return false
		}
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// jsonSyntax adds the byte offset to a JSON syntax error.
func jsonSyntax(in []byte, err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	return err.Error()
}
