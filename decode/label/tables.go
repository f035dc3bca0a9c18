package label

import (
	"encoding/binary"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
)

// The built-in labels are tab-separated text in data/ so that a reviewer
// can check every row against its source in a diff. tables_gen.go holds
// the same rows as Go values, written from the text by go generate and
// checked against it on every test run (TestGeneratedTables): the linker
// lays them out in the binary, so a one-shot process does not parse
// ~1,000 rows and build maps of them (a third of a millisecond, and
// 280 KB of heap) before it can name one address. Chain "*" in the text
// marks contracts deployed at the same address on every chain (CREATE2
// deployments such as Permit2).

//go:generate go test -run ^TestGeneratedTables$ -update .

// anyChain is the chain of the rows marked "*".
const anyChain = ^uint64(0)

// Chain is a network txguard knows by name.
type Chain struct {
	ID     uint64
	Name   string
	Native string // symbol of the native currency, e.g. ETH
}

// Token is an ERC-20 token txguard can format amounts of.
type Token struct {
	Symbol   string
	Decimals uint8
	Name     string
}

// addrEntry is one built-in label of an address.
type addrEntry struct {
	chain  uint64 // anyChain: every chain
	label  string // a token's is "Name (Symbol)"
	source string // SourceToken or SourceBuiltin
	token  Token  // SourceToken only
}

// addrRows is an address and its run of builtinRows, in the order
// Labeler.Addr prefers them: a token on its chain, a contract on its
// chain, a contract on every chain.
type addrRows struct {
	addr     common.Address
	first, n uint16
}

// slotBits sizes builtinSlots: 4,096 slots for about 950 addresses, so a
// lookup of an address that is not there (most of them) usually reads one
// empty slot. The test bounds the longest probe, which also bounds what
// an address chosen to collide can cost.
const slotBits = 12

// slotOf is where an address's probe starts in builtinSlots: every byte
// of it mixed, so vanity addresses (leading or trailing zeros) spread.
func slotOf(a common.Address) uint32 {
	x := binary.LittleEndian.Uint64(a[0:8]) ^
		binary.LittleEndian.Uint64(a[8:16])*0xC2B2AE3D27D4EB4F ^
		uint64(binary.LittleEndian.Uint32(a[16:20]))*0x165667B19E3779F9
	return uint32((x * 0x9E3779B97F4A7C15) >> (64 - slotBits))
}

// labelsOf returns every built-in label of an address, best first.
// builtinSlots holds 1 + an index into builtinAddrs, 0 for an empty slot;
// the table always has empty slots, so the probe ends.
func labelsOf(a common.Address) []addrEntry {
	for i := slotOf(a); ; i = (i + 1) % uint32(len(builtinSlots)) {
		n := builtinSlots[i]
		if n == 0 {
			return nil
		}
		if e := &builtinAddrs[n-1]; e.addr == a {
			return builtinRows[e.first : e.first+e.n]
		}
	}
}

// ChainByID returns the chain with this id, if txguard knows it.
func ChainByID(id uint64) (Chain, bool) {
	// A binary search by hand: every amount in native currency asks, and
	// slices.BinarySearchFunc's comparison closure showed in profiles.
	lo, hi := 0, len(builtinChains)
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); builtinChains[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(builtinChains) || builtinChains[lo].ID != id {
		return Chain{}, false
	}
	return builtinChains[lo], true
}

// ChainName is the chain's name, or "chain N" when it is not known.
func ChainName(id uint64) string {
	if c, ok := ChainByID(id); ok {
		return c.Name
	}
	return "chain " + strconv.FormatUint(id, 10)
}

// ChainIDs lists the ids of every chain txguard knows, in increasing order.
func ChainIDs() []uint64 {
	out := make([]uint64, len(builtinChains))
	for i, c := range builtinChains {
		out[i] = c.ID
	}
	return out
}
