package evm

// runtimeSpan finds the runtime embedded in creation code: the constructor
// ends by copying it out of its own code (CODECOPY with a constant offset
// and size) and returning that memory (RETURN with a constant size at least
// the copy's: Vyper appends immutables). solc (legacy and viaIR), Vyper and
// the EIP-1167 factories all do this. Three things keep runtime code from
// passing for creation code: the copy must come from beyond the copying
// instruction; a CREATE or call between copy and return means the copy was
// a child's init code (factories); and the returned size must match, which
// a copied string constant (EIP-712 type strings in constructors) is not
// what gets returned: another CODECOPY comes between.
// Vyper before 0.2 lays creation code out the other way round (see
// vyperBetaCopy): the runtime first, the constructor after it.
// ok is false for code that is not creation code.
//
// One more rule, for code that ends in a solc metadata trailer: the copy
// must carry a trailer of its own, as the runtime solc deploys always does
// (the trailer at the end of creation code is that runtime's). viaIR puts
// a runtime's 32-byte constants (proxiableUUID's EIP-1967 slot) after its
// code and returns them with CODECOPY and RETURN, exactly as a constructor
// returns its runtime; without this rule a UUPS implementation built with
// viaIR read as creation code and lost its functions. Vyper 0.3.10 and
// later put the trailer on the creation code instead, so the rule is
// solc's only.
//
// It reads p's layout (ins[:own], no trailer) and leaves p.layout unset.
func runtimeSpan(p *program, md *Metadata) (off, size int, ok bool) {
	p.layout = true
	defer func() { p.layout = false }()
	for i, in := range p.ins[:p.own] {
		if in.op != CODECOPY {
			continue
		}
		o, ok1 := constOperand(p, i, 1)
		s, ok2 := constOperand(p, i, 2)
		if !ok1 || !ok2 || s == 0 || o+s > uint64(len(p.code)) {
			continue
		}
		if int(o) <= int(in.pc) && !vyperBetaCopy(p, i, o, s) {
			continue
		}
		if !returnsCopy(p, i, s) {
			continue
		}
		if md != nil && md.Compiler == "solc" && ParseMetadata(p.code[o:o+s]) == nil {
			continue
		}
		return int(o), int(s), true
	}
	return 0, 0, false
}

// constOperand is operand d of instruction i when every path agrees it is
// one small constant.
func constOperand(p *program, i, d int) (uint64, bool) {
	syms := p.operand(i, d)
	if len(syms) != 1 || syms[0].o != fromConst {
		return 0, false
	}
	return small(&syms[0].v)
}

// returnsCopy reports a RETURN of at least size bytes after instruction i,
// in its block or at most two constant jumps on (viaIR writes immutables in
// a helper between the copy and the return), with no call or creation on
// the way.
func returnsCopy(p *program, i int, size uint64) bool {
	bi := int(p.blkOf[i])
	for hop := 0; hop < 3 && bi >= 0; hop++ {
		b := p.blocks[bi]
		if int(b.end) > p.own {
			return false // runs into the trailer: not the compiler's layout
		}
		for k := max(i+1, int(b.start)); k < int(b.end); k++ {
			switch p.ins[k].op {
			case RETURN:
				n, ok := constOperand(p, k, 1)
				return ok && n >= size && n-size <= 1<<16
			case CREATE, CREATE2, CALL, CALLCODE, DELEGATECALL, STATICCALL, CODECOPY:
				return false
			}
		}
		next := int(b.jumpTo)
		if next < 0 && b.falls && bi+1 < len(p.blocks) {
			next = bi + 1
		}
		bi = next
	}
	return false
}

// vyperBetaCopy reports the creation layout of Vyper 0.1 (Uniswap V1, say):
// the code opens with PUSH2 X; JUMP over the runtime at [4, X) to the
// constructor at X, which copies exactly that span out and returns it.
// Runtime code that copies a part of itself never matches all of it.
func vyperBetaCopy(p *program, i int, off, size uint64) bool {
	if p.own < 2 || p.ins[0].op != PUSH2 || p.ins[1].op != JUMP || off != 4 {
		return false
	}
	push, truncated := p.pushData(0)
	if truncated {
		return false
	}
	x := uint64(push[0])<<8 | uint64(push[1])
	b := p.blocks[p.blkOf[i]]
	return uint64(p.ins[b.start].pc) == x && off+size == x
}
