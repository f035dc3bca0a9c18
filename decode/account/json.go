package account

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/label"
)

// object is a JSON object of a request, read field by field so that each
// error names the field: `account: userOp field "callData": ...`.
type object struct {
	what string // "userOp", "wallet_sendCalls calls[2]", ...
	m    map[string]json.RawMessage
}

func parseObject(what string, raw json.RawMessage) (object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return object{}, fmt.Errorf("account: %s is not a JSON object", what)
	}
	return object{what, m}, nil
}

// has reports a key present with a value other than null: JSON-RPC
// clients write absent optional fields either way.
func (o object) has(key string) bool {
	v, ok := o.m[key]
	return ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

func (o object) errorf(key, format string, args ...any) error {
	return fmt.Errorf("account: %s field %q: %s", o.what, key, fmt.Sprintf(format, args...))
}

func (o object) missing(key string) error {
	return fmt.Errorf("account: %s field %q is missing", o.what, key)
}

// str reads a string field; ok is false when it is absent or null.
func (o object) str(key string, required bool) (s string, ok bool, err error) {
	if !o.has(key) {
		if required {
			return "", false, o.missing(key)
		}
		return "", false, nil
	}
	if err := json.Unmarshal(o.m[key], &s); err != nil {
		return "", false, o.errorf(key, "want a string, have %s", kind(o.m[key]))
	}
	return s, true, nil
}

// maxQuantityDigits holds any uint256 with room for a few leading zeros;
// nothing honest sends pages of them.
const maxQuantityDigits = 80

// quantity reads a JSON-RPC quantity, a 0x hex string, of at most bits
// bits; nil when absent and not required.
func (o object) quantity(key string, bits int, required bool) (*big.Int, error) {
	if !o.has(key) {
		if required {
			return nil, o.missing(key)
		}
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(o.m[key], &s); err != nil {
		return nil, o.errorf(key, "want a 0x hex quantity string, have %s", kind(o.m[key]))
	}
	digits, found := strings.CutPrefix(s, "0x")
	if !found || digits == "" || len(digits) > maxQuantityDigits || strings.IndexFunc(digits, notHex) >= 0 {
		return nil, o.errorf(key, "%q is not a 0x hex quantity", clip.Cut(s, 48))
	}
	x, _ := new(big.Int).SetString(digits, 16)
	if x.BitLen() > bits {
		return nil, o.errorf(key, "%s does not fit in %d bits", clip.Cut(s, 48), bits)
	}
	return x, nil
}

func notHex(r rune) bool {
	return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F')
}

// bytes reads 0x hex bytes; nil when absent and not required.
func (o object) bytes(key string, required bool) ([]byte, error) {
	s, ok, err := o.str(key, required)
	if err != nil || !ok {
		return nil, err
	}
	b, err := hexutil.Decode(s)
	if err != nil {
		return nil, o.errorf(key, "not 0x-prefixed hex of even length")
	}
	return b, nil
}

// address reads a 0x address, holding a mixed-case one to its checksum.
func (o object) address(key string, required bool) (*common.Address, error) {
	s, ok, err := o.str(key, required)
	if err != nil || !ok {
		return nil, err
	}
	a, err := label.ParseAddress(s)
	if err != nil {
		return nil, o.errorf(key, "%v", err)
	}
	return &a, nil
}

// boolean reads true or false; ok is false when absent or null.
func (o object) boolean(key string) (v, ok bool, err error) {
	if !o.has(key) {
		return false, false, nil
	}
	if err := json.Unmarshal(o.m[key], &v); err != nil {
		return false, false, o.errorf(key, "want true or false, have %s", kind(o.m[key]))
	}
	return v, true, nil
}

// unknown lists keys outside known, sorted.
func (o object) unknown(known []string) []string {
	var out []string
	for k := range o.m {
		if !slices.Contains(known, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// kind names a JSON value's type for an error.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
