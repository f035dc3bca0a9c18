package decode

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/codediff"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/message"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
)

// Kind is what an input is.
type Kind string

// The kinds of input, as --kind spells them.
const (
	KindTx        Kind = "tx"        // a raw transaction or signing payload (hex)
	KindRequest   Kind = "request"   // an eth_sendTransaction params object (JSON)
	KindTypedData Kind = "typeddata" // EIP-712 typed data (JSON)
	KindMessage   Kind = "message"   // a personal_sign message (text or hex)
	KindHash      Kind = "hash"      // eth_sign of a raw 32-byte hash (hex)
	KindBytecode  Kind = "bytecode"  // contract bytecode (hex)
	// KindCalldata is a call's input data without its transaction. It is
	// never detected: calldata alone names no recipient, value or signer,
	// so there is nothing to sign; decode shows it on request.
	KindCalldata Kind = "calldata"
	// KindUserOp is an ERC-4337 UserOperation (eth_sendUserOperation) and
	// KindCalls an EIP-5792 batch (wallet_sendCalls): requests an account
	// executes; they come in their JSON-RPC envelope.
	KindUserOp Kind = "userop"
	KindCalls  Kind = "calls"
	// KindDiff is a change to contracts (txguard diff, or --kind diff). It
	// is never detected: text that looks like a diff may be a message
	// someone wants signed, and must be judged as one.
	KindDiff Kind = "diff"
)

// Kinds lists every kind, for flag help and validation.
var Kinds = []Kind{KindTx, KindRequest, KindTypedData, KindMessage, KindHash, KindBytecode, KindCalldata, KindUserOp, KindCalls, KindDiff}

// ParseKind validates a --kind value; "" and "auto" mean detect.
func ParseKind(s string) (Kind, error) {
	if s == "" || s == "auto" {
		return "", nil
	}
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("decode: unknown kind %q (want auto, %s)", s, strings.Join(names, ", "))
}

// Options carry what decoding needs beyond the input.
type Options struct {
	Kind        Kind               // "" detects
	Chain       uint64             // --chain: the chain the user expects (0: any)
	AddressBook *label.AddressBook // may be nil
	ABI         *abi.ABI           // --abi, may be nil
}

// Result is one decoded input: Kind says which of the fields is set.
type Result struct {
	Kind Kind `json:"kind"`
	// Method is the JSON-RPC method when the input was an envelope.
	Method string `json:"method,omitempty"`
	// Signer is the account asked to sign, when the request names it.
	Signer *label.Addr `json:"signer,omitempty"`

	Tx        *tx.Tx               `json:"tx,omitempty"`
	TypedData *typeddata.TypedData `json:"typedData,omitempty"`
	Message   *message.Message     `json:"message,omitempty"`
	Hash      *message.BlindHash   `json:"hash,omitempty"`
	Bytecode  *evm.Code            `json:"bytecode,omitempty"`
	Calldata  *calldata.Call       `json:"calldata,omitempty"`
	// Op is what the input makes an account execute, read as the on-chain
	// call it becomes: a Safe transaction or 4337 operation signed as typed
	// data, a UserOperation, a wallet_sendCalls batch.
	Op   *account.Op    `json:"op,omitempty"`
	Diff *codediff.Diff `json:"diff,omitempty"`
}

// resultJSON is Result as encoding/json writes it, field for field, with
// the parts typed any: encoding/json then builds the encoders of the kinds
// present only, where a *typeddata.TypedData field made it build those of
// every kind (typed data, operations, diffs...) on first use, a tenth of
// a one-shot decode's time. TestResultJSONFields keeps the two in step.
type resultJSON struct {
	Kind      Kind        `json:"kind"`
	Method    string      `json:"method,omitempty"`
	Signer    *label.Addr `json:"signer,omitempty"`
	Tx        any         `json:"tx,omitempty"`
	TypedData any         `json:"typedData,omitempty"`
	Message   any         `json:"message,omitempty"`
	Hash      any         `json:"hash,omitempty"`
	Bytecode  any         `json:"bytecode,omitempty"`
	Calldata  any         `json:"calldata,omitempty"`
	Op        any         `json:"op,omitempty"`
	Diff      any         `json:"diff,omitempty"`
}

// MarshalJSON writes r as encoding/json would (see resultJSON).
func (r Result) MarshalJSON() ([]byte, error) {
	out := resultJSON{Kind: r.Kind, Method: r.Method, Signer: r.Signer}
	// A nil pointer in an interface is not empty to omitempty: set only
	// the parts that are there.
	set := func(dst *any, present bool, v any) {
		if present {
			*dst = v
		}
	}
	set(&out.Tx, r.Tx != nil, r.Tx)
	set(&out.TypedData, r.TypedData != nil, r.TypedData)
	set(&out.Message, r.Message != nil, r.Message)
	set(&out.Hash, r.Hash != nil, r.Hash)
	set(&out.Bytecode, r.Bytecode != nil, r.Bytecode)
	set(&out.Calldata, r.Calldata != nil, r.Calldata)
	set(&out.Op, r.Op != nil, r.Op)
	set(&out.Diff, r.Diff != nil, r.Diff)
	return json.Marshal(out)
}

// Size bounds, in bytes of input as given (hex is two characters a byte).
// Nothing honest comes near them; everything past them is work an attacker
// chose for us.
const (
	// MaxInput is the most any kind accepts: a unified diff of a large
	// change. Callers read no more than this.
	MaxInput = 64 << 20
	// MaxRequest bounds a signing request of any kind: a blob transaction
	// with its sidecar (6 blobs of 128 KiB, the per-transaction limit since
	// Fusaka) is about 1.6 MiB of hex.
	MaxRequest = 4 << 20
	// maxSigned bounds typed data and messages: what a person reads
	// before signing is kilobytes.
	maxSigned = 1 << 20
	// maxCode bounds bytecode: 2 MiB of hex is 1 MiB of code, twice the
	// 512 KiB initcode limit EIP-7907 proposes (EIP-3860's is 48 KiB).
	maxCode = 2<<20 + 1024
)

// limits are the bounds per kind; kinds not listed have MaxRequest.
var limits = map[Kind]int{KindTypedData: maxSigned, KindMessage: maxSigned, KindBytecode: maxCode, KindDiff: MaxInput}

// tooLarge refuses n bytes of input for kind k ("" when not yet known).
func tooLarge(k Kind, n int) error {
	limit, ok := limits[k]
	if !ok {
		limit = MaxRequest
	}
	if n <= limit {
		return nil
	}
	what := "a signing request"
	if k != "" {
		what = string(k)
	}
	return fmt.Errorf("decode: the input is %s; txguard reads at most %s of %s, and nothing honest comes near that", size(n), size(limit), what)
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// Decode detects what input is (unless o.Kind says) and decodes it. The
// error names what is wrong and where.
func Decode(input []byte, o Options) (*Result, error) {
	// Invisible characters at either end (a BOM, U+200B) must not change
	// what the same bytes are judged as.
	in := TrimInvisible(input)
	if len(in) == 0 {
		return nil, errors.New("decode: empty input")
	}
	if o.Kind == "" { // a given kind is bounded where it is read
		if err := tooLarge("", len(in)); err != nil {
			return nil, err
		}
	}
	lab := label.New(o.Chain, o.AddressBook)
	d := decoder{o: o, lab: lab, txo: tx.Options{Labels: lab, Calls: calldata.New(o.ABI), Chain: o.Chain}}
	if o.Kind != "" {
		return d.as(o.Kind, in)
	}
	return d.detect(in)
}

type decoder struct {
	o   Options
	lab *label.Labeler
	txo tx.Options
}

// as decodes in as kind k.
func (d *decoder) as(k Kind, in []byte) (*Result, error) {
	if err := tooLarge(k, len(in)); err != nil {
		return nil, err
	}
	r := &Result{Kind: k}
	var err error
	switch k {
	case KindTx:
		b, herr := parseHex(in)
		if herr != nil {
			return nil, herr
		}
		r.Tx, err = tx.DecodeRaw(b, d.txo)
	case KindRequest:
		return d.json(in, KindRequest)
	case KindTypedData, KindUserOp, KindCalls:
		return d.json(in, k)
	case KindMessage:
		r.Message = message.Personal(string(in))
		if s := r.Message.SIWE; s != nil {
			s.Address = d.lab.Addr(s.Address.Address)
		}
	case KindHash:
		r.Hash, err = message.Blind(string(in))
	case KindBytecode:
		b, herr := parseHex(in)
		if herr != nil {
			return nil, herr
		}
		if err := notCode(b, d.txo); err != nil {
			return nil, err
		}
		var a *evm.Analysis
		if a, err = evm.Analyze(b); err == nil {
			r.Bytecode = &evm.Code{Form: a.Form, Size: a.Size, Code: b, Target: a.Target, Analysis: a}
		}
	case KindCalldata:
		b, herr := parseHex(in)
		if herr != nil {
			return nil, herr
		}
		if len(b) < 4 {
			return nil, fmt.Errorf("decode: %d bytes of calldata: a call starts with a 4-byte function selector", len(b))
		}
		// No target is known; the zero address stands in so the call is
		// read as a call (nil means contract creation), then is dropped.
		r.Calldata = d.txo.Calls.WithLabels(d.lab).Decode(&common.Address{}, nil, b)
		r.Calldata.Target = nil
	case KindDiff:
		r.Diff, err = codediff.FromUnified(in)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}
