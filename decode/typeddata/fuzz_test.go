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
		agreeWithGoEthereum(t, s, td)
	})
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
