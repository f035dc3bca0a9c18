package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/txguard/txguard/guard"
)

// Gate shows the screen and, only when the person approves, writes input
// unchanged to result. Everything else (reject, quit, an interrupt or a
// signal, a failure of the screen) writes nothing and says Rejected; an
// error means the screen itself failed. opts say where to draw: main
// passes the terminal (/dev/tty) as input and output, tests pass pipes.
//
// It also returns the verdict the person saw last: the simulated one, with
// the model's review, when they came before the decision.
func Gate(ctx context.Context, o Options, input []byte, result io.Writer, opts ...tea.ProgramOption) (d Decision, v *guard.Verdict, err error) {
	v = o.Verdict
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends a review still running when the person decides first
	m, err := New(ctx, o)
	if err != nil {
		return Rejected, v, fmt.Errorf("tui: %v", err)
	}
	screen := tea.WithAltScreen()
	if tty, ok := firstFrame(&m, o); ok {
		// The screen is up already; bubbletea draws over it in place and
		// the alternate screen is ours to leave, after everything else
		// (deferred first, so it runs last).
		screen = func(*tea.Program) {}
		defer io.WriteString(tty, ansi.ResetAltScreenSaveCursorMode+ansi.ShowCursor)
	}
	// bubbletea's own panic handler prints to os.Stdout, which is the
	// signer's pipe: catch panics here instead, give the terminal back,
	// and fail closed.
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx), screen, tea.WithoutCatchPanics()}, opts...)...)
	defer func() {
		if r := recover(); r != nil {
			p.ReleaseTerminal()
			d, err = Rejected, fmt.Errorf("tui: internal error: %v", r)
		}
	}()
	final, err := p.Run()
	fm, ok := final.(Model)
	if ok {
		v = fm.Verdict()
	}
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled):
		return Rejected, v, nil // ctrl+c, SIGINT, the context ending: a rejection
	case err != nil:
		return Rejected, v, fmt.Errorf("tui: %v", err)
	}
	if !ok || fm.Decision() != Approved {
		return Rejected, v, nil
	}
	if _, err := result.Write(input); err != nil {
		return Rejected, v, fmt.Errorf("tui: write the approved input: %v", err)
	}
	return Approved, v, nil
}

// firstFrame draws the screen's first frame at once, on the terminal o's
// renderer writes to: bubbletea draws only on its renderer's tick, a
// frame (1/60 s) after it starts, and a person waiting for the verdict
// should not wait for a clock. It enters the alternate screen itself, so
// that bubbletea, run without WithAltScreen, does not clear it again; its
// renderer then draws over this frame in place, from the top left, as it
// draws inline. It does nothing, and says so, when o's output is not a
// terminal (tests, pipes): bubbletea then owns the alternate screen.
func firstFrame(m *Model, o Options) (io.Writer, bool) {
	tty := o.Renderer.Output().TTY()
	if tty == nil {
		return nil, false
	}
	w, h, ok := termSize(tty)
	if !ok {
		return nil, false
	}
	m.width, m.height = w, h
	m.help.Width = w
	frame := ansi.SetAltScreenSaveCursorMode + ansi.HideCursor + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		strings.ReplaceAll(m.View(), "\n", "\r\n") + ansi.CursorHomePosition
	if _, err := io.WriteString(tty, frame); err != nil {
		return nil, false
	}
	return tty, true
}
