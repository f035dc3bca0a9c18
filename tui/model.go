package tui

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/txguard/txguard/guard"
)

// Decision is what the person said.
type Decision int

const (
	Rejected Decision = iota // also: quit, interrupted, undecided
	Approved
)

// Progress is the model's state while it writes. The screen does not
// import the Ollama client; main hands this over. (The seconds shown are
// the screen's own clock: they must run while the model is still loading,
// before its first token.)
type Progress struct {
	Tokens  int
	Attempt int
}

// ReviewFunc asks the local model for its review of v. It must return
// when ctx is cancelled (the person decided first), and it reports
// progress through progress, which it may call from any goroutine.
type ReviewFunc func(ctx context.Context, v *guard.Verdict, progress func(Progress)) *guard.ModelReview

// SimulateFunc asks the user's node to simulate the input and returns the
// verdict judged again with what it said (never lower: the rules only add
// findings). It must return when ctx is cancelled.
type SimulateFunc func(ctx context.Context) *guard.Verdict

// Options is what the screen shows.
type Options struct {
	// Verdict is the rules' verdict. Without Review, its Model says why
	// there is no review; with Review, the review is merged into it.
	Verdict *guard.Verdict
	Review  ReviewFunc
	// ModelName names the model in the pane while it writes.
	ModelName string
	// Simulate, when a node is given, runs before the review: the rules'
	// verdict shows at once, the simulated one replaces it when it comes,
	// and the model reviews that. NodeName names the node meanwhile.
	Simulate SimulateFunc
	NodeName string
	// NoReview is why there is no review, when Review is nil: merged into
	// the verdict the simulation brings, as it is into Verdict.
	NoReview *guard.ModelReview
	// Heading, when set, is a line under the banner saying who asks (the
	// proxy: the method, the dapp's origin, how many more wait). Its text
	// is escaped when drawn.
	Heading func() string
	// Renderer is the terminal's: it decides colours and honours NO_COLOR.
	Renderer *lipgloss.Renderer
	// Now is the clock for the model's elapsed time (tests fix it).
	Now func() time.Time
	// KeyDelay is how long after the screen starts keys begin to count
	// (0: DefaultKeyDelay; negative: at once, for tests of other things).
	// Keys typed before that, ahead of a verdict nobody has read yet, may
	// reject or quit but never approve, move or type the "yes".
	KeyDelay time.Duration
	// Confirm is what a person types to approve at danger or above ("yes"
	// and three random digits when empty): only someone who reads the
	// screen knows it, so keystrokes injected blind into the terminal
	// (TIOCSTI, where the kernel still allows it) cannot approve.
	Confirm string
	// Flush drops keys typed at the terminal and not yet read; it runs
	// when keys start to count, so what was typed ahead is gone however
	// long the screen took to build. May be nil.
	Flush func()
}

// DefaultKeyDelay is long enough for the first frame to be on the screen
// (the renderer draws within a frame, 1/60 s) and for a person to see that
// a verdict is there, and short enough not to be noticed.
const DefaultKeyDelay = 400 * time.Millisecond

// settle is the time between the flush and keys counting: a key the
// program read just before the flush reaches Update within it and is
// dropped, rather than racing the message that makes keys count.
const settle = 50 * time.Millisecond

// Panes, in tab order, which is the order on the screen: the findings
// first, since the worst of them is what a person must read.
type pane int

const (
	paneFindings pane = iota
	paneTree
	paneModel
	panes
)

// Model is the screen's state.
type Model struct {
	ctx   context.Context
	o     Options
	v     *guard.Verdict
	keys  KeyMap
	st    styles
	help  help.Model
	spin  spinner.Model
	input textinput.Model

	width, height int
	focus         pane
	opened        bool           // the focused selection is open, full screen
	page          viewport.Model // what opened shows
	pageTitle     string         // and its title
	full          bool           // addresses and values in full
	confirming    bool           // waiting for the confirmation before a risky approval
	wrongPhrase   string         // what was entered that was not the phrase: said, then cleared
	phrase        string         // what confirms it: Options.Confirm
	live          bool           // keys count (see Options.KeyDelay)
	decision      Decision

	roots    []*node
	rows     []*node // the open part of the tree
	treeCur  int
	finds    []guard.Finding
	findCur  int
	modelTop int // first line of the model pane shown

	reviewing  bool
	simulating bool
	started    time.Time
	progress   Progress
	events     chan tea.Msg
}

// Messages from the review's goroutine, and the steps to live keys.
type (
	progressMsg Progress
	reviewMsg   struct{ r *guard.ModelReview }
	simMsg      struct{ v *guard.Verdict }
	flushMsg    struct{}
	liveMsg     struct{}
)

// New makes the screen for o. ctx ends the model's review.
func New(ctx context.Context, o Options) (Model, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Renderer == nil {
		o.Renderer = lipgloss.DefaultRenderer()
	}
	m := Model{
		ctx: ctx, o: o, v: o.Verdict, keys: DefaultKeyMap(), st: newStyles(o.Renderer),
		help: help.New(), width: 80, height: 24, reviewing: o.Review != nil,
		simulating: o.Simulate != nil, live: o.KeyDelay < 0,
	}
	m.help.Styles = m.st.help
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(o.Renderer.NewStyle()))
	m.input = textinput.New()
	m.input.Prompt = "> "
	m.phrase = o.Confirm
	if m.phrase == "" {
		n, err := rand.Int(rand.Reader, big.NewInt(900))
		if err != nil {
			return m, err
		}
		m.phrase = fmt.Sprintf("yes %d", 100+n.Int64())
	}
	// The phrase as a placeholder shows where to type; without colour a
	// placeholder looks like text already typed, so there is none (the line
	// above the input says what to type either way).
	if o.Renderer.ColorProfile() != termenv.Ascii {
		m.input.Placeholder = m.phrase
	}
	m.input.CharLimit = 8
	m.input.Cursor.SetMode(cursor.CursorStatic)
	m.input.Cursor.Style = o.Renderer.NewStyle().Reverse(true)
	m.input.PlaceholderStyle = o.Renderer.NewStyle().Faint(true)
	m.input.TextStyle = o.Renderer.NewStyle()
	m.input.PromptStyle = o.Renderer.NewStyle().Bold(true)
	var err error
	if m.roots, err = buildTree(m.v.Decoded); err != nil {
		return m, err
	}
	m.rows = visible(m.roots)
	m.finds = m.v.AllFindings()
	// The worst finding selected, its explanation shown: the first view
	// says what is wrong without a key press.
	if len(m.finds) == 0 {
		m.focus = paneTree
	}
	m.page = viewport.New(m.width, m.height)
	m.page.KeyMap = viewport.KeyMap{Up: m.keys.Up, Down: m.keys.Down, PageUp: m.keys.PageUp, PageDown: m.keys.PageDn}
	if m.reviewing || m.simulating {
		m.started = o.Now()
		m.events = make(chan tea.Msg, 16)
	}
	return m, nil
}

// Verdict is the verdict on the screen: the rules', then the simulated
// one, with the review merged when it came.
func (m Model) Verdict() *guard.Verdict { return m.v }

// Decision is what the person said; Rejected unless they approved.
func (m Model) Decision() Decision { return m.decision }

// Init starts the clock to live keys and the model's review, if there is
// one to ask.
func (m Model) Init() tea.Cmd {
	var live tea.Cmd
	if !m.live {
		live = tea.Tick(cmp.Or(m.o.KeyDelay, DefaultKeyDelay), func(time.Time) tea.Msg { return flushMsg{} })
	}
	if !m.reviewing && !m.simulating {
		return live
	}
	review, simulate, events, ctx := m.o.Review, m.o.Simulate, m.events, m.ctx
	send := func(msg tea.Msg) bool {
		select { // nobody reads once the person has decided
		case events <- msg:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		v := m.v
		if simulate != nil {
			var nv *guard.Verdict
			func() {
				defer func() { recover() }() // a failed simulation leaves the rules' verdict
				nv = simulate(ctx)
			}()
			if !send(simMsg{nv}) {
				return
			}
			if nv != nil {
				v = nv
			}
		}
		if review == nil {
			return
		}
		r := &guard.ModelReview{Status: guard.StatusFailed, Reason: "the review stopped with an internal error"}
		defer func() {
			recover() // a failed review leaves the rules' verdict; it must not kill the gate
			send(reviewMsg{r})
		}()
		r = review(ctx, v, func(p Progress) {
			select { // drop a progress report rather than stall the model
			case events <- progressMsg(p):
			default:
			}
		})
	}()
	return tea.Batch(live, m.spin.Tick, m.wait)
}

// wait delivers the review's next event.
func (m Model) wait() tea.Msg { return <-m.events }

// Update handles keys, resizes and the review's events.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m, nil
	case progressMsg:
		m.progress = Progress(msg)
		return m, m.wait
	case simMsg:
		m.simulating = false
		// Only a verdict at least as grave replaces the one shown: the
		// simulation adds findings, it never takes one away.
		if msg.v != nil && msg.v.Level >= m.v.Level {
			if m.o.Review == nil && m.o.NoReview != nil {
				msg.v.Merge(m.o.NoReview)
			}
			m.v = msg.v
			m.finds = m.v.AllFindings()
			m.findCur = min(m.findCur, max(len(m.finds)-1, 0))
		}
		if m.reviewing {
			return m, m.wait
		}
		return m, nil
	case reviewMsg:
		m.reviewing = false
		m.v.Merge(msg.r)
		m.finds = m.v.AllFindings()
		m.findCur = min(m.findCur, max(len(m.finds)-1, 0))
		return m, nil
	case spinner.TickMsg:
		if !m.reviewing && !m.simulating {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case flushMsg:
		if m.o.Flush != nil {
			m.o.Flush()
		}
		return m, tea.Tick(settle, func(time.Time) tea.Msg { return liveMsg{} })
	case liveMsg:
		m.live = true
		return m, nil
	case tea.KeyMsg:
		switch {
		case m.confirming:
			return m.confirmKey(msg)
		case !m.live && !key.Matches(msg, m.keys.Quit, m.keys.Reject):
			return m, nil // typed ahead: dropped
		case m.help.ShowAll:
			return m.helpKey(msg)
		case m.opened:
			return m.openKey(msg)
		}
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit), key.Matches(msg, k.Reject):
		m.decision = Rejected
		return m, tea.Quit
	case key.Matches(msg, k.Approve):
		if m.v.Level >= guard.Danger {
			m.confirming = true
			m.input.Reset()
			return m, m.input.Focus()
		}
		m.decision = Approved
		return m, tea.Quit
	case key.Matches(msg, k.Tab):
		m.focus = (m.focus + 1) % panes
	case key.Matches(msg, k.BackTab):
		m.focus = (m.focus + panes - 1) % panes
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(+1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(m.height/2, 1))
	case key.Matches(msg, k.PageDn):
		m.move(max(m.height/2, 1))
	case key.Matches(msg, k.Open):
		if m.focus == paneTree && m.treeCur < len(m.rows) {
			if n := m.rows[m.treeCur]; len(n.kids) > 0 {
				n.open = !n.open
				m.rows = visible(m.roots)
				break
			}
		}
		// A finding, the model's review or a line of the tree: all of it,
		// on the whole screen.
		m.opened = true
		m.page.GotoTop()
	case key.Matches(msg, k.Full):
		m.full = !m.full
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	}
	return m, nil
}

// helpKey handles keys while every key is listed: ?, esc or enter close
// the list, and deciding works as everywhere.
func (m Model) helpKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help, k.Back, k.Open):
		m.help.ShowAll = false
		return m, nil
	case key.Matches(msg, k.Quit, k.Reject, k.Approve):
		return m.key(msg)
	}
	return m, nil
}

// openKey handles keys while a selection is open: esc or enter go back,
// the arrows scroll, and deciding works as everywhere.
func (m Model) openKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back, k.Open):
		m.opened = false
		return m, nil
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDn):
		m.layoutPage()
		var cmd tea.Cmd
		m.page, cmd = m.page.Update(msg)
		return m, cmd
	case key.Matches(msg, k.Help):
		m.help.ShowAll = true
		return m, nil
	case key.Matches(msg, k.Quit, k.Reject, k.Approve, k.Full):
		return m.key(msg)
	}
	return m, nil
}

// confirmKey handles keys while a danger-level approval waits for "yes":
// the deliberate second step.
func (m Model) confirmKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.String() == "ctrl+c":
		m.decision = Rejected
		return m, tea.Quit
	case key.Matches(msg, m.keys.Back):
		m.confirming = false
		m.wrongPhrase = ""
		m.input.Blur()
		return m, nil
	case key.Matches(msg, m.keys.Confirm):
		if strings.EqualFold(strings.Join(strings.Fields(m.input.Value()), " "), m.phrase) {
			m.decision = Approved
			return m, tea.Quit
		}
		// Say so: an entry that silently vanishes reads as a glitch, and
		// the user may think they approved.
		m.wrongPhrase = strings.TrimSpace(m.input.Value())
		m.input.Reset()
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != "" {
		m.wrongPhrase = ""
	}
	return m, cmd
}

func (m *Model) move(d int) {
	switch m.focus {
	case paneTree:
		m.treeCur = clamp(m.treeCur+d, 0, len(m.rows)-1)
	case paneFindings:
		m.findCur = clamp(m.findCur+d, 0, len(m.finds)-1)
	case paneModel:
		m.modelTop = max(m.modelTop+d, 0) // the view clamps the end
	}
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
