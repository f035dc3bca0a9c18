package calldata

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// units counts what a decoded call holds in the budget's units: callUnits
// per call, one per value, one per 32 bytes of bytes, strings and kept
// calldata. It is what the budget bounds, measured on the result.
func units(c *Call) int {
	n := 0
	c.Walk(func(c *Call) {
		n += callUnits + wordsOf(len(c.Data)) + argUnits(c.Args)
	})
	return n
}

func argUnits(args []Arg) int {
	n := 0
	for _, a := range args {
		n++
		switch a.Type {
		case "bytes":
			n += wordsOf(len(a.raw))
		case "string":
			n += wordsOf(len(a.Value))
		}
		n += argUnits(a.Elems)
	}
	return n
}

// budgetErrors lists the paths of the calls the budget stopped.
func budgetErrors(c *Call) []string {
	var out []string
	c.Walk(func(c *Call) {
		if strings.HasPrefix(c.Error, BudgetExceeded) {
			out = append(out, c.Path)
		}
	})
	return out
}

// TestHostileCalldata: offsets that alias make a few KB of calldata read
// as millions of calls or values. Each decode stays within the budget for
// its size, and the calls left unread are marked for TG608, the outermost
// first.
func TestHostileCalldata(t *testing.T) {
	router := common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af")
	mc3 := common.HexToAddress("0xcA11bde05977b3631167028862bE2a173976CA11")
	v3 := common.HexToAddress("0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45")
	account := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	user, err := ParseABI([]byte(nestedABI))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		have   []byte
		target common.Address
		abi    *abi.ABI
	}{
		// Following every offset builds 87,381 calls (5 wide: 488,281, 11 s
		// and 1.6 GB for txguard check before the budget).
		{"multicall of multicalls, 4 wide, 8 deep", aliasedMulticall(8, 4), v3, nil},
		{"aggregate3 of aggregate3s, 4 wide, 8 deep", aliasedAggregate3(8, 4), mc3, nil},
		{"router sub-plans, 4 wide, 8 deep", aliasedRouter(8, 4), router, nil},
		{"ERC-7821 batches of multicalls, 4 wide", aliasedERC7821(6, 4), account, nil},
		// 150 calls that each show the same 4 KB: 1.2 MB of hex from 9 KB.
		{"multicall, 150 elements on one 4 KB call", wideMulticall(150, 4096), v3, nil},
		// 216,000 integers from 6 KB (300 wide: 27 million, 77 s and 16 GB).
		{"uint256[][][], 60 wide", aliasedNestedArrays(60), account, user},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(tc.abi).WithLabels(testLabels()).Decode(&tc.target, nil, tc.have)
			limit := newBudget(len(tc.have)).limit
			if got := units(c); got > limit {
				t.Errorf("%d bytes decoded into %d units, over the budget of %d", len(tc.have), got, limit)
			}
			marked := budgetErrors(c)
			if len(marked) == 0 || marked[0] != "call" {
				t.Errorf("calls marked as over budget: %q, want the outermost call first", marked)
			}
			if !strings.Contains(c.Error, fmt.Sprintf("these %d bytes of calldata make more than %d calls", len(tc.have), limit)) {
				t.Errorf("error %q does not say what was too big", c.Error)
			}
		})
	}
}

// fill builds a value of t as an honest encoder would: n elements in every
// dynamic array, bytes of size bytes, integers and addresses that differ.
func fill(t abi.Type, n, size int, k *int) reflect.Value {
	*k++
	switch t.T {
	case abi.IntTy, abi.UintTy:
		if t.GetType() == reflect.TypeOf((*big.Int)(nil)) {
			return reflect.ValueOf(big.NewInt(int64(*k % 100)))
		}
		return reflect.ValueOf(*k % 100).Convert(t.GetType())
	case abi.AddressTy:
		return reflect.ValueOf(common.BigToAddress(big.NewInt(int64(*k) + 1<<20)))
	case abi.BoolTy:
		return reflect.ValueOf(*k%2 == 0)
	case abi.StringTy:
		return reflect.ValueOf(strings.Repeat("s", size))
	case abi.BytesTy:
		return reflect.ValueOf(make([]byte, size))
	case abi.SliceTy:
		v := reflect.MakeSlice(t.GetType(), n, n)
		for i := range n {
			v.Index(i).Set(fill(*t.Elem, n, size, k))
		}
		return v
	case abi.ArrayTy:
		v := reflect.New(t.GetType()).Elem()
		for i := range t.Size {
			v.Index(i).Set(fill(*t.Elem, n, size, k))
		}
		return v
	case abi.TupleTy:
		v := reflect.New(t.GetType()).Elem()
		for i, e := range t.TupleElems {
			v.Field(i).Set(fill(*e, n, size, k))
		}
		return v
	}
	return reflect.New(t.GetType()).Elem() // bytesN, function: zero
}

// curatedMethods lists every function of the curated ABIs, sorted.
func curatedMethods() []*abi.Method {
	var out []*abi.Method
	for _, c := range allCurated() {
		out = append(out, c.method)
	}
	slices.SortFunc(out, func(a, b *abi.Method) int { return strings.Compare(a.Sig, b.Sig) })
	return out
}

// honestMulticall nests multicall(bytes[]) levels deep, fan distinct
// elements wide: the same shape as aliasedMulticall, with every element's
// bytes written out, as an honest encoder does.
func honestMulticall(t testing.TB, levels, fan int) []byte {
	mc := abiOf(t, "uniswap_v3_router")
	var err error
	data := common.FromHex("0xd0e30db0")
	for range levels {
		elems := make([][]byte, fan)
		for i := range elems {
			elems[i] = data
		}
		if data, err = mc.Pack("multicall1", elems); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// safeMultiSend is Safe execTransaction delegating to MultiSend with n
// USDC transfers.
func safeMultiSend(t testing.TB, n int) []byte {
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	erc20, ms, safe := abiOf(t, "erc20"), abiOf(t, "safe_multisend"), abiOf(t, "safe")
	var batch []byte
	for i := range n {
		call, err := erc20.Pack("transfer", common.BigToAddress(big.NewInt(int64(i+1))), big.NewInt(1e6))
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, 0)
		batch = append(batch, usdc.Bytes()...)
		batch = append(batch, make([]byte, 32)...)
		batch = append(batch, abiWord(len(call))...)
		batch = append(batch, call...)
	}
	inner, err := ms.Pack("multiSend", batch)
	if err != nil {
		t.Fatal(err)
	}
	msAddr := common.HexToAddress("0x40A2aCCbd92BCA938b02010E17A5b8929b49130D")
	out, err := safe.Pack("execTransaction", msAddr, big.NewInt(0), inner, uint8(1), big.NewInt(0), big.NewInt(0),
		big.NewInt(0), common.Address{}, common.Address{}, make([]byte, 65))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// filled encodes a curated function canonically with n elements in every
// dynamic array and size bytes in every bytes value.
func filled(t testing.TB, sig string, n, size int) []byte {
	for _, m := range curatedMethods() {
		if m.Sig != sig {
			continue
		}
		k := 0
		vals := make([]any, len(m.Inputs))
		for i, in := range m.Inputs {
			vals[i] = fill(in.Type, n, size, &k).Interface()
		}
		args, err := m.Inputs.Pack(vals...)
		if err != nil {
			t.Fatalf("%s: %v", m.Sig, err)
		}
		return append(slices.Clone(m.ID), args...)
	}
	t.Fatalf("no curated function %s", sig)
	return nil
}

const (
	seaportFulfillOrder = "fulfillOrder(((address,address,(uint8,address,uint256,uint256,uint256)[],(uint8,address,uint256,uint256,uint256,address)[],uint8,uint256,uint256,bytes32,uint256,bytes32,uint256),bytes),bytes32)"
	permit2PermitBatch  = "permit(address,((address,uint160,uint48,uint48)[],address,uint256),bytes)"
)

// TestHonestBudget: honest encodings decode in full, well inside the
// budget: every call fixture (a Universal Router swap among them), the
// large shapes people sign, and every curated function encoded with 12
// elements in each dynamic array (a Seaport call then holds 12 orders of
// 12 offer and 12 consideration items).
func TestHonestBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		have []byte
		// wantCalls is how many calls it holds; wantUsed the most of its
		// budget it may use: the margin the budget's comment promises.
		wantCalls int
		wantUsed  float64
	}{
		{"Safe MultiSend of 50 USDC transfers", safeMultiSend(t, 50), 52, 0.1},
		{"Seaport order with 100 offer and 100 consideration items", filled(t, seaportFulfillOrder, 100, 65), 1, 0.1},
		{"Permit2 PermitBatch of 100 tokens", filled(t, permit2PermitBatch, 100, 65), 1, 0.1},
		// 128 KiB, the largest transaction a node relays, nested at every byte.
		{"multicall 3 wide, 6 deep", honestMulticall(t, 6, 3), 1093, 0.4},
		{"multicall 2 wide, MaxDepth deep", honestMulticall(t, MaxDepth, 2), 511, 0.3},
		{"multicall 1 wide, 3*MaxDepth deep", honestMulticall(t, 3*MaxDepth, 1), MaxDepth + 2, 0.15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, used, marked := spend(tc.have)
			if got := len(names(c)); got != tc.wantCalls {
				t.Errorf("%d calls, want %d", got, tc.wantCalls)
			}
			if len(marked) > 0 || used > tc.wantUsed {
				t.Errorf("%d bytes use %.1f%% of their budget (want at most %.0f%%); over budget at %q", len(tc.have), 100*used, 100*tc.wantUsed, marked)
			}
		})
	}
	for _, seed := range seeds(t) {
		if _, used, marked := spend(seed); len(marked) > 0 || used > 0.1 {
			t.Errorf("fixture %x: %.1f%% of the budget; over budget at %q", seed[:min(4, len(seed))], 100*used, marked)
		}
	}
	for _, m := range curatedMethods() {
		data := filled(t, m.Sig, 12, 100)
		if _, used, marked := spend(data); len(marked) > 0 || used > 0.1 {
			t.Errorf("%s (%d bytes): %.1f%% of the budget; over budget at %q", m.Sig, len(data), 100*used, marked)
		}
	}
}

// spend decodes data for an unknown contract and returns the call, the
// share of its budget it used and the calls the budget stopped.
func spend(data []byte) (c *Call, used float64, marked []string) {
	target := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	c = New(nil).WithLabels(testLabels()).Decode(&target, nil, data)
	return c, float64(units(c)) / float64(newBudget(len(data)).limit), budgetErrors(c)
}
