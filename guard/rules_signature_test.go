package guard

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestSeaportUnderpaid(t *testing.T) {
	var (
		offerer = common.HexToAddress("0x00000000000000000000000000000000000000aa")
		fee     = common.HexToAddress("0x00000000000000000000000000000000000000fe")
		thief   = common.HexToAddress("0x00000000000000000000000000000000deadbeef")
		nft     = common.HexToAddress("0x00000000000000000000000000000000000000c1")
		weth    = common.HexToAddress("0x00000000000000000000000000000000000000e1")
		odd     = common.HexToAddress("0x00000000000000000000000000000000000000e2") // unlisted ERC-20
	)
	eth := func(s string) *big.Int {
		v, _ := new(big.Rat).SetString(s)
		v.Mul(v, new(big.Rat).SetInt(big.NewInt(1e18)))
		return new(big.Int).Quo(v.Num(), v.Denom())
	}
	ape := seaportItem{itemType: 2, token: nft, id: big.NewInt(1), start: big.NewInt(1), end: big.NewInt(1)}
	pay := func(typ int, token common.Address, start, end *big.Int, to common.Address) seaportItem {
		return seaportItem{itemType: typ, token: token, start: start, end: end, recipient: to}
	}
	ethTo := func(amount string, to common.Address) seaportItem {
		return pay(0, common.Address{}, eth(amount), eth(amount), to)
	}
	usdc := common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	decimals := func(it seaportItem) int {
		switch {
		case it.itemType == 0:
			return 18
		case it.itemType == 1 && it.token == weth:
			return 18
		case it.itemType == 1 && it.token == usdc:
			return 6
		}
		return -1
	}
	tests := []struct {
		name          string
		offer         []seaportItem
		consideration []seaportItem
		want          seaportPay
	}{
		{"normal listing", []seaportItem{ape}, []seaportItem{ethTo("9.75", offerer), ethTo("0.25", fee)}, seaportFair},
		{"listing with royalties", []seaportItem{ape}, []seaportItem{ethTo("9", offerer), ethTo("0.25", fee), ethTo("0.75", thief)}, seaportFair},
		{"everything to someone else", []seaportItem{ape}, []seaportItem{ethTo("10", thief)}, seaportToOthers},
		{"1 wei to someone else", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, big.NewInt(1), big.NewInt(1), thief)}, seaportToOthers},
		{"nothing asked", []seaportItem{ape}, nil, seaportFree},
		{"1 wei to the offerer", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, big.NewInt(1), big.NewInt(1), offerer)}, seaportDust},
		{"just under a millionth of an ETH", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, big.NewInt(999_999_999_999), big.NewInt(999_999_999_999), offerer)}, seaportDust},
		{"a millionth of an ETH", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, big.NewInt(1e12), big.NewInt(1e12), offerer)}, seaportFair},
		{"offerer gets under 1%", []seaportItem{ape}, []seaportItem{ethTo("0.0099", offerer), ethTo("1", thief)}, seaportDust},
		{"offerer gets exactly 1%", []seaportItem{ape}, []seaportItem{ethTo("1", offerer), ethTo("99", thief)}, seaportFair},
		{"bid: NFT to the offerer, fee in WETH", []seaportItem{pay(1, weth, eth("5"), eth("5"), common.Address{})},
			[]seaportItem{pay(2, nft, big.NewInt(1), big.NewInt(1), offerer), pay(1, weth, eth("0.125"), eth("0.125"), fee)}, seaportFair},
		{"criteria NFT to the offerer", []seaportItem{pay(1, weth, eth("5"), eth("5"), common.Address{})},
			[]seaportItem{pay(4, nft, big.NewInt(1), big.NewInt(1), offerer)}, seaportFair},
		{"dutch auction to a fair end", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, eth("10"), eth("1"), offerer), pay(0, common.Address{}, eth("0.25"), eth("0.025"), fee)}, seaportFair},
		{"dutch auction to nothing", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, eth("10"), big.NewInt(0), offerer), pay(0, common.Address{}, eth("0.25"), eth("0.25"), fee)}, seaportToOthers},
		{"auction whose fee grows past 99%", []seaportItem{ape}, []seaportItem{pay(0, common.Address{}, eth("10"), eth("0.01"), offerer), pay(0, common.Address{}, eth("0.1"), eth("10"), thief)}, seaportDust},
		{"fair in one currency, nothing in another", []seaportItem{ape}, []seaportItem{ethTo("9", offerer), pay(1, weth, eth("1"), eth("1"), thief)}, seaportFair},
		{"1 base unit of USDC is dust", []seaportItem{ape}, []seaportItem{pay(1, usdc, big.NewInt(1), big.NewInt(1), offerer)}, seaportDust},
		{"just under a cent of USDC is dust", []seaportItem{ape}, []seaportItem{pay(1, usdc, big.NewInt(9_999), big.NewInt(9_999), offerer)}, seaportDust},
		{"a cent of USDC is a price", []seaportItem{ape}, []seaportItem{pay(1, usdc, big.NewInt(10_000), big.NewInt(10_000), offerer)}, seaportFair},
		{"unlisted token: 1 unit is not judged dust", []seaportItem{ape}, []seaportItem{pay(1, odd, big.NewInt(1), big.NewInt(1), offerer)}, seaportFair},
		{"empty offer", nil, []seaportItem{ethTo("1", thief)}, seaportFair},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := seaportOrder{offerer: offerer, offer: tt.offer, consideration: tt.consideration}
			if have := seaportUnderpaid(o, decimals); have != tt.want {
				t.Errorf("have %d, want %d", have, tt.want)
			}
		})
	}
}

// TestSignatureSeverities pins the level and evidence of each signature
// rule on its fixtures.
func TestSignatureSeverities(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"TG201-fire-usdc-permit-unknown-spender.json", "TG201", Danger, "typedData.message.spender"},
		{"TG201-fire-usdc-permit-max.json", "TG201", Danger, "typedData.message.value"},
		{"TG201-fire-dai-permit-allowed.json", "TG201", Danger, "typedData.message.spender"},
		{"TG201-fire-dai-permit-known-spender.json", "TG201", Caution, "typedData.message.allowed"},
		{"TG201-fire-usdc-permit-router.json", "TG201", Info, "typedData.message.spender"},
		{"TG201-fire-usdc-permit-long-deadline.json", "TG201", Danger, "typedData.message.deadline"},
		{"TG201-fire-onchain-erc20-permit.hex", "TG201", Danger, "tx.call.args.value"},
		{"TG201-fire-onchain-dai-permit.hex", "TG201", Danger, "tx.call.args.spender"},
		{"TG201-fire-permit-in-multicall3.hex", "TG201", Danger, "tx.call.calls[0].args.spender"},
		{"TG202-fire-batch-max-several-tokens.json", "TG202", Danger, "typedData.message.spender"},
		{"TG202-fire-single-unlimited-unknown.json", "TG202", Danger, "typedData.message.spender"},
		{"TG202-fire-single-bounded-router.json", "TG202", Info, "typedData.message.spender"},
		{"TG202-fire-single-unlimited-router.json", "TG202", Caution, "typedData.message.details.amount"},
		{"TG202-fire-single-long-expiration.json", "TG202", Danger, "typedData.message.details.expiration"},
		{"TG202-fire-batch-two-tokens-router.json", "TG202", Caution, "typedData.message.spender"},
		{"TG202-fire-batch-transfer-two-tokens.json", "TG202", Caution, "typedData.message.spender"},
		{"TG202-fire-witness-transfer-unknown.json", "TG202", Danger, "typedData.message.spender"},
		{"TG202-fire-impostor-verifier.json", "TG202", Danger, "typedData.domain.verifyingContract"},
		{"TG203-fire-conformance-zero-price-listing.json", "TG203", Critical, "typedData.message.consideration"},
		{"TG203-fire-all-to-stranger.json", "TG203", Critical, "typedData.message.consideration"},
		{"TG203-fire-dust-price.json", "TG203", Critical, "typedData.message.consideration"},
		{"TG203-fire-bulk-order.json", "TG203", Critical, "typedData.message.tree[1].consideration"},
		{"TG203-fire-onchain-own-order.hex", "TG203", Critical, "tx.call.args.order.parameters.consideration"},
		{"TG203-fire-onchain-buy-drained-order.hex", "TG203", Caution, "tx.call.args.parameters.considerationAmount"},
		{"TG204-fire-transfer-unknown.json", "TG204", Danger, "typedData.message.to"},
		{"TG204-fire-receive-contact.json", "TG204", Caution, "typedData.message.to"},
		{"TG204-fire-onchain-transfer-unknown.hex", "TG204", Danger, "tx.call.args.to"},
		{"TG205-fire-eth-sign-envelope.json", "TG205", Critical, "hash"},
		{"TG205-fire-bare-hash.hash", "TG205", Critical, "hash"},
		{"TG206-fire-hash.json", "TG206", Danger, "message.bytes"},
		{"TG206-fire-transaction.json", "TG206", Danger, "message.bytes"},
		{"TG206-fire-hex-text.json", "TG206", Danger, "message.text"},
		{"TG206-fire-binary.json", "TG206", Danger, "message.bytes"},
		{"TG206-fire-bidi-override.txt", "TG206", Danger, "message.bytes"},
		{"TG207-fire-malformed.txt", "TG207", Danger, "message.siweError"},
		{"TG207-fire-other-chain.txt", "TG207", Danger, "message.siwe.chainId"},
		{"TG207-fire-other-account.json", "TG207", Danger, "message.siwe.address"},
		{"TG207-fire-expired.txt", "TG207", Danger, "message.siwe.expirationTime"},
		{"TG207-fire-not-before.txt", "TG207", Caution, "message.siwe.notBefore"},
		{"TG207-fire-issued-in-future.txt", "TG207", Caution, "message.siwe.issuedAt"},
	})
}
