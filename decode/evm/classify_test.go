package evm

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func fixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile("../../fixtures/bytecode/" + name + ".hex")
	if err != nil {
		t.Fatal(err)
	}
	return common.FromHex(strings.TrimSpace(string(b)))
}

func TestClassify(t *testing.T) {
	target := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	for _, tc := range []struct {
		name       string
		have       []byte
		wantForm   string
		wantTarget *common.Address
	}{
		{"solc creation code", fixture(t, "oz-erc20-creation"), FormCreation, nil},
		{"solc runtime code", fixture(t, "oz-erc20-runtime"), FormRuntime, nil},
		{"minimal proxy", fixture(t, "eip1167-proxy"), FormMinimalProxy, &target},
		{"delegation designator", fixture(t, "eip7702-designator"), FormDelegation, &target},
		{"designator of the wrong length", append(fixture(t, "eip7702-designator"), 0), FormRuntime, nil},
		{"a single STOP", []byte{0x00}, FormRuntime, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Analyze(tc.have)
			if err != nil {
				t.Fatal(err)
			}
			if got.Form != tc.wantForm || (got.Target == nil) != (tc.wantTarget == nil) || got.Target != nil && *got.Target != *tc.wantTarget {
				t.Errorf("form %q target %v, want %q %v", got.Form, got.Target, tc.wantForm, tc.wantTarget)
			}
		})
	}
	if _, err := Analyze(nil); err == nil || err.Error() != "evm: empty bytecode" {
		t.Errorf("Analyze(nil) error = %v", err)
	}
}

func TestLooksLikeCode(t *testing.T) {
	for _, tc := range []struct {
		have []byte
		want bool
	}{
		{fixture(t, "oz-erc20-runtime"), true},
		{fixture(t, "eip1167-proxy"), true},
		{fixture(t, "eip7702-designator"), true},
		{common.FromHex("0xdeadbeef"), false},
	} {
		if got := LooksLikeCode(tc.have); got != tc.want {
			t.Errorf("LooksLikeCode(%x…) = %v, want %v", tc.have[:4], got, tc.want)
		}
	}
}

// Vyper 0.1 puts the runtime first and the deployer after it; runtime code
// that copies a part of itself must not pass for that layout.
func TestVyperBetaLayout(t *testing.T) {
	// A one-function runtime (Vyper 0.1's dispatcher: calldata stored at
	// 28, selector read back with MLOAD 0) between the opening jump and the
	// deployer.
	runtime := `PUSH1 0 CALLDATALOAD PUSH1 0x1c MSTORE
		PUSH4 0x06fdde03 PUSH1 0 MLOAD EQ ISZERO PUSH2 @out JUMPI STOP
		out: JUMPDEST PUSH1 0 DUP1 REVERT`
	deployer := func(off, end string) string {
		return `deploy: JUMPDEST PUSH2 ` + off + ` PUSH2 ` + end + ` SUB PUSH2 ` + off + ` PUSH1 0 CODECOPY
			PUSH2 ` + off + ` PUSH2 ` + end + ` SUB PUSH1 0 RETURN`
	}
	for _, tc := range []struct {
		name     string
		have     string
		wantForm string
		wantSels []string
	}{
		{"Vyper 0.1 creation code", `PUSH2 @deploy JUMP ` + runtime + ` ` + deployer("0x0004", "@deploy"), FormCreation, []string{"0x06fdde03"}},
		{"copies from the middle of the runtime", `PUSH2 @deploy JUMP ` + runtime + ` ` + deployer("0x0005", "@deploy"), FormRuntime, nil},
		{"copies less than the runtime", `PUSH2 @deploy JUMP ` + runtime + ` ` + deployer("0x0004", "0x0010"), FormRuntime, nil},
		{"no opening jump to the copy", `PUSH2 @deploy POP ` + runtime + ` ` + deployer("0x0004", "@deploy"), FormRuntime, nil},
		{"opening jump elsewhere", `PUSH2 @out JUMP ` + runtime + ` ` + deployer("0x0004", "@deploy"), FormRuntime, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(asm(t, tc.have))
			if err != nil {
				t.Fatal(err)
			}
			if a.Form != tc.wantForm {
				t.Fatalf("form %q, want %q", a.Form, tc.wantForm)
			}
			if tc.wantForm == FormCreation && (a.RuntimeOffset != 4 || !slices.Equal(a.Selectors, tc.wantSels)) {
				t.Errorf("runtime at %d, selectors %v, want 4 %v", a.RuntimeOffset, a.Selectors, tc.wantSels)
			}
		})
	}
}
