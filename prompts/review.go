package prompts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/types/model"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// maxAttempts: a bad answer is retried once, with a new nonce.
const maxAttempts = 2

var (
	errTimeout   = errors.New("review timed out")
	errNotPulled = errors.New("model not pulled")
	errModelName = errors.New("not a model name")
	errRender    = errors.New("could not build the prompt")
)

// Auditor asks one Ollama server and model for reviews. It is safe for
// concurrent use.
type Auditor struct {
	cfg    Config
	base   *url.URL
	client *api.Client
	cache  *cache // nil: no caching

	mu    sync.Mutex
	model *api.ListModelResponse // found once per Auditor
}

// NewAuditor checks cfg's host (see ResolveHost) and fills in defaults. It
// does not contact the server: Review and Doctor report what is missing.
func NewAuditor(cfg Config) (*Auditor, error) {
	cfg = cfg.withDefaults()
	base, err := ResolveHost(cfg, os.Getenv)
	if err != nil {
		return nil, err
	}
	return &Auditor{cfg: cfg, base: base, client: newClient(base, cfg.Timeout, cfg.AllowRemote), cache: openCache(cfg)}, nil
}

// Unavailable is the review to record when NewAuditor failed: the rules'
// verdict stands, and Reason says why there is no review.
func Unavailable(err error) *guard.ModelReview {
	return &guard.ModelReview{Status: guard.StatusUnavailable, Reason: oneLine(strings.TrimPrefix(err.Error(), "prompts: "))}
}

// Review asks the model about v. It never fails: a review that could not be
// had is a ModelReview with status unavailable or failed and a one-line
// Reason saying what to do. onProgress (may be nil) sees the answer stream.
// The whole review, retry included, is bounded by Config.Timeout.
func (a *Auditor) Review(ctx context.Context, v *guard.Verdict, onProgress func(Progress)) *guard.ModelReview {
	start := time.Now()
	ctx, cancel := context.WithTimeoutCause(ctx, a.cfg.Timeout, errTimeout)
	defer cancel()
	rec := map[string]any{"model": oneLine(a.cfg.Model), "host": a.base.String(), "rulesetVersion": v.RulesetVersion}
	fail := func(err error, attempts int) *guard.ModelReview {
		status, reason := a.explain(ctx, err, attempts)
		if attempts > 0 {
			rec["attempts"] = attempts
		}
		rec["elapsedMs"] = time.Since(start).Milliseconds()
		return &guard.ModelReview{Status: status, Reason: reason, Record: rec}
	}

	m, err := a.localModel(ctx)
	if err != nil {
		return fail(err, 0)
	}
	rec["digest"] = oneLine(m.Digest) // the server's: printed by reports
	p, err := Render(v, NewNonce())
	if err != nil {
		return fail(renderError(err), 0)
	}
	rec["templateHash"] = p.TemplateHash
	opts := options(p, a.cfg.NumPredict)
	rec["options"] = opts
	withIntent := v.Intent != ""

	var key string
	rec["cache"] = "off"
	if a.cache != nil {
		key = cacheKey(v, m.Digest, p.TemplateHash, opts, format(withIntent))
		if ans, e := a.cache.load(key, withIntent); ans != nil {
			rec["cache"] = "hit"
			return reviewOf(ans, api.ChatResponse{Metrics: e.Metrics}, rec, e.Attempts, start)
		}
		rec["cache"] = "miss"
	}

	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if p, err = Render(v, NewNonce()); err != nil {
				return fail(renderError(err), attempt-1)
			}
		}
		progress := func(tokens int, text string) {
			if onProgress != nil {
				onProgress(Progress{Attempt: attempt, Elapsed: time.Since(start), Tokens: tokens, Text: text})
			}
		}
		final, ans, err := chat(ctx, a.client, a.cfg.Model, p, opts, withIntent, progress)
		if n, ok := opts["num_ctx"].(int); ok && n < maxNumCtx && tooLong(err) {
			// The bytes-per-token estimate was wrong for this model's
			// tokenizer: ask again with twice the context; not an attempt.
			opts["num_ctx"] = min(2*n, maxNumCtx)
			attempt--
			continue
		}
		if final.Done {
			// Token counts tell how big the prompt was even when the
			// answer is unusable: keep the last attempt's.
			rec["promptEvalCount"], rec["evalCount"] = final.PromptEvalCount, final.EvalCount
		}
		if err != nil {
			var bad *badAnswer
			if errors.As(err, &bad) && attempt < maxAttempts && ctx.Err() == nil {
				continue
			}
			return fail(err, attempt)
		}
		if key != "" {
			if err := a.cache.store(key, ans, final, attempt); err != nil {
				rec["cacheError"] = oneLine(err.Error())
			}
		}
		return reviewOf(ans, final, rec, attempt, start)
	}
}

// reviewOf turns a validated answer into a review. Rule and Source of the
// findings are guard.Merge's to set.
func reviewOf(ans *answer, final api.ChatResponse, rec map[string]any, attempts int, start time.Time) *guard.ModelReview {
	level, _ := guard.ParseLevel(ans.Level) // validated against the enum
	var fs []guard.Finding
	for _, f := range ans.Findings {
		sev, _ := guard.ParseLevel(f.Severity)
		fs = append(fs, guard.Finding{Severity: sev, Title: f.Title, Explanation: f.Explanation, Evidence: f.Evidence})
	}
	rec["attempts"] = attempts
	rec["promptEvalCount"] = final.PromptEvalCount
	rec["evalCount"] = final.EvalCount
	rec["durationsMs"] = map[string]int64{
		"total":      final.TotalDuration.Milliseconds(),
		"load":       final.LoadDuration.Milliseconds(),
		"promptEval": final.PromptEvalDuration.Milliseconds(),
		"eval":       final.EvalDuration.Milliseconds(),
	}
	rec["elapsedMs"] = time.Since(start).Milliseconds()
	rec["injectionSuspected"] = ans.InjectionSuspected
	if ans.IntentMatch != nil {
		rec["intentMatch"] = *ans.IntentMatch
	}
	return &guard.ModelReview{Status: guard.StatusOK, Level: &level, Summary: ans.Summary, Findings: fs, Record: rec}
}

// localModel finds the configured model on the server, once: its digest
// keys the cache, and a model that would send the prompt elsewhere (an
// Ollama cloud model) is refused before anything is sent.
func (a *Auditor) localModel(ctx context.Context) (*api.ListModelResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.model != nil {
		return a.model, nil
	}
	list, err := a.client.List(ctx)
	if err != nil {
		return nil, err
	}
	m, err := findModel(list, a.cfg.Model)
	if err != nil {
		return nil, err
	}
	a.model = m
	return m, nil
}

// findModel matches name as Ollama does ("llama3.2" is
// "registry.ollama.ai/library/llama3.2:latest", case aside).
func findModel(list *api.ListResponse, name string) (*api.ListModelResponse, error) {
	want := model.ParseName(name)
	if !want.IsValid() {
		return nil, errModelName
	}
	for i := range list.Models {
		m := &list.Models[i]
		if !model.ParseName(m.Name).EqualFold(want) && !model.ParseName(m.Model).EqualFold(want) {
			continue
		}
		if m.RemoteHost != "" {
			return nil, &remoteModelError{m.RemoteHost}
		}
		return m, nil
	}
	return nil, errNotPulled
}

// explain turns an error into a status and a one-line reason that says
// what to do. Every string the server sent goes through oneLine, and so
// does the model name (a config file's).
func (a *Auditor) explain(ctx context.Context, err error, attempts int) (status, reason string) {
	name, host := oneLine(a.cfg.Model), a.base.Host // host: an IP or a checked name
	var (
		flood  *floodError
		bad    *badAnswer
		se     api.StatusError
		auth   api.AuthorizationError
		op     *net.OpError
		remote *notLoopbackError
		cloud  *remoteModelError
		ne     net.Error
	)
	dial := errors.As(err, &op) && op.Op == "dial"
	// The transport's response header timeout is the same bound as ctx's.
	timedOut := errors.Is(context.Cause(ctx), errTimeout) || errors.As(err, &ne) && ne.Timeout() && !dial
	switch {
	case errors.As(err, &flood):
		return guard.StatusUnavailable, fmt.Sprintf("the server at %s sent %s, far more than any answer: it is not behaving like Ollama; check what is listening there", host, flood.what)
	case timedOut:
		return guard.StatusFailed, fmt.Sprintf("no answer from %s within %v: try again, allow more time%s", name, a.cfg.Timeout, other(name, 0, "a smaller model"))
	case ctx.Err() != nil:
		return guard.StatusFailed, "review cancelled"
	case errors.As(err, &remote):
		return guard.StatusUnavailable, fmt.Sprintf("Ollama host %s led to %s, which is not this machine: refusing to send transaction data there", host, remote.addr)
	case errors.Is(err, errNotPulled), errors.As(err, &se) && se.StatusCode == http.StatusNotFound:
		return guard.StatusUnavailable, fmt.Sprintf("model %s is not on this machine: `ollama pull %s`", name, name)
	case errors.Is(err, errModelName):
		return guard.StatusUnavailable, fmt.Sprintf("%q is not a model name: try --model %s", clip(a.cfg.Model, 100), DefaultModel)
	case errors.As(err, &cloud):
		return guard.StatusUnavailable, fmt.Sprintf("model %s runs on %s, not on this machine: use a local model, e.g. `ollama pull %s`", name, oneLine(cloud.host), DefaultModel)
	case dial:
		return guard.StatusUnavailable, fmt.Sprintf("no Ollama server at %s: start it with `ollama serve`", host)
	case errors.As(err, &auth):
		return guard.StatusUnavailable, fmt.Sprintf("the Ollama server at %s refused the request (%d): check its configuration", host, auth.StatusCode)
	case tooLong(err):
		return guard.StatusFailed, fmt.Sprintf("the input is too large for a local review: its prompt does not fit the largest context txguard asks for (%d tokens)", maxNumCtx)
	case errors.As(err, &se):
		return guard.StatusFailed, fmt.Sprintf("Ollama answered %d (%s): see the `ollama serve` log", se.StatusCode, oneLine(se.ErrorMessage))
	case errors.As(err, &bad):
		return guard.StatusFailed, fmt.Sprintf("no usable answer from %s in %d attempt%s (%s): try again%s", name, attempts, plural(attempts), oneLine(bad.problem), other(name, len(RecommendedModels)-1, "a larger model"))
	case errors.Is(err, errRender):
		return guard.StatusFailed, oneLine(err.Error())
	default:
		return guard.StatusFailed, "Ollama stopped with an error: " + oneLine(err.Error())
	}
}

func renderError(err error) error {
	return fmt.Errorf("%w: %s", errRender, strings.TrimPrefix(err.Error(), "prompts: "))
}

// other suggests RecommendedModels[i] unless it is the model in use.
func other(current string, i int, what string) string {
	if m := RecommendedModels[i].Name; m != current {
		return fmt.Sprintf(", or %s: --model %s", what, m)
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// oneLine makes a string that txguard did not write (a server's message,
// version, model name or digest) fit a Reason or a doctor line: one line,
// escaped, bounded. Ours must be the only escape sequences on the terminal:
// a hostile server could otherwise clear the screen, retitle the window or
// write the clipboard (OSC 52). Invalid UTF-8 goes too, as a lone 0x9b byte
// is a CSI to some terminals.
func oneLine(s string) string {
	s = strings.ToValidUTF8(clip(s, 200), "\uFFFD")
	return clip(decode.Escape(strings.Join(strings.Fields(s), " ")), 200)
}

// tooLong reports Ollama's refusal of a prompt longer than num_ctx (sent
// with truncate false, so nothing is silently cut).
func tooLong(err error) bool {
	var se api.StatusError
	return errors.As(err, &se) && strings.Contains(se.ErrorMessage, "exceeds the context length")
}
