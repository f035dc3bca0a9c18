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
		{"32 bytes forced to a blind hash", "0x" + strings.Repeat("ab", 32), KindHash, KindHash},
		{"bytecode", read(t, "bytecode/oz-erc20-runtime.hex"), "", KindBytecode},
		{"bare request", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}`, "", KindRequest},
		{"typed data", read(t, "sign/usdc-permit-typeddata.json"), "", KindTypedData},
		{"typed data as a JSON string", jsonString(read(t, "sign/usdc-permit-typeddata.json")), "", KindTypedData},
		{"personal_sign envelope", read(t, "sign/siwe-envelope.json"), "", KindMessage},
		{"eth_sendRawTransaction envelope", read(t, "request/envelope-send-raw.json"), "", KindTx},
		{"plain text forced to a message", "hello there", KindMessage, KindMessage},
		{"bytecode of 20 bytes", "0x6080604052" + strings.Repeat("00", 15), "", KindBytecode},
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
		{"legacy typed data (v1), as MetaMask takes it", `{"jsonrpc":"2.0","id":1,"method":"eth_signTypedData","params":[[{"type":"string","name":"message","value":"hi"}],"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]}`, "",
			"decode: eth_signTypedData with an array of {type, name, value} is legacy typed data (v1), which txguard does not read"},
		{"typed data params swapped", `{"jsonrpc":"2.0","id":1,"method":"eth_signTypedData_v4","params":["{\"types\":{}}","0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]}`, "",
			"decode: eth_signTypedData_v4 takes [address, typed data], and params[1] here is an address: the params are swapped"},
		{"bad checksum", `{"to":"0x70997970c51812dc3A010C7d01b50e0d17dc79C8"}`, "", `has a bad EIP-55 checksum`},
		{"bad quantity", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"ten"}`, "", `tx: request field "value": "ten" is not a quantity: quantities are 0x hex`},
		{"a chain name for a quantity", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","chainId":"mainnet"}`, "", `tx: request field "chainId": "mainnet" is not a quantity`},
		{"a negative number", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":-1}`, "", `tx: request field "value": -1 is not an unsigned integer`},
		{"an object for a quantity", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","maxFeePerGas":{}}`, "", `tx: request field "maxFeePerGas": {} is not an unsigned integer`},
		{"a negative hex quantity", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"-0x1"}`, "", `tx: request field "value": "-0x1" is not a quantity`},
		{"decimal quantity string", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"250000000000000000"}`, "", `is a decimal string: quantities are 0x hex`},
		{"0x with a non-hex digit", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1g"}`, "", `is not 0x hex`},
		{"request beside typed data", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","data":"0x095ea7b3","types":{},"primaryType":"EIP712Domain","domain":{},"message":{}}`, "", `typed data with "data" beside`},
		{"envelope with a top-level to", `{"method":"eth_sendTransaction","params":[{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}],"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"}`, "", `a JSON-RPC request with "to" beside`},
		{"a receipt is no request", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","blockHash":"0x00","status":"0x1"}`, "", `is not a transaction field txguard reads`},
		{"zkSync customData", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","customData":{"paymasterParams":{}}}`, "", `request key "customData"`},
		{"quantity too big", `{"value":"0x1` + strings.Repeat("0", 64) + `"}`, "", "does not fit in 256 bits"},
		{"data and input differ", `{"data":"0x01","input":"0x02"}`, "", `tx: request has both "data" and "input", and they differ`},
		{"unknown method", `{"method":"eth_getBalance","params":[]}`, "", `decode: JSON-RPC method "eth_getBalance" is not a signing request txguard knows`},
		{"missing params", `{"method":"personal_sign","params":["0x00"]}`, "", "decode: personal_sign needs 2 params, has 1"},
		{"eth_sign of 31 bytes", "0x" + strings.Repeat("ab", 31), KindHash, "message: "},
		{"typed data without types", `{"primaryType":"Mail","domain":{},"message":{}}`, "", "typeddata: "},
		{"not a kind for JSON", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}`, KindTx, "decode: "},
		{"empty bytecode", "0x", KindBytecode, "evm: empty bytecode"},
		{"empty JSON string", `" "`, "", "decode: the input is an empty JSON string"},
		{"JSON array", `[1]`, "", "decode: a JSON array is read as a request's params when its shape names the method"},
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

// invisibles are the characters an attacker puts around an input so that
// it reads as another kind: a BOM, zero-width and joiner characters, bidi
// marks, Unicode spaces.
var invisibles = []string{"\ufeff", "\u200b", "\u2060", "\u200e", "\u202e", "\u00a0", "\u3000", "\u180e", "\u2800", "\ufeff\u200b \n"}

// TestInvisibleEnds: the same bytes with invisible characters around them
// are judged as the same kind, never as a message.
func TestInvisibleEnds(t *testing.T) {
	for _, tc := range []struct {
		name, have string
		want       Kind
	}{
		{"raw transaction", read(t, "tx/dynamicfee-signed.hex"), KindTx},
		{"request", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1","data":"0x095ea7b3"}`, KindRequest},
		{"envelope", read(t, "sign/permit2-single-envelope.json"), KindTypedData},
		{"bytecode", read(t, "bytecode/oz-erc20-runtime.hex"), KindBytecode},
	} {
		for _, inv := range invisibles {
			for _, have := range []string{inv + tc.have, tc.have + inv, inv + tc.have + inv} {
				res, err := Decode([]byte(have), Options{})
				if err != nil {
					t.Errorf("%s with %q around it: %v", tc.name, inv, err)
					continue
				}
				if res.Kind != tc.want {
					t.Errorf("%s with %q around it: kind %s, want %s", tc.name, inv, res.Kind, tc.want)
				}
			}
		}
	}
	// Inside a JSON string (batch lines carry raw transactions so).
	for _, inv := range invisibles {
		res, err := Decode([]byte(jsonString(inv+strings.TrimSpace(read(t, "tx/dynamicfee-signed.hex"))+inv)), Options{})
		if err != nil || res.Kind != KindTx {
			t.Errorf("JSON string with %q around a raw transaction: %v, %v", inv, res, err)
		}
	}
}

// TestNotASigningRequest: text and hex that are not something to sign are
// refused in auto mode with what they look like, never read as a message.
func TestNotASigningRequest(t *testing.T) {
	for _, tc := range []struct{ name, have, want string }{
		{"URL", "https://app.uniswap.org/swap?chain=mainnet", "this is a URL"},
		{"ipfs URL", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "this is a URL"},
		{"ENS name", "vitalik.eth", "this is an ENS name"},
		{"unified diff", "diff --git a/src/Token.sol b/src/Token.sol\n--- a/src/Token.sol\n+++ b/src/Token.sol\n@@ -1 +1 @@\n-a\n+b\n", "this is a unified diff"},
		{"bare hunk", "@@ -10,3 +10,4 @@ contract Vault {\n+    function x() {}\n", "this is a unified diff"},
		{"Solidity file", "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract Vault {}\n", "this is Solidity source"},
		{"Solidity without a licence line", "pragma solidity 0.8.24;\n", "this is Solidity source"},
		{"SIWE text pasted bare", "example.com wants you to sign in with your Ethereum account:\n0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n\nURI: https://example.com\nVersion: 1\nChain ID: 1\nNonce: 32891756\nIssued At: 2021-09-30T16:25:24Z", "Sign-In with Ethereum message"},
		{"plain text", "hello there", "this is text, not a transaction or signing request"},
		{"plain text in a JSON string", `"hello there"`, "this is text"},
		{"transaction hash", "0x" + strings.Repeat("ab", 32), "this is a 32-byte hash"},
		{"transaction hash without 0x", strings.Repeat("cd", 32), "this is a 32-byte hash"},
		{"address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "this is an address"},
		{"address in lower case", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "this is an address"},
		{"approve calldata", "0x095ea7b3" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("ff", 32), "this is calldata without a transaction (function 0x095ea7b3 approve(address,uint256))"},
		{"calldata of an unknown function", "0xdeadbeef" + strings.Repeat("00", 64), "this is calldata without a transaction"},
		{"known selector, odd length", "0xa9059cbb0000", "this is calldata without a transaction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode([]byte(tc.have), Options{})
			if err == nil {
				t.Fatalf("Decode accepted it as %s", res.Kind)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q, want one line with %q", err, tc.want)
			}
		})
	}
}

// TestCalldataKind: --kind calldata decodes a bare call, which detection
// only names.
func TestCalldataKind(t *testing.T) {
	data := "0x095ea7b3" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("ff", 32)
	res, err := Decode([]byte(data), Options{Kind: KindCalldata})
	if err != nil {
		t.Fatal(err)
	}
	if res.Calldata == nil || res.Calldata.Signature != "approve(address,uint256)" {
		t.Fatalf("calldata = %+v, want approve(address,uint256)", res.Calldata)
	}
	var b strings.Builder
	if err := res.WriteText(&b); err != nil || !strings.Contains(b.String(), "approve(address,uint256)") {
		t.Errorf("text = %q (%v), want the function", b.String(), err)
	}
	if _, err := Decode([]byte("0x0102"), Options{Kind: KindCalldata}); err == nil || !strings.Contains(err.Error(), "4-byte function selector") {
		t.Errorf("2 bytes of calldata: %v, want the selector error", err)
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
		{"lone \x9b[2J byte", `lone \x9b[2J byte`},
		{"\xff\xfe", `\xff\xfe`},
		{"\U0001F600 stays", "\U0001F600 stays"},
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

// TestEscapeJSON: a JSON result keeps its value but carries no raw C1,
// bidi or other format character (encoding/json escapes only C0, <, >, &
// and U+2028/9).
func TestEscapeJSON(t *testing.T) {
	value := "a\u202eb\u0085c\u009bd\u200be\U000e0041f\u00e9g\u2028h"
	doc, err := json.Marshal(map[string]string{"k\u202e": value})
	if err != nil {
		t.Fatal(err)
	}
	got := EscapeJSON(doc)
	if strings.ContainsFunc(string(got), func(r rune) bool { return r >= 0x80 && unsafeRune(r) }) {
		t.Errorf("EscapeJSON left a raw character: %q", got)
	}
	if !strings.Contains(string(got), `\u202e`) || !strings.Contains(string(got), `\udb40\udc41`) || !strings.Contains(string(got), "\u00e9") {
		t.Errorf("EscapeJSON(%q) = %q: want \\u escapes (a surrogate pair above U+FFFF) and é kept", doc, got)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["k\u202e"] != value {
		t.Errorf("the escaped document reads back as %q (%v), want %q", back, err, value)
	}
}

// TestEscapeFillers: characters that draw nothing (DEL, line and paragraph
// separators, Hangul fillers, variation selectors) or anything a font likes
// (private use, unassigned) are escaped in text and in JSON, so nothing
// can hide behind them.
func TestEscapeFillers(t *testing.T) {
	for _, r := range []rune{0x7f, 0x2028, 0x2029, 0x3164, 0x034f, 0xfe0f, 0x180b, 0xe0100, 0xffa0, 0xe000, 0xf8ff, 0xfff0, 0x10fffd, 0x50000} {
		s := "a" + string(r) + "b"
		if got := Escape(s); got == s {
			t.Errorf("Escape left U+%04X raw", r)
		}
		doc, _ := json.Marshal(s)
		if got := EscapeJSON(doc); strings.ContainsRune(string(got), r) {
			t.Errorf("EscapeJSON left U+%04X raw: %q", r, got)
		}
	}
}
