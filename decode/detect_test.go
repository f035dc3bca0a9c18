package decode

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		kind Kind // forced with Options.Kind when set
		want Kind
	}{
		{"signed 1559 with 0x", read(t, "tx/dynamicfee-signed.hex"), "", KindTx},
		{"hex without 0x and padded", "\n  " + strings.TrimPrefix(strings.TrimSpace(read(t, "tx/legacy-eip155-signed.hex")), "0x") + " \t\n", "", KindTx},
		{"upper-case 0X", "0X" + strings.TrimPrefix(strings.TrimSpace(read(t, "tx/dynamicfee-signed.hex")), "0x"), "", KindTx},
		{"32 bytes is a blind hash", "0x" + strings.Repeat("ab", 32), "", KindHash},
		{"bytecode", read(t, "bytecode/oz-erc20-runtime.hex"), "", KindBytecode},
		{"bare request", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}`, "", KindRequest},
		{"typed data", read(t, "sign/usdc-permit-typeddata.json"), "", KindTypedData},
		{"typed data as a JSON string", jsonString(read(t, "sign/usdc-permit-typeddata.json")), "", KindTypedData},
		{"personal_sign envelope", read(t, "sign/siwe-envelope.json"), "", KindMessage},
		{"eth_sendRawTransaction envelope", read(t, "request/envelope-send-raw.json"), "", KindTx},
		{"plain text", "hello there", "", KindMessage},
		{"raw transaction as a JSON string", `"` + strings.TrimSpace(read(t, "tx/dynamicfee-signed.hex")) + `"`, "", KindTx},
		{"hex forced to a message", "0x48656c6c6f", KindMessage, KindMessage},
		{"forced bytecode", "0x00", KindBytecode, KindBytecode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode([]byte(tc.have), Options{Kind: tc.kind})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if res.Kind != tc.want {
				t.Errorf("kind = %s, want %s", res.Kind, tc.want)
			}
		})
	}
}

// TestErrors checks that malformed input of every kind fails with one
// line that says what is wrong and where.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		have string
		kind Kind
		want string
	}{
		{"empty", " \n\t", "", "decode: empty input"},
		{"odd hex", "0xabc", "", "decode: odd number of hex digits (3)"},
		{"bad hex digit", "0x02zz", "", `decode: 'z' at offset 4 is not a hex digit`},
		{"unknown type byte", "0x05c0", "", "tx: first byte 0x05 is neither a known transaction type"},
		{"truncated list", "0xf86b", "", "tx: legacy transaction: rlp: value size exceeds available input length"},
		{"trailing bytes", "0xc0c0", "", "tx: legacy transaction: 1 bytes after the end of the RLP list"},
		{"legacy with 7 fields", "0xc7808080808080" + "80", "", "tx: legacy transaction has 7 RLP fields"},
		{"1559 with 5 fields", "0x02c58080808080", "", "tx: dynamic-fee (EIP-1559) transaction has 5 RLP fields; want 12 (signed) or 9 (unsigned signing payload)"},
		{"bad JSON", `{"to": }`, "", "decode: JSON: invalid character '}' looking for beginning of value at byte 8"},
		{"bad address", `{"to":"0x1234"}`, "", `tx: request field "to": "0x1234" is not a 0x-prefixed 20-byte address`},
		{"bad checksum", `{"to":"0x70997970c51812dc3A010C7d01b50e0d17dc79C8"}`, "", `has a bad EIP-55 checksum`},
		{"bad quantity", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"ten"}`, "", `tx: request: "ten" is not an unsigned integer`},
		{"quantity too big", `{"value":"0x1` + strings.Repeat("0", 64) + `"}`, "", "does not fit in 256 bits"},
		{"data and input differ", `{"data":"0x01","input":"0x02"}`, "", `tx: request has both "data" and "input", and they differ`},
		{"unknown method", `{"method":"eth_getBalance","params":[]}`, "", `decode: JSON-RPC method "eth_getBalance" is not a signing request txguard knows`},
		{"missing params", `{"method":"personal_sign","params":["0x00"]}`, "", "decode: personal_sign needs 2 params, has 1"},
		{"eth_sign of 31 bytes", "0x" + strings.Repeat("ab", 31), KindHash, "message: "},
		{"typed data without types", `{"primaryType":"Mail","domain":{},"message":{}}`, "", "typeddata: "},
		{"not a kind for JSON", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}`, KindTx, "decode: "},
		{"empty bytecode", "0x", KindBytecode, "evm: empty bytecode"},
		{"empty JSON string", `" "`, "", "decode: the input is an empty JSON string"},
		{"JSON array", `[1]`, "", "decode: JSON: json: cannot unmarshal array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode([]byte(tc.have), Options{Kind: tc.kind})
			if err == nil {
				t.Fatalf("Decode succeeded (%s), want error containing %q", res.Kind, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(fixtures + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{"plain text, ünïcode", "plain text, ünïcode"},
		{"\x1b[2Kwipe", `\u001b[2Kwipe`},
		{"Send all\rLog in", `Send all\u000dLog in`},
		{"abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"zero\u200bwidth", `zero\u200bwidth`},
	} {
		if got := Escape(tc.have); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.have, got, tc.want)
		}
	}
	// Rendering goes through it: a typed-data string cannot reach the
	// terminal raw.
	res, err := Decode([]byte(`{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"s","type":"string"}]},"primaryType":"M","domain":{"name":"x\u001b[2K"},"message":{"s":"ok\rVERDICT: OK"}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\r") {
		t.Errorf("control characters reached the text output:\n%q", b.String())
	}
}
