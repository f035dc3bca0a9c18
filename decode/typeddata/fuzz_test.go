package typeddata

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func FuzzParse(f *testing.F) {
	if _, err := os.Stat(conformanceFile); !errors.Is(err, fs.ErrNotExist) {
		for _, c := range loadConformance(f) {
			f.Add(string(c.TypedData))
		}
	}
	for _, s := range []string{
		mail("", ""), permitSingle, usdcPermit, strconv.Quote(usdcPermit),
		one("int8", "-128"), one("uint8[2][]", "[[1, 2], [3, 4]]"), one("bytes", `"0x"`),
		one("bytes1", `"0xff"`), one("bool[]", "[true, false]"), one("string", `"\u202e"`),
		mail(`"Mail": [{"name": "a", "type": "Mail"}, {"name": "b", "type": "Mail[]"}]`, `{"a": {"b": [null, {}]}, "b": []}`),
		`{"types": {}, "primaryType": "A", "domain": {}, "message": {}}`,
		// Past the budget: absent members, a long type name, arrays of
		// arrays, a deep recursive type, unsigned keys under a long path.
		absentMembers(40, 40), longTypeName(3000, 100), multiDim(6, 4), deepRecursive(30, 40),
		unsignedUnderLongPath(300, 40, 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		td, err := Parse([]byte(s), nil)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "typeddata: ") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one prefixed line: %q", msg)
			}
			return
		}
		if _, err := json.Marshal(td); err != nil {
			t.Fatalf("decoded value does not marshal: %v", err)
		}
		in := strings.TrimSpace(s)
		if strings.HasPrefix(in, `"`) && json.Unmarshal([]byte(in), &in) == nil {
			in = strings.TrimSpace(in)
		}
		if values, shown := cost(td); values > newBudget(len(in)).maxValues || shown > newBudget(len(in)).maxShown {
			t.Fatalf("%d bytes decoded into %d values, %d bytes to show: over the budget", len(in), values, shown)
		}
		sameEncodeType(t, s)
		agreeWithGoEthereum(t, s, td)
	})
}

// sameEncodeType holds our dependency walk to go-ethereum's on every schema
// small enough for its slower one.
func sameEncodeType(t *testing.T, s string) {
	if strings.HasPrefix(strings.TrimSpace(s), `"`) && json.Unmarshal([]byte(s), &s) != nil {
		return
	}
	var top map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &top) != nil {
		return
	}
	sc, err := parseTypes(top["types"])
	if err != nil {
		t.Fatalf("Parse accepted types that parseTypes refuses: %v", err)
	}
	if len(sc) > 64 {
		return
	}
	api := apitypes.TypedData{Types: apitypes.Types{}}
	for name, members := range sc {
		list := []apitypes.Type{}
		for _, m := range members {
			list = append(list, apitypes.Type{Name: m.Name, Type: m.Type})
		}
		api.Types[name] = list
	}
	for name := range sc {
		if have, want := sc.encodeType(name), string(api.EncodeType(name)); have != want {
			t.Fatalf("encodeType(%s):\nhave %s\nwant %s", name, have, want)
		}
	}
}

// agreeWithGoEthereum holds our digest to go-ethereum's on every input both
// accept and we decode without a note (notes mark where the two differ on
// purpose). go-ethereum may panic on inputs we accept; that is its problem.
func agreeWithGoEthereum(t *testing.T, s string, td *TypedData) {
	if len(td.Notes) > 0 || td.PrimaryType == domainType {
		return
	}
	var raw apitypes.TypedData
	if strings.HasPrefix(strings.TrimSpace(s), `"`) {
		if json.Unmarshal([]byte(s), &s) != nil {
			return
		}
	}
	if json.Unmarshal([]byte(s), &raw) != nil {
		return
	}
	digest, ok := func() (d []byte, ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		d, _, err := apitypes.TypedDataAndHash(raw)
		return d, err == nil
	}()
	if ok && common.BytesToHash(digest) != td.SigningHash {
		t.Fatalf("go-ethereum signs %x, we show %s", digest, td.SigningHash.Hex())
	}
}
