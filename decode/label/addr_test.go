package label

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name    string
		have    string
		want    common.Address
		wantErr string // substring; "" for success
	}{
		{"checksummed", aliceHex, alice, ""},
		{"lowercase", strings.ToLower(aliceHex), alice, ""},
		{"all-caps hex", "0x" + strings.ToUpper(aliceHex[2:]), alice, ""},
		{"capital 0X prefix", "0X" + aliceHex[2:], alice, ""},
		{"bad checksum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", common.Address{}, "bad EIP-55 checksum (want " + aliceHex + ")"},
		{"no prefix", aliceHex[2:], common.Address{}, "not a 0x-prefixed"},
		{"short", aliceHex[:41], common.Address{}, "not a 0x-prefixed"},
		{"long", aliceHex + "0", common.Address{}, "not a 0x-prefixed"},
		{"not hex", aliceHex[:41] + "g", common.Address{}, "not a 0x-prefixed"},
		{"empty", "", common.Address{}, "empty: it wants a 0x-prefixed 20-byte address"},
		{"a trailing carriage return", aliceHex + "\r", common.Address{}, `has spaces or a line break around the address`},
		{"a leading space", " " + aliceHex, common.Address{}, `has spaces or a line break around the address`},
		{"spaces around what is no address", " 0x12 ", common.Address{}, "not a 0x-prefixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAddress(tt.have)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseAddress(%q) error = %v, want one containing %q", tt.have, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAddress(%q): %v", tt.have, err)
			}
			if got != tt.want {
				t.Errorf("ParseAddress(%q) = %s, want %s", tt.have, got.Hex(), tt.want.Hex())
			}
		})
	}
}
