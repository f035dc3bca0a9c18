package tx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/calldata"
)

// FuzzDecodeRaw: no input may panic, and a decoded transaction must hold
// together: a signed one has a hash, a sender claim only comes with a
// signature.
func FuzzDecodeRaw(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/tx/*.hex")
	calls, _ := filepath.Glob("../../fixtures/calls/*.hex")
	for _, name := range append(files, calls...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		raw, err := hexutil.Decode(strings.TrimSpace(string(b)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte{0xc0})
	f.Add([]byte{0x04, 0xc0})
	opts := Options{Calls: calldata.New(nil), Chain: 1}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecodeRaw(b, opts)
		if err != nil {
			if got != nil {
				t.Fatal("error with a result")
			}
			if !strings.HasPrefix(err.Error(), "tx: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if got.Signed && got.Hash == nil {
			t.Fatal("signed transaction without a hash")
		}
		if !got.Signed && got.From != nil {
			t.Fatal("unsigned transaction claims a sender")
		}
	})
}

// FuzzDecodeRequest: no JSON may panic; errors carry the package prefix.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"from":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1","gas":21000,"chainId":"1","nonce":"0x0","maxFeePerGas":"30000000000"}`,
		`{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","data":"0xa9059cbb","type":"0x4","authorizationList":[]}`,
		`{"type":"0x3","to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","blobVersionedHashes":["0x01"]}`,
		`{"gasPrice":"0x1","accessList":[{"address":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","storageKeys":[]}]}`,
		`{}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	opts := Options{Calls: calldata.New(nil)}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecodeRequest(b, opts)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "tx: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if got.Source != SourceRequest {
			t.Fatalf("source = %q", got.Source)
		}
	})
}
