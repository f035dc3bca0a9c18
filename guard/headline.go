package guard

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// Headline says in one line what signing v's input does, the way a wallet's
// confirmation does: "Approve unlimited USDC to 0x3C44…93BC (unknown)",
// "Send 0.5 ETH to Alice (friend)", "Sign a blind hash". It names the
// asset and the counterparty, not the risk: the level and the findings
// say that. When a batch holds several calls, it describes the one the
// worst finding points at, so an approve hidden in a Multicall is the
// headline rather than "Call aggregate3".
//
// It reads only the decoded input (whose addresses the decoder already
// labelled with the user's address book) and the findings, so a report can
// print it as the screen does. The text may carry words from the input (a
// token's symbol, a SIWE domain): callers escape it for the terminal.
func Headline(v *Verdict) string {
	d := v.Decoded
	if d == nil {
		return ""
	}
	switch {
	case d.Tx != nil:
		return txHeadline(v, d)
	case d.Op != nil:
		return opHeadline(v, d)
	case d.TypedData != nil:
		return typedHeadline(d.TypedData)
	case d.Message != nil:
		return messageHeadline(d)
	case d.Hash != nil:
		return "Sign a blind hash (eth_sign): what it signs cannot be known"
	case d.Bytecode != nil:
		return fmt.Sprintf("Contract code to inspect (%s, %d bytes)", d.Bytecode.Form, d.Bytecode.Size)
	case d.Calldata != nil:
		return callHeadline(focusCall(v, d.Calldata), false)
	case d.Diff != nil:
		return fmt.Sprintf("Contract changes to audit (%d files)", len(d.Diff.Files))
	}
	return ""
}

func txHeadline(v *Verdict, d *decode.Result) string {
	x := d.Tx
	// A delegation hands the whole account over: it leads unless a worse
	// finding points into the call.
	if len(x.Authorizations) > 0 && pointedCall(v, x.Call) == nil {
		a := x.Authorizations[0]
		s := delegateHeadline(a.Delegate)
		if n := len(x.Authorizations); n > 1 {
			s += fmt.Sprintf(" (and %d more delegations)", n-1)
		}
		return s
	}
	switch {
	case x.To == nil:
		return "Deploy a new contract"
	case x.Call == nil || x.Call.Selector == "" && len(x.Data) == 0:
		if x.Value.Int == nil || x.Value.Int.Sign() == 0 {
			return "Send an empty transaction to " + who(*x.To)
		}
		return "Send " + x.Value.Human + " to " + who(*x.To)
	}
	return callHeadline(focusCall(v, x.Call), false)
}

// delegateHeadline is an EIP-7702 delegation: the account runs a's code.
func delegateHeadline(a label.Addr) string {
	if a.Address == (common.Address{}) {
		return "Remove this account's delegation (it becomes a plain account again)"
	}
	if a.Label != "" {
		return "Delegate this account to " + a.Label
	}
	return "Delegate this account to " + shortHex(a.Address) + " (unknown code)"
}

func opHeadline(v *Verdict, d *decode.Result) string {
	op := d.Op
	if op.Delegate != nil && pointedCall(v, op.Call) == nil {
		return delegateHeadline(*op.Delegate)
	}
	lead := "Make "
	switch {
	case d.TypedData != nil && strings.Contains(op.Standard, "Safe"):
		lead = "Sign a Safe transaction: "
	case d.TypedData != nil:
		lead = "Sign an account operation: "
	}
	if op.Call == nil {
		return strings.TrimSuffix(lead, ": ") + " that does nothing"
	}
	s := callHeadline(focusCall(v, op.Call), true)
	if lead == "Make " {
		return s
	}
	return lead + lowerFirst(s)
}

// focusCall is the call a headline describes: the one the worst finding
// points into, else the first that grants or moves something, else root.
func focusCall(v *Verdict, root *calldata.Call) *calldata.Call {
	if c := pointedCall(v, root); c != nil {
		return c
	}
	var first *calldata.Call
	root.Walk(func(c *calldata.Call) {
		if first == nil && specific(c) {
			first = c
		}
	})
	if first != nil {
		return first
	}
	return root
}

// pointedCall is the deepest call under root that the worst finding's
// evidence names, when that finding is worth a headline (caution or
// above); nil otherwise.
func pointedCall(v *Verdict, root *calldata.Call) *calldata.Call {
	if root == nil || len(v.Findings) == 0 || v.Findings[0].Severity < Caution {
		return nil
	}
	ev := strings.TrimPrefix(v.Findings[0].Evidence, "tx.")
	var best *calldata.Call
	root.Walk(func(c *calldata.Call) {
		if p := c.Path; p != "" && strings.HasPrefix(ev, p) && (len(ev) == len(p) || ev[len(p)] == '.') {
			if best == nil || len(p) > len(best.Path) {
				best = c
			}
		}
	})
	return best
}

// specific reports a call a headline can say more about than its name.
func specific(c *calldata.Call) bool {
	return !strings.HasPrefix(callHeadline(c, false), "Call ")
}

// callHeadline describes one call in a wallet's words. batch says the
// call is a smart account's, whose nested calls may be the point.
func callHeadline(c *calldata.Call, batch bool) string {
	fn, _, _ := strings.Cut(c.Signature, "(")
	arg := func(i int) calldata.Arg {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return calldata.Arg{}
	}
	target := "the contract"
	if c.Target != nil {
		target = who(*c.Target)
	}
	switch {
	case c.Kind != calldata.KindCall:
		// A Universal Router command: its own name says most.
		return "Call " + c.Name + " on " + target
	case c.Signature == "setApprovalForAll(address,bool)":
		if arg(1).Value == "true" {
			return "Let " + argWho(arg(0)) + " move all your NFTs in " + target
		}
		return "Revoke " + argWho(arg(0)) + " as NFT operator in " + target
	case c.Source == "permit2" && fn == "approve":
		amount, _ := c.Arg("amount")
		spender, _ := c.Arg("spender")
		token, _ := c.Arg("token")
		return "Approve " + amountOf(amount, token) + " through Permit2 to " + argWho(spender)
	case strings.HasSuffix(c.Signature, "(address,uint256)") && (fn == "approve" || fn == "increaseAllowance" || fn == "increaseApproval"):
		if b := arg(1).Big(); b != nil && b.Sign() == 0 {
			return "Revoke the allowance of " + argWho(arg(0)) + " on " + target
		}
		return "Approve " + tokenAmount(arg(1), target, false) + " to " + argWho(arg(0))
	case strings.HasSuffix(c.Signature, "(address,uint256)") && (fn == "decreaseAllowance" || fn == "decreaseApproval"):
		return "Reduce the allowance of " + argWho(arg(0)) + " on " + target
	case c.Signature == "transfer(address,uint256)":
		return "Send " + tokenAmount(arg(1), target, false) + " to " + argWho(arg(0))
	case strings.HasPrefix(c.Signature, "transferFrom(address,address,uint256") || strings.HasPrefix(c.Signature, "safeTransferFrom(address,address,uint256"):
		return "Move " + tokenAmount(arg(2), target, fn == "safeTransferFrom") + " from " + argWho(arg(0)) + " to " + argWho(arg(1))
	case c.Signature == "renounceOwnership()":
		return "Give up ownership of " + target + " for good"
	case c.Signature == "transferOwnership(address)":
		return "Hand ownership of " + target + " to " + argWho(arg(0))
	case c.Target == nil:
		return "Deploy a new contract"
	case c.Selector == "" && len(c.Args) == 0 && len(c.Calls) == 0:
		// A plain payment inside a batch.
		if c.Value != nil && c.Value.Sign() > 0 {
			return "Send " + c.Human + " to " + target
		}
	}
	if batch && len(c.Calls) > 0 {
		var first *calldata.Call
		for _, in := range c.Calls {
			if specific(in) {
				first = in
				break
			}
		}
		if first != nil {
			s := callHeadline(first, true)
			if n := len(c.Calls); n > 1 {
				s += fmt.Sprintf(" (and %d more calls)", n-1)
			}
			return s
		}
	}
	name := c.Name
	switch {
	case name == "" && c.Selector == "":
		name = "a function txguard cannot read"
	case name == "":
		name = "unknown function " + c.Selector
	}
	s := "Call " + name + " on " + target
	if c.Value != nil && c.Value.Sign() > 0 && c.Human != "" {
		s += ", paying " + c.Human
	}
	return s
}

// tokenAmount is an amount argument as a person reads it: the decoder's
// "unlimited USDC" or "1,000 USDC", else base units of the token at target
// (nft: a token id of the collection).
func tokenAmount(a calldata.Arg, target string, nft bool) string {
	switch {
	case nft:
		return "NFT #" + a.Value + " of " + target
	case a.Human == "unlimited":
		// The decoder knows the sentinel but not the token's symbol.
		return "an unlimited amount of " + target
	case a.Human != "":
		return a.Human
	}
	return a.Value + " base units of " + target
}

// amountOf is tokenAmount with the token given as an argument.
func amountOf(amount, token calldata.Arg) string {
	return tokenAmount(amount, argWho(token), false)
}

func typedHeadline(t *typeddata.TypedData) string {
	m := t.Message
	spender := fieldWho(m, "spender")
	switch {
	case has(m, "details") && spender != "":
		return "Sign a Permit2 allowance: " + permitAmounts(field(m, "details")) + " to " + spender
	case has(m, "permitted") && spender != "":
		return "Sign a Permit2 transfer: " + permitAmounts(field(m, "permitted")) + " to " + spender
	case has(m, "owner") && has(m, "value") && spender != "":
		return "Sign a permit: " + typedAmount(t, field(m, "value")) + " to " + spender
	case has(m, "holder") && has(m, "allowed") && spender != "":
		// DAI's permit: all or nothing.
		if field(m, "allowed").Value != "true" {
			return "Sign a permit that revokes the allowance of " + spender + " on " + domainWho(t)
		}
		return "Sign a permit: an unlimited amount of " + domainWho(t) + " to " + spender
	case t.PrimaryType == "TransferWithAuthorization" || t.PrimaryType == "ReceiveWithAuthorization":
		return "Sign a transfer: " + typedAmount(t, field(m, "value")) + " to " + fieldWho(m, "to")
	case t.PrimaryType == "SafeMessage":
		return "Sign a message for a Safe"
	}
	s := "Sign " + t.PrimaryType
	if t.Domain.Name != "" {
		s += " for " + t.Domain.Name
	}
	return s
}

// typedAmount is a typed-data amount of the domain's token, in whole
// tokens when the token is listed on the domain's chain.
func typedAmount(t *typeddata.TypedData, v typeddata.Field) string {
	if v.Human != "" {
		return v.Human
	}
	n, ok := new(big.Int).SetString(v.Value, 10)
	if vc := t.Domain.VerifyingContract; ok && vc != nil {
		chain, _ := strconv.ParseUint(t.Domain.ChainID, 10, 64)
		if tok, listed := label.New(chain, nil).Token(vc.Address); listed {
			return label.Units(n, tok.Decimals) + " " + tok.Symbol
		}
	}
	return v.Value + " base units of " + domainWho(t)
}

// permitAmounts lists a Permit2 details/permitted field: one token or an
// array of them.
func permitAmounts(f typeddata.Field) string {
	one := func(f typeddata.Field) string {
		a := field(f.Fields, "amount")
		if a.Human != "" {
			return a.Human
		}
		return a.Value + " of " + fieldWho(f.Fields, "token")
	}
	if has(f.Fields, "token") {
		return one(f)
	}
	var out []string
	for _, e := range f.Fields {
		out = append(out, one(e))
	}
	return joinAnd(out)
}

func domainWho(t *typeddata.TypedData) string {
	if v := t.Domain.VerifyingContract; v != nil {
		return who(*v)
	}
	return "the token"
}

func messageHeadline(d *decode.Result) string {
	m := d.Message
	switch {
	case m.SIWE != nil:
		return "Sign in to " + m.SIWE.Domain
	case m.LooksLike == "transaction":
		return "Sign a message that is a transaction"
	case m.LooksLike == "hash":
		return "Sign a message that is a hash"
	case m.Printable:
		return "Sign a text message"
	}
	return "Sign a message that is not text"
}

// who names an address as a headline does: its label, else its short form
// and that nobody knows it.
func who(a label.Addr) string {
	if a.Label != "" {
		return a.Label
	}
	return shortHex(a.Address) + " (unknown)"
}

func argWho(a calldata.Arg) string {
	addr, ok := a.Address()
	if !ok {
		return "an address"
	}
	return who(label.Addr{Address: addr, Label: a.Label})
}

func fieldWho(fs []typeddata.Field, name string) string {
	f := field(fs, name)
	if !common.IsHexAddress(f.Value) {
		return ""
	}
	return who(label.Addr{Address: common.HexToAddress(f.Value), Label: f.Label})
}

func field(fs []typeddata.Field, name string) typeddata.Field {
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	return typeddata.Field{}
}

func has(fs []typeddata.Field, name string) bool { return field(fs, name).Name != "" }

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
