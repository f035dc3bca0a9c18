package prompts

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ollama/ollama/api"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// nasty is what a hostile server puts in every string it sends: clear the
// screen, set the window title, write the clipboard (OSC 52), a C1 CSI
// (U+009B) and a bidi override.
const nasty = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\u009b31m\u202etxt.exe"

// assertEscaped fails if s could drive a terminal: a control or format
// character other than a newline, or bytes that are not UTF-8 (a lone
// 0x9b is a CSI to some terminals).
func assertEscaped(t *testing.T, where, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: not UTF-8: %q", where, s)
		return
	}
	for _, r := range s {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			t.Errorf("%s: raw %U reaches the terminal: %q", where, r, s)
			return
		}
	}
}

// recordStrings calls fn with every string in a review's record.
func recordStrings(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case map[string]any:
		for k, e := range v {
			fn(k)
			recordStrings(e, fn)
		}
	case []any:
		for _, e := range v {
			recordStrings(e, fn)
		}
	}
}

// rawResponse writes resp as the whole HTTP response: a status line
// net/http would not send.
func rawResponse(resp string) script {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		c, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer c.Close()
		buf.WriteString(resp)
		buf.Flush()
	}
}

// bigBody is an error body of n bytes that starts with nasty and a lone
// 0x9b byte.
func bigBody(code, n int) script {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		body := nasty + "\x9b" + strings.Repeat("x", n)
		io.WriteString(w, body[:n])
	}
}

// hostileCases are servers that put nasty in every string txguard may
// print: error messages and bodies, status lines, remote_host, digests.
func hostileCases(t *testing.T) []struct {
	name  string
	setup func(f *fakeOllama, cfg *Config)
} {
	streamError := jsonLine(map[string]string{"error": nasty})
	return []struct {
		name  string
		setup func(f *fakeOllama, cfg *Config)
	}{
		{"500 with a JSON error", func(f *fakeOllama, cfg *Config) { f.chats = []script{failWith(500, nasty)} }},
		{"400 with a plain-text error", func(f *fakeOllama, cfg *Config) { f.chats = []script{bigBody(400, 1000)} }},
		{"500 with a 1 MB error body", func(f *fakeOllama, cfg *Config) { f.chats = []script{bigBody(500, 1<<20)} }},
		{"500 with a 10 MB error body", func(f *fakeOllama, cfg *Config) { f.chats = []script{bigBody(500, 10<<20)} }},
		{"a status line of escapes", func(f *fakeOllama, cfg *Config) {
			f.chats = []script{rawResponse("HTTP/1.1 503 " + nasty + "\r\nContent-Length: 3\r\n\r\n" + nasty[:3])}
		}},
		{"an error line mid-stream", func(f *fakeOllama, cfg *Config) {
			f.chats = []script{serveLines(append(tokenLines(goodAnswer[:40]), streamError)...)}
		}},
		{"a non-JSON line mid-stream", func(f *fakeOllama, cfg *Config) {
			f.chats = []script{serveLines(append(tokenLines(goodAnswer[:40]), nasty+"\x9b")...)}
		}},
		{"remote_host in the list", func(f *fakeOllama, cfg *Config) {
			f.models[0].RemoteHost = "https://" + nasty
		}},
		{"remote_host in the stream", func(f *fakeOllama, cfg *Config) {
			f.chats = []script{serveLines(`{"model":"qwen2.5-coder:3b","remote_host":` + jsonLine(nasty) + `,"message":{"role":"assistant","content":"{"},"done":false}`)}
		}},
		{"an error from /api/tags", func(f *fakeOllama, cfg *Config) {
			f.routes = map[string]script{"/api/tags": failWith(500, nasty)}
		}},
		{"a model name from the config file, on a server that stalls", func(f *fakeOllama, cfg *Config) {
			cfg.Model = "qwen" + nasty
			cfg.Timeout = 300 * time.Millisecond
			f.routes = map[string]script{"/api/tags": stall()}
		}},
		{"a digest of escapes", func(f *fakeOllama, cfg *Config) {
			f.models[0].Digest = nasty
			f.chats = []script{answerStream(goodAnswer)}
		}},
	}
}

// TestReviewEscapesServerStrings: whatever the server sends, the review's
// reason and record (printed on stderr, in the verdict, in reports) hold
// no raw escape sequence, and an error body is cut to a few hundred bytes.
func TestReviewEscapesServerStrings(t *testing.T) {
	for _, tt := range hostileCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			cfg := testConfig(t, f)
			tt.setup(f, &cfg)
			r := mustAuditor(t, cfg).Review(context.Background(), approvalVerdict(t, ""), nil)
			if tt.name != "a digest of escapes" && r.Status == guard.StatusOK {
				t.Fatalf("Review = ok, want a failure")
			}
			assertEscaped(t, "reason", r.Reason)
			if len(r.Reason) > 600 {
				t.Errorf("reason is %d bytes, want a few hundred: %.100q…", len(r.Reason), r.Reason)
			}
			recordStrings(map[string]any(r.Record), func(s string) { assertEscaped(t, "record", s) })
			unavailable := Unavailable(fmt.Errorf("prompts: %s", nasty))
			assertEscaped(t, "Unavailable", unavailable.Reason)
		})
	}
}

// TestDoctorEscapesServerStrings: the same servers, and a version and
// model names of escapes, through txguard doctor.
func TestDoctorEscapesServerStrings(t *testing.T) {
	cases := append(hostileCases(t),
		struct {
			name  string
			setup func(f *fakeOllama, cfg *Config)
		}{"version and model names of escapes", func(f *fakeOllama, cfg *Config) {
			f.version = nasty
			f.models = append(f.models, listed("evil"+nasty, "0"), listed(nasty, nasty))
			f.chats = []script{failWith(500, nasty)}
		}},
		struct {
			name  string
			setup func(f *fakeOllama, cfg *Config)
		}{"a 10 MB error body from /api/version", func(f *fakeOllama, cfg *Config) {
			f.routes = map[string]script{"/api/version": bigBody(500, 10<<20)}
		}},
		struct {
			name  string
			setup func(f *fakeOllama, cfg *Config)
		}{"a 1 MB error body from /api/version", func(f *fakeOllama, cfg *Config) {
			f.routes = map[string]script{"/api/version": bigBody(500, 1<<20)}
		}},
		struct {
			name  string
			setup func(f *fakeOllama, cfg *Config)
		}{"a status line of escapes from /api/version", func(f *fakeOllama, cfg *Config) {
			f.routes = map[string]script{"/api/version": rawResponse("HTTP/1.1 418 " + nasty + "\r\nContent-Length: 2\r\n\r\n{}")}
		}},
	)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			cfg := testConfig(t, f)
			tt.setup(f, &cfg)
			var out strings.Builder
			Doctor(context.Background(), cfg, &out)
			assertEscaped(t, "doctor", out.String())
			for _, l := range strings.Split(out.String(), "\n") {
				if len(l) > 1000 {
					t.Errorf("doctor line of %d bytes: %.100q…", len(l), l)
				}
			}
		})
	}
}

// TestEvalEscapesServerStrings: txguard eval's tables, against the same
// servers.
func TestEvalEscapesServerStrings(t *testing.T) {
	for _, tt := range hostileCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			cfg := testConfig(t, f)
			cfg.NoCache = true
			tt.setup(f, &cfg)
			var out bytes.Buffer
			cases := []EvalCase{{Path: "../fixtures/calls/erc20-approve-unlimited.hex", Want: guard.Danger}}
			if _, err := Eval(context.Background(), mustAuditor(t, cfg), cases, decode.Options{}, guard.Config{}, &out); err != nil {
				t.Fatal(err)
			}
			assertEscaped(t, "eval", out.String())
		})
	}
}

// flood sends head, then body over and over until the client goes,
// counting what it wrote.
func flood(head, body string, sent *atomic.Int64) script {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-ndjson")
		bw := bufio.NewWriterSize(w, 64<<10)
		n, _ := bw.WriteString(head)
		sent.Add(int64(n))
		for r.Context().Err() == nil {
			n, err := bw.WriteString(body)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
}

// trickle sends the header, then a byte every 10ms, forever.
func trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	for i := 0; r.Context().Err() == nil; i++ {
		fmt.Fprint(w, `{"model":"qwen2.5-coder:3b","message":{"role":"assistant","content":"x"},"done":false}`[i%80:i%80+1])
		w.(http.Flusher).Flush()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReviewBoundedReads: a server that floods or stalls costs a review
// neither memory nor more than its timeout; a flood is recorded as the
// model being unavailable, never as an answer.
func TestReviewBoundedReads(t *testing.T) {
	chunk := func(content string) string {
		return jsonLine(api.ChatResponse{Model: DefaultModel, CreatedAt: fakeTime, Message: api.Message{Role: "assistant", Content: content}}) + "\n"
	}
	tag := jsonLine(listed("llama3.2:latest", "0123"))
	tests := []struct {
		name    string
		route   string // "" is /api/chat
		script  func(sent *atomic.Int64) script
		timeout time.Duration
		status  string
		want    string // part of the reason
	}{
		{"endless chunks", "", func(s *atomic.Int64) script { return flood("", chunk("tok "), s) }, 0,
			guard.StatusUnavailable, "sent more than 8192 chunks, far more than any answer: it is not behaving like Ollama"},
		{"endless empty chunks", "", func(s *atomic.Int64) script { return flood("", chunk(""), s) }, 0,
			guard.StatusUnavailable, "sent more than 8192 chunks"},
		{"chunks of 1 KiB", "", func(s *atomic.Int64) script { return flood("", chunk(strings.Repeat("a", 1024)), s) }, 0,
			guard.StatusUnavailable, "sent more than 64 KiB of answer text"},
		{"one endless chunk", "", func(s *atomic.Int64) script {
			return flood(`{"model":"qwen2.5-coder:3b","message":{"role":"assistant","content":"`, strings.Repeat("a", 4096), s)
		}, 0, guard.StatusUnavailable, "sent more than 4 MiB in one response"},
		{"an endless error body", "", func(s *atomic.Int64) script {
			return func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(500)
				flood("", strings.Repeat(nasty, 100), s)(w, r)
			}
		}, 0, guard.StatusUnavailable, "sent more than 4 MiB in one response"},
		{"an endless model list", "/api/tags", func(s *atomic.Int64) script {
			return flood(`{"models":[`+tag, ","+tag, s)
		}, 0, guard.StatusUnavailable, "sent more than 4 MiB in one response"},
		{"a chat that trickles after the header", "", func(*atomic.Int64) script { return trickle }, 500 * time.Millisecond,
			guard.StatusFailed, "no answer from qwen2.5-coder:3b within 500ms"},
		{"a model list that trickles after the header", "/api/tags", func(*atomic.Int64) script { return trickle }, 500 * time.Millisecond,
			guard.StatusFailed, "no answer from qwen2.5-coder:3b within 500ms"},
		{"a model list that never sends its header", "/api/tags", func(*atomic.Int64) script { return stall() }, 500 * time.Millisecond,
			guard.StatusFailed, "no answer from qwen2.5-coder:3b within 500ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent atomic.Int64
			f := newFake(t)
			route := cmp.Or(tt.route, "/api/chat")
			f.routes = map[string]script{route: tt.script(&sent)}
			cfg := testConfig(t, f)
			cfg.Timeout = cmp.Or(tt.timeout, 20*time.Second)
			start := time.Now()
			done := make(chan *guard.ModelReview, 1)
			go func() { done <- mustAuditor(t, cfg).Review(context.Background(), approvalVerdict(t, ""), nil) }()
			var r *guard.ModelReview
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("Review still reading after 10s (timeout %v; server sent %d MiB)", cfg.Timeout, sent.Load()>>20)
			}
			if took := time.Since(start); took > cfg.Timeout/4+2*time.Second && tt.timeout == 0 || took > tt.timeout+2*time.Second && tt.timeout != 0 {
				t.Errorf("Review took %v", took)
			}
			if r.Status != tt.status || !strings.Contains(r.Reason, tt.want) {
				t.Errorf("Review = %s: %s\nwant %s: …%s…", r.Status, r.Reason, tt.status, tt.want)
			}
			if r.Level != nil || r.Findings != nil {
				t.Errorf("a %s review carries a level or findings", r.Status)
			}
			if n := sent.Load(); n > 32<<20 {
				t.Errorf("the server got %d MiB out before the review stopped reading", n>>20)
			}
			if _, chats := f.counts(); chats > 1 {
				t.Errorf("%d chat requests: a flood is not worth a retry", chats)
			}
		})
	}
}

// TestDoctorBoundedReads: doctor too gives up at the timeout on a server
// that never answers, and stops reading a flood.
func TestDoctorBoundedReads(t *testing.T) {
	var sent atomic.Int64
	for _, tt := range []struct {
		name   string
		routes map[string]script
		want   string
	}{
		{"version never sends its header", map[string]script{"/api/version": stall()}, "FAIL  no answer from qwen2.5-coder:3b within 500ms"},
		{"version trickles", map[string]script{"/api/version": trickle}, "FAIL  no answer from qwen2.5-coder:3b within 500ms"},
		{"version floods", map[string]script{"/api/version": flood(`{"version":"`, strings.Repeat("9", 4096), &sent)}, "FAIL  the server at"},
		{"test generation floods", map[string]script{"/api/chat": flood("", strings.Repeat(" ", 4096), &sent)}, "FAIL  test generation: the server at"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.routes = tt.routes
			done := make(chan string, 1)
			go func() {
				var out strings.Builder
				Doctor(context.Background(), Config{Host: f.URL, Timeout: 500 * time.Millisecond}, &out)
				done <- out.String()
			}()
			select {
			case out := <-done:
				if !strings.Contains(out, tt.want) {
					t.Errorf("Doctor wrote\n%s\nwant a line with %q", out, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Doctor still reading after 5s with a 500ms timeout")
			}
		})
	}
}

// FuzzOneLine: whatever a server sends, oneLine is one bounded line that
// cannot drive a terminal.
func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", "plain", nasty, "\x9b[31m", "a\r\nb\u0085c", strings.Repeat("\x1b", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		have := oneLine(s)
		assertEscaped(t, "oneLine", have)
		if strings.Contains(have, "\n") || utf8.RuneCountInString(have) > 201 {
			t.Errorf("oneLine(%q) = %q: want one line of at most 200 runes and an ellipsis", s, have)
		}
	})
}
