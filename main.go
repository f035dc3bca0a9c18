// Command txguard stands between a person and their signing key: it decodes
// what is about to be signed, checks it, and says what it would do.
//
// This file only wires commands, flags and exit codes; the work lives in
// decode/, guard/, prompts/ and tui/.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
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
	return &cli.App{
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
		Commands:       []*cli.Command{},
	}
}
