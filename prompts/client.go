package prompts

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// Defaults for Config's zero values.
const (
	DefaultModel      = "qwen2.5-coder:3b"
	DefaultTimeout    = 2 * time.Minute
	DefaultNumPredict = 512
)

// Fixed sampling, so the same prompt gets the same answer.
const (
	seed      = 42
	minNumCtx = 2048
	maxNumCtx = 16384
)

// The most txguard reads from the server. A valid answer is at most about
// 6,900 characters (the schema's bounds; some 41 KB if each were a \u
// escape) written in num_predict tokens (512), one streamed chunk of ~250
// bytes of JSON a token. The caps leave room for a wordy model many times
// over, and stop a server that floods (endless chunks, one endless chunk)
// long before memory or the timeout suffer.
const (
	maxContent  = 64 << 10 // bytes of answer text
	maxChunks   = 8192     // streamed chunks
	maxResponse = 4 << 20  // bytes of any one response: a stream, /api/tags
)

// RecommendedModel is a model txguard is meant to run with.
type RecommendedModel struct {
	Name  string
	RAMGB float64 // memory it needs, roughly
	Note  string
}

// RecommendedModels, smallest first.
var RecommendedModels = []RecommendedModel{
	{"qwen2.5-coder:1.5b", 1.5, "fastest, for machines with little memory"},
	{"qwen2.5-coder:3b", 2.5, "the default"},
	{"llama3.2:3b", 3, "a second opinion from another family"},
	{"qwen2.5-coder:7b", 5.5, "the best answers, if memory allows"},
}

// Config says which Ollama server and model review a verdict, and how.
type Config struct {
	Host        string        // --ollama-host or the config file's; "" reads OLLAMA_HOST, then DefaultHost
	HostFrom    string        // where Host was set, for errors: "" is --ollama-host, else the config file's path
	AllowRemote bool          // allow a Host that is not this machine
	Model       string        // "" is DefaultModel
	Timeout     time.Duration // the whole review, retry included; 0 is DefaultTimeout
	NoCache     bool          // --no-cache: neither read nor write cached reviews
	CacheDir    string        // "" is os.UserCacheDir()/txguard/reviews
	NumPredict  int           // the most tokens an answer may have; 0 is DefaultNumPredict
}

func (c Config) withDefaults() Config {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.NumPredict <= 0 {
		c.NumPredict = DefaultNumPredict
	}
	return c
}

// Progress is the state of a review while the model writes.
type Progress struct {
	Attempt int           // 1, or 2 when the first answer was rejected
	Elapsed time.Duration // since the review started
	Tokens  int           // tokens generated in this attempt
	Text    string        // the answer so far: JSON as it streams
}

// String is a one-line status for stderr.
func (p Progress) String() string {
	s := fmt.Sprintf("model: %.1fs, %d tokens", p.Elapsed.Seconds(), p.Tokens)
	if p.Attempt > 1 {
		s += fmt.Sprintf(" (attempt %d)", p.Attempt)
	}
	return s
}

// newClient is an Ollama client on base with its own timeouts
// (api.ClientFromEnvironment has none). Ollama sends the response header of
// a streamed chat only with the first token, after loading the model and
// reading the prompt, so the header timeout is the whole review's. Reads
// after the header are bounded by the request's context (Review's and
// Doctor's timeout) and by maxResponse.
func newClient(base *url.URL, timeout time.Duration, allowRemote bool) *api.Client {
	return api.NewClient(base, LocalHTTPClient(timeout, allowRemote))
}

// LocalHTTPClient is the HTTP client for a server on this machine (the
// model's, the node's): "localhost" is never looked up, the dialer refuses
// any address that is not loopback unless allowRemote, no proxy carries the
// request away, redirects are refused, and every response body is capped
// at maxResponse. headerTimeout bounds the wait for a response's header.
func LocalHTTPClient(headerTimeout time.Duration, allowRemote bool) *http.Client {
	c := LocalPassThrough(headerTimeout, allowRemote)
	c.Transport = capped{c.Transport}
	return c
}

// LocalPassThrough is LocalHTTPClient without the cap on responses, for
// the proxy, which hands a node's answers (a large eth_getLogs) back to
// its client as they are and reads none of them itself. It keeps enough
// idle connections for a busy wallet.
func LocalPassThrough(headerTimeout time.Duration, allowRemote bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		DialContext:           dialLocalhost(d.DialContext),
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: headerTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   256,
		// On loopback, compressing every answer (geth gzips when asked,
		// and Go's transport asks) costs CPU and saves nothing.
		DisableCompression: !allowRemote,
	}
	if allowRemote {
		t.Proxy = http.ProxyFromEnvironment
	} else {
		d.Control = LoopbackOnly // and no proxy: the data stays here
	}
	return &http.Client{
		Transport: t,
		// Neither Ollama nor a node redirects; following one could carry
		// the request away.
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			return fmt.Errorf("the server redirected to %s", req.URL.Redacted())
		},
	}
}

type dialFunc = func(ctx context.Context, network, address string) (net.Conn, error)

// dialLocalhost dials "localhost" as 127.0.0.1, then ::1: the name is never
// looked up, so no DNS query about it leaves the machine (Go asks DNS when
// the hosts file lacks it) and no resolver can point it elsewhere.
func dialLocalhost(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(address)
		if err != nil || !strings.EqualFold(host, "localhost") {
			return dial(ctx, network, address)
		}
		c, err := dial(ctx, network, net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			if c6, err6 := dial(ctx, network, net.JoinHostPort("::1", port)); err6 == nil {
				return c6, nil
			}
		}
		return c, err
	}
}

// floodError: the server sent far more than any answer needs.
type floodError struct{ what string }

func (e *floodError) Error() string { return "the server sent " + e.what }

// stopKey holds, in a request's context, the cancel function a capped body
// calls when it trips: api.Client reads a stream with a bufio.Scanner whose
// error it never checks, so chat learns of the cap from its context.
type stopKey struct{}

// capped limits every response body to maxResponse bytes.
type capped struct{ http.RoundTripper }

func (t capped) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.RoundTripper.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	stop, _ := req.Context().Value(stopKey{}).(context.CancelCauseFunc)
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: maxResponse, stop: stop}
	return resp, nil
}

type cappedBody struct {
	io.ReadCloser
	left int64                   // bytes still allowed
	stop context.CancelCauseFunc // nil unless the request is chat's
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte past the cap shows it was crossed
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		err = &floodError{fmt.Sprintf("more than %d MiB in one response", maxResponse>>20)}
		if b.stop != nil {
			b.stop(err)
		}
		n = int(b.left)
	}
	b.left -= int64(n)
	return n, err
}

// options are the model options of a review: a map, since api.Options
// drops temperature 0 (omitempty). num_ctx holds the prompt, estimated
// generously at a token per 2 bytes, and the answer.
func options(p Prompt, numPredict int) map[string]any {
	est := (len(p.System)+len(p.User)+1)/2 + 128 + numPredict // 128: the chat template
	numCtx := min(max((est+1023)/1024*1024, minNumCtx), maxNumCtx)
	return map[string]any{
		"temperature": 0,
		"seed":        seed,
		"num_ctx":     numCtx,
		"num_predict": numPredict,
	}
}

// badAnswer is a reply that came back but cannot be used: cut, too long,
// not JSON or not the schema. It is the one failure worth a retry.
type badAnswer struct{ problem string }

func (e *badAnswer) Error() string { return e.problem }

// remoteModelError: the model runs on another host (an Ollama "cloud"
// model: the local server forwards the prompt to ollama.com). Refused even
// with AllowRemote, as ollama.com itself is: it is a hosted service.
type remoteModelError struct{ host string }

func (e *remoteModelError) Error() string { return "the model runs on " + e.host }

// chat asks once and validates the answer. onToken sees the tokens so far
// and the raw text: escape it before it reaches a terminal.
func chat(ctx context.Context, c *api.Client, model string, p Prompt, opts map[string]any, withIntent bool, onToken func(tokens int, text string)) (api.ChatResponse, *answer, error) {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	ctx = context.WithValue(ctx, stopKey{}, stop)
	yes, no := true, false
	req := &api.ChatRequest{
		Model: model,
		Messages: []api.Message{
			{Role: "system", Content: p.System},
			{Role: "user", Content: p.User},
		},
		Stream:   &yes,
		Format:   format(withIntent),
		Options:  opts,
		Truncate: &no, // an oversized prompt is an error, not a prompt without its system part
		Shift:    &no, // nor shifted out of the context while the model writes
		Think:    &api.ThinkValue{Value: false},
	}
	var (
		text           strings.Builder
		final          api.ChatResponse
		done           bool
		tokens, chunks int
	)
	err := c.Chat(ctx, req, func(r api.ChatResponse) error {
		if r.RemoteHost != "" { // findModel refuses these; a late swap ends here
			return &remoteModelError{r.RemoteHost}
		}
		if chunks++; chunks > maxChunks {
			return &floodError{fmt.Sprintf("more than %d chunks", maxChunks)}
		}
		if text.Len()+len(r.Message.Content) > maxContent {
			return &floodError{fmt.Sprintf("more than %d KiB of answer text", maxContent>>10)}
		}
		if r.Message.Content != "" || r.Message.Thinking != "" {
			tokens++
		}
		text.WriteString(r.Message.Content)
		if r.Done {
			done, final = true, r
			if r.EvalCount > 0 {
				tokens = r.EvalCount // the server's count; a chunk may hold several
			}
		}
		if onToken != nil {
			onToken(tokens, text.String())
		}
		return nil
	})
	switch {
	case !done && ctx.Err() != nil:
		// The stream was cut by the timeout, a cancel or a capped body
		// (floodError). The client ends it without an error, or with one
		// made of the cut line: the cause is what happened.
		return final, nil, context.Cause(ctx)
	case err != nil:
		return final, nil, err
	case !done:
		return final, nil, &badAnswer{"the stream ended before the answer was done"}
	case final.DoneReason == "length":
		return final, nil, &badAnswer{fmt.Sprintf("the answer hit the length limit of %d tokens", opts["num_predict"])}
	case final.DoneReason != "stop":
		return final, nil, &badAnswer{fmt.Sprintf("generation ended with done_reason %q", final.DoneReason)}
	}
	a, err := parseAnswer(text.String(), withIntent)
	if err != nil {
		return final, nil, &badAnswer{err.Error()}
	}
	return final, a, nil
}
