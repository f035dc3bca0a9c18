package label

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/userfile"
)

// AddressBook is the user's own list of addresses, one per line:
//
//	0xADDRESS  label words   # comment
//
// The same format serves deny lists.
type AddressBook struct {
	names map[common.Address]string
	order []common.Address
	// prefixes is a quick negative for every address in the book. Deny
	// lists are scanned against every 20-byte window of calldata: two bit
	// tests turn nearly all of those map lookups away.
	prefixes *Prefixes

	endsOnce sync.Once
	ends     map[Ends][]Entry // see Ending
}

// Entry is one line of an address book.
type Entry struct {
	Address common.Address
	Label   string
}

// ParseAddressBook reads an address book; name is used in error messages.
func ParseAddressBook(r io.Reader, name string) (*AddressBook, error) {
	b := newBook(0)
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		addr := fields[0]
		a, err := ParseAddress(addr)
		if err != nil {
			return nil, fmt.Errorf("label: %s:%d: %v", name, n, err)
		}
		if err := b.add(a, addr, strings.Join(fields[1:], " ")); err != nil {
			return nil, fmt.Errorf("label: %s:%d: %v", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		// The scanner stops on the line it could not read (one over 64 KiB).
		return nil, fmt.Errorf("label: %s:%d: %v", name, n+1, err)
	}
	return b, nil
}

// NewAddressBook makes a book of entries already read, such as a list
// compiled into the binary, with the checks ParseAddressBook makes of a
// line once its address is read.
func NewAddressBook(entries []Entry) (*AddressBook, error) {
	b := newBook(len(entries))
	for _, e := range entries {
		if err := b.add(e.Address, "", e.Label); err != nil {
			return nil, fmt.Errorf("label: %v", err)
		}
	}
	return b, nil
}

func newBook(n int) *AddressBook {
	return &AddressBook{names: make(map[common.Address]string, n), order: make([]common.Address, 0, n)}
}

// add adds a line's address and label; shown is the address as the line
// has it, for errors ("": checksummed, made only for an error).
func (b *AddressBook) add(a common.Address, shown, label string) error {
	name := func() string {
		if shown == "" {
			return a.Hex() // a keccak: only for an error
		}
		return shown
	}
	if label == "" {
		return fmt.Errorf("%s has no label", name())
	}
	// Labels reach the terminal: escape sequences or bidi overrides in a
	// shared deny list could repaint the screen or reverse an address.
	if strings.ContainsFunc(label, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
		return fmt.Errorf("the label of %s has control or formatting characters", name())
	}
	if _, dup := b.names[a]; dup {
		return fmt.Errorf("%s is listed twice", a.Hex())
	}
	b.names[a] = label
	b.order = append(b.order, a)
	if b.prefixes == nil {
		b.prefixes = new(Prefixes)
	}
	b.prefixes.add(a)
	return nil
}

// LoadAddressBook reads an address book from a file. With required false a
// missing file is an empty book: the default path need not exist.
func LoadAddressBook(path string, required bool) (*AddressBook, error) {
	// An address book is kilobytes; a FIFO or device at its path must
	// not hang or exhaust the check.
	b, err := userfile.Read(path, 16<<20)
	if errors.Is(err, os.ErrNotExist) && !required {
		return &AddressBook{names: map[common.Address]string{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("label: %v", err)
	}
	return ParseAddressBook(bytes.NewReader(b), path)
}

// DefaultAddressBookPath is txguard/addressbook under the user config
// directory, or "" when the system has none.
func DefaultAddressBookPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "txguard", "addressbook")
}

// Prefixes is a quick negative for a set of addresses: a scan over every
// 20-byte window of calldata tests a bit or two per window and builds an
// address only where a listed one may be. head has a bit for each listed
// address's first 16 bits; whole has one for a 16-bit hash of all 20
// bytes. head alone turns away nearly every window, but not those of the
// zero padding of ABI words when a listed address begins 0x0000, as
// vanity addresses of drainers and bots do (0x0000db5c…): whole turns
// those away.
type Prefixes struct {
	head, whole [1 << 16 / 64]uint64
}

func (p *Prefixes) add(a common.Address) {
	i, j := int(a[0])<<8|int(a[1]), wholeHash(a[:])
	p.head[i/64] |= 1 << (i % 64)
	p.whole[j/64] |= 1 << (j % 64)
}

// wholeHash mixes the 20 bytes of w into 16 bits.
func wholeHash(w []byte) int {
	h := binary.LittleEndian.Uint64(w[0:8]) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(w[8:16]), 29) ^
		uint64(binary.LittleEndian.Uint32(w[16:20]))<<11
	return int((h * 0x9e3779b97f4a7c15) >> 48)
}

// MayHave reports whether the address in the 20 bytes w may be in the
// set; false is certain.
func (p *Prefixes) MayHave(w []byte) bool {
	if !p.MayBegin(w[0], w[1]) {
		return false // nearly every window: no hash taken
	}
	j := wholeHash(w)
	return p.whole[j/64]&(1<<(j%64)) != 0
}

// MayBegin is MayHave's first test alone, small enough to be inlined into
// a scan's loop: false when no address in the set begins with b0, b1.
func (p *Prefixes) MayBegin(b0, b1 byte) bool {
	i := int(b0)<<8 | int(b1)
	return p.head[i/64]&(1<<(i%64)) != 0
}

// MayHave reports whether the address in the 20 bytes w may be in the
// book; false is certain.
func (b *AddressBook) MayHave(w []byte) bool {
	return b != nil && b.prefixes != nil && b.prefixes.MayHave(w)
}

// AddPrefixes adds the book's quick negative to p.
func (b *AddressBook) AddPrefixes(p *Prefixes) {
	if b == nil || b.prefixes == nil {
		return
	}
	for i := range p.head {
		p.head[i] |= b.prefixes.head[i]
		p.whole[i] |= b.prefixes.whole[i]
	}
}

// Lookup returns the label of a, if the book has it.
func (b *AddressBook) Lookup(a common.Address) (string, bool) {
	if b == nil || b.prefixes == nil {
		return "", false
	}
	if !b.prefixes.MayHave(a[:]) {
		return "", false
	}
	name, ok := b.names[a]
	return name, ok
}

// Entries lists the book in file order.
func (b *AddressBook) Entries() []Entry {
	if b == nil {
		return nil
	}
	out := make([]Entry, len(b.order))
	for i, a := range b.order {
		out[i] = Entry{a, b.names[a]}
	}
	return out
}

// Ending lists the book's entries whose address has the given ends, in
// the file's order (an index built on first use).
func (b *AddressBook) Ending(e Ends) []Entry {
	if b == nil {
		return nil
	}
	b.endsOnce.Do(func() {
		b.ends = map[Ends][]Entry{}
		for _, a := range b.order {
			k := EndsOf(a)
			b.ends[k] = append(b.ends[k], Entry{a, b.names[a]})
		}
	})
	return b.ends[e]
}

// Len is the number of entries.
func (b *AddressBook) Len() int {
	if b == nil {
		return 0
	}
	return len(b.order)
}
