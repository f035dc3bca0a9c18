package proxy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/log"
	gnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
)

// What a pass-through costs a wallet: eth_blockNumber, a read the proxy
// forwards unjudged, straight to an in-process go-ethereum node (the
// floor) and through the proxy in front of it (proxy.New's ServeHTTP on
// an httptest server, with a stub judge that reads never reach). Run:
//
//	go test ./prompts/proxy -run '^$' -bench PassThrough -benchtime 3x
//
// BenchmarkPassThrough/clients=200: one iteration is a round of 5,000
// requests each way from 200 concurrent clients, direct then proxied, on
// the same node; it reports the p50 and p99 latency of one request each
// way and what the proxy adds (p50-added-µs, p99-added-µs). On 2 cores
// the clients, the node and the proxy share the CPU, so this is latency
// under saturation; clients=1, one client sending 1,000 a round, is the
// proxy's own cost per request. upstream-timewait counts the connections
// to the node closed during the run (in TIME_WAIT, as the closer leaves
// them): the direct clients keep theirs alive, so these are the proxy's,
// each one it opened for a request rather than reuse one.
//
// BenchmarkPassThroughHeap: 100,000 requests through the proxy from 200
// clients (split over the iterations), and the heap after GC,
// goroutines and upstream connections they leave behind.

const (
	benchClients = 200
	benchHeapN   = 100_000
)

var blockNumberReq = []byte(`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`)

func BenchmarkPassThrough(b *testing.B) {
	up := startBenchNode(b)
	px := startBenchProxy(b, up)
	want := benchWant(b, up)
	floor := startFloorProxy(b, up)
	for _, clients := range []int{200, 1} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			round := max(clients*25, 1000)
			hc := benchHTTPClient()
			defer hc.CloseIdleConnections()
			var direct, bare, proxied []time.Duration
			tw0, _ := timeWait(up)
			b.ResetTimer()
			for range b.N {
				direct = append(direct, benchLoad(b, hc, up, want, clients, round)...)
				bare = append(bare, benchLoad(b, hc, floor, want, clients, round)...)
				proxied = append(proxied, benchLoad(b, hc, px.URL, want, clients, round)...)
			}
			b.StopTimer()
			d50, d99 := percentiles(direct)
			f50, f99 := percentiles(bare)
			p50, p99 := percentiles(proxied)
			// The floor of any HTTP proxy on this machine: the standard
			// library's reverse proxy, doing nothing but forward.
			b.ReportMetric(µs(f50-d50), "p50-bare-proxy-added-µs")
			b.ReportMetric(µs(f99-d99), "p99-bare-proxy-added-µs")
			b.ReportMetric(0, "ns/op") // a round is no unit: the latencies are
			b.ReportMetric(µs(d50), "p50-direct-µs")
			b.ReportMetric(µs(d99), "p99-direct-µs")
			b.ReportMetric(µs(p50), "p50-proxy-µs")
			b.ReportMetric(µs(p99), "p99-proxy-µs")
			b.ReportMetric(µs(p50-d50), "p50-added-µs")
			b.ReportMetric(µs(p99-d99), "p99-added-µs")
			if n, ok := timeWait(up); ok {
				b.ReportMetric(float64(n-tw0), "upstream-timewait")
			}
		})
	}
	if px.judged.Load() != 0 {
		b.Errorf("the judge was asked %d times: reads must never reach it", px.judged.Load())
	}
}

// startFloorProxy serves net/http/httputil's reverse proxy in front of
// the node, with the transport settings txguard's proxy uses (kept-alive
// connections, no compression on loopback): what forwarding alone costs.
func startFloorProxy(b *testing.B, upstream string) string {
	u, err := url.Parse(upstream)
	if err != nil {
		b.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}
	srv := httptest.NewServer(rp)
	b.Cleanup(srv.Close)
	return srv.URL
}

func BenchmarkPassThroughHeap(b *testing.B) {
	up := startBenchNode(b)
	px := startBenchProxy(b, up)
	want := benchWant(b, up)
	hc := benchHTTPClient()
	benchLoad(b, hc, px.URL, want, benchClients, benchClients) // connections and buffers in place
	hc.CloseIdleConnections()

	before, gBefore := heapAfterGC()
	tw0, _ := timeWait(up)
	b.ResetTimer()
	for i := range b.N {
		n := benchHeapN / b.N
		if i == 0 {
			n += benchHeapN % b.N
		}
		benchLoad(b, hc, px.URL, want, benchClients, n)
	}
	b.StopTimer()
	hc.CloseIdleConnections()
	time.Sleep(100 * time.Millisecond) // closed connections' goroutines end
	after, gAfter := heapAfterGC()
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(int64(after)-int64(before))/1024, "heap-growth-KiB")
	b.ReportMetric(float64(after)/1024, "heap-after-KiB")
	b.ReportMetric(float64(gAfter-gBefore), "goroutine-growth")
	if tw, ok := timeWait(up); ok {
		b.ReportMetric(float64(tw-tw0), "upstream-timewait")
	}
	if px.judged.Load() != 0 {
		b.Errorf("the judge was asked %d times: reads must never reach it", px.judged.Load())
	}
}

// benchProxy is a proxy on an httptest server, with a stub judge that
// counts how often it is asked.
type benchProxy struct {
	*httptest.Server
	judged atomic.Int64
}

func startBenchProxy(b *testing.B, upstream string) *benchProxy {
	b.Helper()
	p := &benchProxy{}
	srv, err := New(Config{Upstream: upstream, Judge: func(context.Context, Request) Decision {
		p.judged.Add(1)
		return Decision{Forward: true}
	}})
	if err != nil {
		b.Fatal(err)
	}
	p.Server = httptest.NewServer(srv)
	b.Cleanup(p.Close)
	return p
}

// startBenchNode runs a go-ethereum node in process, as
// prompts/node/chain_test.go does but smaller: a dev genesis, no blocks,
// HTTP with the eth namespace on a loopback port of its own.
//
// TXGUARD_BENCH_UPSTREAM names another node instead (a geth --dev process:
// the proxy and the node then do not share a Go runtime).
func startBenchNode(b *testing.B) string {
	b.Helper()
	if u := os.Getenv("TXGUARD_BENCH_UPSTREAM"); u != "" {
		return u
	}
	log.SetDefault(log.NewLogger(log.DiscardHandler()))
	nc := gnode.DefaultConfig
	nc.DataDir, nc.P2P = "", p2p.Config{NoDiscovery: true}
	nc.HTTPHost, nc.HTTPPort = "127.0.0.1", 0
	nc.HTTPModules = []string{"eth"}
	stack, err := gnode.New(&nc)
	if err != nil {
		b.Fatal(err)
	}
	cfg := *params.AllDevChainProtocolChanges
	cfg.ChainID = big.NewInt(1337)
	ec := ethconfig.Defaults
	ec.Genesis = &core.Genesis{Config: &cfg, GasLimit: ethconfig.Defaults.Miner.GasCeil, Alloc: core.SystemContractAllocs()}
	ec.NetworkId, ec.SyncMode = 1337, ethconfig.FullSync
	if _, err := eth.New(stack, &ec); err != nil {
		b.Fatal(err)
	}
	if err := stack.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stack.Close() })
	return stack.HTTPEndpoint()
}

func benchHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxIdleConns: 2 * benchClients}, Timeout: time.Minute}
}

// benchWant is the node's own answer to eth_blockNumber.
func benchWant(b *testing.B, up string) []byte {
	b.Helper()
	resp, err := http.Post(up, "application/json", bytes.NewReader(blockNumberReq))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	want, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("the node: HTTP %d %q %v", resp.StatusCode, want, err)
	}
	return want
}

// benchLoad sends n eth_blockNumber requests from clients clients at
// once, each sending its share one after another on a kept-alive
// connection, checks every answer is want, byte for byte, and returns
// each request's latency.
func benchLoad(b *testing.B, hc *http.Client, target string, want []byte, clients, n int) []time.Duration {
	lat := make([]time.Duration, n)
	var (
		wg   sync.WaitGroup
		bad  atomic.Int64
		mu   sync.Mutex
		last string
	)
	per := (n + clients - 1) / clients
	for c := range clients {
		lo, hi := c*per, min((c+1)*per, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				start := time.Now()
				resp, err := hc.Post(target, "application/json", bytes.NewReader(blockNumberReq))
				var got []byte
				if err == nil {
					got, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(start)
				if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
					bad.Add(1)
					mu.Lock()
					if err != nil {
						last = err.Error()
					} else {
						last = fmt.Sprintf("HTTP %d %q", resp.StatusCode, got)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if k := bad.Load(); k > 0 {
		b.Fatalf("%s: %d of %d answers were not the node's %q, e.g. %s", target, k, n, want, last)
	}
	return lat
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)*50/100], s[len(s)*99/100]
}

func µs(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func heapAfterGC() (uint64, int) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, runtime.NumGoroutine()
}

// timeWait counts the IPv4 connections to the node's port in TIME_WAIT
// (Linux's /proc/net/tcp): each is an upstream connection the proxy
// opened and closed rather than kept alive. false where it cannot be read.
func timeWait(upstream string) (int, bool) {
	u, err := url.Parse(upstream)
	if err != nil {
		return 0, false
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return 0, false
	}
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	want := fmt.Sprintf(":%04X", port)
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st …; TIME_WAIT is 06.
		fields := strings.Fields(sc.Text())
		if len(fields) > 3 && fields[3] == "06" && strings.HasSuffix(fields[2], want) {
			n++
		}
	}
	return n, sc.Err() == nil
}
