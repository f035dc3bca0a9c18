package tx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

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
		if !got.Signed && got.SigningHash != nil {
			// The signing hash taken from the payload's bytes is the one
			// go-ethereum's signer computes from the decoded fields.
			if want := signerHash(t, b); *got.SigningHash != want {
				t.Fatalf("signing hash %s, go-ethereum's signer says %s", got.SigningHash, want)
			}
		}
	})
}

// signerHash is go-ethereum's signing hash of the signing payload b: its
// fields with zero v, r, s appended, decoded, hashed by the signer of its
// chain (the payload's v for a 9-field legacy one, none for 6 fields).
func signerHash(t *testing.T, b []byte) common.Hash {
	t.Helper()
	typ, list := byte(types.LegacyTxType), b
	if b[0] < 0xc0 {
		typ, list = b[0], b[1:]
	}
	content, _, err := rlp.SplitList(list)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := rlp.CountValues(content)
	gtx := new(types.Transaction)
	if typ == types.LegacyTxType && n == 9 {
		if err := rlp.DecodeBytes(b, gtx); err != nil {
			t.Fatal(err)
		}
		v, _, _ := gtx.RawSignatureValues()
		return types.NewEIP155Signer(v).Hash(gtx)
	}
	var padded []byte
	if typ != types.LegacyTxType {
		padded = append(padded, typ)
	}
	padded = appendListHeader(padded, len(content)+3)
	padded = append(append(padded, content...), 0x80, 0x80, 0x80)
	if err := gtx.UnmarshalBinary(padded); err != nil {
		t.Fatal(err)
	}
	if typ == types.LegacyTxType {
		return types.HomesteadSigner{}.Hash(gtx)
	}
	return types.LatestSignerForChainID(gtx.ChainId()).Hash(gtx)
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
