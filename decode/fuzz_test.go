package decode

import (
	"encoding/json"
	"io"
	"os"
	"regexp"
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
	for _, s := range []string{"", "0x", "{}", `"{}"`, `{"method":"personal_sign","params":["0x00","0x00"]}`, "0xef0100"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := Decode(in, Options{Chain: 1})
		if err != nil {
			if res != nil || !prefixed.MatchString(err.Error()) {
				t.Fatalf("error %q (result %v)", err, res)
			}
			return
		}
		if err := res.WriteText(io.Discard); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
	})
}
