package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/txguard/txguard/guard"
)

// press sends keys to m directly, as Update gets them: "enter", "esc",
// "tab", "shift+tab", "ctrl+c", "down", or runes.
func press(m tea.Model, keys ...string) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, k := range keys {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		if t, ok := special[k]; ok {
			msg = tea.KeyMsg{Type: t}
		}
		m, cmd = m.Update(msg)
	}
	return m, cmd
}

func sized(m Model, w, h int) Model {
	got, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return got.(Model)
}

// TestFirstView: without a key press, the screen leads with the headline,
// has the worst finding selected and its explanation in view at 80x24.
func TestFirstView(t *testing.T) {
	for _, tc := range []struct {
		input string
		want  []string // on the first view
	}{
		{"calls/multicall3-hidden-approve.hex", []string{"VERDICT: DANGER · Approve unlimited USDC to 0x3C44…93BC (unknown)", "›DANGER   Approve unlimited USDC", "This approval lets 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}},
		// The Permit2 spender, the 7702 delegate and why a blind hash is
		// blind, each on the first view.
		{"sign/permit2-single-envelope.json", []string{"Sign a Permit2 allowance: unlimited USDC to 0x3C44…93BC (unknown)", "Signing this would let 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}},
		{"tx/setcode-signed.hex", []string{"Delegate this account to 0x3C44…93BC (unknown code)", "›CRITICAL", "more below"}},
		{"sign/blind-hash.hash", []string{"Sign a blind hash", "You are asked to sign a bare 32-byte hash", "not\n  even to your wallet"}},
	} {
		t.Run(tc.input, func(t *testing.T) {
			v := verdictFor(t, tc.input)
			v.Merge(&guard.ModelReview{Status: guard.StatusUnavailable, Reason: "no Ollama server"})
			m := sized(newModel(t, v, nil, nil), 80, 24)
			if m.focus != paneFindings || m.findCur != 0 {
				t.Errorf("focus %v, finding %d: want the findings, the worst first", m.focus, m.findCur)
			}
			view := m.View()
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("the first view lacks %q:\n%s", w, view)
				}
			}
			// The model's status is in its pane, not the banner.
			if banner, _, _ := strings.Cut(view, "\n"); strings.Contains(banner, "model") {
				t.Errorf("the banner speaks of the model: %q", banner)
			}
			if !strings.Contains(view, "no model review (unavailable)") {
				t.Errorf("the model's status is not in its pane:\n%s", view)
			}
		})
	}
}

// TestKeys: what each key does on the screen, and that none but a, then
// the phrase, approves.
func TestKeys(t *testing.T) {
	danger := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	danger.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm"})
	for _, tc := range []struct {
		name   string
		keys   []string
		w, h   int
		want   []string // in the view after the keys
		absent []string
		focus  pane
		opened bool
		quits  bool
	}{
		{name: "enter opens the selected finding in full", keys: []string{"enter"}, w: 80, h: 24,
			want: []string{"FINDING 1 of 2", "esc goes back", "Where: tx.call.calls[1].args.amount", "Rule: TG101 approve-unlimited"}, opened: true},
		{name: "esc closes it and decides nothing", keys: []string{"enter", "esc"}, w: 80, h: 24,
			want: []string{"FINDINGS (2)"}, absent: []string{"FINDING 1 of 2"}},
		{name: "enter on the second finding opens that one", keys: []string{"down", "enter"}, w: 80, h: 24,
			want: []string{"FINDING 2 of 2", "TG102"}, opened: true},
		{name: "enter on the model's pane opens its review", keys: []string{"shift+tab", "enter"}, w: 80, h: 24,
			want: []string{"MODEL REVIEW", "--no-llm"}, focus: paneModel, opened: true},
		{name: "tab goes to the tree", keys: []string{"tab"}, w: 80, h: 24, want: []string{"▶ DECODED"}, focus: paneTree},
		{name: "shift+tab goes back", keys: []string{"tab", "shift+tab"}, w: 80, h: 24, want: []string{"▶ FINDINGS"}},
		{name: "? lists every key", keys: []string{"?"}, w: 80, h: 24,
			want: []string{"KEYS", "a ", "r ", "q/ctrl+c", "tab ", "shift+tab", "enter", "esc       back, else reject", "↑↓ jk", "pgup/pgdn", "f ", "?"}},
		{name: "? lists every key at 60 columns too", keys: []string{"?"}, w: 60, h: 24,
			want: []string{"r ", "q/ctrl+c", "shift+tab", "esc ", "pgup/pgdn", "full values"}},
		{name: "esc closes the keys without rejecting", keys: []string{"?", "esc"}, w: 80, h: 24, want: []string{"FINDINGS (2)"}},
		{name: "ctrl+c quits", keys: []string{"ctrl+c"}, w: 80, h: 24, quits: true},
		{name: "ctrl+c quits from an opened finding", keys: []string{"enter", "ctrl+c"}, w: 80, h: 24, opened: true, quits: true},
		{name: "esc outside a detail rejects", keys: []string{"esc"}, w: 80, h: 24, quits: true},
		{name: "60x15 says the size it needs", w: 60, h: 15, want: []string{"the details need 60x", "(now 60x15)", "? keys"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := sized(newModel(t, danger, nil, nil), tc.w, tc.h)
			got, cmd := press(m, tc.keys...)
			gm := got.(Model)
			view := gm.View()
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("the view lacks %q:\n%s", w, view)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(view, a) {
					t.Errorf("the view shows %q:\n%s", a, view)
				}
			}
			if gm.focus != tc.focus || gm.opened != tc.opened {
				t.Errorf("focus %v opened %v, want %v %v", gm.focus, gm.opened, tc.focus, tc.opened)
			}
			if quits := cmd != nil && isQuit(cmd); quits != tc.quits {
				t.Errorf("quits = %v, want %v", quits, tc.quits)
			}
			if gm.Decision() != Rejected {
				t.Error("approved without a and the phrase")
			}
			for i, l := range strings.Split(view, "\n") {
				if lipgloss.Width(l) > tc.w {
					t.Errorf("line %d is %d wide at %d columns", i+1, lipgloss.Width(l), tc.w)
				}
			}
		})
	}
}

// A long list of findings says how many more are below, and moving down
// reaches them all.
func TestMoreBelow(t *testing.T) {
	v := verdictFor(t, "tx/setcode-signed.hex")
	m := sized(newModel(t, v, nil, nil), 80, 24)
	if len(m.finds) < 4 {
		t.Fatalf("%d findings: the fixture no longer fills the list", len(m.finds))
	}
	view := m.View()
	if !strings.Contains(view, "more below") {
		t.Fatalf("no 'more below':\n%s", view)
	}
	got, _ := press(m, strings.Split(strings.Repeat("j", len(m.finds)-1), "")...)
	gm := got.(Model)
	if gm.findCur != len(m.finds)-1 {
		t.Errorf("cursor at %d, want the last finding %d", gm.findCur, len(m.finds)-1)
	}
	if last := gm.finds[len(gm.finds)-1].Title; !strings.Contains(gm.View(), last[:min(len(last), 30)]) {
		t.Errorf("the last finding %q is not in view:\n%s", last, gm.View())
	}
	if strings.Contains(gm.View(), "more below") {
		t.Errorf("at the end, the list still says more below:\n%s", gm.View())
	}
}

// The way to every key, "? keys", survives every width.
func TestHelpKeySurvivesNarrowWidths(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	for _, w := range []int{20, 30, 40, 50, 60, 80, 120} {
		m := sized(newModel(t, v, nil, nil), w, 24)
		view := m.View()
		lines := strings.Split(view, "\n")
		if foot := lines[len(lines)-1]; !strings.HasSuffix(strings.TrimRight(foot, " "), "? keys") {
			t.Errorf("at %d columns the footer is %q", w, foot)
		}
	}
}

// Without colour the "yes" step shows no placeholder: it would look like
// the phrase already typed. With colour the faint placeholder says where
// to type.
func TestConfirmPlaceholder(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	for _, tc := range []struct {
		name    string
		profile termenv.Profile
		want    bool
	}{
		{"NO_COLOR", termenv.Ascii, false},
		{"colour", termenv.ANSI256, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(context.Background(), Options{Verdict: v, Renderer: renderer(tc.profile), KeyDelay: -1, Confirm: "yes 123"})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := press(sized(m, 80, 24), "a")
			input := got.(Model).input.View()
			if has := strings.Contains(input, "es 123"); has != tc.want {
				t.Errorf("placeholder shown %v, want %v: %q", has, tc.want, input)
			}
		})
	}
}
