package label

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

const (
	aliceHex = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" // EIP-55 test vector
	bobHex   = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359" // EIP-55 test vector
)

var (
	alice = common.HexToAddress(aliceHex)
	bob   = common.HexToAddress(bobHex)
)

func TestParseAddressBook(t *testing.T) {
	tests := []struct {
		name    string
		have    string
		want    []Entry
		wantErr string // substring; "" for success
	}{
		{"empty", "", []Entry{}, ""},
		{"comments and blank lines", "# my contacts\n\n   \n\t# indented comment\n" + aliceHex + " Alice\n\n", []Entry{{alice, "Alice"}}, ""},
		{"trailing comment", aliceHex + " Alice # met at devcon\n", []Entry{{alice, "Alice"}}, ""},
		{"comment right after label", aliceHex + " Alice#x\n", []Entry{{alice, "Alice"}}, ""},
		{"label words joined by one space", aliceHex + "\t Alice  the\tbuilder \n", []Entry{{alice, "Alice the builder"}}, ""},
		{"lowercase", strings.ToLower(aliceHex) + " Alice\n", []Entry{{alice, "Alice"}}, ""},
		{"all-caps hex", "0x" + strings.ToUpper(aliceHex[2:]) + " Alice\n", []Entry{{alice, "Alice"}}, ""},
		{"capital 0X prefix", "0X" + aliceHex[2:] + " Alice\n", []Entry{{alice, "Alice"}}, ""},
		{"crlf line endings", aliceHex + " Alice\r\n" + bobHex + " Bob\r\n", []Entry{{alice, "Alice"}, {bob, "Bob"}}, ""},
		{"file order kept", bobHex + " Bob\n" + aliceHex + " Alice\n", []Entry{{bob, "Bob"}, {alice, "Alice"}}, ""},
		{"bad checksum", "# c\n\n" + "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD Alice\n", nil, "book:3: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD has a bad EIP-55 checksum (want " + aliceHex + ")"},
		{"missing label", aliceHex + "\n", nil, "book:1: " + aliceHex + " has no label"},
		{"only a comment after the address", aliceHex + " # Alice\n", nil, "book:1: " + aliceHex + " has no label"},
		{"duplicate", aliceHex + " Alice\n" + strings.ToLower(aliceHex) + " Also Alice\n", nil, "book:2: " + aliceHex + " is listed twice"},
		{"label before address", "Alice " + aliceHex + "\n", nil, `book:1: "Alice" is not a 0x-prefixed 20-byte address`},
		{"no 0x prefix", aliceHex[2:] + " Alice\n", nil, "book:1:"},
		{"too short", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA Alice\n", nil, "book:1:"},
		{"too long", aliceHex + "00 Alice\n", nil, "book:1:"},
		{"not hex", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeZ Alice\n", nil, "book:1:"},
		{"terminal escape in label", aliceHex + " Alice\x1b[2J\n", nil, "book:1: the label of " + aliceHex + " has control or formatting characters"},
		{"bidi override in label", aliceHex + " Alice\u202egnp.exe\n", nil, "book:1: the label of " + aliceHex + " has control or formatting characters"},
		{"line too long for the scanner", aliceHex + " Alice\n" + aliceHex + " " + strings.Repeat("x", 70_000) + "\n", nil, "book:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseAddressBook(strings.NewReader(tt.have), "book")
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want one containing %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %q does not contain %q", err, tt.wantErr)
				}
				if b != nil {
					t.Errorf("book %+v returned with an error", b.Entries())
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := b.Entries(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Entries() = %+v, want %+v", got, tt.want)
			}
			if b.Len() != len(tt.want) {
				t.Errorf("Len() = %d, want %d", b.Len(), len(tt.want))
			}
			for _, e := range tt.want {
				if got, ok := b.Lookup(e.Address); !ok || got != e.Label {
					t.Errorf("Lookup(%s) = %q, %v; want %q", e.Address.Hex(), got, ok, e.Label)
				}
			}
		})
	}
}

func TestNilAddressBook(t *testing.T) {
	var b *AddressBook
	if _, ok := b.Lookup(alice); ok {
		t.Error("nil book found an entry")
	}
	if b.Len() != 0 || b.Entries() != nil {
		t.Errorf("nil book: Len %d, Entries %v", b.Len(), b.Entries())
	}
}

func TestLoadAddressBook(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	good := filepath.Join(dir, "good")
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(good, []byte(aliceHex+" Alice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(aliceHex+" Alice\n"+bobHex+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		required bool
		wantLen  int
		wantErr  string
	}{
		{"missing, optional", missing, false, 0, ""},
		{"missing, required", missing, true, 0, missing},
		{"present", good, true, 1, ""},
		{"present, optional", good, false, 1, ""},
		{"error names the file and line", bad, false, 0, bad + ":2: " + bobHex + " has no label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := LoadAddressBook(tt.path, tt.required)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if b == nil || b.Len() != tt.wantLen {
				t.Fatalf("book = %+v, want %d entries", b, tt.wantLen)
			}
		})
	}
}

func TestDefaultAddressBookPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CONFIG_HOME decides the config directory on Linux only")
	}
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	if got, want := DefaultAddressBookPath(), "/tmp/xdg-test/txguard/addressbook"; got != want {
		t.Errorf("DefaultAddressBookPath() = %q, want %q", got, want)
	}
	// With neither variable set there is no config directory.
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	if got := DefaultAddressBookPath(); got != "" {
		t.Errorf("DefaultAddressBookPath() without HOME = %q, want \"\"", got)
	}
}

func FuzzParseAddressBook(f *testing.F) {
	for _, seed := range []string{
		"",
		"# comment only\n",
		aliceHex + " Alice\n",
		aliceHex + " Alice # note\n" + bobHex + "\tBob the builder\n",
		strings.ToLower(aliceHex) + " Alice\n0X" + strings.ToUpper(bobHex[2:]) + " Bob\r\n",
		aliceHex + "\n",
		aliceHex + " Alice\n" + aliceHex + " Alice again\n",
		"Alice " + aliceHex + "\n",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD bad checksum\n",
		"0x\n0x0 x\n#\n\x00\xff " + aliceHex,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseAddressBook(strings.NewReader(string(data)), "fuzz")
		if err != nil {
			if b != nil {
				t.Fatalf("book returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "label: fuzz:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		entries := b.Entries()
		if len(entries) != b.Len() {
			t.Fatalf("Len() = %d, Entries() has %d", b.Len(), len(entries))
		}
		seen := map[common.Address]bool{}
		for _, e := range entries {
			if e.Label == "" {
				t.Fatalf("empty label for %s", e.Address.Hex())
			}
			if strings.TrimSpace(e.Label) != e.Label || strings.Contains(e.Label, "#") {
				t.Fatalf("label %q keeps whitespace or a comment", e.Label)
			}
			if seen[e.Address] {
				t.Fatalf("%s listed twice", e.Address.Hex())
			}
			seen[e.Address] = true
			if got, ok := b.Lookup(e.Address); !ok || got != e.Label {
				t.Fatalf("Lookup(%s) = %q, %v; want %q", e.Address.Hex(), got, ok, e.Label)
			}
		}
	})
}

// TestEnding: the index by ends finds exactly the entries sharing an
// address's first and last two bytes, in the book's order.
func TestEnding(t *testing.T) {
	b, err := ParseAddressBook(strings.NewReader("0x1234000000000000000000000000000000005678 one\n0x1234ffffffffffffffffffffffffffffffff5678 two\n0x1234000000000000000000000000000000005679 three\n"), "book")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		addr string
		want []string
	}{
		{"0x1234abababababababababababababababab5678", []string{"one", "two"}},
		{"0x1234abababababababababababababababab5679", []string{"three"}},
		{"0x9999abababababababababababababababab5678", nil},
	} {
		var have []string
		for _, e := range b.Ending(EndsOf(common.HexToAddress(tc.addr))) {
			have = append(have, e.Label)
		}
		if !slices.Equal(have, tc.want) {
			t.Errorf("%s: have %v, want %v", tc.addr, have, tc.want)
		}
	}
	var nilBook *AddressBook
	if nilBook.Ending(Ends{}) != nil {
		t.Error("a nil book has entries")
	}
}

// NewAddressBook checks entries as ParseAddressBook checks lines.
func TestNewAddressBook(t *testing.T) {
	a := common.HexToAddress("0x098B716B8Aaf21512996dC57EB0615e2383E2f96")
	b := common.HexToAddress("0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B")
	tests := []struct {
		name string
		have []Entry
		want string // substring of the error; "" for success
	}{
		{"two", []Entry{{a, "one"}, {b, "two"}}, ""},
		{"none", nil, ""},
		{"twice", []Entry{{a, "one"}, {a, "again"}}, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96 is listed twice"},
		{"no label", []Entry{{a, ""}}, "has no label"},
		{"escape in label", []Entry{{a, "x\x1b[2Jy"}}, "control or formatting characters"},
		{"bidi override in label", []Entry{{a, "x\u202ey"}}, "control or formatting characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book, err := NewAddressBook(tt.have)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want one containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := book.Entries(); len(got) != len(tt.have) {
				t.Fatalf("entries = %v, want %v", got, tt.have)
			}
			for _, e := range tt.have {
				if got, ok := book.Lookup(e.Address); !ok || got != e.Label {
					t.Errorf("Lookup(%s) = %q, %v", e.Address.Hex(), got, ok)
				}
			}
			if ff := bytes.Repeat([]byte{0xff}, 20); book.MayHave(ff) {
				t.Error("MayHave(ff…ff) on a book without such a prefix")
			}
		})
	}
}

// TestPrefixesZeroPadding: a listed address that begins 0x0000 (a vanity
// address) passes its own quick test, while the windows of ABI words'
// zero padding, which share its first 16 bits, are turned away: each
// would otherwise cost a map lookup in every deny-list scan.
func TestPrefixesZeroPadding(t *testing.T) {
	vanity := common.HexToAddress("0x0000db5c8B030ae20308ac975898E09741e70000")
	book, err := NewAddressBook([]Entry{{Address: vanity, Label: "a vanity address"}})
	if err != nil {
		t.Fatal(err)
	}
	if !book.MayHave(vanity[:]) {
		t.Fatal("the listed address fails its own quick test")
	}
	// An approve(spender, amount) call's arguments: two zero-padded words.
	spender := common.HexToAddress("0x000000000022D473030F116dDEE9F6B43aC78BA3")
	data := append(common.LeftPadBytes(spender[:], 32), common.LeftPadBytes([]byte{1}, 32)...)
	passed, zeroHead := 0, 0
	for i := 0; i+20 <= len(data); i++ {
		if data[i] == 0 && data[i+1] == 0 {
			zeroHead++
		}
		if book.MayHave(data[i : i+20]) {
			passed++
		}
	}
	if zeroHead < 25 || passed > 1 {
		t.Errorf("%d of %d windows beginning 0x0000 passed the quick test, want at most 1", passed, zeroHead)
	}
}

// FuzzPrefixes: every listed address passes the quick test of its book.
func FuzzPrefixes(f *testing.F) {
	f.Add(make([]byte, 20), []byte{0xde, 0xad})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, b := common.BytesToAddress(x), common.BytesToAddress(y)
		entries := []Entry{{Address: a, Label: "a"}}
		if b != a {
			entries = append(entries, Entry{Address: b, Label: "b"})
		}
		book, err := NewAddressBook(entries)
		if err != nil {
			t.Fatal(err)
		}
		var p Prefixes
		book.AddPrefixes(&p)
		for _, e := range entries {
			if !book.MayHave(e.Address[:]) || !p.MayHave(e.Address[:]) {
				t.Errorf("%s fails the quick test of its own book", e.Address)
			}
			if l, ok := book.Lookup(e.Address); !ok || l != e.Label {
				t.Errorf("Lookup(%s) = %q, %v", e.Address, l, ok)
			}
		}
	})
}
