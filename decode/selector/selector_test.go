package selector

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/fourbyte"
)

func mustSelector(t testing.TB, s string) [4]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 4 {
		t.Fatalf("bad selector %q", s)
	}
	return [4]byte(b)
}

func entryAt(t testing.TB, i int) ([4]byte, string) {
	t.Helper()
	var sel [4]byte
	binary.BigEndian.PutUint32(sel[:], selectorAt(i))
	sig, ok := signatureAt(i, Len())
	if !ok {
		t.Fatalf("entry %d (%x): offsets out of order", i, sel)
	}
	return sel, sig
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		have   string
		want   string
		wantOK bool
	}{
		{"erc20 transfer", "a9059cbb", "transfer(address,uint256)", true},
		{"erc20 approve", "095ea7b3", "approve(address,uint256)", true},
		{"multicall", "ac9650d8", "multicall(bytes[])", true},
		{"first entry", "00000000", "buyAndFree22457070633(uint256)", true},
		{"last entry", "ffffffff", "test266151307()", true},
		{"unknown", "00000003", "", false},
		// Uniswap's Universal Router execute(bytes,bytes[],uint256) is common,
		// but go-ethereum's 4byte.json does not have it.
		{"not in go-ethereum's data", "3593564c", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Lookup(mustSelector(t, tt.have))
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Lookup(%s) = %q, %v; want %q, %v", tt.have, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"a9059cbb", "00000003"} {
		sel := mustSelector(t, s)
		if n := testing.AllocsPerRun(100, func() { Lookup(sel) }); n != 0 {
			t.Errorf("Lookup(%s) allocates %v times", s, n)
		}
	}
}

// TestTable guards the shipped table: a header that matches its size,
// selectors strictly ascending, and every signature the preimage of its
// selector that abi.ParseSelector accepts.
func TestTable(t *testing.T) {
	if len(table) < headerSize || table[:4] != magic || u32(table[4:]) != version {
		t.Fatalf("4byte.bin: bad header %q", table[:min(len(table), headerSize)])
	}
	n := Len()
	if n == 0 || n != int(u32(table[8:])) {
		t.Fatalf("4byte.bin: header says %d entries, Len() = %d", u32(table[8:]), n)
	}
	if size := headerSize + 8*n + int(u32(table[headerSize+8*n-4:])); size != len(table) {
		t.Fatalf("4byte.bin: is %d bytes, layout says %d", len(table), size)
	}
	h := crypto.NewKeccakState()
	var hash [32]byte
	for i := range n {
		sel, sig := entryAt(t, i)
		if i > 0 && selectorAt(i-1) >= selectorAt(i) {
			t.Fatalf("entry %d (%x) is not above the one before it (%08x)", i, sel, selectorAt(i-1))
		}
		h.Reset()
		h.Write([]byte(sig))
		h.Read(hash[:])
		if !bytes.Equal(hash[:4], sel[:]) {
			t.Fatalf("entry %d: keccak256(%q)[:4] = %x, not %x", i, sig, hash[:4], sel)
		}
		if _, err := abi.ParseSelector(sig); err != nil {
			t.Fatalf("entry %d (%x): %v", i, sel, err)
		}
		if got, ok := Lookup(sel); got != sig || !ok {
			t.Fatalf("Lookup(%x) = %q, %v; want %q", sel, got, ok, sig)
		}
	}
}

// TestFourbyte checks the table against the database go-ethereum builds from
// the same JSON: built from all of it, and agreeing on every entry it kept.
func TestFourbyte(t *testing.T) {
	db, err := fourbyte.New()
	if err != nil {
		t.Fatal(err)
	}
	if src, _ := db.Size(); int(u32(table[12:])) != src {
		t.Fatalf("4byte.bin was built from %d entries, go-ethereum's 4byte.json has %d: run go generate ./decode/selector", u32(table[12:]), src)
	}
	for i := range Len() {
		sel, sig := entryAt(t, i)
		want, err := db.Selector(sel[:])
		if err != nil || sig != want {
			t.Fatalf("%x: table has %q, fourbyte has %q (%v)", sel, sig, want, err)
		}
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"a9059cbb", "00000000", "ffffffff", "00000003", "a905", ""} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var sel [4]byte
		copy(sel[:], b)
		sig, ok := Lookup(sel)
		// Lookup must agree with a plain search over the same table.
		want := binary.BigEndian.Uint32(sel[:])
		i := sort.Search(Len(), func(i int) bool { return selectorAt(i) >= want })
		if found := i < Len() && selectorAt(i) == want; found != ok {
			t.Fatalf("Lookup(%x) found = %v, search found = %v", sel, ok, found)
		}
		if !ok {
			if sig != "" {
				t.Fatalf("Lookup(%x) = %q, false", sel, sig)
			}
			return
		}
		if got := crypto.Keccak256([]byte(sig))[:4]; !bytes.Equal(got, sel[:]) {
			t.Fatalf("Lookup(%x) = %q, whose selector is %x", sel, sig, got)
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	// Spread the selectors over the table so the benchmark does not run from
	// a handful of hot cache lines.
	var hits, misses [][4]byte
	n := Len()
	for i := 0; i < n; i += n / 1024 {
		sel, _ := entryAt(b, i)
		hits = append(hits, sel)
		sel[3] ^= 0x5a
		if _, ok := Lookup(sel); !ok {
			misses = append(misses, sel)
		}
	}
	for _, bm := range []struct {
		name string
		sels [][4]byte
	}{{"hit", hits}, {"miss", misses}} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				Lookup(bm.sels[i%len(bm.sels)])
				i++
			}
		})
	}
}

// BenchmarkFourbyteNew is the start-up cost the table avoids.
func BenchmarkFourbyteNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fourbyte.New(); err != nil {
			b.Fatal(err)
		}
	}
}
