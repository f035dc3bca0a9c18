package guard

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/txguard/txguard/decode"
	corpus "github.com/txguard/txguard/fixtures"
)

var update = flag.Bool("update", false, "rewrite fixtures/golden/headlines.txt")

// TestHeadline: one input of every kind the corpus holds, and the line a
// wallet user reads first about it.
func TestHeadline(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		// Transactions: a payment, a token transfer, allowances (one hidden
		// in a batch: the worst finding picks it), a delegation, a deployment.
		{"tx/dynamicfee-signed.hex", "Send 0.5 ETH to Alice (friend)"},
		{"calls/erc20-transfer.hex", "Send 1,500 USDC to Alice (friend)"},
		{"calls/erc20-approve-unlimited.hex", "Approve unlimited USDC to 0x3C44…93BC (unknown)"},
		{"calls/multicall3-hidden-approve.hex", "Approve unlimited USDC to 0x3C44…93BC (unknown)"},
		{"calls/erc20-approve-zero.hex", "Revoke the allowance of 0x3C44…93BC (unknown) on USDCoin (USDC)"},
		{"calls/erc721-set-approval-for-all.hex", "Let 0x3C44…93BC (unknown) move all your NFTs in 0xBC4C…f13D (unknown)"},
		{"calls/erc721-safe-transfer.hex", "Move NFT #1234 of 0xBC4C…f13D (unknown) from Me (hot wallet) to Alice (friend)"},
		{"calls/permit2-approve.hex", "Approve 100 USDC through Permit2 to Uniswap Universal Router 2.0"},
		{"calls/unknown-selector.hex", "Call unknown function 0xdeadbeef on 0x3C44…93BC (unknown)"},
		{"calls/universal-router-swap.hex", "Call execute on Uniswap Universal Router 2.0, paying 1 ETH"},
		{"calls/ownable-renounce.hex", "Give up ownership of 0x3C44…93BC (unknown) for good"},
		{"tx/setcode-signed.hex", "Delegate this account to 0x3C44…93BC (unknown code) (and 2 more delegations)"},
		{"rules/TG502-fire-unknown-delegate.hex", "Delegate this account to 0x3C44…93BC (unknown code)"},
		{"rules/TG502-quiet-metamask-delegator.hex", "Delegate this account to MetaMask EIP-7702 Delegator"},
		{"rules/TG502-quiet-revoke-delegation.hex", "Remove this account's delegation (it becomes a plain account again)"},
		{"rules/TG604-fire-contract-creation.hex", "Deploy a new contract"},
		// JSON requests.
		{"request/request-approve.json", "Approve unlimited USDC to 0x3C44…93BC (unknown)"},
		{"request/request-minimal.json", "Send 0.25 ETH to Alice (friend)"},
		// Signatures.
		{"sign/permit2-single-envelope.json", "Sign a Permit2 allowance: unlimited USDC to 0x3C44…93BC (unknown)"},
		{"rules/TG202-fire-witness-transfer-unknown.json", "Sign a Permit2 transfer: 2,500 USDC to 0x3C44…93BC (unknown)"},
		{"rules/TG202-fire-batch-max-several-tokens.json", "Sign a Permit2 allowance: unlimited USDC and unlimited USDT to 0x0000…Beef (unknown)"},
		{"sign/usdc-permit-typeddata.json", "Sign a permit: 100 USDC to Uniswap V2 Router02"},
		{"rules/TG201-fire-dai-permit-allowed.json", "Sign a permit: an unlimited amount of Dai Stablecoin (DAI) to 0x0000…Beef (unknown)"},
		{"rules/TG204-fire-transfer-unknown.json", "Sign a transfer: 1,000 USDC to 0x3C44…93BC (unknown)"},
		{"rules/TG203-fire-all-to-stranger.json", "Sign OrderComponents for Seaport"},
		{"sign/blind-hash.hash", "Sign a blind hash (eth_sign): what it signs cannot be known"},
		{"sign/eth-sign-envelope.json", "Sign a blind hash (eth_sign): what it signs cannot be known"},
		{"sign/personal-text.txt", "Sign a text message"},
		{"sign/siwe-envelope.json", "Sign in to app.example.org"},
		// What smart accounts execute.
		{"benign/safetx-usdc-to-contact.json", "Sign a Safe transaction: send 2,500 USDC to Alice (friend)"},
		{"rules/TG101-fire-userop-7579-single-approve.json", "Sign an account operation: approve unlimited USDC to 0x3C44…93BC (unknown)"},
		{"benign/sendcalls-eth-to-contact.json", "Send 0.1 ETH to Alice (friend)"},
		{"rules/TG502-fire-userop-7702-auth-unknown.json", "Delegate this account to 0x3C44…93BC (unknown code)"},
		// Code.
		{"bytecode/oz-erc20-runtime.hex", "Contract code to inspect (runtime, 2580 bytes)"},
	} {
		t.Run(tc.have, func(t *testing.T) {
			v := checkFile(t, filepath.Join(fixtures, tc.have), fixtureConfig(t))
			if got := Headline(v); got != tc.want {
				t.Errorf("Headline = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHeadlineCorpus keeps the headline of every input in the corpus in
// one golden file: a change of wording shows as a diff to review.
func TestHeadlineCorpus(t *testing.T) {
	cfg := fixtureConfig(t)
	var b strings.Builder
	for _, g := range []string{"benign", "bytecode", "calls", "request", "rules", "sign", "tx"} {
		for _, p := range inputs(t, g) {
			v := checkFile(t, p, cfg)
			h := Headline(v)
			if h == "" {
				t.Errorf("%s: no headline", p)
			}
			rel, _ := filepath.Rel(fixtures, p)
			fmt.Fprintf(&b, "%s\t%s\t%s\n", filepath.ToSlash(rel), v.Level, h)
		}
	}
	corpus.Golden(t, filepath.Join(fixtures, "golden", "headlines.tsv"), []byte(b.String()), *update)
}

func TestHeadlineEmpty(t *testing.T) {
	if got := Headline(&Verdict{}); got != "" {
		t.Errorf("Headline of nothing decoded = %q, want empty", got)
	}
}

// FuzzHeadline: whatever decodes has a headline, and making it never
// panics (it walks calls and typed data an attacker shaped).
func FuzzHeadline(f *testing.F) {
	for _, g := range []string{"calls", "sign", "request", "tx", "benign"} {
		for _, p := range inputs(f, g) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := decode.Decode(in, decode.Options{Chain: 1})
		if err != nil {
			return
		}
		if h := Headline(Check(res, Config{Chain: 1})); h == "" && res.Kind != decode.KindDiff {
			t.Errorf("no headline for a decoded %s", res.Kind)
		}
	})
}
