package calldata

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// FuzzDecode feeds calldata to every kind of target: a known token, the
// Universal Router (command tables), a v1.2 router, and an unknown contract.
// It must never panic, must stay within MaxDepth, every call it reads must
// carry a path, and what it builds must fit the budget for the input's size.
func FuzzDecode(f *testing.F) {
	for _, seed := range seeds(f) {
		f.Add(seed)
	}
	// Offsets that alias: each would expand past the budget.
	for _, seed := range [][]byte{aliasedMulticall(8, 4), aliasedAggregate3(4, 4), aliasedRouter(4, 4),
		aliasedERC7821(3, 3), wideMulticall(40, 512), aliasedNestedArrays(8)} {
		f.Add(seed)
	}
	targets := []common.Address{
		common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
		common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af"),
		common.HexToAddress("0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD"),
		common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
	}
	d := New(nil).WithLabels(testLabels())
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := range targets {
			c := d.Decode(&targets[i], big.NewInt(1), data)
			depth := 0
			var walk func(c *Call, level int)
			walk = func(c *Call, level int) {
				if c.Path == "" {
					t.Fatal("call without a path")
				}
				depth = max(depth, level)
				for _, in := range c.Calls {
					walk(in, level+1)
				}
			}
			walk(c, 0)
			// Universal Router sub-plans add one level per command list.
			if depth > 2*MaxDepth+2 {
				t.Fatalf("nested %d levels deep", depth)
			}
			if n, limit := units(c), newBudget(len(data)).limit; n > limit {
				t.Fatalf("%d bytes built %d units, over the budget of %d", len(data), n, limit)
			}
			if marked := budgetErrors(c); len(marked) > 0 && marked[0] != "call" {
				t.Fatalf("the budget stopped %q but not the call holding them", marked)
			}
		}
	})
}

// sizeTypes are the layouts FuzzSize holds size to go-ethereum on, as
// ABI input lists: every kind of value, static arrays and tuples inline,
// offsets in dynamic arrays, tuples and arrays of them, zero-length arrays.
var sizeTypes = []string{
	`{"name":"m1","type":"uint256[][][]"}`,
	`{"name":"m2","type":"bytes[]"}`,
	`{"name":"m3","type":"string[]"}`,
	`{"name":"m4","type":"tuple[]","components":[{"name":"m5","type":"address"},{"name":"m6","type":"bool"},{"name":"m7","type":"bytes"}]}`,
	`{"name":"m8","type":"tuple[2][]","components":[{"name":"m9","type":"uint256"},{"name":"m10","type":"bytes"}]}`,
	`{"name":"m11","type":"uint8[3][2]"},{"name":"m12","type":"bytes"}`,
	`{"name":"m13","type":"tuple[]","components":[{"name":"m14","type":"uint256"},{"name":"m15","type":"uint256"}]}`,
	`{"name":"m16","type":"tuple","components":[{"name":"m17","type":"tuple[]","components":[{"name":"m18","type":"uint256"},{"name":"m19","type":"bytes[]"}]},{"name":"m20","type":"bytes32"}]}`,
	`{"name":"m21","type":"bytes[2][]"}`,
	`{"name":"m22","type":"uint256[0][]"},{"name":"m23","type":"uint256[0]"},{"name":"m24","type":"string"}`,
	`{"name":"m25","type":"tuple[]","components":[{"name":"m26","type":"uint256[2]"},{"name":"m27","type":"bytes"}]},{"name":"m28","type":"tuple[3]","components":[{"name":"m29","type":"int8"},{"name":"m30","type":"bytes2"}]}`,
	`{"name":"m31","type":"tuple[]","components":[{"name":"m32","type":"address"},{"name":"m33","type":"uint256"},{"name":"m34","type":"bytes"}]},{"name":"m35","type":"bytes"}`,
	`{"name":"m36","type":"bool[]"},{"name":"m37","type":"int24[]"},{"name":"m38","type":"bytes4[2]"},{"name":"m39","type":"function"}`,
}

// FuzzSize holds size to go-ethereum's Unpack: where Unpack reads the data,
// size does too and counts exactly the units toArgs then builds; where size
// finds the layout broken, Unpack fails.
func FuzzSize(f *testing.F) {
	f.Add(uint8(0), aliasedNestedArrays(3)[4:])
	f.Add(uint8(1), append(abiWord(32), aliasedBytesArray(3, []byte{1, 2, 3})...))
	f.Add(uint8(3), aliasedAggregate3(1, 2)[4:])
	f.Add(uint8(11), aliasedERC7821(1, 2)[68:])
	args := sizeArgs(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		i := int(which) % len(args)
		checkSize(t, sizeTypes[i], args[i], data)
	})
}

// TestSizeMirror runs FuzzSize's property over canonical encodings of
// every sizeTypes layout with words overwritten by small numbers, which
// makes offsets and lengths point elsewhere in the data: what coverage
// guidance rarely finds by itself.
func TestSizeMirror(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for i, a := range sizeArgs(t) {
		for n := range 4 {
			k := 0
			vals := make([]any, len(a))
			for j, in := range a {
				vals[j] = fill(in.Type, n, 2*n+1, &k).Interface()
			}
			data, err := a.Pack(vals...)
			if err != nil {
				t.Fatalf("%s: %v", sizeTypes[i], err)
			}
			for range 300 {
				mutated := slices.Clone(data)
				for range 1 + rnd.IntN(3) {
					if len(mutated) >= 32 {
						w := 32 * rnd.IntN(len(mutated)/32)
						copy(mutated[w:w+32], abiWord(rnd.IntN(len(mutated)+33)))
					}
				}
				checkSize(t, sizeTypes[i], a, mutated)
			}
		}
	}
}

func sizeArgs(t testing.TB) []abi.Arguments {
	var out []abi.Arguments
	for _, s := range sizeTypes {
		a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"f","inputs":[` + s + `]}]`))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		out = append(out, a.Methods["f"].Inputs)
	}
	return out
}

func checkSize(t *testing.T, name string, args abi.Arguments, data []byte) {
	t.Helper()
	const limit = 1 << 14
	n, ok := size(args, data, limit)
	if n > limit {
		return // Unpack could build without end: the point of size
	}
	vals, err := args.Unpack(data)
	switch {
	case err == nil && !ok:
		t.Fatalf("%s: Unpack reads %x, which size calls broken", name, data)
	case err == nil:
		if got := argUnits(New(nil).toArgs(args, vals)); got != n {
			t.Fatalf("%s: size counts %d units in %x, toArgs builds %d", name, n, data, got)
		}
	}
}
