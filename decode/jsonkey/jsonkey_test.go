package jsonkey

import (
	"strconv"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	request := []string{"from", "to", "value", "data", "input", "accessList", "storageKeys", "address"}
	tests := []struct {
		name   string
		have   string
		fields []string
		want   string // "" accepts; else a part of the error
	}{
		{"plain request", `{"from":"0x1","to":"0x2","data":"0x"}`, request, ""},
		{"nested arrays and objects", `{"params":[{"to":"0x2"},[1,[2,{"a":1}]]],"id":1}`, nil, ""},
		{"same key in sibling objects", `[{"to":1},{"to":2}]`, nil, ""},
		{"same key at two depths", `{"to":{"to":1}}`, nil, ""},
		{"not JSON: left to the decoder", `{"to":`, nil, ""},
		{"scalar", `"0x02f8"`, nil, ""},
		{"declared field set, unknown key kept", `{"to":"0x2","memo":"hi"}`, request, ""},

		{"duplicate key", `{"to":"0x1","data":"0x","to":"0x2"}`, nil, `"to" appears twice`},
		{"case variant", `{"to":"0x1","To":"0x2"}`, nil, `"To" differs from "to" only in case`},
		{"escaped duplicate", `{"to":"0x1","\u0074o":"0x2"}`, nil, `"to" appears twice`},
		{"long s folds to s", `{"accessList":[],"acce\u017fsList":[]}`, nil, `differs from "accessList"`},
		{"Kelvin sign folds to k", `{"k":1,"\u212a":2}`, nil, `differs from "k"`},
		{"nested duplicate names its path", `{"params":[{"data":"0x1","DATA":"0x2"}]}`, nil, `in params[0] differs`},
		{"deep path", `{"a":{"b":[0,{"c":1,"c":2}]}}`, nil, `in a.b[1] appears twice`},
		{"lone case variant of a field", `{"To":"0x2"}`, request, `is "to" in another case`},
		{"lone Unicode variant of a field", `{"acce\u017fsList":[]}`, request, `is "accessList" in another case`},
		{"variant inside a nested object", `{"accessList":[{"Address":"0x1"}]}`, request, `in accessList[0] is "address"`},
		{"lone surrogates become one key", `{"\ud800":1,"\udfff":2}`, nil, `not valid UTF-8`},
		{"invalid UTF-8 key", "{\"t\xffo\":1}", nil, `not valid UTF-8`},
		{"too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), nil, "nests deeper than 64"},
		{"as deep as allowed", strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.have), tt.fields...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Check(%s) = %v, want no error", tt.have, err)
			case tt.want != "" && err == nil:
				t.Fatalf("Check(%s) accepted it, want an error with %q", tt.have, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Check(%s) = %q, want it to contain %q", tt.have, err, tt.want)
			}
		})
	}
}

// TestFoldIsEqualFold pins fold to strings.EqualFold, the rule encoding/json
// matches struct fields by.
func TestFoldIsEqualFold(t *testing.T) {
	words := []string{"to", "TO", "tO", "data", "DATA", "s", "S", "\u017f", "k", "K", "\u212a", "stra\u00dfe", "STRASSE", "\u03c3", "\u03a3", "\u03c2", "accessList", "acce\u017fsList", ""}
	for _, a := range words {
		for _, b := range words {
			if got, want := fold(a) == fold(b), strings.EqualFold(a, b); got != want {
				t.Errorf("fold(%q) == fold(%q) is %v; strings.EqualFold says %v", a, b, got, want)
			}
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes: cut at a rune's start
	tests := []struct{ have, want string }{
		{"to", `"to"`},
		{"\x7f\u200b", `"\x7f\u200b"`},
		{long, strconv.Quote(strings.Repeat("é", 32)) + "… (80 bytes)"},
		{strings.Repeat("\x7f", 1000), strconv.Quote(strings.Repeat("\x7f", 64)) + "… (1000 bytes)"},
	}
	for _, tt := range tests {
		if got := Quote(tt.have); got != tt.want {
			t.Errorf("Quote(%.20q) = %s, want %s", tt.have, got, tt.want)
		}
	}
}
