package decode

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"

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
	// KindDiff is a change to contracts (txguard diff, or --kind diff). It
	// is never detected: text that looks like a diff may be a message
	// someone wants signed, and must be judged as one.
	KindDiff Kind = "diff"
)

// Kinds lists every kind, for flag help and validation.
var Kinds = []Kind{KindTx, KindRequest, KindTypedData, KindMessage, KindHash, KindBytecode, KindDiff}

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
	Diff      *codediff.Diff       `json:"diff,omitempty"`
}

// Decode detects what input is (unless o.Kind says) and decodes it. The
// error names what is wrong and where.
func Decode(input []byte, o Options) (*Result, error) {
	in := bytes.TrimSpace(input)
	if len(in) == 0 {
		return nil, errors.New("decode: empty input")
	}
	lab := label.New(o.Chain, o.AddressBook)
	d := decoder{o: o, lab: lab, txo: tx.Options{Labels: lab, Calls: calldata.New(o.ABI), Chain: o.Chain}}
	if o.Kind != "" {
		return d.as(o.Kind, in)
	}
	return d.detect(in)
}

func (d *decoder) detect(in []byte) (*Result, error) {
	switch {
	case in[0] == '{' || in[0] == '"' || in[0] == '[':
		return d.json(in)
	case isHexText(in):
		return d.hex(in)
	}
	// Anything else is text a dapp wants signed, like a Sign-In message.
	return d.as(KindMessage, in)
}

type decoder struct {
	o   Options
	lab *label.Labeler
	txo tx.Options
}

// as decodes in as kind k.
func (d *decoder) as(k Kind, in []byte) (*Result, error) {
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
	case KindTypedData:
		return d.json(in, KindTypedData)
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
		var a *evm.Analysis
		if a, err = evm.Analyze(b); err == nil {
			r.Bytecode = &evm.Code{Form: a.Form, Size: a.Size, Code: b, Target: a.Target, Analysis: a}
		}
	case KindDiff:
		r.Diff, err = codediff.FromUnified(in)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// hex decodes hex text of unknown kind: a transaction, a 32-byte hash, or
// bytecode.
func (d *decoder) hex(in []byte) (*Result, error) {
	b, err := parseHex(in)
	if err != nil {
		return nil, err
	}
	t, txErr := tx.DecodeRaw(b, d.txo)
	if txErr == nil {
		return &Result{Kind: KindTx, Tx: t}, nil
	}
	if len(b) == 32 {
		// A 32-byte value that is not a transaction is a hash someone
		// wants signed blind.
		return d.as(KindHash, in)
	}
	if evm.LooksLikeCode(b) {
		return d.as(KindBytecode, in)
	}
	return nil, txErr
}
