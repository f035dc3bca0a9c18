package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/prompts"
	"github.com/txguard/txguard/prompts/node"
)

var configFlag = &cli.StringFlag{Name: "config", EnvVars: []string{"TXGUARD_CONFIG"},
	Usage: "the config `FILE` (default: " + prompts.ConfigName + " under the XDG config dir, e.g. ~/.config/txguard/" + prompts.ConfigName + "; txguard config shows it)"}

// runConfig is the config file of this run and which flags it set: a flag
// set from the file is not one the user typed (check's --format from the
// file does not hide the screen).
type runConfig struct {
	file    *prompts.File
	applied map[string]bool // flag names set from the file
}

const configKey = "txguard.config"

func currentConfig(c *cli.Context) *runConfig {
	rc, _ := c.App.Metadata[configKey].(*runConfig)
	if rc == nil {
		return &runConfig{file: &prompts.File{Values: map[string]prompts.Value{}}, applied: map[string]bool{}}
	}
	return rc
}

// flagFor is the flag a setting sets on a command: the proxy calls its
// node --upstream.
func flagFor(cmd, key string) string {
	if cmd == "proxy" && key == "rpc" {
		return "upstream"
	}
	return key
}

// loadConfig reads --config FILE, or the default file if it exists. A file
// named on the command line must exist; a malformed one is exit 2 with
// file:line, never a note on a verdict.
func loadConfig(c *cli.Context) (*prompts.File, error) {
	// --config before the command or after it: the command's own flag
	// (empty unless given) would hide the global one from c.String.
	var path string
	for _, ctx := range c.Lineage() {
		if ctx.IsSet("config") {
			path = ctx.String("config")
			break
		}
	}
	named := path != ""
	if !named {
		path = prompts.DefaultConfigPath()
	}
	f, err := prompts.LoadFile(path)
	if err != nil {
		return nil, inputError(fmt.Errorf("config file %v", err))
	}
	if named && !f.Found {
		return nil, inputError(fmt.Errorf("--config %s: there is no such file", path))
	}
	return f, nil
}

// applyConfig is every command's Before: the file's settings become the
// defaults of the command's flags the command line did not set.
func applyConfig(c *cli.Context) error {
	f, err := loadConfig(c)
	if err != nil {
		return err
	}
	rc := &runConfig{file: f, applied: map[string]bool{}}
	c.App.Metadata = map[string]any{configKey: rc}
	for _, s := range prompts.Settings {
		v, ok := f.Values[s.Key]
		if ok && s.Key == "format" {
			if err := checkSetting(s.Key, v.Text); err != nil {
				return inputError(fmt.Errorf("config file %s:%d: %v", f.Path, v.Line, err))
			}
		}
		name := flagFor(c.Command.Name, s.Key)
		if !ok || s.Key == "format" || !hasFlag(c.Command, name) || c.IsSet(name) {
			continue // format is applied where the command knows its formats
		}
		if err := checkSetting(s.Key, v.Text); err != nil {
			return inputError(fmt.Errorf("config file %s:%d: %v", f.Path, v.Line, err))
		}
		if err := c.Set(name, v.Text); err != nil {
			return inputError(fmt.Errorf("config file %s:%d: %s = %q: %v", f.Path, v.Line, s.Key, v.Text, err))
		}
		rc.applied[name] = true
	}
	return nil
}

// checkSetting refuses a value the flag would refuse later, so the error
// points at the file's line rather than at a flag the user did not type.
func checkSetting(key, value string) error {
	var err error
	switch key {
	case "fail-on":
		_, err = guard.ParseLevel(value)
	case "chain":
		_, err = parseChain(value)
		if err != nil {
			err = fmt.Errorf("chain = %q is not a chain id or a name txguard knows", value)
		}
	case "no-llm":
		if value != "true" && value != "false" {
			err = fmt.Errorf("no-llm wants true or false")
		}
	case "format":
		// A command without this format keeps its own default; a format
		// no command has is a typo, said at its line.
		if !slices.Contains([]string{"text", "json", "sarif", "markdown"}, value) {
			err = fmt.Errorf("format = %q is not a format: text, json, sarif or markdown", value)
		}
	}
	return err
}

// onCommandLine says whether the user set the flag (or its environment
// variable), not the config file.
func onCommandLine(c *cli.Context, name string) bool {
	return c.IsSet(name) && !currentConfig(c).applied[name]
}

// configured is where a flag's value came from when the file set it:
// "FILE:LINE", for errors that must point there; "" otherwise.
func configured(c *cli.Context, key string) string {
	rc := currentConfig(c)
	if !rc.applied[flagFor(c.Command.Name, key)] {
		return ""
	}
	return fmt.Sprintf("%s:%d", rc.file.Path, rc.file.Values[key].Line)
}

// formatFlagOf is a --format flag that takes these formats, the first the
// default.
func formatFlagOf(formats ...string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Value: formats[0], Usage: strings.Join(formats, ", ") + " (--json is --format json)"}
}

// outputFormat reads --format (or --json), else the config file's format if
// this command has it, else the default; formats are what the command has.
func outputFormat(c *cli.Context, formats ...string) (string, error) {
	name := c.String("format")
	switch {
	case c.Bool("json"):
		name = "json"
	case !c.IsSet("format"):
		if v, ok := currentConfig(c).file.Values["format"]; ok && slices.Contains(formats, v.Text) {
			name = v.Text
		}
	}
	if !slices.Contains(formats, name) {
		return "", inputError(fmt.Errorf("--format %q: txguard %s prints %s", name, c.Command.Name, strings.Join(formats, ", ")))
	}
	return name, nil
}

// setting is one row of `txguard config`.
type setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	From  string `json:"from"`
}

// effectiveSettings is what a check would use with no flags, and why.
func effectiveSettings(f *prompts.File) []setting {
	defaults := map[string]string{"no-llm": "false", "model": prompts.DefaultModel, "ollama-host": prompts.DefaultHost,
		"fail-on": "danger", "format": "text", "chain": "", "addressbook": "", "denylist": "", "rpc": ""}
	env := map[string]string{"ollama-host": "OLLAMA_HOST", "rpc": "ETH_RPC_URL"}
	var out []setting
	for _, s := range prompts.Settings {
		row := setting{Key: s.Key, Value: defaults[s.Key], From: "default"}
		// The order of precedence for a run without flags: the model's
		// host reads the file before $OLLAMA_HOST; the node reads
		// $ETH_RPC_URL before the file (the flag's environment variable).
		v, inFile := f.Values[s.Key]
		e := os.Getenv(env[s.Key])
		switch {
		case s.Key == "rpc" && e != "":
			row.Value, row.From = e, "$"+env[s.Key]
		case inFile:
			row.Value, row.From = v.Text, fmt.Sprintf("%s:%d", f.Path, v.Line)
		case e != "":
			row.Value, row.From = e, "$"+env[s.Key]
		}
		if s.Key == "addressbook" && row.From == "default" {
			if p := label.DefaultAddressBookPath(); p != "" {
				if _, err := os.Stat(p); err == nil {
					row.Value = p
				} else {
					row.Value, row.From = "(none)", "default: "+p+" does not exist"
				}
			}
		}
		if row.Value == "" {
			row.Value = "(none)"
		}
		// Never the credentials a node or host URL may carry (user,
		// password, an API key in the path or query), as check never
		// prints them either.
		if (s.Key == "rpc" || s.Key == "ollama-host") && row.Value != "(none)" {
			row.Value = redactURL(row.Value)
		}
		out = append(out, row)
	}
	return out
}

func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "print the effective settings and where each came from (the config file, the environment, the defaults)",
		Flags: []cli.Flag{formatFlagOf("text", "json")},
		Action: func(c *cli.Context) error {
			format, err := outputFormat(c, "text", "json")
			if err != nil {
				return err
			}
			f := currentConfig(c).file
			rows := effectiveSettings(f)
			if format == "json" {
				b, _ := json.MarshalIndent(struct {
					File     string    `json:"file"`
					Found    bool      `json:"found"`
					Settings []setting `json:"settings"`
				}{f.Path, f.Found, rows}, "", "  ")
				return writeOut(c, append(decode.EscapeJSON(b), '\n'))
			}
			var out strings.Builder
			// Values and paths come from a file and the environment:
			// escaped, so that none reaches the terminal as a control.
			path := decode.Escape(f.Path)
			switch {
			case !f.Found:
				fmt.Fprintf(&out, "config file: %s (not there: every setting is a default)\n\n", path)
			case f.Legacy:
				fmt.Fprintf(&out, "config file: %s (the first format; still read: rename it %s and quote the text values to use TOML)\n\n", path, prompts.ConfigName)
			default:
				fmt.Fprintf(&out, "config file: %s\n\n", path)
			}
			tw := tabwriter.NewWriter(&out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Key, decode.Escape(r.Value), decode.Escape(r.From))
			}
			tw.Flush()
			out.WriteString("\nA flag on the command line wins over all of these.\n")
			return writeOut(c, []byte(out.String()))
		},
	}
}

// Package prefixes of internal wrapping, and Go's words for JSON types:
// neither is for the person who typed the command.
var (
	pkgPrefix = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(^|: |\()(decode|prompts|label|tx|userfile|calldata|typeddata|account|node|codediff|evm|report|guard|jsonkey|selector|proxy|userop|json): `)
	})
	goJSONType = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:json: )?cannot unmarshal ([\w-]+) into Go (?:struct field (\S+) of type|value of type) (\S+)`)
	})
	// go-ethereum's hexutil: "hex string has length 2, want 64 for common.Hash".
	goHexLen = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`hex string has length (\d+), want (\d+) for common\.\w+`)
	})
	// Go's flag package writes flags with one dash: "for -no-llm".
	oneDash = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(value "[^"]*" for |flag provided but not defined: )-([a-z][\w-]+)`)
	})
	// decode/tx names the field but the Go type: want *hexutil.Big.
	goWant = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`want (\*?[\w.\[\]]+), have JSON ([\w-]+)`)
	})
)

// userMessage is an error's text for a person: no Go package prefixes,
// no Go type names.
func userMessage(msg string) string {
	msg = rlpWords(clipMessage(msg))
	msg = goJSONType().ReplaceAllStringFunc(msg, func(m string) string {
		sub := goJSONType().FindStringSubmatch(m)
		field := ""
		if sub[2] != "" {
			field = fmt.Sprintf(" for %q", sub[2][strings.LastIndex(sub[2], ".")+1:])
		}
		return fmt.Sprintf("found %s%s where %s was expected", jsonWord(sub[1]), field, goTypeWord(sub[3]))
	})
	msg = goWant().ReplaceAllStringFunc(msg, func(m string) string {
		sub := goWant().FindStringSubmatch(m)
		return fmt.Sprintf("want %s, have JSON %s", goTypeWord(sub[1]), jsonWord(sub[2]))
	})
	msg = goHexLen().ReplaceAllString(msg, "hex string has $1 digits, want $2")
	msg = oneDash().ReplaceAllString(msg, "${1}--$2")
	for prev := ""; prev != msg; {
		prev, msg = msg, pkgPrefix().ReplaceAllString(msg, "$1")
	}
	return msg
}

// clipMessage cuts an error message past 2 KiB. Messages quote pieces of
// the input, and each place that quotes one caps it; this is the net under
// them all, before the rewrites above and before a batch line is written.
func clipMessage(msg string) string {
	const most = 2 << 10
	if len(msg) <= most {
		return msg
	}
	kept := clip.Prefix(msg, most)
	return kept + fmt.Sprintf("… (%d more bytes of error message)", len(msg)-len(kept))
}

// jsonWord is encoding/json's name of a JSON value with its article.
func jsonWord(w string) string {
	switch w {
	case "non-string":
		return "a value that is not a string"
	case "array", "object":
		return "an " + w
	}
	return "a " + w
}

// goTypeWord says what JSON a Go type reads.
func goTypeWord(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "struct"):
		return "an object"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "hexutil."), strings.HasPrefix(t, "uint256."), strings.HasPrefix(t, "common."):
		return "a 0x hex string"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "another kind of value"
}

// redactURL is a host or URL setting without what it may carry besides the
// host: credentials, an API key in the path, a query.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		if u, err = url.Parse("http://" + v); err != nil || u.Host == "" {
			return "(not a URL)"
		}
		if u.User == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
			return v // a bare host:port, as OLLAMA_HOST usually is
		}
	}
	return node.Redact(u)
}
