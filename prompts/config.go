package prompts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"

	"github.com/txguard/txguard/decode/userfile"
)

// The config file sets defaults for the flags people would otherwise type
// on every run. It is TOML:
//
//	# ~/.config/txguard/config.toml
//	no-llm = true            # rules only: no model, and no word about it
//	fail-on = "caution"
//	chain = "base"           # or 8453
//	addressbook = "~/wallets.txt"
//	rpc = "http://127.0.0.1:8545"
//
// A flag on the command line wins over the file; the file wins over the
// environment ($OLLAMA_HOST) for the model's host, as before.
//
// The first format, "key = value" lines without quotes in a file named
// config, is still read (ConfigName's sibling LegacyConfigName): it was
// simple enough to keep, and people's files keep working.
const (
	ConfigName       = "config.toml"
	LegacyConfigName = "config"
)

// Settings are the keys the file may set, each a flag of the same name,
// with the kind of value it takes. Nothing here relaxes a safety check
// (--allow-remote-model, --allow-remote-rpc): those are asked for on the
// command line, each time.
var Settings = []Setting{
	{"no-llm", "bool"},
	{"model", "string"},
	{"ollama-host", "string"},
	{"fail-on", "string"},
	{"format", "string"},
	{"chain", "string or integer"},
	{"addressbook", "string"},
	{"denylist", "string"},
	{"rpc", "string"},
}

// Setting is one key of the config file.
type Setting struct{ Key, Kind string }

// Value is a setting as the file gives it: its text (as a flag would take
// it) and its line, for errors that point at it.
type Value struct {
	Text string
	Line int
}

// File is a loaded config file. A missing file is an empty File with its
// Path: where one would be read.
type File struct {
	Path   string
	Found  bool
	Legacy bool // the first, unquoted format
	Values map[string]Value
}

// FileConfig is what the proxy and older callers read: the model, the
// Ollama host and the node.
type FileConfig struct {
	Model string
	Host  string
	RPC   string // the user's node, for check's simulation
}

// DefaultConfigPath is where the config file is read from: config.toml
// under the XDG config directory ($XDG_CONFIG_HOME/txguard, else
// ~/.config/txguard on Linux; ~/Library/Application Support/txguard on
// macOS; %LOCALAPPDATA%\txguard on Windows), or the first one in
// $XDG_CONFIG_DIRS (a system-wide /etc/xdg/txguard/config.toml), or the
// legacy file beside it. When none exists, the user's config.toml: where
// one would go.
func DefaultConfigPath() string {
	reloadXDG()
	for _, name := range []string{ConfigName, LegacyConfigName} {
		if p, err := xdg.SearchConfigFile(filepath.Join("txguard", name)); err == nil {
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return filepath.Join(xdg.ConfigHome, "txguard", ConfigName)
}

// xdgEnv is the environment xdg's directories were last read from: at
// its init (before this package's), then at each reloadXDG.
var (
	xdgMu  sync.Mutex
	xdgEnv = strings.Join(os.Environ(), "\x00")
)

// reloadXDG has xdg read the environment again if it changed since: tests
// and the one process that sets XDG_CONFIG_HOME late agree with each
// other, and a process whose environment is what xdg's init saw does not
// pay a reload (parsing user-dirs.dirs among it) for nothing.
func reloadXDG() {
	xdgMu.Lock()
	defer xdgMu.Unlock()
	if env := strings.Join(os.Environ(), "\x00"); env != xdgEnv {
		xdg.Reload()
		xdgEnv = env
	}
}

// LoadFileConfig reads a config file's model, host and node; a missing
// file is an empty config.
func LoadFileConfig(path string) (FileConfig, error) {
	f, err := LoadFile(path)
	if err != nil {
		return FileConfig{}, err
	}
	return FileConfig{Model: f.Values["model"].Text, Host: f.Values["ollama-host"].Text, RPC: f.Values["rpc"].Text}, nil
}

// ConfigError is a config file that cannot be read as one: it names the
// file and the line, and is the user's to fix (exit 2).
type ConfigError struct {
	Path string
	Line int // 0: the file as a whole
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// LoadFile reads the config file at path: TOML, or the legacy format when
// the file is named config. A missing file (or path "") is an empty File.
func LoadFile(path string) (*File, error) {
	f := &File{Path: path, Values: map[string]Value{}}
	if path == "" {
		return f, nil
	}
	b, err := userfile.Read(path, maxConfig)
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, &ConfigError{Path: path, Msg: oneLine(err.Error())}
	}
	f.Found = true
	if filepath.Base(path) == LegacyConfigName {
		f.Legacy = true
		return f, f.parseLegacy(b)
	}
	return f, f.parseTOML(b)
}

// A config file is a dozen short lines. The TOML parser's time and memory
// grow with the square of nesting and key length (40 KB of nested inline
// tables took 11 s and 4 GB), so a file's shape is bounded before it is
// parsed: its size, its lines' length, its brackets' depth.
const (
	maxConfig      = 64 << 10
	maxConfigLine  = 4 << 10
	maxConfigDepth = 8
)

// shape refuses a file too big in shape to be a config, with its line.
func (f *File) shape(b []byte) error {
	line, depth := 1, 0
	var quote byte
	col := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			line, col = line+1, 0
			quote = 0 // a one-line string ends here, well formed or not
			continue
		}
		if col++; col > maxConfigLine {
			return &ConfigError{Path: f.Path, Line: line, Msg: fmt.Sprintf("a line longer than %d bytes: not a config setting", maxConfigLine)}
		}
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			for i < len(b) && b[i] != '\n' {
				i++
			}
			i--
		case c == '{' || c == '[':
			if depth++; depth > maxConfigDepth {
				return &ConfigError{Path: f.Path, Line: line, Msg: fmt.Sprintf("nested more than %d deep: not a config setting", maxConfigDepth)}
			}
		case c == '}' || c == ']':
			depth = max(depth-1, 0)
		}
	}
	return nil
}

func (f *File) parseTOML(b []byte) error {
	if err := f.shape(b); err != nil {
		return err
	}
	var m map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return &ConfigError{Path: f.Path, Line: pe.Position.Line, Msg: "not valid TOML: " + oneLine(pe.Message)}
		}
		return &ConfigError{Path: f.Path, Msg: "not valid TOML: " + oneLine(err.Error())}
	}
	for key, v := range m {
		line := keyLine(b, key)
		s, ok := settingOf(key)
		if !ok {
			return f.unknown(key, line)
		}
		text, ok := valueText(s, v)
		if !ok {
			return &ConfigError{Path: f.Path, Line: line, Msg: fmt.Sprintf("%s wants a %s, as in %s", key, s.Kind, example(s))}
		}
		f.Values[key] = Value{Text: text, Line: line}
	}
	return nil
}

// valueText is a TOML value as a flag takes it, if it is of the kind the
// setting wants.
func valueText(s Setting, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, s.Kind != "bool"
	case bool:
		return strconv.FormatBool(v), s.Kind == "bool"
	case int64:
		return strconv.FormatInt(v, 10), strings.Contains(s.Kind, "integer")
	}
	return "", false
}

func example(s Setting) string {
	switch s.Kind {
	case "bool":
		return s.Key + " = true"
	case "string or integer":
		return s.Key + ` = "base" or ` + s.Key + " = 8453"
	}
	return s.Key + ` = "…"`
}

func settingOf(key string) (Setting, bool) {
	i := slices.IndexFunc(Settings, func(s Setting) bool { return s.Key == key })
	if i < 0 {
		return Setting{}, false
	}
	return Settings[i], true
}

func (f *File) unknown(key string, line int) error {
	var keys []string
	for _, s := range Settings {
		keys = append(keys, s.Key)
	}
	return &ConfigError{Path: f.Path, Line: line, Msg: fmt.Sprintf("unknown setting %q (known: %s)", clip(key, 40), strings.Join(keys, ", "))}
}

// keyLine is the line that sets key at the top level: TOML decoding into
// a map keeps no positions, and an error must point at the line. Plain
// string matching: a regexp compiled per key would cost every run with a
// config file.
func keyLine(b []byte, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "["+key+"]" {
			return n
		}
		for _, spelled := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if rest, ok := strings.CutPrefix(line, spelled); ok {
				if rest = strings.TrimSpace(rest); strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
					return n
				}
			}
		}
	}
	return 0
}

// parseLegacy reads the first format: "key = value" lines, values bare.
func (f *File) parseLegacy(b []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || value == "" {
			return &ConfigError{Path: f.Path, Line: n, Msg: "want key = value"}
		}
		s, ok := settingOf(key)
		if !ok {
			return f.unknown(key, n)
		}
		if s.Kind == "bool" && value != "true" && value != "false" {
			return &ConfigError{Path: f.Path, Line: n, Msg: key + " wants true or false"}
		}
		f.Values[key] = Value{Text: value, Line: n}
	}
	if err := sc.Err(); err != nil {
		return &ConfigError{Path: f.Path, Msg: oneLine(err.Error())}
	}
	return nil
}
