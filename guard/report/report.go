package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/txguard/txguard/guard"
)

// Format is an output format, as --format spells it.
type Format string

// The formats.
const (
	Text     Format = "text"
	JSON     Format = "json"
	SARIF    Format = "sarif"
	Markdown Format = "markdown"
)

// Formats lists every format, for flag help and validation.
var Formats = []Format{Text, JSON, SARIF, Markdown}

// ParseFormat validates a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("report: unknown format %q (want %s)", s, strings.Join(names, ", "))
}

var errNoVerdict = errors.New("report: no verdict")

// Options carry what a report needs beyond the verdict.
type Options struct {
	// ArtifactURI names the input file, so that code scanning can pin
	// results to it: in CI the input is a file in the repository. A path as
	// `txguard check FILE` got it is fine; it becomes a URI reference. Only
	// SARIF (physical location) and Markdown (heading) use it.
	ArtifactURI string
	// Root is the directory findings' file paths are relative to, when
	// not the working directory: the NEW side of a directory diff. SARIF
	// names it as the base of every location (originalUriBaseIds).
	Root string
	// Title names the input in Markdown's heading when a single file does
	// not: the two sides of a diff, a git range. "" is ArtifactURI.
	Title string
	// ToolVersion is txguard's version for SARIF's tool.driver.version.
	// "" or "dev" (an unreleased main) falls back to the version the Go
	// toolchain recorded in the binary, and to none when it has none.
	ToolVersion string
}

// Write renders one verdict in format f. Text and Markdown include the
// decoded input as decode.Result.WriteText draws it, so a reader sees what
// the verdict is about; JSON includes it as data.
func Write(w io.Writer, f Format, v *guard.Verdict) error {
	return WriteWith(w, f, v, Options{})
}

// WriteWith renders one verdict in format f with options.
func WriteWith(w io.Writer, f Format, v *guard.Verdict, o Options) error {
	if v == nil {
		return errNoVerdict
	}
	switch f {
	case Text:
		return writeText(w, v)
	case JSON:
		return writeJSON(w, v)
	case SARIF:
		return writeSARIF(w, v, o)
	case Markdown:
		return writeMarkdown(w, v, o)
	}
	return fmt.Errorf("report: unknown format %q", f)
}

// LevelWord is how every format names a level: a word, upper case, so it
// never depends on colour.
func LevelWord(l guard.Level) string { return strings.ToUpper(l.String()) }

// Summary is the one-line account of where the level came from:
// "rules: danger; model: unavailable — ollama is not running".
func Summary(v *guard.Verdict) string {
	s := "rules: " + v.RulesLevel.String() + "; model: "
	switch m := v.Model; {
	case m == nil:
		s += "not consulted"
	case m.Status == guard.StatusOK && m.Level != nil:
		s += m.Level.String()
	default:
		s += cmp.Or(m.Status, "no review")
		if m.Reason != "" {
			s += " — " + m.Reason
		}
	}
	return s
}

// Headline is the verdict's level with whether the model raised it.
func Headline(v *guard.Verdict) string {
	h := LevelWord(v.Level)
	if v.RaisedByModel() {
		h += ", raised by the model"
	}
	return h
}

// At is where in a source file a finding is, "path:line", or "" for a
// finding about the input as a whole.
func At(f guard.Finding) string {
	switch {
	case f.File == "":
		return ""
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// FindingLabel names a finding's source: "TG101 approve-unlimited" for a
// rule, "MODEL (the model's review)" for the model, so a reader never takes
// the model's opinion for a deterministic rule.
func FindingLabel(f guard.Finding) string {
	l := strings.TrimSpace(f.Rule + " " + f.Name)
	if f.Source == guard.SourceModel {
		l += " (the model's review)"
	}
	return l
}
