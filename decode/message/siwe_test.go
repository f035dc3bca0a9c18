package message

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// eip4361Example is the example message from EIP-4361.
const eip4361Example = `example.com wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ExampleOrg Terms of Service: https://example.com/tos

URI: https://example.com/login
Version: 1
Chain ID: 1
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json`

var exampleAddr = label.Addr{Address: common.HexToAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")}

// edit replaces old with new in the example, once, and fails loudly when
// old is not there, so a table row cannot silently test nothing.
func edit(t *testing.T, old, new string) string {
	if !strings.Contains(eip4361Example, old) {
		t.Fatalf("example has no %q", old)
	}
	return strings.Replace(eip4361Example, old, new, 1)
}

func TestParseSIWE(t *testing.T) {
	example := &SIWE{
		Domain: "example.com", Address: exampleAddr,
		Statement: "I accept the ExampleOrg Terms of Service: https://example.com/tos",
		URI:       "https://example.com/login", Version: "1", ChainID: "1", Nonce: "32891756",
		IssuedAt: "2021-09-30T16:25:24Z",
		Resources: []string{
			"ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
			"https://example.com/my-web2-claim.json",
		},
	}
	with := func(f func(*SIWE)) *SIWE {
		c := *example
		f(&c)
		return &c
	}
	statement := "\nI accept the ExampleOrg Terms of Service: https://example.com/tos\n"
	tests := []struct {
		name string
		have string
		want *SIWE
	}{
		{"EIP-4361 example", eip4361Example, example},
		{"trailing newline", eip4361Example + "\n", example},
		{"scheme and port", edit(t, "example.com wants", "https://example.com:3388 wants"),
			with(func(m *SIWE) { m.Scheme, m.Domain = "https", "example.com:3388" })},
		{"user info", edit(t, "example.com wants", "alice@example.com wants"),
			with(func(m *SIWE) { m.Domain = "alice@example.com" })},
		{"IPv6 host", edit(t, "example.com wants", "[::1]:8080 wants"),
			with(func(m *SIWE) { m.Domain = "[::1]:8080" })},
		{"no statement, ABNF form", edit(t, statement, "\n"),
			with(func(m *SIWE) { m.Statement = "" })},
		{"no statement, one blank line", edit(t, statement, ""),
			with(func(m *SIWE) { m.Statement = "" })},
		{"no resources", edit(t, "\nResources:\n- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n- https://example.com/my-web2-claim.json", ""),
			with(func(m *SIWE) { m.Resources = nil })},
		{"empty resources", edit(t, "\n- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n- https://example.com/my-web2-claim.json", ""),
			with(func(m *SIWE) { m.Resources = nil })},
		{"every optional field", edit(t, "Issued At: 2021-09-30T16:25:24Z\n",
			"Issued At: 2021-09-30T16:25:24.000Z\nExpiration Time: 2021-10-01T16:25:24+02:00\nNot Before: 2021-09-30T16:30:00Z\nRequest ID: req-1:@%20\n"),
			with(func(m *SIWE) {
				m.IssuedAt = "2021-09-30T16:25:24.000Z"
				m.ExpirationTime, m.NotBefore, m.RequestID = "2021-10-01T16:25:24+02:00", "2021-09-30T16:30:00Z", "req-1:@%20"
			})},
		{"some optional fields", edit(t, "Issued At: 2021-09-30T16:25:24Z\n", "Issued At: 2021-09-30T16:25:24Z\nNot Before: 2021-09-30T16:30:00Z\n"),
			with(func(m *SIWE) { m.NotBefore = "2021-09-30T16:30:00Z" })},
		{"not SIWE", "hello world", nil},
		{"mentions signing in", "Sign in to example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have, err := ParseSIWE(tt.have)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(have, tt.want) {
				t.Errorf("\nhave %+v\nwant %+v", have, tt.want)
			}
		})
	}
}

func TestParseSIWEErrors(t *testing.T) {
	tests := []struct {
		name string
		have string
		want string
	}{
		{"header not first", "Welcome!\n" + eip4361Example, `message: SIWE line 2: the sign-in header must be the first line`},
		{"header text after", edit(t, "account:\n", "account: now\n"), `message: SIWE line 1: want "<domain> wants you to sign in with your Ethereum account:"`},
		{"header other case", edit(t, "wants you to sign in with your Ethereum", "wants you to sign in with your ethereum"), `message: SIWE line 1: want "<domain> wants you to sign in with your Ethereum account:"`},
		{"no domain", edit(t, "example.com wants", " wants"), `message: SIWE line 1: domain "": empty`},
		{"bad domain", edit(t, "example.com wants", "exa mple.com wants"), `message: SIWE line 1: domain "exa mple.com": bad host`},
		{"bad port", edit(t, "example.com wants", "example.com:80a wants"), `message: SIWE line 1: domain "example.com:80a": bad port`},
		{"bad scheme", edit(t, "example.com wants", "1http://example.com wants"), `message: SIWE line 1: scheme "1http" is not a URI scheme`},
		{"path in domain", edit(t, "example.com wants", "example.com/login wants"), `message: SIWE line 1: domain "example.com/login": bad host`},
		{"lower-case address", edit(t, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
			`message: SIWE line 2: address 0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2 is not EIP-55 checksummed (want 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2)`},
		{"short address", edit(t, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02aaA39"), `message: SIWE line 2: want a 0x-prefixed 40-digit hex address, have "0xC02aaA39"`},
		{"no blank after address", edit(t, "Cc2\n\n", "Cc2\nhi\n"), `message: SIWE line 3: want a blank line, have "hi"`},
		{"no blank after statement", edit(t, "tos\n\n", "tos\n"), `message: SIWE line 5: want a blank line, have "URI: https://example.com/login"`},
		{"statement control", edit(t, "I accept", "I\aaccept"), `message: SIWE line 4: statement: holds control character U+0007`},
		{"statement bidi", edit(t, "I accept", "I \u202eaccept"), `message: SIWE line 4: statement: holds a bidirectional override`},
		{"URI tag", edit(t, "URI: ", "Uri: "), `message: SIWE line 6: want "URI: ", have "Uri: https://example.com/login"`},
		{"relative URI", edit(t, "URI: https://example.com/login", "URI: /login"), `message: SIWE line 6: URI: "/login" is not an absolute URI`},
		{"URI with space", edit(t, "URI: https://example.com/login", "URI: https://example.com/log in"), `message: SIWE line 6: URI: "https://example.com/log in" holds spaces or characters a URI cannot`},
		{"version", edit(t, "Version: 1", "Version: 2"), `message: SIWE line 7: Version: want 1, have "2"`},
		{"chain id hex", edit(t, "Chain ID: 1", "Chain ID: 0x1"), `message: SIWE line 8: Chain ID: want decimal digits, have "0x1"`},
		{"short nonce", edit(t, "Nonce: 32891756", "Nonce: 3289175"), `message: SIWE line 9: Nonce: want at least 8 letters or digits, have "3289175"`},
		{"nonce punctuation", edit(t, "Nonce: 32891756", "Nonce: 3289-1756"), `message: SIWE line 9: Nonce: want at least 8 letters or digits, have "3289-1756"`},
		{"issued at", edit(t, "Issued At: 2021-09-30T16:25:24Z", "Issued At: yesterday"), `message: SIWE line 10: Issued At: "yesterday" is not an RFC 3339 date-time`},
		{"issued at no zone", edit(t, "Issued At: 2021-09-30T16:25:24Z", "Issued At: 2021-09-30T16:25:24"), `message: SIWE line 10: Issued At: "2021-09-30T16:25:24" is not an RFC 3339 date-time`},
		{"expiration", edit(t, "Resources:", "Expiration Time: soon\nResources:"), `message: SIWE line 11: Expiration Time: "soon" is not an RFC 3339 date-time`},
		{"not before", edit(t, "Resources:", "Not Before: 2021-13-01T00:00:00Z\nResources:"), `message: SIWE line 11: Not Before: "2021-13-01T00:00:00Z" is not an RFC 3339 date-time`},
		{"request id", edit(t, "Resources:", "Request ID: a b\nResources:"), `message: SIWE line 11: Request ID: want URI path characters, have "a b"`},
		{"out of order", edit(t, "Resources:", "Not Before: 2021-09-30T16:30:00Z\nExpiration Time: 2021-10-01T16:25:24Z\nResources:"), `message: SIWE line 12: "Expiration Time:" is out of order or repeated`},
		{"repeated", edit(t, "Resources:", "Nonce: 32891756\nResources:"), `message: SIWE line 11: "Nonce:" is out of order or repeated`},
		{"resource bullet", edit(t, "- https://example.com/my", "* https://example.com/my"), `message: SIWE line 13: want a resource "- <uri>", have "* https://example.com/my-web2-claim.json"`},
		{"resource not URI", edit(t, "- https://example.com/my-web2-claim.json", "- my-web2-claim.json"), `message: SIWE line 13: resource: "my-web2-claim.json" is not an absolute URI`},
		{"trailing line", eip4361Example[:strings.Index(eip4361Example, "Resources:")] + "Thanks!", `message: SIWE line 11: unexpected line "Thanks!"`},
		{"truncated", eip4361Example[:strings.Index(eip4361Example, "\nIssued At")], `message: SIWE line 10: message ends where "Issued At: " is due`},
		{"header only", "example.com wants you to sign in with your Ethereum account:", `message: SIWE line 2: message ends where the address is due`},
		{"CRLF", strings.ReplaceAll(eip4361Example, "\n", "\r\n"), `message: SIWE line 1: carriage return: SIWE lines end with a bare newline`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseSIWE(tt.have)
			if err == nil {
				t.Fatalf("no error; parsed %+v", m)
			}
			if m != nil {
				t.Errorf("a message with an error: %+v", m)
			}
			if err.Error() != tt.want {
				t.Errorf("\nhave %s\nwant %s", err, tt.want)
			}
		})
	}
}
