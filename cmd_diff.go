package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/codediff"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "audit a change to contracts: two builds (the compiler's facts), two versions (bytecode hex, Solidity files or directories), a git range, or a unified diff on stdin",
		ArgsUsage: "--build OLD NEW | --git BASE..HEAD [--build-cmd CMD] [-- PATHS...] | OLD NEW | [-] (a unified diff on stdin)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "git", Usage: "compare two revisions of the git repository here: BASE..HEAD, BASE...HEAD (from their merge base, as a pull request) or BASE (to HEAD)"},
			&cli.BoolFlag{Name: "build", Usage: "OLD and NEW are compiler outputs: solc --standard-json output or build-info files, or the directories holding them (Foundry out/build-info, Hardhat artifacts/build-info); with --git, the builds of its two sides"},
			&cli.StringFlag{Name: "build-cmd", Usage: "with --git: build each side with this shell `COMMAND` in a temporary worktree and compare the builds (e.g. \"forge build --build-info --extra-output storageLayout\")"},
			&cli.DurationFlag{Name: "build-timeout", Value: 15 * time.Minute, Usage: "how long --build-cmd may take for one side"},
			formatFlag, failOnFlag, noLLMFlag, modelFlag, hostFlag, allowRemoteFlag, modelTimeoutFlag, noCacheFlag,
		},
		Action: func(c *cli.Context) error {
			format, failOn, err := reportFlags(c)
			if err != nil {
				return err
			}
			var d *codediff.Diff
			var o report.Options // the heading names what was compared
			args := c.Args().Slice()
			builds := c.Bool("build") || len(args) == 2 && strings.HasSuffix(args[0], ".json") && strings.HasSuffix(args[1], ".json")
			switch {
			case c.IsSet("build-cmd") && !c.IsSet("git"):
				return inputError(fmt.Errorf("--build-cmd builds the two sides of a git range: give --git BASE..HEAD with it"))
			case c.IsSet("build-cmd") && c.Bool("build"):
				return inputError(fmt.Errorf("give either --build OLD NEW (builds you made) or --build-cmd (txguard builds), not both"))
			case builds && len(args) != 2:
				return inputError(fmt.Errorf("--build wants two builds, OLD and NEW; have %d arguments", len(args)))
			}
			// A --git range is resolved once: the comparison and the
			// concerns below read the same two revisions.
			var rng codediff.Range
			if c.IsSet("git") {
				var err error
				if rng, err = codediff.ResolveRange(".", c.String("git")); errors.Is(err, codediff.ErrNoGit) {
					return internalError(err)
				} else if err != nil {
					return inputError(err)
				}
			}
			switch {
			case builds:
				if d, err = codediff.FromBuilds(args[0], args[1]); err != nil {
					return inputError(err)
				}
				o.Title = "build " + args[0] + " → " + args[1]
			case c.IsSet("git") && c.IsSet("build-cmd"):
				if d, err = codediff.BuildGit(c.Context, ".", rng, c.String("build-cmd"), c.Duration("build-timeout"), os.Stderr); errors.Is(err, codediff.ErrNoGit) {
					return internalError(err)
				} else if err != nil {
					return inputError(err)
				}
				o.Title = "git " + c.String("git") + " (built with " + c.String("build-cmd") + ")"
			case c.IsSet("git"):
				old, new, err := codediff.FromGit(".", rng, args)
				if errors.Is(err, codediff.ErrNoGit) {
					return internalError(err)
				}
				if err != nil {
					return inputError(err)
				}
				d = codediff.Compare(old, new)
				d.Notes = append(d.Notes, codediff.TextLevel)
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
				d.Notes = append(d.Notes, codediff.TextLevel)
				o.Title = args[0] + " → " + args[1]
				if st, err := os.Stat(args[1]); err == nil && !st.IsDir() {
					o.ArtifactURI = args[1] // where findings without a line of their own go
				} else {
					o.Root = args[1] // paths are relative to the compared roots
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
				d.Notes = append(d.Notes, codediff.TextLevel)
			default:
				return inputError(fmt.Errorf("diff wants OLD and NEW, --build OLD NEW, --git BASE..HEAD, or a unified diff on stdin; have %d arguments", len(args)))
			}
			if c.IsSet("git") {
				// What the range changes that no reading compares: Vyper,
				// dependency pins without builds, the workflows.
				unread, workflows, err := codediff.Concerns(".", rng, gitPaths(c, builds), builds || c.IsSet("build-cmd"))
				if err != nil {
					return inputError(err)
				}
				d.Unread = append(d.Unread, unread...)
				d.Workflows = append(d.Workflows, workflows...)
			}
			v := guard.Check(&decode.Result{Kind: decode.KindDiff, Diff: d}, guard.Config{})
			v.Merge(modelReview(c, v))
			return report1(c, v, format, failOn, o)
		},
	}
}

// gitPaths are the paths a --git range is limited to: the arguments,
// unless they name the builds.
func gitPaths(c *cli.Context, builds bool) []string {
	if builds {
		return nil
	}
	return c.Args().Slice()
}
