package proxy

import (
	"bytes"
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/prompts"
	"github.com/txguard/txguard/prompts/node"
)

// Request is one intercepted JSON-RPC request.
type Request struct {
	Method string
	// Body is the request object exactly as the client sent it (one
	// element of a batch on its own): what is judged, and what is
	// forwarded unchanged when approved.
	Body   []byte
	Origin string // the client's Origin header, "" when none
	// Waiting is how many other intercepted requests wait behind this one.
	Waiting int
}

// Decision is what the judge decided, with what the audit log records.
type Decision struct {
	Forward  bool
	Level    string   // the verdict's level, "" when there is none
	Rules    []string // rule IDs of its findings
	Headline string   // the verdict in one line: the refusal's message starts with it
	Hash     string   // the transaction hash or signing hash, when known
	// Reason says why nothing was judged (an unreadable request), or
	// why it was refused.
	Reason string
}

// Judge decides one request. It must return when ctx ends (the client
// gave up, or the decision took too long): then nothing is forwarded.
type Judge func(ctx context.Context, r Request) Decision

// Config is a proxy.
type Config struct {
	// Upstream is the node every request goes on to.
	Upstream    string
	AllowRemote bool // the upstream may be another machine (--allow-remote-rpc)
	Judge       Judge
	// Serial judges one request at a time (a person at a screen); the
	// others wait their turn, and their number is shown.
	Serial bool
	// Decide bounds how long one request may wait for its decision,
	// queue included (0: DefaultDecide): a wallet that waits longer gets a
	// clear error rather than a silent timeout.
	Decide time.Duration
	// Token, when set, is the bearer token every client must send.
	Token string
	// AllowOrigins are web origins allowed to use the proxy (a dapp that
	// talks to the node itself). Others are refused: a web page the user
	// merely visits must not reach their node through it.
	AllowOrigins []string
	// AnyHost accepts any Host header (--allow-remote-clients); otherwise
	// only a loopback one, against DNS rebinding.
	AnyHost bool
	// Log receives the audit log, one JSON line per judged request.
	Log io.Writer
}

// DefaultDecide is how long a request may wait for a person: wallets give
// up after a few minutes.
const DefaultDecide = 5 * time.Minute

// Limits of what a client may send.
const (
	maxBody       = decode.MaxRequest // a 6-blob transaction fits
	maxConcurrent = 256
)

// upstreamTimeout bounds the wait for the node's answer to a request.
const upstreamTimeout = 30 * time.Second

// Refusal codes: EIP-1193's "user rejected the request", which wallets
// show as a rejection, and a server error for what could not be judged.
const (
	codeRejected = 4001
	codeInternal = -32603
)

// Server is a running proxy.
type Server struct {
	cfg     Config
	client  *http.Client
	turn    sync.Mutex // held while a request is judged, when Serial
	waiting atomic.Int32
	logMu   sync.Mutex
	slots   chan struct{}
}

// New makes a proxy.
func New(cfg Config) (*Server, error) {
	if cfg.Judge == nil || cfg.Upstream == "" {
		return nil, errors.New("proxy: a judge and an upstream are needed")
	}
	if cfg.Decide <= 0 {
		cfg.Decide = DefaultDecide
	}
	return &Server{cfg: cfg, client: prompts.LocalPassThrough(upstreamTimeout, cfg.AllowRemote), slots: make(chan struct{}, maxConcurrent)}, nil
}

// Waiting is how many intercepted requests wait for their turn.
func (s *Server) Waiting() int { return int(s.waiting.Load()) }

// ServeHTTP answers one HTTP request: JSON-RPC, a single request or a
// batch.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+s.cfg.Token)) != 1 {
		http.Error(w, "txguard proxy: a bearer token is required", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "txguard proxy: JSON-RPC wants POST", http.StatusMethodNotAllowed)
		return
	}
	if why := s.foreign(r); why != "" {
		http.Error(w, "txguard proxy: "+why, http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		http.Error(w, fmt.Sprintf("txguard proxy: the request is larger than %d MiB", maxBody>>20), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "txguard proxy: the request could not be read", http.StatusBadRequest)
		return
	}
	// At most maxConcurrent requests are worked on at once, counted once
	// their bodies are in (a client that never finishes its body holds no
	// slot); the others wait their turn.
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-r.Context().Done():
		return
	}
	trimmed := bytes.TrimSpace(body)
	origin := r.Header.Get("Origin")
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		var batch []json.RawMessage
		if err := json.Unmarshal(trimmed, &batch); err != nil {
			writeJSON(w, rpcError(nil, -32700, "parse error: "+err.Error()))
			return
		}
		if !anyGated(batch) {
			s.forward(w, r, body) // byte for byte
			return
		}
		out := make([]json.RawMessage, len(batch))
		for i, one := range batch {
			out[i] = s.one(r.Context(), one, origin)
		}
		b, _ := json.Marshal(out)
		writeJSON(w, b)
	default:
		if m, ok := methodOf(trimmed); !ok || !gated(m) {
			s.forward(w, r, body) // the node answers what it does not understand
			return
		}
		writeJSON(w, s.one(r.Context(), trimmed, origin))
	}
}

// foreign says why a request comes from where it must not: a web page
// (its Origin is a web origin; wallets send an extension's, or none), or
// a Host that is not this machine (a DNS-rebinding page). "" when fine.
func (s *Server) foreign(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" && !slices.Contains(s.cfg.AllowOrigins, o) {
		if u, err := url.Parse(o); err != nil || u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "" || o == "null" {
			return "requests from web pages (Origin " + strconv.Quote(clip(o, 80)) + ") are refused: only your wallet may use this endpoint (--allow-origin for a dapp you trust)"
		}
	}
	if !s.cfg.AnyHost {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if !prompts.IsLoopbackHost(strings.Trim(host, "[]")) {
			return "Host " + strconv.Quote(clip(r.Host, 80)) + " is not this machine"
		}
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// invalidRequest is geth's answer to a batch element that is no request.
var invalidRequest = json.RawMessage(`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`)

// one answers a single request of a batch, or one that is gated. An
// element that is not a JSON object (a nested batch) is answered here,
// never forwarded: what is forwarded must be what was judged.
func (s *Server) one(ctx context.Context, body []byte, origin string) json.RawMessage {
	if b := bytes.TrimSpace(body); len(b) == 0 || b[0] != '{' {
		return invalidRequest
	}
	m, _ := methodOf(body)
	if !gated(m) {
		resp, err := s.post(ctx, body)
		if err != nil {
			return rpcError(idOf(body), codeInternal, "txguard proxy: the node: "+err.Error())
		}
		return resp
	}
	if operator(m) {
		return rpcError(idOf(body), codeRejected, "txguard: "+m+" is a node operator's method, not a wallet's: the proxy does not pass it on")
	}
	if refused[strings.ToLower(m)] {
		d := Decision{Reason: m + " is not a request txguard can judge, so it is refused"}
		s.audit(m, origin, d, false)
		return rpcError(idOf(body), codeRejected, "txguard: "+d.Reason)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Decide)
	defer cancel()
	d := s.judge(ctx, Request{Method: m, Body: body, Origin: origin})
	switch {
	case ctx.Err() != nil:
		// The client gave up, or the decision took too long: whatever
		// was decided, nothing goes on.
		why := "no decision within " + s.cfg.Decide.String()
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			why = "the client stopped waiting"
		}
		d.Forward, d.Reason = false, why
		s.audit(m, origin, d, false)
		return rpcError(idOf(body), codeRejected, "txguard: "+why+": nothing was sent")
	case !d.Forward:
		s.audit(m, origin, d, false)
		msg := "txguard: " + cmp.Or(d.Headline, d.Reason)
		if d.Level != "" {
			msg = fmt.Sprintf("txguard: %s (%s): rejected, nothing was sent", cmp.Or(d.Headline, d.Reason), d.Level)
		}
		return rpcError(idOf(body), codeRejected, msg)
	}
	resp, err := s.post(ctx, body)
	s.audit(m, origin, d, err == nil)
	if err != nil {
		return rpcError(idOf(body), codeInternal, "txguard proxy: approved, but the node: "+err.Error())
	}
	return resp
}

// judge runs the judge, one request at a time when Serial.
func (s *Server) judge(ctx context.Context, r Request) Decision {
	if s.cfg.Serial {
		s.waiting.Add(1)
		got := make(chan struct{})
		go func() { s.turn.Lock(); close(got) }()
		select {
		case <-got:
			s.waiting.Add(-1)
			defer s.turn.Unlock()
		case <-ctx.Done():
			s.waiting.Add(-1)
			go func() { <-got; s.turn.Unlock() }() // give the turn on
			return Decision{Reason: "the client stopped waiting"}
		}
		r.Waiting = s.Waiting()
	}
	return s.cfg.Judge(ctx, r)
}

// forward passes a request on and the node's answer back, unchanged.
func (s *Server) forward(w http.ResponseWriter, r *http.Request, body []byte) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, s.cfg.Upstream, bytes.NewReader(body))
	if err != nil {
		writeJSON(w, rpcError(nil, codeInternal, "txguard proxy: "+err.Error()))
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		w.Write(rpcError(idOf(bytes.TrimSpace(body)), codeInternal, "txguard proxy: the node is not reachable: "+node.Reason(err, upstreamTimeout)))
		return
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// post sends one request and returns the node's answer.
func (s *Server) post(ctx context.Context, body []byte) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.Upstream, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, errors.New(node.Reason(err, upstreamTimeout))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, errors.New(node.Reason(err, upstreamTimeout))
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("the node answered HTTP %d without JSON", resp.StatusCode)
	}
	return bytes.TrimSpace(b), nil
}

// auditLine is one judged request in the audit log.
type auditLine struct {
	Time      string   `json:"time"`
	Method    string   `json:"method"`
	Origin    string   `json:"origin,omitempty"`
	Hash      string   `json:"hash,omitempty"`
	Level     string   `json:"level,omitempty"`
	Rules     []string `json:"rules"`
	Decision  string   `json:"decision"` // approved or rejected
	Reason    string   `json:"reason,omitempty"`
	Forwarded bool     `json:"forwarded"`
}

func (s *Server) audit(method, origin string, d Decision, forwarded bool) {
	if s.cfg.Log == nil {
		return
	}
	l := auditLine{Time: time.Now().UTC().Format(time.RFC3339Nano), Method: method, Origin: origin, Hash: d.Hash,
		Level: d.Level, Rules: d.Rules, Decision: "rejected", Reason: d.Reason, Forwarded: forwarded}
	if l.Rules == nil {
		l.Rules = []string{}
	}
	if d.Forward {
		l.Decision = "approved"
	}
	b, _ := json.Marshal(l)
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.cfg.Log.Write(append(decode.EscapeJSON(b), '\n'))
}

// refused are methods that sign or move value and that txguard does not
// read, lower-cased: forwarding them unjudged would be a hole in the
// firewall.
var refused = map[string]bool{
	"eth_sendrawtransactionconditional": true, "eth_sendprivatetransaction": true, "eth_sendprivaterawtransaction": true,
	"eth_sendbundle": true, "mev_sendbundle": true, "personal_sendtransaction": true, "personal_signtransaction": true,
	"eth_signtypeddata_v1": true, "wallet_sendtransaction": true,
}

// operatorNamespaces are a node's namespaces for its operator (rewind the
// chain, write files, unlock accounts, drive consensus): no wallet calls
// them, so the proxy refuses them rather than hand them to any client.
var operatorNamespaces = []string{"admin_", "debug_", "miner_", "personal_", "engine_", "clique_"}

// gated reports whether a method, in any case, is judged (or refused)
// rather than forwarded: a node matches names exactly, but a lenient one
// could take a case variant for a gated name.
func gated(m string) bool {
	return decode.Signs(m) || refused[strings.ToLower(m)] || operator(m)
}

func operator(m string) bool {
	lower := strings.ToLower(m)
	return !decode.Signs(m) && // personal_sign is a wallet's
		slices.ContainsFunc(operatorNamespaces, func(ns string) bool { return strings.HasPrefix(lower, ns) })
}

func anyGated(batch []json.RawMessage) bool {
	for _, one := range batch {
		if m, ok := methodOf(one); !ok || gated(m) {
			return true
		}
	}
	return false
}

// methodOf reads a request's method; false when it is not a JSON object
// with a string method, or names "method" twice (ambiguous: refused).
func methodOf(body []byte) (string, bool) {
	var probe struct {
		Method *string `json:"method"`
	}
	if json.Unmarshal(body, &probe) != nil || probe.Method == nil {
		return "", false
	}
	if bytes.Count(bytes.ToLower(body), []byte(`"method"`)) > 1 {
		return "eth_sendTransaction", true // judged, and the judge refuses what it cannot read
	}
	return *probe.Method, true
}

func idOf(body []byte) json.RawMessage {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &probe) != nil || len(probe.ID) == 0 {
		return json.RawMessage("null")
	}
	return probe.ID
}

func rpcError(id json.RawMessage, code int, msg string) json.RawMessage {
	if id == nil {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{code, msg}})
	return b
}

func writeJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
