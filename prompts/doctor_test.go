package prompts

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

func TestDoctor(t *testing.T) {
	const okServer = "ok    server 0.17.4 at HOST\n"
	const okModels = "ok    2 models on this machine: qwen2.5-coder:3b, llama3.2:latest\n"
	const known = "      models txguard knows: qwen2.5-coder:1.5b (~1.5 GB RAM), qwen2.5-coder:3b (~2.5 GB RAM), llama3.2:3b (~3 GB RAM), qwen2.5-coder:7b (~5.5 GB RAM)\n"
	const okModel = "ok    model qwen2.5-coder:3b (1.9 GB, digest a6f7bbb5b8a3…)\n"
	tests := []struct {
		name   string
		chat   script
		models []api.ListModelResponse
		down   bool
		want   string // HOST is the server's URL, ADDR its host:port
		wantOK bool
	}{
		{
			name: "all good",
			chat: answerStream(`{"findings":[],"summary":"ready","intent_match":null,"injection_suspected":false,"level":"ok"}`),
			want: okServer + okModels + okModel + "ok    test generation: 61 tokens in Xs, done, answer matches the schema\n", wantOK: true,
		},
		{
			name: "server down",
			down: true,
			want: "FAIL  no Ollama server at ADDR: start it with `ollama serve`\n",
		},
		{
			name:   "model not pulled",
			models: []api.ListModelResponse{listed("llama3.2:latest", "0123")},
			want:   okServer + "ok    1 model on this machine: llama3.2:latest\nFAIL  model qwen2.5-coder:3b is not pulled: run ollama pull qwen2.5-coder:3b\n" + known,
		},
		{
			name:   "no models",
			models: []api.ListModelResponse{},
			want:   okServer + "FAIL  no models on this machine: run ollama pull qwen2.5-coder:3b\nFAIL  model qwen2.5-coder:3b is not pulled: run ollama pull qwen2.5-coder:3b\n" + known,
		},
		{
			name: "generation cut at the length limit",
			chat: serveLines(append(tokenLines(`{"findings":[],"summary":"rea`), doneLine("length"))...),
			want: okServer + okModels + okModel + "FAIL  test generation: no usable answer from qwen2.5-coder:3b in 1 attempt (the answer hit the length limit of 512 tokens): try again, or a larger model: --model qwen2.5-coder:7b\n",
		},
		{
			name: "generation not JSON",
			chat: answerStream("ready"),
			want: okServer + okModels + okModel + "FAIL  test generation: no usable answer from qwen2.5-coder:3b in 1 attempt (not JSON: invalid character 'r' looking for beginning of value): try again, or a larger model: --model qwen2.5-coder:7b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.chat)
			if tt.models != nil {
				f.models = tt.models
			}
			if tt.down {
				f.Close()
			}
			var out strings.Builder
			ok := Doctor(context.Background(), Config{Host: f.URL, Timeout: 5 * time.Second, NoCache: true}, &out)
			have := regexpSeconds(out.String())
			want := strings.NewReplacer("HOST", f.URL, "ADDR", strings.TrimPrefix(f.URL, "http://")).Replace(tt.want)
			if have != want || ok != tt.wantOK {
				t.Errorf("Doctor = %v\n%s\nwant %v\n%s", ok, have, tt.wantOK, want)
			}
		})
	}
}

func TestDoctorRemoteRefused(t *testing.T) {
	var out strings.Builder
	if Doctor(context.Background(), Config{Host: "192.168.1.20"}, &out) {
		t.Error("Doctor passed with a remote host")
	}
	want := "FAIL  Ollama host 192.168.1.20:11434 (from --ollama-host) is not this machine and transaction data would leave it: use a local server, or pass --allow-remote-model if you mean to\n"
	if out.String() != want {
		t.Errorf("Doctor wrote\n%s\nwant\n%s", out.String(), want)
	}
}

// regexpSeconds replaces the measured time of the test generation.
func regexpSeconds(s string) string {
	i := strings.Index(s, " tokens in ")
	if i < 0 {
		return s
	}
	j := strings.Index(s[i:], "s, done")
	if j < 0 {
		return s
	}
	return s[:i] + " tokens in X" + s[i+j:]
}

// TestDoctorNotOllama: another program on the port is named as such, not
// taken for an Ollama without the model.
func TestDoctorNotOllama(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"a web server's 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "(HTTP 404 for /api/version)"},
		{"a page", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>dev server</html>")) }, "(its answer to /api/version is not Ollama's JSON)"},
		{"JSON of another shape", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"up"}`)) }, "(its answer to /api/version names no version)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			var out strings.Builder
			if Doctor(context.Background(), Config{Host: srv.URL, Timeout: 5 * time.Second}, &out) {
				t.Fatal("Doctor passed")
			}
			want := "FAIL  something else answers on " + strings.TrimPrefix(srv.URL, "http://") + " " + tc.want + ": it is not an Ollama server; stop it, or start Ollama elsewhere and pass --ollama-host\n"
			if out.String() != want {
				t.Errorf("Doctor wrote\n%s\nwant\n%s", out.String(), want)
			}
		})
	}
}

// TestDoctorNoAnswer: a server that accepts and never answers is said to
// be so at once, not waited on for the model's timeout and blamed on the
// model.
func TestDoctorNoAnswer(t *testing.T) {
	defer func(d time.Duration) { versionTimeout = d }(versionTimeout)
	versionTimeout = 200 * time.Millisecond
	stuck := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stuck }))
	defer srv.Close()
	defer close(stuck)
	var out strings.Builder
	start := time.Now()
	if Doctor(context.Background(), Config{Host: srv.URL, Timeout: time.Minute}, &out) {
		t.Fatal("Doctor passed")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Doctor took %s", d)
	}
	if !strings.Contains(out.String(), "accepts connections but does not answer") {
		t.Errorf("Doctor wrote %q", out.String())
	}
}
