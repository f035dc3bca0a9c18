package typeddata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cost measures a decoded request as the budget counts it: values, and
// bytes shown (fieldCost, path and type per value).
func cost(td *TypedData) (values, shown int) {
	var walk func(fs []Field, path string)
	walk = func(fs []Field, path string) {
		for _, f := range fs {
			p := path + "." + f.Name
			if strings.HasPrefix(f.Name, "[") {
				p = path + f.Name
			}
			values++
			shown += fieldCost + len(p) + len(f.Type)
			walk(f.Fields, p)
		}
	}
	walk(td.Domain.Extra, "domain")
	walk(td.Message, "message")
	return values, shown
}

// TestHostileTypedData: requests of a few KB whose Field tree is millions
// of values or hundreds of MB to show are refused, in one line that says
// what was too big.
func TestHostileTypedData(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		want string
	}{
		// 1000 absent members on each of 2000 "{}": 2 million values from
		// 21 KB (10,000 "{}": 29 s, 2.4 GB and 520 MB of text before).
		{"absent members", absentMembers(1000, 2000), "typeddata: message.a["},
		// A 20,000-character type name on 2,000 elements: 40 MB to show
		// (20,000 elements: 400 MB of text, 8 s for decode --json).
		{"long type name", longTypeName(20000, 2000), "values with their names, types and paths would take more than"},
		{"uint256[][][][], 12 wide", multiDim(4, 12), "typeddata: message.a["},
		{"uint256[][][][][][][][], 3 wide", multiDim(8, 3), "the request holds more than"},
		// 200 absent members of the type itself at each of 60 levels.
		{"deep recursive type", deepRecursive(200, 60), "typeddata: message.p.p.p.p.p"},
		// 1,000 unsigned keys, each noted under a 60 KB path.
		{"unsigned keys under a long path", unsignedUnderLongPath(1000, 60, 1000), "to show"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			td, err := Parse([]byte(tc.have), nil)
			if err == nil {
				values, shown := cost(td)
				b := newBudget(len(tc.have))
				t.Fatalf("%d bytes decoded into %d values and %d bytes to show; the budget is %d and %d", len(tc.have), values, shown, b.maxValues, b.maxShown)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.HasSuffix(msg, "; no real request comes near that") || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error %q, want one line with %q", msg, tc.want)
			}
		})
	}
}

// TestHonestTypedBudget: honest requests decode, well inside the budget:
// every typed data fixture and conformance vector, and the largest shapes
// people sign.
func TestHonestTypedBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		// wantValues is the Fields the message shows.
		wantValues int
	}{
		{"Permit2 PermitBatch of 200 tokens", permit2Batch(200), 1 + 200*5 + 2},
		{"Seaport order with 200 consideration items", seaportListing(200), 11 + 6 + 200*7},
		// 1,024 orders of two payouts, 1 MiB: the most typed data txguard
		// decodes.
		{"Seaport bulk listing of 1,024 orders", seaportBulk(10, 2), 1023 + 1024*(1+11+6+2*7)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			td, err := Parse([]byte(tc.have), nil)
			if err != nil {
				t.Fatal(err)
			}
			if values, _ := cost(td); values != tc.wantValues {
				t.Errorf("%d values, want %d", values, tc.wantValues)
			}
			within(t, tc.name, tc.have, td, 0.5)
		})
	}
	honest := map[string]string{"permitSingle": permitSingle, "usdcPermit": usdcPermit}
	if _, err := os.Stat(conformanceFile); err == nil {
		for _, c := range loadConformance(t) {
			honest["conformance "+c.Name] = string(c.TypedData)
		}
	}
	for name, in := range typedFixtures(t) {
		honest[name] = in
	}
	for name, in := range honest {
		td, err := Parse([]byte(in), nil)
		if err != nil {
			continue // refused for what it is, which other tests check
		}
		within(t, name, in, td, 0.2)
	}
}

// within checks that td, decoded from in, used at most share of its
// budget, in values and in bytes shown.
func within(t *testing.T, name, in string, td *TypedData, share float64) {
	t.Helper()
	in = strings.TrimSpace(in)
	if strings.HasPrefix(in, `"`) {
		if err := json.Unmarshal([]byte(in), &in); err != nil {
			t.Fatal(err)
		}
		in = strings.TrimSpace(in)
	}
	values, shown := cost(td)
	b := newBudget(len(in))
	if float64(values) > share*float64(b.maxValues) || float64(shown) > share*float64(b.maxShown) {
		t.Errorf("%s: %d values and %d bytes shown from %d bytes: more than %.0f%% of the budget (%d, %d)",
			name, values, shown, len(in), 100*share, b.maxValues, b.maxShown)
	}
}

// typedFixtures reads every typed data request in fixtures/ (bare, or as
// the second parameter of an eth_signTypedData_v4 envelope).
func typedFixtures(t *testing.T) map[string]string {
	out := map[string]string{}
	err := filepath.Walk("../../fixtures", func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".json") || strings.Contains(p, "hostile") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), "primaryType") {
			return err
		}
		var env struct{ Params []json.RawMessage }
		if json.Unmarshal(b, &env) == nil && len(env.Params) == 2 {
			b = env.Params[1]
		}
		out[p] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
