package solidity

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokKind is the lexical class of a token. Comments and whitespace never
// become tokens: that is what keeps "delegatecall" in a NatSpec line from
// counting as a delegatecall.
type tokKind uint8

const (
	tokIdent  tokKind = iota + 1 // identifiers and keywords
	tokNumber                    // 42, 0xff, 1_000, 1.5, 2e18
	tokString                    // "..", '..', unicode"..", hex".." (text keeps the quotes)
	tokPunct                     // one byte of punctuation, or "=>"
)

type token struct {
	kind tokKind
	text string
	line int // 1-based line of the token's first byte
}

func (t token) is(s string) bool { return t.text == s && t.kind != tokString }

// lexer turns source into tokens. In tolerant mode (used on diff hunks,
// which may start inside a comment or string) a string ends at the end of
// its line and an unclosed block comment runs to the end of the input,
// instead of being an error.
type lexer struct {
	src      string
	pos      int
	line     int
	tolerant bool
	toks     []token
}

// lex returns the tokens of src. The error names the line where an
// unterminated comment or string starts; tokens up to it are returned.
func lex(src string, tolerant bool) ([]token, error) {
	l := &lexer{src: src, line: 1, tolerant: tolerant}
	// A token every ~6 bytes is typical of Solidity; guessing avoids regrowth.
	l.toks = make([]token, 0, len(src)/6+1)
	err := l.run()
	return l.toks, err
}

// lineBreak is the length of the line break src starts with, 0 if none:
// where solc ends a // comment. Not only at \n: also at \r, \v, \f, NEL,
// LS and PS, so code after a bare CR is code, though an editor (and a
// reviewer) may show it inside the comment.
func lineBreak(src string) int {
	switch {
	case src == "":
		return 0
	case src[0] == '\n' || src[0] == '\r' || src[0] == '\v' || src[0] == '\f':
		return 1
	case strings.HasPrefix(src, "\u0085"):
		return 2
	case strings.HasPrefix(src, "\u2028"), strings.HasPrefix(src, "\u2029"):
		return 3
	}
	return 0
}

func (l *lexer) run() error {
	src := l.src
	for l.pos < len(src) {
		c := src[l.pos]
		switch {
		case c == '\n':
			l.line++
			l.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '/':
			for l.pos < len(src) && lineBreak(src[l.pos:]) == 0 {
				l.pos++
			}
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*':
			if err := l.blockComment(); err != nil {
				return err
			}
		case c == '"' || c == '\'':
			if err := l.str(l.pos); err != nil {
				return err
			}
		case isIdentStart(c):
			start := l.pos
			for l.pos < len(src) && isIdentPart(src[l.pos]) {
				l.pos++
			}
			word := src[start:l.pos]
			// hex"00ff" and unicode"☺" are one string literal each.
			if (word == "hex" || word == "unicode") && l.pos < len(src) && (src[l.pos] == '"' || src[l.pos] == '\'') {
				if err := l.str(start); err != nil {
					return err
				}
				continue
			}
			l.emit(tokIdent, start)
		case isDigit(c) || (c == '.' && l.pos+1 < len(src) && isDigit(src[l.pos+1])):
			start := l.pos
			l.pos++
			for l.pos < len(src) {
				d := src[l.pos]
				if isIdentPart(d) || (d == '.' && l.pos+1 < len(src) && isDigit(src[l.pos+1])) {
					l.pos++
					continue
				}
				break
			}
			l.emit(tokNumber, start)
		case c == '=' && l.pos+1 < len(src) && src[l.pos+1] == '>':
			l.pos += 2
			l.emit(tokPunct, l.pos-2)
		case c < utf8.RuneSelf:
			l.pos++
			l.emit(tokPunct, l.pos-1)
		default:
			// Non-ASCII outside strings and comments is not Solidity; keep it
			// as one opaque token so the scanner moves on without splitting runes.
			_, n := utf8.DecodeRuneInString(src[l.pos:])
			l.pos += n
			l.emit(tokPunct, l.pos-n)
		}
	}
	return nil
}

func (l *lexer) emit(k tokKind, start int) { l.emitAt(k, start, l.line) }

func (l *lexer) emitAt(k tokKind, start, line int) {
	l.toks = append(l.toks, token{kind: k, text: l.src[start:l.pos], line: line})
}

func (l *lexer) blockComment() error {
	startLine := l.line
	l.pos += 2
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case '\n':
			l.line++
		case '*':
			if l.pos+1 < len(l.src) && l.src[l.pos+1] == '/' {
				l.pos += 2
				return nil
			}
		}
		l.pos++
	}
	if l.tolerant {
		return nil
	}
	return fmt.Errorf("solidity: line %d: unterminated comment", startLine)
}

// str reads a quoted literal whose prefix (if any) starts at start and
// whose opening quote is at l.pos. Solidity strings cannot span lines.
func (l *lexer) str(start int) error {
	q := l.src[l.pos]
	line := l.line
	l.pos++
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\\':
			// An escaped newline is a line continuation inside the string.
			if l.pos+1 < len(l.src) && l.src[l.pos+1] == '\n' {
				l.line++
			}
			l.pos += 2
			continue
		case c == q:
			l.pos++
			l.emitAt(tokString, start, line)
			return nil
		case c == '\n':
			if l.tolerant {
				l.emitAt(tokString, start, line)
				return nil
			}
			return fmt.Errorf("solidity: line %d: unterminated string", l.line)
		}
		l.pos++
	}
	if l.pos > len(l.src) {
		l.pos = len(l.src)
	}
	if l.tolerant {
		l.emitAt(tokString, start, line)
		return nil
	}
	return fmt.Errorf("solidity: line %d: unterminated string", line)
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }

// pair links every bracket token to its partner, so the parser can skip a
// group in one step. Unmatched brackets get -1; strict callers turn the
// first one into an error, tolerant ones (diff hunks) live with it.
func pair(toks []token) (match []int, bad int) {
	match = make([]int, len(toks))
	var stack []int
	open := map[byte]int{} // openers of each kind on the stack
	bad = -1
	for i, t := range toks {
		match[i] = -1
		if t.kind != tokPunct || len(t.text) != 1 {
			continue
		}
		switch c := t.text[0]; c {
		case '(', '[', '{':
			stack = append(stack, i)
			open[c]++
		case ')', ']', '}':
			want := opener(c)
			if len(stack) == 0 || toks[stack[len(stack)-1]].text[0] != want {
				if bad < 0 {
					bad = i
				}
				if open[want] == 0 {
					continue
				}
				// Drop back to the nearest opener of this kind, so one stray
				// bracket does not unpair the rest of the file.
				for toks[stack[len(stack)-1]].text[0] != want {
					open[toks[stack[len(stack)-1]].text[0]]--
					stack = stack[:len(stack)-1]
				}
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			open[want]--
			match[o], match[i] = i, o
		}
	}
	if bad < 0 && len(stack) > 0 {
		bad = stack[0]
	}
	return match, bad
}

func opener(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}
