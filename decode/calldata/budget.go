package calldata

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// BudgetExceeded starts the Error of a call that was not decoded, or not
// in full, because the calldata would expand past the decode budget.
const BudgetExceeded = "decode budget exceeded"

// The decode budget is counted in units: callUnits per call, one per
// decoded value (argument, tuple member, array element), and one per 32
// bytes of every bytes or string value and undecoded calldata kept. An ABI
// offset is a pointer, and nothing stops a thousand of them pointing at the
// same bytes, nor a multicall whose elements all point at one nested
// multicall: read pointer by pointer, 5 KB became millions of calls (26 s
// and 2.2 GB), 29 KB of uint256[][][] 27 million integers (77 s, 16 GB).
//
// Without aliasing, every value stands on a 32-byte word of its own (a
// MultiSend transaction on 85 bytes), and each level of nesting re-reads
// the bytes of the level below: honest calldata needs about 0.04 units a
// byte flat and 0.26 nested MaxDepth deep (TestHonestBudget), so one unit
// a byte is a margin of four where nesting is deepest and twenty-five where
// honest input lives; budgetBase covers the smallest inputs. budgetCap
// holds the largest transaction a node relays (geth's pool refuses those
// over 128 KiB) even nested at every byte: 128 KiB of multicalls six deep
// and three wide need 25,000 units. Decoding, judging and printing the cap
// takes under a second and 100 MB (BenchmarkHostileWideMulticall).
const (
	callUnits     = 4 // a call costs more than a value: a lookup, labels, rules
	budgetPerByte = 1
	budgetBase    = 4096
	budgetCap     = 1 << 16
)

// budget is what one Decode may still spend. Once spent it stays spent:
// nothing after the call that crossed it is decoded, and every call left
// unread in full says so.
type budget struct {
	input, limit, left int
	over               bool
}

func newBudget(input int) budget {
	limit := min(budgetPerByte*input+budgetBase, budgetCap)
	return budget{input: input, limit: limit, left: limit}
}

// take spends n units, or reports that they are not there.
func (b *budget) take(n int) bool {
	if !b.fits(n) {
		return false
	}
	b.left -= n
	return true
}

// fits reports whether n units are left, without spending them; when they
// are not, the budget is spent.
func (b *budget) fits(n int) bool {
	if b.over || n > b.left {
		b.over = true
		return false
	}
	return true
}

// message is the Error of a call the budget stopped.
func (b *budget) message() string {
	return fmt.Sprintf("%s: read offset by offset, these %d bytes of calldata make more than %d calls, values and 32-byte words "+
		"(ABI offsets that point at the same bytes again and again); no real transaction comes near that, so this call was not read in full", BudgetExceeded, b.input, b.limit)
}

// mark records on c that the budget stopped its decoding. A budget error
// says more than any other, so it replaces one already there.
func (b *budget) mark(c *Call) {
	if !strings.HasPrefix(c.Error, BudgetExceeded) {
		c.Error = b.message()
	}
}

// wordsOf is the units of n bytes.
func wordsOf(n int) int { return (n + 31) / 32 }

// unpack is args.Unpack(data) within the budget: it first counts, without
// building anything, the values go-ethereum would build, so that an input
// whose offsets alias costs what it is worth before any work is done. over
// reports that the budget, not the encoding, refused it.
func (d *Decoder) unpack(args abi.Arguments, data []byte) (vals []any, over bool, err error) {
	n, _ := size(args, data, d.budget.left)
	if !d.budget.take(n) {
		return nil, true, nil
	}
	// Where size stops on a bad layout go-ethereum stops too (FuzzSize
	// holds them together), so this costs no more than n; its error says
	// what is wrong.
	vals, err = args.Unpack(data)
	return vals, false, err
}

// unpackArgs is unpack followed by toArgs, reading a canonical encoding
// without go-ethereum (see canonicalArgs). The budget is spent the same:
// a canonical encoding is read first, as its reading costs what its bytes
// do however they are made, and counts what size would have.
func (d *Decoder) unpackArgs(args abi.Arguments, data []byte) (out []Arg, over bool, err error) {
	if out, units, ok := d.canonicalArgs(args, data); ok {
		if !d.budget.take(units) {
			return nil, true, nil
		}
		return out, false, nil
	}
	n, _ := size(args, data, d.budget.left)
	if !d.budget.take(n) {
		return nil, true, nil
	}
	vals, err := args.Unpack(data)
	if err != nil {
		return nil, false, err
	}
	return d.toArgs(args, vals), false, nil
}

// size counts the units args.Unpack(data) would build, walking the
// encoding as go-ethereum's toGoType does: the same offsets, the same
// order, the same bounds checks. It stops as soon as the count passes
// limit (the count it returns is then above limit) and reports !ok where
// go-ethereum would fail on the layout. It never builds a value, so its
// cost is bounded by limit however the offsets alias.
func size(args abi.Arguments, data []byte, limit int) (n int, ok bool) {
	s := sizer{limit: limit}
	if len(data) == 0 && len(args) > 0 {
		return 0, false
	}
	virtual := 0
	for i := range args {
		t := &args[i].Type
		if !s.value((i+virtual)*32, t, data) {
			return s.n, false
		}
		virtual += inlineWords(t) - 1
	}
	return s.n, true
}

type sizer struct{ n, limit int }

func (s *sizer) add(n int) bool {
	s.n += n
	return s.n <= s.limit
}

// value mirrors toGoType(index, t, out).
func (s *sizer) value(index int, t *abi.Type, out []byte) bool {
	if index < 0 || index > len(out)-32 || !s.add(1) {
		return false
	}
	var begin, length int
	if t.T == abi.StringTy || t.T == abi.BytesTy || t.T == abi.SliceTy {
		var ok bool
		if begin, length, ok = lengthPrefix(index, out); !ok {
			return false
		}
	}
	switch t.T {
	case abi.TupleTy:
		if dynamic(t) {
			off, ok := word(out[index : index+32])
			if !ok || off > uint64(len(out)) {
				return false
			}
			return s.tuple(t, out[off:])
		}
		return s.tuple(t, out[index:])
	case abi.SliceTy:
		return s.array(t, out[begin:], length)
	case abi.ArrayTy:
		if dynamic(t.Elem) {
			// go-ethereum reads this offset from the word's last 8 bytes.
			off := binary.BigEndian.Uint64(out[index+24 : index+32])
			if off > uint64(len(out)) {
				return false
			}
			return s.array(t, out[off:], t.Size)
		}
		return s.array(t, out[index:], t.Size)
	case abi.StringTy, abi.BytesTy:
		return s.add(wordsOf(length))
	}
	return true
}

// array mirrors forEachUnpack(t, out, 0, size).
func (s *sizer) array(t *abi.Type, out []byte, size int) bool {
	if size < 0 || size > len(out)/32 {
		return false
	}
	stride := inlineWords(t.Elem) * 32
	for j := range size {
		if !s.value(j*stride, t.Elem, out) {
			return false
		}
	}
	return true
}

// tuple mirrors forTupleUnpack(t, out).
func (s *sizer) tuple(t *abi.Type, out []byte) bool {
	virtual := 0
	for i, e := range t.TupleElems {
		if !s.value((i+virtual)*32, e, out) {
			return false
		}
		virtual += inlineWords(e) - 1
	}
	return true
}

// lengthPrefix mirrors lengthPrefixPointsTo: the word at index is the
// offset of a length word, which is followed by that many items.
func lengthPrefix(index int, out []byte) (begin, length int, ok bool) {
	off, ok := word(out[index : index+32])
	if !ok || off > uint64(len(out)-32) {
		return 0, 0, false
	}
	begin = int(off) + 32
	n, ok := word(out[begin-32 : begin])
	if !ok || n > uint64(len(out)-begin) {
		return 0, 0, false
	}
	return begin, int(n), true
}

// word reads a 32-byte word that fits in 63 bits.
func word(w []byte) (uint64, bool) {
	if !allZero(w[:24]) {
		return 0, false
	}
	v := binary.BigEndian.Uint64(w[24:])
	return v, v < 1<<63
}

// dynamic mirrors isDynamicType.
func dynamic(t *abi.Type) bool {
	switch t.T {
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			if dynamic(e) {
				return true
			}
		}
		return false
	case abi.ArrayTy:
		return dynamic(t.Elem)
	}
	return t.T == abi.StringTy || t.T == abi.BytesTy || t.T == abi.SliceTy
}

// inlineWords mirrors getTypeSize/32: the words a value takes in its
// enclosing tuple or array. Saturated so that an absurd static type
// (uint256[1e12][1e12] from some 4byte signature) cannot overflow; its
// second element is then out of bounds, as in go-ethereum.
func inlineWords(t *abi.Type) int {
	const most = 1 << 40
	switch {
	case t.T == abi.ArrayTy && !dynamic(t.Elem):
		if t.Elem.T == abi.ArrayTy || t.Elem.T == abi.TupleTy {
			e := inlineWords(t.Elem)
			if e != 0 && t.Size > most/e {
				return most
			}
			return t.Size * e
		}
		return min(t.Size, most)
	case t.T == abi.TupleTy && !dynamic(t):
		total := 0
		for _, e := range t.TupleElems {
			total = min(total+inlineWords(e), most)
		}
		return total
	}
	return 1
}
