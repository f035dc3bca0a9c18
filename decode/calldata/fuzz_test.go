package calldata

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzDecode feeds calldata to every kind of target: a known token, the
// Universal Router (command tables), a v1.2 router, and an unknown contract.
// It must never panic, must stay within MaxDepth, and every call it reads
// must carry a path.
func FuzzDecode(f *testing.F) {
	for _, seed := range seeds(f) {
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
		}
	})
}
