package guard

import (
	"fmt"
	"path"
	"strings"

	"github.com/txguard/txguard/decode/codediff"
	"github.com/txguard/txguard/decode/solc"
	"github.com/txguard/txguard/decode/solidity"
)

// sourceRule is what one diff rule says about the changes it covers: the
// level of each kind (Solidity's, and bytecode's in code) and why it
// matters.
type sourceRule struct {
	kinds  map[solidity.Kind]Level
	code   map[string]Level
	build  map[solc.Kind]Level // the compiler's facts (diff --build)
	why    string
	advice string
}

// sourceRules are the diff rules, by rule ID. A kind
// no rule lists (a modifier added, storage appended) is no finding.
var sourceRules = map[string]sourceRule{
	"TG901": {
		kinds: map[solidity.Kind]Level{
			solidity.StorageInserted: Danger, solidity.StorageReordered: Danger, solidity.StorageRetyped: Danger,
			solidity.StorageRemoved: Danger, solidity.BasesChanged: Danger, solidity.StructChanged: Danger,
			solidity.StorageAdded: Caution,
		},
		build: map[solc.Kind]Level{solc.LayoutBroken: Danger},
		why: "A proxy keeps its storage across upgrades and the new code reads it by slot. A variable inserted, " +
			"removed, reordered or retyped (or bases reordered) moves every later slot: after the upgrade the " +
			"contract reads balances as owners and owners as fees.",
		advice: "Only append new state variables (or take them from a __gap); compare layouts with " +
			"`forge inspect C storageLayout` or the OpenZeppelin upgrades plugin before deploying.",
	},
	"TG902": {
		kinds:  map[solidity.Kind]Level{solidity.ModifierRemoved: Danger, solidity.GuardWeakened: Danger},
		build:  map[solc.Kind]Level{solc.CheckRemoved: Danger, solc.CheckWeakened: Danger, solc.RequireRemoved: Danger, solc.RequireDropped: Info, solc.ReplayOpened: Danger},
		why:    "A guard (access control, pause, reentrancy) no longer applies, or checks less: whoever it kept out can now call what it guarded.",
		advice: "Confirm the check moved into the body or another modifier; otherwise restore it.",
	},
	"TG903": {
		kinds:  map[solidity.Kind]Level{solidity.VisibilityWidened: Danger},
		why:    "An internal or private function is now public or external: anyone can call what was meant to run only from inside the contract.",
		advice: "Keep it internal, or guard it with the access control its callers had.",
	},
	"TG904": {
		kinds:  map[solidity.Kind]Level{solidity.DelegatecallAdded: Danger, solidity.CallcodeAdded: Danger},
		why:    "DELEGATECALL (and CALLCODE) runs other code with this contract's storage and balance: if the target can be chosen by a caller, so can everything the contract owns.",
		advice: "Delegate only to a fixed, audited address, never to one from calldata or unguarded storage.",
	},
	"TG905": {
		kinds:  map[solidity.Kind]Level{solidity.SelfdestructAdded: Danger},
		why:    "SELFDESTRUCT sends the contract's ETH away (and, in the creating transaction, deletes its code); it is deprecated (EIP-6049) and dangerous behind a proxy.",
		advice: "Remove it; if funds must be recoverable, write an explicit, guarded withdrawal.",
	},
	"TG906": {
		kinds:  map[solidity.Kind]Level{solidity.TxOriginAdded: Caution},
		why:    "tx.origin is the account that started the transaction, not the caller: a check on it lets any contract the owner interacts with act as the owner.",
		advice: "Authorize with msg.sender.",
	},
	"TG907": {
		kinds: map[solidity.Kind]Level{
			solidity.AssemblyAdded: Caution, solidity.LowLevelCallAdded: Caution, solidity.Create2Added: Caution,
			solidity.UncheckedAdded: Info,
		},
		why:    "Inline assembly, low-level calls and CREATE2 bypass the compiler's checks (types, return values, reentrancy order); unchecked blocks turn off overflow checks.",
		advice: "Review the new code by hand: return values checked, reentrancy guarded, arithmetic bounded.",
	},
	"TG908": {
		kinds:  map[solidity.Kind]Level{solidity.FunctionAdded: Info, solidity.ContractAdded: Info},
		build:  map[solc.Kind]Level{solc.EntryAdded: Info, solc.ContractAdded: Info},
		why:    "New code anyone may be able to call: each new public or external function is new attack surface.",
		advice: "Check who may call it and what it changes.",
	},
	"TG909": {
		kinds:  map[solidity.Kind]Level{solidity.FunctionRemoved: Info, solidity.ContractRemoved: Info},
		build:  map[solc.Kind]Level{solc.EntryRemoved: Info, solc.ContractRemoved: Info},
		why:    "Callers (other contracts, front ends, scripts) that use it will fail.",
		advice: "Check nothing still calls it.",
	},
	"TG910": {
		kinds:  map[solidity.Kind]Level{solidity.PragmaChanged: Info},
		code:   map[string]Level{codediff.CompilerChanged: Info},
		build:  map[solc.Kind]Level{solc.CompilerChanged: Info},
		why:    "Another compiler version changes code generation, optimizer behaviour and known bugs.",
		advice: "Check the new version's bug list (docs.soliditylang.org, bugs_by_version.json) and re-run the tests.",
	},
	"TG912": {
		kinds:  map[solidity.Kind]Level{solidity.ImportSwapped: Caution, solidity.ImportSwappedToAdded: Danger},
		why:    "An import now names another file of the same name: the base contract or library it brings may be a look-alike of the one reviewed before (a vendored Ownable whose check passes for anyone).",
		advice: "Diff the new file against the one it replaces, or keep importing the package.",
	},
	"TG913": {
		build: map[solc.Kind]Level{solc.ActionUnguarded: Danger, solc.UnguardedInNew: Caution, solc.ActionGuarded: Info},
		why: "The compiler's call graph shows an entry point that now reaches code moving value or authority (minting, approving, " +
			"sending ETH or tokens, DELEGATECALL, SELFDESTRUCT, a proxy slot, ownership or roles) with nothing on the way checking " +
			"who calls: anyone can now do it.",
		advice: "Guard the entry point (onlyOwner, a role) or remove the path; if it is meant to be open, say why in the pull request.",
	},
	"TG914": {
		build: map[solc.Kind]Level{solc.ConstantChanged: Danger, solc.LiteralChanged: Danger, solc.LiteralAdded: Caution, solc.CastAdded: Danger},
		why: "A constant, immutable or literal the code uses changed value, or the code now uses a hard-coded address: a fee " +
			"receiver, oracle feed, cap or invariant is not what was reviewed.",
		advice: "Confirm the new value against its source (the feed's or receiver's published address, the audited maths).",
	},
	"TG915": {
		build:  map[solc.Kind]Level{solc.InitializerLost: Danger},
		why:    "An initializer no longer runs only once, or the implementation no longer disables initializers: whoever calls it next takes the contract's roles.",
		advice: "Keep the initializer/reinitializer modifier, and _disableInitializers() in the implementation's constructor.",
	},
	"TG916": {
		build:  map[solc.Kind]Level{solc.HookOverridden: Caution, solc.HookReplaced: Danger},
		why:    "An authorization hook (_checkOwner, _authorizeUpgrade, _msgSender, hasRole…) or a view other contracts trust for value (allowance, isApprovedForAll, balanceOf, quorum…) now runs another contract's implementation: it decides who passes every check built on it, or how much anyone may take.",
		advice: "Review the new implementation line by line; the findings of TG902 show where checks now let more through.",
	},
	"TG917": {
		build:  map[solc.Kind]Level{solc.GateAdded: Danger},
		why:    "Transfers now revert on a condition an account can set: a freeze or blocklist power over every holder's tokens.",
		advice: "If the power is intended, make it visible to holders (documented, time-locked, behind governance).",
	},
	"TG919": {
		build: map[solc.Kind]Level{solc.WriteAfterCall: Danger},
		why: "The function now makes an external call (sending ETH, a token transfer, a call to another contract) before it updates " +
			"its own state, with no reentrancy lock: whoever is called can call back in while the state still says what it said " +
			"before, and take the same funds again. This is how The DAO was drained; checks-effects-interactions is the rule it breaks.",
		advice: "Update the state before the external call, or guard the function with a reentrancy lock (OpenZeppelin's nonReentrant).",
	},
	"TG921": {
		code:   map[string]Level{codediff.SelectorsAdded: Info, codediff.SelectorsRemoved: Info, codediff.CodeAdded: Info, codediff.CodeRemoved: Info},
		why:    "The contract's public functions changed: new entry points to review, or callers that will fail.",
		advice: "Check who may call each new function and that nothing still calls a removed one.",
	},
	"TG922": {
		code:   map[string]Level{codediff.ConcernAdded: Danger},
		why:    "The new code has more SELFDESTRUCT, DELEGATECALL or CALLCODE instructions than the old: each can hand the contract's storage or funds to other code.",
		advice: "Find the source change that brought it in and review who can reach it (txguard inspect shows where the target comes from).",
	},
	"TG923": {
		code:   map[string]Level{codediff.ProxyChanged: Caution},
		why:    "How the contract delegates changed: another proxy pattern or implementation decides what runs.",
		advice: "Confirm the new implementation and its admin are the ones intended.",
	},
}

// diffChanges reports the Solidity and bytecode changes this rule covers.
func diffChanges(ctx *Context, r *Rule) []Finding {
	d := ctx.In.Diff
	sr, ok := sourceRules[r.ID]
	if d == nil || !ok {
		return nil
	}
	var out []Finding
	for i, c := range d.Source {
		sev, ok := sr.kinds[c.Kind]
		if !ok {
			continue
		}
		f := r.finding(sev, changeTitle(c), c.Detail+". "+sr.why, fmt.Sprintf("diff.source[%d]", i), sr.advice)
		f.File, f.Line = c.Path, c.Line
		out = append(out, f)
	}
	for i, c := range d.Build {
		sev, ok := sr.build[c.Kind]
		if !ok {
			continue
		}
		f := r.finding(sev, c.Title, c.Detail+". "+sr.why, fmt.Sprintf("diff.build[%d]", i), sr.advice)
		f.File, f.Line = c.Path, c.Line
		out = append(out, f)
	}
	for i, c := range d.Code {
		sev, ok := sr.code[c.Kind]
		if !ok {
			continue
		}
		f := r.finding(sev, strings.ReplaceAll(c.Kind, "-", " ")+" in "+c.Path, c.Detail+". "+sr.why, fmt.Sprintf("diff.code[%d]", i), sr.advice)
		f.File = c.Path
		out = append(out, f)
	}
	return out
}

// changeTitle is a change in a few words: "storage-inserted in Vault".
func changeTitle(c solidity.Change) string {
	t := strings.ReplaceAll(string(c.Kind), "-", " ")
	switch {
	case c.Function != "" && c.Contract != "":
		t += " in " + c.Contract + "." + c.Function
	case c.Function != "": // hunk mode may not see the contract
		t += " in " + c.Function
	case c.Contract != "":
		t += " in " + c.Contract
	}
	return t
}

// diffUnread: a file the audit could not read is not audited, and a diff
// read hunk by hunk was seen only in part. Failing closed, the first is
// danger; the second is said at info.
func diffUnread(ctx *Context, r *Rule) []Finding {
	d := ctx.In.Diff
	if d == nil {
		return nil
	}
	var out []Finding
	for i, u := range d.Unread {
		advice := "Fix the file so that it compiles, compare whole files (txguard diff --git BASE..HEAD), or audit it by hand."
		if path.Ext(u.Path) != ".sol" {
			advice = "Write the file as one line of bytecode hex (cast code, or a build's deployedBytecode), or audit it by hand."
		}
		f := r.finding(Danger, "Not audited: "+u.Path, u.Reason+". Nothing in this file was checked.",
			fmt.Sprintf("diff.unread[%d]", i), advice)
		f.File = u.Path
		out = append(out, f)
	}
	for i, n := range d.Notes {
		out = append(out, r.finding(Info, "Audited in part", n+".", fmt.Sprintf("diff.notes[%d]", i), ""))
	}
	return out
}

// diffWorkflows: a change to the CI workflow that runs this check is a
// change to the check itself; a pull request could turn it off.
func diffWorkflows(ctx *Context, r *Rule) []Finding {
	d := ctx.In.Diff
	if d == nil {
		return nil
	}
	var out []Finding
	for i, w := range d.Workflows {
		f := r.finding(Caution, "The change edits the workflow "+w,
			w+" is CI configuration: a pull request that edits it may change or disable the checks that run on it, this one included.",
			fmt.Sprintf("diff.workflows[%d]", i), "Review the workflow change on its own; make the txguard check required in branch protection so that a pull request cannot remove it.")
		f.File = w
		out = append(out, f)
	}
	return out
}
