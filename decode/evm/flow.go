package evm

import (
	"cmp"
	"slices"
	"sync"

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
	start, end int32
	// jumpTo is the block index of a constant jump target at the end, or -1.
	jumpTo int32
	// falls reports that control can run on into the next block.
	falls bool
}

// program is code split into instructions and basic blocks, with the
// constant-target edges between them. It is built once over all of the
// code, as the EVM reads it (the trailer and data too); the compiler's
// layout (creation code's copy of its runtime, the facts) is read from the
// instructions before the metadata trailer, ins[:own], with layout set.
type program struct {
	code []byte
	ins  []inst
	// own counts the instructions before the trailer, ownCode is the code
	// before it: what Disassemble lists.
	own     int
	ownCode []byte
	blocks  []block
	// The predecessors of block b are predList[predOff[b]:predOff[b+1]].
	predOff, predList []int32
	blkOf             []int32 // block index by instruction index
	// computed is set (by readRunning) when some jump that can run goes
	// where the trace cannot tell: then any JUMPDEST may be entered from
	// anywhere, with anything on the stack, and its known predecessors are
	// not all. Reading solc's layout (creation code) leaves it unset and
	// takes the known paths at their word.
	computed bool
	// layout restricts operand lookups to ins[:own] and its blocks, as if
	// the trailer were not there: where a compiler puts the runtime is
	// read from its code, not from bytes of a hash.
	layout bool
	// scratch is evalFrom's stack, reused: a lookup evaluates many blocks.
	scratch []sym
}

const maxPredecessors = 3

// programs recycles programs: Analyze builds one or two per call, and their
// slices are most of its memory.
var programs = sync.Pool{New: func() any { return new(program) }}

// newProgram builds the program of code, whose trailer starts at end
// (len(code) when there is none). release gives it back.
func newProgram(code []byte, end int) *program {
	p := programs.Get().(*program)
	p.code, p.computed, p.layout = code, false, false
	p.ins = decodeInsts(code, p.ins)
	p.ownCode = code[:end]
	p.own = len(p.ins)
	for p.own > 0 && int(p.ins[p.own-1].pc) >= end {
		p.own--
	}
	p.blkOf = slices.Grow(p.blkOf[:0], len(p.ins))[:len(p.ins)]
	p.blocks = p.blocks[:0]
	start := 0
	cut := func(end int) {
		if end > start {
			p.blocks = append(p.blocks, block{start: int32(start), end: int32(end), jumpTo: -1})
		}
		start = end
	}
	for i, in := range p.ins {
		if in.op == JUMPDEST {
			cut(i)
		}
		p.blkOf[i] = int32(len(p.blocks))
		if endsBlock(in.op) {
			cut(i + 1)
		}
	}
	cut(len(p.ins))
	// Jump targets, then the predecessor lists in one array: counts,
	// offsets, fill.
	p.predOff = slices.Grow(p.predOff[:0], len(p.blocks)+1)[:len(p.blocks)+1]
	clear(p.predOff)
	for bi := range p.blocks {
		b := &p.blocks[bi]
		last := p.ins[b.end-1].op
		b.falls = !endsBlock(last) || last == JUMPI
		if last == JUMP || last == JUMPI {
			if t, ok := p.jumpTarget(bi); ok {
				if tb, ok := p.blockAt(t); ok && p.ins[p.blocks[tb].start].op == JUMPDEST {
					b.jumpTo = int32(tb)
					p.predOff[tb+1]++
				}
			}
		}
		if b.falls && bi+1 < len(p.blocks) {
			p.predOff[bi+2]++
		}
	}
	for bi := range p.blocks {
		p.predOff[bi+1] += p.predOff[bi]
	}
	p.predList = slices.Grow(p.predList[:0], int(p.predOff[len(p.blocks)]))[:p.predOff[len(p.blocks)]]
	fill := slices.Clone(p.predOff[:len(p.blocks)]) // small: one int32 a block
	for bi, b := range p.blocks {
		if b.jumpTo >= 0 {
			p.predList[fill[b.jumpTo]] = int32(bi)
			fill[b.jumpTo]++
		}
		if b.falls && bi+1 < len(p.blocks) {
			p.predList[fill[bi+1]] = int32(bi)
			fill[bi+1]++
		}
	}
	return p
}

// jumpTarget is the constant target of the jump that ends block bi. It
// follows the target back from the jump (most come from a PUSH just before
// it, or a DUP or SWAP of one) and evaluates the block only when the target
// is computed by an instruction evalFrom folds: the same answer as
// evaluating every jump's block, for a fraction of the work.
func (p *program) jumpTarget(bi int) (uint64, bool) {
	b := p.blocks[bi]
	d := 0 // depth of the target on the stack after instruction k
	for k := int(b.end) - 2; k >= int(b.start); k-- {
		op := p.ins[k].op
		switch {
		case op == PUSH0 || op.IsPush():
			if d == 0 {
				return constTarget(p.evalFrom(k, k+1)[0])
			}
			d--
		case op >= DUP1 && op <= DUP16:
			if d == 0 {
				d = int(op-DUP1) + 1
			}
			d--
		case op >= SWAP1 && op <= SWAP16:
			if n := int(op-SWAP1) + 1; d == 0 {
				d = n
			} else if d == n {
				d = 0
			}
		default:
			info := ops[op]
			if d >= int(info.pushes) {
				d += int(info.pops) - int(info.pushes)
				continue
			}
			if !foldsConst(op) {
				return 0, false
			}
			return constTarget(top(p.eval(bi, int(b.end)-1), 0))
		}
	}
	return 0, false // on the stack when the block was entered
}

// foldsConst reports the instructions evalFrom can turn into a constant.
func foldsConst(op OpCode) bool {
	switch op {
	case CODESIZE, NOT, ADD, SUB, MUL, DIV, EXP, SHL, SHR, AND, OR, XOR:
		return true
	}
	return false
}

func constTarget(t sym) (uint64, bool) {
	if t.o != fromConst || !t.v.IsUint64() {
		return 0, false
	}
	return t.v.Uint64(), true
}

// release returns p to the pool; nothing may use it after.
func (p *program) release() {
	p.code, p.ownCode = nil, nil
	programs.Put(p)
}

// preds are the blocks that can run on into block bi, in block order.
func (p *program) preds(bi int) []int32 {
	return p.predList[p.predOff[bi]:p.predOff[bi+1]]
}

// blockAt finds the block that starts at pc.
func (p *program) blockAt(pc uint64) (int, bool) {
	i, ok := slices.BinarySearchFunc(p.blocks, pc, func(b block, pc uint64) int {
		return cmp.Compare(uint64(p.ins[b.start].pc), pc)
	})
	return i, ok
}

// pushData is the data of instruction i as the current reading sees it:
// cut at the trailer when reading the layout.
func (p *program) pushData(i int) ([]byte, bool) {
	if p.layout {
		return p.ins[i].data(p.ownCode)
	}
	return p.ins[i].data(p.code)
}

// ownView is the instructions before the trailer, with their data.
func (p *program) ownView() insts { return insts{p.ownCode, p.ins[:p.own]} }

// prefix is the instructions that start before end, with their data cut
// there: what Disassemble lists of code[:end].
func (p *program) prefix(end int) insts {
	n, _ := slices.BinarySearchFunc(p.ins, uint32(end), func(in inst, pc uint32) int { return cmp.Compare(in.pc, pc) })
	return insts{p.code[:end], p.ins[:n]}
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
// index stop, on an entry stack of unknowns, and returns the stack, valid
// until the next evaluation. Values popped from below the bottom are
// fromEntry.
func (p *program) eval(bi, stop int) []sym {
	return p.evalFrom(int(p.blocks[bi].start), stop)
}

// evalFrom is eval from instruction index start.
func (p *program) evalFrom(start, stop int) []sym {
	st := p.scratch[:0]
	defer func() { p.scratch = st[:0] }()
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
		op := p.ins[i].op
		switch {
		case op == PUSH0 || op.IsPush():
			var s sym
			s.o = fromConst
			push, truncated := p.pushData(i)
			s.v.SetBytes(push)
			if truncated { // the EVM pads a cut-off PUSH with zeros
				s.v.Lsh(&s.v, uint(8*(int(ops[op].imm)-len(push))))
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

// need makes st hold at least n items by materialising entry items below,
// in place: the deepest one read is the bottom.
func need(st *[]sym, depth *int, n int) {
	k := n - len(*st)
	if k <= 0 {
		return
	}
	s := slices.Grow(*st, k)[:len(*st)+k]
	copy(s[k:], s[:len(s)-k])
	for j := range k {
		s[k-1-j] = sym{o: fromEntry, entry: *depth + j}
	}
	*depth += k
	*st = s
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
	var visited [maxPredecessors + 1]int32
	p.operandIn(int(p.blkOf[i]), i, d, maxPredecessors, &out, visited[:0], &budget)
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

func (p *program) operandIn(bi, stop, d, hops int, out *[]sym, visited []int32, budget *int) {
	if *budget <= 0 {
		*out = appendSym(*out, sym{})
		return
	}
	*budget--
	start := int(p.blocks[bi].start)
	if stop-start > maxWindow {
		// A long block: look at its tail only, and no further back.
		start, hops = stop-maxWindow, 0
	}
	s := top(p.evalFrom(start, stop), d)
	if s.o != fromEntry {
		*out = appendSym(*out, s)
		return
	}
	preds := p.preds(bi)
	if hops == 0 || len(preds) == 0 {
		*out = appendSym(*out, sym{})
		return
	}
	if p.computed && p.ins[p.blocks[bi].start].op == JUMPDEST {
		// A computed jump (an internal function's return, or code
		// built to hide one) may land here with any value: the
		// predecessors the trace knows need not be the ones that run.
		*out = appendSym(*out, sym{})
	}
	visited = append(visited, int32(bi))
	for _, pb := range preds {
		b := p.blocks[pb]
		if slices.Contains(visited, pb) || p.layout && int(b.end) > p.own {
			// Seen, or (reading the layout) a jump from the trailer.
			continue
		}
		// A jump leaves its target (and a JUMPI its condition) behind; a
		// block that falls through leaves everything.
		extra := 0
		switch p.ins[b.end-1].op {
		case JUMP:
			extra = 1
		case JUMPI:
			extra = 2
		}
		// Evaluate pb to its last instruction, then drop what the jump pops.
		p.operandIn(int(pb), int(b.end)-1+boolInt(extra == 0), s.entry+extra, hops-1, out, visited, budget)
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
