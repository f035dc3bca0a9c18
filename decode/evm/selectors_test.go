package evm

import (
	"slices"
	"testing"
)

func TestSelectors(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		want []uint32
	}{
		{"solc 0.8 linear, DUP1 PUSH4 EQ", `
			PUSH1 0x80 PUSH1 0x40 MSTORE PUSH1 0x04 CALLDATASIZE LT PUSH2 @fallback JUMPI
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR
			DUP1 PUSH4 0xa9059cbb EQ PUSH2 @f1 JUMPI
			DUP1 PUSH4 0x70a08231 EQ PUSH2 @f2 JUMPI
			fallback: JUMPDEST PUSH0 DUP1 REVERT
			f1: JUMPDEST STOP
			f2: JUMPDEST STOP`,
			[]uint32{0x70a08231, 0xa9059cbb}},
		{"solc binary search (GT split)", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			DUP1 PUSH4 0x70a08231 GT PUSH2 @high JUMPI
			DUP1 PUSH4 0x095ea7b3 EQ PUSH2 @f JUMPI
			DUP1 PUSH4 0x70a08231 EQ PUSH2 @f JUMPI
			PUSH2 @revert JUMP
			high: JUMPDEST
			DUP1 PUSH4 0xa9059cbb EQ PUSH2 @f JUMPI
			DUP1 PUSH4 0xdd62ed3e EQ PUSH2 @f JUMPI
			revert: JUMPDEST PUSH1 0x00 DUP1 REVERT
			f: JUMPDEST STOP`,
			[]uint32{0x095ea7b3, 0x70a08231, 0xa9059cbb, 0xdd62ed3e}},
		{"solc 0.4: DIV by 2^224, AND 0xffffffff", `
			PUSH1 0x00 CALLDATALOAD PUSH29 0x0100000000000000000000000000000000000000000000000000000000
			SWAP1 DIV PUSH4 0xffffffff AND
			DUP1 PUSH4 0x06fdde03 EQ PUSH2 @f JUMPI
			DUP1 PUSH4 0x18160ddd EQ PUSH2 @f JUMPI
			PUSH1 0x00 DUP1 REVERT
			f: JUMPDEST STOP`,
			[]uint32{0x06fdde03, 0x18160ddd}},
		{"viaIR: PUSH4 DUP2 EQ and SUB", `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH4 0x8da5cb5b DUP2 EQ PUSH2 @f JUMPI
			DUP1 PUSH4 0xf2fde38b SUB PUSH2 @next JUMPI
			f: JUMPDEST STOP
			next: JUMPDEST PUSH0 DUP1 REVERT`,
			[]uint32{0x8da5cb5b, 0xf2fde38b}},
		{"selector 0 compared with ISZERO", `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR
			DUP1 ISZERO PUSH2 @f JUMPI
			DUP1 PUSH4 0x00000001 EQ PUSH2 @f JUMPI
			STOP f: JUMPDEST STOP`,
			[]uint32{0x00000000, 0x00000001}},
		{"Vyper 0.2: calldata stored at 28, MLOAD 0, EQ ISZERO", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0x1c MSTORE
			PUSH4 0x70a08231 PUSH1 0x00 MLOAD EQ ISZERO PUSH2 @n1 JUMPI STOP
			n1: JUMPDEST PUSH4 0xa9059cbb PUSH1 0x00 MLOAD EQ ISZERO PUSH2 @n2 JUMPI STOP
			n2: JUMPDEST PUSH1 0x00 DUP1 REVERT`,
			[]uint32{0x70a08231, 0xa9059cbb}},
		{"Vyper 0.3: PUSH4 DUP2 XOR", `
			PUSH1 0x03 CALLDATASIZE GT PUSH2 @dispatch JUMPI PUSH1 0x00 DUP1 REVERT
			dispatch: JUMPDEST PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH4 0x06fdde03 DUP2 XOR PUSH2 @n1 JUMPI STOP
			n1: JUMPDEST PUSH4 0x95d89b41 DUP2 XOR PUSH2 @n2 JUMPI STOP
			n2: JUMPDEST PUSH1 0x00 DUP1 REVERT`,
			[]uint32{0x06fdde03, 0x95d89b41}},
		{"Vyper hash buckets: selector MOD n picks a bucket", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH1 0x02 DUP2 MOD PUSH2 @b1 JUMPI
			PUSH4 0x11111112 DUP2 XOR PUSH2 @end JUMPI STOP
			b1: JUMPDEST
			PUSH4 0x22222221 DUP2 XOR PUSH2 @end JUMPI STOP
			end: JUMPDEST PUSH1 0x00 DUP1 REVERT`,
			[]uint32{0x11111112, 0x22222221}},
		{"Vyper 0.3.10+ sparse table: MOD buckets, label read by CODECOPY", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH1 0x02 DUP2 MOD PUSH1 0x01 SHL PUSH2 @table ADD
			PUSH1 0x02 SWAP1 PUSH1 0x1e CODECOPY PUSH1 0x00 MLOAD JUMP
			b0: JUMPDEST PUSH4 0x33333334 DUP2 XOR PUSH2 @end JUMPI STOP
			b1: JUMPDEST PUSH4 0x44444443 DUP2 XOR PUSH2 @end JUMPI STOP
			end: JUMPDEST PUSH1 0x00 DUP1 REVERT
			table: @b0 @b1`,
			[]uint32{0x33333334, 0x44444443}},
		// The layout of Vyper's _selector_section_dense: bucket headers
		// magic(2) | location(2) | size(1), then per bucket entries
		// method id(4) | label(2) | metadata(1), looked up by
		// ((sig * magic) >> bits) % size and checked with
		// iszero(and(gt(calldatasize, 3), eq(method_id, sig))).
		{"Vyper 0.3.10+ dense table: two-level perfect hash", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH1 0x05 PUSH1 0x02 DUP3 MOD MUL PUSH2 @headers ADD
			PUSH1 0x05 SWAP1 PUSH1 0x1b CODECOPY PUSH1 0x00 MLOAD
			DUP1 PUSH1 0xff AND
			DUP3 DUP3 PUSH1 0x18 SHR MUL PUSH1 0x08 SHR
			MOD PUSH1 0x07 MUL
			SWAP1 PUSH1 0x08 SHR PUSH2 0xffff AND ADD
			PUSH1 0x07 SWAP1 PUSH1 0x19 CODECOPY PUSH1 0x00 MLOAD
			DUP1 PUSH1 0x18 SHR DUP3 EQ
			PUSH1 0x03 CALLDATASIZE GT AND ISZERO PUSH2 @fallback JUMPI
			PUSH1 0x08 SHR PUSH2 0xffff AND JUMP
			fallback: JUMPDEST PUSH1 0x00 DUP1 REVERT
			fa: JUMPDEST STOP fb: JUMPDEST STOP fc: JUMPDEST STOP
			headers: hex:0007 @bucket0 hex:01 hex:0003 @bucket1 hex:02
			bucket0: hex:a9059cbb @fa hex:45
			bucket1: hex:70a08231 @fb hex:25 hex:18160ddd @fc hex:05`,
			[]uint32{0x18160ddd, 0x70a08231, 0xa9059cbb}},
		{"Vyper dense table, two buckets of two: the second level forks per bucket", `
			PUSH1 0x00 CALLDATALOAD PUSH1 0xe0 SHR
			PUSH1 0x05 PUSH1 0x02 DUP3 MOD MUL PUSH2 @headers ADD
			PUSH1 0x05 SWAP1 PUSH1 0x1b CODECOPY PUSH1 0x00 MLOAD
			DUP1 PUSH1 0xff AND
			DUP3 DUP3 PUSH1 0x18 SHR MUL PUSH1 0x08 SHR
			MOD PUSH1 0x07 MUL
			SWAP1 PUSH1 0x08 SHR PUSH2 0xffff AND ADD
			PUSH1 0x07 SWAP1 PUSH1 0x19 CODECOPY PUSH1 0x00 MLOAD
			DUP1 PUSH1 0x18 SHR DUP3 EQ
			PUSH1 0x03 CALLDATASIZE GT AND ISZERO PUSH2 @fallback JUMPI
			PUSH1 0x08 SHR PUSH2 0xffff AND JUMP
			fallback: JUMPDEST PUSH1 0x00 DUP1 REVERT
			f: JUMPDEST STOP
			headers: hex:0007 @bucket0 hex:02 hex:0003 @bucket1 hex:02
			bucket0: hex:a9059cbb @f hex:45 hex:095ea7b3 @f hex:45
			bucket1: hex:70a08231 @f hex:25 hex:18160ddd @f hex:05`,
			[]uint32{0x095ea7b3, 0x18160ddd, 0x70a08231, 0xa9059cbb}},
		{"constants not compared with the selector are not selectors", `
			PUSH4 0x01ffc9a7 PUSH1 0x04 CALLDATALOAD EQ PUSH2 @f JUMPI
			PUSH4 0x08c379a0 PUSH1 0xe0 SHL PUSH1 0x00 MSTORE
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR
			DUP1 PUSH4 0x01ffc9a7 EQ PUSH2 @f JUMPI
			PUSH1 0x00 DUP1 REVERT
			f: JUMPDEST PUSH4 0x80ac58cd PUSH1 0x04 CALLDATALOAD EQ PUSH1 0x00 MSTORE STOP`,
			[]uint32{0x01ffc9a7}},
		{"an endless loop ends", `loop: JUMPDEST PUSH2 @loop JUMP`, nil},
		{"a loop of selector range checks ends", `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR
			loop: JUMPDEST DUP1 PUSH4 0x12345678 GT PUSH2 @loop JUMPI
			DUP1 PUSH4 0x12345678 EQ PUSH2 @loop JUMPI PUSH2 @loop JUMP`,
			[]uint32{0x12345678}},
		{"a loop forking on the selector with a new state each time runs out of budget", `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR PUSH0
			loop: JUMPDEST PUSH1 0x01 ADD DUP2 PUSH4 0x12345678 GT PUSH2 @loop JUMPI
			PUSH1 0x40 MLOAD POP PUSH2 @loop JUMP`,
			nil},
		{"jump into PUSH data is refused", `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR PUSH2 0x0009 JUMP PUSH2 0x5b00
			DUP1 PUSH4 0x12345678 EQ PUSH2 0x0000 JUMPI`,
			nil},
		{"stack underflow stops quietly", `EQ JUMPI POP`, nil},
		{"truncated PUSH at the end", `PUSH0 CALLDATALOAD PUSH1 0xe0 SHR hex:63aabb`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := asm(t, tc.have)
			if got := Selectors(code); !slices.Equal(got, tc.want) {
				t.Errorf("Selectors = %08x, want %08x", got, tc.want)
			}
		})
	}
}

func TestSelectorsFixture(t *testing.T) {
	got := Selectors(fixture(t, "oz-erc20-runtime"))
	for _, s := range []uint32{0x06fdde03, 0x095ea7b3, 0x18160ddd, 0x23b872dd, 0x313ce567, 0x70a08231, 0x95d89b41, 0xa9059cbb, 0xdd62ed3e} {
		if _, ok := slices.BinarySearch(got, s); !ok {
			t.Errorf("missing %08x in %08x", s, got)
		}
	}
}
