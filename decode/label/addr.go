package label

import (
	"encoding/json"

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
	return json.Marshal(addrJSON{a.Address.Hex(), a.Label, a.Source})
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

// String is "0xAbC…1234 (Label)" in full form; Short shortens the hex.
func (a Addr) String() string {
	if a.Label == "" {
		return a.Address.Hex()
	}
	return a.Address.Hex() + " (" + a.Label + ")"
}

// Known reports whether any list names this address.
func (a Addr) Known() bool { return a.Label != "" }
