package tui

import (
	"fmt"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
)

// field is one line of the header: "signer  0x… (Me)".
type field struct{ key, value string }

// header names what is about to be signed in four lines at most: kind
// and chain, signer and target with their labels, value and function.
func header(d *decode.Result) []field {
	var fs []field
	add := func(k, v string) {
		if v != "" {
			fs = append(fs, field{k, decode.Escape(v)})
		}
	}
	signer := func(a *label.Addr) {
		if a != nil {
			add("signer", a.String())
		}
	}
	signer(d.Signer)
	switch {
	case d.Tx != nil:
		x := d.Tx
		state := "unsigned"
		switch {
		case x.Source == tx.SourceRequest:
			state = "request"
		case x.Signed:
			state = "signed"
		}
		chain := ""
		switch {
		case x.ChainID != nil:
			chain = fmt.Sprintf(" on %s (%s)", x.ChainName, x.ChainID)
		case x.Replayable:
			chain = " for no chain: replayable on every chain"
		}
		add("what", fmt.Sprintf("transaction, %s, type %d %s%s", state, x.Type, x.TypeName, chain))
		if d.Signer == nil {
			signer(x.From)
		}
		if x.To != nil {
			add("target", x.To.String())
		} else {
			add("target", "none: creates a contract")
		}
		value := x.Value.Human
		if c := x.Call; c != nil && c.Selector != "" {
			value += " · calls " + callName(c.Signature, c.Name, c.Selector)
		}
		add("value", value)
	case d.TypedData != nil:
		t := d.TypedData
		what := "typed data (EIP-712): " + t.PrimaryType + domainName(t.Domain.Name, t.Domain.Version)
		if t.Domain.ChainID != "" {
			what += fmt.Sprintf(" on %s (%s)", t.Domain.ChainName, t.Domain.ChainID)
		}
		add("what", what)
		if v := t.Domain.VerifyingContract; v != nil {
			add("target", v.String())
		}
	case d.Message != nil:
		m := d.Message
		what := "personal message"
		if s := m.SIWE; s != nil {
			what = "sign-in request (SIWE) from " + s.Domain
			if d.Signer == nil {
				add("signer", s.Address.String())
			}
			if s.ChainID != "" {
				what += " for chain " + s.ChainID
			}
		}
		add("what", what)
	case d.Hash != nil:
		add("what", "a raw 32-byte hash (eth_sign): blind signing")
	case d.Bytecode != nil:
		add("what", fmt.Sprintf("bytecode, %s, %d bytes", d.Bytecode.Form, d.Bytecode.Size))
		if t := d.Bytecode.Target; t != nil {
			add("target", label.Hex(*t))
		}
	}
	// The kind first, then the rest as added.
	for i, f := range fs {
		if f.key == "what" {
			copy(fs[1:i+1], fs[:i])
			fs[0] = f
			break
		}
	}
	return fs
}

func callName(sig, name, selector string) string {
	switch {
	case sig != "":
		return sig
	case name != "":
		return name
	}
	return "unknown function " + selector
}

func domainName(name, version string) string {
	switch {
	case name == "":
		return ""
	case version == "":
		return " for " + name
	}
	return " for " + name + " v" + version
}
