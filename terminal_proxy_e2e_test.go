package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// TestE2ETerminalProxy: txguard proxy in a real terminal in front of a
// real geth --dev, a wallet (go-ethereum's ethclient) sending signed
// transactions through it: the screen opens headed by the request, a
// approves (geth mines it), r rejects (the wallet gets 4001, geth never
// sees it), and a wallet that stops waiting while the screen is open gets
// nothing forwarded.
func TestE2ETerminalProxy(t *testing.T) {
	g := startGethDev(t)
	port := strconv.Itoa(freePort(t))
	p := startPane(t, 100, 30, nil, shellQuote(txguardBin)+" proxy --no-llm --upstream "+g.URL+" --listen 127.0.0.1:"+port+" --log audit.log")
	p.waitFor("listening on")
	wallet, err := ethclient.Dial("http://127.0.0.1:" + port)
	if err != nil {
		t.Fatal(err)
	}
	defer wallet.Close()
	ctx := context.Background()
	nonce, err := g.Client.PendingNonceAt(ctx, g.Addr)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(to common.Address, value *big.Int, data []byte) *types.Transaction {
		tx := types.MustSignNewTx(g.Key, types.LatestSignerForChainID(g.ChainID), &types.DynamicFeeTx{ChainID: g.ChainID, Nonce: nonce,
			GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(50e9), Gas: 100_000, To: &to, Value: value, Data: data})
		return tx
	}
	send := func(ctx context.Context, tx *types.Transaction) chan error {
		done := make(chan error, 1)
		go func() { done <- wallet.SendTransaction(ctx, tx) }()
		return done
	}
	mined := func(tx *types.Transaction) bool {
		_, _, err := g.Client.TransactionByHash(ctx, tx.Hash())
		return err == nil
	}

	// An unlimited approval to an unknown spender, on an address with no
	// code: danger. r rejects.
	spender := crypto.PubkeyToAddress(mustKey(t).PublicKey)
	approve := append(common.FromHex("0x095ea7b3"), append(common.LeftPadBytes(spender.Bytes(), 32), common.FromHex("0x"+strings.Repeat("ff", 32))...)...)
	risky := sign(common.HexToAddress("0x5e1dE5e1dE5e1dE5e1dE5e1dE5e1dE5e1dE5e1d"), new(big.Int), approve)
	done := send(ctx, risky)
	p.waitFor("asked: eth_sendRawTransaction")
	p.waitFor("r reject")
	p.keys("r")
	err = <-done
	var re rpc.Error
	if !errors.As(err, &re) || re.ErrorCode() != 4001 || !strings.HasPrefix(err.Error(), "txguard: ") {
		t.Errorf("rejected: the wallet got %v, want a 4001 error from txguard", err)
	}
	if mined(risky) {
		t.Errorf("the rejected transaction reached geth")
	}

	// A wallet that gives up while the screen is open: the screen closes,
	// nothing is forwarded.
	wctx, cancel := context.WithCancel(ctx)
	done = send(wctx, risky)
	p.waitFor("asked: eth_sendRawTransaction")
	cancel()
	<-done
	p.waitFor("the wallet stopped waiting")
	time.Sleep(200 * time.Millisecond)
	if mined(risky) {
		t.Errorf("a request whose wallet left reached geth")
	}

	// A plain payment: a approves, geth mines it.
	honest := sign(common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), big.NewInt(1e18), nil)
	done = send(ctx, honest)
	// The last screen's text may still be on the pane, and keys typed
	// before a screen is live are dropped: press a until it is taken.
	var sendErr error
	for pressed := false; !pressed; {
		p.keys("a")
		select {
		case sendErr = <-done:
			pressed = true
		case <-time.After(500 * time.Millisecond):
		}
	}
	if sendErr != nil {
		t.Fatalf("approved: the wallet got %v", sendErr)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if r, err := g.Client.TransactionReceipt(ctx, honest.Hash()); err == nil {
			if r.Status != 1 {
				t.Errorf("receipt status %d", r.Status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the approved transaction was never mined")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, err := os.ReadFile(p.dir + "/audit.log")
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	if strings.Count(log, `"decision":"rejected"`) != 2 || strings.Count(log, `"forwarded":true`) != 1 {
		t.Errorf("audit log:\n%s", log)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	addr := freeLoopback(t)
	_, port, _ := strings.Cut(addr, ":")
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
