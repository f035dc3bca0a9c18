package node

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

var update = flag.Bool("update", false, "rewrite the recorded fixtures/rules/TG10xx simulations")

// scenario is one input judged with what the node says of it.
type scenario struct {
	name  string // the fixture it is recorded as: fixtures/rules/<name>
	input []byte
	cfg   guard.Config
	// want are rule IDs that must fire, at least at the level given;
	// quiet are rule IDs that must not.
	want  map[string]guard.Level
	quiet []string
	// says are words the verdict's findings must contain.
	says []string
	// unavailable: the node refuses to simulate it (and says why).
	unavailable bool
	// norecord: not a rule fixture (it needs --intent, which a fixture
	// file does not carry).
	norecord bool
}

func (c *chain) scenarios() []scenario {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	claim := c.pack("Drainer", "claimRewards")
	buy := c.pack("Swapper", "buy")
	batch := func(calls ...[3]any) []byte {
		type call7821 struct {
			To    common.Address
			Value *big.Int
			Data  []byte
		}
		var cs []call7821
		for _, x := range calls {
			cs = append(cs, call7821{x[0].(common.Address), x[1].(*big.Int), x[2].([]byte)})
		}
		mode := common.HexToHash("0x0100000000000000000000000000000000000000000000000000000000000000")
		args := fixtures7821Calls()
		enc, err := args.Pack(cs)
		if err != nil {
			c.t.Fatal(err)
		}
		return c.pack("Batcher7821", "execute", mode, enc)
	}
	return []scenario{
		{name: "TG1001-fire-drainer-claim-rewards.json", input: request(c.user, c.drainer, ether(5), claim, nil),
			want: map[string]guard.Level{"TG1001": guard.Critical}, quiet: []string{"TG1003"},
			says: []string{"You lose 5 ETH and 1,000 USDC", "get nothing back", "all the account held of USDC"}},
		// A drainer that hides from simulations: each trick must fail.
		{name: "TG1001-fire-evader-gas-price.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimGasPrice"), map[string]any{"gas": nil}),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-evader-base-fee.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimBaseFee"), map[string]any{"gas": nil}),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-evader-low-gas.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimLowGas"), map[string]any{"gas": nil}),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-evader-wei-back.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimDust"), nil),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-evader-fake-nft.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimFakeNFT"), nil),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-evader-to-multicall.json", input: request(c.user, c.evader, nil, c.pack("Evader", "claimToMulticall"), nil),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-fire-sendcalls-evader-gas-price.json", input: sendCalls(c.user, call(c.evader, nil, c.pack("Evader", "claimGasPrice")), call(c.evader, nil, c.pack("Evader", "claimLowGas"))),
			want: map[string]guard.Level{"TG1001": guard.Critical}},
		{name: "TG1001-quiet-swap-eth-for-usdc.json", input: request(c.user, c.swapper, ether(1), buy, nil),
			quiet: []string{"TG1001", "TG1002", "TG1003", "TG1004"}},
		{name: "TG1001-quiet-plain-payment.json", input: request(c.user, attacker, ether(1), nil, nil),
			quiet: []string{"TG1001", "TG1008"}},
		{name: "TG1001-fire-7702-evil-delegate.hex", input: c.setCode(c.evil, batch([3]any{usdc, new(big.Int), c.pack("TestToken", "transfer", attacker, usdcUnits(1))})),
			want: map[string]guard.Level{"TG1001": guard.Critical}, says: []string{"of the account's ETH"}},
		{name: "TG1001-quiet-7702-batch-pays-contact.hex", input: c.setCode(c.batcher, batch([3]any{c.swapper, ether(1), buy})),
			quiet: []string{"TG1001", "TG1002", "TG1003"}},
		{name: "TG1001-fire-safetx-drainer.json", input: safeTx(c.drainer, ether(5), claim),
			want: map[string]guard.Level{"TG1001": guard.Danger}, says: []string{"loses 5 ETH"}},
		{name: "TG1001-fire-safetx-relayed-drainer.json", input: safeTxFor(smartSafe, c.evader, ether(5), c.pack("Evader", "claimRelayed")),
			want: map[string]guard.Level{"TG1001": guard.Danger}, says: []string{"loses 5 ETH"}},
		{name: "TG1002-fire-sneaky-transfer.json", input: request(c.user, c.sneaky, nil, c.pack("SneakyToken", "transfer", common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), ether(1)), nil),
			want: map[string]guard.Level{"TG1002": guard.Critical}, says: []string{"Hidden approval"}},
		{name: "TG1002-quiet-approve-shown.json", input: request(c.user, usdc, nil, c.pack("TestToken", "approve", c.swapper, usdcUnits(100)), nil),
			quiet: []string{"TG1002"}},
		{name: "TG1003-fire-mint-not-active.json", input: request(c.user, c.reverter, ether(1), c.pack("Reverter", "mintPass"), nil),
			want: map[string]guard.Level{"TG1003": guard.Caution}, quiet: []string{"TG1001"}, says: []string{"Reverter: sale not active"}},
		{name: "TG1003-quiet-batch-succeeds.json", input: sendCalls(c.user, call(usdc, nil, c.pack("TestToken", "approve", c.swapper, usdcUnits(10))), call(c.swapper, ether(1), buy)),
			quiet: []string{"TG1003", "TG1001"}},
		{name: "TG1004-fire-swap-to-evil-delegate.hex", input: c.setCode(c.evil, swapV2(c.user)),
			want: map[string]guard.Level{"TG1004": guard.Danger, "TG1001": guard.Critical}, says: []string{"A trade (swapExactETHForTokens) that returns nothing"}},
		{name: "TG1004-intent-swap-nothing-back.json", input: request(c.user, c.drainer, ether(2), claim, nil), cfg: guard.Config{Intent: "swap 2 ETH for USDC"},
			want: map[string]guard.Level{"TG1004": guard.Danger}, says: []string{"You expect something back"}, norecord: true},
		{name: "TG1004-intent-pay-less.json", input: request(c.user, c.drainer, ether(2), claim, nil), cfg: guard.Config{Intent: "pay 0.1 ETH for the mint"},
			want: map[string]guard.Level{"TG1004": guard.Danger}, says: []string{"You said 0.1 ETH; the simulation takes 2 ETH"}, norecord: true},
		{name: "TG1004-quiet-swap-intent-honest.json", input: request(c.user, c.swapper, ether(2), buy, nil), cfg: guard.Config{Intent: "swap 2 ETH for USDC"},
			quiet: []string{"TG1004"}},
		{name: "TG1005-fire-optimism-tx-on-mainnet-node.json", input: request(c.user, c.swapper, ether(1), buy, map[string]any{"chainId": "0xa"}),
			unavailable: true, want: map[string]guard.Level{"TG1005": guard.Caution}, quiet: []string{"TG1001"}},
		{name: "TG1005-quiet-mainnet-tx.json", input: request(c.user, c.swapper, ether(1), buy, nil),
			quiet: []string{"TG1005"}},
		{name: "TG1006-fire-nonce-gap.json", input: request(c.user, c.swapper, ether(1), buy, map[string]any{"nonce": "0x9"}),
			want: map[string]guard.Level{"TG1006": guard.Caution}},
		{name: "TG1006-quiet-next-nonce.json", input: request(c.user, c.swapper, ether(1), buy, map[string]any{"nonce": hexutil.Uint64(c.nonce(c.user))}),
			quiet: []string{"TG1006"}},
		{name: "TG1007-fire-more-than-balance.json", input: request(c.user, attacker, ether(150), nil, nil), unavailable: true,
			want: map[string]guard.Level{"TG1007": guard.Caution}},
		{name: "TG1007-quiet-within-balance.json", input: request(c.user, attacker, ether(99), nil, map[string]any{"maxFeePerGas": "0x3b9aca00"}),
			quiet: []string{"TG1007"}},
		{name: "TG1008-fire-approve-on-account.json", input: request(c.user, attacker, nil, c.pack("TestToken", "approve", c.swapper, max), nil),
			want: map[string]guard.Level{"TG1008": guard.Caution}},
		{name: "TG1008-quiet-approve-on-token.json", input: request(c.user, usdc, nil, c.pack("TestToken", "approve", c.swapper, usdcUnits(5)), nil),
			quiet: []string{"TG1008"}},
		{name: "TG1009-fire-permit-all-usdc.json", input: permit(c.user, attacker, max),
			want: map[string]guard.Level{"TG1009": guard.Info}, says: []string{"1,000 USDC: all you hold"}},
		{name: "TG1010-fire-log-flood.json", input: request(c.user, flooder, nil, common.LeftPadBytes(big.NewInt(5000).Bytes(), 32), map[string]any{"gas": "0x1c9c380"}),
			want: map[string]guard.Level{"TG1010": guard.Danger}, says: []string{"more than 4096 logs"}},
		{name: "TG1010-fire-answer-flood.json", input: request(c.user, flooder, nil, common.LeftPadBytes(big.NewInt(20000).Bytes(), 32), map[string]any{"gas": "0x1c9c380"}),
			unavailable: true, want: map[string]guard.Level{"TG1010": guard.Danger}, says: []string{"MiB"}},
		{name: "TG1010-quiet-few-logs.json", input: request(c.user, flooder, nil, common.LeftPadBytes(big.NewInt(10).Bytes(), 32), nil),
			quiet: []string{"TG1010"}},
		{name: "TG1009-quiet-no-node-facts.json", input: request(c.user, c.swapper, ether(1), buy, nil),
			quiet: []string{"TG1009"}},
	}
}

// TestSimulate runs every scenario on the in-process node and judges it;
// with -update it records input and simulation as rule fixtures, which
// guard's tests judge offline.
func TestSimulate(t *testing.T) {
	c := newChain(t)
	nc, err := Dial(wait(t), Config{URL: c.url})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, sc := range c.scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			res, err := decode.Decode(sc.input, decode.Options{Chain: 1})
			if err != nil {
				t.Fatal(err)
			}
			cfg := sc.cfg
			cfg.Chain = 1
			r := nc.Simulate(wait(t), res, cfg)
			if ok := r.Sim.Status == guard.SimOK || r.Sim.Status == guard.SimExposure; ok == sc.unavailable {
				t.Fatalf("status %s: %s", r.Sim.Status, r.Sim.Reason)
			}
			cfg.Sim = r.Sim
			v := guard.Check(res, cfg)
			text := findingsText(v)
			for id, lvl := range sc.want {
				i := slices.IndexFunc(v.Findings, func(f guard.Finding) bool { return f.Rule == id })
				if i < 0 || v.Findings[i].Severity < lvl {
					t.Errorf("%s: want %s at %s or above; findings:\n%s\nsimulation: %s", id, id, lvl, text, simJSON(t, r.Sim))
				}
			}
			for _, id := range sc.quiet {
				if slices.ContainsFunc(v.Findings, func(f guard.Finding) bool { return f.Rule == id }) {
					t.Errorf("%s fired:\n%s\nsimulation: %s", id, text, simJSON(t, r.Sim))
				}
			}
			for _, s := range sc.says {
				if !strings.Contains(text, s) {
					t.Errorf("the findings do not say %q:\n%s", s, text)
				}
			}
			if *update && !sc.norecord {
				dir := filepath.Join("..", "..", "fixtures", "rules")
				if err := os.WriteFile(filepath.Join(dir, sc.name), sc.input, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, sc.name+".sim"), append(simJSON(t, r.Sim), '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func findingsText(v *guard.Verdict) string {
	var b strings.Builder
	for _, f := range v.Findings {
		b.WriteString(f.Rule + " " + f.Severity.String() + ": " + f.Title + " — " + f.Explanation + "\n")
	}
	return b.String()
}

// simJSON is a simulation as recorded: the node's address left out, since
// the in-process node's port changes from run to run.
func simJSON(t testing.TB, s *guard.Simulation) []byte {
	cp := *s
	cp.Node = "http://127.0.0.1:8545"
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b)
}

// swapV2 is Uniswap V2's swapExactETHForTokens to recipient.
func swapV2(recipient common.Address) []byte {
	a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"swapExactETHForTokens","inputs":[{"name":"amountOutMin","type":"uint256"},{"name":"path","type":"address[]"},{"name":"to","type":"address"},{"name":"deadline","type":"uint256"}]}]`))
	if err != nil {
		panic(err)
	}
	weth := common.HexToAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
	b, err := a.Pack("swapExactETHForTokens", big.NewInt(1), []common.Address{weth, usdc}, recipient, big.NewInt(1893456000))
	if err != nil {
		panic(err)
	}
	return b
}
