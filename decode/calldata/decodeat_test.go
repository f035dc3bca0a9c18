package calldata

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// pack encodes a call from a function signature and its arguments.
func pack(t *testing.T, sig string, args ...any) []byte {
	t.Helper()
	m, ok := fourbyte(sig)
	if !ok {
		t.Fatalf("bad signature %s", sig)
	}
	b, err := m.Inputs.Pack(args...)
	if err != nil {
		t.Fatal(err)
	}
	return append(slices.Clone(m.ID), b...)
}

// TestDecodeAt: the root sits at the path given and nested paths follow
// from it, so evidence cites op.call.calls[0].args.spender.
func TestDecodeAt(t *testing.T) {
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	spender := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	account := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	approve := pack(t, "approve(address,uint256)", spender, abi.MaxUint256)
	data := pack(t, "execute(address,uint256,bytes)", usdc, big.NewInt(0), approve)
	d := New(nil).WithLabels(testLabels())
	for _, tc := range []struct {
		have string
		want []string
	}{
		{"op.call", []string{"op.call execute", "op.call.calls[0] approve"}},
		{"call", []string{"call execute", "call.calls[0] approve"}},
	} {
		if got := names(d.DecodeAt(tc.have, &account, nil, data)); !slices.Equal(got, tc.want) {
			t.Errorf("DecodeAt(%q) = %q, want %q", tc.have, got, tc.want)
		}
	}
	if got := names(d.Decode(&account, nil, data)); got[0] != "call execute" {
		t.Errorf("Decode root = %q, want the path \"call\"", got[0])
	}
}

// TestSafe4337ExecuteUserOp: the module's executeUserOp is opened with the
// operation its fourth argument says, like execTransactionFromModule.
func TestSafe4337ExecuteUserOp(t *testing.T) {
	safe := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	spender := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	approve := pack(t, "approve(address,uint256)", spender, abi.MaxUint256)
	d := New(nil).WithLabels(testLabels())
	for _, tc := range []struct {
		sig       string
		operation uint8
		want      string
	}{
		{"executeUserOp(address,uint256,bytes,uint8)", 0, OpCall},
		{"executeUserOp(address,uint256,bytes,uint8)", 1, OpDelegateCall},
		{"executeUserOpWithErrorString(address,uint256,bytes,uint8)", 1, OpDelegateCall},
	} {
		c := d.DecodeAt("op.call", &safe, nil, pack(t, tc.sig, usdc, big.NewInt(0), approve, tc.operation))
		if c.Source != "safe_4337_module" || len(c.Calls) != 1 {
			t.Fatalf("%s: source %q, %d inner calls; want safe_4337_module with 1", tc.sig, c.Source, len(c.Calls))
		}
		in := c.Calls[0]
		if in.Path != "op.call.calls[0]" || in.Name != "approve" || in.Operation != tc.want || in.Target.Address != usdc {
			t.Errorf("%s op %d: inner %s %s %s on %v, want op.call.calls[0] approve %s on USDC", tc.sig, tc.operation, in.Path, in.Name, in.Operation, in.Target, tc.want)
		}
	}
}

// TestERC7579Modes: ERC-7579's single-call (0x00) and delegatecall (0xff)
// execution modes open their one call, with its operation, as a batch
// (0x01) opens its calls.
func TestERC7579Modes(t *testing.T) {
	target := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	approve := common.FromHex("0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bc" + strings.Repeat("ff", 32))
	execute := func(mode byte, data []byte) []byte {
		m := make([]byte, 32)
		m[0] = mode
		b := common.FromHex("0xe9ae5c53")
		b = append(b, m...)
		b = append(b, common.LeftPadBytes([]byte{0x40}, 32)...)
		b = append(b, common.LeftPadBytes(big.NewInt(int64(len(data))).Bytes(), 32)...)
		return append(b, common.RightPadBytes(data, (len(data)+31)/32*32)...)
	}
	account := common.HexToAddress("0x5A1b29E2cE6E67eb10F4c1Ac0A3f3a9c2B7D4f11")
	for _, tc := range []struct {
		name string
		have []byte
		op   string
		err  string
	}{
		{"single", execute(0x00, append(append(target.Bytes(), make([]byte, 32)...), approve...)), OpCall, ""},
		{"delegatecall", execute(0xff, append(target.Bytes(), approve...)), OpDelegateCall, ""},
		{"single too short", execute(0x00, target.Bytes()), "", "shorter than target and value"},
		{"staticcall is not opened", execute(0xfe, target.Bytes()), "", "not one txguard opens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(nil).Decode(&account, nil, tc.have)
			if tc.err != "" {
				if !strings.Contains(c.Error, tc.err) || len(c.Calls) != 0 {
					t.Fatalf("error %q, %d calls; want %q and none", c.Error, len(c.Calls), tc.err)
				}
				return
			}
			if c.Error != "" || len(c.Calls) != 1 {
				t.Fatalf("error %q, %d calls; want one call", c.Error, len(c.Calls))
			}
			in := c.Calls[0]
			if in.Operation != tc.op || in.Target == nil || in.Target.Address != target || in.Signature != "approve(address,uint256)" {
				t.Errorf("inner call %s %v %s, want %s to %s approve", in.Operation, in.Target, in.Signature, tc.op, target)
			}
		})
	}
}

// TestChildPath: the paths of nested calls, from the table and built.
func TestChildPath(t *testing.T) {
	for _, tc := range []struct {
		parent string
		i      int
		want   string
	}{
		{"call", 0, "call.calls[0]"},
		{"call", 15, "call.calls[15]"},
		{"call", 16, "call.calls[16]"},
		{"call.calls[2]", 3, "call.calls[2].calls[3]"},
		{"op.call", 1, "op.call.calls[1]"},
	} {
		if have := childPath(tc.parent, tc.i); have != tc.want {
			t.Errorf("childPath(%q, %d) = %q, want %q", tc.parent, tc.i, have, tc.want)
		}
	}
}
