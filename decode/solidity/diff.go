package solidity

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// Kind names a change. The strings are stable: guard maps them to rule IDs.
type Kind string

const (
	ContractAdded        Kind = "contract-added"
	ContractRemoved      Kind = "contract-removed"
	BasesChanged         Kind = "bases-changed"           // inheritance list or its order changed: the inherited storage layout follows it
	PragmaChanged        Kind = "pragma-changed"          // a solidity (compiler version) or abicoder pragma changed
	ImportSwapped        Kind = "import-swapped"          // an import replaced by another of the same file name
	ImportSwappedToAdded Kind = "import-swapped-to-added" // the same, to a file the change adds
	FunctionAdded        Kind = "function-added"          // a new externally callable function (public/external, fallback, receive) or constructor
	FunctionRemoved      Kind = "function-removed"        // the same, gone
	VisibilityWidened    Kind = "visibility-widened"      // internal/private -> public/external
	ModifierRemoved      Kind = "modifier-removed"        // a modifier no longer guards a function
	ModifierAdded        Kind = "modifier-added"
	GuardWeakened        Kind = "guard-weakened" // a modifier or an auth hook lost a check, or an auth hook was overridden
	DelegatecallAdded    Kind = "delegatecall-added"
	SelfdestructAdded    Kind = "selfdestruct-added"
	TxOriginAdded        Kind = "tx-origin-added"
	AssemblyAdded        Kind = "assembly-added"
	UncheckedAdded       Kind = "unchecked-added"
	LowLevelCallAdded    Kind = "low-level-call-added"
	CallcodeAdded        Kind = "callcode-added"
	Create2Added         Kind = "create2-added"
	StorageInserted      Kind = "storage-inserted"  // a storage variable before existing ones: later slots shift
	StorageReordered     Kind = "storage-reordered" // existing storage variables changed order
	StorageRetyped       Kind = "storage-retyped"   // an existing storage variable (or a struct it holds) changed type
	StorageRemoved       Kind = "storage-removed"   // a storage variable is gone: later slots shift
	StorageAppended      Kind = "storage-appended"  // new storage after all existing ones (or taken from a __gap): benign
	StorageAdded         Kind = "storage-added"     // hunk mode only: new storage whose position among the others is not in view
	StructChanged        Kind = "struct-changed"    // hunk mode only: a struct's fields changed other than by appending; storage holding it (if any) shifts
)

// addedKind maps a concern to the Kind reported when a change brings it in.
var addedKind = map[Concern]Kind{
	ConcernDelegatecall: DelegatecallAdded,
	ConcernSelfdestruct: SelfdestructAdded,
	ConcernTxOrigin:     TxOriginAdded,
	ConcernAssembly:     AssemblyAdded,
	ConcernUnchecked:    UncheckedAdded,
	ConcernLowLevelCall: LowLevelCallAdded,
	ConcernCallcode:     CallcodeAdded,
	ConcernCreate2:      Create2Added,
}

// Change is one fact about how a Solidity source changed.
type Change struct {
	Kind     Kind   `json:"kind"`
	Path     string `json:"path"`
	Contract string `json:"contract,omitempty"` // "" for file-level facts (pragmas, free functions)
	Function string `json:"function,omitempty"` // signature, e.g. withdraw(uint256); "" when not about a function
	Line     int    `json:"line,omitempty"`     // in the new file; in the old file for removals
	Detail   string `json:"detail"`             // one line of plain English
}

func (c Change) String() string {
	return fmt.Sprintf("%s:%d: %s %s %s: %s", c.Path, c.Line, c.Kind, orDash(c.Contract), orDash(c.Function), c.Detail)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Diff compares two versions of one file. Either may be nil (file added or
// removed). Changes carry new.Path (old.Path when new is nil).
func Diff(old, new *File) []Change {
	path := ""
	if new != nil {
		path = new.Path
	} else if old != nil {
		path = old.Path
	}
	d := newDiffer([]*File{old}, []*File{new})
	d.file(path, old, new)
	return d.sorted()
}

// DiffSet compares two sets of files keyed by path (e.g. a directory before
// and after). A contract that moved to another file is matched by name when
// the name is unique on both sides, so moving code is not reported as a
// removal and an addition.
func DiffSet(old, new map[string]*File) []Change {
	paths := map[string]bool{}
	for p := range old {
		paths[p] = true
	}
	for p := range new {
		paths[p] = true
	}
	sortedPaths := slices.Sorted(maps.Keys(paths))
	var of, nf []*File
	for _, p := range sortedPaths {
		of, nf = append(of, old[p]), append(nf, new[p])
	}
	d := newDiffer(of, nf)
	type loc struct {
		path string
		c    *Contract
	}
	var gone, came []loc
	for _, p := range sortedPaths {
		o, n := old[p], new[p]
		d.pragmas(p, o, n)
		d.imports(p, o, n, old, new)
		d.freeFunctions(p, o, n)
		pairs, g, c := pairContracts(contractsOf(o), contractsOf(n))
		for _, pc := range pairs {
			d.contract(p, pc[0], pc[1])
		}
		for _, x := range g {
			gone = append(gone, loc{p, x})
		}
		for _, x := range c {
			came = append(came, loc{p, x})
		}
	}
	index := func(ls []loc) map[string][]loc {
		m := map[string][]loc{}
		for _, l := range ls {
			m[l.c.Name] = append(m[l.c.Name], l)
		}
		return m
	}
	goneBy, cameBy := index(gone), index(came)
	// A contract that moved is compared with where it went: with the
	// arrival of its name whose path shares the longest tail with its old
	// one (contracts/v1/Pool.sol went to src/v1/Pool.sol), or with every
	// arrival when that does not decide. A decoy of the same name must not
	// turn the real contract's changes into "added" and "removed".
	compared := map[*Contract]bool{}
	for _, g := range gone {
		if m := cameBy[g.c.Name]; len(m) > 0 {
			for _, c := range closest(g, m, func(l loc) string { return l.path }) {
				d.contract(c.path, g.c, c.c)
				compared[c.c] = true
			}
			continue
		}
		d.add(Change{Kind: ContractRemoved, Path: g.path, Contract: g.c.Name, Line: g.c.Line, Detail: g.c.Kind + " `" + g.c.Name + "` removed"})
	}
	// A contract that arrives under a name the old side still has
	// elsewhere (a copy next to the original, which stays as a decoy) is
	// compared with it too.
	stayed := map[string][]loc{}
	for _, p := range sortedPaths {
		if old[p] != nil && new[p] != nil {
			for _, c := range old[p].Contracts {
				stayed[c.Name] = append(stayed[c.Name], loc{p, c})
			}
		}
	}
	for _, c := range came {
		if g := goneBy[c.c.Name]; len(g) > 0 {
			// Every arrival is compared with something: a decoy whose path
			// looks closer must not leave the real one unread.
			if !compared[c.c] {
				for _, x := range closest(c, g, func(l loc) string { return l.path }) {
					d.contract(c.path, x.c, c.c)
				}
			}
			continue
		}
		d.contractAdded(c.path, c.c)
		if o := stayed[c.c.Name]; len(o) > 0 {
			for _, x := range closest(c, o, func(l loc) string { return l.path }) {
				d.contract(c.path, x.c, c.c)
			}
		}
	}
	return d.sorted()
}

type differ struct {
	out []Change
	// Struct and enum definitions by name across all files of each side,
	// for the storage comparison of struct-typed variables.
	oldStructs, newStructs map[string]*Struct
	newEnums               map[string]bool
	// stateless are the bases that hold no storage on either side:
	// interfaces (declared as nothing else), and contracts with no state
	// variable whose bases are all stateless (Context).
	stateless map[string]bool
}

func newDiffer(old, new []*File) *differ {
	d := &differ{oldStructs: map[string]*Struct{}, newStructs: map[string]*Struct{}, newEnums: map[string]bool{}}
	index := func(files []*File, structs map[string]*Struct) {
		for _, f := range files {
			if f == nil {
				continue
			}
			all := slices.Clone(f.Structs)
			for _, c := range f.Contracts {
				all = append(all, c.Structs...)
			}
			for _, s := range all {
				if structs[s.Name] == nil {
					structs[s.Name] = s
				}
			}
		}
	}
	index(old, d.oldStructs)
	index(new, d.newStructs)
	// Stateless: every declaration of the name, on both sides, is an
	// interface, or a contract (not a library, no layout base) with no
	// storage variable whose bases are all stateless (Context, a 5.x
	// Initializable).
	d.stateless = map[string]bool{}
	decls := map[string][]*Contract{}
	for _, f := range slices.Concat(old, new) {
		if f != nil {
			for _, c := range f.Contracts {
				decls[c.Name] = append(decls[c.Name], c)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for n, cs := range decls {
			if d.stateless[n] {
				continue
			}
			ok := true
			for _, c := range cs {
				if c.Kind == "interface" {
					continue
				}
				if c.Kind == "library" || c.Layout != "" {
					ok = false
				}
				for _, v := range c.StateVars {
					ok = ok && !v.Storage()
				}
				for _, b := range c.Bases {
					ok = ok && d.stateless[b]
				}
			}
			if ok {
				d.stateless[n], changed = true, true
			}
		}
	}
	for _, f := range new {
		if f == nil {
			continue
		}
		for _, c := range f.Contracts {
			for _, e := range c.Enums {
				d.newEnums[e] = true
			}
		}
	}
	return d
}

func (d *differ) add(c Change) { d.out = append(d.out, c) }

// closest picks from cands those whose path shares the longest tail of
// path segments with x's; all of them when no one is alone at the top.
func closest[T any](x T, cands []T, path func(T) string) []T {
	tail := func(a, b string) int {
		as, bs := strings.Split(a, "/"), strings.Split(b, "/")
		n := 0
		for n < len(as) && n < len(bs) && as[len(as)-1-n] == bs[len(bs)-1-n] {
			n++
		}
		return n
	}
	best, at := -1, 0
	for _, c := range cands {
		switch t := tail(path(x), path(c)); {
		case t > best:
			best, at = t, 1
		case t == best:
			at++
		}
	}
	if at != 1 {
		return cands
	}
	for _, c := range cands {
		if tail(path(x), path(c)) == best {
			return []T{c}
		}
	}
	return cands
}

func (d *differ) sorted() []Change {
	slices.SortStableFunc(d.out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Contract, b.Contract), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Detail, b.Detail))
	})
	return d.out
}

func contractsOf(f *File) []*Contract {
	if f == nil {
		return nil
	}
	return f.Contracts
}

// pairContracts matches contracts by name; duplicate names (invalid, but
// possible in a file Scan accepts) pair up in order.
func pairContracts(old, new []*Contract) (pairs [][2]*Contract, gone, came []*Contract) {
	byName := map[string][]int{}
	for j, m := range new {
		byName[m.Name] = append(byName[m.Name], j)
	}
	used := make([]bool, len(new))
	for _, c := range old {
		q := byName[c.Name]
		if len(q) == 0 {
			gone = append(gone, c)
			continue
		}
		used[q[0]], byName[c.Name] = true, q[1:]
		pairs = append(pairs, [2]*Contract{c, new[q[0]]})
	}
	for j, m := range new {
		if !used[j] {
			came = append(came, m)
		}
	}
	return pairs, gone, came
}

func (d *differ) file(path string, old, new *File) {
	d.pragmas(path, old, new)
	d.freeFunctions(path, old, new)
	pairs, gone, came := pairContracts(contractsOf(old), contractsOf(new))
	for _, pc := range pairs {
		d.contract(path, pc[0], pc[1])
	}
	for _, c := range gone {
		d.add(Change{Kind: ContractRemoved, Path: path, Contract: c.Name, Line: c.Line, Detail: c.Kind + " `" + c.Name + "` removed"})
	}
	for _, c := range came {
		d.contractAdded(path, c)
	}
}

// contractAdded reports a new contract and what of concern it brings: its
// functions' occurrences count as added, its entry points do not (they are
// all new, which the contract-added line already says).
func (d *differ) contractAdded(path string, c *Contract) {
	d.add(Change{Kind: ContractAdded, Path: path, Contract: c.Name, Line: c.Line, Detail: c.Kind + " `" + c.Name + "` added"})
	d.concerns(path, c.Name, nil, c.Functions)
}

// pragmas compares solidity and abicoder pragmas only when both versions
// exist: a new file's pragma is not a change of compiler for anything.
func (d *differ) pragmas(path string, old, new *File) {
	if old == nil || new == nil {
		return
	}
	for _, name := range []string{"solidity", "abicoder", "experimental"} {
		o, n := pragmaValue(old, name), pragmaValue(new, name)
		if o.Value == n.Value {
			continue
		}
		line := n.Line
		if n.Line == 0 {
			line = o.Line
		}
		d.add(Change{Kind: PragmaChanged, Path: path, Line: line,
			Detail: fmt.Sprintf("pragma %s changed from %s to %s", name, orNone(o.Value), orNone(n.Value))})
	}
}

// imports reports an import swapped for another of the same file name
// (@openzeppelin/.../Ownable.sol for ./utils/Ownable.sol): the base or
// library it brings may now be a look-alike. It is worse when the new
// file is one the change itself adds.
func (d *differ) imports(p string, old, new *File, oldFiles, newFiles map[string]*File) {
	if old == nil || new == nil {
		return
	}
	var was []string
	for _, i := range old.Imports {
		was = append(was, i.Path)
	}
	for _, i := range new.Imports {
		if slices.Contains(was, i.Path) {
			continue
		}
		for _, w := range was {
			if path.Base(w) != path.Base(i.Path) || slices.ContainsFunc(new.Imports, func(x Import) bool { return x.Path == w }) {
				continue
			}
			// A package reorganised (OpenZeppelin 5 moved security/ to
			// utils/) brings the same code; so does a project file that
			// moved, whose contract is compared where it went.
			if !strings.HasPrefix(i.Path, ".") {
				continue
			}
			if oldLocal := path.Join(path.Dir(p), w); strings.HasPrefix(w, ".") && oldFiles[oldLocal] != nil && newFiles[oldLocal] == nil {
				continue
			}
			kind, detail := ImportSwapped, fmt.Sprintf("import `%s` replaced by `%s`: what it brings may now come from another file", w, i.Path)
			if local := path.Join(path.Dir(p), i.Path); strings.HasPrefix(i.Path, ".") && newFiles[local] != nil && oldFiles[local] == nil {
				kind, detail = ImportSwappedToAdded, detail+", one this change adds"
			}
			d.add(Change{Kind: kind, Path: p, Line: i.Line, Detail: detail})
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return "`" + s + "`"
}

func pragmaValue(f *File, name string) Pragma {
	var vals []string
	var first Pragma
	for _, p := range f.Pragmas {
		if p.Name == name {
			if first.Line == 0 {
				first = p
			}
			vals = append(vals, p.Value)
		}
	}
	first.Value = strings.Join(vals, "; ")
	return first
}

func (d *differ) freeFunctions(path string, old, new *File) {
	var of, nf []*Function
	if old != nil {
		of = old.Functions
	}
	if new != nil {
		nf = new.Functions
	}
	if len(of)+len(nf) == 0 {
		return
	}
	d.functions(path, &Contract{}, &Contract{}, of, nf)
}

func (d *differ) contract(path string, old, new *Contract) {
	storageBases := func(bases []string) []string {
		return slices.DeleteFunc(slices.Clone(bases), func(b string) bool { return d.stateless[b] })
	}
	// A stateless base added or dropped moves no storage.
	if !slices.Equal(storageBases(old.Bases), storageBases(new.Bases)) {
		d.add(Change{Kind: BasesChanged, Path: path, Contract: new.Name, Line: new.Line,
			Detail: fmt.Sprintf("bases changed from `%s` to `%s`: inherited storage is laid out in this order", strings.Join(old.Bases, ", "), strings.Join(new.Bases, ", "))})
	}
	if old.Layout != new.Layout {
		d.add(layoutChange(path, old, new, new.Line))
	}
	d.functions(path, old, new, old.Functions, new.Functions)
	if new.Kind != "interface" && new.Kind != "library" {
		d.storage(path, old, new)
	}
}

// layoutChange reports a contract's storage layout base (solc 0.8.29
// `layout at`) moved: every state variable moves with it.
func layoutChange(path string, old, new *Contract, line int) Change {
	return Change{Kind: BasesChanged, Path: path, Contract: new.Name, Line: line,
		Detail: fmt.Sprintf("storage layout base changed from `%s` to `%s`: every state variable moves", cmp.Or(old.Layout, "0"), cmp.Or(new.Layout, "0"))}
}

// entry reports whether a function is reachable from outside: the ones
// whose arrival or departure changes the contract's attack surface.
func entry(f *Function) bool {
	switch f.Kind {
	case "constructor", "fallback", "receive":
		return true
	case "function":
		return f.Visibility == "public" || f.Visibility == "external"
	}
	return false
}

func key(f *Function) string { return f.Kind + " " + f.Signature() }

// functions matches functions by kind and signature. One whose signature
// changed but whose name is unique on both sides is still compared with
// its old self for modifiers and concerns (a retyped parameter should not
// make its delegatecall look new), while being reported removed and added.
func (d *differ) functions(path string, oc, nc *Contract, old, new []*Function) {
	interfaceOnly := oc.Kind == "interface" && nc.Kind == "interface"
	oldBy := map[string]*Function{}
	for _, f := range old {
		if oldBy[key(f)] == nil {
			oldBy[key(f)] = f
		}
	}
	newBy := map[string]*Function{}
	for _, f := range new {
		if newBy[key(f)] == nil {
			newBy[key(f)] = f
		}
	}
	// Duplicate signatures (invalid code, or a scan that misread
	// something) pair up in order rather than all with the same one.
	queue := map[string][]*Function{}
	for _, f := range old {
		queue[key(f)] = append(queue[key(f)], f)
	}
	byName := func(fs []*Function, by map[string]*Function, name, kind string) (match *Function, n int) {
		for _, f := range fs {
			if f.Name == name && f.Kind == kind {
				n++
				if by[key(f)] == nil {
					match = f
				}
			}
		}
		return match, n
	}
	pairs := map[*Function]*Function{} // new -> old
	for _, f := range new {
		if q := queue[key(f)]; len(q) > 0 {
			pairs[f], queue[key(f)] = q[0], q[1:]
			continue
		}
		if oldBy[key(f)] != nil {
			continue // a surplus duplicate
		}
		o, n := byName(old, newBy, f.Name, f.Kind)
		if _, m := byName(new, oldBy, f.Name, f.Kind); o != nil && n == 1 && m == 1 {
			pairs[f] = o
		}
		if pairs[f] == nil && authHooks[f.Name] && f.Kind == "function" && f.Override && !interfaceOnly {
			d.add(Change{Kind: GuardWeakened, Path: path, Contract: nc.Name, Function: f.Signature(), Line: f.Line,
				Detail: fmt.Sprintf("`%s` now defined in %s: it replaces the check that every guard calling it runs", f.Signature(), nc.Name)})
		}
		if entry(f) && !interfaceOnly {
			d.add(Change{Kind: FunctionAdded, Path: path, Contract: nc.Name, Function: f.Signature(), Line: f.Line,
				Detail: fmt.Sprintf("%s %s `%s` added", f.Visibility, f.Kind, f.Signature())})
		}
	}
	for _, f := range old {
		if newBy[key(f)] == nil && entry(f) && !interfaceOnly {
			d.add(Change{Kind: FunctionRemoved, Path: path, Contract: nc.Name, Function: f.Signature(), Line: f.Line,
				Detail: fmt.Sprintf("%s %s `%s` removed", f.Visibility, f.Kind, f.Signature())})
		}
	}
	for _, f := range new {
		if o := pairs[f]; o != nil {
			d.function(path, nc.Name, o, f, old, new)
		}
	}
	d.concernsPaired(path, nc.Name, old, new, pairs)
}

// checksWith is f's checks with those of the functions it calls in the
// same contract, one level down: a modifier that calls _onlyOwner()
// checks what _onlyOwner checks.
func checksWith(f *Function, fns []*Function) int {
	n := f.Checks
	for _, name := range f.Calls {
		for _, g := range fns {
			if g != f && g.Name == name && g.Kind == "function" {
				n += g.Checks
				break
			}
		}
	}
	return n
}

// function compares a function with its old self; oldFns and newFns are
// its contract's functions (nil in hunk mode, where bodies are seen in part).
func (d *differ) function(path, contract string, old, new *Function, oldFns, newFns []*Function) {
	sig := new.Signature()
	if !entryVis(old.Visibility) && entryVis(new.Visibility) && new.Kind == "function" {
		d.add(Change{Kind: VisibilityWidened, Path: path, Contract: contract, Function: sig, Line: new.Line,
			Detail: fmt.Sprintf("`%s` was %s, is now %s: anyone can call it", sig, old.Visibility, new.Visibility)})
	}
	for _, m := range multisetMinus(old.Modifiers, new.Modifiers) {
		d.add(Change{Kind: ModifierRemoved, Path: path, Contract: contract, Function: sig, Line: new.Line,
			Detail: fmt.Sprintf("modifier `%s` no longer applied to `%s`", m, sig)})
	}
	for _, m := range multisetMinus(new.Modifiers, old.Modifiers) {
		d.add(Change{Kind: ModifierAdded, Path: path, Contract: contract, Function: sig, Line: new.Line,
			Detail: fmt.Sprintf("modifier `%s` now applied to `%s`", m, sig)})
	}
	switch {
	case oldFns == nil:
		// Hunk mode: a body is seen in part, and its checks cannot be counted.
	case (new.Kind == "modifier" || authHooks[new.Name]) && checksWith(new, newFns) < checksWith(old, oldFns):
		d.add(Change{Kind: GuardWeakened, Path: path, Contract: contract, Function: sig, Line: new.Line,
			Detail: fmt.Sprintf("`%s` checks less than before (%d require/if and caller tests, now %d): every function it guards is open wider", sig, checksWith(old, oldFns), checksWith(new, newFns))})
	case entry(new) && new.Kind == "function" && new.CallerTests < old.CallerTests && len(multisetMinus(new.Modifiers, old.Modifiers)) == 0:
		// A check of the caller gone from the body, and no modifier came
		// in to take it over.
		d.add(Change{Kind: GuardWeakened, Path: path, Contract: contract, Function: sig, Line: new.Line,
			Detail: fmt.Sprintf("`%s` tests who calls it less than before (%d tests of msg.sender, hasRole…, now %d)", sig, old.CallerTests, new.CallerTests)})
	}
}

// authHooks are the functions OpenZeppelin's and most projects' access
// control runs its checks in: overriding one (to do nothing, say) opens
// every function it guards without touching a modifier.
var authHooks = map[string]bool{
	"_checkOwner": true, "_checkRole": true, "_authorizeUpgrade": true, "_requireNotPaused": true,
	"_checkCanCall": true, "_isAuthorized": true, "_checkAuthorized": true, "_msgSender": true,
	"owner": true, "hasRole": true, "isValidSignature": true, "_validateSignature": true,
}

func entryVis(v string) bool { return v == "public" || v == "external" }

// multisetMinus returns the items of a not matched by an item of b.
func multisetMinus(a, b []string) []string {
	left := map[string]int{}
	for _, s := range b {
		left[s]++
	}
	var out []string
	for _, s := range a {
		if left[s] > 0 {
			left[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}
