package node

import (
	"strings"
	"testing"
	"unicode"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// FuzzEffects: whatever a log says (its address, topics and data are the
// contract's to choose), reading it never panics, a transfer's amount is
// never negative, and an NFT transfer carries its id.
func FuzzEffects(f *testing.F) {
	f.Add(topicTransfer.Bytes(), []byte{1}, 3, make([]byte, 32))
	f.Add(topicBatch.Bytes(), []byte{2}, 4, make([]byte, 200))
	f.Add(topicSingle.Bytes(), []byte{3}, 4, make([]byte, 64))
	f.Add(topicApprovalForAll.Bytes(), []byte{4}, 3, make([]byte, 32))
	f.Add(topicPermit2Approval.Bytes(), []byte{5}, 4, make([]byte, 64))
	f.Fuzz(func(t *testing.T, topic0, seed []byte, n int, data []byte) {
		l := &types.Log{Address: common.BytesToAddress(seed), Data: data}
		l.Topics = append(l.Topics, common.BytesToHash(topic0))
		for i := 1; i < n%5; i++ {
			l.Topics = append(l.Topics, common.BytesToHash(append(seed, byte(i))))
		}
		ts, gs, _ := effects([][]*types.Log{{l}}, func(common.Address) bool { return true })
		for _, tr := range ts {
			if tr.Amount.Int == nil || tr.Amount.Sign() < 0 {
				t.Fatalf("amount %v", tr.Amount.Int)
			}
			if (tr.Asset.Standard == "erc721" || tr.Asset.Standard == "erc1155") && tr.ID == nil {
				t.Fatalf("an NFT transfer without an id")
			}
		}
		for _, g := range gs {
			if !g.Operator && (g.Amount == nil || g.Amount.Int == nil) {
				t.Fatalf("a grant without an amount")
			}
		}
	})
}

// FuzzWords: a token's symbol and a revert reason are anyone's words; what
// reaches the screen is printable ASCII, and short.
func FuzzWords(f *testing.F) {
	f.Add([]byte("USDC"))
	f.Add(common.FromHex("0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000041b5b326a00000000000000000000000000000000000000000000000000000000"))
	f.Add([]byte("\u202eCDSU\x1b]8;;http://x\x07"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, s := range []string{tokenSymbol(b), revertReason(b, string(b)), printable(string(b), 40)} {
			for _, r := range s {
				if r != '…' && (r > unicode.MaxASCII || !unicode.IsPrint(r)) {
					t.Fatalf("%q reaches the screen", s)
				}
			}
			if strings.Count(s, "") > 200 {
				t.Fatalf("%d runes", len(s))
			}
		}
	})
}
