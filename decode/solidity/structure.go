package solidity

import (
	"fmt"
	"strings"
)

// File is what Scan sees in one Solidity source file.
type File struct {
	Path      string // set by the caller (Scan does not know it); used in Changes
	Pragmas   []Pragma
	Imports   []Import
	Contracts []*Contract
	Functions []*Function // free functions at file level
	Structs   []*Struct   // file-level structs
}

// Pragma is one pragma directive, e.g. Name "solidity", Value "^0.8.20".
type Pragma struct {
	Name  string // "solidity", "abicoder", "experimental"
	Value string // the rest, whitespace collapsed
	Line  int
}

// Import is one import directive.
type Import struct {
	Path string // the quoted path, unquoted
	Line int
}

// Contract is a contract, abstract contract, interface or library.
type Contract struct {
	Kind      string   // "contract", "abstract contract", "interface", "library"
	Name      string   // as declared
	Bases     []string // `is A, B(args)` -> ["A", "B"], in declaration order
	Layout    string   // `layout at 0x1000` -> "0x1000": where its storage starts; "" for slot 0
	Line      int
	EndLine   int
	StateVars []*StateVar // in declaration order, constants and immutables included
	Functions []*Function // in declaration order, modifiers included
	Structs   []*Struct
	Enums     []string
}

// StateVar is a contract-level variable declaration.
type StateVar struct {
	Name       string
	Type       string // normalised: see normType
	Visibility string // "public", "internal" (the default) or "private"
	Constant   bool
	Immutable  bool
	Transient  bool
	Line       int
}

// Storage reports whether the variable takes a storage slot: constants
// and immutables live in code, transient variables in transient storage.
func (v *StateVar) Storage() bool { return !v.Constant && !v.Immutable && !v.Transient }

// Function is a function, constructor, fallback, receive or modifier.
type Function struct {
	Kind       string   // "function", "constructor", "fallback", "receive", "modifier"
	Name       string   // the kind for constructor, fallback and receive
	Params     []string // normalised parameter types
	Visibility string   // public, external, internal, private
	Mutability string   // "nonpayable", "payable", "view", "pure"
	Modifiers  []string // invocations, arguments as tokens without spaces; no virtual/override
	Line       int      // line of the keyword that starts the declaration
	BodyStart  int      // line of `{`, 0 when there is no body
	BodyEnd    int      // line of the matching `}`
	Concerns   []Occurrence
	// Checks counts what a guard is made of in the body: require, assert,
	// if (if … revert is one check, as require is), and the caller tests.
	Checks int
	// CallerTests counts tests of who is calling: msg.sender or
	// _msgSender() compared, hasRole, _checkOwner, _checkRole.
	CallerTests int
	// Calls names the functions the body calls (not members: x.f()).
	Calls []string
	// Override is set by the override keyword.
	Override bool
}

// Signature is name(type,...), the identity of a function across versions:
// parameter names, data locations and formatting do not take part.
func (f *Function) Signature() string {
	return f.Name + "(" + strings.Join(f.Params, ",") + ")"
}

// Struct is a struct definition, kept so the storage comparison can see a
// struct-typed variable change shape.
type Struct struct {
	Name   string
	Fields []Field
	Line   int
}

// Field is one struct member.
type Field struct{ Name, Type string }

// Scan reads the structure of one Solidity source. It fails only when the
// source cannot be tokenised (an unterminated comment or string) or its
// brackets do not balance: past such a point nothing it reports could be
// trusted.
func Scan(src []byte) (*File, error) {
	s := string(src)
	toks, err := lex(s, false)
	if err != nil {
		return nil, err
	}
	match, bad := pair(toks)
	if bad >= 0 {
		return nil, fmt.Errorf("solidity: line %d: unbalanced %q", toks[bad].line, toks[bad].text)
	}
	p := newParser(s, toks, match)
	p.file()
	return p.f, nil
}

type parser struct {
	src        string
	toks       []token
	match      []int
	lineStarts []int
	lines      map[int]string // lineText cache
	f          *File
	i          int
}

func newParser(src string, toks []token, match []int) *parser {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &parser{src: src, toks: toks, match: match, lineStarts: starts, f: &File{}}
}

// lineText is source line n (1-based) with whitespace collapsed; concern
// occurrences carry it so moved code can be recognised by its text.
func (p *parser) lineText(n int) string {
	if n < 1 || n > len(p.lineStarts) {
		return ""
	}
	if s, ok := p.lines[n]; ok {
		return s
	}
	start := p.lineStarts[n-1]
	end := len(p.src)
	if n < len(p.lineStarts) {
		end = p.lineStarts[n]
	}
	// Only the start of a very long line (minified code) is kept: enough
	// to recognise it, and it keeps the cost linear.
	end = min(end, start+maxLineText)
	if p.lines == nil {
		p.lines = map[int]string{}
	}
	s := strings.Join(strings.Fields(p.src[start:end]), " ")
	p.lines[n] = s
	return s
}

const maxLineText = 512

func (p *parser) tok(i int) token {
	if i < 0 || i >= len(p.toks) {
		return token{}
	}
	return p.toks[i]
}

// after returns the index just past the group opened at i, or end when the
// group is unmatched or runs past end (only in tolerant hunk parsing).
func (p *parser) after(i, end int) int {
	m := p.match[i]
	if m < 0 || m >= end {
		return end
	}
	return m + 1
}

func isOpen(t token) bool {
	return t.kind == tokPunct && (t.text == "(" || t.text == "[" || t.text == "{")
}

func (p *parser) file() {
	n := len(p.toks)
	for p.i < n {
		t := p.toks[p.i]
		switch {
		case t.is("pragma"):
			p.pragma(n)
		case t.is("import"):
			p.importDecl(n)
		case t.is("abstract") && p.tok(p.i+1).is("contract") && p.tok(p.i+2).kind == tokIdent:
			p.i++
			p.contract("abstract contract", t.line, n)
		case (t.is("contract") || t.is("interface") || t.is("library")) && p.tok(p.i+1).kind == tokIdent:
			p.contract(t.text, t.line, n)
		case t.is("function") && p.tok(p.i+1).kind == tokIdent:
			if fn := p.function(nil, n); fn != nil {
				p.f.Functions = append(p.f.Functions, fn)
			}
		case t.is("struct") && p.tok(p.i+1).kind == tokIdent && p.tok(p.i+2).is("{"):
			p.f.Structs = append(p.f.Structs, p.structDef(n))
		default:
			p.skipStatement(n)
		}
	}
}

// skipStatement moves past one declaration it has no use for: up to and
// including a `;`, or a `{...}` group (enum, unknown block), always at
// least one token.
func (p *parser) skipStatement(end int) {
	start := p.i
	for p.i < end {
		t := p.toks[p.i]
		if t.is(";") {
			p.i++
			return
		}
		if t.is("{") {
			p.i = p.after(p.i, end)
			return
		}
		if isOpen(t) {
			p.i = p.after(p.i, end)
			continue
		}
		if t.is("}") && p.i > start {
			return // a stray closer belongs to the caller
		}
		p.i++
	}
}

// statementEnd returns the index of the `;` ending the statement at i (or
// end), skipping bracket groups.
func (p *parser) statementEnd(i, end int) int {
	for i < end {
		t := p.toks[i]
		if t.is(";") || t.is("}") {
			return i
		}
		if isOpen(t) {
			i = p.after(i, end)
			continue
		}
		i++
	}
	return end
}

func (p *parser) pragma(end int) {
	t := p.toks[p.i]
	stop := p.statementEnd(p.i+1, end)
	pr := Pragma{Line: t.line}
	if name := p.tok(p.i + 1); p.i+1 < stop {
		pr.Name = name.text
		var parts []string
		for _, x := range p.toks[p.i+2 : stop] {
			parts = append(parts, x.text)
		}
		// Join without spaces, then space only after version ranges, so
		// "^0.8.0" and ">= 0.6.0 < 0.9.0" normalise to ">=0.6.0 <0.9.0".
		pr.Value = joinVersion(parts)
	}
	p.f.Pragmas = append(p.f.Pragmas, pr)
	p.i = min(stop+1, end)
}

// joinVersion renders pragma tokens compactly: operators stick to the
// version after them, versions are separated by one space.
func joinVersion(parts []string) string {
	var b strings.Builder
	prevWord := false
	for _, s := range parts {
		word := s != "" && (isIdentPart(s[0]) || s[0] == '"' || s[0] == '\'')
		if b.Len() > 0 && (word && prevWord || !word && prevWord) {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		prevWord = word
	}
	return b.String()
}

func (p *parser) importDecl(end int) {
	t := p.toks[p.i]
	stop := p.statementEnd(p.i+1, end)
	for _, x := range p.toks[p.i+1 : stop] {
		if x.kind == tokString {
			p.f.Imports = append(p.f.Imports, Import{Path: unquote(x.text), Line: t.line})
			break
		}
	}
	p.i = min(stop+1, end)
}

// checks counts the guard-like tokens of toks[from:to] (see
// Function.Checks and CallerTests), and lists the functions the body
// calls (a modifier that calls _onlyOwner() checks what that checks).
func (p *parser) checks(from, to int) (all, caller int, calls []string) {
	to = max(from, min(to, len(p.toks)))
	// compared: msg.sender or _msgSender() next to == or != (a test of the
	// caller, not a use of the address).
	compared := func(i int) bool {
		for j := max(from, i-4); j < min(to, i+5); j++ {
			if (p.toks[j].is("=") || p.toks[j].is("!")) && j+1 < to && p.toks[j+1].is("=") {
				return true
			}
		}
		return false
	}
	for i := from; i < to; i++ {
		t := p.toks[i]
		if t.kind != tokIdent {
			continue
		}
		switch t.text {
		case "require", "assert", "if":
			all++
		case "sender":
			if i >= from+2 && p.toks[i-1].is(".") && p.toks[i-2].is("msg") && compared(i) {
				all++
				caller++
			}
		case "_msgSender":
			if compared(i) {
				all++
				caller++
			}
		case "hasRole", "_checkOwner", "_checkRole":
			all++
			caller++
		default:
			if i+1 < to && p.toks[i+1].is("(") && (i == from || !p.toks[i-1].is(".")) {
				calls = append(calls, t.text)
			}
		}
	}
	return all, caller, calls
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// contract parses `contract Name is A, B(x) { ... }` with p.i on the kind
// keyword.
func (p *parser) contract(kind string, line, end int) {
	c := p.contractHead(kind, line, end)
	p.f.Contracts = append(p.f.Contracts, c)
	if !p.tok(p.i).is("{") || p.i >= end {
		p.skipStatement(end)
		return
	}
	bodyEnd := p.after(p.i, end) - 1
	c.EndLine = p.tok(bodyEnd).line
	p.i++
	p.contractBody(c, bodyEnd)
	p.i = bodyEnd + 1
}

// contractHead reads the name, the bases and a storage layout base
// (`layout at <expr>`, solc 0.8.29, before or after `is`), leaving p.i on
// the `{` (or wherever the header stops).
func (p *parser) contractHead(kind string, line, end int) *Contract {
	c := &Contract{Kind: kind, Name: p.toks[p.i+1].text, Line: line}
	p.i += 2
	inBases, expectName := false, false
	for p.i < end && !p.toks[p.i].is("{") && !p.toks[p.i].is(";") {
		t := p.toks[p.i]
		switch {
		case t.is("is"):
			inBases, expectName = true, true
		case t.is("layout") && p.tok(p.i+1).is("at"):
			inBases = false
			p.i += 2
			for p.i < end && !p.toks[p.i].is("{") && !p.toks[p.i].is(";") && !p.toks[p.i].is("is") {
				if isOpen(p.toks[p.i]) {
					for _, x := range p.toks[p.i:p.after(p.i, end)] {
						c.Layout += x.text
					}
					p.i = p.after(p.i, end)
					continue
				}
				c.Layout += p.toks[p.i].text
				p.i++
			}
			continue
		case !inBases:
		case t.is(","):
			expectName = true
		case isOpen(t):
			p.i = p.after(p.i, end)
			continue
		case t.kind == tokIdent && expectName:
			// A qualified base (Lib.Base) is named by its last part.
			name := t.text
			for p.tok(p.i+1).is(".") && p.tok(p.i+2).kind == tokIdent {
				p.i += 2
				name = p.toks[p.i].text
			}
			c.Bases = append(c.Bases, name)
			expectName = false
		}
		p.i++
	}
	return c
}

func (p *parser) contractBody(c *Contract, end int) {
	for p.i < end {
		t := p.toks[p.i]
		next := p.tok(p.i + 1)
		switch {
		case t.is(";"):
			p.i++
		case t.is("function"):
			if next.is("(") && p.unnamedIsVar(end) {
				p.stateVar(c, end)
				continue
			}
			if fn := p.function(c, end); fn != nil {
				c.Functions = append(c.Functions, fn)
			}
		case (t.is("constructor") || t.is("fallback") || t.is("receive") || t.is("modifier")) &&
			(next.is("(") || t.is("modifier") && next.kind == tokIdent):
			if fn := p.function(c, end); fn != nil {
				c.Functions = append(c.Functions, fn)
			}
		case t.is("struct") && next.kind == tokIdent && p.tok(p.i+2).is("{"):
			c.Structs = append(c.Structs, p.structDef(end))
		case t.is("enum") && next.kind == tokIdent:
			c.Enums = append(c.Enums, next.text)
			p.skipStatement(end)
		case t.is("event") || t.is("error") || t.is("using") || t.is("type") && next.kind == tokIdent && p.tok(p.i+2).is("is"):
			p.skipStatement(end)
		case t.kind == tokIdent:
			p.stateVar(c, end)
		default:
			p.skipStatement(end)
		}
	}
}

// unnamedIsVar tells `function (uint) external returns (bool) f;` (a
// variable of function type) from a 0.4 fallback `function () payable {`:
// the first ends at `;` before any body.
func (p *parser) unnamedIsVar(end int) bool {
	for i := p.i + 1; i < end; {
		t := p.toks[i]
		if t.is("{") {
			return false
		}
		if t.is(";") {
			return true
		}
		if isOpen(t) {
			i = p.after(i, end)
			continue
		}
		i++
	}
	return true
}

// function parses a declaration starting at p.i (function, constructor,
// fallback, receive or modifier) and moves past its body or `;`.
func (p *parser) function(c *Contract, end int) *Function {
	kw := p.toks[p.i]
	fn := &Function{Kind: kw.text, Name: kw.text, Line: kw.line}
	p.i++
	switch kw.text {
	case "function":
		if t := p.tok(p.i); t.kind == tokIdent && p.i < end {
			fn.Name = t.text
			p.i++
		} else {
			fn.Kind, fn.Name = "fallback", "fallback" // 0.4: function () payable { ... }
		}
		if c != nil && fn.Name == c.Name {
			fn.Kind, fn.Name = "constructor", "constructor" // before 0.5 constructors were named after the contract
		}
	case "modifier":
		if t := p.tok(p.i); t.kind == tokIdent && p.i < end {
			fn.Name = t.text
			p.i++
		}
	}
	if p.i < end && p.toks[p.i].is("(") {
		close := p.after(p.i, end) - 1
		fn.Params = p.params(p.i+1, close)
		p.i = close + 1
	}
	bases := map[string]bool{}
	if c != nil && fn.Kind == "constructor" {
		for _, b := range c.Bases {
			bases[b] = true // Base(args) in a constructor header calls a base constructor
		}
	}
	for p.i < end {
		t := p.toks[p.i]
		if t.is("{") {
			close := p.after(p.i, end) - 1
			fn.BodyStart, fn.BodyEnd = t.line, p.tok(close).line
			fn.Concerns = p.concerns(p.i+1, close)
			fn.Checks, fn.CallerTests, fn.Calls = p.checks(p.i+1, close)
			p.i = close + 1
			break
		}
		if t.is(";") || t.is("}") {
			if t.is(";") {
				p.i++
			}
			break
		}
		if isOpen(t) {
			p.i = p.after(p.i, end)
			continue
		}
		if t.kind != tokIdent {
			p.i++
			continue
		}
		switch t.text {
		case "public", "external", "internal", "private":
			fn.Visibility = t.text
		case "pure", "view", "payable":
			fn.Mutability = t.text
		case "constant":
			fn.Mutability = "view" // 0.4 spelling of view
		case "nonpayable", "virtual":
		case "override", "returns":
			fn.Override = fn.Override || t.text == "override"
			if p.tok(p.i + 1).is("(") {
				p.i = p.after(p.i+1, end)
				continue
			}
		default:
			name := t.text
			for p.tok(p.i+1).is(".") && p.tok(p.i+2).kind == tokIdent && p.i+2 < end {
				p.i += 2
				name += "." + p.toks[p.i].text
			}
			args := ""
			next := p.i + 1
			if p.tok(next).is("(") && next < end {
				// The arguments are part of the guard: onlyRole(MINTER_ROLE)
				// turned onlyRole(PUBLIC_ROLE) is a guard removed.
				p.i = p.after(next, end)
				// A lower-case name is a parameter or a variable, which a
				// refactor may rename (onlyHolder(tokenId) to
				// onlyHolder(id)); constants (MINTER_ROLE), literals and
				// calls are what picks the guard.
				for k, t := range p.toks[next:p.i] {
					if t.kind == tokIdent && t.text[0] >= 'a' && t.text[0] <= 'z' && !p.tok(next+k+1).is("(") {
						args += "_"
						continue
					}
					args += t.text
				}
				if args == "()" {
					args = "" // onlyOwner() is onlyOwner
				}
			} else {
				p.i++
			}
			if !bases[name] {
				fn.Modifiers = append(fn.Modifiers, name+args)
			}
			continue
		}
		p.i++
	}
	if fn.Mutability == "" {
		fn.Mutability = "nonpayable"
	}
	if fn.Visibility == "" {
		switch {
		case fn.Kind == "fallback" || fn.Kind == "receive" || c != nil && c.Kind == "interface":
			fn.Visibility = "external"
		case fn.Kind == "modifier" || c == nil:
			fn.Visibility = "internal" // modifiers and free functions are never called from outside
		default:
			fn.Visibility = "public" // before 0.5 a missing visibility meant public
		}
	}
	return fn
}

// params returns the normalised types of the parameter list in toks[from:to].
func (p *parser) params(from, to int) []string {
	var out []string
	start := from
	for i := from; i <= to; {
		if i == to || p.toks[i].is(",") {
			if ty := paramType(p.toks[start:i]); ty != "" {
				out = append(out, ty)
			}
			start = i + 1
			i++
			continue
		}
		if isOpen(p.toks[i]) {
			i = p.after(i, to)
			continue
		}
		i++
	}
	return out
}

// stateVar parses a contract-level variable declaration at p.i; anything
// that does not look like one is skipped.
func (p *parser) stateVar(c *Contract, end int) {
	stop := p.statementEnd(p.i, end)
	toks := p.toks[p.i:stop]
	p.i = stop
	if p.tok(p.i).is(";") {
		p.i++
	} else if stop == p.i && p.i < end {
		p.i++ // a stray `}` inside the body: never loop on it
	}
	if v := parseStateVar(toks); v != nil {
		c.StateVars = append(c.StateVars, v)
	}
}

// structDef parses `struct Name { T a; U b; }` at p.i.
func (p *parser) structDef(end int) *Struct {
	s := &Struct{Name: p.toks[p.i+1].text, Line: p.toks[p.i].line}
	open := p.i + 2
	close := p.after(open, end) - 1
	for i := open + 1; i < close; {
		stop := p.statementEnd(i, close)
		if member := p.toks[i:stop]; len(member) >= 2 {
			last := member[len(member)-1]
			s.Fields = append(s.Fields, Field{Name: last.text, Type: normType(member[:len(member)-1])})
		}
		i = stop + 1
	}
	p.i = close + 1
	return s
}
