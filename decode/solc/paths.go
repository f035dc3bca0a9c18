package solc

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// summary is what the paths through one function (with its modifiers and
// everything it calls) check and do.
type summary struct {
	checks  map[string]bool
	actions map[string]map[string]bool
	gates   map[string]bool
	writes  map[string]bool // state variables assigned
	// requires are the conditions execution must meet (each a set of
	// alternatives), the caller's identity or not.
	requires map[string]bool
	slotRef  bool // reads a proxy-slot constant
	sstore   bool // writes storage by slot
	// guarded: some condition on every path lets only chosen callers
	// through (all its alternatives are who the caller is).
	guarded bool
	// allowance: the paths spend an allowance (moving someone's tokens
	// with their consent).
	allowance bool
	// called: some path makes an external call that can run other code
	// (a low-level call, or a state-changing function of another
	// contract). early are the state variables written before any such
	// call on the way there, late those written after one: a variable
	// that moves from early to late can be read stale by a callee that
	// calls back in (reentrancy).
	called      bool
	early, late map[string]bool
	// In a modifier, post are the writes after its placeholder `_;`,
	// which run after the function's body (afterBody: past it).
	afterBody bool
	post      map[string]bool
	// locked: the function's own modifiers hold a reentrancy lock.
	locked bool
	// checkedFirst: a condition reverts before any external call (and,
	// in a modifier, before `_;`); guards are the state variables such
	// conditions read. tstorePre, tstorePost: a modifier's assembly
	// writes transient storage before and after `_;`.
	checkedFirst          bool
	guards                map[string]bool
	tstorePre, tstorePost bool
	// unlocks are what the function's own modifiers write after `_;`.
	unlocks map[string]bool
	// keyed are state variables written at a key the caller names
	// (balances[to]): value moved to another account's entry.
	keyed map[string]bool
}

// write notes an assignment to the state variable name.
func (s *summary) write(name string) {
	setAdd(&s.writes, name)
	s.place(name)
}

// place files a write that happens now: after the body (in a modifier,
// past `_;`), after an external call, or before any.
func (s *summary) place(name string) {
	switch {
	case s.afterBody:
		setAdd(&s.post, name)
	case s.called:
		setAdd(&s.late, name)
	default:
		setAdd(&s.early, name)
	}
}

func (s *summary) add(kind, detail string) {
	if s.actions == nil {
		s.actions = map[string]map[string]bool{}
	}
	if s.actions[kind] == nil {
		s.actions[kind] = map[string]bool{}
	}
	if detail != "" {
		s.actions[kind][detail] = true
	}
}

func (s *summary) merge(o *summary) {
	for k := range o.checks {
		setAdd(&s.checks, k)
	}
	for k, ds := range o.actions {
		s.add(k, "")
		for d := range ds {
			s.actions[k][d] = true
		}
	}
	for g := range o.gates {
		setAdd(&s.gates, g)
	}
	for w := range o.writes {
		setAdd(&s.writes, w)
	}
	// o runs after what s has done so far: after an external call of s,
	// every write of o is late; past a modifier's `_;`, after the body.
	for w := range o.early {
		s.place(w)
	}
	for w := range o.late {
		if s.afterBody {
			setAdd(&s.post, w)
		} else {
			setAdd(&s.late, w)
		}
	}
	if first := !s.called && !s.afterBody; first {
		for g := range o.guards {
			setAdd(&s.guards, g)
		}
		s.checkedFirst = s.checkedFirst || o.checkedFirst
	}
	for k := range o.keyed {
		setAdd(&s.keyed, k)
	}
	s.called = s.called || o.called
	for r := range o.requires {
		setAdd(&s.requires, r)
	}
	s.slotRef = s.slotRef || o.slotRef
	s.sstore = s.sstore || o.sstore
	s.guarded = s.guarded || o.guarded
	s.allowance = s.allowance || o.allowance
}

// condSuffix marks a check found on some paths only (inside a branch, a
// loop or a try clause): it does not guard the others.
const condSuffix = " (on some paths)"

// mergeCond merges what a branch does: its checks hold on some paths only.
func (s *summary) mergeCond(o *summary) {
	guarded := s.guarded
	c := *o
	c.checks, c.requires = nil, nil
	for k := range o.checks {
		if !strings.HasSuffix(k, condSuffix) {
			k += condSuffix
		}
		setAdd(&c.checks, k)
	}
	for k := range o.requires {
		if !strings.HasSuffix(k, condSuffix) {
			k += condSuffix
		}
		setAdd(&c.requires, k)
	}
	s.merge(&c)
	s.guarded = guarded
}

func setAdd(m *map[string]bool, k string) {
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[k] = true
}

// entry is the summary as an entry point's facts.
func (s *summary) entry(sig string) *Entry {
	e := &Entry{Sig: sig, Checks: sortedKeys(s.checks), Gates: sortedKeys(s.gates), Writes: sortedKeys(s.writes), Requires: sortedKeys(s.requires), Actions: map[string][]string{}, Guarded: s.guarded,
		EarlyWrites: sortedKeys(s.early), LateWrites: sortedKeys(s.late), KeyedWrites: sortedKeys(s.keyed), Locked: s.locked}
	for g := range s.guards {
		// A flag read in a reverting condition before any call, set
		// before the call and set again after it or after the body
		// (Uniswap's `require(unlocked == 1); unlocked = 0; _;
		// unlocked = 1;`, an inline mutex) is a lock.
		e.Locked = e.Locked || s.early[g] && (s.late[g] || s.unlocks[g])
	}
	for k, ds := range s.actions {
		if k == Transfer && !s.allowance && ds[fromOther] {
			// Someone else's tokens moved with no allowance spent on the
			// way: a transferFrom that asks nobody.
			ds = maps.Clone(ds)
			delete(ds, fromOther)
			ds[fromOther+", spending no allowance"] = true
		}
		e.Actions[k] = sortedKeys(ds)
	}
	if s.slotRef && s.sstore {
		e.Actions[ProxySlot] = []string{}
	}
	return e
}

// frame is one function's view of names: parameters bound to what the
// caller passed, locals that hold the caller or a recovered signer.
type frame struct {
	fn     *Node
	bind   map[int]string
	locals map[int]string
	// pointers are local storage pointers, by declaration, to the state
	// variable they point into.
	pointers map[int]*Node
}

// Canonical names of the caller and of an address recovered from a
// signature, in rendered conditions.
const (
	anyAddress = "to an address the caller names"
	fromOther  = "from an address the caller names"
	senderTok  = "@sender"
	signerTok  = "@signer"
)

// function summarises f called with its parameters bound as bind.
func (h *hierarchy) function(f *Node, bind map[int]string) *summary {
	if bind == nil {
		// An entry point's own parameters are whatever the caller passes:
		// named by position, so that renaming one changes no check.
		bind = map[int]string{}
		for i, p := range f.Parameters() {
			bind[p.ID] = "arg" + strconv.Itoa(i)
		}
	}
	key := strconv.Itoa(f.ID)
	for _, p := range f.Parameters() {
		if v, ok := bind[p.ID]; ok {
			key += "|" + v
		} else {
			key += "|"
		}
	}
	if s, ok := h.memo[key]; ok {
		return s // done, or in progress (a recursive call adds nothing new)
	}
	if h.variants[f.ID]++; h.variants[f.ID] > maxVariants {
		// A function reached with many different arguments (a hostile
		// fan-out): read once more with nothing bound, and reuse that.
		key = strconv.Itoa(f.ID) + "|*"
		if s, ok := h.memo[key]; ok {
			return s
		}
		bind = map[int]string{}
	}
	s := &summary{}
	h.memo[key] = s
	fr := &frame{fn: f, bind: bind, locals: map[int]string{}, pointers: map[int]*Node{}}
	var mods []*summary
	for _, m := range f.Modifiers {
		if m.ModifierName == nil {
			continue
		}
		d := h.resolve(h.u[m.ModifierName.ReferencedDeclaration], false, nil)
		if d == nil || d.NodeType != "ModifierDefinition" {
			continue
		}
		ms := h.function(d, h.bindArgs(d, m.Arguments, 0, fr))
		// OpenZeppelin's and Solady's own lock, or a transient one (a
		// check first, tstore before `_;` and after it); not one taken
		// after a modifier that already called out (a harvest before
		// nonReentrant), which does not cover that call.
		if !s.called && (h.trustedLock(d) || ms.checkedFirst && ms.tstorePre && ms.tstorePost) {
			s.locked = true
		}
		s.merge(ms)
		mods = append(mods, ms)
	}
	h.visit(f.Body, fr, s)
	for _, ms := range mods {
		for w := range ms.post { // a modifier's code after `_;`
			s.write(w)
			setAdd(&s.unlocks, w)
		}
	}
	return s
}

// trustedLock: OpenZeppelin's or Solady's own nonReentrant, whose storage
// (an ERC-7201 slot, transient storage) the facts cannot follow. A
// look-alike anywhere else is judged by what it does (see entry).
func (h *hierarchy) trustedLock(m *Node) bool {
	if !strings.HasPrefix(m.Name, "nonReentrant") {
		return false
	}
	for _, c := range h.bases { // a modifier has no scope: find its contract
		if slices.Contains(c.Nodes, m) {
			p := h.pathOf(c)
			return strings.HasPrefix(c.Name, "ReentrancyGuard") &&
				(strings.HasPrefix(p, "@openzeppelin/contracts") || strings.HasPrefix(p, "solady/") || strings.Contains(p, "/solady/"))
		}
	}
	return false
}

// bindArgs binds a callee's parameters to the caller's arguments as
// rendered in the caller's frame; skip is 1 when the first parameter is
// the object of a `using … for` call.
func (h *hierarchy) bindArgs(callee *Node, args []*Node, skip int, fr *frame) map[int]string {
	ps := callee.Parameters()
	b := map[int]string{}
	for i, a := range args {
		if i+skip < len(ps) {
			b[ps[i+skip].ID] = render(h, a, fr)
		}
	}
	return b
}

// visit walks a body, adding what it checks and does to s. What a branch,
// a loop or a try clause holds happens on some paths only.
func (h *hierarchy) visit(n *Node, fr *frame, s *summary) {
	walk(n, func(x *Node) bool {
		if h.budget--; h.budget < 0 {
			return false
		}
		switch x.NodeType {
		case "VariableDeclarationStatement":
			h.declare(x, fr)
		case "PlaceholderStatement":
			s.afterBody = true
		case "Assignment":
			h.assign(x, fr, s)
		case "UnaryOperation":
			if x.Operator == "delete" || x.Operator == "++" || x.Operator == "--" {
				if d := h.rootVarIn(x.SubExpression, fr); d != nil {
					s.write(d.Name)
					if h.argKeyed(x.SubExpression, fr) {
						setAdd(&s.keyed, d.Name)
					}
				}
			}
		case "IfStatement":
			if reverts(x.TrueBody) {
				h.condition(x.Condition, true, fr, s)
			}
			if reverts(x.FalseBody) {
				h.condition(x.Condition, false, fr, s)
			}
			h.visit(x.Condition, fr, s)
			failed := h.callFailed(x.Condition, fr)
			for i, b := range []*Node{x.TrueBody, x.FalseBody} {
				if b != nil && !reverts(b) {
					h.branchOn(b, fr, s, failed && i == 0)
				}
			}
			return false
		case "ForStatement", "WhileStatement", "DoWhileStatement":
			h.visit(x.InitExpression, fr, s)
			h.visit(x.Condition, fr, s)
			h.branch(x.Body, fr, s)
			h.branch(x.LoopExpression, fr, s)
			return false
		case "TryStatement":
			h.visit(x.ExternalCall, fr, s)
			for i, c := range x.Clauses {
				h.branchOn(c, fr, s, i > 0) // the catch clauses: the call failed
			}
			return false
		case "Conditional":
			h.visit(x.Condition, fr, s)
			h.branch(x.TrueExpression, fr, s)
			h.branch(x.FalseExpression, fr, s)
			return false
		case "FunctionCall":
			h.call(x, fr, s)
		case "Identifier":
			if v := h.constOf(x.ReferencedDeclaration); proxySlots[v] != "" {
				s.slotRef = true
			}
		case "Literal":
			if strings.Contains(x.LiteralValue(), "eip1967.proxy") {
				s.slotRef = true
			}
		case "InlineAssembly":
			// Solidity names the assembly block reads (SLOT in sstore(SLOT,
			// x)) are its external references: a proxy-slot constant, of the
			// hierarchy or a library, is one of them.
			for _, r := range x.ExternalReferences {
				if proxySlots[h.constOf(r.Declaration)] != "" {
					s.slotRef = true
				}
			}
			if h.assembly(x.AST, s) {
				// sstore at balances.slot (or a key hashed with it) writes
				// balances: as much a write as an assignment.
				for _, r := range x.ExternalReferences {
					if d := h.u[r.Declaration]; r.Suffix == "slot" && d != nil && d.StateVariable {
						s.write(d.Name)
					}
				}
			}
			return false
		}
		return true
	})
}

// branch visits code that runs on some paths only.
func (h *hierarchy) branch(n *Node, fr *frame, s *summary) { h.branchOn(n, fr, s, false) }

// branchOn is branch; failed says the code runs only when the external
// call just made failed (a catch clause, `if (!ok)`): what it writes
// then (an undo, a retry mark) is no state a callee could have re-entered
// on, so it counts neither before nor after the call.
func (h *hierarchy) branchOn(n *Node, fr *frame, s *summary, failed bool) {
	if n == nil {
		return
	}
	sub := &summary{}
	h.visit(n, fr, sub)
	if failed {
		sub.early, sub.late = nil, nil
	}
	s.mergeCond(sub)
}

// callFailed: the condition holds when a low-level call failed (`!ok`
// where ok is its success, `ok == false`).
func (h *hierarchy) callFailed(cond *Node, fr *frame) bool {
	r := render(h, cond, fr)
	return strings.Contains(r, ".call") && (strings.HasPrefix(r, "!") || strings.Contains(r, "==false") || strings.Contains(r, "false=="))
}

// declare notes what a local holds: the caller, a recovered signer, or
// the expression it was given (`address o = owner();` is the owner in a
// later check; `(address admin, ) = (msg.sender, x)` is the caller, not
// the admin).
func (h *hierarchy) declare(x *Node, fr *frame) {
	if x.InitialValue == nil {
		return
	}
	values := []*Node{x.InitialValue}
	if x.InitialValue.NodeType == "TupleExpression" && len(x.InitialValue.Components) == len(x.Declarations) {
		values = x.InitialValue.Components
	}
	for i, d := range x.Declarations {
		if d == nil || i >= len(values) || values[i] == nil {
			continue
		}
		if d.StorageLocation == "storage" {
			if v := h.rootVarIn(values[i], fr); v != nil {
				fr.pointers[d.ID] = v
			}
		}
		if tok := holder(h, values[i], fr); tok != "" {
			fr.locals[d.ID] = tok
		} else if r := render(h, values[i], fr); len(r) < 120 {
			fr.locals[d.ID] = r
		}
	}
}

// holder: the caller or a signer, when an expression yields one.
func holder(h *hierarchy, e *Node, fr *frame) string {
	if r := render(h, e, fr); r == senderTok || r == signerTok {
		return r
	}
	if e.NodeType == "FunctionCall" {
		switch calleeName(e) {
		case "recover", "ecrecover", "tryRecover":
			return signerTok
		}
	}
	return ""
}

// assign notes writes of authority variables, locals that come to hold
// the caller, and stores through StorageSlot.
func (h *hierarchy) assign(x *Node, fr *frame, s *summary) {
	lhs := x.LeftHandSide
	if lhs == nil {
		return
	}
	if lhs.NodeType == "Identifier" {
		if _, local := fr.locals[lhs.ReferencedDeclaration]; local || h.isLocal(lhs.ReferencedDeclaration) {
			if tok := holder(h, x.RightHandSide, fr); tok != "" {
				fr.locals[lhs.ReferencedDeclaration] = tok
			}
			return
		}
	}
	if lhs.NodeType == "MemberAccess" && lhs.MemberName == "value" && lhs.Expression != nil && lhs.Expression.NodeType == "FunctionCall" &&
		strings.HasSuffix(calleeName(lhs.Expression), "Slot") {
		s.sstore = true
		if len(lhs.Expression.Arguments) > 0 && mentionsArg(render(h, lhs.Expression.Arguments[0], fr)) {
			// A slot computed from what the caller passes can be any
			// slot: the implementation's, the owner's.
			s.add(ProxySlot, "a storage slot the caller chooses")
		}
	}
	if lhs.NodeType == "TupleExpression" {
		// (a, b) = (x, y): each is written.
		for _, c := range lhs.Components {
			if d := h.rootVarIn(c, fr); d != nil {
				s.write(d.Name)
			}
		}
		return
	}
	if d := h.rootVarIn(lhs, fr); d != nil {
		s.write(d.Name)
		if h.argKeyed(lhs, fr) {
			setAdd(&s.keyed, d.Name)
		}
		if h.authVars[d.ID] {
			s.add(Authority, d.Name)
		}
	}
}

func (h *hierarchy) isLocal(id int) bool {
	d := h.u[id]
	return d != nil && d.NodeType == "VariableDeclaration" && !d.StateVariable
}

// rootVar is the state variable an lvalue writes into (m[k].f → m).
func (h *hierarchy) rootVar(e *Node) *Node {
	for e != nil {
		switch e.NodeType {
		case "Identifier":
			d := h.u[e.ReferencedDeclaration]
			if d != nil && d.NodeType == "VariableDeclaration" && d.StateVariable {
				return d
			}
			return nil
		case "IndexAccess":
			e = e.BaseExpression
		case "MemberAccess":
			e = e.Expression
		default:
			return nil
		}
	}
	return nil
}

// argKeyed: some index on the way to e's root is what the caller passes
// (balances[to], allowance[from][msg.sender]).
func (h *hierarchy) argKeyed(e *Node, fr *frame) bool {
	for x := e; x != nil; {
		switch x.NodeType {
		case "IndexAccess":
			if x.IndexExpression != nil && mentionsArg(render(h, x.IndexExpression, fr)) {
				return true
			}
			x = x.BaseExpression
		case "MemberAccess":
			x = x.Expression
		default:
			return false
		}
	}
	return false
}

// rootVarIn is rootVar seen through the frame's storage pointers: `Account
// storage a = accounts[x]; a.bal = 0;` writes accounts.
func (h *hierarchy) rootVarIn(e *Node, fr *frame) *Node {
	for x := e; x != nil; {
		switch x.NodeType {
		case "Identifier":
			if d, ok := fr.pointers[x.ReferencedDeclaration]; ok {
				return d
			}
			return h.rootVar(x)
		case "IndexAccess":
			x = x.BaseExpression
		case "MemberAccess":
			x = x.Expression
		default:
			return nil
		}
	}
	return nil
}

// reverts: a statement that always reverts (revert, revert E(), a block
// that does).
func reverts(st *Node) bool {
	if st == nil {
		return false
	}
	switch st.NodeType {
	case "RevertStatement":
		return true
	case "ExpressionStatement":
		return st.Expression != nil && st.Expression.NodeType == "FunctionCall" && calleeName(st.Expression) == "revert"
	case "Block":
		return slices.ContainsFunc(st.Statements, reverts)
	case "IfStatement":
		return reverts(st.TrueBody) && reverts(st.FalseBody)
	}
	return false
}

// call handles one call: checks (require, assert), actions, and the paths
// into what it calls.
func (h *hierarchy) call(x *Node, fr *frame, s *summary) {
	name := calleeName(x)
	switch name {
	case "require", "assert":
		if len(x.Arguments) > 0 {
			h.condition(x.Arguments[0], false, fr, s)
		}
		return
	}
	h.action(x, name, fr, s)
	e := x.Expression
	if e == nil {
		return
	}
	if h.external(x, name, fr) {
		s.called = true
	}
	if (name == "push" || name == "pop") && e.NodeType == "MemberAccess" {
		if d := h.rootVarIn(e.Expression, fr); d != nil {
			s.write(d.Name) // a state array grown or shrunk
		}
	}
	switch e.NodeType {
	case "Identifier":
		if d := h.resolve(h.u[e.ReferencedDeclaration], false, nil); d != nil && d.NodeType == "FunctionDefinition" && d.Body != nil {
			h.into(d, x.Arguments, 0, fr, s)
		}
	case "MemberAccess":
		d := h.u[e.ReferencedDeclaration]
		if d == nil || d.NodeType != "FunctionDefinition" || d.Body == nil {
			return
		}
		owner := h.u[d.Scope]
		switch {
		case e.Expression != nil && e.Expression.NodeType == "Identifier" && e.Expression.Name == "super":
			h.into(h.resolve(d, true, fr.fn), x.Arguments, 0, fr, s)
		case owner != nil && owner.ContractKind == "library":
			skip := 0
			if len(x.Arguments) < len(d.Parameters()) {
				skip = 1 // `using L for T`: the object is the first parameter
			}
			b := h.bindArgs(d, x.Arguments, skip, fr)
			if skip == 1 && len(d.Parameters()) > 0 {
				b[d.Parameters()[0].ID] = render(h, e.Expression, fr)
			}
			ls := h.function(d, b)
			if h.pull(x, name, fr) {
				c := *ls // SafeERC20's pull: its call is no reentry point (see pull)
				c.called = false
				ls = &c
			}
			s.merge(ls)
		case owner != nil && slices.Contains(h.bases, owner):
			// C.f() on a base of this contract, internally.
			h.into(h.resolve(d, false, nil), x.Arguments, 0, fr, s)
		}
	}
}

// external reports whether a call can run code the contract does not
// control before it returns: a low-level call, or a function of another
// contract that may change state (not a view, not one of its own through
// this). A token's transfer counts: the token may call back (ERC-777
// hooks, a token the caller names).
func (h *hierarchy) external(x *Node, name string, fr *frame) bool {
	e := x.Expression
	if e.NodeType == "FunctionCallOptions" {
		e = e.Expression
	}
	if e == nil || h.pull(x, name, fr) {
		return false
	}
	if e.NodeType == "MemberAccess" && e.Expression != nil {
		if strings.HasPrefix(e.Expression.TypeDesc.TypeString, "address") {
			return name == "call" && render(h, e.Expression, fr) != "this"
		}
		if render(h, e.Expression, fr) == "this" {
			return false
		}
	}
	// "function (address,uint256) payable external returns (bool)": a
	// member of another contract, or a variable of external function type.
	t := e.TypeDesc.TypeString
	return strings.HasPrefix(t, "function ") && strings.Contains(t, " external") &&
		!strings.Contains(t, " view") && !strings.Contains(t, " pure")
}

// pull: the caller's tokens taken into the contract (transferFrom or
// safeTransferFrom from the caller to this). OpenZeppelin's ERC4626 takes
// the assets before it mints, and says why: a hook that runs then (ERC-777's
// tokensToSend) finds the state as it was before the deposit, which is
// valid. Crediting after the pull is no reentrancy.
func (h *hierarchy) pull(x *Node, name string, fr *frame) bool {
	if name != "transferFrom" && name != "safeTransferFrom" {
		return false
	}
	from, to := false, false
	for _, a := range x.Arguments {
		switch render(h, a, fr) {
		case senderTok:
			from = true
		case "this":
			to = true
		}
	}
	return from && to
}

func (h *hierarchy) into(d *Node, args []*Node, skip int, fr *frame, s *summary) {
	if d == nil || d.Body == nil {
		return
	}
	s.merge(h.function(d, h.bindArgs(d, args, skip, fr)))
}

// action records what a call does to value or authority.
func (h *hierarchy) action(x *Node, name string, fr *frame, s *summary) {
	e := x.Expression
	if e != nil && e.NodeType == "FunctionCallOptions" {
		if i := slices.Index(e.Names, "value"); name == "call" && i >= 0 && i < len(e.Options) && render(h, e.Options[i], fr) != "0" {
			h.sendETH(e.Expression.Expression, fr, s)
		}
		e = e.Expression
	}
	if e == nil {
		return
	}
	switch name {
	case "_spendAllowance", "_useAllowance", "spendAllowance":
		s.allowance = true
	}
	onAddress := e.NodeType == "MemberAccess" && e.Expression != nil && strings.HasPrefix(e.Expression.TypeDesc.TypeString, "address")
	switch {
	case onAddress && (name == "transfer" || name == "send"):
		h.sendETH(e.Expression, fr, s)
		return
	case onAddress && (name == "delegatecall" || name == "callcode"):
		if render(h, e.Expression, fr) != "this" { // a multicall into itself is not other code
			s.add(Delegatecall, "")
		}
		return
	case onAddress && name == "call":
		// A call from the contract is made with its authority: to itself it
		// passes every `msg.sender == address(this)` check; to an address
		// and with data the caller names, it can spend what users approved.
		switch target := render(h, e.Expression, fr); {
		case target == "this":
			s.add(SelfCall, "")
		case mentionsArg(target) && len(x.Arguments) > 0 && strings.HasPrefix(render(h, x.Arguments[0], fr), "arg"):
			// (Data the contract encodes itself, as SafeERC20 does for a
			// token the caller names, is a call it chose.)
			s.add(ArbitraryCall, "")
		}
		return
	case onAddress:
		return // staticcall, code, balance
	}
	if name == "functionDelegateCall" && len(x.Arguments) > 0 && render(h, x.Arguments[0], fr) == "this" {
		return // OpenZeppelin's Multicall: into itself
	}
	kind := actionNames[name]
	if name == "transfer" && e.NodeType == "MemberAccess" {
		kind = Transfer // an ERC-20's transfer, on a contract
	}
	if kind == "" {
		return
	}
	args := x.Arguments
	from := 0 // which argument names whose value moves
	if e.NodeType == "MemberAccess" && !strings.HasPrefix(name, "_") {
		// token.transfer(to, v) moves this contract's tokens;
		// token.transferFrom(from, to, v) and SafeERC20's
		// safeTransferFrom(token, from, to, v) name the owner.
		switch name {
		case "transfer", "safeTransfer", "approve", "safeApprove", "forceApprove", "safeIncreaseAllowance", "burn":
			from = -1
		case "safeTransferFrom":
			if len(args) == 4 && h.isLibraryCall(e) {
				from = 1
			}
		}
	}
	callers := from >= 0 && from < len(args) && isWho(render(h, args[from], fr))
	detail := ""
	for _, a := range args {
		if d := h.addrDetail(a, fr); d != "" {
			detail = d
		}
	}
	switch kind {
	case Burn:
		if callers {
			return // the caller burning what is theirs
		}
	case Approve:
		if callers {
			// The caller approving a spender they name is what approve is
			// for; their tokens approved to someone the code picks is not.
			if from+1 >= len(args) || mentionsArg(render(h, args[from+1], fr)) {
				return
			}
			detail = cmp.Or(detail, "the caller's tokens, to "+render(h, args[from+1], fr))
		}
	case Transfer:
		if callers && detail == "" {
			return // the caller moving what is theirs
		}
		if detail == "" {
			to := 0 // transfer(to, v)
			if len(args) >= 3 {
				to = len(args) - 2 // transferFrom(from, to, v), safeTransferFrom(token, from, to, v)
			}
			rcpt := ""
			if to < len(args) {
				rcpt = render(h, args[to], fr)
			}
			switch {
			case from >= 0 && mentionsArg(rcpt):
				detail = fromOther // someone else's tokens, where the caller says
			case rcpt == senderTok:
				return // the contract paying the caller: a withdrawal
			case rcpt != "" && !mentionsArg(rcpt):
				detail = "to " + rcpt // a party the code picks (a fee sink, the owner)
			default:
				detail = anyAddress
			}
		}
	}
	s.add(kind, detail)
}

// mentionsArg: an expression built from the entry point's arguments.
func mentionsArg(r string) bool {
	for i := 0; i+3 < len(r); i++ {
		if r[i:i+3] == "arg" && r[i+3] >= '0' && r[i+3] <= '9' && (i == 0 || !isIdent(r[i-1])) {
			return true
		}
	}
	return false
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// sendETH records ETH sent to a recipient: to the caller is a
// withdrawal of their own; elsewhere is named.
func (h *hierarchy) sendETH(to *Node, fr *frame, s *summary) {
	if render(h, to, fr) == senderTok {
		return
	}
	r := render(h, to, fr)
	switch {
	case h.addrDetail(to, fr) != "":
		s.add(SendETH, h.addrDetail(to, fr))
	case mentionsArg(r):
		s.add(SendETH, anyAddress)
	default:
		s.add(SendETH, "to "+r) // a party the code picks (the owner)
	}
}

func (h *hierarchy) isLibraryCall(e *Node) bool {
	d := h.u[e.ReferencedDeclaration]
	if d == nil {
		return false
	}
	owner := h.u[d.Scope]
	return owner != nil && owner.ContractKind == "library"
}

// addrDetail is a hard-coded address an argument holds, or "".
func (h *hierarchy) addrDetail(a *Node, fr *frame) string {
	if a == nil {
		return ""
	}
	if v := h.constValue(a); isAddr(v) {
		return v
	}
	return ""
}

// assembly reads inline assembly: stores by slot, delegatecall,
// selfdestruct, calls with value. It reports whether the block sstores.
func (h *hierarchy) assembly(n *Node, s *summary) (stores bool) {
	walk(n, func(x *Node) bool {
		if x.NodeType == "YulLiteral" && proxySlots[strings.ToLower(x.LiteralValue())] != "" {
			s.slotRef = true
		}
		if x.NodeType != "YulFunctionCall" || x.FunctionName == nil {
			return true
		}
		switch x.FunctionName.Name {
		case "sstore":
			s.sstore, stores = true, true
		case "tstore":
			if s.afterBody {
				s.tstorePost = true
			} else {
				s.tstorePre = true
			}
		case "delegatecall", "callcode":
			s.add(Delegatecall, "")
		case "selfdestruct":
			s.add(Selfdestruct, "")
		case "call":
			s.called = true
			if len(x.Arguments) > 2 {
				if v := x.Arguments[2]; !(v.NodeType == "YulLiteral" && v.LiteralValue() == "0") {
					s.add(SendETH, "")
				}
			}
		}
		return true
	})
	return stores
}
