package selector

import (
	_ "embed"
	"encoding/binary"
	"sync"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// table is 4byte.bin, written by gen.go. Every integer in it is a big-endian
// uint32:
//
//	header     magic "4BYT", version, count n, entries in the source
//	selectors  n selectors, strictly ascending
//	ends       n end offsets: signature i is blob[ends[i-1]:ends[i]]
//	blob       the signatures, concatenated
//
// It is a string so that Lookup can return slices of it without copying.
//
//go:embed 4byte.bin
var table string

const (
	magic      = "4BYT"
	version    = 1
	headerSize = 16
)

// count is the number of entries, checked once against the header. A table
// that does not match its header answers every lookup with "not found"; the
// tests make sure the one we ship matches.
var count = sync.OnceValue(func() int {
	if len(table) < headerSize || table[:4] != magic || u32(table[4:]) != version {
		return 0
	}
	n := uint64(u32(table[8:]))
	if uint64(len(table)) < headerSize+8*n {
		return 0
	}
	if n > 0 && uint64(u32(table[headerSize+8*n-4:])) != uint64(len(table))-headerSize-8*n {
		return 0
	}
	return int(n)
})

// Lookup returns the signature of the function with selector sel, such as
// "transfer(address,uint256)" for a9059cbb. It does not allocate.
func Lookup(sel [4]byte) (string, bool) {
	n := count()
	want := binary.BigEndian.Uint32(sel[:])
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if selectorAt(m) < want {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == n || selectorAt(lo) != want {
		return "", false
	}
	return signatureAt(lo, n)
}

// Named is a selector as 0x-prefixed hex ("0xa9059cbb") followed by the
// signature the table knows for it, if any: a reading, not proof, since
// selectors collide.
func Named(hex string) string {
	var sel [4]byte
	if b, err := hexutil.Decode(hex); err == nil && len(b) == 4 {
		copy(sel[:], b)
		if sig, ok := Lookup(sel); ok {
			return hex + " " + sig
		}
	}
	return hex
}

// Len returns the number of selectors in the table.
func Len() int {
	return count()
}

func selectorAt(i int) uint32 {
	return u32(table[headerSize+4*i:])
}

// signatureAt returns the signature of entry i of n, or false if its offsets
// are out of order, which only a damaged table can have.
func signatureAt(i, n int) (string, bool) {
	ends := headerSize + 4*n
	blob := ends + 4*n
	start := 0
	if i > 0 {
		start = int(u32(table[ends+4*(i-1):]))
	}
	end := int(u32(table[ends+4*i:]))
	if start > end || blob+end > len(table) {
		return "", false
	}
	return table[blob+start : blob+end], true
}

func u32(s string) uint32 {
	_ = s[3]
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}
