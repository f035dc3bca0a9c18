package guard

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/selector"
	"github.com/txguard/txguard/decode/typeddata"
)

// No silent OK: a verdict says what the rules read and what they did not,
// and a value-bearing part that was not read is a finding (TG609, and
// TG607/TG608 for calls), never an empty list that reads as "fine".

// Coverage is what the rules read of an input, in words a person reads in
// one line: "read in full: 1 call, 2 nested calls; not read: none".
type Coverage struct {
	Read    []string `json:"read"`
	NotRead []string `json:"notRead"`
	// Simulated says whether the user's node ran the input: "simulated on
	// the node at block 21000000: 1 call", "not simulated: no --rpc".
	// Empty for what no node can run (a message, bytecode, a diff).
	Simulated string `json:"simulated,omitempty"`
}

// Line is the coverage in one line; a long list of unread parts shows its
// first few and how many more (the JSON has them all).
func (cv Coverage) Line() string {
	read := "nothing"
	if len(cv.Read) > 0 {
		read = strings.Join(cv.Read, ", ")
	}
	line := "read: " + read + "; not read: " + strings.Join(first(cv.NotRead, 5), "; ")
	if len(cv.NotRead) == 0 {
		line = "read in full: " + read + "; not read: none"
	}
	if cv.Simulated != "" {
		line += "; " + cv.Simulated
	}
	return line
}

// simulated says what the node did with the input, for the coverage line.
func simulated(c *Context) string {
	in := c.In
	if in.Tx == nil && in.Op == nil && in.TypedData == nil {
		return ""
	}
	s := c.cfg.Sim
	switch {
	case s == nil:
		return "not simulated (no --rpc)"
	case s.Status == SimOK:
		return fmt.Sprintf("simulated at block %d with %s: %s", s.Block, s.Method, plural(len(s.Calls), "call"))
	case s.Status == SimExposure:
		return fmt.Sprintf("not simulated (a signature is used later): exposure read at block %d", s.Block)
	}
	return "not simulated: " + s.Reason
}

// coverage works out what the rules read of c's input.
func coverage(c *Context) Coverage {
	cv := Coverage{Read: []string{}, NotRead: []string{}} // [] in JSON, never null
	in := c.In
	calls := func(root *calldata.Call, what string) {
		if root == nil {
			return
		}
		var top, nested int
		root.Walk(func(call *calldata.Call) {
			if reason, ok := unreadCall(call); ok {
				cv.NotRead = append(cv.NotRead, call.Path+": "+reason)
				return
			}
			for _, u := range c.bundleUnread(call) {
				cv.NotRead = append(cv.NotRead, u.Path+": "+u.What)
			}
			if call == root {
				top++
			} else {
				nested++
			}
		})
		if top > 0 {
			cv.Read = append(cv.Read, what)
		}
		if nested > 0 {
			cv.Read = append(cv.Read, plural(nested, "nested call"))
		}
	}
	switch {
	case in.Tx != nil:
		switch {
		case in.Tx.Call != nil && in.Tx.Call.Target == nil:
			cv.Read = append(cv.Read, "a contract creation ("+plural(len(in.Tx.Data), "byte")+" of init code, analysed)")
		case in.Tx.Call != nil:
			calls(in.Tx.Call, "1 call")
		}
		if n := len(in.Tx.Authorizations); n > 0 {
			cv.Read = append(cv.Read, plural(n, "7702 authorization"))
		}
	case in.TypedData != nil:
		if what, ok := typedReader(c, in.TypedData); ok {
			cv.Read = append(cv.Read, "typed data "+in.TypedData.PrimaryType+" ("+what+")")
			if o, ok := readOrder(c, in.TypedData); ok && o.unread != "" {
				cv.NotRead = append(cv.NotRead, "the "+o.venue+" order's "+o.unread)
			}
		} else {
			cv.NotRead = append(cv.NotRead, "typed data "+in.TypedData.PrimaryType+": no reader for it")
		}
	case in.Message != nil:
		cv.Read = append(cv.Read, "a message of "+plural(len(in.Message.Bytes), "byte"))
	case in.Hash != nil:
		cv.NotRead = append(cv.NotRead, "a bare 32-byte hash: what it signs cannot be known")
	case in.Bytecode != nil:
		cv.Read = append(cv.Read, "bytecode ("+plural(in.Bytecode.Size, "byte")+")")
	case in.Diff != nil:
		cv.Read = append(cv.Read, plural(len(in.Diff.Files), "changed file"))
	}
	if op := in.Op; op != nil {
		calls(op.Call, "1 call as "+accountName(op))
		cv.NotRead = append(cv.NotRead, opUnread(op)...)
	}
	cv.Simulated = simulated(c)
	return cv
}

// opUnread is what an account operation holds that no rule read besides
// its calls, which TG607/TG608 and the coverage of calls report.
func opUnread(op *account.Op) []string {
	var out []string
	for _, u := range op.Unread() {
		if !strings.HasPrefix(u, account.CallPath) && !strings.HasPrefix(u, "and ") {
			out = append(out, u)
		}
	}
	return out
}

func accountName(op *account.Op) string {
	if op.Account.Address == (common.Address{}) {
		return "the account the wallet picks"
	}
	return op.Account.String()
}

// unreadCall says why a call was not read in full.
func unreadCall(call *calldata.Call) (string, bool) {
	switch {
	case call.Error != "":
		return call.Error, true
	case call.Kind == calldata.KindCall && call.Target != nil && call.Signature == "" && call.Name != "transfer of native currency":
		return "function not recognised", true
	}
	return "", false
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// typedReader names the rule family that reads td, when one does.
func typedReader(c *Context, td *typeddata.TypedData) (string, bool) {
	if c.In.Op != nil {
		return c.In.Op.Standard, true
	}
	if o, ok := readOrder(c, td); ok {
		return "a " + o.venue + " order", true
	}
	vc := td.Domain.VerifyingContract
	switch {
	case td.PrimaryType == "Permit":
		_, ok := td.Lookup("spender")
		return "a token permit", ok
	case td.Domain.Name == "Permit2" || vc != nil && isPermit2(c, vc.Address):
		if td.PrimaryType == "PermitWitnessTransferFrom" {
			return "a Permit2 transfer", false // a witness nobody reads: the order it carries is not judged
		}
		return "a Permit2 allowance or transfer", true
	case td.PrimaryType == "OrderComponents" || td.PrimaryType == "BulkOrder":
		return "a Seaport order", true
	case td.PrimaryType == "TransferWithAuthorization" || td.PrimaryType == "ReceiveWithAuthorization":
		return "an EIP-3009 authorization", true
	case td.PrimaryType == "SafeMessage":
		return "a Safe message", true
	}
	return "", false
}

// executable names the typed-data members that are run as calls when the
// signature is used: an unread one can do anything the account can.
var executable = map[string]bool{"callData": true, "calldata": true, "data": true, "initCode": true, "hookData": true,
	"calls": true, "executionData": true, "execution": true, "payload": true, "transactions": true}

// grants names the typed-data members that hand something to an address.
var grants = map[string]bool{"spender": true, "operator": true, "delegate": true, "delegatee": true, "executor": true}

// looksLikeCall reports bytes that start with a function selector txguard
// knows and carry ABI words after it: calldata, whatever the member is
// called (a meta-transaction's functionSignature, an element of calls[]).
func looksLikeCall(hex string) bool {
	b := common.FromHex(hex)
	if len(b) < 4 || (len(b)-4)%32 != 0 {
		return false
	}
	_, known := selector.Lookup([4]byte(b))
	return known
}

// unreadSignature is TG609: typed data no rule reads, and parts of a
// request no rule read. Its level follows what the unread part could do:
//
//   - danger: an unread bytes member that is executed as a call;
//   - caution: addresses or amounts in a structure no rule reads, or a
//     part of an account operation that was not read;
//   - info: typed data that holds neither.
func unreadSignature(c *Context, r *Rule) []Finding {
	var out []Finding
	if op := c.In.Op; op != nil {
		for _, u := range opUnread(op) {
			// A known factory's setup data says who owns the new account;
			// the factory itself is the one everybody uses.
			sev := Caution
			if op.Factory != nil && strings.HasPrefix(u, "factory ") {
				if _, known := account.KnownFactories[op.Factory.Address]; known {
					sev = Info
				}
			}
			out = append(out, r.finding(sev, "Part of the account operation not read",
				"txguard did not read this part, so no rule has checked it: "+u+".", "op",
				"Only sign if you know what this part does."))
		}
	}
	for _, call := range c.Calls() {
		for _, u := range c.bundleUnread(call) {
			sev := Caution
			if u.Minor {
				sev = Info
			}
			out = append(out, r.finding(sev, "Part of a bundled account operation not read",
				"txguard did not read this part of an operation in the bundle, so no rule has checked it: "+u.What+".",
				TxPath(call, "")+strings.TrimPrefix(u.Path, call.Path),
				"Only send this bundle if you know what this part does."))
		}
	}
	td := c.In.TypedData
	if td == nil {
		return out
	}
	if o, ok := readOrder(c, td); ok && o.unread != "" {
		out = append(out, r.finding(Caution, "Part of the "+o.venue+" order not read",
			"txguard read this order's assets, amounts and receiver, but not "+o.unread+": whatever they do when the order is filled has not been checked.",
			tdPath("makerTraits"), "Sign only orders from the dapp's own interface, for the amounts you expect."))
	}
	if _, ok := typedReader(c, td); ok {
		return out
	}
	var values, runs, grantees []string
	var walk func(fs []typeddata.Field, path string)
	walk = func(fs []typeddata.Field, path string) {
		for _, f := range fs {
			p := joinPath(path, f.Name)
			switch {
			case len(f.Fields) > 0:
				walk(f.Fields, p)
			case f.Type == "bytes" && f.Value != "0x" && (executable[f.Name] || looksLikeCall(f.Value)):
				runs = append(runs, p)
			case f.Type == "address" && grants[f.Name] && !c.WellKnown(common.HexToAddress(f.Value)):
				grantees = append(grantees, p)
			case f.Type == "address" || strings.HasPrefix(f.Type, "uint") || strings.HasPrefix(f.Type, "int"):
				values = append(values, p)
			}
		}
	}
	walk(td.Message, "")
	what := "typed data of type " + td.PrimaryType
	if d := td.Domain; d.Name != "" {
		what += " for " + d.Name
	}
	switch {
	case len(grantees) > 0:
		out = append(out, r.finding(Danger, "Typed data txguard cannot read grants something to an unknown address",
			fmt.Sprintf("This is %s, which txguard has no reader for, and its %s names an address that is neither well known nor in your address book, in a member that grants (a spender, an operator, a delegate). A permit or approval wrapped in an unknown type reads exactly like this.",
				what, strings.Join(grantees, ", ")), tdPath(grantees[0]), "Do not sign unless you know what this signature grants, and to whom."))
	case len(runs) > 0:
		out = append(out, r.finding(Danger, "Typed data that carries calls txguard cannot read",
			fmt.Sprintf("This is %s, which txguard has no reader for, and its %s holds calldata that will be executed when the signature is used. Nothing in it has been checked: it can do anything the account can.",
				what, strings.Join(runs, ", ")), tdPath(runs[0]), "Do not sign unless you can read what those calls do (e.g. in the dapp's verified source)."))
	case len(values) > 0:
		out = append(out, r.finding(Caution, "Typed data txguard cannot read",
			fmt.Sprintf("This is %s, which txguard has no reader for. It holds addresses or amounts (%s) whose meaning only the contract at %s knows, so no rule has judged what the signature allows.",
				what, strings.Join(first(values, 4), ", "), verifierPhrase(c, td)), tdPath(values[0]), "Only sign if you know what this signature is for and trust the site asking."))
	default:
		out = append(out, r.finding(Info, "Typed data txguard has no reader for",
			fmt.Sprintf("This is %s. It holds no addresses, amounts or calldata, so it is unlikely to move assets, but no rule has read it.", what),
			"typedData.message", "Check the text of the message in the wallet."))
	}
	return out
}

func verifierPhrase(c *Context, td *typeddata.TypedData) string {
	if vc := td.Domain.VerifyingContract; vc != nil {
		return addrPhrase(c, vc.Address)
	}
	return "the verifying contract (the domain names none)"
}

func first(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("%d more", len(s)-n))
	}
	return s
}
