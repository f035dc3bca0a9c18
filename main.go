// Command txguard stands between a person and their signing key: it decodes
// what is about to be signed, checks it, and says what it would do.
//
// This file only wires commands, flags and exit codes; the work lives in
// decode/, guard/, prompts/ and tui/.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/jsonkey"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/userfile"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
	"github.com/txguard/txguard/prompts"
	"github.com/txguard/txguard/prompts/node"
	"github.com/txguard/txguard/tui"
)

// Exit codes, the contract of every command (DESIGN.md).
const (
	exitOK       = 0 // approved, or below --fail-on
	exitBlocked  = 1 // at or above --fail-on, or rejected
	exitInput    = 2 // bad input or usage
	exitInternal = 3 // internal or environment error
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr, openTerminal))
}

// terminal opens the terminal the verdict screen draws on, or fails when
// there is none. Tests pass one that always fails.
type terminal func() (*os.File, error)

// openTerminal opens the process's controlling terminal. It is there when
// a person runs txguard, even with stdin a pipe and stdout redirected, and
// missing in CI, under a service manager, or after setsid.
func openTerminal() (*os.File, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }

// exitError carries an exit code with the one line to print on stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func inputError(err error) error    { return &exitError{exitInput, err} }
func internalError(err error) error { return &exitError{exitInternal, err} }

// run is main without the process: tests call it with buffers.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, tty terminal) int {
	app := newApp(stdin, stdout, stderr, tty)
	app.Setup() // adds help and its alias h: commands unknownCommand must know
	err := unknownCommand(app, args)
	if err == nil {
		var ordered []string
		if ordered, err = reorderArgs(app, args); err == nil {
			err = app.Run(ordered)
		}
	}
	if err == nil {
		return exitOK
	}
	// Errors quote the input (a JSON key, a file name, a server's answer):
	// escaped, so no input can write escape sequences to the terminal.
	var ee *exitError
	if errors.As(err, &ee) {
		msg := ee.err.Error()
		if ee.code != exitInternal {
			// The user's mistake, said for a person; an internal error
			// keeps its package trail for the bug report.
			msg = userMessage(msg)
		}
		fmt.Fprintln(stderr, "txguard:", decode.Escape(msg))
		return ee.code
	}
	// Anything urfave/cli itself returns is a usage problem: unknown flag,
	// missing argument, bad flag value.
	fmt.Fprintln(stderr, "txguard:", decode.Escape(userMessage(err.Error())))
	return exitInput
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, tty terminal) *cli.App {
	// --version says what `txguard version` says.
	cli.VersionPrinter = func(c *cli.Context) { fmt.Fprint(c.App.Writer, versionText()) }
	app := &cli.App{
		Name:      "txguard",
		Usage:     "see what you are about to sign, before you sign it",
		Version:   toolVersion(),
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		Flags:     []cli.Flag{configFlag},
		// Help and usage errors go to stderr too: stdout carries only results.
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return inputError(usageMessage(err, "", c.App.Flags))
		},
		ExitErrHandler: func(*cli.Context, error) {}, // run() owns exit codes
		Commands: []*cli.Command{checkCommand(tty), proxyCommand(tty), decodeCommand(), inspectCommand(), diffCommand(), rulesCommand(),
			doctorCommand(), evalCommand(), configCommand(), versionCommand(), completionCommand(), manCommand()},
	}
	for _, c := range app.Commands {
		// Without this, urfave/cli prints help on stdout after a usage error.
		c.OnUsageError = func(cc *cli.Context, err error, _ bool) error {
			return inputError(usageMessage(err, c.Name, c.Flags))
		}
		// One output switch everywhere: --json is --format json wherever
		// there is a --format.
		if hasFlag(c, "format") && !hasFlag(c, "json") {
			c.Flags = append(c.Flags, jsonFlag)
		}
		// --config after the command too, and the file's defaults under
		// every command's flags.
		c.Flags = append(c.Flags, configFlag)
		before := applyConfig
		if c.Name == "man" || c.Name == "completion" {
			// Made from the command definitions alone: the config file of
			// whoever runs them neither changes them nor stops them.
			before = func(*cli.Context) error { return nil }
		}
		c.Before = before
		if c.ArgsUsage == "" {
			// A command that reads no arguments refuses them: `txguard
			// rules TG101` or `txguard proxy 127.0.0.1:8545` must not
			// pass for what the user asked.
			c.Before = func(cc *cli.Context) error {
				if cc.NArg() > 0 {
					return inputError(fmt.Errorf("%s takes no arguments, have %s", c.Name, jsonkey.Quote(cc.Args().First())))
				}
				return before(cc)
			}
		}
	}
	return app
}

// hasFlag says whether c has a flag of that name.
func hasFlag(c *cli.Command, name string) bool {
	for _, f := range c.Flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

// Flags shared by every command that decodes input.
var (
	kindFlag = &cli.StringFlag{Name: "kind", Value: "auto",
		Usage: "what the input is: auto, tx, request, typeddata, message, hash, bytecode, calldata (decode only), userop, calls, diff; text and bare hashes are never detected"}
	chainFlag = &cli.StringFlag{Name: "chain",
		Usage: "the chain you expect, by id (8453, 0x2105) or name (" + strings.Join(chainNames(), ", ") + "); a transaction for another chain is flagged"}
	abiFlag = &cli.StringFlag{Name: "abi",
		Usage: "a JSON ABI or Foundry/Hardhat artifact to decode calldata with; wins over the built-in ABIs"}
	addressBookFlag = &cli.StringFlag{Name: "addressbook",
		Usage: addressBookUsage(label.DefaultAddressBookPath())}
	jsonFlag = &cli.BoolFlag{Name: "json", Usage: "the same as --format json"}
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "decode",
		Usage:     "decode a transaction, signature request or bytecode, offline",
		ArgsUsage: "[FILE|-]",
		Flags:     []cli.Flag{kindFlag, chainFlag, abiFlag, addressBookFlag, formatFlagOf("text", "json")},
		Action: func(c *cli.Context) error {
			format, err := outputFormat(c, "text", "json")
			if err != nil {
				return err
			}
			in, err := readInput(c, decode.MaxInput) // --kind diff may be large
			if err != nil {
				return err
			}
			opts, err := decodeOptions(c)
			if err != nil {
				return err
			}
			res, err := decode.Decode(in, opts)
			if err != nil {
				return inputError(err)
			}
			if format == "json" {
				var b []byte
				if b, err = json.MarshalIndent(res, "", "  "); err == nil {
					_, err = c.App.Writer.Write(append(decode.EscapeJSON(b), '\n'))
				}
			} else {
				err = res.WriteText(c.App.Writer)
			}
			if err != nil {
				return internalError(fmt.Errorf("write output: %v", err))
			}
			return nil
		},
	}
}

// readInput reads the file argument, or stdin for "-" or no argument, and
// no more than limit bytes of it: /dev/zero or an endless pipe is refused,
// not read until memory runs out.
func readInput(c *cli.Context, limit int) ([]byte, error) {
	r, closeInput, err := openInput(c)
	if err != nil {
		return nil, err
	}
	defer closeInput()
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, inputError(fmt.Errorf("read the input: %v", err))
	}
	if len(b) > limit {
		return nil, inputError(fmt.Errorf("the input is larger than %d MiB; nothing this command judges is that large", limit>>20))
	}
	return b, nil
}

// openInput opens the file argument, or stdin for "-" or no argument.
func openInput(c *cli.Context) (io.Reader, func(), error) {
	if c.NArg() > 1 {
		return nil, nil, inputError(fmt.Errorf("want one input file, have %d arguments", c.NArg()))
	}
	if name := c.Args().First(); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, inputError(err)
		}
		return f, func() { f.Close() }, nil
	}
	return c.App.Reader, func() {}, nil
}

// decodeOptions loads what the decode flags name.
func decodeOptions(c *cli.Context) (decode.Options, error) {
	var o decode.Options
	kind, err := decode.ParseKind(c.String("kind"))
	if err != nil {
		return o, inputError(err)
	}
	o.Kind = kind
	if o.Chain, err = parseChain(c.String("chain")); err != nil {
		return o, inputError(err)
	}
	book, err := loadAddressBook(c.String("addressbook"))
	if err != nil {
		return o, inputError(err)
	}
	o.AddressBook = book
	if path := c.String("abi"); path != "" {
		b, err := userfile.Read(path, 64<<20) // a Foundry artifact with its bytecode fits
		if err != nil {
			return o, inputError(err)
		}
		if o.ABI, err = calldata.ParseABI(b); err != nil {
			return o, inputError(fmt.Errorf("%s: %v", path, err))
		}
	}
	return o, nil
}

// loadAddressBook reads the named book, or the default one if it exists.
func loadAddressBook(path string) (*label.AddressBook, error) {
	if path != "" {
		return label.LoadAddressBook(path, true)
	}
	if def := label.DefaultAddressBookPath(); def != "" {
		return label.LoadAddressBook(def, false)
	}
	return nil, nil
}

func checkCommand(tty terminal) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "decode the input, judge it with the rules, and show the verdict screen (at a terminal) or print the report",
		ArgsUsage: "[FILE|-]",
		Flags: []cli.Flag{kindFlag, chainFlag, abiFlag, addressBookFlag,
			&cli.StringFlag{Name: "denylist", Usage: "addresses never to deal with, in the address-book format (added to the built-in list)"},
			&cli.StringFlag{Name: "from", Usage: "the account you sign with: the signer when the input does not say; an input signed by or for another account is danger (TG610)"},
			&cli.StringFlag{Name: "code", Usage: "a hex `FILE` of the runtime code the transaction calls or delegates to (7702), e.g. from cast code ADDR: audited with it"},
			&cli.StringFlag{Name: "intent", Usage: "what you mean to do, in your words (kept on the verdict for the model)"},
			noLLMFlag, modelFlag, hostFlag, allowRemoteFlag, modelTimeoutFlag, noCacheFlag,
			rpcFlag, allowRemoteRPCFlag, rpcTimeoutFlag, blockFlag,
			&cli.BoolFlag{Name: "headless", Usage: "no screen: print the report (implied without a terminal, by --format and by --batch)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, json, sarif or markdown (implies --headless)"},
			failOnFlag,
			&cli.BoolFlag{Name: "batch", Usage: "one input per line in (JSON, or bare hex), one verdict line out, in order, as they are judged"},
		},
		Action: func(c *cli.Context) error {
			// A hang-up (the terminal closed), from the start on, is a
			// rejection like any other way of leaving: exit 1, not death by
			// signal (129); a screen not yet shown never shows. bubbletea
			// handles SIGINT and SIGTERM itself.
			ctx, stop := signal.NotifyContext(c.Context, syscall.SIGHUP)
			defer stop()
			c.Context = ctx
			format, failOn, err := reportFlags(c)
			if err != nil {
				return err
			}
			opts, err := decodeOptions(c)
			if err != nil {
				return err
			}
			cfg, err := guardConfig(c, opts)
			if err != nil {
				return err
			}
			if c.Bool("batch") {
				if cfg.Code != nil {
					return inputError(fmt.Errorf("--code belongs to one transaction, not to a --batch"))
				}
				if c.String("rpc") != "" {
					fmt.Fprintln(c.App.ErrWriter, "txguard: --batch judges with the rules only: the node is not asked")
				}
				r, closeInput, err := openInput(c)
				if err != nil {
					return err
				}
				defer closeInput()
				return checkBatch(c, r, opts, cfg, failOn)
			}
			nc, err := nodeClient(c)
			if err != nil {
				return err
			}
			if nc != nil {
				defer nc.Close()
			}
			in, err := readInput(c, decode.MaxRequest) // check refuses diffs; every other kind is smaller
			if err != nil {
				return err
			}
			res, err := decode.Decode(in, opts)
			if err != nil {
				return inputError(err)
			}
			if err := checkable(res); err != nil {
				return inputError(err)
			}
			if cfg.Code != nil && res.Tx == nil {
				return inputError(fmt.Errorf("--code goes with a transaction (a contract call or a 7702 authorization), not with %s", res.Kind))
			}
			// Screen or report is decided here, once: a screen whenever
			// there is a terminal to draw it on and no report was asked for
			// on the command line (a format from the config file is the
			// report's, for when there is no terminal).
			if !c.Bool("headless") && !onCommandLine(c, "format") && !onCommandLine(c, "json") {
				if t, err := tty(); err == nil {
					defer t.Close()
					return checkScreen(c, in, res, cfg, nc, t)
				}
			}
			if nc != nil {
				cfg = simulate(c.Context, c.App.ErrWriter, nc, res, cfg)
			}
			v := guard.Check(res, cfg)
			v.Merge(modelReview(c, v))
			return report1(c, v, format, failOn, report.Options{ArtifactURI: artifactURI(c)})
		},
	}
}

// Flags of every command that judges.
var (
	noLLMFlag        = &cli.BoolFlag{Name: "no-llm", Usage: "rules only: do not ask the local model"}
	modelTimeoutFlag = &cli.DurationFlag{Name: "model-timeout", Value: prompts.DefaultTimeout, Usage: "how long the local model may take"}
	noCacheFlag      = &cli.BoolFlag{Name: "no-cache", Usage: "ask the model again even if this input was reviewed before"}
	failOnFlag       = &cli.StringFlag{Name: "fail-on", Value: "danger", Usage: "exit 1 at or above this level: ok, info, caution, danger, critical"}
	formatFlag       = &cli.StringFlag{Name: "format", Value: "text", Usage: "text, json, sarif or markdown"}
)

// reportFlags reads --format (or --json) and --fail-on.
func reportFlags(c *cli.Context) (report.Format, guard.Level, error) {
	failOn, err := guard.ParseLevel(c.String("fail-on"))
	if err != nil {
		return "", 0, inputError(fmt.Errorf("--fail-on: %v", err))
	}
	name, err := outputFormat(c, "text", "json", "sarif", "markdown")
	if err != nil {
		return "", 0, err
	}
	format, err := report.ParseFormat(name)
	if err != nil {
		return "", 0, inputError(err)
	}
	return format, failOn, nil
}

// report1 writes one verdict in format and turns its level into the exit
// code: the headless end of check, inspect and diff.
func report1(c *cli.Context, v *guard.Verdict, format report.Format, failOn guard.Level, o report.Options) error {
	// Render fully before writing: a failure half way must leave stdout
	// empty, not half a report.
	o.ToolVersion = toolVersion()
	var out bytes.Buffer
	if err := report.WriteWith(&out, format, v, o); err != nil {
		return internalError(fmt.Errorf("render the verdict: %v", err))
	}
	return deliver(c, out.Bytes(), v, failOn)
}

// deliver writes a rendered verdict to stdout and turns its level into the
// exit code.
func deliver(c *cli.Context, out []byte, v *guard.Verdict, failOn guard.Level) error {
	if err := writeOut(c, out); err != nil {
		return err
	}
	if v.Level >= failOn {
		return &exitError{exitBlocked, fmt.Errorf("blocked: the verdict is %s, at or above --fail-on %s", v.Level, failOn)}
	}
	return nil
}

// writeOut writes a fully rendered result to stdout.
func writeOut(c *cli.Context, out []byte) error {
	if _, err := c.App.Writer.Write(out); err != nil {
		return internalError(fmt.Errorf("write output: %v", err))
	}
	return nil
}

// auditor is the local model to ask, or, when there is none to ask, the
// review that says why.
func auditor(c *cli.Context) (*prompts.Auditor, prompts.Config, *guard.ModelReview) {
	if c.Bool("no-llm") {
		return nil, prompts.Config{}, &guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"}
	}
	cfg, err := modelConfig(c)
	if err != nil {
		return nil, cfg, prompts.Unavailable(err)
	}
	cfg.Timeout, cfg.NoCache = c.Duration("model-timeout"), c.Bool("no-cache")
	a, err := prompts.NewAuditor(cfg)
	if err != nil {
		return nil, cfg, prompts.Unavailable(err)
	}
	return a, cfg, nil
}

// modelReview asks the local model, unless --no-llm. It never fails the
// command: a review that could not be had says why on the verdict, and
// the rules' verdict stands.
func modelReview(c *cli.Context, v *guard.Verdict) *guard.ModelReview {
	a, cfg, none := auditor(c)
	if a == nil {
		return none
	}
	// Escaped: the model name may come from the config file, the reason
	// from the server (prompts escapes it too; escaping is idempotent).
	fmt.Fprintf(c.App.ErrWriter, "txguard: rules verdict %s; asking %s for a review\n", v.RulesLevel, decode.Escape(cfg.Model))
	last := time.Now()
	review := a.Review(c.Context, v, func(p prompts.Progress) {
		// A progress line a second on stderr: stdout carries only the result.
		if time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintf(c.App.ErrWriter, "txguard: %s\n", p)
		}
	})
	switch review.Status {
	case guard.StatusOK:
	case guard.StatusUnavailable:
		// Said where the reader is: without a model, one line in the
		// config file ends these two lines for good.
		fmt.Fprintf(c.App.ErrWriter, "txguard: no model review: %s (to run rules-only without this line, put no-llm = true in %s)\n",
			decode.Escape(review.Reason), decode.Escape(currentConfig(c).file.Path))
	default:
		fmt.Fprintf(c.App.ErrWriter, "txguard: no model review: %s\n", decode.Escape(review.Reason))
	}
	return review
}

// checkScreen is check at a terminal: the verdict screen on tty, the
// model's review streaming into it, and the gate: the input on stdout,
// unchanged, only if the person approves.
func checkScreen(c *cli.Context, in []byte, res *decode.Result, cfg guard.Config, nc *node.Client, tty *os.File) error {
	// The rules' verdict first, at once; the node's simulation and then the
	// model's review stream in.
	v := guard.Check(res, cfg)
	o := screenOptions(c, v, tty)
	if nc != nil {
		o.NodeName = nc.Name()
		o.Simulate = func(ctx context.Context) *guard.Verdict {
			return guard.Check(res, simulate(ctx, io.Discard, nc, res, cfg)) // the screen shows it
		}
	}
	tui.FlushInput(tty)
	d, v, err := tui.Gate(c.Context, o, in, c.App.Writer, tea.WithInput(tty), tea.WithOutput(tty))
	if err != nil {
		return internalError(err)
	}
	if d != tui.Approved {
		return &exitError{exitBlocked, fmt.Errorf("rejected at the verdict screen (%s): nothing written to stdout", v.Level)}
	}
	fmt.Fprintf(c.App.ErrWriter, "txguard: approved at the verdict screen (%s): the input is on stdout\n", v.Level)
	return nil
}

// Flags of the user's node (check).
var (
	rpcFlag = &cli.StringFlag{Name: "rpc", EnvVars: []string{"ETH_RPC_URL"},
		Usage: "your own node (http://127.0.0.1:8545, ws://…, or the path of geth.ipc): the input is simulated there and its facts read (default: the config file's); only this machine unless --allow-remote-rpc"}
	allowRemoteRPCFlag = &cli.BoolFlag{Name: "allow-remote-rpc", Usage: "allow a --rpc node that is not this machine: the unsigned transaction and your address are sent to it"}
	rpcTimeoutFlag     = &cli.DurationFlag{Name: "rpc-timeout", Value: node.DefaultTimeout, Usage: "how long the node may take to simulate"}
	blockFlag          = &cli.Uint64Flag{Name: "block", Usage: "simulate on the state of this block number (default: the latest)"}
)

// nodeClient connects to the node --rpc (or ETH_RPC_URL, or the config
// file) names; nil when none is named. An address the privacy policy
// refuses is a usage error; a node that cannot be reached is not: the
// verdict is then the rules' alone, and says so.
func nodeClient(c *cli.Context) (*node.Client, error) {
	// The config file's rpc is the flag's default (applyConfig).
	url, from := c.String("rpc"), cmp.Or(configured(c, "rpc"), "--rpc")
	if env := os.Getenv("ETH_RPC_URL"); env != "" && env == url && onCommandLine(c, "rpc") {
		from = "$ETH_RPC_URL"
	}
	if url == "" {
		return nil, nil
	}
	cfg := node.Config{URL: url, AllowRemote: c.Bool("allow-remote-rpc"), Timeout: c.Duration("rpc-timeout")}
	if c.IsSet("block") {
		b := c.Uint64("block")
		cfg.Block = &b
	}
	nc, err := node.Dial(c.Context, cfg)
	var refused *node.AddressError
	if errors.As(err, &refused) {
		return nil, inputError(fmt.Errorf("%s (from %s)", err, from))
	}
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "txguard: not simulated: %s\n", decode.Escape(err.Error()))
		return nil, nil
	}
	return nc, nil
}

// simulate asks the node what res does and returns cfg with its answer:
// the simulation for the TG10xx rules, and the code the input runs for the
// bytecode rules (unless --code gave it). One line on stderr says what
// happened; a simulation that failed leaves the rules' verdict as it is.
func simulate(ctx context.Context, errOut io.Writer, nc *node.Client, res *decode.Result, cfg guard.Config) guard.Config {
	r := nc.Simulate(ctx, res, cfg)
	cfg.Sim = r.Sim
	if cfg.Code == nil && r.Code != nil {
		if a, err := evm.Analyze(r.Code); err == nil {
			cfg.Code = a
		}
	}
	switch s := r.Sim; s.Status {
	case guard.SimOK:
		fmt.Fprintf(errOut, "txguard: simulated on %s at block %d (%s, %d requests)\n", s.Node, s.Block, s.Method, s.RoundTrips)
	case guard.SimExposure:
		fmt.Fprintf(errOut, "txguard: a signature is not simulated; its exposure was read on %s at block %d\n", s.Node, s.Block)
	default:
		fmt.Fprintf(errOut, "txguard: not simulated: %s\n", decode.Escape(s.Reason))
	}
	return cfg
}

// screenOptions is the verdict screen on tty over v, with the local
// model's review streaming in, or why there is none merged into v: what
// check and the proxy's screens share.
func screenOptions(c *cli.Context, v *guard.Verdict, tty *os.File) tui.Options {
	o := tui.Options{Verdict: v, Renderer: lipgloss.NewRenderer(tty), Flush: func() { tui.FlushInput(tty) }}
	if a, mcfg, none := auditor(c); a == nil {
		v.Merge(none)
		o.NoReview = none
	} else {
		o.ModelName = mcfg.Model
		o.Review = func(ctx context.Context, v *guard.Verdict, progress func(tui.Progress)) *guard.ModelReview {
			return a.Review(ctx, v, func(p prompts.Progress) {
				progress(tui.Progress{Tokens: p.Tokens, Attempt: p.Attempt})
			})
		}
	}
	return o
}

// addressBookUsage is --addressbook's help with its default path, def
// ("": this environment has no config dir, so no default).
func addressBookUsage(def string) string {
	if def == "" {
		def = "none: no config dir here"
	}
	return "your address book: one '0xADDRESS label words' per line (default: " + def + ")"
}

// Flags of the local model, shared by check and doctor.
var (
	modelFlag       = &cli.StringFlag{Name: "model", Usage: "the Ollama model to ask (default: the config file's, else " + prompts.DefaultModel + ")"}
	hostFlag        = &cli.StringFlag{Name: "ollama-host", Usage: "the Ollama server (default: the config file's, else $OLLAMA_HOST, else " + prompts.DefaultHost + "); only localhost or a loopback IP unless --allow-remote-model"}
	allowRemoteFlag = &cli.BoolFlag{Name: "allow-remote-model", Usage: "allow an Ollama host that is not this machine (transaction data leaves it)"}
)

// modelConfig resolves model and host: flag, else config file (applied
// as the flags' defaults), else the defaults (the host also from
// OLLAMA_HOST, in prompts).
func modelConfig(c *cli.Context) (prompts.Config, error) {
	cfg := prompts.Config{
		Model:       cmp.Or(c.String("model"), prompts.DefaultModel),
		Host:        c.String("ollama-host"),
		AllowRemote: c.Bool("allow-remote-model"),
		// A refused host must name the file it came from, not the flag.
		HostFrom: configured(c, "ollama-host"),
	}
	return cfg, nil
}

func doctorCommand() *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the local model: server, version, models, one test generation, and what to fix",
		Flags: []cli.Flag{modelFlag, hostFlag, allowRemoteFlag, formatFlagOf("text", "json")},
		Action: func(c *cli.Context) error {
			format, err := outputFormat(c, "text", "json")
			if err != nil {
				return err
			}
			cfg, err := modelConfig(c)
			if err != nil {
				return inputError(err)
			}
			// The checks are the result: stdout. Failing ones exit 3, an
			// environment error.
			var out bytes.Buffer
			ready := prompts.Doctor(c.Context, cfg, &out)
			if format == "json" {
				err = writeOut(c, doctorJSON(out.String(), ready))
			} else {
				err = writeOut(c, out.Bytes())
			}
			if err != nil {
				return err
			}
			if !ready {
				return internalError(fmt.Errorf("the local model is not ready (see above)"))
			}
			return nil
		},
	}
}

// artifactURI is the input file for SARIF locations ("" for stdin).
func artifactURI(c *cli.Context) string {
	if name := c.Args().First(); name != "-" {
		return name
	}
	return ""
}

func guardConfig(c *cli.Context, opts decode.Options) (guard.Config, error) {
	cfg := guard.Config{AddressBook: opts.AddressBook, Chain: opts.Chain, Intent: c.String("intent")}
	if path := c.String("denylist"); path != "" {
		deny, err := label.LoadAddressBook(path, true)
		if err != nil {
			return cfg, inputError(err)
		}
		cfg.DenyList = deny
	}
	if path := c.String("code"); path != "" {
		b, err := userfile.Read(path, decode.MaxRequest)
		if err != nil {
			return cfg, inputError(err)
		}
		res, err := decode.Decode(b, decode.Options{Kind: decode.KindBytecode})
		if err != nil {
			return cfg, inputError(fmt.Errorf("--code %s: %v", path, err))
		}
		cfg.Code = res.Bytecode.Analysis
	}
	if c.IsSet("from") {
		// An empty --from (a script's unset variable) would leave the
		// check without the account the user meant: refused, not ignored.
		from, err := label.ParseAddress(c.String("from"))
		if err != nil {
			return cfg, inputError(fmt.Errorf("--from: %v", err))
		}
		cfg.Signer = &from
	}
	return cfg, nil
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "analyse contract bytecode offline: functions, proxies, code of concern; a verdict as check gives",
		ArgsUsage: "[FILE|-] (bytecode as hex)",
		Flags: []cli.Flag{formatFlag, jsonFlag, failOnFlag, chainFlag, addressBookFlag,
			noLLMFlag, modelFlag, hostFlag, allowRemoteFlag, modelTimeoutFlag, noCacheFlag},
		Action: func(c *cli.Context) error {
			format, failOn, err := reportFlags(c)
			if err != nil {
				return err
			}
			opts, err := decodeOptions(c)
			if err != nil {
				return err
			}
			in, err := readInput(c, decode.MaxRequest) // bytecode is bounded far below it
			if err != nil {
				return err
			}
			opts.Kind = decode.KindBytecode
			res, err := decode.Decode(in, opts)
			if err != nil {
				return inputError(err)
			}
			v := guard.Check(res, guard.Config{AddressBook: opts.AddressBook, Chain: opts.Chain})
			v.Merge(modelReview(c, v))
			if format == report.JSON {
				// The selectors on top, where a script looks first.
				b, err := json.MarshalIndent(struct {
					Selectors []string `json:"selectors"`
					*guard.Verdict
				}{res.Bytecode.Analysis.Selectors, v}, "", "  ")
				if err != nil {
					return internalError(fmt.Errorf("render the verdict: %v", err))
				}
				return deliver(c, append(decode.EscapeJSON(b), '\n'), v, failOn)
			}
			return report1(c, v, format, failOn, report.Options{ArtifactURI: artifactURI(c)})
		},
	}
}

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list the deterministic rules",
		Flags: []cli.Flag{formatFlagOf("text", "json", "markdown")},
		Action: func(c *cli.Context) error {
			name, err := outputFormat(c, "text", "json", "markdown")
			if err != nil {
				return err
			}
			format, err := report.ParseFormat(name)
			if err != nil {
				return inputError(err)
			}
			var out bytes.Buffer
			if err := report.WriteRules(&out, format); err != nil {
				return inputError(err)
			}
			return writeOut(c, out.Bytes())
		},
	}
}

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "run a labelled corpus through the rules and the model: confusion tables and timings, to choose a model",
		ArgsUsage: "DIR (with labels.tsv: file<TAB>expected level; an addressbook and a denylist of its own, if it has them)",
		Flags: []cli.Flag{modelFlag, hostFlag, allowRemoteFlag, addressBookFlag, chainFlag, noLLMFlag, modelTimeoutFlag,
			&cli.StringFlag{Name: "denylist", Usage: "addresses never to deal with (default: the corpus's DIR/denylist, if any)"},
			formatFlagOf("text", "json")},
		Action: func(c *cli.Context) error {
			format, err := outputFormat(c, "text", "json")
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return inputError(fmt.Errorf("eval wants one corpus directory"))
			}
			dir := c.Args().First()
			cases, err := prompts.LoadEvalCorpus(dir)
			if err != nil {
				return inputError(err)
			}
			// The corpus's labels assume its own contacts and deny list:
			// they win over the config file's, not over the command line.
			var header strings.Builder
			for _, name := range []string{"addressbook", "denylist"} {
				if p := prompts.CorpusFile(dir, name); p != "" && !onCommandLine(c, name) {
					if err := c.Set(name, p); err != nil {
						return internalError(err)
					}
					fmt.Fprintf(&header, "%s: %s (the corpus's)\n", name, p)
				}
			}
			opts, err := decodeOptions(c)
			if err != nil {
				return err
			}
			cfg, err := guardConfig(c, opts)
			if err != nil {
				return err
			}
			var a *prompts.Auditor
			if !c.Bool("no-llm") {
				mcfg, err := modelConfig(c)
				if err != nil {
					return inputError(err)
				}
				mcfg.NoCache = true // timings must be the model's, not the cache's
				mcfg.Timeout = c.Duration("model-timeout")
				if a, err = prompts.NewAuditor(mcfg); err != nil {
					return inputError(err)
				}
			}
			var out bytes.Buffer
			out.WriteString(header.String())
			if header.Len() > 0 {
				out.WriteString("\n")
			}
			rs, err := prompts.Eval(c.Context, a, cases, opts, cfg, &out)
			if err != nil {
				return inputError(err)
			}
			if format == "json" {
				return writeOut(c, evalJSON(rs))
			}
			return writeOut(c, out.Bytes())
		},
	}
}

// evalJSON is eval's result for scripts: one object per case.
func evalJSON(rs []prompts.EvalResult) []byte {
	type row struct {
		File      string `json:"file"`
		Want      string `json:"want"`
		Rules     string `json:"rules"`
		Level     string `json:"level"`
		Model     string `json:"model,omitempty"`
		ElapsedMS int64  `json:"elapsedMs"`
	}
	out := make([]row, 0, len(rs))
	for _, r := range rs {
		x := row{File: r.Case.Path, Want: r.Case.Want.String(), Rules: r.Rules.String(), Level: r.Both.String(), ElapsedMS: r.Elapsed.Milliseconds()}
		if r.Review != nil {
			x.Model = r.Review.Status
		}
		out = append(out, x)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(decode.EscapeJSON(b), '\n')
}

// doctorJSON is doctor's lines as data: each check passed or failed, with
// its text; an indented line adds to the check before it.
func doctorJSON(text string, ready bool) []byte {
	type check struct {
		OK   bool   `json:"ok"`
		Text string `json:"text"`
	}
	var checks []check
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "ok    "):
			checks = append(checks, check{true, line[6:]})
		case strings.HasPrefix(line, "FAIL  "):
			checks = append(checks, check{false, line[6:]})
		case len(checks) > 0:
			checks[len(checks)-1].Text += "; " + strings.TrimSpace(line)
		}
	}
	b, _ := json.MarshalIndent(struct {
		Ready  bool    `json:"ready"`
		Checks []check `json:"checks"`
	}{ready, checks}, "", "  ")
	return append(b, '\n')
}

// checkable refuses what check does not judge: a diff (txguard diff's),
// calldata alone (nothing to sign). One place, for check and --batch: a
// kind refused for one input must not pass as a line.
func checkable(res *decode.Result) error {
	switch res.Kind {
	case decode.KindDiff:
		return fmt.Errorf("a diff is audited with txguard diff, not check")
	case decode.KindCalldata:
		return fmt.Errorf("calldata alone names no recipient, value or signer, so there is nothing to sign: check the transaction or request that carries it (txguard decode --kind calldata shows the call)")
	}
	return nil
}
