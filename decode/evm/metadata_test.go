package evm

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestParseMetadata(t *testing.T) {
	code := func(h string) []byte {
		b, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ipfs := "1220e1837ee2a5e3e46daae239d8e33725bdb2ac92b33d5244f5ae7544f9e9658be0"
	for _, tc := range []struct {
		name string
		have []byte
		want *Metadata // Offset is checked against len(have) - trailer
		size int
	}{
		{"solc 0.8 ipfs", code("6080 a2 6469706673 5822" + ipfs + " 64736f6c6343 00080d 0033"),
			&Metadata{Compiler: "solc", Version: "0.8.13", HashKind: "ipfs", Hash: code(ipfs)}, 53},
		{"solc 0.5 bzzr1", code("00 a2 65627a7a7231 5820 7dac508a98555a70e50ecdaacf7b04e4526867182bfe965fdda80e3691b7ddb8 64736f6c6343 000511 0032"),
			&Metadata{Compiler: "solc", Version: "0.5.17", HashKind: "bzzr1", Hash: code("7dac508a98555a70e50ecdaacf7b04e4526867182bfe965fdda80e3691b7ddb8")}, 52},
		{"solc 0.4 bzzr0, no version", code("00 a1 65627a7a7230 5820 c7cdd5b4ba438be8088430b64441566f24b0b6181f08283904b79f9155467682 0029"),
			&Metadata{Compiler: "solc", HashKind: "bzzr0", Hash: code("c7cdd5b4ba438be8088430b64441566f24b0b6181f08283904b79f9155467682")}, 43},
		{"solc, version only (bytecodeHash none)", code("fe a1 64736f6c6343 000706 000a"),
			&Metadata{Compiler: "solc", Version: "0.7.6"}, 12},
		{"solc experimental, prerelease version string", code("00 a2 6c6578706572696d656e74616c f5 64736f6c63 65 302e382e30 001a"),
			&Metadata{Compiler: "solc", Version: "0.8.0", Experimental: true}, 28},
		{"vyper 0.3.7", code("00 a1 657679706572 83 00 03 07 000b"), &Metadata{Compiler: "vyper", Version: "0.3.7"}, 13},
		{"vyper 0.4 array, length counts itself", code("00 84 191234 80 00 a1 657679706572 83 00 04 00 0013"),
			&Metadata{Compiler: "vyper", Version: "0.4.0"}, 19},
		{"no trailer", code("6080604052"), nil, 0},
		{"length beyond the code", code("a1 ffff"), nil, 0},
		{"a map of unknown keys", code("a1 63616263 01 0006"), nil, 0},
		{"not CBOR", code("00 a2 ff ff 0003"), nil, 0},
		{"too short", code("0033"), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseMetadata(tc.have)
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("ParseMetadata = %+v, want %+v", got, tc.want)
			}
			if got == nil {
				return
			}
			want := *tc.want
			want.Offset = len(tc.have) - tc.size
			if got.Compiler != want.Compiler || got.Version != want.Version || got.HashKind != want.HashKind ||
				hex.EncodeToString(got.Hash) != hex.EncodeToString(want.Hash) || got.Experimental != want.Experimental || got.Offset != want.Offset {
				t.Errorf("ParseMetadata = %+v, want %+v", *got, want)
			}
		})
	}
}
