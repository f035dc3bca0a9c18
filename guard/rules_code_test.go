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

// TestCodeLevels: TG802 and TG806 grade the same code by who runs it: a
// contract a person calls or inspects, or code their account would run
// as its 7702 delegate.
func TestCodeLevels(t *testing.T) {
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
		rule       string
		want       Level
	}{
		{"inspect an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", nil, "TG806", Caution},
		{"call an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", call, "TG806", Caution},
		{"delegate to an upgradeable proxy", "rules/TG806-fire-eip1967-proxy.hex", delegation, "TG806", Danger},
		{"inspect a minimal proxy", "bytecode/eip1167-proxy.hex", nil, "TG806", Info},
		{"inspect a 7702 designator", "bytecode/eip7702-designator.hex", nil, "TG806", Info},
		{"delegate to an account that delegates", "bytecode/eip7702-designator.hex", delegation, "TG806", Caution},
		{"inspect a DELEGATECALL to a storage address", "rules/TG802-fire-delegatecall-to-storage-slot.hex", nil, "TG802", Caution},
		{"delegate to a DELEGATECALL to a storage address", "rules/TG802-fire-delegatecall-to-storage-slot.hex", delegation, "TG802", Danger},
		{"delegate to a caller's DELEGATECALL behind an INVALID", "rules/TG802-fire-delegatecall-behind-invalid.hex", delegation, "TG802", Critical},
		{"inspect a DELEGATECALL the trace loses", "rules/TG802-fire-delegatecall-through-memory.hex", nil, "TG802", Caution},
		{"delegate to a DELEGATECALL the trace loses", "rules/TG802-fire-delegatecall-through-memory.hex", delegation, "TG802", Danger},
		{"delegate to a SELFDESTRUCT behind an INVALID", "rules/TG801-fire-selfdestruct-behind-invalid.hex", delegation, "TG801", Critical},
		{"inspect a SELFDESTRUCT to a caller's address", "rules/TG801-fire-selfdestruct-to-caller-choice.hex", nil, "TG801", Danger},
		{"delegate to a SELFDESTRUCT to the caller", "rules/TG801-fire-selfdestruct-to-caller.hex", delegation, "TG801", Danger},
		{"inspect a CALLCODE to a fixed address", "rules/TG803-fire-callcode.hex", nil, "TG803", Caution},
		{"inspect a CALLCODE to a caller's address", "rules/TG803-fire-callcode-from-calldata.hex", nil, "TG803", Danger},
		{"delegate to a CALLCODE to a caller's address", "rules/TG803-fire-callcode-from-calldata.hex", delegation, "TG803", Critical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verdict
			if tc.in == nil {
				v = checkFile(t, filepath.Join(fixtures, tc.code), Config{})
			} else {
				v = Check(tc.in, Config{Code: analysis(tc.code)})
			}
			if have, fired := worst(v, tc.rule); !fired || have != tc.want {
				t.Errorf("%s: have %s (fired %v), want %s", tc.rule, have, fired, tc.want)
			}
		})
	}
}
