package node

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// Faults a real node does not produce on demand, injected by a proxy in
// front of the in-process node (or by a server that is no node at all).
// Whatever happens, the verdict is the rules' verdict or higher, and the
// simulation says in one line why it is missing.

// rewrite answers a request itself (result or error JSON) or passes it on.
type rewrite func(method string) (answer json.RawMessage, handled bool)

// faultProxy serves JSON-RPC, single or batch, from upstream except what
// fn answers.
func faultProxy(t *testing.T, upstream string, fn rewrite) string {
	t.Helper()
	forward := func(req json.RawMessage) json.RawMessage {
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(req))
		if err != nil {
			t.Errorf("upstream: %v", err)
			return nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return b
	}
	one := func(req json.RawMessage) json.RawMessage {
		var r struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		json.Unmarshal(req, &r)
		if ans, ok := fn(r.Method); ok {
			return json.RawMessage(`{"jsonrpc":"2.0","id":` + string(r.ID) + `,` + string(ans) + `}`)
		}
		return forward(req)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
			var reqs []json.RawMessage
			json.Unmarshal(body, &reqs)
			var out []json.RawMessage
			for _, q := range reqs {
				out = append(out, one(q))
			}
			b, _ := json.Marshal(out)
			w.Write(b)
			return
		}
		w.Write(one(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// judge simulates input through url and checks the verdict is never
// below the rules' own.
func judge(t *testing.T, url string, input []byte, timeout time.Duration) (*guard.Simulation, *guard.Verdict) {
	t.Helper()
	res, err := decode.Decode(input, decode.Options{Chain: 1})
	if err != nil {
		t.Fatal(err)
	}
	cfg := guard.Config{Chain: 1}
	rules := guard.Check(res, cfg)
	nc, err := Dial(wait(t), Config{URL: url, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	r := nc.Simulate(wait(t), res, cfg)
	cfg.Sim = r.Sim
	v := guard.Check(res, cfg)
	if v.Level < rules.Level {
		t.Errorf("the simulation lowered the verdict from %s to %s", rules.Level, v.Level)
	}
	return r.Sim, v
}

func TestFaults(t *testing.T) {
	c := newChain(t)
	drain := request(c.user, c.drainer, ether(5), c.pack("Drainer", "claimRewards"), nil)
	fired := func(v *guard.Verdict, id string) bool {
		return slices.ContainsFunc(v.Findings, func(f guard.Finding) bool { return f.Rule == id })
	}

	t.Run("no eth_simulateV1: debug_traceCall", func(t *testing.T) {
		url := faultProxy(t, c.url, func(m string) (json.RawMessage, bool) {
			return json.RawMessage(`"error":{"code":-32601,"message":"the method eth_simulateV1 does not exist/is not available"}`), m == "eth_simulateV1"
		})
		sim, v := judge(t, url, drain, 5*time.Second)
		if sim.Status != guard.SimOK || sim.Method != "debug_traceCall" || !fired(v, "TG1001") {
			t.Errorf("status %s method %s reason %q findings %v", sim.Status, sim.Method, sim.Reason, v.Findings)
		}
	})
	t.Run("neither method", func(t *testing.T) {
		url := faultProxy(t, c.url, func(m string) (json.RawMessage, bool) {
			return json.RawMessage(`"error":{"code":-32601,"message":"method not found"}`), m == "eth_simulateV1" || m == "debug_traceCall"
		})
		sim, _ := judge(t, url, drain, 5*time.Second)
		if sim.Status != guard.SimUnavailable || !strings.Contains(sim.Reason, "neither eth_simulateV1 nor debug_traceCall") {
			t.Errorf("status %s reason %q", sim.Status, sim.Reason)
		}
	})
	t.Run("a node that lies about its chain", func(t *testing.T) {
		url := faultProxy(t, c.url, func(m string) (json.RawMessage, bool) { return json.RawMessage(`"result":"0x5"`), m == "eth_chainId" })
		sim, v := judge(t, url, drain, 5*time.Second)
		if sim.Status != guard.SimUnavailable || !fired(v, "TG1005") || len(sim.Transfers) > 0 {
			t.Errorf("status %s reason %q findings %v", sim.Status, sim.Reason, v.Findings)
		}
	})
	t.Run("a simulation that hides the drain", func(t *testing.T) {
		// A node can lie about effects too; what it cannot do is take
		// away what the rules found.
		url := faultProxy(t, c.url, func(m string) (json.RawMessage, bool) {
			return json.RawMessage(`"result":[{"number":"0x10","hash":"0x00","timestamp":"0x1","gasLimit":"0x1","gasUsed":"0x1","miner":"0x0000000000000000000000000000000000000000","calls":[{"returnData":"0x","logs":[],"gasUsed":"0x5208","status":"0x1"}]}]`), m == "eth_simulateV1"
		})
		judge(t, url, drain, 5*time.Second)
	})
	t.Run("down", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		sim, _ := judge(t, url, drain, 5*time.Second)
		if sim.Status != guard.SimUnavailable || !strings.Contains(sim.Reason, "refused") {
			t.Errorf("status %s reason %q", sim.Status, sim.Reason)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		stop := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		}))
		defer srv.Close()
		defer close(stop) // first: a server that hangs still lets the test end
		start := time.Now()
		sim, _ := judge(t, srv.URL, drain, 300*time.Millisecond)
		if sim.Status != guard.SimUnavailable || !strings.Contains(sim.Reason, "no answer within 300ms") || time.Since(start) > 3*time.Second {
			t.Errorf("status %s reason %q after %s", sim.Status, sim.Reason, time.Since(start))
		}
	})
	for _, tc := range []struct{ name, body string }{
		{"garbage", "<html>502 Bad Gateway</html>"},
		{"oversized", `{"jsonrpc":"2.0","id":1,"result":"` + strings.Repeat("0", 6<<20) + `"}`},
		{"wrong shape", `[{"jsonrpc":"2.0","id":99,"result":{"a":[[[[[[]]]]]]}}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			sim, _ := judge(t, srv.URL, drain, 5*time.Second)
			if sim.Status != guard.SimUnavailable || sim.Reason == "" || len(sim.Reason) > 300 {
				t.Errorf("status %s reason %q", sim.Status, sim.Reason)
			}
		})
	}
	t.Run("credentials are never shown", func(t *testing.T) {
		url := strings.Replace(c.url, "http://", "http://alice:s3cret@", 1) + "/v3/key1234567"
		sim, _ := judge(t, url, drain, 5*time.Second)
		b, _ := json.Marshal(sim)
		if bytes.Contains(b, []byte("s3cret")) || bytes.Contains(b, []byte("key1234567")) || bytes.Contains(b, []byte("alice")) {
			t.Errorf("the simulation shows the URL's secrets: %s", b)
		}
	})
}

func TestDialPolicy(t *testing.T) {
	for _, tc := range []struct {
		url    string
		remote bool
		want   string // "" allowed; else a word of the refusal
	}{
		{"http://127.0.0.1:8545", false, ""},
		{"http://localhost:8545", false, ""},
		{"http://[::1]:8545", false, ""},
		{"http://127.7.7.7:8545", false, ""},
		{"http://8.8.8.8:8545", false, "--allow-remote-rpc"},
		{"https://mainnet.infura.io/v3/KEY", false, "name lookup"},
		{"http://localhost.:8545", false, "name lookup"},
		{"http://127.0.0.1.nip.io:8545", false, "name lookup"},
		{"http://[::ffff:8.8.8.8]:8545", false, "--allow-remote-rpc"},
		{"https://mainnet.infura.io/v3/KEY", true, ""},
		{"ftp://127.0.0.1/", false, "scheme"},
		{"", false, "empty"},
		{"/tmp/no-such-dir/geth.ipc", false, "is the node running"},
	} {
		_, err := Dial(wait(t), Config{URL: tc.url, AllowRemote: tc.remote})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err %v, want one saying %q", tc.url, err, tc.want)
		case err != nil && strings.Contains(err.Error(), "KEY"):
			t.Errorf("%s: the error shows the URL's path: %v", tc.url, err)
		}
	}
}
