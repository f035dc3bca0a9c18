package message

import (
	"strings"
	"testing"
)

func TestBlind(t *testing.T) {
	tests := []struct {
		name string
		have string
		want string // the hash, or the error
	}{
		{"32 bytes", "0x" + strings.Repeat("ab", 32), "0x" + strings.Repeat("ab", 32)},
		{"upper case", "0x" + strings.Repeat("AB", 32), "0x" + strings.Repeat("ab", 32)},
		{"31 bytes", "0x" + strings.Repeat("ab", 31), "message: eth_sign data is 31 bytes, want exactly 32"},
		{"33 bytes", "0x" + strings.Repeat("ab", 33), "message: eth_sign data is 33 bytes, want exactly 32"},
		{"empty hex", "0x", "message: eth_sign data is 0 bytes, want exactly 32"},
		{"empty", "", `message: eth_sign data "": empty hex string`},
		{"no prefix", strings.Repeat("ab", 32), `message: eth_sign data "` + strings.Repeat("ab", 32) + `": hex string without 0x prefix`},
		{"odd length", "0x" + strings.Repeat("a", 63), `message: eth_sign data "0x` + strings.Repeat("a", 62) + `…": hex string of odd length`},
		{"bad digit", "0x" + strings.Repeat("zz", 32), `message: eth_sign data "0x` + strings.Repeat("z", 62) + `…": invalid hex string`},
		{"text", "hello", `message: eth_sign data "hello": hex string without 0x prefix`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Blind(tt.have)
			have := ""
			if err != nil {
				have = err.Error()
			} else {
				have = b.Hash.Hex()
				if b.Note == "" {
					t.Error("a blind hash must carry its note")
				}
			}
			if have != tt.want {
				t.Errorf("\nhave %s\nwant %s", have, tt.want)
			}
		})
	}
}
