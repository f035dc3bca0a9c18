package typeddata

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/txguard/txguard/decode/label"
)

// mail is the EIP-712 example with one member replaced, for error cases.
func mail(types, message string) string {
	if types == "" {
		types = `"Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
		"Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]`
	}
	if message == "" {
		message = `{"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
		"to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"}`
	}
	return `{"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
		{"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}], ` + types + `},
		"primaryType": "Mail",
		"domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
		"message": ` + message + `}`
}

// one is a Mail with a single member of type typ holding value.
func one(typ, value string) string {
	return mail(`"Mail": [{"name": "x", "type": "`+typ+`"}]`, `{"x": `+value+`}`)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		have string
		want string
	}{
		{"empty", ``, `typeddata: want a JSON object, have nothing`},
		{"array", `[1]`, `typeddata: want a JSON object, have input starting with '['`},
		{"null", `null`, `typeddata: want a JSON object, have input starting with 'n'`},
		{"syntax", `{"types": }`, `typeddata: invalid JSON: invalid character '}' looking for beginning of value`},
		{"string of junk", `"not json"`, `typeddata: want a JSON object, have input starting with 'n'`},
		{"bad string", `"{\"a\"`, `typeddata: not a JSON string: unexpected end of JSON input`},
		{"invalid utf8", "{\"a\": \"\xff\"}", `typeddata: input is not valid UTF-8`},
		{"no types", `{"primaryType": "A", "domain": {}, "message": {}}`, `typeddata: missing types`},
		{"no primaryType", `{"types": {}, "domain": {}, "message": {}}`, `typeddata: missing primaryType`},
		{"no domain", `{"types": {}, "primaryType": "A", "message": {}}`, `typeddata: missing domain`},
		{"no message", `{"types": {}, "primaryType": "A", "domain": {}}`, `typeddata: missing message`},
		{"primaryType number", `{"types": {}, "primaryType": 5, "domain": {}, "message": {}}`, `typeddata: primaryType is not a type name`},
		{"primaryType undefined", strings.Replace(mail("", ""), `"primaryType": "Mail"`, `"primaryType": "Letter"`, 1), `typeddata: primaryType "Letter" is not defined in types`},
		{"types not object", `{"types": [], "primaryType": "A", "domain": {}, "message": {}}`, `typeddata: types is not an object`},
		{"type not list", mail(`"Mail": {"name": "x"}`, `{}`), `typeddata: types.Mail is not a list of {name, type} objects`},
		{"type null", mail(`"Mail": null`, `{}`), `typeddata: types.Mail is not a list of {name, type} objects`},
		{"member without type", mail(`"Mail": [{"name": "x"}]`, `{}`), `typeddata: types.Mail[0]: want string "name" and "type"`},
		{"member name case", mail(`"Mail": [{"Name": "x", "type": "string"}]`, `{}`), `typeddata: types.Mail[0]: want string "name" and "type"`},
		{"bad type name", mail(`"Mail": [], "Mail Box": []`, `{}`), `typeddata: types: "Mail Box" is not a valid type name`},
		{"bad member name", mail(`"Mail": [{"name": "a,b", "type": "string"}]`, `{}`), `typeddata: types.Mail[0]: "a,b" is not a valid member name`},
		{"duplicate member", mail(`"Mail": [{"name": "a", "type": "string"}, {"name": "a", "type": "uint8"}]`, `{}`), `typeddata: types.Mail: member a is declared twice`},
		{"shadows atomic", mail(`"Mail": [], "uint256": []`, `{}`), `typeddata: types: uint256 redefines an atomic type`},
		{"undefined type", mail(`"Mail": [{"name": "to", "type": "Persn"}]`, `{}`), `typeddata: types.Mail.to: undefined type "Persn"`},
		{"undefined array type", mail(`"Mail": [{"name": "to", "type": "Persn[]"}]`, `{}`), `typeddata: types.Mail.to: undefined type "Persn"`},
		{"bad atomic", mail(`"Mail": [{"name": "x", "type": "uint7"}]`, `{}`), `typeddata: types.Mail.x: undefined type "uint7"`},
		{"bad array size", mail(`"Mail": [{"name": "x", "type": "uint8[01]"}]`, `{}`), `typeddata: types.Mail.x: malformed array size in "uint8[01]"`},
		{"bad array", mail(`"Mail": [{"name": "x", "type": "uint8]"}]`, `{}`), `typeddata: types.Mail.x: malformed type "uint8]"`},
		{"domain not object", strings.Replace(mail("", ""), `"domain": {`, `"domain": [{`, 1), ``},
		{"message not object", mail("", `"hi"`), `typeddata: message is "hi", not an object`},
		{"missing member", mail("", `{"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"}, "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}}`), `typeddata: message.contents: missing value of type string`},
		{"null member", one("string", `null`), `typeddata: message.x: null is not a valid string`},
		{"struct not object", mail("", `{"from": "Cow", "to": {}, "contents": ""}`), `typeddata: message.from: "Cow" is not a valid Person`},
		{"wrong wallet", mail("", `{"from": {"name": "Cow", "wallet": "0xCD2a"}, "to": {}, "contents": ""}`), `typeddata: message.from.wallet: "0xCD2a" is not a valid address`},
		{"domain value", strings.Replace(mail("", ""), `"chainId": 1`, `"chainId": "one"`, 1), `typeddata: domain.chainId: "one" is not a valid uint256`},
		{"domain missing", strings.Replace(mail("", ""), `"version": "1", `, ``, 1), `typeddata: domain.version: missing value of type string`},
		{"uint text", one("uint160", `"abc"`), `typeddata: message.x: "abc" is not a valid uint160`},
		{"uint fraction", one("uint256", `1.5`), `typeddata: message.x: 1.5 is not a valid uint256`},
		{"uint exponent", one("uint256", `1e18`), `typeddata: message.x: 1e18 is not a valid uint256`},
		{"uint negative", one("uint256", `"-1"`), `typeddata: message.x: -1 is out of range for uint256`},
		{"uint8 overflow", one("uint8", `256`), `typeddata: message.x: 256 is out of range for uint8`},
		{"int8 overflow", one("int8", `128`), `typeddata: message.x: 128 is out of range for int8`},
		{"int8 underflow", one("int8", `-129`), `typeddata: message.x: -129 is out of range for int8`},
		{"uint256 overflow", one("uint256", `"0x1`+strings.Repeat("0", 64)+`"`), `typeddata: message.x: 115792089237316195423570985008687907853269984665640564039457584007913129639936 is out of range for uint256`},
		{"int spaces", one("uint256", `" 1"`), `typeddata: message.x: " 1" is not a valid uint256`},
		{"int too long", one("uint256", `"`+strings.Repeat("0", 101)+`"`), `typeddata: message.x: "` + strings.Repeat("0", 48) + `…" is not a valid uint256`},
		{"bool string", one("bool", `"true"`), `typeddata: message.x: "true" is not a valid bool`},
		{"bytes odd", one("bytes", `"0x123"`), `typeddata: message.x: "0x123" is not 0x-prefixed hex of even length`},
		{"bytes no prefix", one("bytes", `"1234"`), `typeddata: message.x: "1234" is not 0x-prefixed hex of even length`},
		{"bytes32 short", one("bytes32", `"0x1234"`), `typeddata: message.x: bytes32 wants 32 bytes, have 2`},
		{"string number", one("string", `5`), `typeddata: message.x: 5 is not a valid string`},
		{"array missing", mail(`"Mail": [{"name": "x", "type": "uint8[]"}]`, `{}`), `typeddata: message.x: missing value of type uint8[]`},
		{"array not array", one("uint8[]", `{}`), `typeddata: message.x: an object is not a valid uint8[]`},
		{"fixed array", one("uint8[2]", `[1]`), `typeddata: message.x: uint8[2] wants 2 elements, have 1`},
		{"nested element", one("uint8[][]", `[[1], [2, 300]]`), `typeddata: message.x[1][1]: 300 is out of range for uint8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, err := Parse([]byte(tt.have), nil)
			if err == nil {
				t.Fatalf("no error; decoded %+v", td)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line: %q", err)
			}
			if !strings.HasPrefix(err.Error(), "typeddata: ") {
				t.Errorf("error lacks the package prefix: %q", err)
			}
			if tt.want != "" && err.Error() != tt.want {
				t.Errorf("\nhave %s\nwant %s", err, tt.want)
			}
		})
	}
}

// permitSingle is a realistic Permit2 allowance: 1,000 USDC to the
// Universal Router until 2030.
const permitSingle = `{
	"types": {
		"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
		"PermitSingle": [{"name": "details", "type": "PermitDetails"}, {"name": "spender", "type": "address"}, {"name": "sigDeadline", "type": "uint256"}],
		"PermitDetails": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint160"}, {"name": "expiration", "type": "uint48"}, {"name": "nonce", "type": "uint48"}]
	},
	"primaryType": "PermitSingle",
	"domain": {"name": "Permit2", "chainId": "1", "verifyingContract": "0x000000000022d473030f116ddee9f6b43ac78ba3"},
	"message": {
		"details": {"token": "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "amount": "1000000000", "expiration": "1893456000", "nonce": "7"},
		"spender": "0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD",
		"sigDeadline": 1700000000
	}
}`

// usdcPermit is an ERC-2612 permit for the maximum value.
const usdcPermit = `{
	"types": {
		"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
		"Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}, {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]
	},
	"primaryType": "Permit",
	"domain": {"name": "USD Coin", "version": "2", "chainId": "0x1", "verifyingContract": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"},
	"message": {
		"owner": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
		"spender": "0x00000000000000000000000000000000deadbeef",
		"value": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
		"nonce": 0,
		"deadline": "1735689600"
	}
}`

func TestLookupAndHuman(t *testing.T) {
	book, err := label.ParseAddressBook(strings.NewReader("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826 my wallet\n"), "book")
	if err != nil {
		t.Fatal(err)
	}
	// The labeler's own chain is ignored: the domain names the chain.
	lab := label.New(10, book)
	tests := []struct {
		name  string
		input string
		// path -> Type, Value, Label, Human. Label "*" stands for whatever
		// the built-in tables call the address, which must be something:
		// the tables grow, the tests should not break when they do.
		want map[string]Field
	}{
		{"permit2 PermitSingle", permitSingle, map[string]Field{
			"details":            {Type: "PermitDetails"},
			"details.token":      {Type: "address", Value: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", Label: "*"},
			"details.amount":     {Type: "uint160", Value: "1000000000", Human: "1,000 USDC"},
			"details.expiration": {Type: "uint48", Value: "1893456000", Human: "2030-01-01 00:00:00 UTC"},
			"details.nonce":      {Type: "uint48", Value: "7"},
			"spender":            {Type: "address", Value: "0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD", Label: "*"},
			"sigDeadline":        {Type: "uint256", Value: "1700000000", Human: "2023-11-14 22:13:20 UTC"},
		}},
		{"USDC permit", usdcPermit, map[string]Field{
			"owner":    {Type: "address", Value: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", Label: "my wallet"},
			"spender":  {Type: "address", Value: "0x00000000000000000000000000000000DeaDBeef"},
			"value":    {Type: "uint256", Value: label.MaxUint256.String(), Human: "unlimited USDC"},
			"nonce":    {Type: "uint256", Value: "0"},
			"deadline": {Type: "uint256", Value: "1735689600", Human: "2025-01-01 00:00:00 UTC"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, err := Parse([]byte(tt.input), lab)
			if err != nil {
				t.Fatal(err)
			}
			if len(td.Notes) != 0 {
				t.Errorf("unexpected notes: %q", td.Notes)
			}
			if td.Domain.ChainID != "1" || td.Domain.ChainName != "Ethereum" {
				t.Errorf("chain: have %q %q", td.Domain.ChainID, td.Domain.ChainName)
			}
			if td.Domain.VerifyingContract == nil || !td.Domain.VerifyingContract.Known() {
				t.Errorf("verifyingContract not labelled: %+v", td.Domain.VerifyingContract)
			}
			for path, want := range tt.want {
				have, ok := td.Lookup(path)
				if !ok {
					t.Errorf("Lookup(%q): not found", path)
					continue
				}
				if want.Label == "*" {
					want.Label = lab.OnChain(1).Addr(common.HexToAddress(want.Value)).Label
					if want.Label == "" {
						t.Errorf("Lookup(%q): the built-in tables do not know %s", path, want.Value)
					}
				}
				if have.Type != want.Type || have.Value != want.Value || have.Label != want.Label || have.Human != want.Human {
					t.Errorf("Lookup(%q):\nhave %+v\nwant %+v", path, have, want)
				}
			}
		})
	}
}

func TestLookupPaths(t *testing.T) {
	td, err := Parse([]byte(mail(`"Mail": [{"name": "to", "type": "Person[]"}, {"name": "grid", "type": "uint8[2][]"}],
		"Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}]`,
		`{"to": [{"name": "Ann", "wallet": "0x0000000000000000000000000000000000000001"},
		{"name": "Bob", "wallet": "0x0000000000000000000000000000000000000002"}], "grid": [[1, 2], [3, 4]]}`)), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		have string
		want string // Value, or "-" when not found
	}{
		{"to[1].name", "Bob"},
		{"to[0].wallet", "0x0000000000000000000000000000000000000001"},
		{"grid[1][0]", "3"},
		{"to", ""},
		{"to[2]", "-"},
		{"to[1]name", "-"},
		{"to.[1]", "-"},
		{"to[1].", "-"},
		{"to..name", "-"},
		{"", "-"},
		{"[0]", "-"},
		{"to[1", "-"},
		{"nobody", "-"},
	}
	for _, tt := range tests {
		f, ok := td.Lookup(tt.have)
		have := f.Value
		if !ok {
			have = "-"
		}
		if have != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.have, have, tt.want)
		}
	}
}

func TestNotes(t *testing.T) {
	tests := []struct {
		name string
		have string
		want []string // substrings, one per note, in order
	}{
		{"no notes", mail("", ""), nil},
		{"unsigned keys", mail("", `{"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "amount": "1"},
			"to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!", "value": 5}`),
			[]string{"not signed (not a member of its type, so left out of the hash): message.from.amount, message.value"}},
		{"unsigned chainId", strings.Replace(mail("", ""), `{"name": "chainId", "type": "uint256"}, `, ``, 1),
			[]string{"the domain has no chainId", "not signed (not a member of its type, so left out of the hash): domain.chainId"}},
		{"no domain type", strings.Replace(mail("", ""), `"EIP712Domain"`, `"Unused"`, 1),
			[]string{"types has no EIP712Domain", "the domain has no chainId", "domain.chainId, domain.name, domain.verifyingContract, domain.version"}},
		{"chainId as string type", strings.Replace(strings.Replace(mail("", ""), `"name": "chainId", "type": "uint256"`, `"name": "chainId", "type": "string"`, 1), `"chainId": 1`, `"chainId": "1"`, 1),
			[]string{"non-standard domain field chainId (string)", "the domain has no chainId"}},
		{"bad checksum", strings.Replace(mail("", ""), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "0xcD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", 1),
			[]string{"wrong EIP-55 checksum: message.from.wallet"}},
		{"lossy number", one("uint256", `9007199254740993`), []string{"JSON number too large for a JavaScript wallet to hold exactly: it would sign a rounded value: message.x"}},
		{"exact big number", one("uint256", `9007199254740992`), nil},
		{"domain as message", `{"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}]},
			"primaryType": "EIP712Domain", "domain": {"name": "A", "chainId": 1}, "message": {"name": "A", "chainId": 1}}`,
			[]string{"primaryType is EIP712Domain"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, err := Parse([]byte(tt.have), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(td.Notes) != len(tt.want) {
				t.Fatalf("have %d notes, want %d: %q", len(td.Notes), len(tt.want), td.Notes)
			}
			for i, w := range tt.want {
				if !strings.Contains(td.Notes[i], w) {
					t.Errorf("note %d:\nhave %s\nwant …%s…", i, td.Notes[i], w)
				}
			}
		})
	}
}

// TestJSONString checks that a request sent as a JSON string decodes like
// the object itself, and that --json output round-trips.
func TestJSONString(t *testing.T) {
	obj, err := Parse([]byte(usdcPermit), nil)
	if err != nil {
		t.Fatal(err)
	}
	str, err := Parse([]byte(strconv.Quote(usdcPermit)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if obj.SigningHash != str.SigningHash {
		t.Errorf("string form hashes to %s, object to %s", str.SigningHash, obj.SigningHash)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	var back TypedData
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.SigningHash != obj.SigningHash || back.Domain.VerifyingContract.Address != obj.Domain.VerifyingContract.Address {
		t.Errorf("JSON round trip lost data: %s", b)
	}
	if obj.Raw.PrimaryType != "Permit" || obj.Raw.Domain.Name != "USD Coin" {
		t.Errorf("Raw not filled: %+v", obj.Raw)
	}
}

// TestPrimaryDomain covers MetaMask's rule for primaryType EIP712Domain:
// the struct hash is left out of the digest.
func TestPrimaryDomain(t *testing.T) {
	td, err := Parse([]byte(`{"types": {"EIP712Domain": [{"name": "name", "type": "string"}]},
		"primaryType": "EIP712Domain", "domain": {"name": "A"}, "message": {"name": "A"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if td.StructHash != td.DomainSeparator {
		t.Errorf("struct hash %s differs from domain separator %s for the same struct", td.StructHash, td.DomainSeparator)
	}
	if want := crypto.Keccak256Hash([]byte{0x19, 0x01}, td.DomainSeparator[:]); td.SigningHash != want {
		t.Errorf("signing hash %s, want %s", td.SigningHash, want)
	}
}

// TestTypeBudget: a few hundred KiB of types that all refer to each other
// would cost gigabytes to hash; it is refused in well under a second.
func TestTypeBudget(t *testing.T) {
	const n, depth = 6000, 60
	var b strings.Builder
	b.WriteString(`{"types": {"EIP712Domain": [], `)
	for i := range n {
		fmt.Fprintf(&b, `"T%d": [{"name": "x", "type": "T%d"}, {"name": "y", "type": "T%d"}], `, i, (i+1)%n, (i*7+3)%n)
	}
	b.WriteString(`"Z": []}, "primaryType": "T0", "domain": {}, "message": `)
	// 60 levels stay under the JSON depth bound and pass the budget.
	b.WriteString(strings.Repeat(`{"x": `, depth) + "null" + strings.Repeat(`}`, depth) + "}")
	start := time.Now()
	_, err := Parse([]byte(b.String()), nil)
	if err == nil || !strings.HasSuffix(err.Error(), "the type strings to hash pass 4 MiB; no real request comes near that") {
		t.Errorf("want the budget error, have %v", err)
	}
	t.Logf("refused in %v", time.Since(start))
}

func TestRecursiveTypes(t *testing.T) {
	td, err := Parse([]byte(mail(`"Mail": [{"name": "a", "type": "A"}, {"name": "c", "type": "C"}],
		"A": [{"name": "b", "type": "B[]"}], "B": [{"name": "a", "type": "A"}], "C": [{"name": "n", "type": "uint8"}]`,
		`{"a": {"b": [{"a": {"b": []}}, {}]}, "c": {"n": 1}}`)), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"types that refer to themselves: A, B; MetaMask signs them, but strict libraries (ethers, go-ethereum) refuse the request",
		"absent or null struct values, signed as 32 zero bytes as MetaMask does: message.a.b[1].a",
	}
	if !reflect.DeepEqual(td.Notes, want) {
		t.Errorf("\nhave %q\nwant %q", td.Notes, want)
	}
}
