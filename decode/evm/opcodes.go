package evm

import "strconv"

// OpCode is one EVM instruction byte.
//
// The table is ours rather than go-ethereum's core/vm: importing core/vm
// links ~30 more packages whose init work (jump tables for every fork,
// precompiles, trie and snapshot caches) measured ~1.5 ms on every start of
// `txguard decode`, over the budget for a name table of 256 strings.
type OpCode byte

// Opcodes the analysis looks at by name.
const (
	STOP           OpCode = 0x00
	ADD            OpCode = 0x01
	MUL            OpCode = 0x02
	SUB            OpCode = 0x03
	DIV            OpCode = 0x04
	SDIV           OpCode = 0x05
	MOD            OpCode = 0x06
	SMOD           OpCode = 0x07
	ADDMOD         OpCode = 0x08
	MULMOD         OpCode = 0x09
	EXP            OpCode = 0x0a
	SIGNEXTEND     OpCode = 0x0b
	LT             OpCode = 0x10
	GT             OpCode = 0x11
	SLT            OpCode = 0x12
	SGT            OpCode = 0x13
	EQ             OpCode = 0x14
	ISZERO         OpCode = 0x15
	AND            OpCode = 0x16
	OR             OpCode = 0x17
	XOR            OpCode = 0x18
	NOT            OpCode = 0x19
	BYTE           OpCode = 0x1a
	SHL            OpCode = 0x1b
	SHR            OpCode = 0x1c
	SAR            OpCode = 0x1d
	KECCAK256      OpCode = 0x20
	ADDRESS        OpCode = 0x30
	ORIGIN         OpCode = 0x32
	CALLER         OpCode = 0x33
	CALLVALUE      OpCode = 0x34
	CALLDATALOAD   OpCode = 0x35
	CALLDATASIZE   OpCode = 0x36
	CALLDATACOPY   OpCode = 0x37
	CODESIZE       OpCode = 0x38
	CODECOPY       OpCode = 0x39
	RETURNDATASIZE OpCode = 0x3d
	POP            OpCode = 0x50
	MLOAD          OpCode = 0x51
	MSTORE         OpCode = 0x52
	MSTORE8        OpCode = 0x53
	SLOAD          OpCode = 0x54
	SSTORE         OpCode = 0x55
	JUMP           OpCode = 0x56
	JUMPI          OpCode = 0x57
	PC             OpCode = 0x58
	MSIZE          OpCode = 0x59
	GAS            OpCode = 0x5a
	JUMPDEST       OpCode = 0x5b
	MCOPY          OpCode = 0x5e
	PUSH0          OpCode = 0x5f
	PUSH1          OpCode = 0x60
	PUSH2          OpCode = 0x61
	PUSH4          OpCode = 0x63
	PUSH20         OpCode = 0x73
	PUSH32         OpCode = 0x7f
	DUP1           OpCode = 0x80
	DUP16          OpCode = 0x8f
	SWAP1          OpCode = 0x90
	SWAP16         OpCode = 0x9f
	CREATE         OpCode = 0xf0
	CALL           OpCode = 0xf1
	CALLCODE       OpCode = 0xf2
	RETURN         OpCode = 0xf3
	DELEGATECALL   OpCode = 0xf4
	CREATE2        OpCode = 0xf5
	STATICCALL     OpCode = 0xfa
	REVERT         OpCode = 0xfd
	INVALID        OpCode = 0xfe
	SELFDESTRUCT   OpCode = 0xff
)

// opInfo is what the disassembler and the interpreter need to know about an
// opcode: its name, its immediate bytes and its stack effect.
type opInfo struct {
	name    string
	imm     uint8 // PUSH data bytes
	pops    uint8
	pushes  uint8
	defined bool
}

var ops = func() (t [256]opInfo) {
	def := func(op byte, name string, pops, pushes uint8) {
		t[op] = opInfo{name: name, pops: pops, pushes: pushes, defined: true}
	}
	for _, o := range []struct {
		op           byte
		name         string
		pops, pushes uint8
	}{
		{0x00, "STOP", 0, 0}, {0x01, "ADD", 2, 1}, {0x02, "MUL", 2, 1}, {0x03, "SUB", 2, 1},
		{0x04, "DIV", 2, 1}, {0x05, "SDIV", 2, 1}, {0x06, "MOD", 2, 1}, {0x07, "SMOD", 2, 1},
		{0x08, "ADDMOD", 3, 1}, {0x09, "MULMOD", 3, 1}, {0x0a, "EXP", 2, 1}, {0x0b, "SIGNEXTEND", 2, 1},
		{0x10, "LT", 2, 1}, {0x11, "GT", 2, 1}, {0x12, "SLT", 2, 1}, {0x13, "SGT", 2, 1},
		{0x14, "EQ", 2, 1}, {0x15, "ISZERO", 1, 1}, {0x16, "AND", 2, 1}, {0x17, "OR", 2, 1},
		{0x18, "XOR", 2, 1}, {0x19, "NOT", 1, 1}, {0x1a, "BYTE", 2, 1}, {0x1b, "SHL", 2, 1},
		{0x1c, "SHR", 2, 1}, {0x1d, "SAR", 2, 1}, {0x1e, "CLZ", 1, 1},
		{0x20, "KECCAK256", 2, 1},
		{0x30, "ADDRESS", 0, 1}, {0x31, "BALANCE", 1, 1}, {0x32, "ORIGIN", 0, 1}, {0x33, "CALLER", 0, 1},
		{0x34, "CALLVALUE", 0, 1}, {0x35, "CALLDATALOAD", 1, 1}, {0x36, "CALLDATASIZE", 0, 1},
		{0x37, "CALLDATACOPY", 3, 0}, {0x38, "CODESIZE", 0, 1}, {0x39, "CODECOPY", 3, 0},
		{0x3a, "GASPRICE", 0, 1}, {0x3b, "EXTCODESIZE", 1, 1}, {0x3c, "EXTCODECOPY", 4, 0},
		{0x3d, "RETURNDATASIZE", 0, 1}, {0x3e, "RETURNDATACOPY", 3, 0}, {0x3f, "EXTCODEHASH", 1, 1},
		{0x40, "BLOCKHASH", 1, 1}, {0x41, "COINBASE", 0, 1}, {0x42, "TIMESTAMP", 0, 1}, {0x43, "NUMBER", 0, 1},
		{0x44, "PREVRANDAO", 0, 1}, {0x45, "GASLIMIT", 0, 1}, {0x46, "CHAINID", 0, 1}, {0x47, "SELFBALANCE", 0, 1},
		{0x48, "BASEFEE", 0, 1}, {0x49, "BLOBHASH", 1, 1}, {0x4a, "BLOBBASEFEE", 0, 1},
		{0x50, "POP", 1, 0}, {0x51, "MLOAD", 1, 1}, {0x52, "MSTORE", 2, 0}, {0x53, "MSTORE8", 2, 0},
		{0x54, "SLOAD", 1, 1}, {0x55, "SSTORE", 2, 0}, {0x56, "JUMP", 1, 0}, {0x57, "JUMPI", 2, 0},
		{0x58, "PC", 0, 1}, {0x59, "MSIZE", 0, 1}, {0x5a, "GAS", 0, 1}, {0x5b, "JUMPDEST", 0, 0},
		{0x5c, "TLOAD", 1, 1}, {0x5d, "TSTORE", 2, 0}, {0x5e, "MCOPY", 3, 0}, {0x5f, "PUSH0", 0, 1},
		{0xa0, "LOG0", 2, 0}, {0xa1, "LOG1", 3, 0}, {0xa2, "LOG2", 4, 0}, {0xa3, "LOG3", 5, 0}, {0xa4, "LOG4", 6, 0},
		{0xf0, "CREATE", 3, 1}, {0xf1, "CALL", 7, 1}, {0xf2, "CALLCODE", 7, 1}, {0xf3, "RETURN", 2, 0},
		{0xf4, "DELEGATECALL", 6, 1}, {0xf5, "CREATE2", 4, 1}, {0xfa, "STATICCALL", 6, 1},
		{0xfd, "REVERT", 2, 0}, {0xfe, "INVALID", 0, 0}, {0xff, "SELFDESTRUCT", 1, 0},
	} {
		def(o.op, o.name, o.pops, o.pushes)
	}
	for n := 1; n <= 32; n++ {
		t[0x5f+n] = opInfo{name: "PUSH" + strconv.Itoa(n), imm: uint8(n), pushes: 1, defined: true}
	}
	for n := 1; n <= 16; n++ {
		// DUPn reads n items and leaves n+1; SWAPn reads and leaves n+1.
		t[0x7f+n] = opInfo{name: "DUP" + strconv.Itoa(n), pops: uint8(n), pushes: uint8(n + 1), defined: true}
		t[0x8f+n] = opInfo{name: "SWAP" + strconv.Itoa(n), pops: uint8(n + 1), pushes: uint8(n + 1), defined: true}
	}
	for i := range t {
		if !t[i].defined {
			// Undefined bytes halt like INVALID; the byte itself is kept on
			// the instruction so the listing can show 0xNN.
			t[i].name = "INVALID"
		}
	}
	return t
}()

// String is the mnemonic; undefined opcodes read "INVALID".
func (op OpCode) String() string { return ops[op].name }

// Defined reports whether op is an instruction of the current fork set
// (0xfe, the designated INVALID, counts as defined).
func (op OpCode) Defined() bool { return ops[op].defined }

// IsPush reports PUSH1..PUSH32 (not PUSH0, which has no data).
func (op OpCode) IsPush() bool { return op >= PUSH1 && op <= PUSH32 }
