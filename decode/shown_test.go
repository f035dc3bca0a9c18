package decode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/txguard/txguard/decode/calldata"
)

// TestBytesShownAsCalls: bytes lose their hex only where nested calls show
// them whole. A black-box review found a tuple carrying calls (handleOps)
// hiding its other bytes, and bytes that did not decode (a router's
// commands and inputs of different counts, ERC-7821 data that does not
// decode) marked as carrying calls with none below.
func TestBytesShownAsCalls(t *testing.T) {
	tests := []struct {
		file string
		// want: argument path → "hex" (a hex value, nothing decoded from
		// it), "hex+calls" (a hex value beside the calls decoded from it),
		// "calls" (no value: the calls show it)
		want map[string]string
	}{
		{"../fixtures/calls/universal-router-swap.hex", map[string]string{
			"commands": "calls", "inputs[0]": "calls", "inputs[3]": "calls",
		}},
		{"../fixtures/calls/entrypoint-handleops.hex", map[string]string{
			"ops[0].initCode": "hex", "ops[0].callData": "calls", "ops[0].paymasterAndData": "hex", "ops[0].signature": "hex",
		}},
		{"testdata/shown/handleops-initcode-paymaster.hex", map[string]string{
			"ops[0].initCode": "hex", "ops[0].callData": "calls", "ops[0].paymasterAndData": "hex", "ops[0].signature": "hex",
		}},
		{"testdata/shown/ur-commands-inputs-mismatch.hex", map[string]string{"commands": "hex", "inputs[0]": "hex"}},
		{"testdata/shown/ur-extra-inputs.hex", map[string]string{"commands": "hex", "inputs[0]": "hex", "inputs[2]": "hex"}},
		{"testdata/shown/erc7821-undecodable.hex", map[string]string{"executionData": "hex"}},
		{"testdata/shown/erc7821-opdata-hidden.hex", map[string]string{"executionData": "hex+calls"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			b, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Decode(b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			args := map[string]calldata.Arg{}
			inCarrier := map[string]bool{} // the argument or one holding it carries calls
			var walk func(prefix string, as []calldata.Arg, carried bool)
			walk = func(prefix string, as []calldata.Arg, carried bool) {
				for _, a := range as {
					p := prefix + a.Name
					if strings.HasPrefix(a.Name, "[") {
						p = strings.TrimSuffix(prefix, ".") + a.Name
					}
					args[p], inCarrier[p] = a, carried || a.Carries
					walk(p+".", a.Elems, carried || a.Carries)
				}
			}
			walk("", r.Tx.Call.Args, false)
			for path, want := range tt.want {
				a, ok := args[path]
				if !ok {
					t.Fatalf("no argument %s", path)
				}
				var have string
				switch hex := strings.HasPrefix(a.Value, "0x"); {
				case hex && a.Carries:
					have = "hex+calls"
				case hex:
					have = "hex"
				case inCarrier[path]:
					have = "calls"
				default:
					have = "nothing"
				}
				if have != want {
					t.Errorf("%s: %s, want %s (value %.20q, carries %v)", path, have, want, a.Value, a.Carries)
				}
			}
		})
	}
}
