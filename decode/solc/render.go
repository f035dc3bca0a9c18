package solc

import (
	"strconv"
	"strings"
)

// render writes an expression canonically: the caller as @sender, a
// recovered signer as @signer, bound parameters as what the caller passed,
// getters as the variable they return, leading underscores dropped (a
// hand-written owner and Ownable's _owner are the same check), compile-time
// integers as their value.
func render(h *hierarchy, e *Node, fr *frame) string {
	var b strings.Builder
	renderTo(h, e, fr, &b, 0)
	return b.String()
}

func renderTo(h *hierarchy, e *Node, fr *frame, b *strings.Builder, depth int) {
	if e == nil || depth > 24 || b.Len() > 256 {
		return
	}
	if isSenderExpr(e) {
		b.WriteString(senderTok)
		return
	}
	if v, ok := h.constInt(e, 0); ok {
		// Named constants and arithmetic on them as their value: FEE_DENOM
		// ** 2 and 1000 ** 2 are one requirement.
		b.WriteString(v.String())
		return
	}
	r := func(n *Node) { renderTo(h, n, fr, b, depth+1) }
	switch e.NodeType {
	case "Identifier":
		id := e.ReferencedDeclaration
		if fr != nil {
			if v, ok := fr.locals[id]; ok {
				b.WriteString(v)
				return
			}
			if v, ok := fr.bind[id]; ok {
				b.WriteString(v)
				return
			}
		}
		b.WriteString(strings.TrimLeft(e.Name, "_"))
	case "MemberAccess":
		if e.Expression != nil && e.Expression.NodeType == "Identifier" && e.Expression.Name == "tx" {
			b.WriteString("tx." + e.MemberName)
			return
		}
		r(e.Expression)
		b.WriteString("." + strings.TrimLeft(e.MemberName, "_"))
	case "FunctionCall":
		if e.Kind == "typeConversion" && len(e.Arguments) == 1 {
			r(e.Arguments[0])
			return
		}
		if g := h.getter(e); g != "" {
			b.WriteString(g)
			return
		}
		if ret, callee := h.returnExpr(e); ret != nil && len(e.Arguments) > 0 && depth < 8 && h.expandable(callee) {
			// A helper of the project's own that returns an expression
			// (_feeOn(v) returns v * FEE_BPS / 10_000) reads as it.
			cf := &frame{fn: callee, bind: h.bindArgs(callee, e.Arguments, 0, fr), locals: map[int]string{}}
			renderTo(h, ret, cf, b, depth+1)
			return
		}
		if ret, _ := h.returnExpr(e); len(e.Arguments) == 0 && ret != nil && isSenderExpr(ret) {
			b.WriteString(senderTok) // function _caller() returns (address) { return msg.sender; }
			return
		}
		if len(e.Arguments) == 0 && e.Expression != nil && e.Expression.NodeType == "Identifier" {
			// owner() that reads namespaced storage is still the owner.
			r(e.Expression)
			return
		}
		r(e.Expression)
		b.WriteString("(")
		for i, a := range e.Arguments {
			if i > 0 {
				b.WriteString(",")
			}
			r(a)
		}
		b.WriteString(")")
	case "FunctionCallOptions":
		r(e.Expression)
	case "Literal":
		v := e.LiteralValue()
		if strings.HasPrefix(v, "0x") {
			v = strings.ToLower(v)
		}
		if e.Kind == "string" {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	case "BinaryOperation":
		r(e.LeftExpression)
		b.WriteString(e.Operator)
		r(e.RightExpression)
	case "UnaryOperation":
		b.WriteString(e.Operator)
		r(e.SubExpression)
	case "IndexAccess":
		r(e.BaseExpression)
		b.WriteString("[")
		r(e.IndexExpression)
		b.WriteString("]")
	case "TupleExpression":
		b.WriteString("(")
		for i, c := range e.Components {
			if i > 0 {
				b.WriteString(",")
			}
			r(c)
		}
		b.WriteString(")")
	case "ElementaryTypeNameExpression":
		b.WriteString(e.TypeDesc.TypeString)
	case "Conditional":
		r(e.Condition)
		b.WriteString("?")
		r(e.TrueExpression)
		b.WriteString(":")
		r(e.FalseExpression)
	default:
		b.WriteString(e.NodeType)
	}
}

// getter: a call of an internal or public view function with no
// arguments whose body only returns a state variable renders as it.
func (h *hierarchy) getter(call *Node) string {
	if len(call.Arguments) != 0 || call.Expression == nil || call.Expression.NodeType != "Identifier" {
		return ""
	}
	d := h.resolve(h.u[call.Expression.ReferencedDeclaration], false, nil)
	if d == nil || d.NodeType != "FunctionDefinition" || d.Body == nil || len(d.Body.Statements) != 1 {
		return ""
	}
	st := d.Body.Statements[0]
	if st.NodeType != "Return" || st.Expression == nil || st.Expression.NodeType != "Identifier" {
		return ""
	}
	if v := h.u[st.Expression.ReferencedDeclaration]; v != nil && v.StateVariable {
		return strings.TrimLeft(v.Name, "_")
	}
	return ""
}
