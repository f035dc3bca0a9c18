package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/txguard/txguard/guard"
)

// FuzzDropUnset: for any JSON document, the rewrite is valid JSON, drops
// nothing but unset members (what remains, decoded, equals a reference
// built on encoding/json), and is idempotent.
func FuzzDropUnset(f *testing.F) {
	for _, s := range []string{
		`{"a":-1,"b":[],"results":[],"properties":{"x":-1}}`,
		`{"runs":[{"locations":[{"id":-1,"region":{"startLine":3,"byteOffset":-1}}]}]}`,
		`[{"index":-1},{"newlineSequences":["\r\n","\n"]}]`,
		`{"n":1.5e3,"s":"<&>","u":"\u00e9","z":null,"t":true}`,
		`"top"`, `-1`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			if _, err := dropUnset(in); err == nil && len(bytes.TrimSpace(in)) > 0 {
				t.Fatalf("no error for invalid JSON %q", in)
			}
			return
		}
		out, err := dropUnset(in)
		if err != nil {
			if strings.Contains(err.Error(), "repeated") {
				return // refused: no SARIF log repeats a key
			}
			t.Fatalf("%q: %v", in, err)
		}
		if !json.Valid(out) {
			t.Fatalf("%q gave invalid JSON %q", in, out)
		}
		again, err := dropUnset(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
		var want, got any
		if err := json.Unmarshal(in, &want); err != nil {
			return // valid but beyond encoding/json (a number too large for float64)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if want = referenceDrop(want, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\ngot  %#v\nwant %#v", in, got, want)
		}
	})
}

// referenceDrop is dropUnset on decoded values, the slow obvious way.
func referenceDrop(v any, inBag bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			e = referenceDrop(e, inBag || k == "properties")
			if !inBag {
				if n, ok := e.(float64); ok && n == -1 {
					continue
				}
				if a, ok := e.([]any); ok && len(a) == 0 && k != "results" {
					continue
				}
				if a, ok := e.([]any); ok && k == "newlineSequences" && len(a) == 2 && a[0] == "\r\n" && a[1] == "\n" {
					continue
				}
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = referenceDrop(e, inBag)
		}
		return out
	}
	return v
}

// FuzzMarkdownCap: whatever the findings and the text around them, the
// report fits GitHub's limit, stays valid UTF-8 when its input is, and
// says when findings were left out.
func FuzzMarkdownCap(f *testing.F) {
	f.Add(uint16(10), "title", "explanation", "intent")
	f.Add(uint16(3000), "New inline assembly | `x`", strings.Repeat("long ", 200), "")
	f.Add(uint16(1), "t", "e", strings.Repeat("é\n", 40_000))
	f.Fuzz(func(t *testing.T, n uint16, title, explanation, intent string) {
		v := manyFindings(int(n % 2000))
		for i := range v.Findings {
			v.Findings[i].Title = title
			v.Findings[i].Explanation = explanation
		}
		v.Intent = intent
		var b bytes.Buffer
		if err := WriteWith(&b, Markdown, v, Options{}); err != nil {
			t.Fatal(err)
		}
		md := b.String()
		if len(md) > markdownLimit {
			t.Fatalf("%d bytes", len(md))
		}
		if utf8.ValidString(title+explanation+intent) && !utf8.ValidString(md) {
			t.Fatal("invalid UTF-8 from valid input")
		}
		shown := strings.Count(md, "\n| "+LevelWord(guard.Critical)+" |") + strings.Count(md, "\n| "+LevelWord(guard.Danger)+" |") +
			strings.Count(md, "\n| "+LevelWord(guard.Caution)+" |") + strings.Count(md, "\n| "+LevelWord(guard.Info)+" |")
		if cut := strings.Contains(md, " left out to keep this under GitHub's"); cut != (shown < len(v.Findings)) {
			t.Fatalf("%d of %d findings in the table, closing line %v", shown, len(v.Findings), cut)
		}
	})
}
