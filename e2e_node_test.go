package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/txguard/txguard/fixtures"
)

// TestE2ENode runs the real txguard binary against a REAL `geth --dev`
// node: `check --rpc` simulates each request with eth_simulateV1 on a
// scene of compiled contracts (fixtures/chain) and rules TG1001-TG1009
// judge the effects. gethdev_test.go starts the node; the test skips
// unless TXGUARD_GETH names a geth binary (TXGUARD_GETH=$(bash .ci/build-geth)).
func TestE2ENode(t *testing.T) {
	started := time.Now()
	g := startGethDev(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// The scene: a victim with 20 ETH and 1,000 USDC (a TestToken with 6
	// decimals) who once approved a Drainer for the maximum; an honest
	// Swapper selling the same token at 2,000 per ETH; a Reverter.
	victimKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	victim := crypto.PubkeyToAddress(victimKey.PublicKey)
	attacker := common.HexToAddress("0x00000000000000000000000000000000a77ac4e5")
	g.Fund(victim, nodeEther(20))

	tokenC, drainerC, swapperC, reverterC := fixtures.ChainContract("TestToken"), fixtures.ChainContract("Drainer"),
		fixtures.ChainContract("Swapper"), fixtures.ChainContract("Reverter")
	usdc := g.Deploy(nodeDeployData(t, tokenC, "USD Coin", "USDC", uint8(6)), nil)
	oneThousandUSDC := big.NewInt(1_000_000_000) // 1,000 × 10^6
	nodeMustSucceed(t, "mint USDC to the victim", g.Send(g.Key, usdc, nil, nodePack(t, tokenC, "mint", victim, oneThousandUSDC)))
	drainer := g.Deploy(nodeDeployData(t, drainerC, attacker), nil)
	nodeMustSucceed(t, "Drainer.addToken", g.Send(g.Key, drainer, nil, nodePack(t, drainerC, "addToken", usdc)))
	maxUint := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	nodeMustSucceed(t, "the victim approves the Drainer", g.Send(victimKey, usdc, nil, nodePack(t, tokenC, "approve", drainer, maxUint)))
	tokensPerEth := big.NewInt(2_000_000_000) // 2,000 USDC per ETH
	swapper := g.Deploy(nodeDeployData(t, swapperC, usdc, tokensPerEth), nil)
	nodeMustSucceed(t, "fund the Swapper with USDC", g.Send(g.Key, usdc, nil, nodePack(t, tokenC, "mint", swapper, big.NewInt(100_000_000_000))))
	reverter := g.Deploy(nodeDeployData(t, reverterC), nil)

	victimETH, err := g.Client.BalanceAt(ctx, victim, nil)
	if err != nil {
		t.Fatal(err)
	}
	victimUSDC := nodeTokenBalance(ctx, t, g, tokenC, usdc, victim)
	head, err := g.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if victimUSDC.Cmp(oneThousandUSDC) != 0 {
		t.Fatalf("the victim holds %v USDC base units after the setup, want %v", victimUSDC, oneThousandUSDC)
	}
	t.Logf("scene ready in %v: victim %s (%s wei, %s USDC units), USDC %s, Drainer %s (attacker %s), Swapper %s, Reverter %s",
		time.Since(started).Round(time.Millisecond), victim, victimETH, victimUSDC, usdc, drainer, attacker, swapper, reverter)

	dir := t.TempDir()
	request := func(name, chainID string, to common.Address, value *big.Int, data []byte) string {
		t.Helper()
		req := map[string]string{
			"chainId": chainID,
			"from":    victim.Hex(),
			"to":      to.Hex(),
			"value":   hexutil.EncodeBig(value),
			"data":    hexutil.Encode(data),
			// The drain takes about 343,000 gas on geth --dev; with less,
			// the Drainer's try/catch swallows the token transfer's out
			// of gas and only the ETH leaves (which is then what signing
			// this request would do, and what the simulation shows).
			"gas": "0x7a120", // 500,000
		}
		b, err := json.MarshalIndent(req, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	drainReq := request("drainer", "0x539", drainer, nodeEther(5), nodePack(t, drainerC, "claimRewards"))
	swapReq := request("swap", "0x539", swapper, nodeEther(1), nodePack(t, swapperC, "buy"))
	revertReq := request("revert", "0x539", reverter, new(big.Int), nodePack(t, reverterC, "mintPass"))
	wrongChainReq := request("swap-chain1", "0x1", swapper, nodeEther(1), nodePack(t, swapperC, "buy"))

	check := func(t *testing.T, args ...string) (result, *nodeVerdict) {
		t.Helper()
		args = append([]string{"check", "--no-llm", "--format", "json"}, args...)
		r := runBinary(t, "", args...)
		t.Logf("txguard %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, strings.TrimSpace(r.stderr))
		if r.stdout == "" {
			return r, nil
		}
		var v nodeVerdict
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Fatalf("the verdict on stdout is not JSON: %v\n%s", err, r.stdout)
		}
		t.Logf("level %s, simulation %s (%s), findings: %s", v.Level, v.Simulation.Status, v.Simulation.Reason, v.findingsLine())
		return r, &v
	}
	// checkState fails the test if the victim's balances moved or a block
	// was mined (geth --dev mines as soon as a transaction arrives): check
	// simulates, it never sends.
	checkState := func(t *testing.T) {
		t.Helper()
		if n, err := g.Client.BlockNumber(ctx); err != nil || n != head {
			t.Errorf("the node's head is block %d (%v), was %d: something was sent", n, err, head)
		}
		bal, err := g.Client.BalanceAt(ctx, victim, nil)
		if err != nil {
			t.Fatal(err)
		}
		if bal.Cmp(victimETH) != 0 {
			t.Errorf("the victim's ETH balance changed on the node: %v, was %v", bal, victimETH)
		}
		if u := nodeTokenBalance(ctx, t, g, tokenC, usdc, victim); u.Cmp(victimUSDC) != 0 {
			t.Errorf("the victim's USDC balance changed on the node: %v, was %v", u, victimUSDC)
		}
		if n, err := g.Client.NonceAt(ctx, victim, nil); err != nil || n != 1 {
			t.Errorf("the victim's nonce is %d (%v), want 1 (the approval only)", n, err)
		}
	}

	t.Run("drainer: claimRewards with 5 ETH loses 5 ETH and all the USDC", func(t *testing.T) {
		r, v := check(t, "--rpc", g.URL, drainReq)
		if r.code != exitBlocked {
			t.Errorf("exit %d, want %d (blocked)", r.code, exitBlocked)
		}
		if v == nil {
			t.Fatalf("nothing on stdout; stderr %s", r.stderr)
		}
		if v.Simulation.Status != "ok" {
			t.Errorf("simulation status %q (%s), want ok", v.Simulation.Status, v.Simulation.Reason)
		}
		if v.Simulation.Facts.ChainID != 1337 {
			t.Errorf("simulation facts.chainId %d, want 1337", v.Simulation.Facts.ChainID)
		}
		if !strings.Contains(r.stderr, "txguard: simulated on ") {
			t.Errorf("stderr does not say it simulated: %q", r.stderr)
		}
		f := v.finding("TG1001")
		if f == nil {
			t.Fatalf("no TG1001; findings: %s", v.findingsLine())
		}
		if f.Severity != "critical" {
			t.Errorf("TG1001 is %s, want critical (all the victim's USDC leaves)", f.Severity)
		}
		// An unlisted token's symbol is its own claim, so it is quoted:
		// 1,000 "USDC" (unlisted token 0x…).
		for _, want := range []string{"lose", "5 ETH", "1,000 ", "USDC", "get nothing back"} {
			if !strings.Contains(f.Title, want) {
				t.Errorf("TG1001 title %q does not say %q", f.Title, want)
			}
		}
		if v.Level != "critical" {
			t.Errorf("level %s, want critical", v.Level)
		}
		for _, want := range []string{"-5 ETH", "-1,000 "} {
			if !v.hasChange(victim, want) {
				t.Errorf("simulation.changes has no %q for the victim: %s", want, v.changesLine())
			}
		}
		for _, want := range []string{"+5 ETH", "+1,000 "} {
			if !v.hasChange(attacker, want) {
				t.Errorf("simulation.changes has no %q for the attacker: %s", want, v.changesLine())
			}
		}
		if len(v.Simulation.Calls) != 1 || !v.Simulation.Calls[0].Success {
			t.Errorf("simulation.calls %+v, want one successful call", v.Simulation.Calls)
		}
		checkState(t)
	})

	t.Run("honest swap: buy() with 1 ETH is not blocked", func(t *testing.T) {
		r, v := check(t, "--rpc", g.URL, swapReq)
		if r.code != exitOK {
			t.Errorf("exit %d, want %d (below --fail-on danger)", r.code, exitOK)
		}
		if v == nil {
			t.Fatalf("nothing on stdout; stderr %s", r.stderr)
		}
		if v.Simulation.Status != "ok" {
			t.Errorf("simulation status %q (%s), want ok", v.Simulation.Status, v.Simulation.Reason)
		}
		if f := v.finding("TG1001"); f != nil && (f.Severity == "danger" || f.Severity == "critical") {
			t.Errorf("TG1001 at %s on an honest swap: %s", f.Severity, f.Title)
		}
		if !v.hasChange(victim, "-1 ETH") {
			t.Errorf("simulation.changes has no -1 ETH for the victim: %s", v.changesLine())
		}
		if !v.hasChange(victim, "+2,000 ") {
			t.Errorf("simulation.changes has no +2,000 USDC for the victim: %s", v.changesLine())
		}
		checkState(t)
	})

	t.Run("reverting call: TG1003 with the reason, caution", func(t *testing.T) {
		r, v := check(t, "--rpc", g.URL, revertReq)
		if r.code != exitOK {
			t.Errorf("exit %d, want %d with the default --fail-on danger", r.code, exitOK)
		}
		if v == nil {
			t.Fatalf("nothing on stdout; stderr %s", r.stderr)
		}
		f := v.finding("TG1003")
		if f == nil {
			t.Fatalf("no TG1003; findings: %s", v.findingsLine())
		}
		if !strings.Contains(f.Title, "sale not active") {
			t.Errorf("TG1003 title %q does not give the revert reason", f.Title)
		}
		if f.Severity != "caution" {
			t.Errorf("TG1003 is %s, want caution", f.Severity)
		}
		if len(v.Simulation.Calls) != 1 || v.Simulation.Calls[0].Success || !strings.Contains(v.Simulation.Calls[0].Revert, "sale not active") {
			t.Errorf("simulation.calls %+v, want one failed call with the reason", v.Simulation.Calls)
		}
		r, _ = check(t, "--rpc", g.URL, "--fail-on", "caution", revertReq)
		if r.code != exitBlocked {
			t.Errorf("with --fail-on caution: exit %d, want %d", r.code, exitBlocked)
		}
	})

	t.Run("wrong chain: a request for chain 1 is not simulated on chain 1337", func(t *testing.T) {
		r, v := check(t, "--rpc", g.URL, wrongChainReq)
		if v == nil {
			t.Fatalf("nothing on stdout (exit %d); stderr %s", r.code, r.stderr)
		}
		if r.code == exitInternal || r.code == exitInput {
			t.Errorf("exit %d: a node on another chain is a finding, not an error", r.code)
		}
		f := v.finding("TG1005")
		if f == nil {
			t.Fatalf("no TG1005; findings: %s", v.findingsLine())
		}
		if f.Severity != "caution" {
			t.Errorf("TG1005 is %s, want caution", f.Severity)
		}
		if v.Simulation.Status != "unavailable" {
			t.Errorf("simulation status %q, want unavailable", v.Simulation.Status)
		}
		if v.Simulation.Facts.ChainID != 1337 {
			t.Errorf("simulation facts.chainId %d, want 1337 (the node's)", v.Simulation.Facts.ChainID)
		}
		if len(v.Simulation.Transfers) != 0 || len(v.Simulation.Changes) != 0 {
			t.Errorf("a request for another chain has simulated effects: %s", v.changesLine())
		}
		if !strings.Contains(r.stderr, "not simulated") {
			t.Errorf("stderr does not say it was not simulated: %q", r.stderr)
		}
		checkState(t)
	})

	t.Run("text format: the drainer shows the node's balance changes", func(t *testing.T) {
		args := []string{"check", "--no-llm", "--rpc", g.URL, "--format", "text", drainReq}
		r := runBinary(t, "", args...)
		t.Logf("txguard %s: exit %d\nstdout:\n%s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		if r.code != exitBlocked {
			t.Errorf("exit %d, want %d", r.code, exitBlocked)
		}
		i := strings.Index(r.stdout, "your node:")
		if i < 0 {
			t.Fatalf("no \"your node:\" section in the text report")
		}
		if !strings.Contains(r.stdout[i:], "-5 ETH") {
			t.Errorf("the \"your node:\" section does not show -5 ETH")
		}
		if !strings.Contains(r.stdout, "TG1001") {
			t.Errorf("the text report does not name TG1001")
		}
		checkState(t)
	})

	t.Run("a remote node is refused before any connection", func(t *testing.T) {
		start := time.Now()
		r := runBinary(t, "", "check", "--no-llm", "--rpc", "http://203.0.113.7:8545", "--format", "json", drainReq)
		took := time.Since(start)
		t.Logf("exit %d in %v; stderr: %s", r.code, took.Round(time.Millisecond), strings.TrimSpace(r.stderr))
		if r.code != exitInput {
			t.Errorf("exit %d, want %d (usage error)", r.code, exitInput)
		}
		if r.stdout != "" {
			t.Errorf("stdout is not empty:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "--allow-remote-rpc") {
			t.Errorf("stderr does not mention --allow-remote-rpc: %q", r.stderr)
		}
		// 203.0.113.0/24 (TEST-NET-3) is unroutable: any connection attempt
		// would hang until --rpc-timeout (5s).
		if took > time.Second {
			t.Errorf("took %v: a refused address must fail before connecting", took)
		}
	})

	// Last: it stops the node.
	t.Run("node stopped mid-run: the rules' verdict stands, and says so", func(t *testing.T) {
		if os.Getenv("ETH_RPC_URL") != "" {
			t.Setenv("ETH_RPC_URL", "")
		}
		rules, rv := check(t, drainReq) // no --rpc: the rules alone
		if rv == nil {
			t.Fatalf("rules alone: nothing on stdout; stderr %s", rules.stderr)
		}
		g.Stop()
		start := time.Now()
		r, v := check(t, "--rpc", g.URL, drainReq)
		took := time.Since(start)
		t.Logf("with the node stopped: exit %d in %v", r.code, took.Round(time.Millisecond))
		if r.code == exitInternal {
			t.Errorf("exit %d: a node that is down is not an internal error", r.code)
		}
		if v == nil {
			t.Fatalf("no JSON verdict on stdout; stderr %s", r.stderr)
		}
		if r.code != rules.code {
			t.Errorf("exit %d, want %d, the rules' alone", r.code, rules.code)
		}
		if v.Level != rv.Level {
			t.Errorf("level %s, want %s, the rules' alone", v.Level, rv.Level)
		}
		if got, want := v.findingsLine(), rv.findingsLine(); got != want {
			t.Errorf("findings %s, want the rules' alone: %s", got, want)
		}
		if v.Simulation.Status != "unavailable" {
			t.Errorf("simulation status %q, want unavailable", v.Simulation.Status)
		}
		if reason := strings.ToLower(v.Simulation.Reason); !strings.Contains(reason, "connect") && !strings.Contains(reason, "refused") {
			t.Errorf("simulation reason %q does not mention the connection", v.Simulation.Reason)
		}
		if !strings.Contains(r.stderr, "txguard: not simulated") {
			t.Errorf("stderr does not say \"not simulated\": %q", r.stderr)
		}
		if took > 3*time.Second {
			t.Errorf("took %v: a refused connection must not wait for --rpc-timeout", took)
		}
	})
	t.Logf("TestE2ENode took %v", time.Since(started).Round(time.Millisecond))
}

// nodeVerdict is the part of `check --format json` these tests read.
type nodeVerdict struct {
	Level      string        `json:"level"`
	Findings   []nodeFinding `json:"findings"`
	Simulation nodeSim       `json:"simulation"`
}

type nodeFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
}

type nodeSim struct {
	Status    string            `json:"status"`
	Reason    string            `json:"reason"`
	Transfers []json.RawMessage `json:"transfers"`
	Changes   []struct {
		Holder common.Address `json:"holder"`
		Human  string         `json:"human"`
	} `json:"changes"`
	Approvals []json.RawMessage `json:"approvals"`
	Calls     []struct {
		Success bool   `json:"success"`
		Revert  string `json:"revert"`
	} `json:"calls"`
	Facts struct {
		ChainID uint64 `json:"chainId"`
	} `json:"facts"`
}

func (v *nodeVerdict) finding(rule string) *nodeFinding {
	for i := range v.Findings {
		if v.Findings[i].Rule == rule {
			return &v.Findings[i]
		}
	}
	return nil
}

func (v *nodeVerdict) findingsLine() string {
	var s []string
	for _, f := range v.Findings {
		s = append(s, fmt.Sprintf("%s/%s %q", f.Rule, f.Severity, f.Title))
	}
	return "[" + strings.Join(s, "; ") + "]"
}

// hasChange reports whether the simulation's changes give holder a
// change whose human form is want ("-5 ETH") or, for want ending in a
// space ("+1,000 "), starts with want and names USDC.
func (v *nodeVerdict) hasChange(holder common.Address, want string) bool {
	for _, c := range v.Simulation.Changes {
		if c.Holder != holder {
			continue
		}
		if c.Human == want || strings.HasSuffix(want, " ") && strings.HasPrefix(c.Human, want) && strings.Contains(c.Human, "USDC") {
			return true
		}
	}
	return false
}

func (v *nodeVerdict) changesLine() string {
	var s []string
	for _, c := range v.Simulation.Changes {
		s = append(s, c.Holder.Hex()+" "+c.Human)
	}
	return "[" + strings.Join(s, "; ") + "]"
}

func nodeEther(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

func nodeDeployData(t *testing.T, c fixtures.Contract, args ...any) []byte {
	t.Helper()
	b, err := c.DeployData(args...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func nodePack(t *testing.T, c fixtures.Contract, method string, args ...any) []byte {
	t.Helper()
	b, err := c.ABI.Pack(method, args...)
	if err != nil {
		t.Fatalf("%s.%s: %v", c.Name, method, err)
	}
	return b
}

func nodeMustSucceed(t *testing.T, what string, r *types.Receipt) {
	t.Helper()
	if r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("%s: transaction %s failed (status %d)", what, r.TxHash, r.Status)
	}
}

// nodeTokenBalance reads token.balanceOf(owner) on the node.
func nodeTokenBalance(ctx context.Context, t *testing.T, g *gethDev, c fixtures.Contract, token, owner common.Address) *big.Int {
	t.Helper()
	out, err := g.Client.CallContract(ctx, ethereum.CallMsg{To: &token, Data: nodePack(t, c, "balanceOf", owner)}, nil)
	if err != nil {
		t.Fatalf("balanceOf(%s) on %s: %v", owner, token, err)
	}
	return new(big.Int).SetBytes(out)
}
