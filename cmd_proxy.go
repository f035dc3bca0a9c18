package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
	"github.com/txguard/txguard/prompts"
	"github.com/txguard/txguard/prompts/node"
	"github.com/txguard/txguard/prompts/proxy"
	"github.com/txguard/txguard/tui"
)

// proxyCommand is `txguard proxy`: the RPC firewall a wallet points its
// network's RPC URL at. This file wires it: the server is prompts/proxy,
// the judgement is check's (decode, simulation on the upstream, rules,
// model, screen).
func proxyCommand(tty terminal) *cli.Command {
	return &cli.Command{
		Name:  "proxy",
		Usage: "a JSON-RPC endpoint for your wallet: forwards everything to your node, except signing requests, which are judged first (the screen at a terminal, --fail-on headless)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "upstream", EnvVars: []string{"ETH_RPC_URL"}, Usage: "your node (default: the config file's rpc); only this machine unless --allow-remote-rpc"},
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8545", Usage: "where the wallet connects (loopback only unless --allow-remote-clients)"},
			&cli.BoolFlag{Name: "allow-remote-clients", Usage: "listen on an address other machines reach; clients must then send the bearer token (--token, or one printed at start)"},
			&cli.StringFlag{Name: "token", Usage: "the bearer token clients must send (Authorization: Bearer …)"},
			&cli.StringSliceFlag{Name: "allow-origin", Usage: "a web origin (https://app.example.org) allowed to use the proxy; web pages are refused otherwise, so a site you visit cannot reach your node"},
			&cli.StringFlag{Name: "log", Usage: "the audit log, JSON lines, appended (default: txguard/proxy.log under the user state dir)"},
			&cli.DurationFlag{Name: "decision-timeout", Value: proxy.DefaultDecide, Usage: "how long a request may wait for your decision before the wallet is answered with an error"},
			&cli.BoolFlag{Name: "headless", Usage: "no screen: forward what is below --fail-on, refuse the rest (implied without a terminal)"},
			failOnFlag, allowRemoteRPCFlag, rpcTimeoutFlag, chainFlag, abiFlag, addressBookFlag,
			&cli.StringFlag{Name: "denylist", Usage: "addresses never to deal with, in the address-book format"},
			noLLMFlag, modelFlag, hostFlag, allowRemoteFlag, modelTimeoutFlag, noCacheFlag,
		},
		Action: func(c *cli.Context) error {
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			c.Context = ctx
			failOn, err := guard.ParseLevel(c.String("fail-on"))
			if err != nil {
				return inputError(err)
			}
			opts, err := decodeOptions(c)
			if err != nil {
				return err
			}
			cfg, err := guardConfig(c, opts)
			if err != nil {
				return err
			}
			upstream := c.String("upstream") // the config file's rpc is its default (applyConfig)
			if upstream == "" {
				return inputError(errors.New("proxy needs your node: --upstream http://127.0.0.1:8545 (or ETH_RPC_URL, or rpc = … in the config file)"))
			}
			nc, err := node.Dial(ctx, node.Config{URL: upstream, AllowRemote: c.Bool("allow-remote-rpc"), Timeout: c.Duration("rpc-timeout")})
			var refused *node.AddressError
			switch {
			case errors.As(err, &refused):
				if from := configured(c, "rpc"); from != "" {
					return inputError(fmt.Errorf("%v (from %s)", err, from))
				}
				return inputError(fmt.Errorf("--upstream: %v", err))
			case err != nil:
				return internalError(fmt.Errorf("--upstream: %v", err))
			}
			defer nc.Close()
			if !strings.HasPrefix(upstream, "http://") && !strings.HasPrefix(upstream, "https://") {
				return inputError(errors.New("--upstream: the proxy forwards over HTTP: give the node's http:// URL"))
			}
			ln, token, err := proxyListener(c)
			if err != nil {
				return err
			}
			logW, logPath, err := auditLog(c.String("log"))
			if err != nil {
				return internalError(err)
			}
			defer logW.Close()

			j := &proxyJudge{c: c, opts: opts, cfg: cfg, nc: nc, failOn: failOn, errOut: c.App.ErrWriter}
			headless := c.Bool("headless")
			if !headless {
				t, err := tty()
				if err != nil {
					headless = true
				} else {
					defer t.Close()
					j.tty = t
				}
			}
			srv, err := proxy.New(proxy.Config{Upstream: upstream, AllowRemote: c.Bool("allow-remote-rpc"), Judge: j.judge,
				Serial: !headless, Decide: c.Duration("decision-timeout"), Token: token, Log: logW,
				AllowOrigins: c.StringSlice("allow-origin"), AnyHost: c.Bool("allow-remote-clients")})
			if err != nil {
				return internalError(err)
			}
			j.srv = srv
			mode := "the screen decides"
			if headless {
				mode = "headless: forwards below --fail-on " + failOn.String() + ", refuses the rest"
			}
			fmt.Fprintf(c.App.ErrWriter, "txguard proxy: listening on http://%s, forwarding to %s; signing requests are judged (%s); audit log %s\n",
				ln.Addr(), nc.Name(), mode, logPath)
			// ReadTimeout bounds the body too: a client that trickles it
			// must not hold a connection for ever.
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
				IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				hs.Shutdown(sctx)
			}()
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return internalError(fmt.Errorf("proxy: %v", err))
			}
			fmt.Fprintln(c.App.ErrWriter, "txguard proxy: stopped")
			return nil
		},
	}
}

// proxyListener listens where --listen says: loopback only, unless
// --allow-remote-clients, which needs a bearer token (made and printed
// when not given).
func proxyListener(c *cli.Context) (net.Listener, string, error) {
	addr := c.String("listen")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", inputError(fmt.Errorf("--listen %q: want host:port, e.g. 127.0.0.1:8545", addr))
	}
	token := c.String("token")
	if !prompts.IsLoopbackHost(host) {
		if !c.Bool("allow-remote-clients") {
			return nil, "", inputError(fmt.Errorf("--listen %s is reachable from other machines, which could then ask your node and see your requests: listen on 127.0.0.1, or pass --allow-remote-clients (a bearer token is then required)", addr))
		}
		if token == "" {
			var b [16]byte
			rand.Read(b[:])
			token = hex.EncodeToString(b[:])
			fmt.Fprintf(c.App.ErrWriter, "txguard proxy: clients must send: Authorization: Bearer %s\n", token)
		}
	}
	if strings.EqualFold(host, "localhost") {
		addr = net.JoinHostPort("127.0.0.1", addr[strings.LastIndex(addr, ":")+1:])
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", internalError(fmt.Errorf("--listen %s: %v", addr, err))
	}
	return ln, token, nil
}

// auditLog opens the audit log for appending, private to the user.
func auditLog(path string) (io.WriteCloser, string, error) {
	if path == "" {
		dir, err := os.UserHomeDir()
		if err != nil {
			return nil, "", fmt.Errorf("no home directory for the audit log: give --log FILE")
		}
		state := os.Getenv("XDG_STATE_HOME")
		if state == "" {
			state = filepath.Join(dir, ".local", "state")
		}
		path = filepath.Join(state, "txguard", "proxy.log")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, "", fmt.Errorf("the audit log: %v", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("the audit log: %v", err)
	}
	return f, path, nil
}

// proxyJudge judges intercepted requests exactly as check judges an input.
type proxyJudge struct {
	c      *cli.Context
	opts   decode.Options
	cfg    guard.Config
	nc     *node.Client
	failOn guard.Level
	errOut io.Writer
	tty    *os.File // nil: headless
	srv    *proxy.Server
}

func (j *proxyJudge) judge(ctx context.Context, r proxy.Request) proxy.Decision {
	res, err := decode.Decode(r.Body, j.opts)
	if err != nil {
		return proxy.Decision{Reason: "txguard cannot read this request, so it is refused: " + err.Error()}
	}
	errOut := j.errOut
	if j.tty != nil {
		errOut = io.Discard // the screen shows it
	}
	cfg := simulate(ctx, errOut, j.nc, res, j.cfg)
	v := guard.Check(res, cfg)
	d := proxy.Decision{Hash: report.HashOf(res)}
	if j.tty == nil {
		c := *j.c
		c.Context = ctx
		v.Merge(modelReview(&c, v))
		d.Forward = v.Level < j.failOn
		// Unattended, fail closed: what moves value and could not be
		// simulated is not forwarded on the rules alone.
		if s := cfg.Sim; d.Forward && (res.Tx != nil || res.Op != nil) && s != nil && s.Status == guard.SimUnavailable {
			d.Forward, d.Reason = false, "not simulated ("+s.Reason+"), and headless the proxy forwards only what it could simulate"
		}
	} else {
		v, d.Forward = j.screen(ctx, r, res, v)
	}
	d.Level, d.Headline = v.Level.String(), report.Headline(v)
	for i, f := range v.AllFindings() {
		if i == 0 {
			d.Headline += ": " + f.Title // the worst finding, as the wallet will show it
		}
		d.Rules = append(d.Rules, f.Rule)
	}
	if d.Reason != "" {
		d.Headline += " — " + d.Reason
	}
	fmt.Fprintf(j.errOut, "txguard proxy: %s %s: %s\n", decode.Escape(r.Method), v.Level, map[bool]string{true: "forwarded", false: "refused"}[d.Forward])
	return d
}

// screen shows the verdict on the terminal, headed by who asks, and says
// whether the person approved.
func (j *proxyJudge) screen(ctx context.Context, r proxy.Request, res *decode.Result, v *guard.Verdict) (*guard.Verdict, bool) {
	o := screenOptions(j.c, v, j.tty)
	o.Heading = func() string { // escaped and cut to the width when drawn
		h := "asked: " + r.Method
		if r.Origin != "" {
			h += " by " + r.Origin
		}
		if n := j.srv.Waiting(); n > 0 {
			h += fmt.Sprintf(" · %d more waiting", n)
		}
		return h
	}
	tui.FlushInput(j.tty)
	d, seen, err := tui.Gate(ctx, o, nil, io.Discard, tea.WithInput(j.tty), tea.WithOutput(j.tty))
	if err != nil {
		fmt.Fprintf(j.errOut, "txguard proxy: the screen failed: %v\n", err)
		return seen, false
	}
	if ctx.Err() != nil {
		fmt.Fprintf(j.errOut, "txguard proxy: %s: the wallet stopped waiting, or no decision in time: nothing was sent\n", decode.Escape(r.Method))
		return seen, false
	}
	return seen, d == tui.Approved
}
