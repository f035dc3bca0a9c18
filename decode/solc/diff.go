package solc

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Change is one difference in what a contract does.
type Change struct {
	Kind     Kind   `json:"kind"`
	Contract string `json:"contract"`
	Entry    string `json:"entry,omitempty"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line,omitempty"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
}

// Kind names a change.
type Kind string

// Change kinds.
const (
	LayoutBroken    Kind = "layout-broken"
	CheckRemoved    Kind = "check-removed"
	CheckWeakened   Kind = "check-weakened"
	RequireRemoved  Kind = "require-removed"
	RequireDropped  Kind = "require-dropped"
	ActionUnguarded Kind = "action-unguarded"
	ActionGuarded   Kind = "action-guarded"
	ConstantChanged Kind = "constant-changed"
	LiteralChanged  Kind = "literal-changed"
	InitializerLost Kind = "initializer-lost"
	HookOverridden  Kind = "hook-overridden"
	HookReplaced    Kind = "hook-replaced"
	LiteralAdded    Kind = "literal-added"
	LayoutUnread    Kind = "layout-unread"
	SourceUnjudged  Kind = "source-unjudged"
	GateAdded       Kind = "gate-added"
	EntryAdded      Kind = "entry-added"
	EntryRemoved    Kind = "entry-removed"
	ContractAdded   Kind = "contract-added"
	ContractRemoved Kind = "contract-removed"
	CompilerChanged Kind = "compiler-changed"
	UnguardedInNew  Kind = "unguarded-in-new"
	WriteAfterCall  Kind = "write-after-call"
	ReplayOpened    Kind = "replay-opened"
	CastAdded       Kind = "cast-added"
)

// valueActions are what an entry point may newly reach only with a check
// on the caller; a transfer or burn counts when it involves a hard-coded
// address (the caller's own are never actions: see action).
var valueActions = []string{Mint, Approve, SendETH, Delegatecall, Selfdestruct, Upgrade, ProxySlot, Authority, SelfCall, ArbitraryCall, Transfer, Burn}

// deciders are the hooks that decide who passes a check: another
// implementation of one is another answer to "who may".
var deciders = map[string]bool{"_checkOwner": true, "_checkRole": true, "hasRole": true, "owner": true,
	"isTrustedForwarder": true, "_isAuthorized": true, "_checkAuthorized": true,
	"allowance": true, "isApprovedForAll": true, "getApproved": true, "balanceOf": true,
	"quorum": true, "proposalThreshold": true, "getVotes": true}

// Compare lists what changed between two builds' contracts.
func Compare(old, new *Build) []Change {
	of, nf := old.Facts(), new.Facts()
	var out []Change
	for _, name := range slices.Sorted(maps.Keys(nf)) {
		n := nf[name]
		o, ok := of[name]
		if from := n.UpgradesFrom; from != "" {
			// An upgrade shipped as a new contract (VaultV2) is compared
			// with the one it replaces, wherever that is.
			if prev := pick(nf, of, from); prev != nil {
				o, ok = prev, true
			}
		} else if !ok && n.Upgradeable {
			if prev := predecessorIn(of, nf, n.Name); prev != nil {
				o, ok = prev, true
			}
		}
		if !ok {
			out = append(out, added(n)...)
			continue
		}
		out = append(out, compareContract(o, n)...)
	}
	for _, name := range slices.Sorted(maps.Keys(of)) {
		if _, ok := nf[name]; !ok {
			o := of[name]
			out = append(out, Change{Kind: ContractRemoved, Contract: o.Name, Path: o.Path, Line: o.Line,
				Title: "contract removed: " + o.Name, Detail: o.Name + " is no longer in the build"})
		}
	}
	// A changed file whose code no deployable contract of the build holds
	// (an abstract base nothing here inherits, a library nothing calls, a
	// script) was read but judged by no rule: said, not passed as OK.
	held := map[string]bool{}
	for _, side := range []map[string]*Contract{of, nf} {
		for _, c := range side {
			for p := range c.Sources {
				held[p] = true
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(new.Sources)) {
		if o, ok := old.Sources[p]; (!ok || o.Hash != new.Sources[p].Hash) && !held[p] && declaresCode(new.Sources[p]) {
			out = append(out, Change{Kind: SourceUnjudged, Path: p, Title: p + " changed, and no deployable contract of the build holds its code",
				Detail: p + " changed, but no contract the build deploys inherits it or calls into it, so no rule judged it; if it is deployed on its own or by another build, audit it there"})
		}
	}
	if old.Version != "" && new.Version != "" && old.Version != new.Version {
		out = append(out, Change{Kind: CompilerChanged, Title: "compiler " + old.Version + " → " + new.Version,
			Detail: "the build uses another compiler version"})
	}
	return out
}

// signed: the entry point accepts a signature (some check is on a signer
// it recovers).
func signed(e *Entry) bool {
	return slices.ContainsFunc(e.Checks, func(c string) bool { return strings.Contains(c, signerTok) })
}

// lockedUsers: every entry point that writes v, or reverts on it (a
// borrow against collateral, a transfer that checks a balance), holds a
// reentrancy lock, but for those only chosen callers pass (an owner's
// setter), the constructor, and payable ones that only credit the caller
// (a deposit), which a re-entry gains nothing from. One that writes v at
// a key the caller names moves it elsewhere, payable or not.
func (c *Contract) lockedUsers(v string) bool {
	for sig, e := range c.Entries {
		uses := slices.Contains(e.Writes, v) || slices.Contains(e.Gates, v)
		deposit := e.Payable && !slices.Contains(e.KeyedWrites, v)
		if uses && !e.Locked && !deposit && !e.Guarded && sig != "constructor" {
			return false
		}
	}
	return true
}

// declaresCode: a source with a contract, library or function of its own
// (not only interfaces, imports and pragmas).
func declaresCode(s *Source) bool {
	for _, n := range s.AST.Nodes {
		if n.NodeType == "FunctionDefinition" || n.NodeType == "ContractDefinition" && n.ContractKind != "interface" {
			return true
		}
	}
	return false
}

// pick finds a contract by name on the first side that has it.
func pick(a, b map[string]*Contract, name string) *Contract {
	for _, side := range []map[string]*Contract{a, b} {
		if c, ok := side[name]; ok {
			return c
		}
		for _, c := range side {
			if c.Name == name {
				return c
			}
		}
	}
	return nil
}

var versionSuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+?)V?(\d+)$`) })

// predecessorIn finds the upgradeable contract a new one most likely
// replaces: VaultV2 → Vault, else one the new build no longer has whose
// name starts the new one's (Vault → VaultUpgrade).
func predecessorIn(old, new map[string]*Contract, name string) *Contract {
	if prev := pick(nil, old, predecessor(name)); prev != nil && prev.Upgradeable {
		return prev
	}
	var best *Contract
	for k, c := range old {
		if _, still := new[k]; still || !c.Upgradeable || !strings.HasPrefix(name, c.Name) {
			continue
		}
		if best == nil || len(c.Name) > len(best.Name) {
			best = c
		}
	}
	return best
}

// predecessor is the name an upgrade was likely shipped under before:
// VaultV2 → Vault.
func predecessor(name string) string {
	m := versionSuffix().FindStringSubmatch(name)
	if m == nil || m[2] == "1" {
		return ""
	}
	return m[1]
}

// added: a new contract is new surface; one that lets anyone delegate or
// self-destruct is worse.
func added(n *Contract) []Change {
	out := []Change{{Kind: ContractAdded, Contract: n.Name, Path: n.Path, Line: n.Line,
		Title: "contract added: " + n.Name, Detail: fmt.Sprintf("%s is new, with %d entry points", n.Name, len(n.Entries))}}
	for _, sig := range slices.Sorted(maps.Keys(n.Entries)) {
		e := n.Entries[sig]
		if e.Guarded || sig == "constructor" {
			continue
		}
		for _, k := range []string{Delegatecall, Selfdestruct, ProxySlot, SelfCall} {
			if _, ok := e.Actions[k]; ok && !(k == Delegatecall && (sig == "fallback" || sig == "receive") && n.Upgradeable) {
				out = append(out, Change{Kind: UnguardedInNew, Contract: n.Name, Entry: sig, Path: e.Path, Line: e.Line,
					Title:  fmt.Sprintf("anyone can reach %s in the new %s.%s", k, n.Name, sig),
					Detail: fmt.Sprintf("%s.%s reaches %s and nothing on the way checks the caller", n.Name, sig, k)})
			}
		}
	}
	return out
}

// compareContract compares two versions of one contract.
func compareContract(o, n *Contract) []Change {
	var out []Change
	openReach := map[string][]string{} // what entries open to anyone reached before
	for sig, e := range o.Entries {
		if !e.Guarded && sig != "constructor" && !e.Initializer {
			for k, ds := range e.Actions {
				openReach[k] = append(openReach[k], withEmpty(ds)...)
			}
		}
	}
	gated := map[string]bool{}
	at := func(k Kind, e *Entry, title, detail string) {
		c := Change{Kind: k, Contract: n.Name, Title: title, Detail: detail}
		switch {
		case e != nil && e.Path == n.Path:
			c.Entry, c.Path, c.Line = e.Sig, e.Path, e.Line
		case e != nil:
			// An entry point a base declares (ERC20's transfer): the
			// finding belongs to the contract that changed what it reaches.
			c.Entry, c.Path, c.Line = e.Sig, n.Path, n.Line
		default:
			c.Path, c.Line = n.Path, n.Line
		}
		out = append(out, c)
	}
	for _, sig := range slices.Sorted(maps.Keys(n.Entries)) {
		e, oe := n.Entries[sig], o.Entries[sig]
		where := n.Name + "." + sig
		if oe == nil && e.Initializer {
			oe = o.initializer(e.Name) // the initializer, with a parameter more or less
		}
		if o.Entries[sig] == nil && sig != "constructor" {
			at(EntryAdded, e, "entry point added: "+where, where+" is new")
		}
		// Who may call it.
		if oe != nil && oe.Guarded && sig != "constructor" {
			extra, gone := minus(e.Checks, oe.Checks), minus(oe.Checks, e.Checks)
			switch {
			case !e.Guarded:
				how := "nothing on its paths does now"
				if len(e.Checks) > 0 {
					how = "now it does on some paths only, or with alternatives that let anyone through (" + humanChecks(e.Checks) + ")"
				}
				at(CheckRemoved, e, where+" no longer checks the caller on every path",
					fmt.Sprintf("%s checked the caller (%s); %s", where, humanChecks(oe.Checks), how))
			case len(extra) > 0 && len(gone) > 0:
				at(CheckWeakened, e, where+" checks the caller differently: "+humanChecks(extra),
					fmt.Sprintf("the caller check of %s was %s; it is now %s: whoever the new check lets through can call it", where, humanChecks(oe.Checks), humanChecks(e.Checks)))
			case len(extra) > 0:
				at(CheckWeakened, e, where+" now also lets through "+humanChecks(extra),
					fmt.Sprintf("the caller check of %s was %s; it now also passes when %s", where, humanChecks(oe.Checks), humanChecks(extra)))
			}
		}
		// What else it stops checking: a require dropped from a path that
		// moves value (swap's `to != token0`, an allowance's bound, a
		// timelock's `a && b` turned `a || b`) is the change that lets
		// value out; elsewhere it is one to read.
		if oe != nil && sig != "constructor" {
			var gone []string
			for _, r := range minus(oe.Requires, e.Requires) {
				if !strings.Contains(r, senderTok) && !strings.Contains(r, signerTok) {
					gone = append(gone, r) // the caller's checks are judged above
				}
			}
			if len(gone) > 0 {
				k := RequireDropped
				if movesValue(e) || movesValue(oe) {
					k = RequireRemoved
				}
				at(k, e, fmt.Sprintf("%s no longer requires %s", where, humanChecks(gone[:1])),
					fmt.Sprintf("%s reverted unless %s; no path of it checks that now", where, strings.Join(humanAll(gone), "; and unless ")))
			}
		}
		// When it updates its state: a variable written only before the
		// external calls is now written after one (a call moved up, or a
		// write moved down) with no lock against reentry. The callee
		// (the recipient of ETH, a token, a receiver hook) can call back
		// in and find the old value: withdraw twice what is there.
		if oe != nil && sig != "constructor" {
			// Written only before the calls, and now (also) after one: a
			// write left before the call as a decoy does not hide it. A
			// lock on this entry covers it only if the other entries
			// that use the variable are locked too (see lockedUsers):
			// otherwise the callee re-enters through one of those.
			var moved []string
			for _, v := range oe.EarlyWrites {
				if !slices.Contains(oe.LateWrites, v) && slices.Contains(e.LateWrites, v) && !(e.Locked && n.lockedUsers(v)) {
					moved = append(moved, v)
				}
			}
			if len(moved) > 0 {
				vs := strings.Join(moved, ", ")
				how := fmt.Sprintf("no reentrancy lock guards it: the contract called can call %s again before %s is updated", where, vs)
				if e.Locked {
					how = fmt.Sprintf("its lock does not guard the other entry points that use %s: the contract called can call one of those before %s is updated", vs, vs)
				}
				at(WriteAfterCall, e, fmt.Sprintf("%s now updates %s after an external call", where, vs),
					fmt.Sprintf("%s wrote %s only before making any external call; now it writes it after one, and %s, and be paid on the old value (the DAO pattern)", where, vs, how))
			}
		}
		// A signature's single use: an entry that accepts a signature
		// (a permit, a meta-transaction) and recorded something of it
		// (a nonce spent, a digest marked used) no longer records it:
		// the same signature can be replayed until it expires.
		if oe != nil && signed(oe) && signed(e) {
			if gone := minus(oe.Writes, e.Writes); len(gone) > 0 {
				at(ReplayOpened, e, fmt.Sprintf("%s accepts a signature and no longer writes %s: it can be replayed", where, strings.Join(gone, ", ")),
					fmt.Sprintf("%s checks a signature; it used to write %s, which is how a signature is spent (a nonce used, a digest marked), and no path writes it now: "+
						"whoever holds one signature can submit it again and again", where, strings.Join(gone, ", ")))
			}
		}
		if oe != nil && oe.Initializer && !e.Initializer {
			at(InitializerLost, e, where+" lost its initializer guard",
				where+" was guarded by initializer/reinitializer (callable once); now it can be called again, by anyone it lets through")
		}
		// What it can newly do: an action (with its counterparty) that this
		// entry did not reach before, and that no entry open to anyone
		// reached either when this one is open to anyone.
		unguarded := !e.Guarded || e.Initializer && o.initializer(e.Name) == nil
		for _, k := range valueActions {
			ds, ok := e.Actions[k]
			if !ok {
				continue
			}
			fresh := withEmpty(ds)
			if oe != nil {
				fresh = minus(fresh, withEmpty(oe.Actions[k]))
				if _, had := oe.Actions[k]; !had && len(fresh) == 0 {
					fresh = []string{""}
				}
			}
			if unguarded && sig != "constructor" {
				fresh = minus(fresh, openReach[k])
			}
			if len(fresh) == 0 || (k == Transfer || k == Burn) && slices.Equal(fresh, []string{""}) {
				continue // moving tokens, with no named party: ordinary
			}
			what := actionWords(k, fresh)
			switch {
			case sig == "constructor":
				if slices.ContainsFunc(fresh, isAddr) {
					at(ActionGuarded, e, "the constructor of "+n.Name+" can now "+what, "at deployment, "+n.Name+" can "+what)
				}
			case unguarded:
				at(ActionUnguarded, e, "anyone can now "+what+" through "+where,
					fmt.Sprintf("%s now reaches code that can %s, and nothing on its paths checks the caller", where, what))
			default:
				at(ActionGuarded, e, where+" can now "+what,
					fmt.Sprintf("%s now reaches code that can %s (callers checked: %s)", where, what, humanChecks(e.Checks)))
			}
		}
		// Who can stop transfers.
		if isTransferEntry(sig) && oe != nil {
			for _, g := range minus(e.Gates, oe.Gates) {
				if w := writers(n, g); len(w) > 0 && !gated[g] {
					gated[g] = true
					at(GateAdded, e, fmt.Sprintf("transfers in %s can now be blocked by %s", n.Name, g),
						fmt.Sprintf("%s now reverts on a condition on %s, which %s can set: a freeze or blocklist power", where, g, strings.Join(w, ", ")))
				}
			}
		}
	}
	for _, sig := range slices.Sorted(maps.Keys(o.Entries)) {
		if _, ok := n.Entries[sig]; !ok && sig != "constructor" {
			at(EntryRemoved, o.Entries[sig], "entry point removed: "+o.Name+"."+sig, o.Name+"."+sig+" is gone")
		}
	}
	if o.InitDisabled && !n.InitDisabled && n.Upgradeable {
		at(InitializerLost, n.Entries["constructor"], n.Name+"'s constructor no longer disables initializers",
			"the implementation contract itself can now be initialized by whoever calls it first")
	}
	changed := map[string]bool{} // values of constants that changed, old and new
	for _, name := range slices.Sorted(maps.Keys(n.Constants)) {
		ov, ok := o.Constants[name]
		nv := n.Constants[name]
		if !ok || ov == nv {
			continue
		}
		changed[ov], changed[nv] = true, true
		at(ConstantChanged, nil, fmt.Sprintf("%s.%s changed to %s", n.Name, name, short(nv)),
			fmt.Sprintf("%s was %s; it is now %s", name, short(ov), short(nv)))
	}
	// Literal values compare as sets over the contract's code: its own and
	// its bases' (a base the change adds, a ReentrancyGuard, brings new
	// code, not changed values) and the libraries it calls, so that code
	// moved between functions, into a modifier, a helper or a library, or
	// a new use of a known value, is no change. A changed value is placed
	// at the function that has it.
	common := []string{"(free)"}
	for _, base := range n.Bases {
		if slices.Contains(o.Bases, base) || base == n.Name {
			common = append(common, base)
		}
	}
	// Libraries both versions call, and the project's own (code moved
	// into one is the contract's): not a dependency's new library, whose
	// values are new code, not changed values.
	for _, lib := range n.libraries() {
		if slices.Contains(o.libraries(), lib) || slices.Contains(n.OwnLibraries, lib) || slices.Contains(o.OwnLibraries, lib) {
			common = append(common, lib)
		}
	}
	for _, lib := range o.OwnLibraries {
		if !slices.Contains(common, lib) {
			common = append(common, lib)
		}
	}
	oldCommon := slices.Clone(common)
	if i := slices.Index(oldCommon, n.Name); i >= 0 {
		oldCommon[i] = o.Name
	}
	oInts, oAddrs := o.literalsOf(oldCommon)
	nInts, nAddrs := n.literalsOf(common)
	for _, a := range unexplained(minus(nAddrs, oAddrs), changed) {
		fn, l := n.usedIn(common, a)
		out = append(out, Change{Kind: LiteralChanged, Contract: n.Name, Path: l.Path, Line: l.Line,
			Title: fn + " now hard-codes " + a, Detail: fmt.Sprintf("%s uses the address %s, which %s did not use before", fn, a, o.Name)})
	}
	addInts := unexplained(minus(nInts, oInts), changed)
	goneInts := unexplained(minus(oInts, nInts), changed)
	if len(addInts) > 0 || len(goneInts) > 0 {
		fn, l := n.usedIn(common, addInts...)
		if fn == "" {
			fn, l = o.usedIn(oldCommon, goneInts...)
		}
		kind := LiteralChanged
		if len(goneInts) == 0 {
			// Only new values (a cap, a bound): new code to read, not a
			// value that was reviewed and changed.
			kind = LiteralAdded
		}
		out = append(out, Change{Kind: kind, Contract: n.Name, Path: l.Path, Line: l.Line,
			Title:  fmt.Sprintf("constants in %s changed: %s → %s", cmp.Or(fn, n.Name), orNone(goneInts), orNone(addInts)),
			Detail: fmt.Sprintf("the code of %s used the values %s and now uses %s (named constants resolved to their values)", n.Name, orNone(goneInts), orNone(addInts))})
	}
	// Truncations: a narrowing conversion the old code did not make. A
	// literal (uint8(3)) is a constant, not a value cut short.
	oCasts, nCasts := o.castsOf(oldCommon), n.castsOf(common)
	for _, c := range minus(nCasts, oCasts) {
		fn, l := n.castIn(common, c)
		from, to, _ := strings.Cut(c, "→")
		out = append(out, Change{Kind: CastAdded, Contract: n.Name, Path: l.Path, Line: l.Line,
			Title:  fmt.Sprintf("%s now cuts a %s down to %s", fn, from, to),
			Detail: fmt.Sprintf("%s converts a %s to %s, which the old code did not: Solidity drops the high bits without a check, so a large amount becomes a small one (SafeCast reverts instead)", fn, from, to)})
	}
	for _, h := range slices.Sorted(maps.Keys(n.Hooks)) {
		if was, ok := o.Hooks[h]; ok && was != n.Hooks[h] && !(was == o.Name && n.Hooks[h] == n.Name) {
			k := HookOverridden
			if deciders[h] {
				k = HookReplaced
			}
			at(k, nil, fmt.Sprintf("%s's %s is now %s's", n.Name, h, n.Hooks[h]),
				fmt.Sprintf("%s decides who is authorised; it was %s's and is now %s's", h, was, n.Hooks[h]))
		}
	}
	if !(o.Upgradeable || n.Upgradeable) {
		return out // storage moves with a fresh deployment: nothing to keep
	}
	if o.NoLayout || n.NoLayout {
		at(LayoutUnread, nil, n.Name+": storage layout not checked",
			"the build holds no storage layout for "+n.Name+", which is upgradeable: compile with the storageLayout output (forge build --extra-output storageLayout; Hardhat: outputSelection)")
	}
	kind := LayoutBroken
	for _, p := range layoutProblems(o.Layout, n.Layout) {
		at(kind, nil, n.Name+": "+p, p)
	}
	for _, id := range slices.Sorted(maps.Keys(o.Namespaces)) {
		if nm, ok := n.Namespaces[id]; ok && !prefix(o.Namespaces[id], nm) {
			at(kind, nil, fmt.Sprintf("%s: namespace %s reordered", n.Name, id),
				fmt.Sprintf("the ERC-7201 namespace %s held %s; it now holds %s: only appending keeps it", id, strings.Join(o.Namespaces[id], "; "), strings.Join(nm, "; ")))
		}
	}
	return out
}

// initializer is the contract's initializer of this name (one that gained
// a parameter is still the initializer that ran), or nil.
func (c *Contract) initializer(name string) *Entry {
	for _, sig := range slices.Sorted(maps.Keys(c.Entries)) {
		if e := c.Entries[sig]; e.Initializer && e.Name == name {
			return e
		}
	}
	return nil
}

// libraries are the library pseudo-bases of Functions.
func (c *Contract) libraries() []string {
	var out []string
	for fn := range c.Functions {
		if b := baseOf(fn); strings.HasPrefix(b, libraryPrefix) && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// literalsOf are the values the named bases' code uses, as sets.
func (c *Contract) literalsOf(bases []string) (ints, addrs []string) {
	for fn, l := range c.Functions {
		if slices.Contains(bases, baseOf(fn)) {
			ints = append(ints, l.Ints...)
			addrs = append(addrs, l.Addrs...)
		}
	}
	slices.Sort(ints)
	slices.Sort(addrs)
	return slices.Compact(ints), slices.Compact(addrs)
}

// castsOf is the narrowing conversions of the bases' code, as a set.
func (c *Contract) castsOf(bases []string) []string {
	var out []string
	for fn, l := range c.Functions {
		if slices.Contains(bases, baseOf(fn)) {
			out = append(out, l.Casts...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// castIn is the first function of the bases (by name) that makes the
// conversion.
func (c *Contract) castIn(bases []string, cast string) (string, *Literals) {
	for _, fn := range slices.Sorted(maps.Keys(c.Functions)) {
		if l := c.Functions[fn]; slices.Contains(bases, baseOf(fn)) && slices.Contains(l.Casts, cast) {
			return fn, l
		}
	}
	return c.Name, &Literals{Path: c.Path, Line: c.Line}
}

// baseOf is the contract a Functions key belongs to.
func baseOf(fn string) string {
	b, _, _ := strings.Cut(fn, ".")
	return b
}

// usedIn is the first function of the bases (by name) that uses one of
// the values.
func (c *Contract) usedIn(bases []string, vs ...string) (string, *Literals) {
	for _, fn := range slices.Sorted(maps.Keys(c.Functions)) {
		l := c.Functions[fn]
		if !slices.Contains(bases, baseOf(fn)) {
			continue
		}
		for _, v := range vs {
			if slices.Contains(l.Ints, v) || slices.Contains(l.Addrs, v) {
				return fn, l
			}
		}
	}
	return "", &Literals{Path: c.Path, Line: c.Line}
}

// withEmpty is an action's details, or "" for one with none, so that the
// kind itself compares.
func withEmpty(ds []string) []string {
	if len(ds) == 0 {
		return []string{""}
	}
	return ds
}

// movesValue: an entry point whose paths move tokens or ETH, mint, burn
// or approve.
func movesValue(e *Entry) bool {
	for _, k := range []string{Transfer, SendETH, Mint, Burn, Approve, Delegatecall} {
		if _, ok := e.Actions[k]; ok {
			return true
		}
	}
	return false
}

// humanAll writes each requirement for a person.
func humanAll(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = humanChecks([]string{r})
	}
	return out
}

// humanChecks writes check terms for a person.
func humanChecks(ts []string) string {
	r := strings.NewReplacer(senderTok, "msg.sender", signerTok, "signer", "==", " == ", "!=", " != ")
	var out []string
	for _, t := range ts {
		out = append(out, r.Replace(t))
	}
	return strings.Join(out, " or ")
}

// layoutProblems lists what an upgrade from old to new would break: a
// variable whose slot now holds another, or another type; a variable
// inserted before the old end. Appending, renaming, and taking slots from
// a __gap that shrinks by as much are safe.
func layoutProblems(old, new []Slot) []string {
	if len(old) == 0 || len(new) == 0 {
		return nil
	}
	type pos struct {
		slot   uint64
		offset int
	}
	at := map[pos]Slot{}
	for _, s := range new {
		at[pos{s.Slot, s.Offset}] = s
	}
	var out []string
	var end uint64
	for _, s := range old {
		end = max(end, s.Slot+max(1, (s.Bytes+31)/32))
		if isGap(s) {
			continue
		}
		n, ok := at[pos{s.Slot, s.Offset}]
		switch {
		case !ok || isGap(n):
			where := "is gone"
			for _, m := range new {
				if m.Label == s.Label {
					where = fmt.Sprintf("moved to slot %d", m.Slot)
				}
			}
			out = append(out, fmt.Sprintf("%s (slot %d) %s", s.Label, s.Slot, where))
		case n.Type != s.Type:
			out = append(out, fmt.Sprintf("slot %d: %s %s is now %s %s", s.Slot, s.Label, s.Type, n.Label, n.Type))
		case n.Label != s.Label && labelIn(old, n.Label):
			out = append(out, fmt.Sprintf("slot %d held %s and now holds %s", s.Slot, s.Label, n.Label))
		}
	}
	taken := map[pos]bool{}
	for _, s := range old {
		taken[pos{s.Slot, s.Offset}] = true
	}
	gapStart, gapEnd := gapRange(old)
	for _, s := range new {
		if s.Slot >= end || taken[pos{s.Slot, s.Offset}] || isGap(s) {
			continue
		}
		if s.Slot >= gapStart && s.Slot < gapEnd {
			continue // taken from a gap (its shrinking is checked below)
		}
		out = append(out, fmt.Sprintf("%s inserted at slot %d, before variables that were already there", s.Label, s.Slot))
	}
	// A gap may shrink only by what was placed in it.
	if _, oEnd := gapRange(old); oEnd > 0 {
		if _, nEnd := gapRange(new); nEnd > 0 && nEnd != oEnd {
			out = append(out, fmt.Sprintf("the __gap now ends at slot %d instead of %d", nEnd, oEnd))
		}
	}
	return out
}

func isGap(s Slot) bool { return strings.HasPrefix(s.Label, "__gap") }

func gapRange(l []Slot) (uint64, uint64) {
	for _, s := range l {
		if isGap(s) {
			return s.Slot, s.Slot + (s.Bytes+31)/32
		}
	}
	return 0, 0
}

func labelIn(l []Slot, label string) bool {
	return slices.ContainsFunc(l, func(s Slot) bool { return s.Label == label })
}

func isTransferEntry(sig string) bool {
	for _, p := range []string{"transfer(", "transferFrom(", "safeTransferFrom(", "safeBatchTransferFrom(", "send("} {
		if strings.HasPrefix(sig, p) {
			return true
		}
	}
	return false
}

// writers are the entry points whose paths write a state variable (as an
// authority variable or through an assignment seen as a gate's writer).
func writers(c *Contract, v string) []string {
	var w []string
	for _, sig := range slices.Sorted(maps.Keys(c.Entries)) {
		if slices.Contains(c.Entries[sig].Writes, v) {
			w = append(w, sig)
		}
	}
	return w
}

func actionWords(k string, details []string) string {
	w := map[string]string{
		Mint: "mint tokens", Burn: "burn tokens", Transfer: "move tokens", Approve: "approve a spender",
		SendETH: "send ETH", Delegatecall: "DELEGATECALL other code", Selfdestruct: "SELFDESTRUCT the contract",
		Upgrade: "upgrade the implementation", ProxySlot: "write a proxy slot (implementation, admin or initializer state)",
		Authority: "change who is authorised", SelfCall: "call the contract itself (passing its own address(this) checks)",
		ArbitraryCall: "call an address the caller names with data the caller names (spending what users approved to the contract)",
	}[k]
	var fixed, other []string
	for _, d := range details {
		if isAddr(d) {
			fixed = append(fixed, d)
		} else if d != "" {
			other = append(other, d)
		}
	}
	if len(fixed) > 0 {
		w += " with the hard-coded " + strings.Join(fixed, ", ")
	}
	if len(other) > 0 {
		w += " (" + strings.Join(other, ", ") + ")"
	}
	return w
}

// minus is a − b for sorted unique lists.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func unexplained(vs []string, changed map[string]bool) []string {
	var out []string
	for _, v := range vs {
		if !changed[v] {
			out = append(out, v)
		}
	}
	return out
}

func prefix(a, b []string) bool { return len(a) <= len(b) && slices.Equal(a, b[:len(a)]) }

func orNone(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	return strings.Join(vs, ", ")
}

// short cuts a long value for a title.
func short(v string) string {
	if len(v) > 70 {
		return v[:67] + "…"
	}
	return v
}
