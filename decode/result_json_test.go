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
