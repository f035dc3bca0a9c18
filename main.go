// Command txguard stands between a person and their signing key: it decodes
// what is about to be signed, checks it, and says what it would do.
//
// This file only wires commands, flags and exit codes; the work lives in
// decode/, guard/, prompts/ and tui/.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// Exit codes, the contract of every command (DESIGN.md).
const (
	exitOK       = 0 // approved, or below --fail-on
	exitBlocked  = 1 // at or above --fail-on, or rejected
	exitInput    = 2 // bad input or usage
	exitInternal = 3 // internal or environment error
)

// version is set at link time by release builds.
var version = "dev"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

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
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		fmt.Fprintln(stderr, "txguard:", ee.err)
		return ee.code
	}
	// Anything urfave/cli itself returns is a usage problem: unknown flag,
	// missing argument, bad flag value.
	fmt.Fprintln(stderr, "txguard:", err)
	return exitInput
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:      "txguard",
		Usage:     "see what you are about to sign, before you sign it",
		Version:   version,
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// Help and usage errors go to stderr too: stdout carries only results.
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return inputError(err)
		},
		ExitErrHandler: func(*cli.Context, error) {}, // run() owns exit codes
		Commands:       []*cli.Command{decodeCommand()},
	}
	for _, c := range app.Commands {
		// Without this, urfave/cli prints help on stdout after a usage error.
		c.OnUsageError = app.OnUsageError
	}
	return app
}

// Flags shared by every command that decodes input.
var (
	kindFlag = &cli.StringFlag{Name: "kind", Value: "auto",
		Usage: "what the input is: auto, tx, request, typeddata, message, hash, bytecode"}
	chainFlag = &cli.Uint64Flag{Name: "chain",
		Usage: "the chain id you expect; a transaction for another chain is flagged"}
	abiFlag = &cli.StringFlag{Name: "abi",
		Usage: "a JSON ABI or Foundry/Hardhat artifact to decode calldata with; wins over the built-in ABIs"}
	addressBookFlag = &cli.StringFlag{Name: "addressbook",
		Usage: "your address book: one '0xADDRESS label words' per line (default: " + label.DefaultAddressBookPath() + ")"}
	jsonFlag = &cli.BoolFlag{Name: "json", Usage: "print one JSON document instead of text"}
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "decode",
		Usage:     "decode a transaction, signature request or bytecode, offline",
		ArgsUsage: "[FILE|-]",
		Flags:     []cli.Flag{kindFlag, chainFlag, abiFlag, addressBookFlag, jsonFlag},
		Action: func(c *cli.Context) error {
			in, err := readInput(c)
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
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				err = enc.Encode(res)
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

// readInput reads the file argument, or stdin for "-" or no argument.
func readInput(c *cli.Context) ([]byte, error) {
	if c.NArg() > 1 {
		return nil, inputError(fmt.Errorf("want one input file, have %d arguments", c.NArg()))
	}
	var r io.Reader = c.App.Reader
	if name := c.Args().First(); name != "" && name != "-" {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, inputError(err)
		}
		return b, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, internalError(fmt.Errorf("read stdin: %v", err))
	}
	return b, nil
}

// decodeOptions loads what the decode flags name.
func decodeOptions(c *cli.Context) (decode.Options, error) {
	var o decode.Options
	kind, err := decode.ParseKind(c.String("kind"))
	if err != nil {
		return o, inputError(err)
	}
	o.Kind = kind
	o.Chain = c.Uint64("chain")
	book, err := loadAddressBook(c.String("addressbook"))
	if err != nil {
		return o, inputError(err)
	}
	o.AddressBook = book
	if path := c.String("abi"); path != "" {
		b, err := os.ReadFile(path)
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
