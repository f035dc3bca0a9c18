package account

import (
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
)

// TestHandleOpsUnreadBounded: a bundle of many operations, each deploying
// its account through an unknown factory, is named part by part up to a
// bound and then in one line, so an attacker's bundle cannot make the
// verdict as long as the input.
func TestHandleOpsUnreadBounded(t *testing.T) {
	f, err := os.Open("../calldata/abis/entrypoint.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entryPoint, err := abi.JSON(f)
	if err != nil {
		t.Fatal(err)
	}
	// go-ethereum names the second overload handleOps0: v0.7's PackedUserOperation[].
	method := entryPoint.Methods["handleOps0"]
	args := method.Inputs
	type op struct {
		Sender             common.Address
		Nonce              *big.Int
		InitCode           []byte
		CallData           []byte
		AccountGasLimits   [32]byte
		PreVerificationGas *big.Int
		GasFees            [32]byte
		PaymasterAndData   []byte
		Signature          []byte
	}
	unknown := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	for _, tc := range []struct{ ops, want int }{{3, 6}, {40, maxUnreadCalls + 1}} {
		ops := make([]op, tc.ops)
		for i := range ops {
			ops[i] = op{Sender: common.BigToAddress(big.NewInt(int64(i + 1))), Nonce: new(big.Int), InitCode: append(unknown.Bytes(), 1, 2, 3, 4),
				PreVerificationGas: new(big.Int)}
		}
		packed, err := args.Pack(ops, unknown)
		if err != nil {
			t.Fatal(err)
		}
		data := slices.Concat(method.ID, packed)
		ep := common.HexToAddress("0x0000000071727De22E5E9d8BAf0edAc6f37da032")
		call := calldata.New(nil).Decode(&ep, nil, data)
		parts := HandleOpsUnread(call, nil)
		if len(parts) != tc.want {
			t.Fatalf("%d operations: %d parts, want %d: %+v", tc.ops, len(parts), tc.want, parts)
		}
		if tc.ops == 40 {
			last := parts[len(parts)-1]
			if !strings.HasPrefix(last.What, "and 64 more parts") || last.Path != "call.args.ops" {
				t.Errorf("last part %+v, want the 64 parts past the bound in one line", last)
			}
		}
	}
}
