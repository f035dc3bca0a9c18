package prompts

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// fakeOllama speaks Ollama's API as v0.17.4 does: JSON for /api/version
// and /api/tags, line-delimited JSON for a streamed /api/chat, and
// {"error": "..."} with the status code for failures.
type fakeOllama struct {
	*httptest.Server
	models  []api.ListModelResponse
	chats   []script          // one per chat request; the last one repeats
	version string            // "" is 0.17.4
	routes  map[string]script // by path, instead of the handlers below

	mu       sync.Mutex
	bodies   [][]byte // chat request bodies
	requests int      // every request, chat or not
}

type script func(w http.ResponseWriter, r *http.Request)

const testDigest = "a6f7bbb5b8a3f8ff4d28ab2ed6d8f0fdba5f8fe0c8b7c8a0c2c9c1c0e1f2a3b4"

func listed(name, digest string) api.ListModelResponse {
	return api.ListModelResponse{Name: name, Model: name, Digest: digest, Size: 1_929_912_432}
}

func newFake(t *testing.T, chats ...script) *fakeOllama {
	t.Helper()
	f := &fakeOllama{models: []api.ListModelResponse{listed(DefaultModel, testDigest), listed("llama3.2:latest", "0123")}, chats: chats}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeOllama) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	f.mu.Unlock()
	if s, ok := f.routes[r.URL.Path]; ok {
		s(w, r)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/version":
		json.NewEncoder(w).Encode(map[string]string{"version": cmp.Or(f.version, "0.17.4")})
	case r.Method == http.MethodGet && r.URL.Path == "/api/tags":
		json.NewEncoder(w).Encode(api.ListResponse{Models: f.models})
	case r.Method == http.MethodPost && r.URL.Path == "/api/chat":
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.bodies = append(f.bodies, b)
		s := f.chats[min(len(f.bodies), len(f.chats))-1]
		f.mu.Unlock()
		s(w, r)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintln(w, "404 page not found")
	}
}

func (f *fakeOllama) counts() (requests, chats int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, len(f.bodies)
}

// chatRequest is what the server was sent, decoded loosely so that a
// dropped field shows as missing.
func (f *fakeOllama) chatRequest(t *testing.T, i int) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(f.bodies[i], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jsonLine(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

var fakeTime = time.Date(2025, 12, 15, 10, 0, 0, 0, time.UTC)

// chunks is text streamed a few runes a line, as a model writes tokens.
func tokenLines(text string) []string {
	var out []string
	r := []rune(text)
	for i := 0; i < len(r); i += 5 {
		out = append(out, jsonLine(api.ChatResponse{Model: DefaultModel, CreatedAt: fakeTime,
			Message: api.Message{Role: "assistant", Content: string(r[i:min(i+5, len(r))])}}))
	}
	return out
}

func doneLine(reason string) string {
	return jsonLine(api.ChatResponse{Model: DefaultModel, CreatedAt: fakeTime, Message: api.Message{Role: "assistant"},
		Done: true, DoneReason: reason, Metrics: api.Metrics{
			TotalDuration: 2500 * time.Millisecond, LoadDuration: 800 * time.Millisecond,
			PromptEvalCount: 900, PromptEvalDuration: 1200 * time.Millisecond,
			EvalCount: 61, EvalDuration: 500 * time.Millisecond,
		}})
}

// stream writes NDJSON lines, flushing each.
func serveLines(lines ...string) script {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, l := range lines {
			fmt.Fprintln(w, l)
			w.(http.Flusher).Flush()
		}
	}
}

func answerStream(text string) script {
	return serveLines(append(tokenLines(text), doneLine("stop"))...)
}

// failWith is Ollama's error before streaming: a status and {"error"}.
func failWith(code int, msg string) script {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintln(w, jsonLine(map[string]string{"error": msg}))
	}
}

// stall sends lines, then holds the connection until the client gives up.
func stall(lines ...string) script {
	return func(w http.ResponseWriter, r *http.Request) {
		if len(lines) > 0 {
			serveLines(lines...)(w, r)
		}
		<-r.Context().Done()
	}
}

// testVerdict is the rules' verdict on an unlimited USDC approval.
func approvalVerdict(t testing.TB, intent string) *guard.Verdict {
	t.Helper()
	in, err := os.ReadFile("../fixtures/calls/erc20-approve-unlimited.hex")
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(in, decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return guard.Check(res, guard.Config{Intent: intent, Now: fakeTime})
}

func testConfig(t *testing.T, f *fakeOllama) Config {
	return Config{Host: f.URL, Timeout: 10 * time.Second, CacheDir: t.TempDir()}
}

func mustAuditor(t *testing.T, cfg Config) *Auditor {
	t.Helper()
	a, err := NewAuditor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
