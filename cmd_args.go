package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// reorderArgs moves a command's flags before its arguments, so that
// `txguard check tx.hex --fail-on caution` means what it says, as in cast
// and gh. urfave/cli v2 parses with Go's flag package, which stops at the
// first argument and would take "--fail-on" for a second file name.
//
// A flag that takes a value keeps the word after it ("--chain base"),
// "-" is an argument (stdin), and everything after "--" stays an argument,
// in place, so a file named "-x" can still be passed as "-- -x". Words
// before the command (global flags) are left alone, and so are the words
// of an unknown command: run() reports that one with a suggestion.
func reorderArgs(app *cli.App, args []string) ([]string, error) {
	at := commandIndex(app, args)
	if at < 0 {
		return args, nil
	}
	cmd := app.Command(args[at])
	if cmd == nil {
		return args, nil
	}
	rest := args[at+1:]
	var flags, positional []string
	sawSep := false
	given := map[string]string{} // a value flag's name → its value
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i+1:]...)
			sawSep, i = true, len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !inline && takesValue(cmd.Flags, a) {
				if i+1 == len(rest) {
					// Moved before the file, it would take the file
					// name for its value.
					return nil, fmt.Errorf("%s needs a value", dashes(strings.TrimLeft(a, "-")))
				}
				i++
				flags = append(flags, rest[i])
				value, inline = rest[i], true
			}
			// The same setting twice with two values (--fail-on ok
			// --fail-on critical, or a file named "--fail-on=critical"
			// that a shell glob put on the line): which one was meant is
			// not for txguard to guess at a gate.
			if inline && takesValue(cmd.Flags, "--"+name) && !isSlice(cmd.Flags, name) {
				if prev, ok := given[name]; ok && prev != value {
					return nil, fmt.Errorf("%s is given twice, as %q and %q: give it once (a file whose name starts with - goes after --)", dashes(name), prev, value)
				}
				given[name] = value
			}
		}
	}
	out := slices.Clone(args[:at+1])
	out = append(out, flags...)
	if sawSep || slices.ContainsFunc(positional, isFlagLike) {
		// The parser stops at "--"; without it, an argument that looks
		// like a flag ("-- -x") would be read as one.
		out = append(out, "--")
	}
	return append(out, positional...), nil
}

// isSlice: a flag given as often as there are values (--allow-origin).
func isSlice(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			_, ok := f.(*cli.StringSliceFlag)
			return ok
		}
	}
	return false
}

func isFlagLike(s string) bool { return s != "-" && strings.HasPrefix(s, "-") }

// commandIndex is the index of the command word in args (args[0] is the
// program), skipping global flags; -1 when there is none.
func commandIndex(app *cli.App, args []string) int {
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return -1
		case !strings.HasPrefix(a, "-") || a == "-":
			return i
		case !strings.Contains(a, "=") && takesValue(app.Flags, a):
			i++ // --config FILE
		}
	}
	return -1
}

// takesValue says whether the flag spelled arg ("-x", "--name") is one
// that reads the next word as its value: every kind but a bool. An
// unknown flag is taken for a bool, and the parser then names it.
func takesValue(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			_, isBool := f.(*cli.BoolFlag)
			return !isBool
		}
	}
	return false
}

// unknownCommand is the error for a first word that names no command,
// with the nearest one when there is one close enough to be a typo.
func unknownCommand(app *cli.App, args []string) error {
	at := commandIndex(app, args)
	if at < 0 || app.Command(args[at]) != nil {
		return nil
	}
	word := args[at]
	var names []string
	for _, c := range app.Commands {
		names = append(names, c.Names()...)
	}
	if s := nearest(word, names); s != "" {
		return fmt.Errorf("unknown command %q: did you mean %q? (txguard --help lists the commands)", word, s)
	}
	return fmt.Errorf("unknown command %q: txguard --help lists the commands", word)
}

// nearest is the candidate within a typo's distance of word (at most a
// third of its letters, and never more than 2 edits), or a candidate word
// starts; "" when none is.
func nearest(word string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), c)
		if d < bestD && d <= max(1, len(c)/3) {
			best, bestD = c, d
		}
	}
	if best == "" && len(word) >= 3 {
		for _, c := range candidates {
			if strings.HasPrefix(c, strings.ToLower(word)) {
				return c
			}
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment): a swapped pair of letters, the commonest typo, is one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// usageMessage rewrites the flag package's errors for people: flags with
// two dashes, as the help spells them, and a suggestion for a mistyped
// one. Go's flag package writes "-name" whatever the user typed.
func usageMessage(err error, cmd string, flags []cli.Flag) error {
	msg := err.Error()
	const (
		undefined = "flag provided but not defined: -"
		needsArg  = "flag needs an argument: -"
		invalid   = "invalid value "
	)
	where := "txguard"
	if cmd != "" {
		where = cmd // the line already starts "txguard: "
	}
	switch {
	case strings.HasPrefix(msg, undefined):
		name := strings.TrimPrefix(msg, undefined)
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		if s := nearest(name, names); s != "" {
			return fmt.Errorf("%s has no flag %s: did you mean %s?", where, dashes(name), dashes(s))
		}
		return fmt.Errorf("%s has no flag %s (txguard %s --help lists them)", where, dashes(name), cmd)
	case strings.HasPrefix(msg, needsArg):
		return fmt.Errorf("%s needs a value", dashes(strings.TrimPrefix(msg, needsArg)))
	case strings.HasPrefix(msg, invalid):
		// invalid value "x" for flag -name: reason
		if v, rest, ok := strings.Cut(strings.TrimPrefix(msg, invalid), " for flag -"); ok {
			name, reason, _ := strings.Cut(rest, ": ")
			return fmt.Errorf("%s %s: %s", dashes(name), v, plainReason(reason))
		}
	}
	return err
}

// dashes spells a flag name as the help does: --name, or -h for one letter.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// plainReason turns strconv's words ("parse error", "invalid syntax") into
// what the user can act on.
func plainReason(r string) string {
	switch {
	case strings.Contains(r, "parse error"), strings.Contains(r, "invalid syntax"):
		return "not a valid value for this flag"
	case strings.Contains(r, "value out of range"):
		return "out of range"
	}
	return r
}
