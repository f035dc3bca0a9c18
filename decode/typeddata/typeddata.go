package typeddata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/txguard/txguard/decode/jsonkey"
	"github.com/txguard/txguard/decode/label"
)

// TypedData is a decoded eth_signTypedData_v4 request: what it binds to
// (Domain), what it says (Message, in type order) and the hashes a wallet
// signs.
type TypedData struct {
	Domain          Domain      `json:"domain"`
	PrimaryType     string      `json:"primaryType"`
	Message         []Field     `json:"message"`
	DomainSeparator common.Hash `json:"domainSeparator"`
	StructHash      common.Hash `json:"structHash"`  // hashStruct(primaryType, message)
	SigningHash     common.Hash `json:"signingHash"` // keccak256(0x1901 || domainSeparator || structHash)
	// Notes are things a reviewer should know that are not errors: a
	// non-standard domain field, keys that are not signed, and the like.
	Notes []string `json:"notes,omitempty"`
	// Raw is the request as go-ethereum reads it, for rules that want it.
	// It is filled best-effort: go-ethereum's domain has fixed fields, so a
	// non-standard domain field is missing here (see Domain.Extra).
	Raw apitypes.TypedData `json:"-"`
}

// Domain is the signed EIP712Domain. The five standard fields are filled
// when declared with their standard type; anything else is in Extra.
type Domain struct {
	Name              string      `json:"name,omitempty"`
	Version           string      `json:"version,omitempty"`
	ChainID           string      `json:"chainId,omitempty"` // decimal
	ChainName         string      `json:"chainName,omitempty"`
	VerifyingContract *label.Addr `json:"verifyingContract,omitempty"`
	Salt              string      `json:"salt,omitempty"` // 0x hex
	Extra             []Field     `json:"extra,omitempty"`
}

// Field is one member of a struct, or one element of an array (named
// "[0]", "[1]", ...), as it was hashed.
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Value is canonical: decimal integers, 0x hex bytes, checksummed
	// addresses, true/false, strings as sent. Empty for structs and arrays.
	Value string `json:"value,omitempty"`
	Label string `json:"label,omitempty"` // addresses: who it is
	// Human is what a person can read: "unlimited USDC", "1,000 USDC", a
	// deadline as a UTC date.
	Human  string  `json:"human,omitempty"`
	Fields []Field `json:"fields,omitempty"` // struct members, array elements
}

// standardDomain is EIP-712's list of domain fields and their types.
var standardDomain = map[string]string{
	"name":              "string",
	"version":           "string",
	"chainId":           "uint256",
	"verifyingContract": "address",
	"salt":              "bytes32",
}

// Parse decodes eth_signTypedData_v4 data: a JSON object, or a JSON string
// whose content is that object (dapps often send params[1] as a string).
// lab labels addresses and may be nil; the chain comes from domain.chainId.
func Parse(data []byte, lab *label.Labeler) (*TypedData, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("typeddata: input is not valid UTF-8")
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var inner string
		if err := json.Unmarshal(data, &inner); err != nil {
			return nil, fmt.Errorf("typeddata: not a JSON string: %v", err)
		}
		data = []byte(strings.TrimSpace(inner))
	}
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("typeddata: want a JSON object, have %s", describeStart(data))
	}
	// The domain is read by go-ethereum's struct too (Raw), which would take
	// "Name" for name.
	if err := jsonkey.Check(data, "types", "primaryType", "domain", "message"); err != nil {
		return nil, fmt.Errorf("typeddata: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("typeddata: invalid JSON: %v", err)
	}
	for _, key := range []string{"types", "primaryType", "domain", "message"} {
		if _, ok := top[key]; !ok {
			return nil, fmt.Errorf("typeddata: missing %s", key)
		}
	}
	var primary string
	if err := json.Unmarshal(top["primaryType"], &primary); err != nil || primary == "" {
		return nil, fmt.Errorf("typeddata: primaryType is not a type name")
	}
	s, err := parseTypes(top["types"])
	if err != nil {
		return nil, err
	}
	if _, ok := s[primary]; !ok {
		return nil, fmt.Errorf("typeddata: primaryType %q is not defined in types", primary)
	}
	if err := jsonkey.Check(top["domain"], "name", "version", "chainId", "verifyingContract", "salt"); err != nil {
		return nil, fmt.Errorf("typeddata: domain: %v", err)
	}
	domainObj, err := object(top["domain"], "domain")
	if err != nil {
		return nil, err
	}
	messageObj, err := object(top["message"], "message")
	if err != nil {
		return nil, err
	}

	t := &TypedData{PrimaryType: primary}
	if _, ok := s[domainType]; !ok {
		// MetaMask signs this as an empty domain; ethers infers one from the
		// domain object. Follow the wallet, and say what it means.
		s[domainType] = []member{}
		t.note("types has no EIP712Domain: the domain is signed as an empty struct, so the signature is bound to no name, chain or contract")
	}
	e := newEncoder(s, len(data))
	ds, domainFields, err := e.hashStruct("domain", domainType, domainObj)
	if err != nil {
		return nil, err
	}
	sh, messageFields, err := e.hashStruct("message", primary, messageObj)
	if err != nil {
		return nil, err
	}
	t.DomainSeparator, t.StructHash, t.Message = ds, sh, messageFields
	if primary == domainType {
		// MetaMask leaves the struct hash out when the domain is the
		// message; go-ethereum keeps it. We show what the wallet signs.
		t.SigningHash = crypto.Keccak256Hash([]byte{0x19, 0x01}, ds[:])
		t.note("primaryType is EIP712Domain: MetaMask signs keccak256(0x1901 || domainSeparator) alone; other signers may add the struct hash")
	} else {
		t.SigningHash = crypto.Keccak256Hash([]byte{0x19, 0x01}, ds[:], sh[:])
	}

	chain := t.setDomain(domainFields)
	if lab == nil {
		lab = label.New(chain, nil)
	} else {
		lab = lab.OnChain(chain)
	}
	t.annotate(lab)

	if r := s.recursive(primary); len(r) > 0 {
		t.note(fmt.Sprintf("types that refer to themselves: %s; MetaMask signs them, but strict libraries (ethers, go-ethereum) refuse the request", strings.Join(r, ", ")))
	}
	t.notePaths("not signed (not a member of its type, so left out of the hash)", e.unsigned)
	t.notePaths("absent or null struct values, signed as 32 zero bytes as MetaMask does", e.absent)
	t.notePaths("mixed-case address with a wrong EIP-55 checksum", e.checksums)
	t.notePaths("JSON number too large for a JavaScript wallet to hold exactly: it would sign a rounded value", e.lossy)
	t.Raw = raw(top)
	return t, nil
}

// describeStart names what the input begins with, for an error.
func describeStart(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	r, _ := utf8.DecodeRune(data)
	return fmt.Sprintf("input starting with %q", r)
}

// object decodes a JSON object keeping numbers as written, since a uint256
// does not survive a trip through float64.
func object(raw json.RawMessage, path string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("typeddata: %s: %v", path, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("typeddata: %s is %s, not an object", path, describe(v))
	}
	return obj, nil
}

// setDomain fills Domain from the signed domain fields and returns the
// chain id for labelling (0 when absent or not a uint64).
func (t *TypedData) setDomain(fields []Field) uint64 {
	var chain uint64
	hasChain := false
	for _, f := range fields {
		if standardDomain[f.Name] != f.Type {
			t.Domain.Extra = append(t.Domain.Extra, f)
			t.note(fmt.Sprintf("non-standard domain field %s (%s): it is signed, but strict libraries (ethers, go-ethereum) refuse the request", f.Name, f.Type))
			continue
		}
		switch f.Name {
		case "name":
			t.Domain.Name = f.Value
		case "version":
			t.Domain.Version = f.Value
		case "chainId":
			hasChain = true
			t.Domain.ChainID = f.Value
			if id, ok := new(big.Int).SetString(f.Value, 10); ok && id.IsUint64() {
				chain = id.Uint64()
				t.Domain.ChainName = label.ChainName(chain)
			}
		case "verifyingContract":
			a := label.Addr{Address: common.HexToAddress(f.Value)}
			t.Domain.VerifyingContract = &a
		case "salt":
			t.Domain.Salt = f.Value
		}
	}
	if !hasChain {
		t.note("the domain has no chainId: the signature is valid on every chain")
	}
	return chain
}

// raw fills Raw the way go-ethereum would read each part; a part it cannot
// read is left empty rather than failing a request we could decode.
func raw(top map[string]json.RawMessage) apitypes.TypedData {
	var r apitypes.TypedData
	_ = json.Unmarshal(top["types"], &r.Types)
	_ = json.Unmarshal(top["primaryType"], &r.PrimaryType)
	_ = json.Unmarshal(top["domain"], &r.Domain)
	_ = json.Unmarshal(top["message"], &r.Message)
	return r
}

func (t *TypedData) note(s string) { t.Notes = append(t.Notes, s) }

// notePaths adds one note for a list of paths, naming the first few.
func (t *TypedData) notePaths(what string, paths []string) {
	const show = 8
	if len(paths) == 0 {
		return
	}
	list := strings.Join(paths[:min(len(paths), show)], ", ")
	if len(paths) > show {
		list += fmt.Sprintf(" and %d more", len(paths)-show)
	}
	t.note(what + ": " + list)
}

// Lookup finds a message field by path: "spender", "details.amount",
// "permitted[1].token".
func (t *TypedData) Lookup(path string) (Field, bool) {
	fields := t.Message
	var cur Field
	if path == "" {
		return cur, false
	}
	for path != "" {
		var step string
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return Field{}, false
			}
			step, path = path[:end+1], path[end+1:]
		} else {
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			step, path = path[:end], path[end:]
		}
		found := false
		for _, f := range fields {
			if f.Name == step {
				cur, fields, found = f, f.Fields, true
				break
			}
		}
		if !found {
			return Field{}, false
		}
		switch {
		case path == "" || path[0] == '[':
		case path[0] == '.' && len(path) > 1 && path[1] != '.' && path[1] != '[':
			path = path[1:]
		default:
			return Field{}, false
		}
	}
	return cur, true
}
