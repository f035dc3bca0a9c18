package calldata

import (
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// canonicalArgs reads data as the canonical encoding of args, the bytes
// go-ethereum's Pack would write for some values, straight into Args. It is
// the fast path of decoding: go-ethereum's Unpack goes through reflection,
// builds every value twice (Go values, then Args), and telling a canonical
// encoding from a padded one took a Pack of everything to compare bytes.
//
// It answers only when it is sure: ok means data is canonical, and then
// Unpack would succeed, Pack would give data back, and toArgs would build
// the very Args returned here (FuzzCanonicalArgs holds them together).
// Anything else (a padded or aliased layout, a value go-ethereum might
// read differently, a type it does not handle) gets !ok, and the caller
// takes go-ethereum's path, which says what is wrong. Offsets must be
// exactly where Pack puts them, so no offset aliases and the work is linear
// in len(data).
//
// units is what size(args, data) counts for the budget, counted on the way
// (checkCanonical holds the two equal).
func (d *Decoder) canonicalArgs(args abi.Arguments, data []byte) (out []Arg, units int, ok bool) {
	r := canonReader{d: d, data: data, slab: d.slab}
	out = r.newArgs(len(args))
	for i := range args {
		out[i].Name = args[i].Name
		if out[i].Name == "" {
			out[i].Name = "arg" + strconv.Itoa(i)
		}
	}
	end, ok := r.seq(len(args), func(i int) *abi.Type { return &args[i].Type }, out, 0)
	return out, r.units, ok && end == len(data)
}

type canonReader struct {
	d     *Decoder
	data  []byte
	slab  *slab // nil: allocate each value
	units int   // values read, and words of bytes and strings (see size)
}

// slab is where one Decode cuts its integers' big.Ints and its short
// argument lists from: one allocation for many values instead of one or
// two each.
type slab struct {
	ints  []big.Int
	words []big.Word
	args  []Arg // and short argument lists
}

// argsChunk is how many Args a slab holds: a router's swap has about
// twenty in all, each list a few.
const argsChunk = 8

// newArgs returns n zero Args, cut from the slab when n is small. The cut
// has no room past n: an append reallocates rather than writing into the
// next list.
func (r *canonReader) newArgs(n int) []Arg {
	s := r.slab
	if s == nil || n > argsChunk/2 {
		return make([]Arg, n)
	}
	if len(s.args) < n {
		s.args = make([]Arg, argsChunk)
	}
	out := s.args[:n:n]
	s.args = s.args[n:]
	return out
}

// wordsPerInt is the big.Words of 256 bits.
const wordsPerInt = 256 / bits.UintSize

// newInt returns a zero big.Int with room for 256 bits of its own.
func (r *canonReader) newInt() *big.Int {
	s := r.slab
	if s == nil {
		return new(big.Int)
	}
	if len(s.ints) == 0 {
		const n = 8 // a call has a few integers; a larger slab was mostly unused
		s.ints, s.words = make([]big.Int, n), make([]big.Word, n*wordsPerInt)
	}
	z := &s.ints[0]
	// Capacity capped at its own words: growing past them reallocates
	// rather than writing into a neighbour's.
	z.SetBits(s.words[:0:wordsPerInt])
	s.ints, s.words = s.ints[1:], s.words[wordsPerInt:]
	return z
}

// decimal is v in base 10, as v.String() writes it.
func decimal(v *big.Int) string {
	if v.IsUint64() {
		return strconv.FormatUint(v.Uint64(), 10)
	}
	return v.String()
}

// hexValue is hexutil.Encode(b) in one allocation instead of two.
func hexValue(b []byte) string {
	var sb strings.Builder
	sb.Grow(2 + 2*len(b))
	sb.WriteString("0x")
	var buf [256]byte
	for len(b) > 0 {
		n := min(len(b), len(buf)/2)
		hex.Encode(buf[:], b[:n])
		sb.Write(buf[:2*n])
		b = b[n:]
	}
	return sb.String()
}

// word reads the 32-byte word at p.
func (r *canonReader) word(p int) ([]byte, bool) {
	if p < 0 || p > len(r.data)-32 {
		return nil, false
	}
	return r.data[p : p+32], true
}

// small reads the word at p as a count or offset below len(data).
func (r *canonReader) small(p int) (int, bool) {
	w, ok := r.word(p)
	if !ok || !allZero(w[:24]) {
		return 0, false
	}
	n := binary.BigEndian.Uint64(w[24:])
	if n > uint64(len(r.data)) {
		return 0, false
	}
	return int(n), true
}

// seq reads values of types laid out as Pack lays out a tuple from base:
// heads in order (a static value inline, a dynamic one as its offset from
// base), then the dynamic values' tails in the same order, each starting
// where the one before ended. Names are already set in out. It returns
// where the encoding ends.
func (r *canonReader) seq(n int, typeAt func(int) *abi.Type, out []Arg, base int) (int, bool) {
	tail := base
	for i := range n {
		n, ok := headSize(typeAt(i))
		if !ok {
			return 0, false
		}
		tail += n
	}
	if tail > len(r.data) {
		return 0, false
	}
	head := base
	for i := range n {
		t := typeAt(i)
		if !dynamicType(t) {
			if !r.static(t, head, &out[i]) {
				return 0, false
			}
			n, _ := headSize(t)
			head += n
			continue
		}
		off, ok := r.small(head)
		if !ok || off != tail-base {
			return 0, false
		}
		end, ok := r.dynamic(t, tail, &out[i])
		if !ok {
			return 0, false
		}
		head, tail = head+32, end
	}
	return tail, true
}

// headSize is what a value of t takes in its tuple's head.
func headSize(t *abi.Type) (int, bool) {
	if dynamicType(t) {
		return 32, true
	}
	switch t.T {
	case abi.ArrayTy:
		n, ok := headSize(t.Elem)
		if !ok || t.Size < 0 || t.Size > 1<<16 {
			return 0, false
		}
		return n * t.Size, true
	case abi.TupleTy:
		sum := 0
		for _, e := range t.TupleElems {
			n, ok := headSize(e)
			if !ok {
				return 0, false
			}
			sum += n
		}
		return sum, true
	}
	return 32, true
}

// dynamicType is go-ethereum's isDynamicType.
func dynamicType(t *abi.Type) bool {
	switch t.T {
	case abi.StringTy, abi.BytesTy, abi.SliceTy:
		return true
	case abi.ArrayTy:
		return dynamicType(t.Elem)
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			if dynamicType(e) {
				return true
			}
		}
	}
	return false
}

// dynamic reads the tail of a dynamic value at p and returns its end.
func (r *canonReader) dynamic(t *abi.Type, p int, a *Arg) (int, bool) {
	r.units++
	a.Type = t.String()
	switch t.T {
	case abi.StringTy, abi.BytesTy:
		n, ok := r.small(p)
		if !ok {
			return 0, false
		}
		start, padded := p+32, (n+31)/32*32
		if start+padded > len(r.data) || !allZero(r.data[start+n:start+padded]) {
			return 0, false
		}
		r.units += wordsOf(n)
		b := r.data[start : start+n : start+n]
		if t.T == abi.StringTy {
			a.Value = string(b)
		} else {
			a.raw, a.hexLater = b, true
		}
		return start + padded, true
	case abi.SliceTy:
		n, ok := r.small(p)
		if !ok {
			return 0, false
		}
		return r.elems(t.Elem, n, a, p+32)
	case abi.ArrayTy:
		return r.elems(t.Elem, t.Size, a, p)
	case abi.TupleTy:
		return r.tuple(t, a, p)
	}
	return 0, false
}

// elems reads n elements of type e laid out as a tuple from base.
func (r *canonReader) elems(e *abi.Type, n int, a *Arg, base int) (int, bool) {
	h, ok := headSize(e)
	// Each element takes at least its head: a count the data cannot
	// hold is no canonical encoding (and zero-size elements are left to
	// go-ethereum).
	if !ok || h == 0 || n < 0 || n > (len(r.data)-base)/h {
		return 0, false
	}
	a.Elems = r.newArgs(n)
	for i := range a.Elems {
		a.Elems[i].Name = indexName(i)
	}
	return r.seq(n, func(int) *abi.Type { return e }, a.Elems, base)
}

// tuple reads a tuple's members from base.
func (r *canonReader) tuple(t *abi.Type, a *Arg, base int) (int, bool) {
	if len(t.TupleRawNames) != len(t.TupleElems) {
		return 0, false
	}
	a.Elems = r.newArgs(len(t.TupleElems))
	for i := range a.Elems {
		a.Elems[i].Name = t.TupleRawNames[i]
		if a.Elems[i].Name == "" {
			a.Elems[i].Name = "arg" + strconv.Itoa(i)
		}
	}
	return r.seq(len(t.TupleElems), func(i int) *abi.Type { return t.TupleElems[i] }, a.Elems, base)
}

// static reads a static value at p.
func (r *canonReader) static(t *abi.Type, p int, a *Arg) bool {
	r.units++
	a.Type = t.String()
	switch t.T {
	case abi.ArrayTy:
		_, ok := r.elems(t.Elem, t.Size, a, p)
		return ok
	case abi.TupleTy:
		_, ok := r.tuple(t, a, p)
		return ok
	}
	w, ok := r.word(p)
	if !ok {
		return false
	}
	switch t.T {
	case abi.UintTy:
		if t.Size < 8 || t.Size > 256 || t.Size%8 != 0 || !allZero(w[:32-t.Size/8]) {
			return false
		}
		a.big = r.newInt().SetBytes(w)
		a.Value = decimal(a.big)
	case abi.IntTy:
		if t.Size < 8 || t.Size > 256 || t.Size%8 != 0 {
			return false
		}
		// Sign-extended from the type's width: the bytes above it are
		// all copies of its top bit.
		k := 32 - t.Size/8
		fill := byte(0)
		if w[k]&0x80 != 0 {
			fill = 0xff
		}
		for _, b := range w[:k] {
			if b != fill {
				return false
			}
		}
		a.big = r.newInt().SetBytes(w)
		if fill == 0xff {
			a.big.Sub(a.big, two256)
		}
		a.Value = decimal(a.big)
	case abi.AddressTy:
		if !allZero(w[:12]) {
			return false
		}
		addr := common.Address(w[12:])
		a.raw, a.isAddr = w[12:32:32], true
		a.Value = label.Hex(addr)
		a.Label = r.d.labels().Addr(addr).Label
	case abi.BoolTy:
		if !allZero(w[:31]) || w[31] > 1 {
			return false
		}
		a.Value = strconv.FormatBool(w[31] == 1)
	case abi.FixedBytesTy:
		if t.Size < 1 || t.Size > 32 || !allZero(w[t.Size:]) {
			return false
		}
		a.raw = append([]byte(nil), w[:t.Size]...)
		a.Value = hexValue(a.raw)
	default: // function, fixed-point, hash: go-ethereum's path
		return false
	}
	return true
}

// indexNames are the names of the first array elements, made once: every
// array of every call names its elements.
var indexNames = func() (out [32]string) {
	for i := range out {
		out[i] = "[" + strconv.Itoa(i) + "]"
	}
	return out
}()

func indexName(i int) string {
	if i < len(indexNames) {
		return indexNames[i]
	}
	return "[" + strconv.Itoa(i) + "]"
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// allZero reports whether b holds only zero bytes, eight at a time: every
// word of calldata is checked for its padding.
func allZero(b []byte) bool {
	for ; len(b) >= 8; b = b[8:] {
		if binary.LittleEndian.Uint64(b) != 0 {
			return false
		}
	}
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
