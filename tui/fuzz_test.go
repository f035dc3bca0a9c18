package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// FuzzScreen draws the screen for whatever decodes, at any size: it must
// not panic, must keep within the width and height, and must never let a
// control character from the input reach the terminal.
func FuzzScreen(f *testing.F) {
	for _, dir := range []string{"calls", "sign", "request", "tx"} {
		files, _ := filepath.Glob(filepath.Join("..", "fixtures", dir, "*"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b, uint8(80), uint8(24))
			}
		}
	}
	f.Add([]byte("hello\x1b[2J\rworld\u202e"), uint8(60), uint8(24))
	f.Fuzz(func(t *testing.T, in []byte, w, h uint8) {
		res, err := decode.Decode(in, decode.Options{})
		if err != nil {
			return
		}
		v := guard.Check(res, guard.Config{})
		v.Merge(&guard.ModelReview{Status: guard.StatusFailed, Reason: string(in)})
		m, err := New(context.Background(), Options{Verdict: v, Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"})
		if err != nil {
			t.Fatal(err)
		}
		m.width, m.height = int(w), int(h)
		var views []string
		for _, focus := range []pane{paneTree, paneFindings, paneModel} {
			m.focus = focus
			m.opened = false
			views = append(views, m.View())
			m.opened = true // the selection opened full screen
			views = append(views, m.View())
		}
		m.help.ShowAll = true
		views = append(views, m.View())
		for _, view := range views {
			lines := strings.Split(view, "\n")
			if width, height := max(int(w), 20), max(int(h), 8); len(lines) > height {
				t.Fatalf("%d lines for a height of %d", len(lines), height)
			} else {
				for _, l := range lines {
					if lipgloss.Width(l) > width {
						t.Fatalf("a line of %d columns for a width of %d: %q", lipgloss.Width(l), width, l)
					}
				}
			}
			if strings.ContainsFunc(view, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f || r == 0x202e) }) {
				t.Fatalf("a control character reached the screen: %q", view)
			}
		}
	})
}
