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

// alu computes a binary opcode over two constants into r (x is the top
// operand). Opcodes it does not model leave r unchanged.
func alu(op OpCode, x, y, r *uint256.Int) {
	switch op {
	case ADD:
		r.Add(x, y)
	case MUL:
		r.Mul(x, y)
	case SUB:
		r.Sub(x, y)
	case DIV:
		r.Div(x, y)
	case SDIV:
		r.SDiv(x, y)
	case MOD:
		r.Mod(x, y)
	case SMOD:
		r.SMod(x, y)
	case EXP:
		r.Exp(x, y)
	case SIGNEXTEND:
		r.ExtendSign(y, x)
	case LT:
		r.SetUint64(boolU(x.Lt(y)))
	case GT:
		r.SetUint64(boolU(x.Gt(y)))
	case SLT:
		r.SetUint64(boolU(x.Slt(y)))
	case SGT:
		r.SetUint64(boolU(x.Sgt(y)))
	case EQ:
		r.SetUint64(boolU(x.Eq(y)))
	case AND:
		r.And(x, y)
	case OR:
		r.Or(x, y)
	case XOR:
		r.Xor(x, y)
	case BYTE:
		r.Set(y)
		r.Byte(x)
	case SHL:
		if n, ok := small(x); ok && n < 256 {
			r.Lsh(y, uint(n))
		}
	case SHR:
		if n, ok := small(x); ok && n < 256 {
			r.Rsh(y, uint(n))
		}
	case SAR:
		if n, ok := small(x); ok && n < 256 {
			r.SRsh(y, uint(n))
		} else if y.Sign() < 0 {
			r.SetAllOne()
		}
	}
}
