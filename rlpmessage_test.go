package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/txguard/txguard/decode"
)

// TestRLPWords: go-ethereum's RLP errors, for the bytes a user may paste,
// reach the user in words, naming the field as the request forms do.
func TestRLPWords(t *testing.T) {
	to := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	raw := func(hexes ...string) rlp.RawValue { return rlp.RawValue(hexutil.MustDecode(strings.Join(hexes, ""))) }
	// A signed dynamic-fee transaction with one field replaced.
	dynamic := func(i int, v any) []byte {
		f := []any{uint64(1), uint64(0), uint64(1), uint64(2), uint64(21000), to, uint64(0), []byte{}, []any{}, uint64(1), uint64(1), uint64(1)}
		f[i] = v
		b, err := rlp.EncodeToBytes(f)
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte{2}, b...)
	}
	// An unsigned set-code payload whose authorization has a list for its chain id.
	setCode := func() []byte {
		auth := []any{[]any{}, to, uint64(0), uint64(0), uint64(1), uint64(1)}
		b, _ := rlp.EncodeToBytes([]any{uint64(1), uint64(0), uint64(1), uint64(2), uint64(50000), to, uint64(0), []byte{}, []any{}, []any{auth}})
		return append([]byte{4}, b...)
	}
	short := dynamic(0, uint64(1))
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"a list for the nonce", dynamic(1, []any{}), "nonce: a list where a single value belongs"},
		{"a 19-byte to", dynamic(5, to[:19]), "to: shorter than 20 bytes"},
		{"a 21-byte to", dynamic(5, append(to[:], 1)), "to: longer than 20 bytes"},
		{"gas with a leading zero byte", dynamic(4, raw("0x820001")), "gas: a number written with leading zero bytes"},
		{"gas past 64 bits", dynamic(4, raw("0x89010000000000000000")), "gas: a number too large for it"},
		{"a 31-byte storage key", dynamic(8, []any{[]any{to, []any{bytes.Repeat([]byte{1}, 31)}}}), "accessList[0].storageKeys[0]: shorter than 32 bytes"},
		{"a list for an authorization's chain id", setCode(), "authorizationList[0].chainId: a list where a single value belongs"},
		{"a short length written long", dynamic(7, raw("0xb80141")), "a length written in a longer form than RLP allows"},
		{"cut short", short[:len(short)-5], "the input ends before the value it announces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode.Decode([]byte(hexutil.Encode(tc.in)), decode.Options{Kind: decode.KindTx})
			if err == nil {
				t.Fatal("decoded")
			}
			have := userMessage(err.Error())
			if !strings.Contains(have, tc.want) {
				t.Errorf("%q\nwant it to say %q (go-ethereum: %q)", have, tc.want, err)
			}
			for _, goWord := range []string{"rlp:", "types.", "common.", "uint64", "decoding into"} {
				if strings.Contains(have, goWord) {
					t.Errorf("%q says %q", have, goWord)
				}
			}
		})
	}
}

// TestRLPWordsLeavesOtherText: a message without go-ethereum's RLP words,
// or quoting a user's value that has them, is left as it is.
func TestRLPWordsLeavesOtherText(t *testing.T) {
	for _, msg := range []string{
		"open rlp.hex: no such file or directory",
		`request field "data": "rlp: expected List" is not 0x hex`,
		`request field "data": "rlp: too few elements for uint64" is not 0x hex`,
		"empty input",
	} {
		if have := rlpWords(msg); have != msg {
			t.Errorf("rlpWords(%q) = %q", msg, have)
		}
	}
}
