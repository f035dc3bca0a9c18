package calldata

import (
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// Each hostile input is paired with an honest one of about its size, so
// one run shows what the budget leaves an attacker: no more than honest
// work per byte. Before the budget, the hostile multicall took 11 s and
// 1.6 GB, the nested arrays 77 s and 16 GB (txguard check --no-llm).

func benchDecode(b *testing.B, user *abi.ABI, to common.Address, data []byte) {
	d := New(user).WithLabels(testLabels())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d.Decode(&to, nil, data)
	}
}

var (
	benchRouter  = common.HexToAddress("0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45")
	benchAccount = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
)

// BenchmarkHostileAliasedMulticall: 2.3 KB, multicalls 8 deep whose 5
// elements all point at the level below (488,281 calls if followed).
func BenchmarkHostileAliasedMulticall(b *testing.B) {
	benchDecode(b, nil, benchRouter, aliasedMulticall(8, 5))
}

// BenchmarkHonestNestedMulticall: 3.8 KB, multicalls 4 deep, 2 wide,
// every element written out.
func BenchmarkHonestNestedMulticall(b *testing.B) {
	benchDecode(b, nil, benchRouter, honestMulticall(b, 4, 2))
}

// BenchmarkHostileAliasedRouter: 2.6 KB of Universal Router sub-plans 8
// deep whose 4 commands share one input.
func BenchmarkHostileAliasedRouter(b *testing.B) {
	benchDecode(b, nil, common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af"), aliasedRouter(8, 4))
}

// BenchmarkHonestSafeMultiSend: 8 KB, a Safe MultiSend of 50 transfers.
func BenchmarkHonestSafeMultiSend(b *testing.B) {
	benchDecode(b, nil, benchAccount, safeMultiSend(b, 50))
}

// BenchmarkHostileNestedArrays: 29 KB of uint256[][][] whose 300 arrays at
// each level share one (27 million integers if followed).
func BenchmarkHostileNestedArrays(b *testing.B) {
	user, err := ParseABI([]byte(nestedABI))
	if err != nil {
		b.Fatal(err)
	}
	benchDecode(b, user, benchAccount, aliasedNestedArrays(300))
}

// BenchmarkHonestNestedArrays: 30 KB, uint256[][][] of 9×9×9 integers.
func BenchmarkHonestNestedArrays(b *testing.B) {
	user, err := ParseABI([]byte(nestedABI))
	if err != nil {
		b.Fatal(err)
	}
	k := 0
	m := user.Methods["f"]
	args, err := m.Inputs.Pack(fill(m.Inputs[0].Type, 9, 0, &k).Interface())
	if err != nil {
		b.Fatal(err)
	}
	benchDecode(b, user, benchAccount, append(common.FromHex("0x"+nestedSel), args...))
}

// BenchmarkHostileWideMulticall: 256 KB, one multicall of 8,000 elements
// that all point at one transfer: it spends the whole budget, the most
// work any calldata can ask for.
func BenchmarkHostileWideMulticall(b *testing.B) {
	transfer := append(common.FromHex("0xa9059cbb"), append(abiWord(7), abiWord(1000)...)...)
	benchDecode(b, nil, benchRouter, append(append(common.FromHex("0xac9650d8"), abiWord(32)...), aliasedBytesArray(8000, transfer)...))
}

// BenchmarkHonestWideMulticall: 192 KB, one multicall of 1,200 different
// transfers.
func BenchmarkHonestWideMulticall(b *testing.B) {
	elems := make([][]byte, 1200)
	for i := range elems {
		elems[i] = append(common.FromHex("0xa9059cbb"), append(abiWord(i+1), abiWord(1000)...)...)
	}
	data, err := abiOf(b, "uniswap_v3_router").Pack("multicall1", elems)
	if err != nil {
		b.Fatal(err)
	}
	benchDecode(b, nil, benchRouter, data)
}
