package message

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
)

var fuzzSeeds = []string{
	"", "0x", "hello", "0x68656c6c6f", "0x123", "0x" + strings.Repeat("ab", 32), "0xc0", "0x02c0",
	"0xc98080808080808080", "a\u202eb", eip4361Example, strings.ReplaceAll(eip4361Example, "\n", "\r\n"),
	strings.Replace(eip4361Example, "\n\nI accept the ExampleOrg Terms of Service: https://example.com/tos\n", "\n\n", 1),
	"https://[::1]:80 wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: a:b\nVersion: 1\nChain ID: 1\nNonce: 12345678\nIssued At: 2021-09-30T16:25:24Z\nExpiration Time: 2021-09-30T16:25:24Z\nNot Before: 2021-09-30T16:25:24Z\nRequest ID: x\nResources:\n- a:b",
}

func FuzzPersonal(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Personal(s)
		if !bytes.Equal(m.Hash[:], accounts.TextHash(m.Bytes)) {
			t.Fatal("hash is not the EIP-191 hash of the bytes")
		}
		if m.Printable != (m.Text == string(m.Bytes)) && len(m.Bytes) > 0 {
			t.Fatalf("printable %v but text %q for bytes %x", m.Printable, m.Text, m.Bytes)
		}
		if hexParam().MatchString(s) != (len(m.Bytes)*2+2 == len(s) && strings.HasPrefix(s, "0x")) && len(s) > 2 {
			t.Fatalf("hex param %q decoded to %d bytes", s, len(m.Bytes))
		}
		if m.SIWE != nil && m.SIWEError != "" {
			t.Fatal("both a sign-in and an error")
		}
		if m.SIWEError != "" && (!strings.HasPrefix(m.SIWEError, "message: SIWE line ") || strings.ContainsAny(m.SIWEError, "\r\n")) {
			t.Fatalf("error is not one prefixed line: %q", m.SIWEError)
		}
	})
}

func FuzzParseSIWE(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseSIWE(s)
		if err != nil {
			if m != nil {
				t.Fatal("a message with an error")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "message: SIWE line ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error is not one prefixed line: %q", msg)
			}
			return
		}
		if m == nil {
			if claimsSIWE(s) {
				t.Fatal("text claims to be a sign-in but was passed over")
			}
			return
		}
		// What parses must render back to a message that parses the same.
		again, err := ParseSIWE(render(m))
		if err != nil {
			t.Fatalf("rendered message does not parse: %v\n%s", err, render(m))
		}
		if !reflect.DeepEqual(m, again) {
			t.Fatalf("round trip changed the message:\nhave %+v\nwant %+v", again, m)
		}
	})
}

// render writes m in EIP-4361's ABNF form.
func render(m *SIWE) string {
	var b strings.Builder
	if m.Scheme != "" {
		b.WriteString(m.Scheme + "://")
	}
	b.WriteString(m.Domain + siwePhrase + "\n" + m.Address.Address.Hex() + "\n\n")
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n")
	}
	b.WriteString("\nURI: " + m.URI + "\nVersion: " + m.Version + "\nChain ID: " + m.ChainID +
		"\nNonce: " + m.Nonce + "\nIssued At: " + m.IssuedAt)
	for _, f := range []struct{ tag, v string }{
		{"Expiration Time", m.ExpirationTime}, {"Not Before", m.NotBefore}, {"Request ID", m.RequestID},
	} {
		if f.v != "" {
			b.WriteString("\n" + f.tag + ": " + f.v)
		}
	}
	if m.Resources != nil {
		b.WriteString("\nResources:")
		for _, r := range m.Resources {
			b.WriteString("\n- " + r)
		}
	}
	return b.String()
}
