package evm

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestDisassemble(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		want string
	}{
		{"solc prologue", "6080604052", "0000 PUSH1 0x80|0002 PUSH1 0x40|0004 MSTORE"},
		{"PUSH0 and PUSH32", "5f7f" + strings.Repeat("ab", 32) + "00", "0000 PUSH0|0001 PUSH32 0x" + strings.Repeat("ab", 32) + "|0022 STOP"},
		{"truncated PUSH at the end", "0061ff", "0000 STOP|0001 PUSH2 0xff (truncated)"},
		{"PUSH with no data left", "7f", "0000 PUSH32 0x (truncated)"},
		{"undefined opcodes and INVALID", "0c21fe", "0000 INVALID (0x0c)|0001 INVALID (0x21)|0002 INVALID"},
		{"Cancun and Osaka opcodes", "5c5d5e491e", "0000 TLOAD|0001 TSTORE|0002 MCOPY|0003 BLOBHASH|0004 CLZ"},
		{"the metadata trailer is not code", "6001" + "a164736f6c6343000706000a", "0000 PUSH1 0x01"},
		{"JUMPDEST inside PUSH data is data", "615b5b5b", "0000 PUSH2 0x5b5b|0003 JUMPDEST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, in := range Disassemble(common.FromHex(tc.have)) {
				got = append(got, in.String())
			}
			if g := strings.Join(got, "|"); g != tc.want {
				t.Errorf("Disassemble(%s)\n have %s\n want %s", tc.have, g, tc.want)
			}
		})
	}
	if got := Disassemble(nil); len(got) != 0 {
		t.Errorf("Disassemble(nil) = %v", got)
	}
}

func TestInstructionJSON(t *testing.T) {
	b, err := json.Marshal(Disassemble(common.FromHex("61ff0c")))
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"pc":0,"op":"PUSH2","byte":"0x61","push":"0xff0c"}]`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	b, _ = json.Marshal(Disassemble(common.FromHex("0c")))
	if want := `[{"pc":0,"op":"INVALID","byte":"0x0c"}]`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

func TestJumpdests(t *testing.T) {
	d := findJumpdests(common.FromHex("5b605b5b"))
	for pc, want := range []bool{true, false, false, true, false} {
		if d.has(uint64(pc)) != want {
			t.Errorf("has(%d) = %v, want %v", pc, !want, want)
		}
	}
}
