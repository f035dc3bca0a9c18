package tui

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/fixtures"
	"github.com/txguard/txguard/guard"
)

// updating reports -update: teatest's golden package defines the flag, and
// the screens here honour it too (they live in fixtures/golden/tui).
func updating() bool { return flag.Lookup("update").Value.(flag.Getter).Get().(bool) }

// verdictFor is the rules' verdict on a fixture, as the fixtures' user
// (address book, deny list, date, chain 1) would get it.
func verdictFor(t *testing.T, path string) *guard.Verdict {
	t.Helper()
	in, err := os.ReadFile(filepath.Join("..", "fixtures", path))
	if err != nil {
		t.Fatal(err)
	}
	book, deny := fixtures.Books(t, "../fixtures")
	res, err := decode.Decode(in, decode.Options{Kind: decode.Kind(fixtures.KindOf(path)), AddressBook: book, Chain: 1})
	if err != nil {
		t.Fatal(err)
	}
	return guard.Check(res, guard.Config{AddressBook: book, DenyList: deny, Chain: 1, Now: fixtures.Now})
}

// clock is a settable clock the screen may read from its own goroutine.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time         { return time.Unix(0, c.ns.Load()) }
func (c *clock) add(d time.Duration)    { c.ns.Add(int64(d)) }
func newClock() *clock                  { c := &clock{}; c.ns.Store(fixtures.Now.UnixNano()); return c }
func asciiRenderer() *lipgloss.Renderer { return renderer(termenv.Ascii) }

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(p)
	return r
}

// newModel is the screen over v, drawn without colour at a fixed clock.
func newModel(t *testing.T, v *guard.Verdict, review ReviewFunc, c *clock) Model {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if c == nil {
		c = newClock()
	}
	m, err := New(ctx, Options{Verdict: v, Review: review, ModelName: "qwen2.5-coder:3b", Renderer: asciiRenderer(), Now: c.now, KeyDelay: -1, Confirm: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// step is one thing a test does to the screen: a key ("tab", "a", "yes"
// typed rune by rune), a wait for text to appear, or a function.
type step struct {
	keys string
	wait string
	do   func()
}

func keys(s string) step { return step{keys: s} }
func wait(s string) step { return step{wait: s} }
func do(f func()) step   { return step{do: f} }

var special = map[string]tea.KeyType{"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "enter": tea.KeyEnter, "esc": tea.KeyEsc, "down": tea.KeyDown, "up": tea.KeyUp, "ctrl+c": tea.KeyCtrlC}

// drive runs the screen at w x h through steps, then ends it (if the steps
// did not) and returns the final model.
func drive(t *testing.T, m Model, w, h int, steps ...step) Model {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	for _, s := range steps {
		switch {
		case s.do != nil:
			s.do()
		case s.wait != "":
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s.wait)) },
				teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
		case special[s.keys] != 0:
			tm.Send(tea.KeyMsg{Type: special[s.keys]})
		default:
			tm.Type(s.keys)
		}
	}
	tm.Send(tea.QuitMsg{})
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

func TestScreens(t *testing.T) {
	okReview := func(l guard.Level, summary string, fs ...guard.Finding) ReviewFunc {
		return func(context.Context, *guard.Verdict, func(Progress)) *guard.ModelReview {
			return &guard.ModelReview{Status: guard.StatusOK, Level: &l, Summary: summary, Findings: fs}
		}
	}
	unavailable := &guard.ModelReview{Status: guard.StatusUnavailable, Reason: "no Ollama server at 127.0.0.1:11434: start it with `ollama serve`"}
	skipped := &guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"}
	// streaming: the model has written 45 tokens in 3.2 s and is not done.
	c := newClock()
	streaming := func(ctx context.Context, _ *guard.Verdict, progress func(Progress)) *guard.ModelReview {
		c.add(3200 * time.Millisecond)
		progress(Progress{Tokens: 45, Attempt: 1})
		<-ctx.Done()
		return &guard.ModelReview{Status: guard.StatusFailed, Reason: "cancelled"}
	}
	for _, tc := range []struct {
		name   string
		input  string
		model  *guard.ModelReview // merged before the screen, when no review runs
		review ReviewFunc
		clock  *clock
		w, h   int
		steps  []step
	}{
		// The first view, without a key: the headline, the worst finding
		// selected and explained (the Permit2 spender, the 7702 delegate, why
		// a blind hash is blind), the model's status in its own pane.
		{name: "first-view-danger-approve", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 80, h: 24},
		{name: "first-view-permit2", input: "sign/permit2-single-envelope.json", model: unavailable, w: 80, h: 24},
		{name: "first-view-7702", input: "tx/setcode-signed.hex", model: unavailable, w: 80, h: 24},
		{name: "first-view-blind-hash", input: "sign/blind-hash.hash", model: unavailable, w: 80, h: 24},
		{name: "ok-swap", input: "calls/universal-router-swap.hex", model: skipped, w: 80, h: 24},
		{name: "ok-swap-fields-open", input: "calls/universal-router-swap.hex", model: skipped, w: 80, h: 24, steps: []step{keys("tab"), keys("enter")}},
		{name: "ok-swap-full-addresses", input: "calls/universal-router-swap.hex", model: skipped, w: 80, h: 24, steps: []step{keys("tab"), keys("down"), keys("down"), keys("f")}},
		{name: "danger-tree", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 80, h: 24, steps: []step{keys("tab")}},
		{name: "danger-finding-opened", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 80, h: 24, steps: []step{keys("enter")}},
		{name: "danger-finding-opened-small", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 60, h: 16, steps: []step{keys("enter"), keys("down")}},
		{name: "danger-second-step", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 80, h: 24, steps: []step{keys("a"), keys("ye")}},
		{name: "model-streaming", input: "sign/permit2-single-envelope.json", review: streaming, clock: c, w: 80, h: 24, steps: []step{wait("45 tokens")}},
		{name: "model-unavailable", input: "sign/blind-hash.hash", model: unavailable, w: 80, h: 24, steps: []step{keys("tab"), keys("tab")}},
		{name: "model-opened", input: "sign/blind-hash.hash", model: unavailable, w: 80, h: 24, steps: []step{keys("shift+tab"), keys("enter")}},
		{name: "model-raised", input: "calls/erc20-transfer.hex", w: 80, h: 24,
			review: okReview(guard.Critical, "The recipient is not the exchange deposit address you named; this looks like address poisoning.",
				guard.Finding{Rule: "TG101", Severity: guard.Critical, Title: "Recipient is a look-alike", Explanation: "Same first and last digits as a contact, different middle."}),
			steps: []step{wait("raised")}},
		// A review longer than its pane says how much more there is.
		{name: "model-long-review", input: "calls/multicall3-hidden-approve.hex", w: 80, h: 24,
			review: okReview(guard.Danger, strings.Repeat("The approval inside the batch outlives the batch: the spender can take the tokens at any later time. ", 4)),
			steps:  []step{wait("more lines")}},
		{name: "model-long-review-focused", input: "calls/multicall3-hidden-approve.hex", w: 80, h: 24,
			review: okReview(guard.Danger, strings.Repeat("The approval inside the batch outlives the batch: the spender can take the tokens at any later time. ", 4)),
			steps:  []step{wait("more lines"), keys("tab"), keys("tab")}},
		{name: "narrow-60", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 60, h: 24},
		{name: "full-help", input: "calls/erc20-transfer.hex", model: skipped, w: 80, h: 24, steps: []step{keys("?")}},
		{name: "typed-data", input: "sign/usdc-permit-typeddata.json", model: skipped, w: 80, h: 24},
		{name: "small-60x15", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 60, h: 15},
		{name: "tiny-40x12", input: "calls/multicall3-hidden-approve.hex", model: unavailable, w: 40, h: 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verdictFor(t, tc.input)
			if tc.model != nil {
				v.Merge(tc.model)
			}
			m := drive(t, newModel(t, v, tc.review, tc.clock), tc.w, tc.h, tc.steps...)
			got := m.View()
			for i, l := range strings.Split(got, "\n") {
				if w := lipgloss.Width(l); w > tc.w {
					t.Errorf("line %d is %d columns wide, the terminal %d: %q", i+1, w, tc.w, l)
				}
			}
			if n := strings.Count(got, "\n") + 1; n > tc.h {
				t.Errorf("%d lines on a terminal of %d", n, tc.h)
			}
			fixtures.Golden(t, filepath.Join("..", "fixtures", "golden", "tui", tc.name+".txt"), []byte(got+"\n"), updating())
		})
	}
}
