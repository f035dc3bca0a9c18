package prompts

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/txguard/txguard/guard"
)

const goodAnswer = `{"findings":[{"title":"Unlimited USDC allowance","severity":"critical","explanation":"The spender is not the Uniswap router you meant to use.","evidence":"tx.call.args.spender"}],` +
	`"summary":"You are giving an unknown address unlimited access to your USDC.","intent_match":null,"injection_suspected":false,"level":"critical"}`

func badAnswerText(t testing.TB, edit func(m map[string]any)) string {
	return answerJSON(t, false, edit)
}

// TestReviewFailures runs every way a review can fail against a server
// that fails that way, and checks what the user is told.
func TestReviewFailures(t *testing.T) {
	const (
		larger  = ": try again, or a larger model: --model qwen2.5-coder:7b"
		invalid = "no usable answer from qwen2.5-coder:3b in 2 attempts ("
	)
	tests := []struct {
		name      string
		chats     []script
		models    []api.ListModelResponse // nil: the default list
		timeout   time.Duration
		model     string
		status    string
		want      string // the reason; HOST is the server's host:port
		wantChats int
	}{
		{
			name:   "model not pulled",
			models: []api.ListModelResponse{listed("llama3.2:latest", "0123")},
			status: guard.StatusUnavailable, want: "model qwen2.5-coder:3b is not on this machine: `ollama pull qwen2.5-coder:3b`",
		},
		{
			name:   "not a model name",
			model:  "qwen 2.5",
			status: guard.StatusUnavailable, want: `"qwen 2.5" is not a model name: try --model qwen2.5-coder:3b`,
		},
		{
			name:   "no models at all",
			models: []api.ListModelResponse{},
			status: guard.StatusUnavailable, want: "model qwen2.5-coder:3b is not on this machine: `ollama pull qwen2.5-coder:3b`",
		},
		{
			name:   "cloud model refused before anything is sent",
			models: []api.ListModelResponse{{Name: DefaultModel, Model: DefaultModel, Digest: "c", RemoteModel: "qwen2.5-coder:3b", RemoteHost: "https://ollama.com:443"}},
			status: guard.StatusUnavailable, want: "model qwen2.5-coder:3b runs on https://ollama.com:443, not on this machine: use a local model, e.g. `ollama pull qwen2.5-coder:3b`",
		},
		{
			name:   "404 from chat: removed since the list",
			chats:  []script{failWith(http.StatusNotFound, `model "qwen2.5-coder:3b" not found, try pulling it first`)},
			status: guard.StatusUnavailable, want: "model qwen2.5-coder:3b is not on this machine: `ollama pull qwen2.5-coder:3b`", wantChats: 1,
		},
		{
			name:   "500: runner crashed, not retried",
			chats:  []script{failWith(http.StatusInternalServerError, "model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details")},
			status: guard.StatusFailed, want: "Ollama answered 500 (model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details): see the `ollama serve` log", wantChats: 1,
		},
		{
			// Each refusal doubles num_ctx (the estimate can be wrong for a
			// tokenizer) until the largest; then the review fails.
			name:   "prompt longer than every context, with truncate false",
			chats:  []script{failWith(http.StatusBadRequest, "the input length exceeds the context length")},
			status: guard.StatusFailed, want: "the input is too large for a local review: its prompt does not fit the largest context txguard asks for (16384 tokens)", wantChats: 4,
		},
		{
			name:   "401",
			chats:  []script{failWith(http.StatusUnauthorized, "unauthorized")},
			status: guard.StatusUnavailable, want: "the Ollama server at HOST refused the request (401): check its configuration", wantChats: 1,
		},
		{
			name:   "stream ends without done, twice",
			chats:  []script{serveLines(tokenLines(goodAnswer[:40])...)},
			status: guard.StatusFailed, want: invalid + "the stream ended before the answer was done)" + larger, wantChats: 2,
		},
		{
			name:   "done_reason length, twice",
			chats:  []script{serveLines(append(tokenLines(goodAnswer[:300]), doneLine("length"))...)},
			status: guard.StatusFailed, want: invalid + "the answer hit the length limit of 512 tokens)" + larger, wantChats: 2,
		},
		{
			name:   "done with no done_reason",
			chats:  []script{serveLines(append(tokenLines(goodAnswer), doneLine(""))...)},
			status: guard.StatusFailed, want: invalid + `generation ended with done_reason "")` + larger, wantChats: 2,
		},
		{
			name:   "not JSON, twice",
			chats:  []script{answerStream("The transaction approves an unlimited amount.")},
			status: guard.StatusFailed, want: invalid + "not JSON: invalid character 'T' looking for beginning of value)" + larger, wantChats: 2,
		},
		{
			name:   "bad enum, twice",
			chats:  []script{answerStream(badAnswerText(t, func(m map[string]any) { m["level"] = "severe" }))},
			status: guard.StatusFailed, want: invalid + `level: "severe" is not one of ok, info, caution, danger, critical)` + larger, wantChats: 2,
		},
		{
			name:   "string too long, twice",
			chats:  []script{answerStream(badAnswerText(t, func(m map[string]any) { m["summary"] = strings.Repeat("a", 700) }))},
			status: guard.StatusFailed, want: invalid + "summary: 700 characters, at most 600)" + larger, wantChats: 2,
		},
		{
			name:   "extra field, twice",
			chats:  []script{answerStream(badAnswerText(t, func(m map[string]any) { m["safe"] = true }))},
			status: guard.StatusFailed, want: invalid + `answer: extra field "safe")` + larger, wantChats: 2,
		},
		{
			name:   "missing field, twice",
			chats:  []script{answerStream(badAnswerText(t, func(m map[string]any) { delete(m, "summary") }))},
			status: guard.StatusFailed, want: invalid + `answer: missing field "summary")` + larger, wantChats: 2,
		},
		{
			name: "two different bad answers: the last is reported",
			chats: []script{
				answerStream("no"),
				answerStream(badAnswerText(t, func(m map[string]any) { m["findings"] = []any{"x"} })),
			},
			status: guard.StatusFailed, want: invalid + "findings[0]: want an object, got the string \"x\")" + larger, wantChats: 2,
		},
		{
			name:   "error line mid-stream: not retried",
			chats:  []script{serveLines(append(tokenLines(goodAnswer[:60]), `{"error":"an error was encountered while running the model: CUDA error: out of memory"}`)...)},
			status: guard.StatusFailed, want: "Ollama stopped with an error: an error was encountered while running the model: CUDA error: out of memory", wantChats: 1,
		},
		{
			name:   "remote_host in the stream",
			chats:  []script{serveLines(`{"model":"qwen2.5-coder:3b","remote_host":"https://ollama.com:443","message":{"role":"assistant","content":"{"},"done":false}`)},
			status: guard.StatusUnavailable, want: "model qwen2.5-coder:3b runs on https://ollama.com:443, not on this machine: use a local model, e.g. `ollama pull qwen2.5-coder:3b`", wantChats: 1,
		},
		{
			name:    "no header within the timeout",
			chats:   []script{stall()},
			timeout: 300 * time.Millisecond,
			status:  guard.StatusFailed, want: "no answer from qwen2.5-coder:3b within 300ms: try again, allow more time, or a smaller model: --model qwen2.5-coder:1.5b", wantChats: 1,
		},
		{
			name:    "stream stalls past the timeout",
			chats:   []script{stall(tokenLines(goodAnswer[:50])...)},
			timeout: 300 * time.Millisecond,
			status:  guard.StatusFailed, want: "no answer from qwen2.5-coder:3b within 300ms: try again, allow more time, or a smaller model: --model qwen2.5-coder:1.5b", wantChats: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.chats...)
			if tt.models != nil {
				f.models = tt.models
			}
			cfg := testConfig(t, f)
			if tt.timeout != 0 {
				cfg.Timeout = tt.timeout
			}
			cfg.Model = tt.model
			r := mustAuditor(t, cfg).Review(context.Background(), approvalVerdict(t, ""), nil)
			want := strings.ReplaceAll(tt.want, "HOST", strings.TrimPrefix(f.URL, "http://"))
			if r.Status != tt.status || r.Reason != want {
				t.Errorf("Review =\n  %s: %s\nwant\n  %s: %s", r.Status, r.Reason, tt.status, want)
			}
			if r.Level != nil || r.Summary != "" || r.Findings != nil {
				t.Errorf("a %s review carries a level, summary or findings: %+v", r.Status, r)
			}
			if _, chats := f.counts(); chats != tt.wantChats {
				t.Errorf("%d chat requests, want %d", chats, tt.wantChats)
			}
			// A finished but unusable answer still reports its token counts.
			if strings.Contains(tt.name, "done_reason length") && r.Record["promptEvalCount"] != 900 {
				t.Errorf("record promptEvalCount = %v, want the server's 900", r.Record["promptEvalCount"])
			}
			// Growing the context is not an attempt at an answer.
			if wantAttempts := min(tt.wantChats, maxAttempts); tt.wantChats > 0 && r.Record["attempts"] != wantAttempts && !strings.Contains(tt.name, "longer than every context") {
				t.Errorf("record attempts = %v, want %d", r.Record["attempts"], wantAttempts)
			}
			if entries, _ := cacheFiles(t, cfg.CacheDir); len(entries) != 0 {
				t.Errorf("a %s review was cached: %v", r.Status, entries)
			}
		})
	}
}

func TestReviewServerDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	host := strings.TrimPrefix(srv.URL, "http://")
	srv.Close() // nothing listens there now
	r := mustAuditor(t, Config{Host: host, Timeout: 5 * time.Second, NoCache: true}).Review(context.Background(), approvalVerdict(t, ""), nil)
	want := "no Ollama server at " + host + ": start it with `ollama serve`"
	if r.Status != guard.StatusUnavailable || r.Reason != want {
		t.Errorf("Review = %s: %s, want unavailable: %s", r.Status, r.Reason, want)
	}
}

func TestReviewRenderFails(t *testing.T) {
	f := newFake(t, answerStream(goodAnswer))
	r := mustAuditor(t, testConfig(t, f)).Review(context.Background(), &guard.Verdict{RulesetVersion: guard.RulesetVersion}, nil)
	if r.Status != guard.StatusFailed || !strings.HasPrefix(r.Reason, "could not build the prompt: ") || strings.Contains(r.Reason, "prompts: ") {
		t.Errorf("Review = %s: %s, want failed: could not build the prompt: …", r.Status, r.Reason)
	}
	if _, chats := f.counts(); chats != 0 {
		t.Errorf("%d chat requests, want none", chats)
	}
}

func TestReviewCancelled(t *testing.T) {
	f := newFake(t, stall())
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	r := mustAuditor(t, testConfig(t, f)).Review(ctx, approvalVerdict(t, ""), nil)
	if r.Status != guard.StatusFailed || r.Reason != "review cancelled" {
		t.Errorf("Review = %s: %s, want failed: review cancelled", r.Status, r.Reason)
	}
}

// TestRemoteHostRefused: a host that is not this machine is refused
// before any connection, by ResolveHost and, for a name that resolves
// elsewhere, by the dialer.
func TestRemoteHostRefused(t *testing.T) {
	_, err := NewAuditor(Config{Host: "10.0.0.5:11434"})
	if err == nil {
		t.Fatal("NewAuditor accepted a remote host")
	}
	r := Unavailable(err)
	want := "Ollama host 10.0.0.5:11434 (from --ollama-host) is not this machine and transaction data would leave it: use a local server, or pass --allow-remote-model if you mean to"
	if r.Status != guard.StatusUnavailable || r.Reason != want {
		t.Errorf("Unavailable(err) = %s: %s, want unavailable: %s", r.Status, r.Reason, want)
	}

	// The dialer: a server on this machine's own non-loopback address.
	ip := nonLoopbackIP(t)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	f := &fakeOllama{chats: []script{answerStream(goodAnswer)}, models: []api.ListModelResponse{listed(DefaultModel, testDigest)}}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.Listener.Close()
	f.Listener = ln
	f.Start()
	defer f.Close()
	a := mustAuditor(t, Config{Host: "127.0.0.1:1", NoCache: true, Timeout: 5 * time.Second})
	a.base, _ = parseHost(f.URL) // as if "localhost" had resolved there
	a.client = newClient(a.base, a.cfg.Timeout, false)
	r = a.Review(context.Background(), approvalVerdict(t, ""), nil)
	want = fmt.Sprintf("Ollama host %s led to %s, which is not this machine: refusing to send transaction data there", a.base.Host, ip)
	if r.Status != guard.StatusUnavailable || r.Reason != want {
		t.Errorf("Review = %s: %s, want unavailable: %s", r.Status, r.Reason, want)
	}
	if requests, _ := f.counts(); requests != 0 {
		t.Errorf("the server saw %d requests, want none", requests)
	}
}

func nonLoopbackIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address on this machine")
	return ""
}

// TestReviewOK checks a good answer end to end, and what was sent.
func TestReviewOK(t *testing.T) {
	tests := []struct {
		name   string
		intent string
		answer string
	}{
		{"no intent", "", goodAnswer},
		{"intent", "swap 100 USDC for ETH on Uniswap", strings.Replace(goodAnswer, `"intent_match":null`, `"intent_match":"no"`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, answerStream(tt.answer))
			var progress []Progress
			v := approvalVerdict(t, tt.intent)
			r := mustAuditor(t, testConfig(t, f)).Review(context.Background(), v, func(p Progress) { progress = append(progress, p) })
			if r.Status != guard.StatusOK || r.Reason != "" {
				t.Fatalf("Review = %s: %s, want ok", r.Status, r.Reason)
			}
			if r.Level == nil || *r.Level != guard.Critical {
				t.Errorf("level = %v, want critical", r.Level)
			}
			wantFindings := []guard.Finding{{Severity: guard.Critical, Title: "Unlimited USDC allowance",
				Explanation: "The spender is not the Uniswap router you meant to use.", Evidence: "tx.call.args.spender"}}
			if r.Summary != "You are giving an unknown address unlimited access to your USDC." || !reflect.DeepEqual(r.Findings, wantFindings) {
				t.Errorf("summary %q, findings %+v", r.Summary, r.Findings)
			}

			// The record.
			opts := r.Record["options"].(map[string]any)
			for k, want := range map[string]any{
				"model": DefaultModel, "digest": testDigest, "templateHash": testPrompt(t, v).TemplateHash,
				"rulesetVersion": guard.RulesetVersion, "promptEvalCount": 900, "evalCount": 61, "attempts": 1, "cache": "miss",
				"host": f.URL, "injectionSuspected": false,
				"durationsMs": map[string]int64{"total": 2500, "load": 800, "promptEval": 1200, "eval": 500},
			} {
				if !reflect.DeepEqual(r.Record[k], want) {
					t.Errorf("record %s = %#v, want %#v", k, r.Record[k], want)
				}
			}
			if tt.intent != "" && r.Record["intentMatch"] != "no" {
				t.Errorf("record intentMatch = %v, want no", r.Record["intentMatch"])
			}
			if opts["temperature"] != 0 || opts["seed"] != seed || opts["num_predict"] != DefaultNumPredict {
				t.Errorf("record options = %v", opts)
			}

			// What the server was sent.
			req := f.chatRequest(t, 0)
			o, _ := req["options"].(map[string]any)
			for k, want := range map[string]any{"temperature": 0.0, "seed": 42.0, "num_predict": 512.0} {
				if have, ok := o[k]; !ok || have != want {
					t.Errorf("options.%s = %v (sent: %v), want %v", k, have, ok, want)
				}
			}
			if n, ok := o["num_ctx"].(float64); !ok || n < minNumCtx || n > maxNumCtx || int(n)%1024 != 0 {
				t.Errorf("options.num_ctx = %v, want a multiple of 1024 in [2048, 16384]", o["num_ctx"])
			}
			for k, want := range map[string]any{"truncate": false, "shift": false, "stream": true, "think": false, "model": DefaultModel} {
				if have, ok := req[k]; !ok || have != want {
					t.Errorf("%s = %v (sent: %v), want %v", k, have, ok, want)
				}
			}
			var wantFormat, haveFormat any
			json.Unmarshal(format(tt.intent != ""), &wantFormat)
			haveFormat = req["format"]
			if !reflect.DeepEqual(haveFormat, wantFormat) {
				t.Errorf("format = %v\nwant %v", haveFormat, wantFormat)
			}
			msgs, _ := req["messages"].([]any)
			if len(msgs) != 2 || msgs[0].(map[string]any)["role"] != "system" || msgs[1].(map[string]any)["role"] != "user" {
				t.Errorf("messages = %v, want system then user", msgs)
			}

			// Progress: every chunk, counting up, ending with the answer.
			if len(progress) != len(tokenLines(tt.answer))+1 {
				t.Fatalf("%d progress calls, want %d", len(progress), len(tokenLines(tt.answer))+1)
			}
			for i, p := range progress[:len(progress)-1] {
				if p.Tokens != i+1 || p.Attempt != 1 || !strings.HasPrefix(tt.answer, p.Text) {
					t.Errorf("progress[%d] = %+v", i, p)
				}
			}
			if last := progress[len(progress)-1]; last.Text != tt.answer || last.Tokens != 61 {
				t.Errorf("last progress = %d tokens, text %q", last.Tokens, last.Text)
			}

			// Merged: the model raises the verdict; its findings are MODEL's.
			v.Merge(r)
			if v.Level != guard.Critical || v.RulesLevel != guard.Danger || r.Findings[0].Rule != guard.ModelFinding {
				t.Errorf("after Merge: level %v, rules level %v, finding rule %q", v.Level, v.RulesLevel, r.Findings[0].Rule)
			}
		})
	}
}

func testPrompt(t *testing.T, v *guard.Verdict) Prompt {
	t.Helper()
	p, err := Render(v, NewNonce())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReviewRetry: a bad first answer is retried once, with a new nonce
// and the same options, and the second answer counts.
func TestReviewRetry(t *testing.T) {
	for _, first := range []script{
		answerStream("Sure! Here is the JSON you asked for:"),
		serveLines(append(tokenLines(goodAnswer[:200]), doneLine("length"))...),
		serveLines(tokenLines(goodAnswer[:100])...), // cut, as the repeated-token guard cuts
	} {
		f := newFake(t, first, answerStream(goodAnswer))
		var attempts []int
		r := mustAuditor(t, testConfig(t, f)).Review(context.Background(), approvalVerdict(t, ""), func(p Progress) { attempts = append(attempts, p.Attempt) })
		if r.Status != guard.StatusOK || r.Record["attempts"] != 2 {
			t.Fatalf("Review = %s: %s, attempts %v; want ok after 2", r.Status, r.Reason, r.Record["attempts"])
		}
		if attempts[0] != 1 || attempts[len(attempts)-1] != 2 {
			t.Errorf("progress attempts %v, want 1 … 2", attempts)
		}
		one, two := f.chatRequest(t, 0), f.chatRequest(t, 1)
		if !reflect.DeepEqual(one["options"], two["options"]) || !reflect.DeepEqual(one["format"], two["format"]) {
			t.Errorf("the retry changed options or format: %v / %v", one["options"], two["options"])
		}
		user := func(m map[string]any) any { return m["messages"].([]any)[1].(map[string]any)["content"] }
		if user(one) == user(two) {
			t.Error("the retry reused the nonce: both user messages are the same")
		}
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		promptBytes, numPredict int
		want                    int // num_ctx
	}{
		{0, 512, 2048},
		{2000, 512, 2048},
		{3000, 512, 3072}, // 1500 + 128 + 512 = 2140
		{6000, 512, 4096},
		{6000, 2000, 6144}, // 3000 + 128 + 2000 = 5128
		{100_000, 512, 16384},
	}
	for _, tt := range tests {
		o := options(Prompt{User: strings.Repeat("x", tt.promptBytes)}, tt.numPredict)
		if o["num_ctx"] != tt.want || o["num_predict"] != tt.numPredict || o["temperature"] != 0 || o["seed"] != seed {
			t.Errorf("options(%d bytes, %d) = %v, want num_ctx %d", tt.promptBytes, tt.numPredict, o, tt.want)
		}
	}
}

func TestProgressString(t *testing.T) {
	tests := []struct {
		have Progress
		want string
	}{
		{Progress{Attempt: 1, Elapsed: 3200 * time.Millisecond, Tokens: 57}, "model: 3.2s, 57 tokens"},
		{Progress{Attempt: 2, Elapsed: 12 * time.Second, Tokens: 3}, "model: 12.0s, 3 tokens (attempt 2)"},
	}
	for _, tt := range tests {
		if have := tt.have.String(); have != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.have, have, tt.want)
		}
	}
}
