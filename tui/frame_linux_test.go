package tui

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"

	"github.com/txguard/txguard/guard"
)

// openPTY opens a pseudo-terminal of w x h: the screen draws on tty as on
// a person's terminal, and the test reads what it drew from ptm.
func openPTY(t testing.TB, w, h int) (ptm, tty *os.File) {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(ptm.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(w), Row: uint16(h)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptm.Close(); tty.Close() })
	return ptm, tty
}

// screenReader collects what the screen drew and says when text appears.
type screenReader struct {
	mu   sync.Mutex
	b    bytes.Buffer
	seen chan struct{}
	want []byte
}

func readScreen(r io.Reader, want string) *screenReader {
	s := &screenReader{seen: make(chan struct{}), want: []byte(want)}
	go func() {
		buf := make([]byte, 32<<10)
		found := false
		for {
			n, err := r.Read(buf)
			s.mu.Lock()
			s.b.Write(buf[:n])
			if !found && bytes.Contains(s.b.Bytes(), s.want) {
				found = true
				close(s.seen)
			}
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screenReader) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestFirstFrameAtOnce: on a terminal, the first frame is on the screen
// before bubbletea starts (it would draw it a renderer tick later), at
// the terminal's size; the gate still works, and the alternate screen is
// left at the end.
func TestFirstFrameAtOnce(t *testing.T) {
	ptm, tty := openPTY(t, 100, 30)
	v := verdictFor(t, "calls/multicall3-hidden-approve.hex")
	v.Merge(&guard.ModelReview{Status: guard.StatusSkipped, Reason: "--no-llm"})
	screen := readScreen(ptm, "VERDICT: DANGER")
	done := make(chan Decision, 1)
	go func() {
		d, _, err := Gate(context.Background(), Options{Verdict: v, Renderer: lipgloss.NewRenderer(tty), KeyDelay: -1, Confirm: "yes"},
			[]byte("input"), io.Discard, tea.WithInput(tty), tea.WithOutput(tty))
		if err != nil {
			t.Error(err)
		}
		done <- d
	}()
	select {
	case <-screen.seen:
	case <-time.After(10 * time.Second):
		t.Fatalf("the screen never showed the verdict:\n%q", screen.String())
	}
	if _, err := ptm.WriteString("r"); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-done:
		if d != Rejected {
			t.Errorf("decision %v, want rejected", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("r did not end the screen")
	}
	time.Sleep(50 * time.Millisecond) // the last bytes through the pty
	out := screen.String()
	frame := strings.Index(out, "VERDICT: DANGER")
	// bubbletea turns on bracketed paste as it starts, before its renderer
	// draws anything.
	started := strings.Index(out, "\x1b[?2004h")
	if frame < 0 || started < 0 || frame > started {
		t.Errorf("the first frame (at byte %d) does not come before bubbletea starts (at byte %d):\n%q", frame, started, out[:min(len(out), 400)])
	}
	if !strings.Contains(out[:max(frame, 0)], "\x1b[?1049h") {
		t.Error("the first frame is not on the alternate screen")
	}
	if !strings.HasSuffix(strings.TrimRight(out, "\r\n"), "\x1b[?1049l\x1b[?25h") {
		t.Errorf("the alternate screen is not left at the end: %q", out[max(len(out)-80, 0):])
	}
	// Drawn at the terminal's width, not the 80 columns a model starts with.
	plain := ansi.Strip(out)
	banner, _, _ := strings.Cut(plain[strings.Index(plain, " VERDICT"):], "\r")
	if w := ansi.StringWidth(banner); w != 100 {
		t.Errorf("the first frame's banner is %d columns wide, the terminal 100: %q", w, banner)
	}
}

// BenchmarkProcessFirstFrame is issue 17's row "verdict screen, process
// start → first frame", paired with its floor in the same run: the time
// from starting `txguard check` at a terminal to the verdict being on it,
// and the time a `txguard check --headless` process takes to print the
// same verdict and exit. Both build the binary once; run with
//
//	go test -run '^$' -bench ProcessFirstFrame -benchtime 50x ./tui/
func BenchmarkProcessFirstFrame(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "txguard")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	in, err := filepath.Abs(filepath.Join("..", "fixtures", "calls", "multicall3-hidden-approve.hex"))
	if err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "TERM=xterm-256color", "XDG_CONFIG_HOME="+b.TempDir())
	b.Run("headless-floor", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(bin, "check", "--no-llm", "--headless", in)
			cmd.Env = env
			if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("screen", func(b *testing.B) {
		for b.Loop() {
			ptm, tty := openPTY(b, 80, 24)
			screen := readScreen(ptm, "VERDICT: DANGER")
			cmd := exec.Command(bin, "check", "--no-llm", in)
			cmd.Env, cmd.Stdin, cmd.Stderr = env, tty, tty
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0} // stdin: the terminal is /dev/tty
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			select {
			case <-screen.seen:
			case <-time.After(10 * time.Second):
				b.Fatalf("no verdict on the screen:\n%q", screen.String())
			}
			b.StopTimer()
			ptm.WriteString("q")
			cmd.Wait()
			ptm.Close()
			tty.Close()
			b.StartTimer()
		}
	})
}
