package solc

import (
	"slices"
	"strings"
)

// condition records a condition that must hold to get past a revert: pass
// is cond, or its negation when neg (if (cond) revert). A condition with a
// term that lets someone through for who they are is a check, and all its
// terms are what the check accepts; every condition's state reads are
// gates.
func (h *hierarchy) condition(cond *Node, neg bool, fr *frame, s *summary) {
	if cond == nil {
		return
	}
	terms := h.disj(cond, neg, fr, 0)
	who := func(t term) bool { return t.who }
	if slices.ContainsFunc(terms, who) {
		for _, t := range terms {
			setAdd(&s.checks, t.text)
		}
		// Only a condition whose every alternative is about who calls
		// keeps everyone else out (owner || timestamp > x lets all in).
		s.guarded = s.guarded || !slices.ContainsFunc(terms, func(t term) bool { return !t.who })
	}
	for _, r := range h.requirements(cond, neg, fr, 0) {
		setAdd(&s.requires, r)
	}
	read := &summary{}
	h.gates(cond, read, 2)
	first := !s.called && !s.afterBody // checked before any call: a lock's check
	s.checkedFirst = s.checkedFirst || first
	for g := range read.gates {
		setAdd(&s.gates, g)
		if first && h.scalar(g) {
			// A lock is one flag: a mapping (a lock per caller) lets
			// another caller's contract re-enter.
			setAdd(&s.guards, g)
		}
	}
}

// requirements are what a condition demands, as a conjunction: each
// element one requirement written as its sorted alternatives ("a || b"),
// so that `require(a && b)` turned `require(a || b)` loses both.
func (h *hierarchy) requirements(e *Node, neg bool, fr *frame, depth int) []string {
	switch {
	case e.NodeType == "BinaryOperation" && (e.Operator == "&&" && !neg || e.Operator == "||" && neg):
		return append(h.requirements(e.LeftExpression, neg, fr, depth), h.requirements(e.RightExpression, neg, fr, depth)...)
	case e.NodeType == "UnaryOperation" && e.Operator == "!" && e.SubExpression != nil:
		return h.requirements(e.SubExpression, !neg, fr, depth)
	case e.NodeType == "TupleExpression" && len(e.Components) == 1 && e.Components[0] != nil:
		return h.requirements(e.Components[0], neg, fr, depth)
	}
	var alts []string
	for _, t := range h.disj(e, neg, fr, depth) {
		alts = append(alts, t.text)
	}
	slices.Sort(alts)
	return []string{strings.Join(slices.Compact(alts), " || ")}
}

// gates records the state variables a condition reads, looking into the
// view functions it calls (isBlocked(from), paused()).
func (h *hierarchy) gates(cond *Node, s *summary, depth int) {
	walk(cond, func(x *Node) bool {
		if x.NodeType != "Identifier" {
			return true
		}
		d := h.u[x.ReferencedDeclaration]
		switch {
		case d == nil:
		case d.NodeType == "VariableDeclaration" && d.StateVariable && !d.Constant && d.Mutability != "immutable":
			setAdd(&s.gates, d.Name)
		case d.NodeType == "FunctionDefinition" && depth > 0 && (d.StateMutability == "view" || d.StateMutability == "pure"):
			if f := h.resolve(d, false, nil); f != nil && f.Body != nil {
				h.gates(f.Body, s, depth-1)
			}
		}
		return true
	})
}

// term is one alternative of a condition; who marks one that lets a
// caller through for who they are: sender == X, hasRole(R, sender),
// admins[sender] — not one that keeps someone out (sender != X,
// !blocked[sender]) or measures what they own (balance[sender] >= v).
type term struct {
	text string
	who  bool
}

// disj is the condition that lets execution pass, as alternatives: any
// one term holding is enough (a || b is two terms; a && b keeps the terms
// that involve the caller, as they are what restricts who).
func (h *hierarchy) disj(e *Node, neg bool, fr *frame, depth int) []term {
	switch e.NodeType {
	case "BinaryOperation":
		switch e.Operator {
		case "||", "&&":
			l, r := h.disj(e.LeftExpression, neg, fr, depth), h.disj(e.RightExpression, neg, fr, depth)
			if (e.Operator == "||") != neg {
				return append(l, r...)
			}
			return conj(l, r)
		case "==", "!=":
			op := e.Operator
			if neg {
				op = map[string]string{"==": "!=", "!=": "=="}[op]
			}
			a, b := render(h, e.LeftExpression, fr), render(h, e.RightExpression, fr)
			if b < a {
				a, b = b, a // order does not matter to equality
			}
			if isWho(b) {
				a, b = b, a
			}
			return []term{{a + op + b, op == "==" && authorises(a, b)}}
		case "<", ">", "<=", ">=":
			return []term{{h.comparison(e, neg, fr), false}}
		}
	case "UnaryOperation":
		if e.Operator == "!" && e.SubExpression != nil {
			return h.disj(e.SubExpression, !neg, fr, depth)
		}
	case "TupleExpression":
		if len(e.Components) == 1 && e.Components[0] != nil {
			return h.disj(e.Components[0], neg, fr, depth)
		}
	case "FunctionCall":
		// A yes/no helper (function _isAdmin(a) returns (bool) { return a
		// == owner(); }) is read as its expression, so that moving a check
		// into one is no change.
		if ret, callee := h.returnExpr(e); ret != nil && depth < 4 && h.expandable(callee) {
			cf := &frame{fn: callee, bind: h.bindArgs(callee, e.Arguments, 0, fr), locals: map[int]string{}}
			return h.disj(ret, neg, cf, depth+1)
		}
	}
	r := render(h, e, fr)
	if neg {
		return []term{{"!" + r, false}}
	}
	return []term{{r, h.asksWho(e, fr)}}
}

// authorises: sender == x lets through who x is, unless x is the sender
// itself (always true), tx.origin (any account that is not a contract) or
// an argument the caller passes (anyone, passing themselves).
func authorises(who, x string) bool {
	return isWho(who) && !isWho(x) && x != "tx.origin" && !(who == senderTok && mentionsArg(x))
}

// returnExpr is what an internal function called here returns when its
// body is one return statement.
func (h *hierarchy) returnExpr(call *Node) (*Node, *Node) {
	if call.Expression == nil || call.Expression.NodeType != "Identifier" || call.Kind == "typeConversion" {
		return nil, nil
	}
	d := h.resolve(h.u[call.Expression.ReferencedDeclaration], false, nil)
	if d == nil || d.NodeType != "FunctionDefinition" || d.Body == nil || len(d.Body.Statements) != 1 {
		return nil, nil
	}
	if st := d.Body.Statements[0]; st.NodeType == "Return" && st.Expression != nil {
		return st.Expression, d
	}
	return nil, nil
}

// expandable: a yes/no helper of the project's own, read as its
// expression; a dependency's or a known hook (hasRole) is compared by its
// name, so that a library's internals changing shape is no change.
func (h *hierarchy) expandable(f *Node) bool {
	return !hookNames[f.Name] && !isDependency(h.pathOf(f))
}

// comparison writes an ordering canonically: negation folded in
// (!(a > b) is a <= b), always < or <= (b < a, not a > b), and 0 < x as
// x != 0, so that require(x > 0) and if (x == 0) revert read the same.
func (h *hierarchy) comparison(e *Node, neg bool, fr *frame) string {
	op := e.Operator
	if neg {
		op = map[string]string{"<": ">=", ">": "<=", "<=": ">", ">=": "<"}[op]
	}
	a, b := render(h, e.LeftExpression, fr), render(h, e.RightExpression, fr)
	switch op {
	case ">":
		a, b, op = b, a, "<"
	case ">=":
		a, b, op = b, a, "<="
	}
	switch {
	case op == "<" && a == "0", op == "<=" && a == "1":
		return unordered(b, "!=", "0")
	case op == "<" && b == "1":
		return unordered(a, "==", "0")
	}
	return a + op + b
}

// unordered writes an equality with its operands in one order, as the
// == and != terms of disj are.
func unordered(a, op, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + op + b
}

func isWho(s string) bool { return s == senderTok || s == signerTok }

// asksWho: a call given the caller (hasRole(R, sender), isOwner(sender))
// or a lookup keyed by it (admins[sender]).
func (h *hierarchy) asksWho(e *Node, fr *frame) bool {
	switch e.NodeType {
	case "FunctionCall":
		return slices.ContainsFunc(e.Arguments, func(a *Node) bool { return isWho(render(h, a, fr)) })
	case "IndexAccess":
		return e.IndexExpression != nil && isWho(render(h, e.IndexExpression, fr))
	case "MemberAccess":
		return e.Expression != nil && h.asksWho(e.Expression, fr)
	}
	return false
}

// conj: both must hold. When one side ties the caller and the other does
// not, the caller's side is the check (the other only narrows it).
func conj(a, b []term) []term {
	who := func(t term) bool { return t.who }
	pa, pb := slices.ContainsFunc(a, who), slices.ContainsFunc(b, who)
	switch {
	case pa && !pb:
		return a
	case pb && !pa:
		return b
	}
	return append(a, b...)
}

// scalar: the state variable name is no mapping or array.
func (h *hierarchy) scalar(name string) bool {
	if h.scalars == nil {
		h.scalars = map[string]bool{}
		for _, c := range slices.Backward(h.bases) { // the most derived wins
			for _, n := range c.Nodes {
				if n.NodeType == "VariableDeclaration" && n.StateVariable {
					t := n.TypeDesc.TypeString
					h.scalars[n.Name] = !strings.HasPrefix(t, "mapping(") && !strings.HasSuffix(t, "]")
				}
			}
		}
	}
	return h.scalars[name]
}
