package guard

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
	"github.com/txguard/txguard/decode/typeddata"
)

func gweiInt(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e9)) }

func wei(v *big.Int) *tx.Wei { return &tx.Wei{Int: v, Human: label.Gwei(v)} }

func TestFeeLevel(t *testing.T) {
	for _, tc := range []struct {
		have *big.Int
		want Level
	}{
		{nil, OK},
		{big.NewInt(0), OK},
		{gweiInt(30), OK},
		{gweiInt(500), OK},
		{new(big.Int).Add(gweiInt(500), big.NewInt(1)), Caution},
		{gweiInt(2000), Caution},
		{new(big.Int).Add(gweiInt(2000), big.NewInt(1)), Danger},
		{gweiInt(5000), Danger},
	} {
		if have := feeLevel(tc.have); have != tc.want {
			t.Errorf("feeLevel(%v) = %s, want %s", tc.have, have, tc.want)
		}
	}
}

func TestMaxCost(t *testing.T) {
	u := func(n uint64) *uint64 { return &n }
	eth := func(s string) *big.Int {
		r, _ := new(big.Rat).SetString(s)
		r.Mul(r, big.NewRat(1e18, 1))
		return new(big.Int).Quo(r.Num(), r.Denom())
	}
	for _, tc := range []struct {
		name string
		have tx.Tx
		want *big.Int // nil: not known
	}{
		{"no gas limit", tx.Tx{MaxFeePerGas: wei(gweiInt(30))}, nil},
		{"no fee", tx.Tx{Gas: u(21000)}, nil},
		{"max fee", tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(100)), GasPrice: wei(gweiInt(1))}, eth("0.0021")},
		{"gas price", tx.Tx{Gas: u(21000), GasPrice: wei(gweiInt(100))}, eth("0.0021")},
		{"two blobs", tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(100)), MaxFeePerBlobGas: wei(gweiInt(10)),
			BlobHashes: make([]common.Hash, 2)}, eth("0.00472144")}, // 0.0021 + 2 * 131072 * 10 gwei
	} {
		t.Run(tc.name, func(t *testing.T) {
			have, ok := maxCost(&tc.have)
			if ok != (tc.want != nil) || ok && have.Cmp(tc.want) != 0 {
				t.Errorf("have %v (%v), want %v", have, ok, tc.want)
			}
		})
	}
}

func TestPaysInETH(t *testing.T) {
	for chain, want := range map[uint64]bool{0: true, 1: true, 10: true, 8453: true, 42161: true, 137: false, 56: false, 43114: false, 999999: false} {
		if have := paysInETH(chain); have != want {
			t.Errorf("paysInETH(%d) = %v, want %v", chain, have, want)
		}
	}
}

func TestAbsurdFees(t *testing.T) {
	u := func(n uint64) *uint64 { return &n }
	for _, tc := range []struct {
		name  string
		chain int64 // -1: none
		tx    tx.Tx
		want  []string // evidence of the findings
	}{
		{"everyday", 1, tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(30)), MaxPriorityFeePerGas: wei(gweiInt(1))}, nil},
		{"request without gas or chain", -1, tx.Tx{MaxFeePerGas: wei(gweiInt(3000))}, []string{"tx.maxFeePerGas"}},
		{"tip above cap, even off ETH", 137, tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(30)), MaxPriorityFeePerGas: wei(gweiInt(31))}, []string{"tx.maxPriorityFeePerGas"}},
		{"cap on Polygon", 137, tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(3000))}, nil},
		{"cap on Base", 8453, tx.Tx{Gas: u(21000), MaxFeePerGas: wei(gweiInt(3000))}, []string{"tx.maxFeePerGas"}},
		{"cost only", 1, tx.Tx{Gas: u(16_000_000), MaxFeePerGas: wei(gweiInt(100))}, []string{"tx.gas"}},
		{"cost and cap: one finding", 1, tx.Tx{Gas: u(16_000_000), MaxFeePerGas: wei(gweiInt(3000))}, []string{"tx.maxFeePerGas"}},
		{"deployment at 50 gwei", 1, tx.Tx{Gas: u(16_000_000), MaxFeePerGas: wei(gweiInt(50))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := tc.tx
			if tc.chain >= 0 {
				tx.ChainID = big.NewInt(tc.chain)
			}
			fs := absurdFees(newContext(&decode.Result{Kind: decode.KindTx, Tx: &tx}, Config{}), &Rule{ID: "TG603"})
			var have []string
			for _, f := range fs {
				have = append(have, f.Evidence)
			}
			if !slices.Equal(have, tc.want) {
				t.Errorf("have %v, want %v", have, tc.want)
			}
		})
	}
}

func TestChainMismatch(t *testing.T) {
	r := &Rule{ID: "TG602"}
	txOn := func(chain int64) *decode.Result {
		t := &tx.Tx{}
		if chain >= 0 {
			t.ChainID = big.NewInt(chain)
		}
		return &decode.Result{Kind: decode.KindTx, Tx: t}
	}
	typed := func(chain string) *decode.Result {
		return &decode.Result{Kind: decode.KindTypedData, TypedData: &typeddata.TypedData{Domain: typeddata.Domain{ChainID: chain}}}
	}
	withAuth := func(res *decode.Result, chain string) *decode.Result {
		res.Tx.Authorizations = append(res.Tx.Authorizations, auth(chain, metamask, nil))
		return res
	}
	for _, tc := range []struct {
		name string
		in   *decode.Result
		user uint64
		want []string
	}{
		{"same chain", txOn(1), 1, nil},
		{"other chain", txOn(10), 1, []string{"tx.chainId"}},
		{"huge chain id", &decode.Result{Kind: decode.KindTx, Tx: &tx.Tx{ChainID: new(big.Int).Lsh(big.NewInt(1), 70)}}, 1, []string{"tx.chainId"}},
		{"user names no chain", txOn(10), 0, nil},
		{"request without chain", txOn(-1), 1, nil},
		{"typed chain 0 is TG606's", txOn(0), 1, nil},
		{"authorization for another chain", withAuth(txOn(1), "56"), 1, []string{"tx.authorizations[0].chainId"}},
		{"chain-0 authorization is TG501's", withAuth(txOn(1), "0"), 1, nil},
		{"typed data, same chain", typed("1"), 1, nil},
		{"typed data, other chain", typed("8453"), 1, []string{"typedData.domain.chainId"}},
		{"typed data without chain", typed(""), 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var have []string
			for _, f := range chainMismatch(newContext(tc.in, Config{Chain: tc.user}), r) {
				have = append(have, f.Evidence)
			}
			if !slices.Equal(have, tc.want) {
				t.Errorf("have %v, want %v", have, tc.want)
			}
		})
	}
}

// TestChainAdvice: --chain is offered only with an id it accepts.
func TestChainAdvice(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{"10", "check again with --chain 10."},
		{"18446744073709551615", "check again with --chain 18446744073709551615."},
		{"18446744073709551616", "Reject it: no chain you could mean has this id."},
		{"1180591620717411303424", "Reject it: no chain you could mean has this id."},
	} {
		if got := chainAdvice("X", tc.have); !strings.HasSuffix(got, tc.want) {
			t.Errorf("chainAdvice(%s) = %q, want …%q", tc.have, got, tc.want)
		}
	}
}

func TestInvalidTransaction(t *testing.T) {
	in := &decode.Result{Kind: decode.KindTx, Tx: &tx.Tx{Problems: []string{
		"signature does not recover a sender: invalid signature",
		"max priority fee 2 is above max fee 1",
		"nonce is 2^64-1, which EIP-2681 forbids",
	}}}
	var have []string
	for _, f := range invalidTransaction(newContext(in, Config{Chain: 1}), &Rule{ID: "TG606"}) {
		have = append(have, f.Evidence+"/"+f.Severity.String())
	}
	if want := []string{"tx.problems[0]/danger", "tx.problems[2]/caution"}; !slices.Equal(have, want) {
		t.Errorf("have %v, want %v", have, want)
	}
}

func TestValueWithTokenCall(t *testing.T) {
	usdc := label.Addr{Address: common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")}
	for _, tc := range []struct {
		source string
		value  int64
		want   bool
	}{
		{"erc20", 1, true}, {"erc721", 1, true}, {"erc1155", 1, true}, {"dai", 1, true},
		{"erc20", 0, false}, {"weth", 1, false}, {"universal_router", 1, false}, {"seaport", 1, false},
		{"multicall3", 1, false}, {"4byte", 1, false}, {"", 1, false},
	} {
		call := &calldata.Call{Path: "call", Target: &usdc, Source: tc.source, Signature: "f()"}
		if tc.value > 0 {
			call.Value = big.NewInt(tc.value)
		}
		in := &decode.Result{Kind: decode.KindTx, Tx: &tx.Tx{Call: call}}
		if have := len(valueWithTokenCall(newContext(in, Config{Chain: 1}), &Rule{ID: "TG605"})) > 0; have != tc.want {
			t.Errorf("%s with value %d: fired %v, want %v", tc.source, tc.value, have, tc.want)
		}
	}
}
