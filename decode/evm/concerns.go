package evm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Concern is an instruction worth a reader's attention, with what the code
// shows about its operand.
type Concern struct {
	Op string `json:"op"`
	PC int    `json:"pc"`
	// Part is "constructor" for creation code's own instructions, "code it
	// deploys" for the creation code of a contract it creates (`new C()`)
	// that solc appends to its own, empty for the runtime.
	Part string `json:"part,omitempty"`
	// Target says where the address operand of DELEGATECALL/CALLCODE (the
	// beneficiary of SELFDESTRUCT) comes from: TargetConstant,
	// TargetStorage, TargetCalldata, TargetSelf or TargetUnknown. A list when paths
	// disagree, most telling first.
	Target []string `json:"target,omitempty"`
	// Address is the constant target; Slot the storage slot it is read from
	// when that is a constant (SlotName if it is a well-known one).
	Address  *common.Address `json:"address,omitempty"`
	Slot     *common.Hash    `json:"slot,omitempty"`
	SlotName string          `json:"slotName,omitempty"`
}

// String is the concern in one line: "DELEGATECALL at pc 31, target from
// calldata".
func (c Concern) String() string {
	s := fmt.Sprintf("%s at pc %d", c.Op, c.PC)
	if c.Part != "" {
		s += " (" + c.Part + ")"
	}
	if len(c.Target) > 0 {
		s += ", target from " + strings.Join(c.Target, "/")
	}
	if c.Address != nil {
		s += " " + c.Address.Hex()
	}
	if c.SlotName != "" {
		s += " (" + c.SlotName + ")"
	}
	return s
}

// Values of Concern.Target and Concern.Part.
const (
	TargetConstant  = "constant"
	TargetStorage   = "storage"
	TargetCalldata  = "calldata"
	TargetUnknown   = "unknown"
	TargetSelf      = "self" // address(this): its own code, as a multicall runs it
	PartConstructor = "constructor"
	PartDeployed    = "code it deploys"
	PartTrailer     = "in the metadata trailer"
)

// running is what can run of some code: its concerns, and the pcs of its
// storage writes.
type running struct {
	concerns []Concern
	writes   []int
}

// readRunning reads code as the EVM runs it from pc 0: every byte is an
// instruction (the metadata trailer and data after the code too), and a
// block can run when it is the first, is the constant target of a jump
// from one that can run, follows one that can run and falls through, or
// starts with a JUMPDEST while some jump that can run goes where the trace
// cannot tell (then any JUMPDEST may be its target). So a DELEGATECALL in
// bytes only a jump can reach is read, and text or hash bytes nothing can
// reach are not. pcs are offset by off. It sets p.computed.
func readRunning(p *program, off int) running {
	p.layout = false
	runs := make([]bool, len(p.blocks))
	var work []int
	anywhere := false
	mark := func(bi int) {
		if bi >= 0 && bi < len(runs) && !runs[bi] {
			runs[bi] = true
			work = append(work, bi)
		}
	}
	mark(0)
	for len(work) > 0 {
		bi := work[len(work)-1]
		work = work[:len(work)-1]
		b := p.blocks[bi]
		if b.falls {
			mark(bi + 1)
		}
		mark(int(b.jumpTo))
		if last := p.ins[b.end-1].op; (last == JUMP || last == JUMPI) && b.jumpTo < 0 && !anywhere {
			anywhere = true
			for bj, bb := range p.blocks {
				if p.ins[bb.start].op == JUMPDEST {
					mark(bj)
				}
			}
		}
	}
	// The trace's "entered from anywhere" is this reading's too: a jump
	// in bytes that cannot run (a hash in the trailer) does not count.
	p.computed = anywhere
	var r running
	r.concerns = findConcerns(p, func(i int) bool { return runs[p.blkOf[i]] })
	for i := range r.concerns {
		r.concerns[i].PC += off
	}
	for i, in := range p.ins {
		if in.op == SSTORE && runs[p.blkOf[i]] {
			r.writes = append(r.writes, int(in.pc)+off)
		}
	}
	return r
}

// merge adds another reading of the same bytes: an instruction both read
// keeps every origin either found.
func (r *running) merge(o running) {
	for _, c := range o.concerns {
		i := slices.IndexFunc(r.concerns, func(x Concern) bool { return x.PC == c.PC && x.Op == c.Op })
		if i < 0 {
			r.concerns = append(r.concerns, c)
			continue
		}
		x := &r.concerns[i]
		for _, t := range c.Target {
			if !slices.Contains(x.Target, t) {
				x.Target = append(x.Target, t)
			}
		}
		sortTargets(x.Target)
		if x.Address == nil {
			x.Address = c.Address
		}
		if x.Slot == nil {
			x.Slot, x.SlotName = c.Slot, c.SlotName
		}
	}
	slices.SortFunc(r.concerns, func(a, b Concern) int { return a.PC - b.PC })
	r.writes = append(r.writes, o.writes...)
}

// writesFrom reports a storage write that can run at or past pc from.
func (r running) writesFrom(from int) bool {
	return slices.ContainsFunc(r.writes, func(pc int) bool { return pc >= from })
}

// embeddedAt is the index of the first instruction of the creation code
// of a contract this code deploys: solc appends it behind an INVALID, and
// it opens as every solc contract does, PUSH 0x80 (or higher, with
// immutables) PUSH1 0x40 MSTORE. len(ins) when there is none. In honest
// code what it holds is the deployed contract's (a proxy factory is not a
// proxy); but code can jump into bytes shaped like that, so the label
// keeps such instructions out of the proxy facts only, never out of the
// rules.
func embeddedAt(v insts) int {
	ins := v.ins
	for i := 0; i+3 < len(ins); i++ {
		if ins[i].op != INVALID || ins[i+1].op != PUSH1 && ins[i+1].op != PUSH2 || ins[i+2].op != PUSH1 || ins[i+3].op != MSTORE {
			continue
		}
		if push, _ := ins[i+2].data(v.code); len(push) == 1 && push[0] == 0x40 {
			return i + 1
		}
	}
	return len(ins)
}

// concernOps are the instructions reported: noOperand, or 2 + the stack
// depth of their address operand; 0 for the rest. A table, not a map: it
// is looked up once per instruction.
const noOperand = 1

var concernOps = [256]int8{
	SELFDESTRUCT: 2,
	DELEGATECALL: 3,
	CALLCODE:     3,
	CREATE:       noOperand,
	CREATE2:      noOperand,
	ORIGIN:       noOperand,
}

// findConcerns lists the concerning instructions of p whose index keep
// accepts (Analyze labels their Part).
func findConcerns(p *program, keep func(i int) bool) []Concern {
	var out []Concern
	for i, in := range p.ins {
		k := concernOps[in.op]
		if k == 0 || !keep(i) {
			continue
		}
		c := Concern{Op: in.op.String(), PC: int(in.pc)}
		if k > noOperand {
			describeTarget(&c, p.operand(i, int(k)-2))
		}
		out = append(out, c)
	}
	return out
}

// describeTarget fills c from the possible origins of its address operand.
func describeTarget(c *Concern, syms []sym) {
	for _, s := range syms {
		t := TargetUnknown
		switch s.o {
		case fromConst:
			t = TargetConstant
			a := common.Address(s.v.Bytes20())
			c.Address = &a
		case fromStorage:
			t = TargetStorage
			if s.slotK {
				h := common.Hash(s.v.Bytes32())
				c.Slot, c.SlotName = &h, slotName(h)
			}
		case fromCalldata:
			t = TargetCalldata
		case fromSelf:
			t = TargetSelf
		}
		if !slices.Contains(c.Target, t) {
			c.Target = append(c.Target, t)
		}
	}
	sortTargets(c.Target)
}

// sortTargets puts the most telling origin first.
func sortTargets(ts []string) {
	rank := map[string]int{TargetCalldata: 0, TargetStorage: 1, TargetConstant: 2, TargetSelf: 2, TargetUnknown: 3}
	slices.SortFunc(ts, func(a, b string) int { return rank[a] - rank[b] })
}

// ffAddress is the all-ones address: a mask, not a contract.
var ffAddress = bytes.Repeat([]byte{0xff}, 20)

// hardcodedAddresses lists the distinct PUSH20 constants, leaving out the
// zero address (library placeholders), the all-ones mask and text: revert
// strings kept in the data after the code read as PUSH20 of 20 printable
// bytes, which an honest address is by chance about 2 times in 10^9 (a
// vanity search can make one; DELEGATECALL and SELFDESTRUCT targets are
// still named in their concerns).
func hardcodedAddresses(v insts) []common.Address {
	var out []common.Address
	seen := map[common.Address]bool{}
	for _, in := range v.ins {
		if in.op != PUSH20 {
			continue
		}
		push, truncated := in.data(v.code)
		if truncated {
			continue
		}
		a := common.BytesToAddress(push)
		if a == (common.Address{}) || bytes.Equal(push, ffAddress) || printable(push) || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// encodesPermit2Call reports a Permit2 entry-point selector pushed as a
// constant (PUSH4, or left-aligned in a PUSH32 as solc encodes calls).
func encodesPermit2Call(v insts) bool {
	for _, in := range v.ins {
		if in.op != PUSH4 && in.op != PUSH32 {
			continue
		}
		push, _ := in.data(v.code)
		var sel uint32
		switch {
		case in.op == PUSH4 && len(push) == 4:
			sel = binary.BigEndian.Uint32(push)
		case in.op == PUSH32 && len(push) == 32 && isZero(push[4:]):
			sel = binary.BigEndian.Uint32(push)
		default:
			continue
		}
		for _, k := range permit2Calls {
			if k.sel == sel {
				return true
			}
		}
	}
	return false
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
