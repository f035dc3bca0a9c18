package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// upstream stands in for the node: it answers every request with a fixed
// body and records what reached it. (The real node is in the end-to-end
// test; here what matters is what the proxy lets through.)
type upstream struct {
	mu   sync.Mutex
	got  [][]byte
	srv  *httptest.Server
	resp string
}

func newUpstream(t testing.TB) *upstream {
	u := &upstream{resp: `{"jsonrpc":"2.0","id":1,"result":"0x10"}`}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.got = append(u.got, b)
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, u.resp)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) received() [][]byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([][]byte(nil), u.got...)
}

// judgeBy decides by a word in the request: "honest" passes.
func judgeBy(ctx context.Context, r Request) Decision {
	if bytes.Contains(r.Body, []byte("honest")) {
		return Decision{Forward: true, Level: "ok", Headline: "OK"}
	}
	return Decision{Level: "critical", Headline: "CRITICAL: You lose 5 ETH", Rules: []string{"TG1001"}}
}

func newProxy(t testing.TB, u *upstream, cfg Config) (*Server, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	cfg.Upstream, cfg.Log = u.srv.URL, &syncWriter{w: &log}
	if cfg.Judge == nil {
		cfg.Judge = judgeBy
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, &log
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func post(t testing.TB, h http.Handler, body string, header ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8546/", strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	return rec, m
}

func TestProxy(t *testing.T) {
	const send = `{"jsonrpc":"2.0","id":7,"method":"eth_sendTransaction","params":[{"to":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC","value":"0x1"}]}`
	for _, tc := range []struct {
		name, body string
		forwarded  []string // what must reach the node, in order
		code       float64  // the JSON-RPC error code the client gets, 0: none
		says       string
	}{
		{"a read goes on byte for byte", `{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}  `, []string{`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}  `}, 0, ""},
		{"an unknown method is the node's to refuse", `{"jsonrpc":"2.0","id":1,"method":"foo_bar"}`, []string{`{"jsonrpc":"2.0","id":1,"method":"foo_bar"}`}, 0, ""},
		{"malformed JSON is the node's to refuse", `{"jsonrpc":`, []string{`{"jsonrpc":`}, 0, ""},
		{"a drainer is refused with 4001 and its headline", send, nil, 4001, "txguard: CRITICAL: You lose 5 ETH (critical): rejected, nothing was sent"},
		{"an honest one goes on unchanged", strings.Replace(send, "0x1\"", "0x1\",\"honest\":1", 1), []string{strings.Replace(send, "0x1\"", "0x1\",\"honest\":1", 1)}, 0, ""},
		{"every signing method is judged", `{"jsonrpc":"2.0","id":2,"method":"personal_sign","params":["0x68690a","0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"]}`, nil, 4001, "CRITICAL"},
		{"wallet_sendCalls too", `{"jsonrpc":"2.0","id":2,"method":"wallet_sendCalls","params":[{}]}`, nil, 4001, "CRITICAL"},
		{"a method that signs unread is refused", `{"jsonrpc":"2.0","id":3,"method":"eth_sendBundle","params":[{}]}`, nil, 4001, "not a request txguard can judge"},
		{"a case variant is judged", `{"jsonrpc":"2.0","id":3,"method":"ETH_sendRawTransaction","params":["0x00"]}`, nil, 4001, "CRITICAL"},
		{"a nested batch is never forwarded", `[[{"jsonrpc":"2.0","id":2,"method":"eth_sendRawTransaction","params":["0x00"]}]]`, nil, 0, ""},
		{"an operator's method is refused", `{"jsonrpc":"2.0","id":3,"method":"debug_setHead","params":["0x1"]}`, nil, 4001, "node operator's method"},
		{"admin too, in any case", `{"jsonrpc":"2.0","id":3,"method":"Admin_addPeer","params":["enode://x"]}`, nil, 4001, "node operator's method"},
		{"a second method key is judged", `{"jsonrpc":"2.0","id":3,"method":"eth_chainId","method":"eth_sendTransaction","params":[{}]}`, nil, 4001, "CRITICAL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newUpstream(t)
			s, _ := newProxy(t, u, Config{})
			rec, m := post(t, s, tc.body)
			var got []string
			for _, b := range u.received() {
				got = append(got, string(b))
			}
			if strings.Join(got, "\n") != strings.Join(tc.forwarded, "\n") {
				t.Errorf("forwarded %q, want %q", got, tc.forwarded)
			}
			e, _ := m["error"].(map[string]any)
			switch {
			case tc.code == 0 && len(tc.forwarded) > 0 && rec.Body.String() != u.resp:
				t.Errorf("answer %q, want the node's %q unchanged", rec.Body.String(), u.resp)
			case tc.code != 0 && (e == nil || e["code"] != tc.code || !strings.Contains(e["message"].(string), tc.says)):
				t.Errorf("answer %s, want code %v saying %q", rec.Body.String(), tc.code, tc.says)
			}
		})
	}
}

func TestBatch(t *testing.T) {
	u := newUpstream(t)
	s, log := newProxy(t, u, Config{})
	reads := `[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}]`
	if rec, _ := post(t, s, reads); rec.Body.String() != u.resp || len(u.received()) != 1 || string(u.received()[0]) != reads {
		t.Errorf("a batch of reads: forwarded %q, answered %q", u.received(), rec.Body.String())
	}
	mixed := `[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_sendTransaction","params":[{}]},{"jsonrpc":"2.0","id":3,"method":"eth_sendTransaction","params":[{"honest":1}]}]`
	rec, _ := post(t, s, mixed)
	var answers []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &answers); err != nil || len(answers) != 3 {
		t.Fatalf("answers %s: %v", rec.Body.String(), err)
	}
	if answers[1]["error"] == nil || answers[0]["result"] == nil || answers[2]["result"] == nil {
		t.Errorf("answers %s", rec.Body.String())
	}
	got := u.received()[1:]
	if len(got) != 2 || string(got[0]) != `{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}` || !strings.Contains(string(got[1]), "honest") {
		t.Errorf("forwarded %q", got)
	}
	if n := strings.Count(log.String(), "\n"); n != 2 {
		t.Errorf("audit log has %d lines, want one per judged request:\n%s", n, log)
	}
}

func TestAuditLog(t *testing.T) {
	u := newUpstream(t)
	s, log := newProxy(t, u, Config{})
	post(t, s, `{"jsonrpc":"2.0","id":7,"method":"eth_sendTransaction","params":[{}]}`, "Origin", "chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn")
	var l auditLine
	if err := json.Unmarshal(log.Bytes(), &l); err != nil {
		t.Fatalf("%v: %s", err, log)
	}
	if l.Method != "eth_sendTransaction" || l.Origin != "chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn" || l.Decision != "rejected" || l.Forwarded || l.Level != "critical" || len(l.Rules) != 1 {
		t.Errorf("audit line %+v", l)
	}
	if strings.Contains(log.String(), u.srv.URL) {
		t.Errorf("the audit log names the upstream: %s", log)
	}
}

func TestLimits(t *testing.T) {
	u := newUpstream(t)
	s, _ := newProxy(t, u, Config{Token: "s3cret"})
	if rec, _ := post(t, s, `{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`); rec.Code != http.StatusUnauthorized {
		t.Errorf("no token: HTTP %d", rec.Code)
	}
	if rec, _ := post(t, s, `{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`, "Authorization", "Bearer s3cret"); rec.Code != http.StatusOK {
		t.Errorf("with the token: HTTP %d", rec.Code)
	}
	s, _ = newProxy(t, u, Config{})
	big := `{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x` + strings.Repeat("00", 3<<20) + `"]}`
	if rec, _ := post(t, s, big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 6 MiB body: HTTP %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8546/", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: HTTP %d", rec.Code)
	}
}

// A request whose client leaves, or that waits longer than allowed, is
// never forwarded, whatever the person decides afterwards.
func TestNoLateForward(t *testing.T) {
	u := newUpstream(t)
	approveLate := func(ctx context.Context, r Request) Decision {
		<-ctx.Done()
		return Decision{Forward: true, Level: "ok"}
	}
	s, log := newProxy(t, u, Config{Judge: approveLate, Serial: true, Decide: 100 * time.Millisecond})
	start := time.Now()
	_, m := post(t, s, `{"jsonrpc":"2.0","id":7,"method":"eth_sendTransaction","params":[{}]}`)
	if e, _ := m["error"].(map[string]any); e == nil || !strings.Contains(e["message"].(string), "no decision within 100ms") || time.Since(start) > 3*time.Second {
		t.Errorf("answer %v after %s", m, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8546/", strings.NewReader(`{"jsonrpc":"2.0","id":8,"method":"eth_sendTransaction","params":[{}]}`)).WithContext(ctx)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	s.ServeHTTP(httptest.NewRecorder(), req)
	if len(u.received()) != 0 {
		t.Errorf("forwarded after the client left or time ran out: %q", u.received())
	}
	if !strings.Contains(log.String(), "the client stopped waiting") {
		t.Errorf("audit log: %s", log)
	}
}

// While one request is on the screen, the others wait, and say how many.
func TestSerialQueue(t *testing.T) {
	u := newUpstream(t)
	release := make(chan struct{})
	var mu sync.Mutex
	var seen []int
	judge := func(ctx context.Context, r Request) Decision {
		mu.Lock()
		seen = append(seen, r.Waiting)
		mu.Unlock()
		<-release
		return Decision{Forward: true}
	}
	s, _ := newProxy(t, u, Config{Judge: judge, Serial: true})
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			post(t, s, `{"jsonrpc":"2.0","id":1,"method":"eth_sendTransaction","params":[{}]}`)
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Waiting() != 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if s.Waiting() != 2 {
		t.Fatalf("waiting %d, want 2", s.Waiting())
	}
	close(release)
	wg.Wait()
	if len(u.received()) != 3 || len(seen) != 3 || seen[0] != 0 && seen[0] != 2 {
		t.Errorf("forwarded %d, judged %v", len(u.received()), seen)
	}
}

// FuzzServe: whatever a client sends, no signing method reaches the node
// without the judge's approval (the judge here refuses everything), and
// the proxy answers without panicking.
func FuzzServe(f *testing.F) {
	for _, s := range []string{`{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`, `[{"method":"eth_sendTransaction"},{"method":"eth_chainId"}]`,
		`{"method":"eth_sendTransaction","method":"eth_chainId"}`, `{"METHOD":"eth_sendTransaction"}`, `{"method":"eth_send\u0054ransaction"}`, `[]`, `[[]]`} {
		f.Add([]byte(s))
	}
	u := newUpstream(f)
	s, _ := newProxy(f, u, Config{Judge: func(context.Context, Request) Decision { return Decision{} }})
	f.Fuzz(func(t *testing.T, body []byte) {
		before := len(u.received())
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8546/", bytes.NewReader(body))
		s.ServeHTTP(httptest.NewRecorder(), req)
		for _, got := range u.received()[before:] {
			for _, one := range requests(got) {
				if m, ok := anyMethod(one); ok && gated(m) {
					t.Fatalf("%q reached the node unjudged in %q", m, got)
				}
			}
		}
	})
}

// requests splits a body into its request objects, as a node would.
func requests(b []byte) []json.RawMessage {
	var batch []json.RawMessage
	if json.Unmarshal(b, &batch) == nil {
		return batch
	}
	return []json.RawMessage{b}
}

// anyMethod reads the method as a lenient node might: any key that is
// "method" in any case, the last one winning.
func anyMethod(b []byte) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return "", false
	}
	var out string
	found := false
	for k, v := range m {
		var s string
		if strings.EqualFold(k, "method") && json.Unmarshal(v, &s) == nil {
			out, found = s, true
			if gated(s) {
				return s, true
			}
		}
	}
	return out, found
}

// A web page the user visits must not reach their node through the
// proxy: browsers send its Origin (and a DNS-rebinding page its own
// Host); wallets send an extension's origin, or none.
func TestForeignRequests(t *testing.T) {
	u := newUpstream(t)
	s, _ := newProxy(t, u, Config{AllowOrigins: []string{"https://app.trusted.example"}})
	read := `{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`
	for _, tc := range []struct {
		header []string
		want   int
	}{
		{[]string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{[]string{"Origin", "http://localhost:3000"}, http.StatusForbidden},
		{[]string{"Origin", "null"}, http.StatusForbidden},
		{[]string{"Host", "evil.example:8546"}, http.StatusForbidden},
		{[]string{"Origin", "chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn"}, http.StatusOK},
		{[]string{"Origin", "moz-extension://1234"}, http.StatusOK},
		{[]string{"Origin", "https://app.trusted.example"}, http.StatusOK},
		{nil, http.StatusOK},
	} {
		before := len(u.received())
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8546/", strings.NewReader(read))
		for i := 0; i+1 < len(tc.header); i += 2 {
			if tc.header[i] == "Host" {
				req.Host = tc.header[i+1]
			} else {
				req.Header.Set(tc.header[i], tc.header[i+1])
			}
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.want || (tc.want == http.StatusForbidden) != (len(u.received()) == before) {
			t.Errorf("%v: HTTP %d, forwarded %v; want %d", tc.header, rec.Code, len(u.received()) > before, tc.want)
		}
	}
}
