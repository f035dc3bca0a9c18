package decode

import (
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// prefixed is the one-line error shape: a package prefix, no newline.
var prefixed = regexp.MustCompile(`^(decode|tx|typeddata|message|evm|calldata|label): [^\n]+$`)

// FuzzDecode drives detection and every decoder behind it with arbitrary
// input: no panic, errors one prefixed line, results always renderable.
func FuzzDecode(f *testing.F) {
	for _, in := range fixtureInputs(f) {
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "0x", "{}", `"{}"`, `{"method":"personal_sign","params":["0x00","0x00"]}`, "0xef0100",
		"\ufeff0x02f8", "\u200b{\"to\":\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"}", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","To":"0x0"}`,
		`{"method":"eth_sendTransaction","params":[{"data":"0x","DATA":"0x01"}]}`, "https://example.com", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
		// What people paste: MetaMask's txParams, bare params arrays, a node's signed transaction.
		`{"id":1,"txParams":{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}}`, `[{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}]`,
		`["0x48656c6c6f","0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]`, `["0x70997970C51812dc3A010C7d01b50e0d17dc79C8","0x` + strings.Repeat("ab", 32) + `"]`,
		`{"type":"0x2","chainId":"0x1","nonce":"0x0","to":null,"gas":"0x5208","maxFeePerGas":"0x1","maxPriorityFeePerGas":"0x1","value":"0x0","input":"0x","accessList":[],"r":"0x1","s":"0x1","yParity":"0x0","v":"0x0"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := Decode(in, Options{Chain: 1})
		// The same bytes behind invisible characters decode the same way.
		wrapped, werr := Decode(append([]byte("\ufeff\u200b"), append(in, "\u2060"...)...), Options{Chain: 1})
		if (err == nil) != (werr == nil) || err == nil && wrapped.Kind != res.Kind {
			t.Fatalf("invisible characters around the input changed it: %v (%v) and %v (%v)", res, err, wrapped, werr)
		}
		if err != nil {
			if res != nil || !prefixed.MatchString(err.Error()) {
				t.Fatalf("error %q (result %v)", err, res)
			}
			return
		}
		if res.Kind == KindMessage && res.Method == "" {
			t.Fatalf("text was read as a message without --kind message: %q", in)
		}
		if err := res.WriteText(io.Discard); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
	})
}
