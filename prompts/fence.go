package prompts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// Everything that came from the input reaches the model fenced: JSON
// encoded (quotes and line breaks cannot end the value), between markers
// that carry the request's random nonce (the input was written before the
// nonce existed, so it cannot close the fence), with chat-template control
// strings neutralised (Ollama tokenizes <|im_start|> inside message text as
// the real special token, so a token name could open a new turn) and
// invisible format characters removed.
//
//	<<<DATA-3f9a2c0d1e2b4a5c "USD Coin" DATA-3f9a2c0d1e2b4a5c>>>

// dataMarker is the marker word; the nonce follows it.
const dataMarker = "DATA-"

func openMarker(nonce string) string  { return "<<<" + dataMarker + nonce }
func closeMarker(nonce string) string { return dataMarker + nonce + ">>>" }

// fenceText fences one string from the input.
func fenceText(nonce, s string) string {
	return fenceJSON(nonce, s)
}

// fenceJSON fences a value built of strings, readings, jsonObject, []any
// and nothing else: every string in it, keys included, is neutralised, and
// the whole is one line of JSON.
func fenceJSON(nonce string, v any) string {
	var b bytes.Buffer
	b.WriteString(openMarker(nonce))
	b.WriteByte(' ')
	writeJSON(&b, nonce, v)
	b.WriteByte(' ')
	b.WriteString(closeMarker(nonce))
	return b.String()
}

// jsonObject is a JSON object whose members keep their order (typed data
// is signed in type order, and a reader should see it so).
type jsonObject []jsonMember

type jsonMember struct {
	Key   string
	Value any // string, reading, jsonObject or []any
}

// reading is a value from the input with txguard's reading of it (who an
// address is, an amount in tokens, a date, "the first 160 of 441
// characters"), written as one JSON string: `value «note»`, or `«note»`
// alone when the reading replaces the value. neutralize turns « and » in
// any text into ‹ and ›, so the input cannot forge a reading.
type reading struct{ value, note string }

func writeJSON(b *bytes.Buffer, nonce string, v any) {
	switch v := v.(type) {
	case string:
		writeJSONString(b, neutralize(nonce, v))
	case reading:
		s := "«" + neutralize(nonce, v.note) + "»"
		if v.value != "" {
			s = neutralize(nonce, v.value) + " " + s
		}
		writeJSONString(b, s)
	case jsonObject:
		b.WriteByte('{')
		for i, m := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, neutralize(nonce, m.Key))
			b.WriteByte(':')
			writeJSON(b, nonce, m.Value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, nonce, e)
		}
		b.WriteByte(']')
	default:
		panic(fmt.Sprintf("prompts: fenceJSON of a %T", v)) // a programming error: render builds the values
	}
}

// writeJSONString writes s as a JSON string: quotes, backslashes, control
// characters and U+2028/2029 escaped. <, > and & stay as they are (HTML
// escaping would only make the text harder to read: no control string
// survives neutralize).
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode ends with a newline
}

// neutralize makes input text safe to place between the markers:
//
//  1. invalid UTF-8 becomes U+FFFD;
//  2. format characters (Unicode Cf: zero-width, bidi controls, BOM, tag
//     characters) are removed: they hide text from a person and split
//     words for pattern matching, never for the model;
//  3. every occurrence of the marker word and nonce, in any case, is
//     removed until none is left (removal can join two halves into a new
//     one);
//  4. control strings are neutralised, until none is left: < > become ‹ ›,
//     [ ] become ⟦ ⟧ and # becomes ＃ inside them, so the model still sees
//     that they were there but no tokenizer reads them as special tokens;
//  5. « and » become ‹ and ›: they are reserved for txguard's own
//     readings inside fenced values (see render.go), which input text must
//     not be able to forge.
//
// Steps 4 and 5 only swap ASCII for non-ASCII characters, so they cannot
// recreate a marker.
func neutralize(nonce, s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	if nonce != "" {
		s = stripFold(s, dataMarker+nonce)
	}
	for re := controlString(); re.MatchString(s); {
		s = re.ReplaceAllStringFunc(s, defang)
	}
	return guillemets.Replace(s)
}

// stripFold removes every occurrence of the ASCII string sub from s,
// ignoring case, until none is left: with a stack, so that "DATA-DATA-nn"
// goes entirely, in one pass.
func stripFold(s, sub string) string {
	if indexFold(s, sub) < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i])
		if n := len(b) - len(sub); n >= 0 && equalFoldASCII(b[n:], sub) {
			b = b[:n]
		}
	}
	return string(b)
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	return strings.Index(lowerASCII(s), lowerASCII(sub))
}

func equalFoldASCII(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// controlString matches the chat-template control strings and role
// headers of the model families Ollama serves, by shape rather than by
// list, so that a family's next token is covered too:
//
//	<|im_start|> <|eot_id|> <|start_header_id|> <|system|> <｜Assistant｜>   any <|…|>
//	<<SYS>> <</SYS>>                                                     any <<WORD>>
//	<s> </s> <start_of_turn> <end_of_turn> <think> <tool_call>          any <word>, </word>
//	[INST] [/INST] [SYSTEM_PROMPT] [TOOL_CALLS]                          any [WORD], [/WORD]
//	### System: ### Instruction: ## Response                             role headers
//
// Compiled on first use, like the templates: off the start-up path.
var controlString = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)` +
		`<[|｜][^<>]{0,64}?[|｜]>` +
		`|<</?[a-z_]{1,32}>>` +
		`|</?[a-z_][a-z0-9_.:-]{0,40}>` +
		`|\[/?[a-z_]{2,32}\]` +
		`|#{2,}[ \t]*(system|instructions?|response|assistant|user|human|input|context)`)
})

var defanger = strings.NewReplacer("<", "‹", ">", "›", "[", "⟦", "]", "⟧", "#", "＃")

func defang(s string) string { return defanger.Replace(s) }

var guillemets = strings.NewReplacer("«", "‹", "»", "›")

// cleanTrusted prepares text that txguard wrote or the user gave (rule
// titles, labels from the address book): not fenced, since it is not the
// input's, but with the same neutralisation, so that a label or a title
// quoting the input can never carry a control string or a marker.
func cleanTrusted(nonce, s string) string {
	return neutralize(nonce, s)
}
