package evm

import (
	"github.com/holiman/uint256"
)

// This file answers "where did this operand come from?" for an instruction
// (the address of a DELEGATECALL, the offsets of a CODECOPY) by evaluating
// the straight-line code before it: its basic block, and then up to
// maxPredecessors blocks back along jumps whose target is a constant. Only
// PUSH constants and what folds from them are known; SLOAD and CALLDATALOAD
// are remembered as such (with the slot when it is a constant); masking with
// a constant (AND 0xff..ff, SHR 8) keeps the origin, so that an address read
// from packed storage still counts as storage. Anything else (memory, a
// value returned from an internal function) is unknown. It is a look, not a
// proof: enough to tell a proxy's stored implementation from a calldata
// address, not to follow every compiler's internal calling convention.

// origin is what produced a stack value.
type origin uint8

const (
	fromUnknown origin = iota
	fromEntry          // on the stack when the block was entered: look further back
	fromConst
	fromStorage
	fromCalldata
	fromSelf // ADDRESS: the contract itself (address(this))
)

// sym is what block evaluation knows about a stack value.
type sym struct {
	o     origin
	v     uint256.Int // fromConst: the value; fromStorage: the slot, if slotKnown
	slotK bool
	entry int // fromEntry: depth at block entry
}

// block is a basic block: instructions prog[start:end].
type block struct {
	start, end int
	// jumpTo is the block index of a constant jump target at the end, or -1.
	jumpTo int
	// falls reports that control can run on into the next block.
	falls bool
}

// program is code split into instructions and basic blocks, with the
// constant-target edges between them.
type program struct {
	code   []byte
	ins    []Instruction
	blocks []block
	byPC   map[int]int // block index by the pc of its first instruction
	preds  [][]int
	blkOf  []int // block index by instruction index
	// computed is set (by readRunning) when some jump that can run goes
	// where the trace cannot tell: then any JUMPDEST may be entered from
	// anywhere, with anything on the stack, and its known predecessors are
	// not all. Programs read for solc's layout (creation code) leave it
	// unset and take the known paths at their word.
	computed bool
}

const maxPredecessors = 3

func newProgram(code []byte) *program {
	return newProgramOf(code, Disassemble(code))
}

// newProgramOf builds the blocks and their jumps over ins, instructions of
// code.
func newProgramOf(code []byte, ins []Instruction) *program {
	p := &program{code: code, ins: ins}
	p.byPC = make(map[int]int, len(p.ins)/8)
	p.blkOf = make([]int, len(p.ins))
	start := 0
	cut := func(end int) {
		if end > start {
			p.byPC[p.ins[start].PC] = len(p.blocks)
			p.blocks = append(p.blocks, block{start: start, end: end, jumpTo: -1})
		}
		start = end
	}
	for i, in := range p.ins {
		if in.Op == JUMPDEST {
			cut(i)
		}
		p.blkOf[i] = len(p.blocks)
		if endsBlock(in.Op) {
			cut(i + 1)
		}
	}
	cut(len(p.ins))
	p.preds = make([][]int, len(p.blocks))
	for bi := range p.blocks {
		b := &p.blocks[bi]
		last := p.ins[b.end-1].Op
		b.falls = !endsBlock(last) || last == JUMPI
		if last == JUMP || last == JUMPI {
			st := p.eval(bi, b.end-1, nil)
			if t := top(st, 0); t.o == fromConst && t.v.IsUint64() {
				if tb, ok := p.byPC[int(t.v.Uint64())]; ok && p.ins[p.blocks[tb].start].Op == JUMPDEST {
					b.jumpTo = tb
					p.preds[tb] = append(p.preds[tb], bi)
				}
			}
		}
		if b.falls && bi+1 < len(p.blocks) {
			p.preds[bi+1] = append(p.preds[bi+1], bi)
		}
	}
	return p
}

func endsBlock(op OpCode) bool {
	switch op {
	case JUMP, JUMPI, STOP, RETURN, REVERT, INVALID, SELFDESTRUCT:
		return true
	}
	return !op.Defined()
}

// top returns the value at depth d of st (0 = top); below the bottom lies
// what the block was entered with.
func top(st []sym, d int) sym {
	if d < len(st) {
		return st[len(st)-1-d]
	}
	return sym{o: fromEntry, entry: d - len(st)}
}

// eval runs block bi from its start up to (not including) instruction
// index stop, on an entry stack of unknowns, and returns the stack. Values
// popped from below the bottom are fromEntry.
func (p *program) eval(bi, stop int, st []sym) []sym {
	return p.evalFrom(p.blocks[bi].start, stop, st)
}

// evalFrom is eval from instruction index start.
func (p *program) evalFrom(start, stop int, st []sym) []sym {
	st = st[:0]
	depth := 0 // entry items consumed from below
	pop := func() sym {
		if len(st) > 0 {
			v := st[len(st)-1]
			st = st[:len(st)-1]
			return v
		}
		depth++
		return sym{o: fromEntry, entry: depth - 1}
	}
	for i := start; i < stop; i++ {
		in := p.ins[i]
		op := in.Op
		switch {
		case op == PUSH0 || op.IsPush():
			var s sym
			s.o = fromConst
			s.v.SetBytes(in.Push)
			if in.Truncated { // the EVM pads a cut-off PUSH with zeros
				s.v.Lsh(&s.v, uint(8*(int(ops[op].imm)-len(in.Push))))
			}
			st = append(st, s)
			continue
		case op >= DUP1 && op <= DUP16:
			n := int(op-DUP1) + 1
			st = append(st, stackAt(&st, &depth, n-1))
			continue
		case op >= SWAP1 && op <= SWAP16:
			n := int(op-SWAP1) + 1
			need(&st, &depth, n+1)
			t := len(st) - 1
			st[t], st[t-n] = st[t-n], st[t]
			continue
		}
		info := ops[op]
		var buf [7]sym // CALL pops the most: 7
		args := buf[:info.pops]
		for k := range args {
			args[k] = pop()
		}
		var r sym
		switch op {
		case SLOAD:
			r.o = fromStorage
			if args[0].o == fromConst {
				r.v, r.slotK = args[0].v, true
			}
		case CALLDATALOAD:
			r.o = fromCalldata
		case ADDRESS:
			r.o = fromSelf
		case CODESIZE:
			r.o = fromConst
			r.v.SetUint64(uint64(len(p.code)))
		case ADD, SUB, MUL, DIV, EXP, SHL, SHR, AND, OR, XOR:
			r = fold(op, args[0], args[1])
		case NOT:
			if args[0].o == fromConst {
				r.o = fromConst
				r.v.Not(&args[0].v)
			}
		}
		for range info.pushes {
			st = append(st, r)
		}
	}
	return st
}

// stackAt reads depth d, pulling entry items up when the block's own stack
// is too short.
func stackAt(st *[]sym, depth *int, d int) sym {
	need(st, depth, d+1)
	return (*st)[len(*st)-1-d]
}

// need makes st hold at least n items by materialising entry items below.
func need(st *[]sym, depth *int, n int) {
	for len(*st) < n {
		*st = append([]sym{{o: fromEntry, entry: *depth}}, *st...)
		*depth++
	}
}

// fold computes op over constants, and lets a constant mask or shift keep
// the origin of the other operand.
func fold(op OpCode, a, b sym) sym {
	if a.o == fromConst && b.o == fromConst {
		r := sym{o: fromConst}
		alu(op, &a.v, &b.v, &r.v)
		return r
	}
	switch op {
	case AND, OR:
		if a.o == fromConst {
			return b
		}
		if b.o == fromConst {
			return a
		}
	case SHR, SHL:
		if a.o == fromConst { // the shift amount is a constant
			return b
		}
	case DIV:
		if b.o == fromConst {
			return a
		}
	}
	return sym{}
}

// operand tells where the value at depth d of the stack before instruction
// index i came from, looking back through up to maxPredecessors blocks. More
// than one answer means different paths feed different values; see
// program.computed for what a JUMPDEST adds.
func (p *program) operand(i, d int) []sym {
	var out []sym
	budget := maxLookups
	p.operandIn(p.blkOf[i], i, d, maxPredecessors, &out, nil, &budget)
	if len(out) == 0 { // every path led back into a loop already seen
		out = append(out, sym{})
	}
	return out
}

// maxLookups bounds the blocks evaluated for one operand (a block can have
// many predecessors), maxWindow the instructions evaluated in one block, so
// that code made of one long block of DELEGATECALLs stays linear.
const (
	maxLookups = 64
	maxWindow  = 256
)

func (p *program) operandIn(bi, stop, d, hops int, out *[]sym, visited []int, budget *int) {
	if *budget <= 0 {
		*out = appendSym(*out, sym{})
		return
	}
	*budget--
	start := p.blocks[bi].start
	if stop-start > maxWindow {
		// A long block: look at its tail only, and no further back.
		start, hops = stop-maxWindow, 0
	}
	s := top(p.evalFrom(start, stop, nil), d)
	if s.o != fromEntry {
		*out = appendSym(*out, s)
		return
	}
	if hops == 0 || len(p.preds[bi]) == 0 {
		*out = appendSym(*out, sym{})
		return
	}
	if p.computed && p.ins[p.blocks[bi].start].Op == JUMPDEST {
		// A computed jump (an internal function's return, or code
		// built to hide one) may land here with any value: the
		// predecessors the trace knows need not be the ones that run.
		*out = appendSym(*out, sym{})
	}
	visited = append(visited, bi)
	for _, pb := range p.preds[bi] {
		seen := false
		for _, v := range visited {
			seen = seen || v == pb
		}
		if seen {
			continue
		}
		b := p.blocks[pb]
		// A jump leaves its target (and a JUMPI its condition) behind; a
		// block that falls through leaves everything.
		extra := 0
		switch p.ins[b.end-1].Op {
		case JUMP:
			extra = 1
		case JUMPI:
			extra = 2
		}
		// Evaluate pb to its last instruction, then drop what the jump pops.
		p.operandIn(pb, b.end-1+boolInt(extra == 0), s.entry+extra, hops-1, out, visited, budget)
	}
}

func appendSym(out []sym, s sym) []sym {
	for _, o := range out {
		if o.o == s.o && o.slotK == s.slotK && o.v.Eq(&s.v) {
			return out
		}
	}
	return append(out, s)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
