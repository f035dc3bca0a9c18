package guard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/txguard/txguard/decode/evm"
)

// code is the bytecode under judgement and what it is to the signer: the
// input itself (txguard inspect, a bytecode input), or the code of the
// transaction's target or 7702 delegate that the user passed with
// check --code. delegate says the signer's own account would run it.
func (c *Context) code() (a *evm.Analysis, what string, delegate bool) {
	if b := c.In.Bytecode; b != nil && b.Analysis != nil {
		return b.Analysis, "This code", false
	}
	if c.cfg.Code == nil || c.In.Tx == nil {
		return nil, "", false
	}
	if t := c.In.Tx; t != nil && len(t.Authorizations) > 0 {
		return c.cfg.Code, "The code your account would delegate to", true
	}
	return c.cfg.Code, "The code of the contract you call", false
}

// concerns lists the code's instructions of one opcode, those in the code
// it deploys too: that they never run as this contract is a reading of
// the bytes, and code that jumps into what looks like appended creation
// code must not hide an instruction from the rules.
func concerns(a *evm.Analysis, op string) []evm.Concern {
	var out []evm.Concern
	for _, c := range a.Concerns {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

func codeEvidence(c evm.Concern) string {
	s := fmt.Sprintf("bytecode pc %d", c.PC)
	if c.Part != "" {
		s += " (" + c.Part + ")"
	}
	return s
}

// codeSelfdestruct: SELFDESTRUCT sends every wei the contract holds away;
// in code an account delegates to, that is the account's own ETH.
func codeSelfdestruct(ctx *Context, r *Rule) []Finding {
	a, what, delegate := ctx.code()
	if a == nil {
		return nil
	}
	var out []Finding
	for _, c := range concerns(a, "SELFDESTRUCT") {
		sev := Caution
		switch calldata := slices.Contains(c.Target, evm.TargetCalldata); {
		case calldata && delegate:
			sev = Critical // anyone names where the account's ETH goes
		case calldata, delegate:
			sev = Danger
		}
		out = append(out, r.finding(sev, "SELFDESTRUCT in the code",
			what+" can SELFDESTRUCT, sending all its ETH to "+targetWords(c)+".",
			codeEvidence(c), "Find out who can reach it; a contract you trust with funds should not have it."))
	}
	return out
}

// otherCodeLevel grades an instruction that runs other code with this
// contract's storage and balance (DELEGATECALL, CALLCODE) by where its
// address comes from: a caller's choice is danger, one the trace lost or
// that a storage write can swap is caution; each a step worse in code an
// account delegates to. A constant is fixed code: OK here.
func otherCodeLevel(c evm.Concern, delegate bool) Level {
	calldata := slices.Contains(c.Target, evm.TargetCalldata)
	loose := slices.Contains(c.Target, evm.TargetStorage) || slices.Contains(c.Target, evm.TargetUnknown) || len(c.Target) == 0
	switch {
	case calldata && delegate:
		return Critical
	case calldata, loose && delegate:
		return Danger
	case loose:
		return Caution
	}
	return OK
}

// codeDelegatecall: DELEGATECALL to an address the caller chooses runs any
// code with this contract's storage and balance.
func codeDelegatecall(ctx *Context, r *Rule) []Finding {
	a, what, delegate := ctx.code()
	if a == nil {
		return nil
	}
	var out []Finding
	for _, c := range concerns(a, "DELEGATECALL") {
		sev := otherCodeLevel(c, delegate)
		// A recognised proxy's own DELEGATECALL goes to its implementation
		// (an untraced target too: the trace stops at internal returns, as
		// in OpenZeppelin's ERC1967Proxy): TG806 says what that means.
		proxied := len(a.Proxy) > 0 && c.Part == "" && !slices.Contains(c.Target, evm.TargetCalldata)
		if sev == OK || proxied {
			continue
		}
		out = append(out, r.finding(sev, "DELEGATECALL to "+targetWords(c),
			what+" DELEGATECALLs "+targetWords(c)+": whoever picks that address runs any code they like with its storage and its funds.",
			codeEvidence(c), "Do not call or delegate to it unless that DELEGATECALL is guarded to its owner."))
	}
	return out
}

// codeCallcode: CALLCODE is the deprecated DELEGATECALL, as dangerous by
// where its address comes from, and worth a look even to fixed code.
func codeCallcode(ctx *Context, r *Rule) []Finding {
	a, what, delegate := ctx.code()
	if a == nil {
		return nil
	}
	var out []Finding
	for _, c := range concerns(a, "CALLCODE") {
		out = append(out, r.finding(max(otherCodeLevel(c, delegate), Caution), "CALLCODE to "+targetWords(c),
			what+" uses CALLCODE, which runs other code with its own storage and funds (deprecated since DELEGATECALL), on "+targetWords(c)+".",
			codeEvidence(c), "Find out what it calls and who chooses it."))
	}
	return out
}

// codeOpcode reports every instruction of one opcode at one level.
func codeOpcode(op string, sev Level, title, why, advice string) func(*Context, *Rule) []Finding {
	return func(ctx *Context, r *Rule) []Finding {
		a, what, _ := ctx.code()
		if a == nil {
			return nil
		}
		var out []Finding
		for _, c := range concerns(a, op) {
			out = append(out, r.finding(sev, title, what+" "+why, codeEvidence(c), advice))
		}
		return out
	}
}

// targetWords says where an address operand comes from.
func targetWords(c evm.Concern) string {
	only := func(t string) bool { return len(c.Target) == 1 && c.Target[0] == t }
	switch {
	case slices.Contains(c.Target, evm.TargetCalldata):
		return "an address taken from the call's data"
	case only(evm.TargetConstant) && c.Address != nil:
		return c.Address.Hex()
	case only(evm.TargetStorage) && c.SlotName != "":
		return "the address in the " + c.SlotName + " slot"
	case only(evm.TargetStorage):
		return "an address read from storage"
	case only(evm.TargetSelf):
		return "the contract itself"
	}
	return "an address the analysis cannot trace"
}

// codeUpgradeable: code behind an upgradeable proxy is whatever its admin
// installs next; what was checked today says little about tomorrow.
func codeUpgradeable(ctx *Context, r *Rule) []Finding {
	a, what, delegate := ctx.code()
	if a == nil {
		return nil
	}
	var out []Finding
	const advice = "Inspect the implementation as well; for an upgradeable proxy, find out who the admin is."
	for _, p := range a.Proxy {
		title, adv := "A proxy: "+p, advice
		var sev Level
		var why string
		switch p {
		case evm.ProxyEIP1967, evm.ProxyBeacon, evm.ProxyUUPS, evm.ProxyDiamond, evm.ProxyZeppelinOS:
			sev, why = Caution, "is upgradeable ("+p+"): its admin can replace the code behind it at any time, so what is checked now may not be what runs."
			if delegate {
				sev = Danger
			}
		case evm.ProxyEIP1167, evm.ProxySafe:
			sev, why = Info, "is a proxy ("+p+") to a fixed implementation: judge the implementation's code."
		case evm.ProxyEIP7702:
			// An account's delegation, not code: what runs is the delegate's.
			title = "An EIP-7702 delegation, not contract code"
			sev, why = Info, "is an account's EIP-7702 delegation: the account runs the code of "+a.Target.Hex()+"."
			adv = "Judge the delegate's code: txguard inspect on the output of cast code " + a.Target.Hex() + "."
			if delegate {
				// EIP-7702 follows one delegation, never a chain: the
				// account would run 0xef..., which halts.
				sev, why = Caution, "is itself an EIP-7702 delegation, and 7702 does not follow a delegation twice: your account would run no code and every call to it would fail."
				adv = "Delegate to the contract's own address, not to an account that delegates."
			}
		default:
			continue
		}
		out = append(out, r.finding(sev, title, what+" "+why, "bytecode.analysis.proxy", adv))
	}
	return out
}

// codeAddresses names the addresses written into the code: where funds or
// calls may go regardless of what a caller asks.
func codeAddresses(ctx *Context, r *Rule) []Finding {
	a, what, _ := ctx.code()
	if a == nil {
		return nil
	}
	var names []string
	for _, addr := range a.Addresses {
		if a.Target == nil || addr != *a.Target { // a proxy's target: TG806
			names = append(names, ctx.lab.Addr(addr).String())
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []Finding{r.finding(Info, fmt.Sprintf("Addresses written into the code (%d)", len(names)),
		what+" has these addresses written in: "+strings.Join(names, ", ")+".",
		"bytecode.analysis.addresses", "Check that each is who the contract says it deals with.")}
}

// codeCreates: a contract that deploys others (factories, wallets) is
// common; it is said so that a person expecting a token is not surprised.
func codeCreates(ctx *Context, r *Rule) []Finding {
	a, what, _ := ctx.code()
	if a == nil {
		return nil
	}
	var out []Finding
	for _, c := range a.Concerns {
		if c.Op == "CREATE" || c.Op == "CREATE2" {
			out = append(out, r.finding(Info, c.Op+" in the code", what+" deploys contracts ("+c.Op+").", codeEvidence(c), ""))
		}
	}
	return out
}
