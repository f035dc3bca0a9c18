package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// gethDevKeyHex is the developer key `geth --dev` imports into an empty
// keystore and prefunds with 2^256-9 wei in its genesis (go-ethereum
// cmd/utils/flags.go, DeveloperKey; the dev-mode banner prints it too). With
// a fresh --datadir the keystore is always empty, so this key is the faucet.
const gethDevKeyHex = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

// gethDevFunds is what Key starts with: 1000 ETH.
var gethDevFunds = new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))

// gethDev is a real `geth --dev` node on loopback, for the eth_simulateV1
// end-to-end tests: a fresh chain (chain id 1337) that mines a block as soon
// as a transaction arrives (--dev.period 0). .ci/build-geth builds the
// binary; startGethDev finds it through $TXGUARD_GETH and skips without it.
//
// Fund, Deploy and Send fail the test that started the node with t.Fatal,
// which must run on that test's goroutine: in a subtest, use g.With(t).
type gethDev struct {
	URL     string
	Client  *ethclient.Client
	Key     *ecdsa.PrivateKey // a fresh key, funded with 1000 ETH; Deploy sends from it
	Addr    common.Address    // Key's address
	ChainID *big.Int

	t   testing.TB // the test the helpers report to
	cmd *exec.Cmd
	*gethDevShared
}

// gethDevShared is the state that g.With(t) shares with g.
type gethDevShared struct {
	exited  chan struct{} // closed when cmd has exited
	logPath string
	faucet  *ecdsa.PrivateKey // the developer key: Fund sends from it
	mu      sync.Mutex        // one transaction at a time: nonces come from the node
	stop    sync.Once
}

// With returns g reporting to t, for a subtest (or a parallel test) that
// uses a node another test started.
func (g *gethDev) With(t testing.TB) *gethDev {
	c := *g
	c.t = t
	return &c
}

// startGethDev starts `geth --dev` with an ephemeral datadir and HTTP on a
// free loopback port, waits until it answers eth_chainId, and funds a fresh
// key with 1000 ETH. Stop (also run by t.Cleanup) kills the node; the log
// (warnings and errors) is printed when the test fails.
func startGethDev(t testing.TB) *gethDev {
	t.Helper()
	bin := os.Getenv("TXGUARD_GETH")
	if bin == "" {
		t.Skip("no geth binary: set TXGUARD_GETH, e.g. TXGUARD_GETH=$(bash .ci/build-geth)")
	}
	faucet, err := crypto.HexToECDSA(gethDevKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	var g *gethDev
	// The port is picked by listening on :0 and closing, so another process
	// can take it before geth binds it: on that clash, retry with a new one.
	for attempt := 1; ; attempt++ {
		var clash bool
		g, clash = launchGethDev(t, bin)
		if g != nil {
			break
		}
		if !clash || attempt == 3 {
			t.Fatalf("geth --dev did not start (attempt %d)", attempt)
		}
	}
	g.faucet = faucet
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bal, err := g.Client.BalanceAt(ctx, crypto.PubkeyToAddress(faucet.PublicKey), nil)
	if err != nil || bal.Sign() == 0 {
		t.Fatalf("geth --dev did not prefund its well-known developer key %s (balance %v, err %v): has go-ethereum changed how --dev picks its account?",
			crypto.PubkeyToAddress(faucet.PublicKey), bal, err)
	}
	if g.Key, err = crypto.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	g.Addr = crypto.PubkeyToAddress(g.Key.PublicKey)
	g.Fund(g.Addr, gethDevFunds)
	return g
}

// launchGethDev starts one geth and waits for it to answer. It returns nil
// and clash=true when the HTTP port was taken.
func launchGethDev(t testing.TB, bin string) (*gethDev, bool) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	dir := t.TempDir()
	g := &gethDev{
		URL: "http://127.0.0.1:" + strconv.Itoa(port),
		t:   t,
		gethDevShared: &gethDevShared{
			exited:  make(chan struct{}),
			logPath: filepath.Join(dir, "geth.log"),
		},
	}
	logf, err := os.Create(g.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own copy
	g.cmd = exec.Command(bin, "--dev", "--dev.period", "0",
		"--datadir", filepath.Join(dir, "data"), "--ipcdisable", "--nodiscover",
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(port),
		"--http.api", "eth,net,web3,debug,txpool", "--verbosity", "2")
	g.cmd.Stdout, g.cmd.Stderr = logf, logf
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.cmd.Wait(); close(g.exited) }()
	// Cleanups run last-in first-out: stop the node, then show its log.
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(g.logPath)
			t.Logf("geth log (%s):\n%s", g.logPath, b)
		}
	})
	t.Cleanup(g.Stop)

	rc, err := rpc.Dial(g.URL)
	if err != nil {
		t.Fatal(err)
	}
	g.Client = ethclient.NewClient(rc)
	t.Cleanup(g.Client.Close)
	const wait = 30 * time.Second
	for deadline := time.Now().Add(wait); ; time.Sleep(100 * time.Millisecond) {
		select {
		case <-g.exited:
			b, _ := os.ReadFile(g.logPath)
			if strings.Contains(string(b), "address already in use") {
				t.Logf("geth: port %d was taken, retrying", port)
				return nil, true
			}
			t.Fatalf("geth exited before answering: %v\n%s", g.cmd.ProcessState, b)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		id, err := g.Client.ChainID(ctx)
		cancel()
		if err == nil {
			g.ChainID = id
			return g, false
		}
		if time.Now().After(deadline) {
			t.Fatalf("geth did not answer eth_chainId on %s within %v: %v", g.URL, wait, err)
		}
	}
}

// Stop kills the node and waits for it to exit; later calls through Client
// fail at once (connection refused). Safe to call more than once.
func (g *gethDev) Stop() {
	g.stop.Do(func() {
		g.cmd.Process.Kill()
		<-g.exited
	})
}

// Fund sends wei to `to` from the developer account (not from Key, so Key's
// balance changes only by what the test does with it) and waits for the
// receipt.
func (g *gethDev) Fund(to common.Address, wei *big.Int) {
	g.t.Helper()
	if r := g.Send(g.faucet, to, wei, nil); r.Status != types.ReceiptStatusSuccessful {
		g.t.Fatalf("funding %s with %v wei failed: status %d", to, wei, r.Status)
	}
}

// Deploy sends a contract-creation transaction with bytecode (creation code)
// from Key, waits for the receipt and returns the new contract's address. A
// failed creation (status 0) fails the test.
func (g *gethDev) Deploy(bytecode []byte, value *big.Int) common.Address {
	g.t.Helper()
	r := g.send(g.Key, nil, value, bytecode)
	if r.Status != types.ReceiptStatusSuccessful {
		g.t.Fatalf("contract creation %s failed (status 0, gas used %d)", r.TxHash, r.GasUsed)
	}
	return r.ContractAddress
}

// Send signs an EIP-1559 transaction from key to `to` and waits for its
// receipt, which it returns whatever its status: a call that would revert is
// sent anyway, with a fixed gas limit, so tests can make failed transactions.
func (g *gethDev) Send(key *ecdsa.PrivateKey, to common.Address, value *big.Int, data []byte) *types.Receipt {
	g.t.Helper()
	return g.send(key, &to, value, data)
}

func (g *gethDev) send(key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) *types.Receipt {
	g.t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if value == nil {
		value = new(big.Int)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	from := crypto.PubkeyToAddress(key.PublicKey)
	fail := func(what string, err error) {
		g.t.Helper()
		g.t.Fatalf("geth: %s (from %s): %v", what, from, err)
	}
	nonce, err := g.Client.PendingNonceAt(ctx, from)
	if err != nil {
		fail("nonce", err)
	}
	head, err := g.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		fail("head", err)
	}
	tip, err := g.Client.SuggestGasTipCap(ctx)
	if err != nil {
		fail("tip", err)
	}
	gas, err := g.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	if err != nil {
		gas = 3_000_000
		g.t.Logf("geth: gas estimate failed (%v): sending with gas %d", err, gas)
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(g.ChainID), &types.DynamicFeeTx{
		ChainID:   g.ChainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas,
		To:        to,
		Value:     value,
		Data:      data,
	})
	if err != nil {
		fail("sign", err)
	}
	if err := g.Client.SendTransaction(ctx, tx); err != nil {
		fail("send "+tx.Hash().Hex(), err)
	}
	for {
		r, err := g.Client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			return r
		}
		// Right after start, the node may answer "transaction indexing is
		// in progress" until its indexer has caught up: not yet, like NotFound.
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "transaction indexing is in progress") {
			fail("receipt of "+tx.Hash().Hex(), err)
		}
		select {
		case <-ctx.Done():
			fail("receipt of "+tx.Hash().Hex(), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestGethDevHarness checks the harness itself against a real geth --dev:
// chain id, funding, a contract creation, eth_simulateV1 with
// traceTransfers, debug_traceCall with the callTracer, and Stop.
func TestGethDevHarness(t *testing.T) {
	started := time.Now()
	g := startGethDev(t)
	t.Logf("geth --dev at %s ready and Key %s funded in %v", g.URL, g.Addr, time.Since(started).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if g.ChainID.Cmp(big.NewInt(1337)) != 0 {
		t.Errorf("chain id %v, want 1337", g.ChainID)
	}
	if bal, err := g.Client.BalanceAt(ctx, g.Addr, nil); err != nil || bal.Cmp(gethDevFunds) != 0 {
		t.Errorf("Key's balance %v (%v), want %v", bal, err, gethDevFunds)
	}

	fresh := common.HexToAddress("0x00000000000000000000000000000000000f4e54")
	g.Fund(fresh, big.NewInt(12345))
	if bal, err := g.Client.BalanceAt(ctx, fresh, nil); err != nil || bal.Cmp(big.NewInt(12345)) != 0 {
		t.Errorf("funded address has %v (%v), want 12345", bal, err)
	}

	// Runtime (15 bytes): mstore(0, 42); log0(0, 32); return(0, 32).
	// Creation: codecopy(0, 12, 15); return(0, 15), then the runtime.
	runtime := common.FromHex("602a60005260206000a060206000f3")
	creation := append(common.FromHex("600f600c600039600f6000f3"), runtime...)
	contract := g.Deploy(creation, nil)
	if code, err := g.Client.CodeAt(ctx, contract, nil); err != nil || !bytes.Equal(code, runtime) {
		t.Errorf("code at %s: %x (%v), want %x", contract, code, err, runtime)
	}
	out, err := g.Client.CallContract(ctx, ethereum.CallMsg{From: g.Addr, To: &contract}, nil)
	if err != nil || new(big.Int).SetBytes(out).Int64() != 42 {
		t.Errorf("eth_call: %x (%v), want 42", out, err)
	}

	t.Run("eth_simulateV1 with traceTransfers logs the ETH transfer", func(t *testing.T) {
		to := common.HexToAddress("0x000000000000000000000000000000000000beef")
		oneEth := big.NewInt(params.Ether)
		latest := rpc.BlockNumberOrHashWithNumber(rpc.LatestBlockNumber)
		res, err := g.Client.SimulateV1(ctx, ethclient.SimulateOptions{
			BlockStateCalls: []ethclient.SimulateBlock{{Calls: []ethereum.CallMsg{{From: g.Addr, To: &to, Value: oneEth}}}},
			TraceTransfers:  true,
		}, &latest)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || len(res[0].Calls) != 1 {
			t.Fatalf("want 1 block with 1 call: %+v", res)
		}
		call := res[0].Calls[0]
		if call.Status != types.ReceiptStatusSuccessful || call.Error != nil {
			t.Fatalf("call status %d error %+v", call.Status, call.Error)
		}
		eth := common.HexToAddress("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE")
		transfer := crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
		var found bool
		for _, l := range call.Logs {
			if l.Address == eth && len(l.Topics) == 3 && l.Topics[0] == transfer &&
				common.BytesToAddress(l.Topics[1].Bytes()) == g.Addr && common.BytesToAddress(l.Topics[2].Bytes()) == to &&
				new(big.Int).SetBytes(l.Data).Cmp(oneEth) == 0 {
				found = true
			}
		}
		if !found {
			b, _ := json.Marshal(call.Logs)
			t.Errorf("no ETH transfer log from %s for 1 ETH %s -> %s in %s", eth, g.Addr, to, b)
		}
	})

	t.Run("debug_traceCall with the callTracer and logs", func(t *testing.T) {
		var frame struct {
			Type   string         `json:"type"`
			From   common.Address `json:"from"`
			To     common.Address `json:"to"`
			Output hexutil.Bytes  `json:"output"`
			Logs   []struct {
				Address common.Address `json:"address"`
				Data    hexutil.Bytes  `json:"data"`
			} `json:"logs"`
		}
		call := map[string]any{"from": g.Addr, "to": contract, "value": (*hexutil.Big)(big.NewInt(1))}
		err := g.Client.Client().CallContext(ctx, &frame, "debug_traceCall", call, "latest",
			map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}})
		if err != nil {
			t.Fatal(err)
		}
		if frame.Type != "CALL" || frame.From != g.Addr || frame.To != contract || new(big.Int).SetBytes(frame.Output).Int64() != 42 {
			t.Errorf("call frame %+v", frame)
		}
		if len(frame.Logs) != 1 || frame.Logs[0].Address != contract || new(big.Int).SetBytes(frame.Logs[0].Data).Int64() != 42 {
			t.Errorf("logs %+v, want the contract's one LOG0 of 42", frame.Logs)
		}
	})

	t.Run("Send returns a failed receipt for a reverting call", func(t *testing.T) {
		g := g.With(t)
		r := g.Send(g.Key, contract, nil, nil)
		if r.Status != types.ReceiptStatusSuccessful {
			t.Errorf("a plain call to the contract failed: %+v", r)
		}
		// Runtime (5 bytes): revert(0, 0); creation as above.
		reverter := g.Deploy(common.FromHex("6005600c60003960056000f3"+"60006000fd"), nil)
		if r := g.Send(g.Key, reverter, nil, nil); r.Status != types.ReceiptStatusFailed {
			t.Errorf("a call to the reverting contract: status %d, want 0", r.Status)
		}
	})

	t.Run("a stopped node fails calls at once", func(t *testing.T) {
		g.Stop()
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := g.Client.ChainID(ctx)
		took := time.Since(start)
		if err == nil {
			t.Fatal("eth_chainId answered after Stop")
		}
		if took > 2*time.Second {
			t.Errorf("eth_chainId took %v to fail after Stop: %v", took, err)
		}
		t.Logf("after Stop: %v (in %v)", err, took.Round(time.Millisecond))
		g.Stop() // idempotent
	})
}
