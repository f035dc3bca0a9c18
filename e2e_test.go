package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ollama/ollama/fs/ggml"
)

// TestE2EOllama runs txguard against a REAL Ollama server with a tiny
// random-weights model: its words are noise, but the server, schema
// constrained sampling, streaming, done_reason, token counts and every
// failure path are real. .ci/build-ollama builds the server; the test
// finds it through $TXGUARD_OLLAMA or on PATH, and skips without one.
func TestE2EOllama(t *testing.T) {
	bin := os.Getenv("TXGUARD_OLLAMA")
	if bin == "" {
		bin, _ = exec.LookPath("ollama")
	}
	if bin == "" {
		t.Skip("no Ollama server binary: set TXGUARD_OLLAMA or run .ci/build-ollama (CI does)")
	}
	dir := t.TempDir()
	host := freeLoopback(t)
	env := append(os.Environ(), "OLLAMA_HOST="+host, "OLLAMA_MODELS="+filepath.Join(dir, "models"), "HOME="+dir,
		"OLLAMA_NOPRUNE=1", "OLLAMA_NO_CLOUD=1", "GIN_MODE=release")
	serve := startOllama(t, bin, env)

	if err := writeTinyLlama(filepath.Join(dir, "tiny.gguf"), 1); err != nil {
		t.Fatal(err)
	}
	modelfile := "FROM ./tiny.gguf\nTEMPLATE \"\"\"{{- if .System }}<|system|>\n{{ .System }}\n{{ end }}{{- range .Messages }}<|{{ .Role }}|>\n{{ .Content }}\n{{ end }}<|assistant|>\n\"\"\"\n"
	if err := os.WriteFile(filepath.Join(dir, "Modelfile"), []byte(modelfile), 0o644); err != nil {
		t.Fatal(err)
	}
	create := exec.Command(bin, "create", "tiny", "-f", "Modelfile")
	create.Dir, create.Env = dir, env
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("ollama create: %v\n%s", err, out)
	}

	check := func(t *testing.T, args ...string) (result, map[string]any) {
		t.Helper()
		args = append([]string{"check", "--ollama-host", host, "--model-timeout", "3m", "--format", "json"}, args...)
		r := runBinary(t, "", args...)
		var v map[string]any
		if r.stdout != "" {
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
				t.Fatalf("verdict is not JSON: %v\n%s", err, r.stdout)
			}
		}
		return r, v
	}

	t.Run("a dangerous permit stays at danger or above, with the model's record", func(t *testing.T) {
		r, v := check(t, "--model", "tiny", "--no-cache", "fixtures/sign/permit2-single-envelope.json")
		if r.code != exitBlocked {
			t.Fatalf("exit %d, want %d; stderr %s", r.code, exitBlocked, r.stderr)
		}
		model, _ := v["model"].(map[string]any)
		if model == nil {
			t.Fatalf("no model review on the verdict: %s", r.stdout)
		}
		t.Logf("model review: status %v, reason %v, record %v", model["status"], model["reason"], model["record"])
		if model["status"] != "ok" && model["status"] != "failed" {
			t.Errorf("model status %v: the server was there, so the review must be ok or failed", model["status"])
		}
	})

	t.Run("an injected permit stays blocked", func(t *testing.T) {
		files, _ := filepath.Glob("fixtures/rules/TG701-fire-*.json")
		if len(files) == 0 {
			t.Skip("no TG701 fixtures")
		}
		r, v := check(t, "--model", "tiny", "--no-cache", files[0])
		if r.code != exitBlocked || v["level"] == "ok" {
			t.Errorf("exit %d level %v, want blocked", r.code, v["level"])
		}
	})

	t.Run("prompt sizes of every fixture kind", func(t *testing.T) {
		for _, f := range []string{"fixtures/benign/usdc-to-contact.hex", "fixtures/calls/universal-router-swap.hex", "fixtures/sign/siwe-envelope.json"} {
			_, v := check(t, "--model", "tiny", "--no-cache", "--fail-on", "critical", f)
			model, _ := v["model"].(map[string]any)
			record, _ := model["record"].(map[string]any)
			t.Logf("%s: status %v prompt_eval_count %v eval_count %v", f, model["status"], record["promptEvalCount"], record["evalCount"])
		}
	})

	t.Run("a model that is not present gives the pull advice", func(t *testing.T) {
		r, v := check(t, "--model", "not-pulled:1b", "fixtures/calls/erc20-approve-unlimited.hex")
		model, _ := v["model"].(map[string]any)
		if r.code != exitBlocked || model["status"] != "unavailable" || !strings.Contains(fmt.Sprint(model["reason"]), "ollama pull not-pulled:1b") {
			t.Errorf("exit %d model %v", r.code, model)
		}
	})

	t.Run("the verdict screen streams the review in a real terminal", func(t *testing.T) {
		p := startPane(t, 80, 24, []string{"OLLAMA_HOST=" + host},
			shellQuote(txguardBin)+" check --model tiny --no-cache --model-timeout 3m "+absArg(t, "fixtures/sign/permit2-single-envelope.json")+" > out")
		t.Logf("while the model writes:\n%s", p.waitFor("asking tiny"))
		t.Logf("when it is done:\n%s", p.waitForAny(4*time.Minute, "the model says", "no model review (failed)"))
		p.keys("r")
		if code, out := p.exit(); code != exitBlocked || out != "" {
			t.Errorf("rejected: exit %d, stdout %q", code, out)
		}
	})

	t.Run("a stopped server leaves the rules verdict and a clear line", func(t *testing.T) {
		stopOllama(serve)
		r, v := check(t, "--model", "tiny", "fixtures/calls/erc20-approve-unlimited.hex")
		model, _ := v["model"].(map[string]any)
		if r.code != exitBlocked || v["level"] != "danger" || !strings.Contains(fmt.Sprint(model["reason"]), "start it with `ollama serve`") {
			t.Errorf("exit %d level %v model %v", r.code, v["level"], model)
		}
	})
}

// stopOllama ends the server and its runner.
func stopOllama(cmd *exec.Cmd) {
	if cmd.ProcessState != nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
}

func freeLoopback(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startOllama runs `ollama serve` and waits until it answers.
func startOllama(t *testing.T, bin string, env []string) *exec.Cmd {
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	// Its own process group: the server starts a runner process that a
	// kill of the server alone would leave behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, err := os.Create(filepath.Join(t.TempDir(), "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopOllama(cmd) })
	var host string
	for _, e := range env {
		if h, ok := strings.CutPrefix(e, "OLLAMA_HOST="); ok {
			host = h
		}
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + host + "/api/version"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return cmd
		}
	}
	b, _ := os.ReadFile(logf.Name())
	t.Fatalf("ollama serve did not answer within 30s:\n%s", b)
	return nil
}

// writeTinyLlama writes a 2-layer, 64-wide llama GGUF with a byte-level
// SentencePiece vocabulary (259 tokens) and uniform random f32 weights
// from seed, with ollama's own ggml.WriteGGUF: about 0.5 MB.
func writeTinyLlama(path string, seed uint64) error {
	const (
		nVocab, nEmbd, nFF, nLayer, nHead = 3 + 256, 64, 128, 2, 4
		headDim                           = nEmbd / nHead
	)
	rng := rand.New(rand.NewPCG(seed, 0x7478677561726421))
	tokens := []string{"<unk>", "<s>", "</s>"}
	scores := []float32{0, 0, 0}
	types := []int32{2, 3, 3} // unknown, control, control; bytes are 6
	for b := range 256 {
		tokens, scores, types = append(tokens, fmt.Sprintf("<0x%02X>", b)), append(scores, 0), append(types, 6)
	}
	kv := ggml.KV{
		"general.architecture": "llama", "general.name": "tiny", "general.file_type": uint32(0), "general.alignment": uint32(32),
		"llama.context_length": uint32(16384), "llama.embedding_length": uint32(nEmbd), "llama.block_count": uint32(nLayer),
		"llama.feed_forward_length": uint32(nFF), "llama.attention.head_count": uint32(nHead), "llama.attention.head_count_kv": uint32(nHead),
		"llama.attention.layer_norm_rms_epsilon": float32(1e-5), "llama.rope.dimension_count": uint32(headDim),
		"llama.rope.freq_base": float32(10000), "llama.vocab_size": uint32(nVocab),
		"tokenizer.ggml.model": "llama", "tokenizer.ggml.tokens": tokens, "tokenizer.ggml.scores": scores,
		"tokenizer.ggml.token_type": types, "tokenizer.ggml.bos_token_id": uint32(1), "tokenizer.ggml.eos_token_id": uint32(2),
		"tokenizer.ggml.unknown_token_id": uint32(0), "tokenizer.ggml.add_bos_token": true, "tokenizer.ggml.add_eos_token": false,
		"tokenizer.ggml.add_space_prefix": false,
	}
	rnd := func(n int, scale float64) f32 {
		d := make(f32, n)
		for i := range d {
			d[i] = float32((rng.Float64()*2 - 1) * scale)
			if scale == 0 {
				d[i] = 1 // norm weights
			}
		}
		return d
	}
	var ts []*ggml.Tensor
	add := func(name string, data f32, shape ...uint64) {
		ts = append(ts, &ggml.Tensor{Name: name, Kind: uint32(ggml.TensorTypeF32), Shape: shape, WriterTo: data})
	}
	add("token_embd.weight", rnd(nEmbd*nVocab, 0.5), nEmbd, nVocab)
	for i := range nLayer {
		p := fmt.Sprintf("blk.%d.", i)
		add(p+"attn_norm.weight", rnd(nEmbd, 0), nEmbd)
		for _, m := range []string{"attn_q", "attn_k", "attn_v"} {
			add(p+m+".weight", rnd(nEmbd*nEmbd, 0.5), nEmbd, nEmbd)
		}
		add(p+"attn_output.weight", rnd(nEmbd*nEmbd, 0.5), nEmbd, nEmbd)
		add(p+"ffn_norm.weight", rnd(nEmbd, 0), nEmbd)
		add(p+"ffn_gate.weight", rnd(nEmbd*nFF, 0.5), nEmbd, nFF)
		add(p+"ffn_up.weight", rnd(nEmbd*nFF, 0.5), nEmbd, nFF)
		add(p+"ffn_down.weight", rnd(nFF*nEmbd, 0.5), nFF, nEmbd)
	}
	add("output_norm.weight", rnd(nEmbd, 0), nEmbd)
	add("output.weight", rnd(nEmbd*nVocab, 0.5), nEmbd, nVocab)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := ggml.WriteGGUF(f, kv, ts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// f32 is tensor data in the little-endian layout GGUF stores.
type f32 []float32

func (d f32) WriteTo(w io.Writer) (int64, error) {
	buf := make([]byte, 4*len(d))
	for i, v := range d {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
	}
	n, err := w.Write(buf)
	return int64(n), err
}
