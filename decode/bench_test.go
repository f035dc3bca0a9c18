package decode

import (
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

func urSwap(b *testing.B) []byte {
	raw, err := os.ReadFile(fixtures + "/calls/universal-router-swap.hex")
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkDecodeURSwap is the whole decode of a signed 1559 Universal
// Router swap from its hex text: envelope, sender recovery, selector
// lookup, four commands, labels and human values.
func BenchmarkDecodeURSwap(b *testing.B) {
	in := urSwap(b)
	if _, err := Decode(in, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeURSwapCalldata is the calldata part alone: selector
// lookup and nested command decoding.
func BenchmarkDecodeURSwapCalldata(b *testing.B) {
	gtx := new(types.Transaction)
	if err := gtx.UnmarshalBinary(hexutil.MustDecode(strings.TrimSpace(string(urSwap(b))))); err != nil {
		b.Fatal(err)
	}
	d := calldata.New(nil).WithLabels(label.New(1, nil))
	b.ReportAllocs()
	for b.Loop() {
		d.Decode(gtx.To(), gtx.Value(), gtx.Data())
	}
}

// BenchmarkGethUnmarshal and BenchmarkGethSender are go-ethereum's own
// costs, for scale.
func BenchmarkGethUnmarshal(b *testing.B) {
	raw := hexutil.MustDecode(strings.TrimSpace(string(urSwap(b))))
	b.ReportAllocs()
	for b.Loop() {
		if err := new(types.Transaction).UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGethSender(b *testing.B) {
	gtx := new(types.Transaction)
	if err := gtx.UnmarshalBinary(hexutil.MustDecode(strings.TrimSpace(string(urSwap(b))))); err != nil {
		b.Fatal(err)
	}
	signer := types.LatestSignerForChainID(gtx.ChainId())
	b.ReportAllocs()
	for b.Loop() {
		// A fresh copy each time: go-ethereum caches the sender on the tx.
		cp := new(types.Transaction)
		raw, _ := gtx.MarshalBinary()
		_ = cp.UnmarshalBinary(raw)
		if _, err := types.Sender(signer, cp); err != nil {
			b.Fatal(err)
		}
	}
}
