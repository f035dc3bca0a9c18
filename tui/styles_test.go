package tui

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/txguard/txguard/fixtures"
	"github.com/txguard/txguard/guard"
)

type environ map[string]string

func (e environ) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}
func (e environ) Getenv(k string) string { return e[k] }

// The terminal's renderer decides colour, and NO_COLOR turns it off: the
// screen's words and markers carry the meaning either way.
func TestNoColor(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"})
	for _, tc := range []struct {
		name      string
		env       environ
		wantColor bool
	}{
		{"a 256-colour terminal", environ{"TERM": "xterm-256color"}, true},
		{"NO_COLOR", environ{"TERM": "xterm-256color", "NO_COLOR": "1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lipgloss.NewRenderer(&bytes.Buffer{}, termenv.WithTTY(true), termenv.WithEnvironment(tc.env))
			m := newModel(t, v, nil, nil)
			m.st = newStyles(r)
			m.width, m.height = 80, 24
			view := m.View()
			// SGR 31 is the red foreground of danger.
			if got := strings.Contains(view, "31m"); got != tc.wantColor {
				t.Errorf("colour %v, want %v", got, tc.wantColor)
			}
			if !strings.Contains(view, "DANGER") {
				t.Error("the level is not spelled out")
			}
		})
	}
}

// One screen in colour, so a change of palette shows in review.
func TestColourScreen(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"})
	m := newModel(t, v, nil, nil)
	m.st = newStyles(renderer(termenv.ANSI))
	m.width, m.height = 80, 24
	m.focus = paneFindings
	fixtures.Golden(t, filepath.Join("..", "fixtures", "golden", "tui", "danger-findings.ansi"), []byte(m.View()+"\n"), updating())
}
