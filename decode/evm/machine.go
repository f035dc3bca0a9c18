package evm

import (
	"slices"

	"github.com/holiman/uint256"
)

// The machine Selectors runs: concrete 256-bit words, each tagged with
// where it came from, and a small memory with a tag per byte.

// tag says what a value was derived from.
type tag uint8

const (
	plain    tag = iota
	calldata     // bytes of the call data's first word
	selector     // the 4-byte selector itself
	mulSel       // selector times a constant (Vyper's perfect-hash buckets)
	selCmp       // result of comparing the selector with a constant
)

type word struct {
	v   uint256.Int
	tag tag
	sel uint32 // for selCmp
}

type machine struct {
	pc    int
	stack []word
	mem   []byte
	memT  []tag // per byte of mem: plain or calldata
}

func (m *machine) clone() *machine {
	return &machine{pc: m.pc, stack: slices.Clone(m.stack), mem: slices.Clone(m.mem), memT: slices.Clone(m.memT)}
}

// grow extends memory to n bytes, within maxMemory.
func grow(m *machine, n uint64) bool {
	if n > maxMemory {
		return false
	}
	if int(n) > len(m.mem) {
		size := (int(n) + 31) &^ 31
		m.mem = append(m.mem, make([]byte, size-len(m.mem))...)
		m.memT = append(m.memT, make([]tag, size-len(m.memT))...)
	}
	return true
}

// small returns v as a uint64 if it fits comfortably (< 2^32).
func small(v *uint256.Int) (uint64, bool) {
	if !v.IsUint64() || v.Uint64() > 0xffffffff {
		return 0, false
	}
	return v.Uint64(), true
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
