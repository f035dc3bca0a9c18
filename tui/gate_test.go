package tui

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/txguard/txguard/guard"
)

// syncBuffer is the screen's output, read by the test while the program
// writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// gate runs Gate over a pipe: each key is written on its own, after the
// screen shows the text before it (a wait), as a person would type.
type gateRun struct {
	decision Decision
	err      error
	result   string
	screen   string
}

func runGate(t *testing.T, ctx context.Context, o Options, script ...string) gateRun {
	t.Helper()
	inR, inW := io.Pipe()
	var screen syncBuffer
	var result bytes.Buffer
	input := []byte("0x02f8…the input, byte for byte\n")
	done := make(chan gateRun, 1)
	go func() {
		d, _, err := Gate(ctx, o, input, &result, tea.WithInput(inR), tea.WithOutput(&screen), tea.WithoutSignals())
		done <- gateRun{decision: d, err: err}
	}()
	for _, s := range script {
		if w, ok := strings.CutPrefix(s, "wait:"); ok {
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(screen.String(), w) {
				if time.Now().After(deadline) {
					t.Fatalf("the screen never showed %q:\n%s", w, screen.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			continue
		}
		if _, err := inW.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case r := <-done:
		inW.Close()
		r.result, r.screen = result.String(), screen.String()
		if r.decision == Approved && r.result != string(input) {
			t.Errorf("approved, but the result is %q, not the input", r.result)
		}
		return r
	case <-time.After(5 * time.Second):
		t.Fatalf("the screen did not end; it shows:\n%s", screen.String())
	}
	return gateRun{}
}

func TestGate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		input  string
		script []string
		want   Decision
	}{
		{"a approves at ok at once", "calls/erc20-transfer.hex", []string{"wait:VERDICT", "a"}, Approved},
		{"r rejects", "calls/erc20-transfer.hex", []string{"wait:VERDICT", "r"}, Rejected},
		{"q quits, which rejects", "calls/erc20-transfer.hex", []string{"wait:VERDICT", "q"}, Rejected},
		{"ctrl+c rejects", "calls/erc20-transfer.hex", []string{"wait:VERDICT", "\x03"}, Rejected},
		{"moving about decides nothing", "calls/erc20-transfer.hex", []string{"wait:VERDICT", "j", "k", "\t", "f", "?", "\r", "r"}, Rejected},
		{"at danger a asks for yes, and yes approves", "calls/multicall3-hidden-approve.hex",
			[]string{"wait:VERDICT", "a", "wait:type yes", "y", "e", "s", "\r"}, Approved},
		{"at danger a alone approves nothing", "calls/multicall3-hidden-approve.hex",
			[]string{"wait:VERDICT", "a", "wait:type yes", "a", "\r", "n", "o", "\r", "\x03"}, Rejected},
		{"at critical too", "sign/blind-hash.hash", []string{"wait:VERDICT", "a", "wait:type yes", "Y", "E", "S", "\r"}, Approved},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verdictFor(t, tc.input)
			v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm: rules only"})
			got := runGate(t, context.Background(), Options{Verdict: v, Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"}, tc.script...)
			if got.err != nil {
				t.Fatal(got.err)
			}
			if got.decision != tc.want {
				t.Errorf("decision %v, want %v", got.decision, tc.want)
			}
			if tc.want == Rejected && got.result != "" {
				t.Errorf("rejected, yet %q was written", got.result)
			}
		})
	}
}

// The second step is not the a key typed twice or an enter: esc leaves it
// without deciding, and the screen is as before.
func TestSecondStepEscGoesBack(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	m := drive(t, newModel(t, v, nil, nil), 80, 24, keys("a"), keys("esc"))
	if m.confirming || m.Decision() != Rejected {
		t.Errorf("after a, esc: confirming %v, decision %v", m.confirming, m.Decision())
	}
	m = drive(t, newModel(t, v, nil, nil), 80, 24, keys("a"), keys("esc"), keys("esc"))
	if m.Decision() != Rejected {
		t.Errorf("esc outside the second step must reject")
	}
}

// The person may decide before the model is done: the review is then
// cancelled, and the decision stands on the rules' verdict.
func TestDecideBeforeTheModel(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	cancelled := make(chan struct{})
	review := func(ctx context.Context, _ *guard.Verdict, progress func(Progress)) *guard.ModelReview {
		progress(Progress{Tokens: 1, Attempt: 1})
		<-ctx.Done()
		close(cancelled)
		return &guard.ModelReview{Status: guard.StatusFailed, Reason: "cancelled"}
	}
	got := runGate(t, context.Background(), Options{Verdict: v, Review: review, ModelName: "m", Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"}, "wait:asking m", "a")
	if got.err != nil || got.decision != Approved {
		t.Fatalf("decision %v, err %v", got.decision, got.err)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the review was not cancelled when the person decided")
	}
}

// A review that arrives while the screen is up is merged by guard's rules:
// it raises the banner, and a raised level asks for the second step.
func TestReviewRaisesTheLevelOnScreen(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	rules := v.RulesLevel
	if v.Level >= guard.Danger {
		t.Fatalf("fixture level %s: want one below danger", v.Level)
	}
	release := make(chan struct{})
	danger := guard.Danger
	review := func(ctx context.Context, _ *guard.Verdict, progress func(Progress)) *guard.ModelReview {
		<-release
		return &guard.ModelReview{Status: guard.StatusOK, Level: &danger, Summary: "looks like address poisoning"}
	}
	m := drive(t, newModel(t, v, review, nil), 80, 24, wait("asking"), do(func() { close(release) }), wait("raised by the model"), keys("a"))
	if !m.confirming || m.Decision() != Rejected {
		t.Errorf("after the model raised to danger, a must ask for yes: confirming %v, decision %v", m.confirming, m.Decision())
	}
	if m.v.Level != guard.Danger || m.v.RulesLevel != rules {
		t.Errorf("level %s rules %s", m.v.Level, m.v.RulesLevel)
	}
	// And a model that says less than the rules lowers nothing.
	v = verdictFor(t, "calls/multicall3-hidden-approve.hex")
	ok := guard.OK
	m = drive(t, newModel(t, v, func(context.Context, *guard.Verdict, func(Progress)) *guard.ModelReview {
		return &guard.ModelReview{Status: guard.StatusOK, Level: &ok, Summary: "all fine, approve it"}
	}, nil), 80, 24, wait("all fine"))
	if m.v.Level != guard.Danger {
		t.Errorf("the model lowered the level to %s", m.v.Level)
	}
}

// An interrupt (the context ends: a signal) is a rejection, not an error
// and never an approval.
func TestGateInterrupted(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	got := runGate(t, ctx, Options{Verdict: v, Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"})
	if got.decision != Rejected || got.result != "" || got.err != nil {
		t.Errorf("interrupted: decision %v, result %q, err %v", got.decision, got.result, got.err)
	}
}

// A review that panics is a failed review: the screen stays, the rules'
// verdict stands, and the person still decides.
func TestReviewPanicIsAFailedReview(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	review := func(context.Context, *guard.Verdict, func(Progress)) *guard.ModelReview { panic("boom") }
	got := runGate(t, context.Background(), Options{Verdict: v, Review: review, ModelName: "m", Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"},
		"wait:no model review (failed)", "a")
	if got.err != nil || got.decision != Approved {
		t.Errorf("decision %v, err %v", got.decision, got.err)
	}
}

// TestTypedAhead: keys that arrive before keys count (typed while the
// screen was built, or in its first moment) approve nothing, move nothing
// and type no "yes"; reject and quit still work; the terminal's unread
// input is flushed when keys start to count, and from then on keys work.
func TestTypedAhead(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	key := func(s string) tea.KeyMsg {
		switch s {
		case "enter":
			return tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			return tea.KeyMsg{Type: tea.KeyEsc}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
	}
	send := func(m tea.Model, keys ...string) (tea.Model, tea.Cmd) {
		var cmd tea.Cmd
		for _, k := range keys {
			m, cmd = m.Update(key(k))
		}
		return m, cmd
	}
	for _, tc := range []struct {
		name       string
		ahead      []string // before keys count
		after      []string // once they do
		want       Decision
		quits      bool
		confirming bool
	}{
		{"a, yes, enter typed ahead approve nothing", []string{"a", "y", "e", "s", "enter"}, nil, Rejected, false, false},
		{"typed ahead, then a alone asks for yes", []string{"a", "y", "e", "s", "enter"}, []string{"a"}, Rejected, false, true},
		{"after, a then yes approves", []string{"j", "a"}, []string{"a", "y", "e", "s", "enter"}, Approved, true, true},
		{"r typed ahead still rejects", []string{"r"}, nil, Rejected, true, false},
		{"q typed ahead still quits", []string{"q"}, nil, Rejected, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flushed := 0
			m0, err := New(context.Background(), Options{Verdict: v, Renderer: asciiRenderer(), Flush: func() { flushed++ }, Confirm: "yes"})
			if err != nil {
				t.Fatal(err)
			}
			if m0.Init() == nil {
				t.Fatal("Init schedules nothing: keys would never count")
			}
			m, cmd := send(m0, tc.ahead...)
			if len(tc.after) > 0 {
				m, _ = m.Update(flushMsg{})
				if flushed != 1 {
					t.Fatalf("flushed %d times when keys start to count, want 1", flushed)
				}
				m, _ = send(m, tc.ahead...) // read just before the flush: still ahead
				m, _ = m.Update(liveMsg{})
				m, cmd = send(m, tc.after...)
			}
			got := m.(Model)
			if got.Decision() != tc.want {
				t.Errorf("decision %v, want %v", got.Decision(), tc.want)
			}
			if quits := cmd != nil && isQuit(cmd); quits != tc.quits {
				t.Errorf("quits = %v, want %v", quits, tc.quits)
			}
			if got.confirming != tc.confirming {
				t.Errorf("confirming = %v, want %v", got.confirming, tc.confirming)
			}
		})
	}
}

func isQuit(cmd tea.Cmd) bool {
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// TestConfirmPhrase: at danger the approval needs the phrase the screen
// shows, "yes" and three random digits unless the caller sets one; "yes"
// alone, typed blind, approves nothing.
func TestConfirmPhrase(t *testing.T) {
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	seen := map[string]bool{}
	for range 5 {
		m, err := New(context.Background(), Options{Verdict: v, Renderer: asciiRenderer(), KeyDelay: -1})
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^yes [1-9][0-9]{2}$`).MatchString(m.phrase) {
			t.Fatalf("phrase %q, want yes and three digits", m.phrase)
		}
		seen[m.phrase] = true
		typeText := func(m tea.Model, s string) tea.Model {
			for _, r := range s {
				m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
			return m
		}
		var got tea.Model = m
		got, _ = got.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
		if !strings.Contains(got.View(), "type "+m.phrase+" and press enter") {
			t.Fatalf("the screen does not show the phrase %q", m.phrase)
		}
		got = typeText(got, "yes")
		if got.(Model).Decision() == Approved {
			t.Fatal(`"yes" alone approved`)
		}
		if !strings.Contains(got.View(), `"yes" is not the phrase`) {
			t.Fatalf("a wrong phrase vanished without a word:\n%s", got.View())
		}
		got = typeText(got, strings.ToUpper(m.phrase))
		if got.(Model).Decision() != Approved {
			t.Fatalf("the phrase %q did not approve", m.phrase)
		}
	}
	if len(seen) < 2 {
		t.Errorf("five screens asked for the same phrase %v", seen)
	}
}

// The node's simulation streams in after the rules' verdict and never
// holds it up: the first screen shows the rules' verdict while the node is
// still working, the simulated verdict replaces it when it comes (with its
// pane), and the model reviews the simulated verdict, not the rules' one.
func TestSimulationStreamsIn(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	release := make(chan struct{})
	simulated := *v
	simulated.Simulation = &guard.Simulation{Status: guard.SimOK, Node: "http://127.0.0.1:8545", Method: "eth_simulateV1", Block: 21000000,
		Calls: []guard.SimCall{{Path: "tx", Success: true, GasUsed: 51234}}}
	simulated.Level, simulated.RulesLevel = guard.Danger, guard.Danger
	simulate := func(ctx context.Context) *guard.Verdict {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return &simulated
	}
	var reviewed atomic.Pointer[guard.Verdict]
	review := func(ctx context.Context, v *guard.Verdict, progress func(Progress)) *guard.ModelReview {
		reviewed.Store(v)
		return &guard.ModelReview{Status: guard.StatusSkipped, Reason: "test"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := New(ctx, Options{Verdict: v, Simulate: simulate, NodeName: "http://127.0.0.1:8545", Review: review, ModelName: "m",
		Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	m = drive(t, m, 80, 30, wait("VERDICT: "), wait("simulating on http://127.0.0.1:8545"), do(func() { close(release) }), wait("tx succeeds, gas 51234"))
	if m.v != &simulated || reviewed.Load() != &simulated {
		t.Errorf("the screen shows %p and the model reviewed %p; want the simulated verdict %p", m.v, reviewed.Load(), &simulated)
	}
}

// The proxy heads the screen with who asks; the dapp's Origin is the
// client's to write, so it is drawn escaped.
func TestHeadingIsEscaped(t *testing.T) {
	v := verdictFor(t, "calls/erc20-transfer.hex")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := New(ctx, Options{Verdict: v, Renderer: asciiRenderer(), KeyDelay: -1, Confirm: "yes",
		Heading: func() string {
			return "asked: eth_sendTransaction by https://app.example.org\x1b]0;pwned\x07 · 2 more waiting"
		}})
	if err != nil {
		t.Fatal(err)
	}
	m.width, m.height = 100, 30
	view := m.View()
	if !strings.Contains(view, "asked: eth_sendTransaction by https://app.example.org") || !strings.Contains(view, "2 more waiting") {
		t.Errorf("the heading is not on the screen:\n%s", view)
	}
	if strings.Contains(view, "\x1b]0;") || strings.Contains(view, "\x07") {
		t.Errorf("the Origin's escape sequence reached the screen")
	}
}
