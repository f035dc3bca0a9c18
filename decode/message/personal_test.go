package message

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// hexOf is a test helper: 0x-hex of b.
func hexOf(b []byte) string { return hexutil.Encode(b) }

func signedLegacyTx(t *testing.T) string {
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("cow")))
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000deadbeef")
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{
		ChainID: big.NewInt(1), Nonce: 3, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000, To: &to, Value: big.NewInt(1e18),
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return hexOf(b)
}

// unsignedTx is the payload a wallet hashes to sign a transaction.
func unsignedTx(t *testing.T, typ byte, fields ...any) string {
	b, err := rlp.EncodeToBytes(fields)
	if err != nil {
		t.Fatal(err)
	}
	if typ != 0 {
		b = append([]byte{typ}, b...)
	}
	return hexOf(b)
}

func TestPersonal(t *testing.T) {
	to := common.HexToAddress("0x00000000000000000000000000000000deadbeef")
	tests := []struct {
		name      string
		have      string
		bytes     string // 0x hex
		text      string
		printable bool
		looksLike string
		hash      string // when known independently
	}{
		{name: "hex", have: "0x68656c6c6f", bytes: "0x68656c6c6f", text: "hello", printable: true,
			hash: "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750"},
		{name: "text", have: "hello", bytes: "0x68656c6c6f", text: "hello", printable: true,
			hash: "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750"},
		{name: "upper-case hex digits", have: "0x48454C4C4F", bytes: "0x48454c4c4f", text: "HELLO", printable: true},
		{name: "empty", have: "", bytes: "0x", printable: true},
		{name: "empty hex", have: "0x", bytes: "0x", printable: true},
		{name: "lines and tabs", have: "a\n\tb\r\n", bytes: "0x610a09620d0a", text: "a\n\tb\r\n", printable: true},
		{name: "unicode", have: "héllo ✓", bytes: hexOf([]byte("héllo ✓")), text: "héllo ✓", printable: true},
		{name: "binary", have: "0x0001ff", bytes: "0x0001ff"},
		{name: "invalid utf8", have: "0xc3", bytes: "0xc3"},
		{name: "bell", have: "ding\a", bytes: hexOf([]byte("ding\a"))},
		{name: "bare carriage return overwrites the line", have: "Send all to 0xabc\rLog in", bytes: hexOf([]byte("Send all to 0xabc\rLog in"))},
		{name: "DEL", have: "0x417f", bytes: "0x417f"},
		{name: "C1 control", have: "a\u0085b", bytes: hexOf([]byte("a\u0085b"))},
		{name: "bidi override", have: "pay \u202eevil", bytes: hexOf([]byte("pay \u202eevil"))},
		{name: "odd hex is text", have: "0x123", bytes: hexOf([]byte("0x123")), text: "0x123", printable: true, looksLike: "hex"},
		{name: "upper 0X is text", have: "0XABCD", bytes: hexOf([]byte("0XABCD")), text: "0XABCD", printable: true, looksLike: "hex"},
		{name: "bad hex is text", have: "0xzz", bytes: hexOf([]byte("0xzz")), text: "0xzz", printable: true},
		{name: "hex encoded twice", have: hexOf([]byte("0xdeadbeef")), bytes: hexOf([]byte("0xdeadbeef")), text: "0xdeadbeef", printable: true, looksLike: "hex"},
		{name: "bare hex text", have: "deadbeefdeadbeef", bytes: hexOf([]byte("deadbeefdeadbeef")), text: "deadbeefdeadbeef", printable: true, looksLike: "hex"},
		{name: "hex word", have: "cafe", bytes: "0x63616665", text: "cafe", printable: true},
		{name: "32 bytes", have: "0x" + strings.Repeat("ab", 32), bytes: "0x" + strings.Repeat("ab", 32), looksLike: "hash"},
		{name: "31 bytes", have: "0x" + strings.Repeat("ab", 31), bytes: "0x" + strings.Repeat("ab", 31)},
		{name: "signed tx", have: signedLegacyTx(t), bytes: signedLegacyTx(t), looksLike: "transaction"},
		{name: "unsigned legacy tx", have: unsignedTx(t, 0, uint64(0), big.NewInt(1), uint64(21000), to, big.NewInt(1), []byte{}),
			bytes: unsignedTx(t, 0, uint64(0), big.NewInt(1), uint64(21000), to, big.NewInt(1), []byte{}), looksLike: "transaction"},
		{name: "unsigned EIP-155 tx", have: unsignedTx(t, 0, uint64(0), big.NewInt(1), uint64(21000), to, big.NewInt(1), []byte{}, uint64(1), uint64(0), uint64(0)),
			bytes: unsignedTx(t, 0, uint64(0), big.NewInt(1), uint64(21000), to, big.NewInt(1), []byte{}, uint64(1), uint64(0), uint64(0)), looksLike: "transaction"},
		{name: "unsigned 1559 tx", have: unsignedTx(t, 2, uint64(1), uint64(0), big.NewInt(1), big.NewInt(2), uint64(21000), to, big.NewInt(1), []byte{}, []any{}),
			bytes: unsignedTx(t, 2, uint64(1), uint64(0), big.NewInt(1), big.NewInt(2), uint64(21000), to, big.NewInt(1), []byte{}, []any{}), looksLike: "transaction"},
		{name: "rlp but no tx", have: unsignedTx(t, 0, uint64(1), uint64(2)), bytes: unsignedTx(t, 0, uint64(1), uint64(2))},
		{name: "typed junk", have: "0x02c0", bytes: "0x02c0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Personal(tt.have)
			if have := hexOf(m.Bytes); have != tt.bytes {
				t.Errorf("bytes: have %s, want %s", have, tt.bytes)
			}
			if m.Text != tt.text || m.Printable != tt.printable {
				t.Errorf("text: have %q printable %v, want %q %v", m.Text, m.Printable, tt.text, tt.printable)
			}
			if m.LooksLike != tt.looksLike {
				t.Errorf("looksLike: have %q, want %q", m.LooksLike, tt.looksLike)
			}
			want := crypto.Keccak256Hash([]byte("\x19Ethereum Signed Message:\n"+itoa(len(m.Bytes))), m.Bytes)
			if m.Hash != want {
				t.Errorf("hash: have %s, want %s", m.Hash, want)
			}
			if tt.hash != "" && m.Hash.Hex() != tt.hash {
				t.Errorf("hash: have %s, want %s", m.Hash, tt.hash)
			}
			if m.SIWE != nil || m.SIWEError != "" {
				t.Errorf("not SIWE, have %+v %q", m.SIWE, m.SIWEError)
			}
		})
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func TestPersonalSIWE(t *testing.T) {
	m := Personal(hexOf([]byte(eip4361Example)))
	if m.SIWE == nil || m.SIWEError != "" {
		t.Fatalf("SIWE not decoded: %q", m.SIWEError)
	}
	if m.SIWE.Domain != "example.com" {
		t.Errorf("domain %q", m.SIWE.Domain)
	}
	bad := Personal(strings.Replace(eip4361Example, "Version: 1", "Version: 2", 1))
	if bad.SIWE != nil || bad.SIWEError != `message: SIWE line 7: Version: want 1, have "2"` {
		t.Errorf("malformed SIWE: have %+v %q", bad.SIWE, bad.SIWEError)
	}
	if !bad.Printable || bad.Text == "" {
		t.Error("a malformed sign-in must still be shown")
	}
}
