package tx

import (
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// urSwapUnsigned is the Universal Router swap of fixtures/calls as a
// wallet gets it to sign: the EIP-1559 signing payload, no signature. It
// also returns the padded form go-ethereum decodes (v, r, s = 0), for the
// floor.
func urSwapUnsigned(b *testing.B) (payload, padded []byte) {
	raw, err := os.ReadFile("../../fixtures/calls/universal-router-swap.hex")
	if err != nil {
		b.Fatal(err)
	}
	gtx := new(types.Transaction)
	if err := gtx.UnmarshalBinary(hexutil.MustDecode(strings.TrimSpace(string(raw)))); err != nil {
		b.Fatal(err)
	}
	list, err := rlp.EncodeToBytes([]any{gtx.ChainId(), gtx.Nonce(), gtx.GasTipCap(), gtx.GasFeeCap(),
		gtx.Gas(), gtx.To(), gtx.Value(), gtx.Data(), gtx.AccessList()})
	if err != nil {
		b.Fatal(err)
	}
	payload = append([]byte{gtx.Type()}, list...)
	content, _, _ := rlp.SplitList(list)
	padded = append([]byte{gtx.Type()}, appendListHeader(nil, len(content)+3)...)
	padded = append(append(padded, content...), 0x80, 0x80, 0x80)
	return payload, padded
}

// BenchmarkURSwapUnsigned is the whole decode of an unsigned Universal
// Router swap (what `txguard decode` and `check` do after reading the hex):
// envelope, signing hash, consensus checks, labels, the router's four
// commands with their human values. A fresh labeler and calldata decoder
// per run, as decode.Decode makes them. Its floor is BenchmarkURSwapFloor.
func BenchmarkURSwapUnsigned(b *testing.B) {
	payload, _ := urSwapUnsigned(b)
	b.ReportAllocs()
	for b.Loop() {
		lab := label.New(0, nil)
		t, err := DecodeRaw(payload, Options{Labels: lab, Calls: calldata.New(nil)})
		if err != nil || t.Call == nil || len(t.Call.Calls) == 0 {
			b.Fatalf("%v %+v", err, t)
		}
	}
}

// BenchmarkURSwapFloor is go-ethereum reading the same transaction and
// computing its signing hash: no decode of it can cost less.
func BenchmarkURSwapFloor(b *testing.B) {
	_, padded := urSwapUnsigned(b)
	b.ReportAllocs()
	for b.Loop() {
		gtx := new(types.Transaction)
		if err := gtx.UnmarshalBinary(padded); err != nil {
			b.Fatal(err)
		}
		_ = types.LatestSignerForChainID(gtx.ChainId()).Hash(gtx)
	}
}
