package solc

import (
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Contract is what a deployable contract can do, by entry point.
type Contract struct {
	Name, Path string
	Line       int
	// Bases are the linearised bases, most derived first (the contract
	// itself included).
	Bases []string
	// Upgradeable: it sits behind a proxy (an initializer, UUPS, a proxy
	// base, or an @custom:oz-upgrades annotation): only then does its
	// storage layout have to survive an upgrade.
	Upgradeable bool
	// UpgradesFrom is the contract an @custom:oz-upgrades-from annotation
	// names as the one it replaces.
	UpgradesFrom string
	// InitDisabled: the constructor calls _disableInitializers.
	InitDisabled bool
	Entries      map[string]*Entry
	// Constants are constant and immutable state variables with the value
	// the code gives them, by name.
	Constants map[string]string
	// Functions are the literal values each function of the hierarchy uses
	// (constants resolved), by "Contract.name(types)".
	Functions map[string]*Literals
	// Hooks are the authorization hooks the contract runs (_checkOwner,
	// _authorizeUpgrade, …): which contract's implementation, by name.
	Hooks map[string]string
	// OwnLibraries are the libraries the contract calls that are the
	// project's own (not a dependency's): their code is the contract's.
	OwnLibraries []string
	// Sources are the files whose code the contract holds: its bases' and
	// the libraries' it calls.
	Sources map[string]bool
	// NoLayout: the build holds no storage layout for the contract.
	NoLayout bool
	Layout   []Slot
	// Namespaces are ERC-7201 storage structs, by namespace id: their
	// members as "type name".
	Namespaces map[string][]string
}

// Entry is one way into a contract: a public or external function, the
// constructor, fallback or receive.
type Entry struct {
	Sig  string // "mint(address,uint256)", "constructor", "fallback", "receive"
	Name string
	Path string
	Line int
	// Checks are what a caller must be to get through, as the conditions
	// on every path say it ("sender==owner", "hasRole(MINTER_ROLE,sender)",
	// "signer==owner"); empty when nothing checks the caller.
	Checks []string
	// Actions are what the paths can do to value and authority, by kind,
	// each with details (a hard-coded counterparty, a variable).
	Actions map[string][]string
	// Initializer: guarded by initializer/reinitializer (anyone may call
	// it, once).
	Initializer bool
	// Guarded: on every path, a condition lets only chosen callers through.
	Guarded bool
	// Gates are state variables read in conditions that revert.
	Gates []string
	// Writes are the state variables the paths assign.
	Writes []string
	// Requires are the conditions the paths revert without, each as its
	// alternatives ("a || b").
	Requires []string
	// EarlyWrites are the state variables written before any external
	// call on the way, LateWrites those written after one (see summary).
	EarlyWrites, LateWrites []string
	// KeyedWrites are state variables written at a key the caller names.
	KeyedWrites []string
	// Locked: a reentrancy lock guards the entry point.
	Locked bool
	// Payable: it takes ETH.
	Payable bool
}

// Literals are the values one function's code uses.
type Literals struct {
	Path  string
	Line  int
	Ints  []string // compile-time integers, sorted (0 and 1 left out)
	Addrs []string // address literals, lower-case, sorted
	// Casts are the narrowing conversions of values known only at run
	// time ("uint256→uint96"), sorted: each drops the high bits silently.
	Casts []string
}

// Slot is one state variable of the storage layout.
type Slot struct {
	Label  string
	Slot   uint64
	Offset int
	Type   string // the type as solc labels it, structs expanded
	Bytes  uint64
}

// Action kinds.
const (
	Mint         = "mint"
	Burn         = "burn"
	Transfer     = "transfer"
	Approve      = "approve"
	SendETH      = "send-eth"
	Delegatecall = "delegatecall"
	Selfdestruct = "selfdestruct"
	Upgrade      = "upgrade"
	ProxySlot    = "proxy-slot"
	Authority    = "authority"
	// SelfCall is a low-level call to the contract itself, which passes
	// its own `msg.sender == address(this)` checks.
	SelfCall = "self-call"
	// ArbitraryCall is a call to an address with data, both from the
	// caller: it acts with whatever users approved to the contract.
	ArbitraryCall = "arbitrary-call"
)

// actionNames are calls that do something to value or authority, by the
// name of the called function (internal, library or external).
var actionNames = map[string]string{
	"_mint": Mint, "_safeMint": Mint, "mint": Mint, "safeMint": Mint,
	"_burn": Burn, "burn": Burn, "burnFrom": Burn,
	"_transfer": Transfer, "transferFrom": Transfer, "safeTransfer": Transfer, "safeTransferFrom": Transfer,
	"_safeTransfer": Transfer, "_safeTransferFrom": Transfer,
	"_approve": Approve, "approve": Approve, "safeApprove": Approve, "forceApprove": Approve,
	"safeIncreaseAllowance": Approve, "_setApprovalForAll": Approve, "setApprovalForAll": Approve, "increaseAllowance": Approve,
	"sendValue": SendETH,
	// A proxy's _delegate is found by its DELEGATECALL; ERC20Votes' _delegate moves votes.
	"delegatecall": Delegatecall, "functionDelegateCall": Delegatecall,
	"selfdestruct": Selfdestruct, "suicide": Selfdestruct,
	"_transferOwnership": Authority, "transferOwnership": Authority, "_grantRole": Authority, "grantRole": Authority,
	"_setupRole": Authority, "_setRoleAdmin": Authority, "_changeAdmin": Authority, "changeAdmin": Authority, "_setAdmin": Authority,
	"_upgradeTo": Upgrade, "_upgradeToAndCall": Upgrade, "upgradeTo": Upgrade, "upgradeToAndCall": Upgrade,
	"_setImplementation": Upgrade, "_upgradeToAndCallUUPS": Upgrade, "_setBeacon": Upgrade, "_upgradeBeaconToAndCall": Upgrade,
}

// hookNames are the functions that decide who is authorised; an override
// of one changes who is, whatever the entry points say.
var hookNames = map[string]bool{
	"_checkOwner": true, "_checkRole": true, "hasRole": true, "owner": true, "_msgSender": true,
	"_authorizeUpgrade": true, "_isAuthorized": true, "_checkAuthorized": true, "isTrustedForwarder": true,
	"_checkProxyAdmin": true, "_contextSuffixLength": true,
	// The views other contracts trust for value: an override that returns
	// more (an allowance, an operator's approval, a quorum) spends
	// holders' tokens or passes proposals without a line of transfer code.
	"allowance": true, "isApprovedForAll": true, "getApproved": true, "balanceOf": true,
	"quorum": true, "proposalThreshold": true, "getVotes": true,
}

// proxySlots are the storage slots a proxy keeps its implementation,
// admin and beacon in (EIP-1967), and OpenZeppelin's initializer state:
// writing one replaces the code or re-opens initialization.
var proxySlots = map[string]string{
	"0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc": "EIP-1967 implementation",
	"0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103": "EIP-1967 admin",
	"0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50": "EIP-1967 beacon",
	"0xf0c57e16840df040f15088dc2f81fe391c3923bec73e23a9662efc9c229c6a00": "Initializable",
}

// Facts reads every deployable contract of the build.
func (b *Build) Facts() map[string]*Contract {
	out := map[string]*Contract{}
	names := map[string]int{}
	for _, p := range slices.Sorted(maps.Keys(b.Sources)) {
		src := b.Sources[p]
		for _, n := range src.AST.Nodes {
			// Solidity before 0.6 has no abstract keyword; its AST says
			// whether a contract is fully implemented.
			if n.NodeType != "ContractDefinition" || n.ContractKind != "contract" || n.Abstract || n.FullyImplemented != nil && !*n.FullyImplemented {
				continue
			}
			names[n.Name]++
			c := b.contract(src, n)
			out[c.Path+":"+c.Name] = c
		}
	}
	// Contracts are keyed by name where the name is unique, so that one
	// that moved between files is still the same contract.
	keyed := map[string]*Contract{}
	for k, c := range out {
		if names[c.Name] == 1 {
			k = c.Name
		}
		keyed[k] = c
	}
	return keyed
}

// hierarchy is one contract with its linearised bases resolved.
type hierarchy struct {
	b     *Build
	u     unit
	path  string
	bases []*Node // most derived first
	// consts are the hierarchy's constant (and literal immutable) values
	// by declaration id.
	consts map[int]string
	memo   map[string]*summary
	// variants counts the argument bindings a function was read with.
	variants map[int]int
	budget   int // nodes left to visit: bounds a hostile AST
	// authVars are state variables compared with the caller somewhere.
	authVars map[int]bool
	// scalars: which state variables are one value (see scalar).
	scalars map[string]bool
}

// maxVisits bounds the work per contract: a real contract visits well
// under a million nodes, entry points and callees together. maxVariants
// bounds the bindings one function is read with.
const (
	maxVisits   = 2_000_000
	maxVariants = 8
)

func (b *Build) contract(src *Source, n *Node) *Contract {
	h := &hierarchy{b: b, u: src.unit, path: src.Path, consts: map[int]string{}, memo: map[string]*summary{}, variants: map[int]int{}, budget: maxVisits, authVars: map[int]bool{}}
	c := &Contract{Name: n.Name, Path: src.Path, Line: b.Line(src.Path, n), Entries: map[string]*Entry{},
		Constants: map[string]string{}, Functions: map[string]*Literals{}, Hooks: map[string]string{}, Namespaces: map[string][]string{},
		Sources: map[string]bool{}}
	for _, id := range n.LinearizedBaseContracts {
		if base := h.u[id]; base != nil {
			h.bases = append(h.bases, base)
			c.Bases = append(c.Bases, base.Name)
		}
	}
	h.readState(c)
	c.Upgradeable, c.UpgradesFrom = upgradeable(h.bases)
	h.findAuthVars()
	h.entries(c)
	h.literals(c)
	for name := range hookNames {
		f := h.resolveName(name, nil, 0)
		// An override that only calls super (Solidity makes a contract
		// with two bases write one) is the base's implementation still.
		for f != nil && passThrough(f) {
			f = h.resolveName(name, paramTypes(f), f.Scope)
		}
		if f != nil {
			if owner := h.u[f.Scope]; owner != nil {
				c.Hooks[name] = owner.Name
			}
		}
	}
	for _, base := range h.bases {
		c.Sources[h.pathOf(base)] = true
	}
	compiled := b.Contracts[src.Path+":"+n.Name]
	c.Layout = layoutOf(compiled)
	c.NoLayout = compiled == nil || compiled.Layout == nil
	return c
}

// passThrough: a function whose body only returns (or calls) super's.
func passThrough(f *Node) bool {
	if f.Body == nil || len(f.Body.Statements) != 1 {
		return false
	}
	st := f.Body.Statements[0]
	if st.Expression == nil || st.NodeType != "Return" && st.NodeType != "ExpressionStatement" {
		return false
	}
	call := st.Expression
	if call.NodeType != "FunctionCall" || call.Expression == nil || call.Expression.NodeType != "MemberAccess" {
		return false
	}
	e := call.Expression
	return e.MemberName == f.Name && e.Expression != nil && e.Expression.NodeType == "Identifier" && e.Expression.Name == "super"
}

// readState records constants, immutables set from literals, and
// ERC-7201 namespaces.
func (h *hierarchy) readState(c *Contract) {
	for _, base := range h.bases {
		for _, m := range base.Nodes {
			switch {
			case m.NodeType == "VariableDeclaration" && m.Constant:
				if v := h.constValue(m.ValueNode()); v != "" {
					h.consts[m.ID] = v
					c.Constants[m.Name] = v
				}
			case m.NodeType == "StructDefinition":
				if id, ok := namespaceOf(m.Doc()); ok {
					var ms []string
					for _, f := range m.Members {
						ms = append(ms, strings.TrimSpace(strings.TrimSuffix(f.TypeDesc.TypeString, " storage ref"))+" "+f.Name)
					}
					c.Namespaces[id] = ms
				}
			}
		}
	}
	// Immutables take their value in the constructor; one given a literal
	// or a constant is as fixed as a constant.
	for _, base := range h.bases {
		for _, m := range base.Nodes {
			if m.NodeType != "FunctionDefinition" || m.Kind != "constructor" {
				continue
			}
			walk(m.Body, func(x *Node) bool {
				if x.NodeType != "Assignment" || x.Operator != "=" || x.LeftHandSide == nil || x.LeftHandSide.NodeType != "Identifier" {
					return true
				}
				d := h.u[x.LeftHandSide.ReferencedDeclaration]
				if d != nil && d.Mutability == "immutable" {
					if v := h.constValue(x.RightHandSide); v != "" {
						h.consts[d.ID] = v
						c.Constants[d.Name] = v
					}
				}
				return true
			})
		}
	}
}

// constOf is the fixed value of a constant (of the hierarchy, a library,
// a file), or "".
func (h *hierarchy) constOf(id int) string {
	if v, ok := h.consts[id]; ok {
		return v
	}
	d := h.u[id]
	if d == nil || d.NodeType != "VariableDeclaration" || !d.Constant {
		return ""
	}
	h.consts[id] = "" // a constant defined by itself stops here
	v := h.constValue(d.ValueNode())
	h.consts[id] = v
	return v
}

// namespaceOf reads "@custom:storage-location erc7201:<id>".
func namespaceOf(doc string) (string, bool) {
	_, rest, ok := strings.Cut(doc, "@custom:storage-location")
	if !ok {
		return "", false
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", false
	}
	return f[0], true
}

// constValue is a fixed value as text: an integer, an address (lower
// case), a string, or "" when the expression is not fixed.
func (h *hierarchy) constValue(v *Node) string {
	if v == nil {
		return ""
	}
	// A hex literal as written (solc abbreviates long integer constants in
	// their type: "int_const 1048...(41 digits omitted)...9554").
	if lv := v.LiteralValue(); v.NodeType == "Literal" && strings.HasPrefix(lv, "0x") {
		return strings.ToLower(lv)
	}
	if i, ok := v.IntConst(); ok {
		return i
	}
	switch v.NodeType {
	case "Literal":
		lv := v.LiteralValue()
		if strings.HasPrefix(lv, "0x") {
			return strings.ToLower(lv)
		}
		if v.Kind == "string" {
			return `"` + lv + `"`
		}
		return lv
	case "Identifier", "MemberAccess":
		if c := h.constOf(v.ReferencedDeclaration); c != "" {
			return c
		}
	case "FunctionCall":
		// A conversion keeps the value: address(0x…), bytes32(0x…).
		if v.Kind == "typeConversion" && len(v.Arguments) == 1 {
			return h.constValue(v.Arguments[0])
		}
		// keccak256("…") and the like: fixed, and the text says which.
		if isFixedCall(v) {
			return render(h, v, nil)
		}
	}
	return ""
}

// isFixedCall: a call of a pure built-in on fixed arguments.
func isFixedCall(v *Node) bool {
	if v.Expression == nil || v.Expression.NodeType != "Identifier" {
		return false
	}
	switch v.Expression.Name {
	case "keccak256", "sha256":
		for _, a := range v.Arguments {
			if a.NodeType != "Literal" {
				return false
			}
		}
		return true
	}
	return false
}

// upgradeable tells whether a hierarchy is meant to sit behind a proxy,
// and which contract an annotation says it upgrades.
func upgradeable(bases []*Node) (bool, string) {
	up, from := false, ""
	if len(bases) == 0 {
		return false, ""
	}
	// The annotations are the contract's own (a base's
	// @custom:oz-upgrades-unsafe-allow, as in EIP712, says nothing of
	// whether the contract is deployed behind a proxy).
	for _, line := range strings.Split(bases[0].Doc(), "\n") {
		f := strings.Fields(strings.TrimLeft(strings.TrimSpace(line), "/*"))
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "@custom:oz-upgrades":
			up = true
		case "@custom:oz-upgrades-from":
			up = true
			if len(f) > 1 {
				from = f[1]
				if _, name, ok := strings.Cut(from, ":"); ok {
					from = name
				}
			}
		}
	}
	for _, b := range bases {
		switch b.Name {
		case "Initializable", "UUPSUpgradeable", "ERC1967Upgrade", "ERC1967UpgradeUpgradeable", "Proxy", "ERC1967Proxy", "TransparentUpgradeableProxy":
			up = true
		}
	}
	if from == bases[0].Name {
		from = ""
	}
	return up, from
}

// entries collects the contract's entry points with what their paths do.
func (h *hierarchy) entries(c *Contract) {
	var ctors []*Node
	for _, base := range h.bases {
		for _, m := range base.Nodes {
			if m.NodeType != "FunctionDefinition" {
				continue
			}
			var sig string
			switch m.Kind {
			case "constructor":
				ctors = append(ctors, m)
				continue
			case "fallback", "receive":
				sig = m.Kind
			case "function":
				if m.Visibility != "public" && m.Visibility != "external" || m.Body == nil {
					continue
				}
				sig = m.Name + "(" + strings.Join(paramTypes(m), ",") + ")"
			default:
				continue
			}
			if _, ok := c.Entries[sig]; ok {
				continue // overridden by a more derived contract
			}
			s := h.function(m, nil)
			e := s.entry(sig)
			e.Path, e.Line = h.pathOf(m), h.lineOf(m)
			e.Initializer = hasInitializer(m)
			e.Payable = m.StateMutability == "payable"
			e.Name = m.Name
			c.Entries[sig] = e
		}
	}
	if len(ctors) > 0 {
		// Every constructor of the hierarchy runs at deployment.
		all := &summary{}
		for _, m := range ctors {
			all.merge(h.function(m, nil))
			walk(m.Body, func(x *Node) bool {
				if x.NodeType == "FunctionCall" && calleeName(x) == "_disableInitializers" {
					c.InitDisabled = true
				}
				return true
			})
		}
		e := all.entry("constructor")
		e.Path, e.Line = h.pathOf(ctors[0]), h.lineOf(ctors[0])
		c.Entries["constructor"] = e
	}
}

func hasInitializer(f *Node) bool {
	for _, m := range f.Modifiers {
		if m.ModifierName != nil {
			switch m.ModifierName.Name {
			case "initializer", "reinitializer":
				return true
			}
		}
	}
	return false
}

// paramTypes are a function's parameter types as in its signature.
func paramTypes(f *Node) []string {
	var ts []string
	for _, p := range f.Parameters() {
		t := p.TypeDesc.TypeString
		for _, loc := range []string{" storage ref", " storage pointer", " memory", " calldata", " payable"} {
			t = strings.ReplaceAll(t, loc, "")
		}
		t = strings.TrimPrefix(strings.TrimPrefix(t, "contract "), "struct ")
		ts = append(ts, t)
	}
	return ts
}

// pathOf is the source a declaration is in.
func (h *hierarchy) pathOf(n *Node) string {
	for c := h.u[n.Scope]; c != nil; c = h.u[c.Scope] {
		if c.NodeType == "SourceUnit" {
			return c.AbsolutePath
		}
		if c.Scope == c.ID {
			break
		}
	}
	return h.path
}

func (h *hierarchy) lineOf(n *Node) int { return h.b.Line(h.pathOf(n), n) }

// resolveName finds the implementation a call of name with these
// parameter types runs in this contract: the most derived one, searching
// after the contract `after` (for super) when it is not 0.
func (h *hierarchy) resolveName(name string, params []string, after int) *Node {
	started := after == 0
	for _, base := range h.bases {
		if !started {
			started = base.ID == after
			continue
		}
		for _, m := range base.Nodes {
			if (m.NodeType == "FunctionDefinition" || m.NodeType == "ModifierDefinition") && m.Name == name && m.Body != nil {
				if params == nil || slices.Equal(paramTypes(m), params) {
					return m
				}
			}
		}
	}
	return nil
}

// resolve is the declaration a call runs: the compiler's binding, moved to
// the most derived override for a virtual function.
func (h *hierarchy) resolve(d *Node, super bool, from *Node) *Node {
	if d == nil || d.NodeType != "FunctionDefinition" && d.NodeType != "ModifierDefinition" {
		return d
	}
	if owner := h.u[d.Scope]; owner == nil || owner.NodeType != "ContractDefinition" || owner.ContractKind == "library" {
		return d // a free function or a library's: bound as written
	}
	after := 0
	if super && from != nil {
		after = from.Scope
	}
	if r := h.resolveName(d.Name, paramTypes(d), after); r != nil {
		return r
	}
	return d
}

// findAuthVars marks the state variables some condition compares with the
// caller: writing one of them changes who is authorised.
func (h *hierarchy) findAuthVars() {
	for _, base := range h.bases {
		for _, m := range base.Nodes {
			if m.NodeType != "FunctionDefinition" && m.NodeType != "ModifierDefinition" {
				continue
			}
			walk(m.Body, func(x *Node) bool {
				if x.NodeType != "BinaryOperation" || x.Operator != "==" && x.Operator != "!=" {
					return true
				}
				l, r := x.LeftExpression, x.RightExpression
				if isSenderExpr(l) || isSenderExpr(r) {
					for _, side := range []*Node{l, r} {
						h.markStateReads(side, 2)
					}
				}
				return true
			})
		}
	}
}

// markStateReads marks the state variables an expression reads, looking
// into a getter it calls (owner() returns _owner).
func (h *hierarchy) markStateReads(e *Node, depth int) {
	walk(e, func(x *Node) bool {
		switch x.NodeType {
		case "Identifier":
			if d := h.u[x.ReferencedDeclaration]; d != nil {
				if d.NodeType == "VariableDeclaration" && d.StateVariable && !d.Constant {
					h.authVars[d.ID] = true
				}
				if d.NodeType == "FunctionDefinition" && depth > 0 {
					if f := h.resolve(d, false, nil); f != nil && f.Body != nil {
						h.markStateReads(f.Body, depth-1)
					}
				}
			}
		}
		return true
	})
}

// isSenderExpr: msg.sender or _msgSender(), syntactically.
func isSenderExpr(e *Node) bool {
	if e == nil {
		return false
	}
	switch e.NodeType {
	case "MemberAccess":
		return e.MemberName == "sender" && e.Expression != nil && e.Expression.NodeType == "Identifier" && e.Expression.Name == "msg"
	case "FunctionCall":
		if e.Kind == "typeConversion" && len(e.Arguments) == 1 {
			return isSenderExpr(e.Arguments[0])
		}
		return calleeName(e) == "_msgSender"
	}
	return false
}

// calleeName is the name of the function a call calls.
func calleeName(call *Node) string {
	e := call.Expression
	if e != nil && e.NodeType == "FunctionCallOptions" {
		e = e.Expression
	}
	if e == nil {
		return ""
	}
	switch e.NodeType {
	case "Identifier":
		return e.Name
	case "MemberAccess":
		return e.MemberName
	}
	return ""
}

// literals records, per function and modifier of the hierarchy, the
// integer constants and address literals its code uses.
func (h *hierarchy) literals(c *Contract) {
	var libs []*Node // library and free functions the hierarchy calls
	seen := map[int]bool{}
	record := func(owner string, m *Node) {
		l := &Literals{Path: h.pathOf(m), Line: h.lineOf(m)}
		h.collectLiterals(m.Body, l)
		for _, mod := range m.Modifiers {
			for _, a := range mod.Arguments {
				h.collectLiterals(a, l)
			}
		}
		walk(m.Body, func(x *Node) bool {
			if x.NodeType == "Identifier" || x.NodeType == "MemberAccess" {
				if d := h.u[x.ReferencedDeclaration]; d != nil && d.NodeType == "FunctionDefinition" && d.Body != nil && !seen[d.ID] {
					if o := h.u[d.Scope]; o == nil || o.NodeType == "SourceUnit" || o.ContractKind == "library" {
						seen[d.ID] = true
						libs = append(libs, d)
					}
				}
			}
			return true
		})
		if len(l.Ints)+len(l.Addrs)+len(l.Casts) == 0 {
			return
		}
		slices.Sort(l.Ints)
		slices.Sort(l.Addrs)
		l.Addrs = slices.Compact(l.Addrs)
		slices.Sort(l.Casts)
		l.Casts = slices.Compact(l.Casts)
		name := m.Name
		if m.Kind == "constructor" || m.Kind == "fallback" || m.Kind == "receive" {
			name = m.Kind
		}
		c.Functions[owner+"."+name+"("+strings.Join(paramTypes(m), ",")+")"] = l
	}
	for _, base := range h.bases {
		for _, m := range base.Nodes {
			if (m.NodeType == "FunctionDefinition" || m.NodeType == "ModifierDefinition") && m.Body != nil {
				record(base.Name, m)
			}
		}
	}
	// Code moved into a library (or a free function) keeps its values:
	// each library counts as a base of the contract, under "(lib)Name".
	for i := 0; i < len(libs) && i < 4096; i++ {
		owner := "(free)"
		if o := h.u[libs[i].Scope]; o != nil && o.NodeType == "ContractDefinition" {
			owner = libraryPrefix + o.Name
			if p := h.pathOf(libs[i]); !isDependency(p) && !slices.Contains(c.OwnLibraries, owner) {
				c.OwnLibraries = append(c.OwnLibraries, owner)
			}
		}
		record(owner, libs[i])
		c.Sources[h.pathOf(libs[i])] = true
	}
	slices.Sort(c.OwnLibraries)
}

// libraryPrefix names a library's functions in Contract.Functions.
const libraryPrefix = "(lib)"

// isDependency: a source path of installed packages or submodules, not of
// the project's own code.
func isDependency(p string) bool {
	return strings.HasPrefix(p, "@") || strings.HasPrefix(p, "lib/") || strings.Contains(p, "node_modules/")
}

// narrows: a conversion between integer types to fewer bits (uint256 to
// uint96, int256 to int128), which Solidity does without a check.
func narrows(from, to string) bool {
	// bitsOf is the width of an integer type, 0 for anything else (a
	// literal's "int_const 3", an address, bytesN).
	bitsOf := func(t string) int {
		n, ok := strings.CutPrefix(strings.TrimPrefix(t, "u"), "int")
		if !ok {
			return 0
		}
		if n == "" {
			return 256
		}
		if b, err := strconv.Atoi(n); err == nil && b > 0 && b <= 256 {
			return b
		}
		return 0
	}
	f, t := bitsOf(from), bitsOf(to)
	return f > 0 && t > 0 && t < f
}

func (h *hierarchy) collectLiterals(n *Node, l *Literals) {
	walk(n, func(x *Node) bool {
		if x.NodeType == "InlineAssembly" {
			return false
		}
		if v, ok := h.constInt(x, 0); ok {
			if s := v.String(); s != "0" && s != "1" {
				l.Ints = append(l.Ints, s)
			}
			return false
		}
		switch x.NodeType {
		case "Literal":
			if isAddrLiteral(x) {
				l.Addrs = append(l.Addrs, strings.ToLower(x.LiteralValue()))
			}
		case "Identifier", "MemberAccess":
			if v := h.constOf(x.ReferencedDeclaration); isAddr(v) {
				l.Addrs = append(l.Addrs, v)
			}
		case "FunctionCall":
			// address(uint160(uint256(SLOT))): an address hidden in a
			// bytes32 or integer constant is still a hard-coded address.
			if x.Kind == "typeConversion" && strings.HasPrefix(x.TypeDesc.TypeString, "address") {
				if a := asAddress(h.constValue(x)); a != "" {
					l.Addrs = append(l.Addrs, a)
					return false
				}
			}
			if x.Kind == "typeConversion" && len(x.Arguments) == 1 {
				if from, to := x.Arguments[0].TypeDesc.TypeString, x.TypeDesc.TypeString; narrows(from, to) {
					l.Casts = append(l.Casts, from+"→"+to)
				}
			}
		}
		return true
	})
}

// constInt evaluates a compile-time integer: a literal, a named constant,
// or arithmetic on them, so that `1000 ** 2`, `1_000_000` and
// `FEE_DENOM ** 2` are the same value.
func (h *hierarchy) constInt(x *Node, depth int) (*big.Int, bool) {
	if depth > 16 {
		return nil, false
	}
	if s, ok := x.IntConst(); ok {
		if strings.Contains(s, "...") {
			return nil, false
		}
		return new(big.Int).SetString(s, 10)
	}
	switch x.NodeType {
	case "Identifier", "MemberAccess":
		if v := h.constOf(x.ReferencedDeclaration); isInt(v) {
			return new(big.Int).SetString(v, 10)
		}
	case "TupleExpression":
		if len(x.Components) == 1 && x.Components[0] != nil {
			return h.constInt(x.Components[0], depth+1)
		}
	case "FunctionCall":
		if x.Kind == "typeConversion" && len(x.Arguments) == 1 && strings.HasPrefix(x.TypeDesc.TypeString, "uint") {
			return h.constInt(x.Arguments[0], depth+1)
		}
	case "BinaryOperation":
		a, ok1 := h.constInt(x.LeftExpression, depth+1)
		b, ok2 := h.constInt(x.RightExpression, depth+1)
		if !ok1 || !ok2 {
			return nil, false
		}
		r := new(big.Int)
		switch x.Operator {
		case "+":
			return r.Add(a, b), true
		case "-":
			return r.Sub(a, b), true
		case "*":
			return r.Mul(a, b), true
		case "/":
			if b.Sign() != 0 {
				return r.Quo(a, b), true
			}
		case "%":
			if b.Sign() != 0 {
				return r.Rem(a, b), true
			}
		case "**":
			if b.IsInt64() && b.Int64() <= 256 && a.BitLen() <= 256 {
				return r.Exp(a, b, nil), true
			}
		}
	}
	return nil, false
}

// asAddress is the address a fixed hex or decimal value converts to (its
// low 20 bytes), or "" for none or zero.
func asAddress(v string) string {
	n, ok := new(big.Int), false
	switch {
	case strings.HasPrefix(v, "0x") && len(v) <= 66:
		_, ok = n.SetString(v[2:], 16)
	case isInt(v):
		_, ok = n.SetString(v, 10)
	}
	if !ok || n.Sign() <= 0 || n.BitLen() > 256 {
		return ""
	}
	if a := strings.ToLower(common.BigToAddress(n).Hex()); isAddr(a) {
		return a
	}
	return ""
}

func isAddrLiteral(x *Node) bool {
	v := x.LiteralValue()
	return strings.HasPrefix(x.TypeDesc.TypeString, "address") && isAddr(strings.ToLower(v))
}

// isAddr: a 20-byte hex value that is not zero.
func isAddr(v string) bool {
	return len(v) == 42 && strings.HasPrefix(v, "0x") && strings.Trim(v[2:], "0") != ""
}

// isInt: a decimal integer as written out in full (solc abbreviates long
// ones in types: "1048...(41 digits omitted)...9554").
func isInt(v string) bool {
	return v != "" && strings.Trim(v, "0123456789-") == ""
}

// Parameters are a function's or modifier's parameter declarations.
func (n *Node) Parameters() []*Node {
	if n.Params.list == nil {
		return nil
	}
	return n.Params.list.Params.items
}

// sortedKeys of a set.
func sortedKeys(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}
