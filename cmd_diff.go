package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/codediff"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "audit a change to contracts: two versions (bytecode hex, Solidity files or directories), a git range, or a unified diff on stdin",
		ArgsUsage: "OLD NEW | --git BASE..HEAD [-- PATHS...] | [-] (a unified diff on stdin)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "git", Usage: "compare two revisions of the git repository here: BASE..HEAD, BASE...HEAD (from their merge base, as a pull request) or BASE (to HEAD)"},
			formatFlag, failOnFlag, noLLMFlag, modelFlag, hostFlag, allowRemoteFlag, modelTimeoutFlag, noCacheFlag,
		},
		Action: func(c *cli.Context) error {
			format, failOn, err := reportFlags(c)
			if err != nil {
				return err
			}
			var d *codediff.Diff
			var o report.Options // the heading names what was compared
			switch args := c.Args().Slice(); {
			case c.IsSet("git"):
				old, new, err := codediff.FromGit(".", c.String("git"), args)
				if errors.Is(err, codediff.ErrNoGit) {
					return internalError(err)
				}
				if err != nil {
					return inputError(err)
				}
				d = codediff.Compare(old, new)
				o.Title = "git " + c.String("git")
				if len(args) > 0 {
					o.Title += " -- " + strings.Join(args, " ")
				}
			case len(args) == 2:
				old, new, err := codediff.LoadPair(args[0], args[1])
				if err != nil {
					return inputError(err)
				}
				d = codediff.Compare(old, new)
				o.Title = args[0] + " → " + args[1]
				if st, err := os.Stat(args[1]); err == nil && !st.IsDir() {
					o.ArtifactURI = args[1] // where findings without a line of their own go
				}
			case len(args) == 0 || len(args) == 1 && args[0] == "-":
				in, err := readInput(c, decode.MaxInput)
				if err != nil {
					return err
				}
				if len(bytes.TrimSpace(in)) == 0 {
					return inputError(fmt.Errorf("diff: nothing on stdin: give OLD NEW, --git BASE..HEAD, or pipe in a unified diff (git diff | txguard diff)"))
				}
				if d, err = codediff.FromUnified(in); err != nil {
					return inputError(err)
				}
			default:
				return inputError(fmt.Errorf("diff wants OLD and NEW, --git BASE..HEAD, or a unified diff on stdin; have %d arguments", len(args)))
			}
			v := guard.Check(&decode.Result{Kind: decode.KindDiff, Diff: d}, guard.Config{})
			v.Merge(modelReview(c, v))
			return report1(c, v, format, failOn, o)
		},
	}
}
