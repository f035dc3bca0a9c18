package label

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func embedded(t testing.TB) tables {
	t.Helper()
	tb, err := parseTables(chainsTSV, contractsTSV, tokensTSV)
	if err != nil {
		t.Fatalf("embedded tables: %v", err)
	}
	return tb
}

func TestEmbeddedTablesParse(t *testing.T) {
	tb := embedded(t)
	// Floors well under the shipped sizes: they catch a table that went
	// missing or was truncated, not one that grew.
	if len(tb.chains) < 25 || len(tb.contracts) < 300 || len(tb.tokens) < 200 {
		t.Errorf("tables too small: %d chains, %d contracts, %d tokens", len(tb.chains), len(tb.contracts), len(tb.tokens))
	}
}

// The parser tolerates all-lowercase addresses; the shipped tables must be
// exactly EIP-55 so that a reviewer can compare them with their sources.
func TestEmbeddedAddressesChecksummed(t *testing.T) {
	for _, f := range []struct {
		name, text string
		fields     int
	}{{"contracts.tsv", contractsTSV, 3}, {"tokens.tsv", tokensTSV, 5}} {
		err := eachRow(f.name, f.text, f.fields, func(r []string) error {
			if want := common.HexToAddress(r[1]).Hex(); r[1] != want {
				t.Errorf("%s: %s is not checksummed (want %s)", f.name, r[1], want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestEmbeddedRowsOnKnownChains(t *testing.T) {
	tb := embedded(t)
	for k, label := range tb.contracts {
		if _, ok := tb.chains[k.chain]; !ok && k.chain != anyChain {
			t.Errorf("contract %s (%s) is on chain %d, which chains.tsv does not list", k.addr.Hex(), label, k.chain)
		}
	}
	for k, tok := range tb.tokens {
		if _, ok := tb.chains[k.chain]; !ok {
			t.Errorf("token %s (%s) is on chain %d, which chains.tsv does not list", k.addr.Hex(), tok.Symbol, k.chain)
		}
	}
	for id, c := range tb.chains {
		if c.Name == "" || c.Native == "" {
			t.Errorf("chain %d has an empty name or native symbol: %+v", id, c)
		}
	}
}

// A token row wins over a contract row in Labeler.Addr, so a contract row
// for the same address would never be shown.
func TestEmbeddedTokensAreNotContracts(t *testing.T) {
	tb := embedded(t)
	for k, tok := range tb.tokens {
		if label, ok := tb.contracts[k]; ok {
			t.Errorf("chain %d %s is token %s and contract %q", k.chain, k.addr.Hex(), tok.Symbol, label)
		}
		if label, ok := tb.contracts[key{anyChain, k.addr}]; ok {
			t.Errorf("chain %d %s is token %s and every-chain contract %q", k.chain, k.addr.Hex(), tok.Symbol, label)
		}
	}
}

// A per-chain row that repeats a "*" row is noise at best and, with a
// different label, a contradiction.
func TestEmbeddedNoPerChainCopyOfAnyChain(t *testing.T) {
	tb := embedded(t)
	for k, label := range tb.contracts {
		if k.chain == anyChain {
			continue
		}
		if all, ok := tb.contracts[key{anyChain, k.addr}]; ok {
			t.Errorf("chain %d %s %q repeats the every-chain row %q", k.chain, k.addr.Hex(), label, all)
		}
	}
}

// Spot checks against the sources named in data/SOURCES.md.
func TestEmbeddedTokenSpotChecks(t *testing.T) {
	tb := embedded(t)
	tests := []struct {
		name  string
		chain uint64
		have  string
		want  Token
	}{
		{"mainnet USDC", 1, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", Token{"USDC", 6, "USDCoin"}},
		{"mainnet USDT", 1, "0xdAC17F958D2ee523a2206206994597C13D831ec7", Token{"USDT", 6, "Tether USD"}},
		{"mainnet WBTC", 1, "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599", Token{"WBTC", 8, "Wrapped BTC"}},
		{"mainnet WETH", 1, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", Token{"WETH", 18, "Wrapped Ether"}},
		{"mainnet GUSD", 1, "0x056Fd409E1d7A124BD7017459dFEa2F387b6d5Cd", Token{"GUSD", 2, "Gemini Dollar"}},
		{"mainnet stETH", 1, "0xae7ab96520DE3A18E5e111B5EaAb095312D7fE84", Token{"stETH", 18, "Liquid staked Ether 2.0"}},
		{"bsc USDC has 18 decimals", 56, "0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d", Token{"USDC", 18, "USDCoin"}},
		{"arbitrum native USDC", 42161, "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", Token{"USDC", 6, "USDCoin"}},
		{"arbitrum bridged USDC", 42161, "0xFF970A61A04b1cA14834A43f5dE4533eBDDB5CC8", Token{"USDC.e", 6, "Bridged USDC"}},
		{"optimism OP", 10, "0x4200000000000000000000000000000000000042", Token{"OP", 18, "Optimism"}},
		{"base WETH", 8453, "0x4200000000000000000000000000000000000006", Token{"WETH", 18, "Wrapped Ether"}},
		{"polygon bridged USDC", 137, "0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174", Token{"USDC.e", 6, "USDCoin (PoS)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tb.tokens[key{tt.chain, common.HexToAddress(tt.have)}]
			if !ok {
				t.Fatalf("no token %s on chain %d", tt.have, tt.chain)
			}
			if got != tt.want {
				t.Errorf("token = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEmbeddedContractSpotChecks(t *testing.T) {
	tb := embedded(t)
	tests := []struct {
		name  string
		chain uint64
		have  string
		want  string
	}{
		{"permit2", anyChain, "0x000000000022D473030F116dDEE9F6B43aC78BA3", "Uniswap Permit2"},
		{"permit2 on zksync", 324, "0x0000000000225e31D15943971F47aD3022F714Fa", "Uniswap Permit2"},
		{"multicall3", anyChain, "0xcA11bde05977b3631167028862bE2a173976CA11", "Multicall3"},
		{"entrypoint v0.7", anyChain, "0x0000000071727De22E5E9d8BAf0edAc6f37da032", "ERC-4337 EntryPoint v0.7"},
		{"seaport 1.6", anyChain, "0x0000000000000068F116a894984e2DB1123eB395", "Seaport 1.6"},
		{"safe multisendcallonly", anyChain, "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D", "Safe MultiSendCallOnly 1.3.0"},
		{"safe 1.4.1 singleton", anyChain, "0x41675C099F32341bf84BFc5382aF534df5C7461a", "Safe singleton 1.4.1"},
		{"universal router v4", 1, "0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af", "Uniswap Universal Router 2.0"},
		{"v4 pool manager", 1, "0x000000000004444c5dc75cB358380D2e3dE08A90", "Uniswap V4 PoolManager"},
		{"v2 router", 1, "0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D", "Uniswap V2 Router02"},
		{"aave v3 pool", 1, "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2", "Aave V3 Pool"},
		{"cow settlement", 100, "0x9008D19f58AAbD9eD0D60971565AA8510560ab41", "CoW Protocol Settlement"},
		{"ens registry", 1, "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e", "ENS Registry"},
		{"base bridge on L1", 1, "0x3154Cf16ccdb4C6d922629664174b904d80F2C35", "Base L1StandardBridge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tb.contracts[key{tt.chain, common.HexToAddress(tt.have)}]; got != tt.want {
				t.Errorf("contract %s on %d = %q, want %q", tt.have, tt.chain, got, tt.want)
			}
		})
	}
}

func TestEmbeddedChainSpotChecks(t *testing.T) {
	tests := []struct {
		have uint64
		want Chain
	}{
		{1, Chain{1, "Ethereum", "ETH"}},
		{137, Chain{137, "Polygon", "POL"}},
		{56, Chain{56, "BNB Smart Chain", "BNB"}},
		{100, Chain{100, "Gnosis", "XDAI"}},
		{43114, Chain{43114, "Avalanche", "AVAX"}},
		{42161, Chain{42161, "Arbitrum One", "ETH"}},
		{560048, Chain{560048, "Hoodi", "ETH"}},
	}
	for _, tt := range tests {
		got, ok := ChainByID(tt.have)
		if !ok || got != tt.want {
			t.Errorf("ChainByID(%d) = %+v, %v; want %+v", tt.have, got, ok, tt.want)
		}
	}
	if got, want := ChainName(424242424242), "chain 424242424242"; got != want {
		t.Errorf("ChainName(unknown) = %q, want %q", got, want)
	}
	if got, want := ChainName(10), "OP Mainnet"; got != want {
		t.Errorf("ChainName(10) = %q, want %q", got, want)
	}
}

func TestParseTablesErrors(t *testing.T) {
	const (
		chains    = "# id\tname\tnative\n1\tEthereum\tETH\n"
		contracts = "# chain\taddress\tlabel\n*\t0x000000000022D473030F116dDEE9F6B43aC78BA3\tUniswap Permit2\n"
		tokens    = "# chain\taddress\tsymbol\tdecimals\tname\n1\t0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t6\tUSD Coin\n"
	)
	tests := []struct {
		name                      string
		chains, contracts, tokens string
		want                      string // substring of the error; "" for success
	}{
		{"valid", chains, contracts, tokens, ""},
		{"lowercase address is accepted", chains, "*\t0x000000000022d473030f116ddee9f6b43ac78ba3\tPermit2\n", tokens, ""},
		{"bad checksum", chains, "*\t0x000000000022D473030F116dDEE9F6B43aC78Ba3\tPermit2\n", tokens, "contracts.tsv:1: bad checksum"},
		{"all caps is not a checksum", chains, "*\t0x000000000022D473030F116DDEE9F6B43AC78BA3\tPermit2\n", tokens, "contracts.tsv:1: bad checksum"},
		{"not an address", chains, "*\t0x1234\tShort\n", tokens, `contracts.tsv:1: bad address "0x1234"`},
		{"contract wrong field count", chains, contracts + "1\t0xcA11bde05977b3631167028862bE2a173976CA11\n", tokens, "contracts.tsv:3: want 3 tab-separated fields, have 2"},
		{"spaces are not tabs", chains, "* 0xcA11bde05977b3631167028862bE2a173976CA11 Multicall3\n", tokens, "contracts.tsv:1: want 3 tab-separated fields, have 1"},
		{"duplicate contract", chains, contracts + contracts[len("# chain\taddress\tlabel\n"):], tokens, "contracts.tsv:3: duplicate"},
		{"duplicate contract other case", chains, contracts + "*\t0x000000000022d473030f116ddee9f6b43ac78ba3\tPermit2\n", tokens, "contracts.tsv:3: duplicate"},
		{"same address on two chains", chains, contracts + "1\t0x000000000022D473030F116dDEE9F6B43aC78BA3\tPermit2 again\n", tokens, ""},
		{"bad chain", chains, "one\t0xcA11bde05977b3631167028862bE2a173976CA11\tMulticall3\n", tokens, "contracts.tsv:1:"},
		{"duplicate chain", chains + "1\tMainnet\tETH\n", contracts, tokens, "chains.tsv:3: duplicate chain 1"},
		{"chain wrong field count", "1\tEthereum\n", contracts, tokens, "chains.tsv:1: want 3"},
		{"chain id not a number", "x\tEthereum\tETH\n", contracts, tokens, "chains.tsv:1:"},
		{"token wrong field count", chains, contracts, "1\t0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t6\n", "tokens.tsv:1: want 5"},
		{"duplicate token", chains, contracts, tokens + tokens[len("# chain\taddress\tsymbol\tdecimals\tname\n"):], "tokens.tsv:3: duplicate"},
		{"token on every chain", chains, contracts, "*\t0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t6\tUSD Coin\n", "tokens.tsv:1: tokens need a chain"},
		{"token bad checksum", chains, contracts, "1\t0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t6\tUSD Coin\n", "tokens.tsv:1: bad checksum"},
		{"decimals too large", chains, contracts, "1\t0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t256\tUSD Coin\n", "tokens.tsv:1:"},
		{"decimals negative", chains, contracts, "1\t0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\tUSDC\t-1\tUSD Coin\n", "tokens.tsv:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTables(tt.chains, tt.contracts, tt.tokens)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
