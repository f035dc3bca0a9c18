package prompts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// doctorPrompt asks for the smallest valid answer.
var doctorPrompt = Prompt{
	System: "You check that structured output works. Answer with JSON in the requested format, nothing else.",
	User:   `This is a test, not a transaction. Answer with level "ok", the summary "ready", no findings and injection_suspected false.`,
}

// Doctor checks, one line each, what a review needs: a host txguard may
// use, a server there, the configured model on it, and one tiny generation
// with the answer schema (done, done_reason "stop", valid JSON). A failed
// line says what to fix; checks that depend on it are not run. ok is true
// when every check passed. What the server sends (version, model names,
// digests, errors) is printed through oneLine: escaped and bounded.
// versionTimeout is how long doctor waits for /api/version, which Ollama
// answers in milliseconds.
var versionTimeout = 5 * time.Second // a variable for the tests

var errNoAnswer = errors.New("no answer to /api/version")

func Doctor(ctx context.Context, cfg Config, w io.Writer) (ok bool) {
	cfg = cfg.withDefaults()
	name := oneLine(cfg.Model)
	ok = true
	check := func(pass bool, format string, args ...any) {
		tag := "ok    "
		if !pass {
			tag, ok = "FAIL  ", false
		}
		fmt.Fprintf(w, tag+format+"\n", args...)
	}
	base, err := ResolveHost(cfg, os.Getenv)
	if err != nil {
		check(false, "%s", strings.TrimPrefix(err.Error(), "prompts: "))
		return false
	}
	a := &Auditor{cfg: cfg, base: base, client: newClient(base, cfg.Timeout, cfg.AllowRemote)}
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.Timeout, errTimeout)
	defer cancel()
	fail := func(what string, err error) bool {
		_, reason := a.explain(ctx, err, 1)
		check(false, "%s%s", what, reason)
		return false
	}

	// The server must answer its version at once: one that accepts and
	// never answers is not one to wait the model's timeout for.
	vctx, vcancel := context.WithTimeoutCause(ctx, versionTimeout, errNoAnswer)
	version, err := a.client.Version(vctx)
	vcancel()
	if errors.Is(context.Cause(vctx), errNoAnswer) {
		check(false, "the server at %s accepts connections but does not answer (nothing within %s for /api/version): is it Ollama, and is it stuck?", base.Host, versionTimeout)
		return false
	}
	if what := notOllama(version, err); what != "" {
		// Another program on Ollama's port (a dev server, a proxy): its
		// 404 would otherwise read as "model not pulled".
		check(false, "something else answers on %s (%s): it is not an Ollama server; stop it, or start Ollama elsewhere and pass --ollama-host", base.Host, what)
		return false
	}
	if err != nil {
		return fail("", err)
	}
	check(true, "server %s at %s", oneLine(version), base)

	list, err := a.client.List(ctx)
	if err != nil {
		return fail("", err)
	}
	names := make([]string, len(list.Models))
	for i, m := range list.Models {
		names[i] = m.Name
	}
	if len(names) > 0 {
		check(true, "%d model%s on this machine: %s", len(names), plural(len(names)), oneLine(strings.Join(names, ", ")))
	} else {
		check(false, "no models on this machine: run ollama pull %s", name)
	}

	m, err := findModel(list, cfg.Model)
	if err == errNotPulled {
		check(false, "model %s is not pulled: run ollama pull %s", name, name)
		var rec []string
		for _, r := range RecommendedModels {
			rec = append(rec, fmt.Sprintf("%s (~%g GB RAM)", r.Name, r.RAMGB))
		}
		fmt.Fprintf(w, "      models txguard knows: %s\n", strings.Join(rec, ", "))
		return false
	} else if err != nil {
		return fail("", err)
	}
	check(true, "model %s (%.1f GB, digest %s)", name, float64(m.Size)/1e9, clip(oneLine(m.Digest), 12))

	start := time.Now()
	final, _, err := chat(ctx, a.client, cfg.Model, doctorPrompt, options(doctorPrompt, cfg.NumPredict), false, nil)
	if err != nil {
		return fail("test generation: ", err)
	}
	check(true, "test generation: %d tokens in %.1fs, done, answer matches the schema", final.EvalCount, time.Since(start).Seconds())
	return ok
}

// notOllama says how the answer to /api/version shows that the server is
// not Ollama, or "" when it does not: Ollama answers it, always, with JSON
// that names its version. Network failures are not this (no server, a
// timeout): explain words those.
func notOllama(version string, err error) string {
	var (
		se  api.StatusError
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case err == nil && version == "":
		return "its answer to /api/version names no version"
	case errors.As(err, &se):
		return fmt.Sprintf("HTTP %d for /api/version", se.StatusCode)
	case errors.As(err, &syn), errors.As(err, &typ):
		return "its answer to /api/version is not Ollama's JSON"
	}
	return ""
}
