package node

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// BenchmarkSimulate is what --rpc adds to a verdict, against go-ethereum's
// node serving JSON-RPC over HTTP on loopback (the code geth runs), beside
// its floor in the same run: one bare eth_simulateV1 request of the same
// calls. The budget: 150 ms for one call, 400 ms for ten.
func BenchmarkSimulate(b *testing.B) {
	c := newChain(b)
	nc, err := Dial(context.Background(), Config{URL: c.url})
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	buy := c.pack("Swapper", "buy")
	var ten []map[string]any
	for i := 0; i < 5; i++ {
		ten = append(ten, call(usdc, nil, c.pack("TestToken", "approve", c.swapper, usdcUnits(int64(i+1)))), call(c.swapper, ether(1), buy))
	}
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"one-call", request(c.user, c.drainer, ether(5), c.pack("Drainer", "claimRewards"), nil)},
		{"ten-call", sendCalls(c.user, ten...)},
	} {
		res, err := decode.Decode(tc.input, decode.Options{Chain: 1})
		if err != nil {
			b.Fatal(err)
		}
		cfg := guard.Config{Chain: 1}
		p := planFor(res, cfg)
		if len(p.calls) == 0 {
			b.Fatal(p.why)
		}
		b.Run(tc.name+"/floor-eth_simulateV1", func(b *testing.B) {
			ref := rpc.BlockNumberOrHashWithNumber(rpc.LatestBlockNumber)
			for b.Loop() {
				if _, err := nc.eth.SimulateV1(context.Background(), ethclient.SimulateOptions{
					BlockStateCalls: []ethclient.SimulateBlock{{Calls: p.calls}}, TraceTransfers: true}, &ref); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/txguard-simulate", func(b *testing.B) {
			var n int
			for b.Loop() {
				r := nc.Simulate(context.Background(), res, cfg)
				if r.Sim.Status != guard.SimOK {
					b.Fatal(r.Sim.Reason)
				}
				n = r.Sim.RoundTrips
			}
			b.ReportMetric(float64(n), "requests")
		})
		b.Run(tc.name+"/txguard-simulate+rules", func(b *testing.B) {
			for b.Loop() {
				r := nc.Simulate(context.Background(), res, cfg)
				cfg := cfg
				cfg.Sim = r.Sim
				if v := guard.Check(res, cfg); v.Level < guard.OK {
					b.Fatal(v.Level)
				}
			}
		})
	}
}
