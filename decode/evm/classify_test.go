package evm

import (
	"os"
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
