package account

import (
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// Addresses the tests use: mainnet tokens and contracts on the built-in
// lists, and addresses nobody knows.
var (
	usdc           = common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	weth           = common.HexToAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
	v2Router       = common.HexToAddress("0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D")
	multiSend      = common.HexToAddress("0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526")
	entryPoint6    = common.HexToAddress("0x5FF137D4b0FDCD49DcA30c7CF57E578a026d2789")
	entryPoint7    = common.HexToAddress("0x0000000071727De22E5E9d8BAf0edAc6f37da032")
	entryPoint8    = common.HexToAddress("0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108")
	module030      = common.HexToAddress("0x75cf11467937ce3F2f357CE24ffc3DBF8fD5c226")
	simpleFactory6 = common.HexToAddress("0x9406Cc6185a346906296840746125a0E44976454")
	// The Safe drained in the Bybit theft, and a contract nobody knows.
	safeAddr = common.HexToAddress("0x1Db92e2EeBC8E0c075a02BeA49a2935BcD2dFCF4")
	unknown  = common.HexToAddress("0x96221423681A6d52E184D440a8eFCEbB105C7242")
	attacker = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	account  = common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
)

// pack encodes a call to a canonical signature.
func pack(t testing.TB, sig string, args ...any) []byte {
	t.Helper()
	b, err := mustFunction(sig)().call(args...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func approveMax(t testing.TB, spender common.Address) []byte {
	return pack(t, "approve(address,uint256)", spender, abi.MaxUint256)
}

// multiSendTx packs one MultiSend transaction: operation, to, value,
// data length, data.
func multiSendTx(operation byte, to common.Address, value int64, data []byte) []byte {
	out := append([]byte{operation}, to.Bytes()...)
	out = append(out, common.LeftPadBytes(big.NewInt(value).Bytes(), 32)...)
	out = append(out, common.LeftPadBytes(big.NewInt(int64(len(data))).Bytes(), 32)...)
	return append(out, data...)
}

// member is one {name, type} of a typed-data type.
type member = [2]string

// typedJSON writes an eth_signTypedData_v4 request.
func typedJSON(t testing.TB, primary string, domainTypes, types []member, domain, message map[string]any) []byte {
	t.Helper()
	conv := func(ms []member) []map[string]string {
		out := []map[string]string{}
		for _, m := range ms {
			out = append(out, map[string]string{"name": m[0], "type": m[1]})
		}
		return out
	}
	b, err := json.Marshal(map[string]any{
		"types":       map[string]any{"EIP712Domain": conv(domainTypes), primary: conv(types)},
		"primaryType": primary,
		"domain":      domain,
		"message":     message,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseTyped(t testing.TB, b []byte) *typeddata.TypedData {
	t.Helper()
	td, err := typeddata.Parse(b, nil)
	if err != nil {
		t.Fatalf("typeddata.Parse: %v", err)
	}
	return td
}

// decoder labels on no chain: the operation's own chain must be used.
func decoder() *calldata.Decoder { return calldata.New(nil).WithLabels(label.New(0, nil)) }

// calls lists "path name [operation]" for every call, depth first.
func calls(c *calldata.Call) []string {
	var out []string
	c.Walk(func(c *calldata.Call) {
		s := c.Path + " " + c.Name
		if c.Operation == calldata.OpDelegateCall {
			s += " [delegatecall]"
		}
		out = append(out, s)
	})
	return out
}

// hasNote reports a note containing s.
func hasNote(op *Op, s string) bool {
	return slices.ContainsFunc(op.Notes, func(n string) bool { return strings.Contains(n, s) })
}

func hexOf(b []byte) string { return hexutil.Encode(b) }
