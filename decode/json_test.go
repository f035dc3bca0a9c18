package decode

import (
	"reflect"
	"testing"
)

// TestResultJSONFields: Result's MarshalJSON writes every field of Result,
// under the same JSON name and options, in the same order; a field added
// to one and not the other fails here instead of vanishing from output.
func TestResultJSONFields(t *testing.T) {
	have, want := reflect.TypeFor[resultJSON](), reflect.TypeFor[Result]()
	if have.NumField() != want.NumField() {
		t.Fatalf("resultJSON has %d fields, Result %d", have.NumField(), want.NumField())
	}
	for i := range want.NumField() {
		h, w := have.Field(i), want.Field(i)
		if h.Name != w.Name || h.Tag.Get("json") != w.Tag.Get("json") {
			t.Errorf("field %d: resultJSON has %s `%s`, Result %s `%s`", i, h.Name, h.Tag, w.Name, w.Tag)
		}
	}
}

// FuzzPlainJSON holds plainJSON, eight bytes at a time, to the plain test
// of every byte.
func FuzzPlainJSON(f *testing.F) {
	for _, s := range []string{"", "0x02f8", "abcdefgh\"ijk", "abcdefg\\", "\x7f", "\x1f0123456789", "0123456789abcdef\x80", "é"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := true
		for _, c := range b {
			if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
				want = false
			}
		}
		if have := plainJSON(b); have != want {
			t.Errorf("plainJSON(%q) = %v, want %v", b, have, want)
		}
	})
}
