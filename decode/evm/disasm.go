package evm

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Instruction is one decoded instruction.
type Instruction struct {
	PC   int           `json:"pc"`
	Op   OpCode        `json:"-"`
	Name string        `json:"op"`
	Byte opByte        `json:"byte"` // the opcode byte, so undefined ones still say which
	Push hexutil.Bytes `json:"push,omitempty"`
	// Truncated marks a PUSH cut off by the end of the code: the EVM reads
	// the missing bytes as zeros.
	Truncated bool `json:"truncated,omitempty"`
}

func (in Instruction) String() string {
	switch {
	case !in.Op.Defined():
		return fmt.Sprintf("%04x INVALID (0x%02x)", in.PC, byte(in.Op))
	case in.Op.IsPush():
		s := fmt.Sprintf("%04x %s 0x%x", in.PC, in.Name, []byte(in.Push))
		if in.Truncated {
			s += " (truncated)"
		}
		return s
	}
	return fmt.Sprintf("%04x %s", in.PC, in.Name)
}

// opByte shows as "0x0c" in JSON.
type opByte byte

func (b opByte) MarshalText() ([]byte, error) {
	const digits = "0123456789abcdef"
	return []byte{'0', 'x', digits[b>>4], digits[b&15]}, nil
}

// Disassemble lists the instructions of code, stopping before the compiler's
// metadata trailer (see ParseMetadata), which is data, not code. Undefined
// bytes come out as INVALID instructions; nothing in code makes it fail.
// Push data shares code's memory.
func Disassemble(code []byte) []Instruction {
	return disassemble(code, codeEnd(code))
}

// disassemble lists the instructions of code[:end].
func disassemble(code []byte, end int) []Instruction {
	out := make([]Instruction, 0, end/2+1)
	for pc := 0; pc < end; {
		op := OpCode(code[pc])
		in := Instruction{PC: pc, Op: op, Name: op.String(), Byte: opByte(op)}
		pc++
		if n := int(ops[op].imm); n > 0 {
			stop := min(pc+n, end)
			in.Push = code[pc:stop:stop]
			in.Truncated = stop-pc < n
			pc += n
		}
		out = append(out, in)
	}
	return out
}

// inst is an instruction as the analysis keeps it: its pc and opcode in 8
// bytes, its push data left in the code (see data). An Instruction, with
// its name and slice, is 64 bytes, and one analysis walks tens of thousands
// of instructions: most of Analyze's memory went to them.
type inst struct {
	pc uint32
	op OpCode
}

// data is the push data of in, read from code as far as code goes (a view
// that stops at the metadata trailer cuts a PUSH that runs into it), and
// whether it was cut off.
func (in inst) data(code []byte) (b []byte, truncated bool) {
	n := int(ops[in.op].imm)
	if n == 0 {
		return nil, false
	}
	start := min(int(in.pc)+1, len(code))
	stop := min(start+n, len(code))
	return code[start:stop:stop], stop-start < n
}

// decodeInsts lists the instructions of code into buf (reused).
func decodeInsts(code []byte, buf []inst) []inst {
	out := buf[:0]
	for pc := 0; pc < len(code); pc += 1 + int(ops[code[pc]].imm) {
		out = append(out, inst{uint32(pc), OpCode(code[pc])})
	}
	return out
}

// insts is a run of instructions with the code their push data is read
// from.
type insts struct {
	code []byte
	ins  []inst
}

// jumpdests marks the JUMPDEST bytes of code that are instructions rather
// than PUSH data: the only legal jump targets.
type jumpdests []uint64

func findJumpdests(code []byte) jumpdests {
	d := make(jumpdests, len(code)/64+1)
	for pc := 0; pc < len(code); pc++ {
		op := OpCode(code[pc])
		if op == JUMPDEST {
			d[pc/64] |= 1 << (pc % 64)
		}
		pc += int(ops[op].imm)
	}
	return d
}

// jumpdests are the JUMPDESTs before the trailer, from the instructions
// already listed rather than another pass over the bytes.
func (p *program) jumpdests() jumpdests {
	d := make(jumpdests, len(p.ownCode)/64+1)
	for _, in := range p.ins[:p.own] {
		if in.op == JUMPDEST {
			d[in.pc/64] |= 1 << (in.pc % 64)
		}
	}
	return d
}

func (d jumpdests) has(pc uint64) bool {
	return pc/64 < uint64(len(d)) && d[pc/64]&(1<<(pc%64)) != 0
}
