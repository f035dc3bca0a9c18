package guard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/tx"
)

// TestCodeProxyLevels: TG806 grades the same code by who runs it: a
// contract a person calls or inspects, or code their account would run
// as its 7702 delegate.
func TestCodeProxyLevels(t *testing.T) {
	analysis := func(name string) *evm.Analysis {
		b, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			t.Fatal(err)
		}
		a, err := evm.Analyze(hexutil.MustDecode(strings.TrimSpace(string(b))))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	call := &decode.Result{Kind: decode.KindTx, Tx: &tx.Tx{Type: 2}}
	delegation := setCodeResult(1, auth("1", nobody, nil))
	for _, tc := range []struct {
		name, code string
		in         *decode.Result // nil: txguard inspect of the code itself
		want       Level
	}{
		{"inspect an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", nil, Caution},
		{"call an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", call, Caution},
		{"delegate to an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", delegation, Danger},
		{"inspect a minimal proxy", "bytecode/eip1167-proxy.hex", nil, Info},
		{"inspect a 7702 designator", "bytecode/eip7702-designator.hex", nil, Info},
		{"delegate to an account that delegates", "bytecode/eip7702-designator.hex", delegation, Caution},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verdict
			if tc.in == nil {
				v = checkFile(t, filepath.Join(fixtures, tc.code), Config{})
			} else {
				v = Check(tc.in, Config{Code: analysis(tc.code)})
			}
			if have, fired := worst(v, "TG806"); !fired || have != tc.want {
				t.Errorf("TG806: have %s (fired %v), want %s", have, fired, tc.want)
			}
		})
	}
}
