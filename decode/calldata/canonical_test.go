package calldata

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// canonTypes are the argument lists canonicalArgs is checked on: every
// curated function, every Universal Router command, and lists made to reach
// what those lack (signed and narrow integers, bools, fixed bytes, static
// arrays, nested dynamic tuples).
func canonTypes(t testing.TB) (out []abi.Arguments, names []string) {
	for _, c := range allCurated() {
		out, names = append(out, c.method.Inputs), append(names, c.method.Sig)
	}
	for _, table := range []*urTable{urTableV1, urTableV2} {
		for _, e := range table.all() {
			if e.args != nil {
				out, names = append(out, e.args), append(names, "command "+e.name)
			}
		}
	}
	for _, list := range [][]string{
		{"int24", "int256", "int8", "uint24", "uint8"},
		{"bool", "bytes32", "bytes4", "bytes1"},
		{"uint8[3]", "address[2]", "(uint256,bool)[2]"},
		{"string", "bytes[2]", "(address,(bool,string))"},
		{"(uint256,bytes)[]", "uint256[][]", "string[]"},
		{},
	} {
		var args abi.Arguments
		for i, typ := range list {
			ty, err := abi.NewType(typ, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			args = append(args, abi.Argument{Name: fmt.Sprintf("a%d", i), Type: ty})
		}
		out, names = append(out, args), append(names, strings.Join(list, ","))
	}
	// Map order must not reorder the fuzzer's index.
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	so, sn := make([]abi.Arguments, len(out)), make([]string, len(out))
	for i, j := range idx {
		so[i], sn[i] = out[j], names[j]
	}
	return so, sn
}

// checkCanonical holds canonicalArgs to go-ethereum: when it reads data,
// Unpack must read it too, Pack must give the same bytes back, and toArgs
// must build the same Args. It reports whether canonicalArgs read it.
func checkCanonical(t *testing.T, d *Decoder, args abi.Arguments, data []byte) bool {
	t.Helper()
	fast, units, ok := d.canonicalArgs(args, data)
	vals, err := args.Unpack(data)
	var exact bool
	if err == nil {
		packed, perr := args.Pack(vals...)
		exact = perr == nil && bytes.Equal(packed, data)
	}
	if !ok {
		return false
	}
	if err != nil || !exact {
		t.Fatalf("canonicalArgs read %x, but go-ethereum: unpack error %v, exact %v", data, err, exact)
	}
	if diff := argsDiff("", d.toArgs(args, vals), fast); diff != "" {
		t.Fatalf("canonicalArgs differs from toArgs: %s", diff)
	}
	// The budget charged for a canonical reading is size's count.
	if n, _ := size(args, data, math.MaxInt); units != n {
		t.Fatalf("canonicalArgs counted %d units, size %d", units, n)
	}
	return true
}

// argsDiff describes the first difference between two Arg trees, "" if
// none; unexported values are compared by what they hold.
func argsDiff(path string, want, have []Arg) string {
	if len(want) != len(have) || (want == nil) != (have == nil) {
		return fmt.Sprintf("%s: %d args (nil %v), want %d (nil %v)", path, len(have), have == nil, len(want), want == nil)
	}
	for i := range want {
		w, h := want[i], have[i]
		p := path + "/" + w.Name
		switch {
		case w.Name != h.Name || w.Type != h.Type || w.Value != h.Value || w.Label != h.Label || w.Human != h.Human:
			return fmt.Sprintf("%s: have %+v, want %+v", p, h, w)
		case (w.big == nil) != (h.big == nil) || w.big != nil && w.big.Cmp(h.big) != 0:
			return fmt.Sprintf("%s: big %v, want %v", p, h.big, w.big)
		case w.isAddr != h.isAddr:
			return fmt.Sprintf("%s: address %v, want %v", p, h.isAddr, w.isAddr)
		case (w.raw == nil) != (h.raw == nil) || !bytes.Equal(w.raw, h.raw):
			return fmt.Sprintf("%s: raw %x, want %x", p, h.raw, w.raw)
		}
		if d := argsDiff(p, w.Elems, h.Elems); d != "" {
			return d
		}
	}
	return ""
}

// canonSeeds are real argument bytes: each call fixture's arguments and
// each Universal Router command input, with the index of their types.
func canonSeeds(t testing.TB, types []abi.Arguments, names []string) (idx []int, data [][]byte) {
	byName := map[string]int{}
	for i, n := range names {
		byName[n] = i
	}
	d := New(nil).WithLabels(testLabels())
	for _, raw := range seeds(t) {
		c := d.Decode(&common.Address{1}, nil, raw)
		if i, ok := byName[c.Signature]; ok && len(raw) >= 4 {
			idx, data = append(idx, i), append(data, raw[4:])
		}
	}
	// The swap's command inputs, as the router reads them.
	router := common.HexToAddress("0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af")
	tx := fixtureTx(t, "universal-router-swap")
	c := d.Decode(&router, nil, tx.Data())
	for k, sub := range c.Calls {
		if i, ok := byName["command "+sub.Name]; ok {
			idx, data = append(idx, i), append(data, c.Args[1].Elems[k].raw)
		}
	}
	return idx, data
}

func TestCanonicalArgs(t *testing.T) {
	types, names := canonTypes(t)
	d := New(nil).WithLabels(testLabels())
	idx, data := canonSeeds(t, types, names)
	read := 0
	for k := range idx {
		if checkCanonical(t, d, types[idx[k]], data[k]) {
			read++
		}
	}
	t.Logf("canonicalArgs read %d of %d real argument encodings", read, len(idx))
	// Real calldata is canonical: the fast path must take nearly all of
	// it, or it is no fast path.
	if read < len(idx)*9/10 {
		t.Errorf("canonicalArgs read %d of %d real argument encodings", read, len(idx))
	}
	// And it must refuse what go-ethereum would read another way.
	for _, tc := range []struct {
		name, typ, have string
	}{
		{"address with high bytes", "address", "ff" + strings.Repeat("00", 11) + strings.Repeat("11", 20)},
		{"bool 2", "bool", strings.Repeat("00", 31) + "02"},
		{"uint8 past its width", "uint8", strings.Repeat("00", 30) + "0100"},
		{"int8 badly extended", "int8", strings.Repeat("00", 31) + "80"},
		{"bytes4 with padding set", "bytes4", "11223344" + strings.Repeat("00", 27) + "01"},
		{"trailing word", "uint256", strings.Repeat("00", 64)},
		{"offset not where Pack puts it", "bytes", strings.Repeat("00", 31) + "40" + strings.Repeat("00", 32) + strings.Repeat("00", 32)},
		{"bytes with padding set", "bytes", strings.Repeat("00", 31) + "20" + strings.Repeat("00", 31) + "01" + "aa" + strings.Repeat("00", 30) + "01"},
		{"empty", "uint256", ""},
	} {
		ty, err := abi.NewType(tc.typ, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := hex.DecodeString(tc.have)
		if _, _, ok := d.canonicalArgs(abi.Arguments{{Name: "x", Type: ty}}, raw); ok {
			t.Errorf("%s: canonicalArgs read %s", tc.name, tc.have)
		}
	}
}

// FuzzCanonicalArgs runs checkCanonical on mutated real encodings under
// every argument list.
func FuzzCanonicalArgs(f *testing.F) {
	types, names := canonTypes(f)
	idx, data := canonSeeds(f, types, names)
	for k := range idx {
		f.Add(uint16(idx[k]), data[k])
	}
	d := New(nil).WithLabels(testLabels())
	f.Fuzz(func(t *testing.T, i uint16, data []byte) {
		checkCanonical(t, d, types[int(i)%len(types)], data)
	})
}

// all returns every command of the table, each parsed.
func (t *urTable) all() []urArgs {
	out := make([]urArgs, 0, len(t.cmds))
	for b := range t.cmds {
		e, _ := t.get(b)
		out = append(out, e)
	}
	return out
}
