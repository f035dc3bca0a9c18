package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// tmuxPane is the real binary in a real terminal: a tmux server of the
// test's own (its own socket, no user config), one window of a set size.
type tmuxPane struct {
	t    *testing.T
	sock string
	dir  string
}

// startPane runs shell command line in a new tmux window of w x h. The
// command's exit code lands in dir/code.
func startPane(t *testing.T, w, h int, env []string, line string) *tmuxPane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	p := &tmuxPane{t: t, sock: filepath.Join(dir, "tmux.sock"), dir: dir}
	// No user config, no real Ollama (port 1 is closed) unless env says.
	env = append([]string{"XDG_CONFIG_HOME=" + dir, "HOME=" + dir, "XDG_CACHE_HOME=" + dir, "OLLAMA_HOST=127.0.0.1:1"}, env...)
	// Exported, so that every command of a pipeline sees it, not only the
	// first.
	script := "cd " + shellQuote(dir) + " && export " + strings.Join(env, " ") + " && " + line + "; echo $? > code; sleep 60"
	p.tmux("new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sh", "-c", script)
	t.Cleanup(func() { exec.Command("tmux", "-S", p.sock, "kill-server").Run() })
	return p
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// absArg is a repository file as an absolute, shell-quoted argument: the
// pane's shell runs in a temporary directory.
func absArg(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	return shellQuote(p)
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", p.sock, "-f", "/dev/null"}, args...)...)
	// The server, started by the first command, gives the pane its own
	// environment: only PATH from ours, so a runner's CI (termenv then
	// takes /dev/tty for no terminal and drops colour), NO_COLOR or
	// OLLAMA_HOST cannot change what the test sees.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + p.dir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the terminal shows now; escapes keeps the colours.
func (p *tmuxPane) screen(escapes bool) string {
	args := []string{"capture-pane", "-p", "-t", "0"}
	if escapes {
		args = append(args, "-e")
	}
	return p.tmux(args...)
}

func (p *tmuxPane) waitFor(text string) string {
	p.t.Helper()
	return p.waitForAny(time.Minute, text)
}

// waitForAny waits until the terminal shows one of texts.
func (p *tmuxPane) waitForAny(d time.Duration, texts ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := p.screen(false)
		for _, text := range texts {
			if strings.Contains(s, text) {
				return s
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the terminal never showed %q; it shows:\n%s", texts, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// phrase is the confirmation the screen asks for ("yes 417").
var phrase = regexp.MustCompile(`type (yes [0-9]{3}) and press`)

// keys sends tmux key names (a, Enter, Escape, Tab) one by one, as typed;
// PHRASE types the confirmation phrase the screen shows, as a person
// reads and types it.
func (p *tmuxPane) keys(keys ...string) {
	for _, k := range keys {
		if k == "PHRASE" {
			m := phrase.FindStringSubmatch(p.screen(false))
			if m == nil {
				p.t.Fatalf("no confirmation phrase on screen:\n%s", p.screen(false))
			}
			for _, r := range m[1] {
				k := string(r)
				if r == ' ' {
					k = "Space"
				}
				p.tmux("send-keys", "-t", "0", k)
			}
			continue
		}
		p.tmux("send-keys", "-t", "0", k)
	}
}

// exit waits for the command to end and returns its code and stdout.
func (p *tmuxPane) exit() (int, string) {
	p.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if b, err := os.ReadFile(filepath.Join(p.dir, "code")); err == nil && len(b) > 0 {
			code, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				p.t.Fatal(err)
			}
			out, _ := os.ReadFile(filepath.Join(p.dir, "out"))
			return code, string(out)
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the command did not end; the terminal shows:\n%s", p.screen(false))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestE2ETerminal is the gate as a person meets it: the real binary in a
// real terminal (tmux), input piped in, stdout redirected to a file, keys
// typed. It checks what lands on stdout and the exit code.
func TestE2ETerminal(t *testing.T) {
	bin := shellQuote(txguardBin)
	okTx, dangerTx := "fixtures/calls/erc20-transfer.hex", "fixtures/calls/multicall3-hidden-approve.hex"
	for _, tc := range []struct {
		name     string
		input    string
		pipe     bool // stdin, else a file argument
		args     string
		keys     [][]string // each after the screen shows the text before it
		waits    []string
		wantCode int
	}{
		{name: "ok: a approves, the input goes to stdout", input: okTx, pipe: true, args: "--no-llm",
			waits: []string{"r reject"}, keys: [][]string{{"a"}}, wantCode: 0},
		{name: "danger: a then yes approves", input: dangerTx, pipe: true, args: "--no-llm",
			waits: []string{"r reject", "type yes"}, keys: [][]string{{"a"}, {"PHRASE", "Enter"}}, wantCode: 0},
		// r waits until esc has taken effect: an ESC followed at once by
		// a key is read as alt+key.
		{name: "danger: a then enter approves nothing; esc, r rejects", input: dangerTx, pipe: true,
			waits: []string{"r reject", "type yes", "r reject"}, keys: [][]string{{"a"}, {"Enter", "Escape"}, {"r"}}, wantCode: 1},
		{name: "file argument: q quits and rejects", input: okTx, args: "--no-llm",
			waits: []string{"r reject"}, keys: [][]string{{"Tab", "j", "Tab", "Tab", "q"}}, wantCode: 1},
		{name: "ctrl+c rejects", input: dangerTx, pipe: true, args: "--no-llm",
			waits: []string{"VERDICT: DANGER"}, keys: [][]string{{"C-c"}}, wantCode: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := bin + " check " + tc.args + " " + absArg(t, tc.input) + " > out"
			if tc.pipe {
				line = "cat " + absArg(t, tc.input) + " | " + bin + " check " + tc.args + " > out"
			}
			p := startPane(t, 80, 24, nil, line)
			for i, w := range tc.waits {
				p.waitFor(w)
				p.keys(tc.keys[i]...)
			}
			code, out := p.exit()
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d", code, tc.wantCode)
			}
			want := ""
			if tc.wantCode == 0 {
				want = readFile(t, tc.input)
			}
			if out != want {
				t.Errorf("stdout %q, want %q", out, want)
			}
		})
	}
}

// The screen follows the terminal's size and honours NO_COLOR.
func TestE2ETerminalSizeAndColour(t *testing.T) {
	in := absArg(t, "fixtures/calls/multicall3-hidden-approve.hex")
	colour := regexp.MustCompile(`\x1b\[([0-9]+;)*3[0-7](;[0-9]+)*m`)
	for _, tc := range []struct {
		name      string
		env       []string
		wantColor bool
	}{
		{"colour", []string{"TERM=xterm-256color"}, true},
		{"NO_COLOR", []string{"TERM=xterm-256color", "NO_COLOR=1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startPane(t, 80, 24, tc.env, shellQuote(txguardBin)+" check --no-llm "+in+" > out")
			p.waitFor("VERDICT: DANGER")
			if got := colour.MatchString(p.screen(true)); got != tc.wantColor {
				t.Errorf("colour on screen: %v, want %v", got, tc.wantColor)
			}
			p.tmux("resize-window", "-t", "0", "-x", "60", "-y", "24")
			deadline := time.Now().Add(time.Minute)
			for {
				s := p.screen(false)
				if widest(s) <= 60 && strings.Contains(s, "VERDICT: DANGER") && strings.Contains(s, "FINDINGS (2)") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after resizing to 60 columns the screen is %d wide:\n%s", widest(s), s)
				}
				time.Sleep(20 * time.Millisecond)
			}
			p.keys("r")
			if code, out := p.exit(); code != 1 || out != "" {
				t.Errorf("reject: exit %d, stdout %q", code, out)
			}
		})
	}
}

func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, utf8.RuneCountInString(strings.TrimRight(l, " ")))
	}
	return w
}

// TestE2ETerminalTypeAhead: keys typed while a large input is decoded and
// its screen built, and in the screen's first moment, approve nothing
// (a, yes, enter, again and again): they are dropped until the verdict has
// been on screen long enough to be seen, and the gate still waits. Then r
// rejects: exit 1, nothing on stdout.
func TestE2ETerminalTypeAhead(t *testing.T) {
	in := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(in, []byte(bigApproveBatch(1500)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startPane(t, 100, 30, nil, shellQuote(txguardBin)+" check --no-llm "+shellQuote(in)+" > out")
	typed := 0
	for !strings.Contains(p.screen(false), "VERDICT:") {
		p.keys("a", "y", "e", "s", "Enter")
		typed++
		if _, err := os.Stat(filepath.Join(p.dir, "code")); err == nil {
			code, out := p.exit()
			t.Fatalf("the gate ended on keys typed ahead: exit %d, stdout %d bytes", code, len(out))
		}
		if typed > 2000 {
			t.Fatal("the screen never showed")
		}
	}
	p.keys("a", "y", "e", "s", "Enter") // in the screen's first moment
	t.Logf("typed ahead %d times", typed+1)
	s := p.waitFor("r reject")
	if strings.Contains(s, "type yes") {
		t.Fatalf("keys typed ahead started an approval:\n%s", s)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := os.Stat(filepath.Join(p.dir, "code")); err == nil {
		code, out := p.exit()
		t.Fatalf("the gate ended on keys typed ahead: exit %d, stdout %d bytes", code, len(out))
	}
	p.keys("r")
	if code, out := p.exit(); code != 1 || out != "" {
		t.Errorf("reject: exit %d, stdout %d bytes; want 1 and nothing", code, len(out))
	}
}

// bigApproveBatch is a Multicall3 aggregate3 request of n unlimited USDC
// approvals: large enough that decoding it and building its screen takes a
// while, so keys can be typed meanwhile.
func bigApproveBatch(n int) string {
	word := func(s string) string { return strings.Repeat("0", 64-len(s)) + s }
	approve := "095ea7b3" + word("3c44cdddb6a900fa2b585dd299e03d12fa4293bc") + strings.Repeat("f", 64)
	tuple := word("a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48") + word("0") + word("60") + word("44") + approve + strings.Repeat("0", 56)
	var b strings.Builder
	b.WriteString(`{"to":"0xcA11bde05977b3631167028862bE2a173976CA11","data":"0x82ad56cb` + word("20") + word(strconv.FormatInt(int64(n), 16)))
	for i := range n {
		b.WriteString(word(strconv.FormatInt(int64(32*n+i*len(tuple)/2), 16)))
	}
	for range n {
		b.WriteString(tuple)
	}
	b.WriteString(`"}`)
	return b.String()
}

// TestE2ETerminalHangup: a hang-up at the screen (the terminal window
// closed) rejects like any other way out: exit 1, nothing on stdout.
func TestE2ETerminalHangup(t *testing.T) {
	in := filepath.Join(t.TempDir(), "hangup-"+strconv.Itoa(os.Getpid())+".hex")
	if err := os.WriteFile(in, []byte(readFile(t, "fixtures/calls/erc20-transfer.hex")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startPane(t, 80, 24, nil, shellQuote(txguardBin)+" check --no-llm "+shellQuote(in)+" > out")
	p.waitFor("r reject")
	// Only txguard's own command line starts with the binary; the shell's
	// and tmux's hold it further in.
	if out, err := exec.Command("pkill", "-HUP", "-f", "^"+regexp.QuoteMeta(txguardBin)+" check").CombinedOutput(); err != nil {
		t.Fatalf("pkill: %v %s", err, out)
	}
	if code, out := p.exit(); code != 1 || out != "" {
		t.Errorf("hang-up: exit %d, stdout %q; want 1 and nothing", code, out)
	}
}
