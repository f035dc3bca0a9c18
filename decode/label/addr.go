package label

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

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
		switch t := strings.TrimSpace(s); {
		case s == "":
			return common.Address{}, fmt.Errorf("empty: it wants a 0x-prefixed 20-byte address")
		case t != s && common.IsHexAddress(t) && len(t) == 42:
			// Pasted with a line break, or from a CRLF file.
			return common.Address{}, fmt.Errorf("%q has spaces or a line break around the address", s)
		}
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
// A sync.Map: a batch's workers all read it all the time, without a lock.
var (
	checksums     sync.Map // common.Address -> string
	checksumCount atomic.Int32
)

// Hex is a.Hex(), the checksummed form, cached.
func Hex(a common.Address) string {
	if h, ok := checksums.Load(a); ok {
		return h.(string)
	}
	if checksumCount.Add(1) > 1<<14 {
		// Bounded: a batch of unrelated addresses must not grow it forever.
		checksums.Clear()
		checksumCount.Store(1)
	}
	h := a.Hex()
	checksums.Store(a, h)
	return h
}
