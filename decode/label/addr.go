package label

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Where a label came from. The user's own address book wins over the
// built-in lists: a person knows their contacts better than we do.
const (
	SourceAddressBook = "addressbook"
	SourceBuiltin     = "builtin"
	SourceToken       = "token"
)

// Addr is an address with the name txguard knows it by, if any.
type Addr struct {
	Address common.Address
	Label   string // empty when nobody knows this address
	Source  string // one of the Source* constants; empty with Label
}

type addrJSON struct {
	Address string `json:"address"`
	Label   string `json:"label,omitempty"`
	Source  string `json:"source,omitempty"`
}

// MarshalJSON writes the checksummed 0x form, so every address in --json
// output can be pasted straight into another tool.
func (a Addr) MarshalJSON() ([]byte, error) {
	return json.Marshal(addrJSON{Hex(a.Address), a.Label, a.Source})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (a *Addr) UnmarshalJSON(b []byte) error {
	var v addrJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = Addr{common.HexToAddress(v.Address), v.Label, v.Source}
	return nil
}

// String is the checksummed address, followed by " (Label)" when known.
func (a Addr) String() string {
	if a.Label == "" {
		return Hex(a.Address)
	}
	return Hex(a.Address) + " (" + a.Label + ")"
}

// Known reports whether any list names this address.
func (a Addr) Known() bool { return a.Label != "" }

// ParseAddress reads a 0x-prefixed address. A mixed-case address carries
// an EIP-55 checksum, and a wrong one is a typo that would otherwise
// silently point at the wrong account.
func ParseAddress(s string) (common.Address, error) {
	if len(s) != 42 || !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") || !common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("%q is not a 0x-prefixed 20-byte address", s)
	}
	a := common.HexToAddress(s)
	if h := s[2:]; strings.ToLower(h) != h && strings.ToUpper(h) != h && a.Hex()[2:] != h {
		return common.Address{}, fmt.Errorf("%s has a bad EIP-55 checksum (want %s)", s, a.Hex())
	}
	return a, nil
}

// checksums caches EIP-55 forms: each costs a keccak, and the same few
// addresses (routers, tokens, the signer) recur in every call of a batch.
// It is split by the address's last byte so that a batch's workers, which
// all look up addresses all the time, rarely wait on one another's lock.
var checksums [32]struct {
	sync.Mutex
	m map[common.Address]string
}

// Hex is a.Hex(), the checksummed form, cached.
func Hex(a common.Address) string {
	c := &checksums[a[len(a)-1]%uint8(len(checksums))]
	c.Lock()
	defer c.Unlock()
	if h, ok := c.m[a]; ok {
		return h
	}
	if c.m == nil || len(c.m) >= 1<<14/len(checksums) {
		// Bounded: a batch of unrelated addresses must not grow it forever.
		c.m = make(map[common.Address]string)
	}
	h := a.Hex()
	c.m[a] = h
	return h
}
