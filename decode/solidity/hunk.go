package solidity

import (
	"sort"
	"strings"
)

// hunkSide is one side of one hunk (old: context and removed lines; new:
// context and added lines), lexed tolerantly and searched for what can be
// known without the rest of the file.
type hunkSide struct {
	p         *parser
	fileLine  []int  // side line - 1 -> line in the file
	changed   []bool // side line - 1 -> the line is added (new side) or removed (old side)
	section   *Contract
	contracts []sideContract // contract headers inside the hunk
	structs   []sideStruct
	headers   []sideHeader
	vars      []*sideVar // contract-level storage and non-storage variables, in order
	occ       []Occurrence
	ambiguous bool // changed code-like lines before a */ that may or may not end a comment
}

type sideContract struct {
	line, end int // side lines of the keyword and of the header's last token
	c         *Contract
}

type sideStruct struct {
	s        *Struct
	from, to int // side lines of `struct` and of the closing brace
	contract string
}

type sideHeader struct {
	fn      *Function
	endLine int // side line of the header's `{` or `;`
}

type sideVar struct {
	v       *StateVar
	line    int // side line of the first token
	changed bool
	level   int
	closed  bool // the contract's closing brace follows, with no storage variable between
}

// guardLike matches identifiers that are, by wide convention, modifiers
// that restrict who may call: used only for a removed header line whose
// function keyword is out of view.
func guardLike(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(s, "only") || strings.HasPrefix(s, "when") || s == "nonReentrant" ||
		s == "initializer" || s == "reinitializer" || s == "onlyInitializing" || strings.Contains(l, "auth")
}

// statementKeywords start statements that are never variable declarations.
var statementKeywords = map[string]bool{
	"function": true, "modifier": true, "constructor": true, "event": true, "error": true, "struct": true,
	"enum": true, "using": true, "type": true, "receive": true, "fallback": true, "contract": true,
	"interface": true, "library": true, "abstract": true, "pragma": true, "import": true, "return": true,
	"emit": true, "if": true, "else": true, "for": true, "while": true, "do": true, "require": true,
	"revert": true, "assert": true, "assembly": true, "unchecked": true, "delete": true, "try": true,
	"catch": true, "break": true, "continue": true, "throw": true, "new": true, "let": true,
}

func newHunkSide(h hunk, op byte, section *Contract) *hunkSide {
	s := &hunkSide{section: section}
	var b strings.Builder
	for _, l := range h.lines {
		if l.op != ' ' && l.op != op {
			continue
		}
		b.WriteString(l.text)
		b.WriteByte('\n')
		line := l.new
		if op == '-' {
			line = l.old
		}
		s.fileLine = append(s.fileLine, line)
		s.changed = append(s.changed, l.op == op)
	}
	text := b.String()
	// A hunk that starts inside a block comment shows its tail first. But
	// the */ may as well sit in a // comment or a string of code that the
	// hunk starts with: a changed line before it that reads like code
	// makes the hunk one this reading cannot trust.
	if end, open := strings.Index(text, "*/"), strings.Index(text, "/*"); end >= 0 && (open < 0 || end < open) {
		// Whole lines, the */ line included: code may stand on either side
		// of the */ or run over several lines.
		lines := strings.Split(text, "\n")
		for i := range strings.Count(text[:end], "\n") + 1 {
			if i < len(s.changed) && s.changed[i] && codeLike(lines[i]) {
				s.ambiguous = true
			}
		}
		text = blank(text[:end+2]) + text[end+2:]
	}
	toks, _ := lex(text, true)
	match, _ := pair(toks)
	s.p = newParser(text, toks, match)
	s.find()
	return s
}

// codeLike reports a line with code's punctuation in it that is not
// comment text (* or // first).
func codeLike(l string) bool {
	l = strings.TrimSpace(l)
	if strings.HasPrefix(l, "*") || strings.HasPrefix(l, "//") {
		return false
	}
	return strings.ContainsAny(l, ";{}(")
}

// blank replaces everything but newlines with spaces, keeping line numbers.
func blank(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		return ' '
	}, s)
}

func (s *hunkSide) file(line int) int {
	if line < 1 || line > len(s.fileLine) {
		return 0
	}
	return s.fileLine[line-1]
}

func (s *hunkSide) isChanged(from, to int) bool {
	for l := max(from, 1); l <= to && l <= len(s.changed); l++ {
		if s.changed[l-1] {
			return true
		}
	}
	return false
}

// contractAt is the contract a side line sits in, as far as the hunk shows.
func (s *hunkSide) contractAt(line int) *Contract {
	// Contracts are found in source order: the last one starting at or
	// before the line holds it.
	k := sort.Search(len(s.contracts), func(k int) bool { return s.contracts[k].line > line })
	if k == 0 {
		return s.section
	}
	return s.contracts[k-1].c
}

func (s *hunkSide) contractName(line int) string {
	if c := s.contractAt(line); c != nil {
		return c.Name
	}
	return ""
}

// functionAt is the signature of the innermost function whose body holds
// the side line, if its header is in view.
func (s *hunkSide) functionAt(line int) string {
	// Headers are in source order and bodies do not nest, so the answer is
	// the last header whose body starts at or before the line; a few more
	// are tried for the odd overlap tolerant parsing can produce.
	k := sort.Search(len(s.headers), func(k int) bool {
		h := s.headers[k].fn
		return h.BodyStart > line || h.BodyStart == 0 && h.Line > line
	})
	for j := k - 1; j >= 0 && j >= k-8; j-- {
		if fn := s.headers[j].fn; fn.BodyStart > 0 && fn.BodyStart <= line && line <= fn.BodyEnd {
			return fn.Signature()
		}
	}
	return ""
}

func (s *hunkSide) find() {
	p := s.p
	toks := p.toks
	n := len(toks)
	depth := make([]int, n)
	levels := map[int]bool{}
	d := 0
	for i, t := range toks {
		if t.is(")") || t.is("]") || t.is("}") {
			d--
		}
		depth[i] = d
		if isOpen(t) {
			d++
		}
	}
	start := func(i int) bool {
		return i == 0 || toks[i-1].is(";") || toks[i-1].is("{") || toks[i-1].is("}")
	}
	for i, t := range toks {
		if t.kind != tokIdent || !start(i) && !(t.is("contract") && toks[i-1].is("abstract") && start(i-1)) {
			continue
		}
		next := p.tok(i + 1)
		switch t.text {
		case "contract", "interface", "library":
			if next.kind == tokIdent {
				kind := t.text
				if i > 0 && toks[i-1].is("abstract") {
					kind = "abstract contract"
				}
				p.i = i
				c := p.contractHead(kind, t.line, n)
				s.contracts = append(s.contracts, sideContract{t.line, p.tok(min(p.i, n-1)).line, c})
				for j := i; j < n; j++ {
					if toks[j].is("{") {
						levels[depth[j]+1] = true
						break
					}
					if toks[j].is(";") {
						break
					}
				}
			}
		case "function", "modifier":
			if next.kind != tokIdent {
				continue
			}
			levels[depth[i]] = true
			s.header(i)
		case "constructor", "fallback", "receive":
			if !next.is("(") {
				continue
			}
			levels[depth[i]] = true
			s.header(i)
		case "struct":
			levels[depth[i]] = true
			if next.kind == tokIdent && p.tok(i+2).is("{") && p.match[i+2] >= 0 {
				p.i = i
				st := p.structDef(n)
				s.structs = append(s.structs, sideStruct{s: st, from: t.line, to: p.tok(p.i - 1).line, contract: s.contractName(t.line)})
			}
		case "event", "error", "enum", "using":
			levels[depth[i]] = true
		}
	}
	s.occ = p.concerns(0, n)
	s.variables(depth, levels, start)
}

// header parses a function header at toks[i] when its parameter list is
// complete in the hunk.
func (s *hunkSide) header(i int) {
	p := s.p
	j := i + 1
	if p.toks[i].is("function") || p.toks[i].is("modifier") {
		j++
	}
	if p.tok(j).is("(") && p.match[j] < 0 {
		return
	}
	p.i = i
	fn := p.function(s.contractAt(p.toks[i].line), len(p.toks))
	end := fn.BodyStart
	if end == 0 {
		end = p.tok(p.i - 1).line
	}
	s.headers = append(s.headers, sideHeader{fn: fn, endLine: end})
}

// variables finds contract-level variable declarations. The level is known
// from members beside them; failing that, a declaration counts when it has
// a visibility or constant/immutable keyword (locals cannot), or sits one
// indentation level deep under a contract named in the hunk heading.
func (s *hunkSide) variables(depth []int, levels map[int]bool, start func(int) bool) {
	p := s.p
	toks := p.toks
	n := len(toks)
	// closes[i] is the first later token at a lower depth (n if none):
	// where the block holding toks[i] ends.
	closes := make([]int, n)
	var stack []int
	for i := n - 1; i >= 0; i-- {
		for len(stack) > 0 && depth[stack[len(stack)-1]] >= depth[i] {
			stack = stack[:len(stack)-1]
		}
		closes[i] = n
		if len(stack) > 0 {
			closes[i] = stack[len(stack)-1]
		}
		stack = append(stack, i)
	}
	var starts []int // token index of each entry of s.vars
	for i := 0; i < n; i++ {
		t := toks[i]
		if t.kind != tokIdent || !start(i) || statementKeywords[t.text] {
			continue
		}
		end := p.statementEnd(i, n)
		if end >= n || !toks[end].is(";") {
			continue
		}
		v := parseStateVar(toks[i:end])
		if v == nil {
			continue
		}
		if !levels[depth[i]] && !s.declares(toks[i:end]) && !(s.section != nil && oneIndent(p.lineTextRaw(t.line))) {
			continue
		}
		v.Line = s.file(t.line)
		s.vars = append(s.vars, &sideVar{v: v, line: t.line, changed: s.isChanged(t.line, toks[end].line), level: depth[i]})
		starts = append(starts, i)
		i = end
	}
	// A variable is followed by the closing brace when its block ends in
	// view before any storage variable at its level (one pass from the end).
	nextStorage := map[int]int{} // level -> start of the nearest storage variable after
	for k := len(s.vars) - 1; k >= 0; k-- {
		sv := s.vars[k]
		close := closes[starts[k]]
		next, ok := nextStorage[sv.level]
		sv.closed = close < n && (!ok || next >= close)
		if sv.v.Storage() {
			nextStorage[sv.level] = starts[k]
		}
	}
}

// declares reports a visibility or constant/immutable keyword outside
// brackets: only state variables have them.
func (s *hunkSide) declares(toks []token) bool {
	depth := 0
	for _, t := range toks {
		switch {
		case isOpen(t):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
		case depth == 0 && (t.is("public") || t.is("private") || t.is("internal") || t.is("constant") || t.is("immutable")):
			return true
		}
	}
	return false
}

func oneIndent(line string) bool {
	rest := strings.TrimLeft(line, " ")
	if n := len(line) - len(rest); n >= 2 && n <= 4 {
		return rest != "" && rest[0] != ' ' && rest[0] != '\t'
	}
	return strings.HasPrefix(line, "\t") && len(line) > 1 && line[1] != '\t' && line[1] != ' '
}

// lineTextRaw is source line n as written.
func (p *parser) lineTextRaw(n int) string {
	if n < 1 || n > len(p.lineStarts) {
		return ""
	}
	end := len(p.src)
	if n < len(p.lineStarts) {
		end = p.lineStarts[n] - 1
	}
	return p.src[p.lineStarts[n-1]:end]
}

// sectionContract reads the contract git names in a hunk heading.
func sectionContract(section string) *Contract {
	toks, _ := lex(section, true)
	match, _ := pair(toks)
	p := newParser(section, toks, match)
	for p.i < len(toks) {
		t := toks[p.i]
		if (t.is("contract") || t.is("interface") || t.is("library")) && p.tok(p.i+1).kind == tokIdent {
			kind := t.text
			if p.tok(p.i - 1).is("abstract") {
				kind = "abstract contract"
			}
			return p.contractHead(kind, t.line, len(toks))
		}
		p.i++
	}
	return nil
}

// headerWords stand alone on a line only in a function header.
var headerWords = map[string]bool{
	"external": true, "public": true, "internal": true, "private": true, "view": true, "pure": true,
	"payable": true, "virtual": true, "override": true, "returns": true, "nonpayable": true,
}

// nearHeaderWord reports a lone header word within three lines of line.
func (s *hunkSide) nearHeaderWord(line int) bool {
	for l := max(line-3, 1); l <= line+3; l++ {
		if l != line && headerWords[strings.TrimSpace(s.p.lineTextRaw(l))] {
			return true
		}
	}
	return false
}

func (s *hunkSide) inHeader(line int) bool {
	for _, h := range s.headers {
		if h.fn.Line <= line && line <= h.endLine {
			return true
		}
	}
	return false
}

// modifierLine recognises a line that is only `onlyOwner` or
// `onlyRole(ADMIN)`: how long headers are formatted one item per line. Any
// name will do (OpenZeppelin's AccessManaged calls its guard `restricted`)
// when a lone header word (external, override, …) is near, which a body
// line never is; else only names shaped like guards.
func modifierLine(text string, inHeader bool) (string, bool) {
	toks, err := lex(text, false)
	if err != nil || len(toks) == 0 || toks[0].kind != tokIdent || headerWords[toks[0].text] ||
		!inHeader && !guardLike(toks[0].text) {
		return "", false
	}
	if len(toks) == 1 {
		return toks[0].text, true
	}
	if toks[1].is("(") && skipGroup(toks, 1) == len(toks) {
		return toks[0].text, true
	}
	return "", false
}
