package evm

import (
	"slices"

	"github.com/holiman/uint256"
)

// Selectors recovers the public function selectors from the dispatcher of
// runtime code, sorted. It never fails: code with no dispatcher it can follow
// yields none.
//
// How: a small interpreter runs the code concretely on made-up call data
// whose first four bytes are fakeSelector, and tags values derived from it
// (the way evmole does). When the tagged selector is compared for equality
// with a constant (EQ, XOR, SUB, ISZERO), the constant is recorded and the
// comparison is taken as false, so execution walks on down the dispatcher
// instead of entering a function body. Range comparisons (solc's binary
// search: LT/GT) and bucket computations (Vyper's MOD/AND hash tables) fork
// the machine, one copy per outcome. A fork point is taken at most once per
// outcome and stack state, and the whole search has a step budget, so it
// always ends.
// Comparisons that do not involve the selector (supportsInterface ids, error
// selectors, magic values) are never recorded: only the tag decides.
func Selectors(code []byte) []uint32 {
	return selectors(code, codeEnd(code), nil)
}

// selectors is Selectors of code whose trailer starts at end, and whose
// jump destinations before end are dests (nil: find them).
func selectors(code []byte, end int, dests jumpdests) []uint32 {
	s := selectorSearch{full: code, code: code[:end], found: map[uint32]struct{}{}, dests: dests}
	if s.dests == nil {
		s.dests = findJumpdests(s.code)
	}
	s.run()
	out := make([]uint32, 0, len(s.found))
	for sel := range s.found {
		out = append(out, sel)
	}
	slices.Sort(out)
	return out
}

const (
	// fakeSelector fills the first four bytes of the call data.
	fakeSelector = 0xaabbccdd
	// maxSteps bounds the instructions run over all forks of one search.
	maxSteps = 100_000
	// maxFanout bounds a bucket fork (Vyper uses < 256 buckets).
	maxFanout = 256
	// maxMemory bounds the memory a machine may touch.
	maxMemory = 1 << 16
)

// forkKey identifies a fork outcome: where, which, and a hash of the stack,
// so that the same fork reached with a different state (Vyper's second
// hash level, entered once per bucket) is explored again while a loop that
// comes back with the same stack is not.
type forkKey struct {
	pc     int
	branch uint16
	state  uint64
}

func stackHash(st []word) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for i := range st {
		h = (h ^ st[i].v[0] ^ uint64(st[i].tag)<<56) * 1099511628211
	}
	return h
}

type selectorSearch struct {
	full  []byte // CODESIZE and CODECOPY see the trailer too
	code  []byte
	dests jumpdests
	found map[uint32]struct{}
	seen  map[forkKey]struct{}
	queue []*machine
	steps int
}

func (s *selectorSearch) run() {
	s.queue = append(s.queue, &machine{stack: make([]word, 0, 32)})
	for len(s.queue) > 0 && s.steps < maxSteps {
		m := s.queue[len(s.queue)-1]
		s.queue = s.queue[:len(s.queue)-1]
		s.exec(m)
	}
}

// fork lets m go on with outcome 0 and queues a copy for each other outcome
// in [1, n) not taken before at this pc. It reports false if outcome 0 was
// taken before, in which case m stops.
func (s *selectorSearch) fork(m *machine, pc, n int) bool {
	if s.seen == nil {
		s.seen = map[forkKey]struct{}{}
	}
	state := stackHash(m.stack[:len(m.stack)-1])
	for b := n - 1; b >= 1 && s.steps < maxSteps; b-- {
		k := forkKey{pc, uint16(b), state}
		if _, ok := s.seen[k]; ok {
			continue
		}
		s.seen[k] = struct{}{}
		// A copy costs steps in proportion to what it copies, or 255-way
		// forks of a machine holding 64 KiB would run the budget in copies.
		s.steps += 1 + len(m.stack)/8 + len(m.mem)/64
		c := m.clone()
		c.stack[len(c.stack)-1] = word{}
		c.stack[len(c.stack)-1].v.SetUint64(uint64(b))
		s.queue = append(s.queue, c)
	}
	k := forkKey{pc, 0, state}
	if _, ok := s.seen[k]; ok {
		return false
	}
	s.seen[k] = struct{}{}
	m.stack[len(m.stack)-1] = word{}
	return true
}

// exec runs m until it halts, forks away the rest of its outcomes, or the
// budget runs out.
func (s *selectorSearch) exec(m *machine) {
	code := s.code
	for s.steps < maxSteps {
		s.steps++
		if m.pc >= len(code) {
			return // running off the end is STOP
		}
		pc := m.pc
		op := OpCode(code[pc])
		info := &ops[op]
		if len(m.stack) < int(info.pops) || len(m.stack)-int(info.pops)+int(info.pushes) > 1024 {
			return
		}
		m.pc++
		switch {
		case op >= PUSH0 && op <= PUSH32:
			n := int(info.imm)
			var w word
			if n > 0 {
				end := min(m.pc+n, len(code))
				var buf [32]byte
				copy(buf[32-n:], code[m.pc:end]) // a cut-off PUSH reads zeros
				w.v.SetBytes(buf[32-n:])
			}
			m.stack = append(m.stack, w)
			m.pc += n
			continue
		case op >= DUP1 && op <= DUP16:
			m.stack = append(m.stack, m.stack[len(m.stack)-int(op-DUP1)-1])
			continue
		case op >= SWAP1 && op <= SWAP16:
			t := len(m.stack) - 1
			m.stack[t], m.stack[t-int(op-SWAP1)-1] = m.stack[t-int(op-SWAP1)-1], m.stack[t]
			continue
		}
		st := m.stack
		top := len(st) - 1
		switch op {
		case STOP, RETURN, REVERT, INVALID, SELFDESTRUCT,
			// Calls and creations are past any dispatcher: stop there.
			GAS, CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2:
			return
		case JUMP:
			if !s.jump(m, &st[top].v) {
				return
			}
			m.stack = st[:top]
		case JUMPI:
			dest, cond := st[top], st[top-1]
			m.stack = st[:top-1]
			if cond.tag == selCmp {
				s.found[cond.sel] = struct{}{}
			}
			if !cond.v.IsZero() && !s.jump(m, &dest.v) {
				return
			}
		case JUMPDEST:
		case POP:
			m.stack = st[:top]
		case CALLDATALOAD:
			a := &st[top]
			if off, ok := small(&a.v); ok && off < 4 {
				a.v.SetUint64(fakeSelector)
				a.v.Lsh(&a.v, uint(224+8*off))
				a.tag = calldata
			} else {
				*a = word{}
			}
		case CALLDATASIZE:
			m.stack = append(st, word{})
			m.stack[top+1].v.SetUint64(4)
		case CALLDATACOPY, CODECOPY:
			dst, src, size := st[top], st[top-1], st[top-2]
			m.stack = st[:top-2]
			if !s.copyIn(m, op, &dst.v, &src.v, &size.v) {
				return
			}
		case CODESIZE:
			m.stack = append(st, word{})
			m.stack[top+1].v.SetUint64(uint64(len(s.full)))
		case MLOAD:
			off, ok := small(&st[top].v)
			if !ok || !grow(m, off+32) {
				return
			}
			a := &st[top]
			a.v.SetBytes32(m.mem[off : off+32])
			a.tag = plain
			if slices.Contains(m.memT[off:off+32], calldata) {
				a.tag = calldata
				s.selectorIfExact(a)
			}
		case MSTORE, MSTORE8:
			off, ok := small(&st[top].v)
			val := st[top-1]
			m.stack = st[:top-1]
			n := uint64(32)
			if op == MSTORE8 {
				n = 1
			}
			if !ok || !grow(m, off+n) {
				return
			}
			b := val.v.Bytes32()
			copy(m.mem[off:off+n], b[32-n:])
			t := plain
			if val.tag == calldata || val.tag == selector {
				t = calldata
			}
			for i := off; i < off+n; i++ {
				m.memT[i] = t
			}
		case PC:
			m.stack = append(st, word{})
			m.stack[top+1].v.SetUint64(uint64(pc))
		case MSIZE:
			m.stack = append(st, word{})
			m.stack[top+1].v.SetUint64(uint64(len(m.mem)))
		case ISZERO:
			a := &st[top]
			switch a.tag {
			case selCmp: // keeps the tag: the JUMPI after it still records
				a.v.SetUint64(boolU(a.v.IsZero()))
			case selector: // solc's optimizer writes sig == 0 this way
				*a = word{tag: selCmp, sel: 0}
			default:
				*a = word{}
				a.v.SetUint64(boolU(st[top].v.IsZero()))
			}
		case NOT:
			st[top].v.Not(&st[top].v)
			st[top].tag = plain
		default:
			if info.pops == 2 && info.pushes == 1 && op < ADDRESS {
				if !s.binary(m, op, pc) {
					return
				}
				continue
			}
			if !info.defined {
				return
			}
			// Everything else (environment, storage, logs, ADDMOD...)
			// yields zeros: no dispatcher depends on it.
			m.stack = st[:len(st)-int(info.pops)]
			for range info.pushes {
				m.stack = append(m.stack, word{})
			}
		}
	}
}

// binary runs a two-operand arithmetic, comparison or bitwise op.
func (s *selectorSearch) binary(m *machine, op OpCode, pc int) bool {
	st := m.stack
	top := len(st) - 1
	a, b := st[top], st[top-1] // a is the top of the stack: the first operand
	m.stack = st[:top]
	r := &m.stack[top-1]
	*r = word{}
	sa, sb := a.tag == selector, b.tag == selector
	switch op {
	case EQ, XOR, SUB:
		if sa != sb {
			c := b
			if sb {
				c = a
			}
			if c.tag == plain && c.v.IsUint64() && c.v.Uint64() <= 0xffffffff {
				r.tag, r.sel = selCmp, uint32(c.v.Uint64())
				if op != EQ { // "not equal" for XOR and SUB
					r.v.SetOne()
				}
				return true
			}
		}
	case LT, GT, SLT, SGT:
		if sa || sb {
			return s.fork(m, pc, 2)
		}
	case MOD:
		if (a.tag == selector || a.tag == mulSel) && b.tag == plain {
			if n, ok := small(&b.v); ok && n >= 2 && n <= maxFanout {
				return s.fork(m, pc, int(n))
			}
		}
	case AND:
		if sa != sb {
			c := b
			if sb {
				c = a
			}
			if c.v.Uint64()&0xffffffff == 0xffffffff {
				*r = word{tag: selector}
				r.v.SetUint64(fakeSelector)
				return true
			}
			if n, ok := small(&c.v); ok && n < maxFanout && n&(n+1) == 0 && c.tag == plain {
				return s.fork(m, pc, int(n)+1) // Vyper: sig & (buckets-1)
			}
		}
	case MUL:
		if sa || sb {
			r.tag = mulSel
		}
	}
	// KECCAK256 leaves zero: no dispatcher hashes, and it is as good as any.
	alu(op, &a.v, &b.v, &r.v)
	switch {
	case op == SHR && (b.tag == calldata || b.tag == mulSel), op == DIV && a.tag == calldata:
		// calldata >> 224 (or / 2**224) is the selector (solc, Vyper);
		// other shifts of a multiplied selector pick Vyper's bucket bits.
		r.tag = b.tag
		if op == DIV {
			r.tag = calldata
		}
		if r.tag == calldata {
			s.selectorIfExact(r)
		}
	case op == AND && (a.tag == calldata || b.tag == calldata):
		r.tag = calldata
		s.selectorIfExact(r)
	case (op == AND || op == OR) && (a.tag == selCmp || b.tag == selCmp):
		// Vyper guards a match with the call data size:
		// iszero(and(gt(calldatasize, 3), eq(method_id, sig))).
		c := a
		if b.tag == selCmp {
			c = b
		}
		r.tag, r.sel = selCmp, c.sel
	}
	return true
}

// selectorIfExact retags a calldata-derived value as the selector when it is
// exactly the four selector bytes.
func (s *selectorSearch) selectorIfExact(w *word) {
	if w.v.IsUint64() && w.v.Uint64() == fakeSelector {
		w.tag = selector
	}
}

func (s *selectorSearch) jump(m *machine, dest *uint256.Int) bool {
	d, ok := small(dest)
	if !ok || !s.dests.has(d) {
		return false
	}
	m.pc = int(d)
	return true
}

// copyIn runs CALLDATACOPY or CODECOPY into memory.
func (s *selectorSearch) copyIn(m *machine, op OpCode, dst, src, size *uint256.Int) bool {
	n, ok := small(size)
	if !ok {
		return false
	}
	if n == 0 {
		return true
	}
	d, ok := small(dst)
	if !ok || !grow(m, d+n) {
		return false
	}
	s.steps += int(n / 64) // big copies in a loop cost their size
	from, ok := small(src)
	if !ok {
		from = maxMemory * 4 // past the end of any source: zeros
	}
	for i := range n {
		at := from + i
		var b byte
		t := plain
		if op == CODECOPY {
			if at < uint64(len(s.full)) {
				b = s.full[at]
			}
		} else if at < 4 {
			b = byte(uint32(fakeSelector) >> (24 - 8*at))
			t = calldata
		}
		m.mem[d+i], m.memT[d+i] = b, t
	}
	return true
}
