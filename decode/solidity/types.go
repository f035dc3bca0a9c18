package solidity

import "strings"

// locations are parameter words that are not part of the type.
var locations = map[string]bool{"memory": true, "storage": true, "calldata": true, "indexed": true}

// paramType drops data location and the parameter name, and normalises
// the rest; `address payable` becomes address, as in the ABI signature.
func paramType(toks []token) string {
	var ty []token
	for _, t := range toks {
		if t.kind == tokIdent && locations[t.text] {
			continue
		}
		ty = append(ty, t)
	}
	if n := len(ty); n > 1 && ty[n-1].kind == tokIdent && !isElementary(ty[n-1].text) && ty[n-1].text != "payable" {
		if prev := ty[n-2]; prev.kind == tokIdent || prev.is("]") || prev.is(")") {
			ty = ty[:n-1]
		}
	}
	return strings.TrimSuffix(normType(ty), " payable")
}

var varFlags = map[string]bool{
	"public": true, "private": true, "internal": true, "constant": true,
	"immutable": true, "transient": true, "override": true,
}

// parseStateVar reads `Type [flags] name [= init]` from toks (no `;`).
func parseStateVar(toks []token) *StateVar {
	if len(toks) < 2 || toks[0].kind != tokIdent {
		return nil
	}
	// Cut the initialiser at the first `=` outside brackets.
	depth := 0
	for i, t := range toks {
		switch {
		case isOpen(t):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
		case t.is("=") && depth == 0:
			toks = toks[:i]
		}
		if len(toks) == i {
			break
		}
	}
	if len(toks) < 2 {
		return nil
	}
	name := toks[len(toks)-1]
	if name.kind != tokIdent || varFlags[name.text] || isElementary(name.text) {
		return nil
	}
	body := toks[:len(toks)-1]
	typeEnd := typeLen(body)
	if typeEnd == 0 {
		return nil
	}
	v := &StateVar{Name: name.text, Type: normType(body[:typeEnd]), Visibility: "internal", Line: toks[0].line}
	for i := typeEnd; i < len(body); i++ {
		t := body[i]
		switch {
		case t.is("public"), t.is("private"), t.is("internal"):
			v.Visibility = t.text
		case t.is("constant"):
			v.Constant = true
		case t.is("immutable"):
			v.Immutable = true
		case t.is("transient"):
			v.Transient = true
		case t.is("override"), t.is("("), t.is(")"), t.is(","), t.kind == tokIdent && i > typeEnd && body[i-1].is("("), t.kind == tokIdent && i > typeEnd && body[i-1].is(","):
		default:
			return nil // an expression or something else we do not know
		}
	}
	return v
}

// typeLen is how many leading tokens of a declaration form its type: up to
// the first variable flag outside brackets. A function type's own
// visibility and mutability (`function (uint) external returns (bool)`)
// belong to the type, so they are skipped over explicitly.
func typeLen(toks []token) int {
	i := 0
	if len(toks) > 0 && toks[0].is("function") {
		i = 1
		if i < len(toks) && toks[i].is("(") {
			i = skipGroup(toks, i)
		}
		for i < len(toks) && (toks[i].is("internal") || toks[i].is("external") || toks[i].is("pure") || toks[i].is("view") || toks[i].is("payable")) {
			i++
		}
		if i < len(toks) && toks[i].is("returns") {
			i++
			if i < len(toks) && toks[i].is("(") {
				i = skipGroup(toks, i)
			}
		}
		return i
	}
	for i < len(toks) {
		t := toks[i]
		if isOpen(t) {
			i = skipGroup(toks, i)
			continue
		}
		if t.kind == tokIdent && varFlags[t.text] {
			break
		}
		i++
	}
	return i
}

// skipGroup returns the index after the group opened at toks[i], counting
// brackets locally (the slice may not be the parser's).
func skipGroup(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		t := toks[i]
		if isOpen(t) {
			depth++
		} else if t.is(")") || t.is("]") || t.is("}") {
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

// isElementary reports Solidity's built-in type names, which can never be
// a parameter or variable name.
func isElementary(s string) bool {
	switch s {
	case "address", "bool", "string", "bytes", "byte", "uint", "int", "var", "fixed", "ufixed", "function", "mapping":
		return true
	}
	for _, prefix := range []string{"uint", "int", "bytes", "ufixed", "fixed"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && rest != "" && isDigit(rest[0]) {
			return true
		}
	}
	return false
}

var typeAliases = map[string]string{
	"uint": "uint256", "int": "int256", "byte": "bytes1",
	"ufixed": "ufixed128x18", "fixed": "fixed128x18",
}

// normType renders type tokens canonically: aliases resolved, one space
// between words and around =>, none elsewhere, and the names of mapping
// keys and values (0.8.18) dropped, so formatting never reads as a change.
func normType(toks []token) string {
	var b strings.Builder
	prevWord := false
	for i, t := range toks {
		word := t.kind == tokIdent || t.kind == tokNumber
		if t.kind == tokIdent && i > 0 && t.text != "payable" && (toks[i-1].kind == tokIdent && toks[i-1].text != "function" && !varFlags[toks[i-1].text] || toks[i-1].is("]")) &&
			i+1 < len(toks) && (toks[i+1].is("=>") || toks[i+1].is(")")) {
			continue // mapping(address owner => uint256 balance): a name, not part of the type
		}
		text := t.text
		if alias, ok := typeAliases[text]; ok && t.kind == tokIdent {
			text = alias
		}
		switch {
		case t.is("=>"):
			b.WriteString(" => ")
			prevWord = false
			continue
		case word && (prevWord || i > 0 && toks[i-1].is(")")):
			b.WriteByte(' ') // also function(uint256) external
		}
		b.WriteString(text)
		prevWord = word
	}
	return b.String()
}
