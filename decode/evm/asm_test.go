package evm

import (
	"encoding/hex"
	"strings"
	"testing"
)

// asm assembles test bytecode from mnemonics. "name:" marks a label (it emits
// nothing: write JUMPDEST yourself); "@name" is the label's pc as 2 bytes,
// after PUSH2 or alone as data;
// "0x..." after a PUSHn is its data, left-padded to n bytes; "hex:..." is
// raw bytes.
func asm(t testing.TB, src string) []byte {
	t.Helper()
	byName := map[string]OpCode{}
	for i := range 256 {
		if ops[i].defined {
			byName[ops[i].name] = OpCode(i)
		}
	}
	labels := map[string]int{}
	type fix struct {
		at    int
		label string
	}
	var fixes []fix
	var out []byte
	toks := strings.Fields(src)
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		switch {
		case strings.HasSuffix(tok, ":"):
			labels[strings.TrimSuffix(tok, ":")] = len(out)
			continue
		case strings.HasPrefix(tok, "hex:"):
			b, err := hex.DecodeString(tok[4:])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b...)
			continue
		}
		if strings.HasPrefix(tok, "@") { // a label's pc as 2 data bytes
			fixes = append(fixes, fix{len(out), tok[1:]})
			out = append(out, 0, 0)
			continue
		}
		op, ok := byName[tok]
		if !ok {
			t.Fatalf("asm: unknown mnemonic %q", tok)
		}
		out = append(out, byte(op))
		n := int(ops[op].imm)
		if n == 0 {
			continue
		}
		i++
		arg := toks[i]
		if strings.HasPrefix(arg, "@") {
			fixes = append(fixes, fix{len(out), arg[1:]})
			out = append(out, make([]byte, n)...)
			continue
		}
		h := strings.TrimPrefix(arg, "0x")
		if len(h)%2 == 1 {
			h = "0" + h
		}
		b, err := hex.DecodeString(h)
		if err != nil || len(b) > n {
			t.Fatalf("asm: bad data %q for %s", arg, tok)
		}
		out = append(out, make([]byte, n-len(b))...)
		out = append(out, b...)
	}
	for _, f := range fixes {
		pc, ok := labels[f.label]
		if !ok {
			t.Fatalf("asm: no label %q", f.label)
		}
		out[f.at], out[f.at+1] = byte(pc>>8), byte(pc)
	}
	return out
}
