package evm

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// fuzzSeeds are the fixtures, a few corpus contracts of different compilers
// and hand-made edge cases.
func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"oz-erc20-runtime", "oz-erc20-creation", "eip1167-proxy", "eip7702-designator"} {
		f.Add(fixture(f, name))
	}
	seen := map[string]bool{}
	for _, e := range corpus(f) {
		if fam := e.family(); !seen[fam] && len(e.code) < 4096 {
			seen[fam] = true
			f.Add(e.code)
		}
	}
	for _, h := range []string{"", "00", "7f", "61ff", "5b600056", "0c21fe5f", "6000356000526020", "a164736f6c6343000706000a",
		"3d602d80600a3d3981f3", "600035601c52600051"} {
		f.Add(common.FromHex(h))
	}
}

func FuzzDisassemble(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, code []byte) {
		ins := Disassemble(code)
		end := codeEnd(code)
		// Instructions tile the code up to the trailer, in order.
		pc := 0
		for _, in := range ins {
			if in.PC != pc || byte(in.Op) != code[pc] {
				t.Fatalf("instruction at %d, want %d", in.PC, pc)
			}
			pc += 1 + int(ops[in.Op].imm)
			if in.Truncated != (pc > end) {
				t.Fatalf("truncated flag wrong at %d", in.PC)
			}
		}
		if pc < end {
			t.Fatalf("stopped at %d of %d", pc, end)
		}
		for _, in := range ins {
			_ = in.String()
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, code []byte) {
		sels := Selectors(code)
		if !slices.IsSorted(sels) || len(slices.Compact(slices.Clone(sels))) != len(sels) {
			t.Fatalf("selectors not sorted and distinct: %08x", sels)
		}
		a, err := Analyze(code)
		if err != nil {
			if len(code) != 0 {
				t.Fatalf("Analyze: %v", err)
			}
			return
		}
		if a.RuntimeOffset < 0 || a.RuntimeOffset+a.RuntimeSize > len(code) {
			t.Fatalf("runtime [%d,+%d) outside %d bytes", a.RuntimeOffset, a.RuntimeSize, len(code))
		}
		j1, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		// Programs are pooled: a second analysis on recycled buffers must
		// say the same.
		a2, _ := Analyze(code)
		if j2, _ := json.Marshal(a2); string(j1) != string(j2) {
			t.Fatalf("second analysis differs:\n%s\n%s", j1, j2)
		}
		_ = ParseMetadata(code)
		// The traced jump targets are what evaluating each block gives.
		p := newProgram(code, codeEnd(code))
		defer p.release()
		for bi, b := range p.blocks {
			if last := p.ins[b.end-1].op; last != JUMP && last != JUMPI {
				continue
			}
			fast, okF := p.jumpTarget(bi)
			slow, okS := constTarget(top(p.eval(bi, int(b.end)-1), 0))
			if fast != slow || okF != okS {
				t.Fatalf("block %d: traced target %d %v, evaluated %d %v", bi, fast, okF, slow, okS)
			}
		}
	})
}
