package jsonkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/txguard/txguard/decode/clip"
)

// MaxDepth bounds the nesting of a document: real signing requests nest a
// dozen levels at most, and each level costs every reader after us.
const MaxDepth = 64

// Error is an ambiguous or over-deep document. Path says where, in a form
// a person can follow: params[0].data.
type Error struct {
	Path   string
	Key    string
	Reason string
}

func (e *Error) Error() string {
	where := ""
	if e.Path != "" {
		where = " in " + e.Path
	}
	if e.Key == "" {
		return fmt.Sprintf("JSON%s %s", where, e.Reason)
	}
	return fmt.Sprintf("JSON key %s%s %s", Quote(e.Key), where, e.Reason)
}

// Quote quotes a key (or any piece of input) for an error message: Go
// syntax, so invisible characters show, and at most 64 bytes of it. A key
// is the attacker's to make as long as the input: quoted whole, 4 MiB of
// DEL characters became a 16 MiB error line that took seconds to print.
func Quote(s string) string {
	const most = 64
	if len(s) > most {
		return strconv.Quote(clip.Prefix(s, most)) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

// frame is one open object or array.
type frame struct {
	obj     bool
	path    string
	keys    map[string]string // folded -> as written
	wantKey bool              // an object's next token is a key or '}'
	pending string            // the path of the value after the last key
	index   int               // an array's next element
}

// Check reads doc and refuses it when any object, at any depth, has a key
// twice or two keys that differ only in case; when a key is a case variant
// of one of fields (the names a format defines, which a case-insensitive
// decoder would take for them) without being it; when a key is not valid
// UTF-8; or when the document nests deeper than MaxDepth. Syntax errors are
// left to the decoder that reads doc next, which words them better.
func Check(doc []byte, fields ...string) error {
	var known map[string]string
	if len(fields) > 0 {
		known = make(map[string]string, len(fields))
		for _, f := range fields {
			known[fold(f)] = f
		}
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or a syntax error the real decoder reports
		}
		delim, isDelim := tok.(json.Delim)
		path := ""
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			switch {
			case top.obj && top.wantKey:
				if isDelim { // '}'
					stack = stack[:n-1]
					continue
				}
				key := tok.(string)
				if err := top.add(key, known); err != nil {
					return err
				}
				top.wantKey, top.pending = false, join(top.path, key)
				continue
			case top.obj:
				path, top.wantKey = top.pending, true
			case isDelim && delim == ']':
				stack = stack[:n-1]
				continue
			default:
				path = top.path + "[" + strconv.Itoa(top.index) + "]"
				top.index++
			}
		}
		if isDelim { // '{' or '[': a value that opens
			if len(stack) == MaxDepth {
				return &Error{Path: path, Reason: fmt.Sprintf("nests deeper than %d levels; no signing request does", MaxDepth)}
			}
			f := frame{obj: delim == '{', path: path, wantKey: true}
			if f.obj {
				f.keys = map[string]string{}
			}
			stack = append(stack, f)
		}
	}
}

// add records key in an object, refusing it when it is ambiguous.
func (f *frame) add(key string, known map[string]string) error {
	// encoding/json turns invalid UTF-8 (and lone surrogates) into U+FFFD,
	// so two different keys could become one.
	if !utf8.ValidString(key) || strings.ContainsRune(key, utf8.RuneError) {
		return &Error{Path: f.path, Key: key, Reason: "is not valid UTF-8"}
	}
	k := fold(key)
	if prev, dup := f.keys[k]; dup {
		if prev == key {
			return &Error{Path: f.path, Key: key, Reason: "appears twice: a wallet and txguard could each read a different one"}
		}
		return &Error{Path: f.path, Key: key, Reason: fmt.Sprintf("differs from %q only in case: a wallet and txguard could each read a different one", prev)}
	}
	if want, ok := known[k]; ok && want != key {
		return &Error{Path: f.path, Key: key, Reason: fmt.Sprintf("is %q in another case: a wallet would ignore it", want)}
	}
	f.keys[k] = key
	return nil
}

// join extends a path with an object key.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fold maps s to one representative of its case-folding class, so that
// fold(a) == fold(b) exactly when strings.EqualFold(a, b): every rune
// becomes the smallest rune of its unicode.SimpleFold orbit.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii { // the least of an ASCII letter's orbit is its upper case, K and S too
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
