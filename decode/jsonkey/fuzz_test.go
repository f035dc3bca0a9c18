package jsonkey

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCheck: Check never panics, and whatever it accepts has, in every
// object, keys that are pairwise different under case folding — the
// property a wallet and encoding/json need to read the same document.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"to":"0x1","To":"0x2"}`, `{"a":[{"b":1,"B":2}]}`, `{"\u0074o":1,"to":2}`,
		`{"acce\u017fsList":[]}`, `[[[[{"k":{"\u212a":1}}]]]]`, `{"params":[{"data":"0x"}],"method":"eth_sendTransaction"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if Check([]byte(doc), "to", "data") != nil {
			return
		}
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				seen := map[string]string{}
				for k, e := range v {
					if prev, ok := seen[fold(k)]; ok {
						t.Fatalf("accepted %q and %q in one object of %q", prev, k, doc)
					}
					if strings.EqualFold(k, "to") && k != "to" {
						t.Fatalf("accepted %q, a variant of a declared field, in %q", k, doc)
					}
					seen[fold(k)] = k
					walk(e)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			}
		}
		walk(v)
	})
}
