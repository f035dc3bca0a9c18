package calldata

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Hostile calldata: ABI offsets are pointers, and nothing in the encoding
// stops many of them pointing at the same bytes. A decoder that follows
// each one reads those bytes once per pointer, and a container that holds
// such a container multiplies again at every level.

// abiWord is n as one ABI word.
func abiWord(n int) []byte { return common.LeftPadBytes(big.NewInt(int64(n)).Bytes(), 32) }

// pad32 right-pads b to a whole number of words.
func pad32(b []byte) []byte {
	return append(append([]byte(nil), b...), make([]byte, (32-len(b)%32)%32)...)
}

// aliasedBytesArray encodes a bytes[] of n elements that all point at the
// one copy of elem, as the body of a dynamic argument: length, n offsets
// (relative to the first offset word), elem's length and bytes.
func aliasedBytesArray(n int, elem []byte) []byte {
	out := abiWord(n)
	for range n {
		out = append(out, abiWord(32*n)...)
	}
	out = append(out, abiWord(len(elem))...)
	return append(out, pad32(elem)...)
}

// aliasedMulticall nests multicall(bytes[]) levels deep; every level's
// array holds fan elements that all point at the level below, so a
// decoder that follows the pointers sees fan^levels calls.
func aliasedMulticall(levels, fan int) []byte {
	data := common.FromHex("0xd0e30db0") // deposit()
	for range levels {
		b := common.FromHex("0xac9650d8") // multicall(bytes[])
		b = append(b, abiWord(32)...)
		data = append(b, aliasedBytesArray(fan, data)...)
	}
	return data
}

// wideMulticall is multicall(bytes[]) of n elements that all point at one
// call of size bytes to an unknown function, which is shown undecoded.
func wideMulticall(n, size int) []byte {
	call := make([]byte, size)
	copy(call, common.FromHex("0xdeadbeef"))
	return append(append(common.FromHex("0xac9650d8"), abiWord(32)...), aliasedBytesArray(n, call)...)
}

// aliasedAggregate3 nests Multicall3's aggregate3((address,bool,bytes)[]);
// the fan tuples of each level all point at one tuple whose callData is
// the level below.
func aliasedAggregate3(levels, fan int) []byte {
	target := common.LeftPadBytes(common.HexToAddress("0xcA11bde05977b3631167028862bE2a173976CA11").Bytes(), 32)
	data := common.FromHex("0xd0e30db0")
	for range levels {
		b := common.FromHex("0x82ad56cb")
		b = append(b, abiWord(32)...)
		b = append(b, abiWord(fan)...)
		for range fan {
			b = append(b, abiWord(32*fan)...)
		}
		// The one tuple: target, allowFailure, offset of callData (from the
		// tuple's start), callData.
		b = append(b, target...)
		b = append(b, abiWord(0)...)
		b = append(b, abiWord(96)...)
		b = append(b, abiWord(len(data))...)
		data = append(b, pad32(data)...)
	}
	return data
}

// aliasedRouter nests Universal Router execute(bytes,bytes[]) through
// EXECUTE_SUB_PLAN: at every level fan commands share one input, which is
// the (commands, inputs) of the level below.
func aliasedRouter(levels, fan int) []byte {
	leaf := append(abiWord(0), abiWord(0)...) // WRAP_ETH(recipient 0, amount 0)
	cmds := func(b byte) []byte {
		c := make([]byte, fan)
		for i := range c {
			c[i] = b
		}
		return c
	}
	// plan encodes (bytes commands, bytes[] inputs) as a tuple body.
	plan := func(commands, input []byte) []byte {
		inputs := aliasedBytesArray(fan, input)
		b := abiWord(64)
		b = append(b, abiWord(64+32+len(pad32(commands)))...)
		b = append(b, abiWord(len(commands))...)
		b = append(b, pad32(commands)...)
		return append(b, inputs...)
	}
	in := leaf
	commands := cmds(0x0b)
	for range levels - 1 {
		in, commands = plan(commands, in), cmds(0x21)
	}
	return append(common.FromHex("0x24856bc3"), plan(commands, in)...)
}

// aliasedERC7821 is ERC-7821 execute(bytes32,bytes) in batch-of-batches
// mode: fan batches that all point at one batch of fan calls, each call
// to a multicall that aliases again, levels deep.
func aliasedERC7821(levels, fan int) []byte {
	inner := aliasedMulticall(levels, fan)
	// One batch: (address,uint256,bytes)[] of fan tuples sharing one tuple.
	batch := abiWord(32)
	batch = append(batch, abiWord(fan)...)
	for range fan {
		batch = append(batch, abiWord(32*fan)...)
	}
	batch = append(batch, common.LeftPadBytes(common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC").Bytes(), 32)...)
	batch = append(batch, abiWord(0)...)
	batch = append(batch, abiWord(96)...)
	batch = append(batch, abiWord(len(inner))...)
	batch = append(batch, pad32(inner)...)
	// bytes[] of fan batches, all the one batch.
	batches := append(abiWord(32), aliasedBytesArray(fan, batch)...)
	mode := make([]byte, 32)
	mode[0] = 0x01
	copy(mode[6:], []byte{0x78, 0x21, 0x00, 0x02})
	b := common.FromHex("0xe9ae5c53")
	b = append(b, mode...)
	b = append(b, abiWord(64)...)
	b = append(b, abiWord(len(batches))...)
	return append(b, pad32(batches)...)
}

// aliasedNestedArrays calls f(uint256[][][]) of a user ABI: fan outer
// arrays share one middle array of fan inner arrays that share one array
// of fan integers, fan^3 values from about 3*fan words.
func aliasedNestedArrays(fan int) []byte {
	ints := abiWord(fan)
	for i := range fan {
		ints = append(ints, abiWord(i)...)
	}
	mid := abiWord(fan)
	for range fan {
		mid = append(mid, abiWord(32*fan)...)
	}
	mid = append(mid, ints...)
	outer := abiWord(fan)
	for range fan {
		outer = append(outer, abiWord(32*fan)...)
	}
	outer = append(outer, mid...)
	return append(append(common.FromHex("0x"+nestedSel), abiWord(32)...), outer...)
}

// nestedABI is the user ABI aliasedNestedArrays calls.
const nestedABI = `[{"type":"function","name":"f","inputs":[{"name":"xs","type":"uint256[][][]"}]}]`

// nestedSel is the selector of f(uint256[][][]).
const nestedSel = "9dc2d252"
