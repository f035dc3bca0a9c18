package typeddata

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/jsonkey"
)

// encoder hashes values per EIP-712 encodeData while building the Fields a
// person is shown, so that what is displayed is exactly what was hashed.
//
// It follows MetaMask's eth_signTypedData_v4 wherever the specification is
// silent, because that is what most wallets will actually sign: a struct
// member that is absent or null is encoded as 32 zero bytes, object keys
// that are not members of the type are ignored by the hash.
type encoder struct {
	s         schema
	typeHash  map[string][]byte
	atoms     apitypes.TypedData // only its EncodePrimitiveValue is used
	absent    []string           // struct values encoded as zero
	unsigned  []string           // object keys left out of the hash
	checksums []string           // addresses with a wrong EIP-55 checksum
	lossy     []string           // JSON numbers a JavaScript wallet would round
	typeBytes int                // encodeType bytes hashed so far
	budget    budget             // what the request may still make us build
}

// maxTypeBytes bounds the encodeType strings one request may make us hash.
const maxTypeBytes = 4 << 20

// newEncoder hashes with schema s for a request of input bytes.
func newEncoder(s schema, input int) *encoder {
	return &encoder{s: s, typeHash: map[string][]byte{}, budget: newBudget(input)}
}

// hashStruct is keccak256(typeHash(typ) || enc(member1) || ... ).
func (e *encoder) hashStruct(path, typ string, obj map[string]any) (common.Hash, []Field, error) {
	members := e.s[typ]
	th, ok := e.typeHash[typ]
	if !ok {
		et := e.s.encodeType(typ)
		// Each type string holds every type it reaches, so a few hundred
		// KiB of mutually referring types can cost gigabytes to hash.
		// Real requests need a few KiB.
		if e.typeBytes += len(et); e.typeBytes > maxTypeBytes {
			return common.Hash{}, nil, fmt.Errorf("typeddata: %s: the type strings to hash pass %d MiB; no real request comes near that", path, maxTypeBytes>>20)
		}
		th = crypto.Keccak256([]byte(et))
		e.typeHash[typ] = th
	}
	buf := make([]byte, 0, 32*(len(members)+1))
	buf = append(buf, th...)
	fields := make([]Field, 0, len(members))
	for _, m := range members {
		v, present := obj[m.Name]
		word, f, err := e.value(path+"."+m.Name, m.Type, v, present)
		if err != nil {
			return common.Hash{}, nil, err
		}
		f.Name = m.Name
		buf = append(buf, word...)
		fields = append(fields, f)
	}
	for _, k := range sortedKeys(obj) {
		if hasMember(members, k) {
			continue
		}
		// A wallet hashes "spender" and ignores "Spender"; a reader that
		// folds case (go-ethereum's structs, a person) may take it for it.
		for _, m := range members {
			if strings.EqualFold(m.Name, k) {
				return common.Hash{}, nil, fmt.Errorf("typeddata: %s: key %s is member %q of %s in another case: a wallet would not sign it, a reader could take it for the member", path, jsonkey.Quote(k), m.Name, typ)
			}
		}
		// Its path is kept for a note, and paid for like a Field.
		p := path + "." + k
		if err := e.budget.field(p, ""); err != nil {
			return common.Hash{}, nil, err
		}
		e.unsigned = append(e.unsigned, p)
	}
	return crypto.Keccak256Hash(buf), fields, nil
}

func hasMember(members []member, name string) bool {
	for _, m := range members {
		if m.Name == name {
			return true
		}
	}
	return false
}

// value encodes one value of type typ into its 32-byte word.
func (e *encoder) value(path, typ string, v any, present bool) ([]byte, Field, error) {
	f := Field{Type: typ}
	if err := e.budget.field(path, typ); err != nil {
		return nil, f, err
	}
	elem, n, isArray, err := splitArray(typ)
	if err != nil {
		return nil, f, fmt.Errorf("typeddata: %s: %v", path, err)
	}
	if isArray {
		list, ok := v.([]any)
		if !ok {
			return nil, f, mismatch(path, typ, v, present)
		}
		if n >= 0 && len(list) != n {
			return nil, f, fmt.Errorf("typeddata: %s: %s wants %d elements, have %d", path, typ, n, len(list))
		}
		buf := make([]byte, 0, 32*len(list))
		f.Fields = make([]Field, 0, len(list))
		for i, x := range list {
			word, ef, err := e.value(path+"["+strconv.Itoa(i)+"]", elem, x, true)
			if err != nil {
				return nil, f, err
			}
			ef.Name = "[" + strconv.Itoa(i) + "]"
			buf = append(buf, word...)
			f.Fields = append(f.Fields, ef)
		}
		return crypto.Keccak256(buf), f, nil
	}
	if _, ok := e.s[typ]; ok {
		if v == nil {
			e.absent = append(e.absent, path)
			f.Human = "absent (signed as 32 zero bytes)"
			return make([]byte, 32), f, nil
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, f, mismatch(path, typ, v, present)
		}
		h, fields, err := e.hashStruct(path, typ, obj)
		f.Fields = fields
		return h[:], f, err
	}
	at, ok := atomic(typ)
	if !ok {
		return nil, f, fmt.Errorf("typeddata: %s: undefined type %q", path, typ)
	}
	var enc any // the Go value apitypes encodes
	switch at.kind {
	case kindAddress:
		s, ok := v.(string)
		if !ok || !common.IsHexAddress(s) {
			return nil, f, mismatch(path, typ, v, present)
		}
		a := common.HexToAddress(s)
		if badChecksum(s, a) {
			e.checksums = append(e.checksums, path)
		}
		enc, f.Value = a.Bytes(), a.Hex()
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, f, mismatch(path, typ, v, present)
		}
		enc, f.Value = b, strconv.FormatBool(b)
	case kindString:
		s, ok := v.(string)
		if !ok {
			return nil, f, mismatch(path, typ, v, present)
		}
		enc, f.Value = s, s
	case kindBytes, kindFixedBytes:
		s, ok := v.(string)
		if !ok {
			return nil, f, mismatch(path, typ, v, present)
		}
		b, err := hexutil.Decode(s)
		if err != nil {
			return nil, f, fmt.Errorf("typeddata: %s: %s is not 0x-prefixed hex of even length", path, describe(v))
		}
		if at.kind == kindFixedBytes && len(b) != at.size {
			return nil, f, fmt.Errorf("typeddata: %s: %s wants %d bytes, have %d", path, typ, at.size, len(b))
		}
		enc, f.Value = b, hexutil.Encode(b)
	case kindUint, kindInt:
		x, err := e.integer(path, v)
		if err != nil {
			return nil, f, mismatch(path, typ, v, present)
		}
		if !fits(x, at) {
			return nil, f, fmt.Errorf("typeddata: %s: %s is out of range for %s", path, x, typ)
		}
		enc, f.Value = x, x.String()
	}
	word, err := e.atoms.EncodePrimitiveValue(typ, enc, 0)
	if err != nil {
		return nil, f, fmt.Errorf("typeddata: %s: %v", path, err)
	}
	return word, f, nil
}

// badChecksum reports a mixed-case address whose case is not its EIP-55
// checksum: a typo, or an address edited by hand.
func badChecksum(s string, a common.Address) bool {
	if len(s) == 42 {
		s = s[2:]
	}
	lower, upper := true, true
	for _, c := range s {
		lower = lower && !('A' <= c && c <= 'F')
		upper = upper && !('a' <= c && c <= 'f')
	}
	return !lower && !upper && a.Hex()[2:] != s
}

var (
	decimalInt = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?[0-9]+$`) })
	hexInt     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0[xX][0-9a-fA-F]+$`) })
)

// maxIntText bounds integer text: 78 digits hold any uint256, and nothing
// legitimate needs pages of leading zeros.
const maxIntText = 100

// integer reads a JSON number or a decimal or 0x-hex string. JSON numbers
// must be integer literals; a number a JavaScript wallet cannot hold exactly
// is noted, since such a wallet would sign a rounded value.
func (e *encoder) integer(path string, v any) (*big.Int, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
		if len(s) > maxIntText || !decimalInt().MatchString(s) {
			return nil, fmt.Errorf("not an integer")
		}
		x, _ := new(big.Int).SetString(s, 10)
		if f, _ := new(big.Float).SetInt(x).Float64(); new(big.Float).SetFloat64(f).Cmp(new(big.Float).SetInt(x)) != 0 {
			e.lossy = append(e.lossy, path)
		}
		return x, nil
	case string:
		s = v
	default:
		return nil, fmt.Errorf("not an integer")
	}
	switch {
	case len(s) > maxIntText:
	case decimalInt().MatchString(s):
		x, _ := new(big.Int).SetString(s, 10)
		return x, nil
	case hexInt().MatchString(s):
		x, _ := new(big.Int).SetString(s[2:], 16)
		return x, nil
	}
	return nil, fmt.Errorf("not an integer")
}

// fits reports whether x is in range for an intN or uintN.
func fits(x *big.Int, at atomicType) bool {
	if at.kind == kindUint {
		return x.Sign() >= 0 && x.BitLen() <= at.size
	}
	if x.Sign() >= 0 {
		return x.BitLen() < at.size
	}
	// -2^(N-1) is the smallest: its magnitude minus one fits in N-1 bits.
	return new(big.Int).Sub(new(big.Int).Neg(x), big.NewInt(1)).BitLen() < at.size
}

func mismatch(path, typ string, v any, present bool) error {
	if !present {
		return fmt.Errorf("typeddata: %s: missing value of type %s", path, typ)
	}
	return fmt.Errorf("typeddata: %s: %s is not a valid %s", path, describe(v), typ)
}

// describe names a JSON value briefly for an error message, on one line.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return short(string(v))
	case string:
		return strconv.Quote(short(v))
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func short(s string) string { return clip.Cut(s, 48) }
