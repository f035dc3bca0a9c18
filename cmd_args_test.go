package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/txguard/txguard/guard"
)

func TestReorderArgs(t *testing.T) {
	app := newApp(nil, io.Discard, io.Discard, noTerminal)
	for _, tc := range []struct {
		name       string
		have, want string // want "error: …" for an error
	}{
		{"flags first stay", "txguard check --no-llm tx.hex", "txguard check --no-llm tx.hex"},
		{"a value flag after the file", "txguard check tx.hex --fail-on caution", "txguard check --fail-on caution tx.hex"},
		{"flag=value after the file", "txguard check tx.hex --fail-on=caution --no-llm", "txguard check --fail-on=caution --no-llm tx.hex"},
		{"stdin dash keeps its place among arguments", "txguard check - --chain base", "txguard check --chain base -"},
		{"a value that looks like a file", "txguard check --addressbook book.txt tx.hex --json", "txguard check --addressbook book.txt --json tx.hex"},
		{"after --, everything is an argument", "txguard decode --json -- -x.hex --kind", "txguard decode --json -- -x.hex --kind"},
		{"flags before --", "txguard diff --git a..b --no-llm -- src", "txguard diff --git a..b --no-llm -- src"},
		{"two arguments and a flag between", "txguard diff old new --format sarif", "txguard diff --format sarif old new"},
		{"global flag before the command", "txguard --config c.toml check tx.hex --no-llm", "txguard --config c.toml check --no-llm tx.hex"},
		{"unknown flag is taken for a bool", "txguard check tx.hex --bogus x", "txguard check --bogus tx.hex x"},
		{"unknown command untouched", "txguard chek tx.hex --no-llm", "txguard chek tx.hex --no-llm"},
		{"no command", "txguard --version", "txguard --version"},
		{"a value flag at the end without its value", "txguard check tx.hex --chain", "error: --chain needs a value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args, err := reorderArgs(app, strings.Fields(tc.have))
			got := strings.Join(args, " ")
			if err != nil {
				got = "error: " + err.Error()
			}
			if got != tc.want {
				t.Errorf("reorderArgs(%q) = %q, want %q", tc.have, got, tc.want)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	cmds := []string{"check", "decode", "inspect", "diff", "rules", "doctor", "eval", "proxy", "config", "version"}
	for _, tc := range []struct{ have, want string }{
		{"chek", "check"},
		{"cehck", "check"},
		{"decod", "decode"},
		{"Check", "check"},
		{"insp", "inspect"}, // a prefix
		{"sign", ""},
		{"x", ""},
		{"doc", "doctor"},
	} {
		if got := nearest(tc.have, cmds); got != tc.want {
			t.Errorf("nearest(%q) = %q, want %q", tc.have, got, tc.want)
		}
	}
}

func TestUsageMessage(t *testing.T) {
	app := newApp(nil, io.Discard, io.Discard, noTerminal)
	check := app.Command("check")
	for _, tc := range []struct{ have, want string }{
		{"flag provided but not defined: -nollm", "check has no flag --nollm: did you mean --no-llm?"},
		{"flag provided but not defined: -zzzzzz", "check has no flag --zzzzzz (txguard check --help lists them)"},
		{"flag needs an argument: -chain", "--chain needs a value"},
		{`invalid value "x" for flag -model-timeout: parse error`, `--model-timeout "x": not a valid value for this flag`},
		{"something else", "something else"},
	} {
		if got := usageMessage(errors.New(tc.have), "check", check.Flags).Error(); got != tc.want {
			t.Errorf("usageMessage(%q) = %q, want %q", tc.have, got, tc.want)
		}
	}
}

func TestParseChain(t *testing.T) {
	for _, tc := range []struct {
		have    string
		want    uint64
		wantErr string
	}{
		{"", 0, ""},
		{"1", 1, ""},
		{"mainnet", 1, ""},
		{"Base", 8453, ""},
		{"0x2105", 8453, ""},
		{"arbitrum", 42161, ""},
		{"optimism", 10, ""},
		{"polygon", 137, ""},
		{"sepolia", 11155111, ""},
		{"holesky", 17000, ""},
		{"bas", 0, "did you mean base?"},
		{"0", 0, "not a chain id"},
		{"-1", 0, "not a chain id"},
		{"narnia", 0, "mainnet, sepolia"},
	} {
		got, err := parseChain(tc.have)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseChain(%q): error %v, want %q", tc.have, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseChain(%q) = %d, %v; want %d", tc.have, got, err, tc.want)
		}
	}
}

func TestUserMessage(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{"decode: JSON: json: cannot unmarshal array into Go value of type map[string]json.RawMessage", "JSON: found an array where an object was expected"},
		{"tx: request: json: cannot unmarshal number into Go struct field request.to of type string", `request: found a number for "to" where a string was expected`},
		{"batch input, line 3: decode: empty input", "batch input, line 3: empty input"},
		{"prompts: Ollama host x (label: y)", "Ollama host x (y)"},
		{"fixtures/a: calldata: ABI: bad", "fixtures/a: ABI: bad"},
		{"--chain 8453: fine", "--chain 8453: fine"},
		{"tx: request field \"value\": want *hexutil.Big, have JSON bool", "request field \"value\": want a 0x hex string, have JSON a bool"},
		{"tx: request field \"authorizationList.chainId\": want *uint256.Int, have JSON non-string", "request field \"authorizationList.chainId\": want a 0x hex string, have JSON a value that is not a string"},
		// Only a prefix is dropped, never the same letters inside a name or a value.
		{"open --json: no such file or directory", "open --json: no such file or directory"},
		{"open ./foo.json: no such file or directory", "open ./foo.json: no such file or directory"},
		{`tx: request field "to": "json: x" is not an address`, `request field "to": "json: x" is not an address`},
		{"decode: json: unexpected end of JSON input", "unexpected end of JSON input"},
	} {
		if got := userMessage(tc.have); got != tc.want {
			t.Errorf("userMessage(%q)\n got %q\nwant %q", tc.have, got, tc.want)
		}
	}
}

func TestBuildInfoOf(t *testing.T) {
	geth := &debug.Module{Path: "github.com/ethereum/go-ethereum", Version: "v1.17.10"}
	for _, tc := range []struct {
		name   string
		bi     *debug.BuildInfo
		linked string
		want   string // toolVersion's shape
	}{
		{"go install at a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Deps: []*debug.Module{geth}}, "", "v1.2.0"},
		{"go build in a dirty checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Deps: []*debug.Module{geth},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}, "", "devel-0123456789ab+dirty"},
		{"go build in a dirty checkout, Go 1.24+: the pseudo-version says it", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207040824-73bbdbad0dd6+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "73bbdbad0dd675c91992a2764dd2484fa05a347c"}, {Key: "vcs.modified", Value: "true"}}}, "", "v0.0.0-20261207040824-73bbdbad0dd6+dirty"},
		{"go build without VCS", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "devel"},
		{"a release build's linked version wins", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v9.9.9", "v9.9.9"},
		{"no build info", nil, "", "devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := buildInfoOf(tc.bi, tc.linked)
			if got := versionOf(b); got != tc.want {
				t.Errorf("version %q, want %q", got, tc.want)
			}
			if b.Ruleset != guard.RulesetVersion {
				t.Errorf("ruleset %q", b.Ruleset)
			}
			if tc.bi != nil && len(tc.bi.Deps) > 0 && b.Geth != "v1.17.10" {
				t.Errorf("go-ethereum %q", b.Geth)
			}
		})
	}
}

// runBinaryEnv is runBinary with the environment's config home and extra
// variables under the test's control.
func runBinaryEnv(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(txguardBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(), "OLLAMA_HOST=127.0.0.1:1", "XDG_CONFIG_DIRS=/nonexistent")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errOut.String()}
}

// TestConventions: the ecosystem's conventions, on the real binary.
func TestConventions(t *testing.T) {
	approve := "fixtures/calls/erc20-approve-unlimited.hex"
	request := readFile(t, "fixtures/request/request-approve.json")
	for _, tc := range []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"flags after the file", "", []string{"check", approve, "--no-llm", "--fail-on", "critical"}, exitOK, "VERDICT: DANGER", ""},
		{"flags after the file, = form", "", []string{"check", approve, "--no-llm", "--fail-on=critical", "--json"}, exitOK, `"level": "danger"`, ""},
		{"flags after stdin's dash", readFile(t, approve), []string{"check", "-", "--no-llm", "--format", "json"}, exitBlocked, `"level": "danger"`, "blocked"},
		{"inspect: flags after the file", "", []string{"inspect", "fixtures/bytecode/oz-erc20-runtime.hex", "--no-llm", "--json"}, exitOK, `"selectors"`, ""},
		{"diff: flags after both files", "", []string{"diff", "fixtures/diff/quiet-formatting/old", "fixtures/diff/quiet-formatting/new", "--no-llm", "--json"}, exitOK, `"level": "info"`, ""},
		{"a file named like a flag after --", "", []string{"decode", "--json", "--", "-no-such"}, exitInput, "", "-no-such"},
		{"a mistyped command", "", []string{"chek", approve}, exitInput, "", `unknown command "chek": did you mean "check"?`},
		{"an unknown command", "", []string{"sign"}, exitInput, "", `unknown command "sign": txguard --help lists the commands`},
		{"help is a command too", "", []string{"help", "check"}, exitOK, "txguard check - decode the input", ""},
		{"a mistyped flag", "", []string{"check", approve, "--nollm"}, exitInput, "", "check has no flag --nollm: did you mean --no-llm?"},
		{"a flag without its value", "", []string{"check", approve, "--chain"}, exitInput, "", "--chain needs a value"},
		{"--chain by name", "", []string{"check", "--no-llm", "--chain", "mainnet", "--json", approve}, exitBlocked, `"level": "danger"`, ""},
		{"--chain by name, another chain", "", []string{"check", "--no-llm", "--chain", "base", "--json", "fixtures/tx/dynamicfee-signed.hex"}, exitBlocked, `"rule": "TG602"`, "blocked"},
		{"--chain, a typo", "", []string{"decode", "--chain", "arbitrm", approve}, exitInput, "", "did you mean arbitrum?"},
		{"decode --format json", "", []string{"decode", "--format", "json", approve}, exitOK, `"kind": "tx"`, ""},
		{"decode --format sarif is not decode's", "", []string{"decode", "--format", "sarif", approve}, exitInput, "", `--format "sarif": txguard decode prints text, json`},
		{"check --json", "", []string{"check", "--no-llm", "--json", "fixtures/benign/weth-wrap.hex"}, exitOK, `"level": "ok"`, ""},
		{"rules --json", "", []string{"rules", "--json"}, exitOK, `"TG101"`, ""},
		{"version --json", "", []string{"version", "--json"}, exitOK, `"ruleset": "` + guard.RulesetVersion + `"`, ""},
		{"config --json", "", []string{"config", "--json"}, exitOK, `"settings"`, ""},
		{"MetaMask's txParams", `{"id": 7, "status": "unapproved", "txParams": ` + request + `}`, []string{"check", "--no-llm"}, exitBlocked, "TG101", "blocked"},
		{"a bare params array", "[" + request + "]", []string{"check", "--no-llm", "--json"}, exitBlocked, `"method": "eth_sendTransaction"`, "blocked"},
		{"an array of no method", "[1]", []string{"check", "--no-llm"}, exitInput, "", `paste the whole request, {"method": "…", "params": […]}`},
		{"errors carry no Go names", `{"to": 5}`, []string{"check", "--no-llm"}, exitInput, "", ""},
		{"bare calldata says what to do", "0xa9059cbb" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("00", 31) + "01", []string{"check", "--no-llm"}, exitInput, "", "txguard decode --kind calldata"},
		{"eval: the shipped corpus runs clean with its own address book", "", []string{"eval", "fixtures/eval", "--no-llm"}, exitOK, "addressbook: fixtures/eval/addressbook (the corpus's)\n\nrules alone: 35 inputs, 0 rated below their label\n", ""},
		{"eval: no model is said once, with no second table", "", []string{"eval", "fixtures/eval"}, exitOK, "no model review: no Ollama server at 127.0.0.1:1", ""},
		{"eval --json", "", []string{"eval", "fixtures/eval", "--no-llm", "--json"}, exitOK, `"want": "critical"`, ""},
		{"doctor --json", "", []string{"doctor", "--json"}, exitInternal, `"ready": false`, "the local model is not ready"},
		{"a setting given twice with two values", "", []string{"check", approve, "--no-llm", "--fail-on", "ok", "--fail-on", "critical"}, exitInput, "", `--fail-on is given twice, as "ok" and "critical"`},
		{"a file named like a flag, from a glob", "", []string{"check", "--no-llm", "--fail-on", "caution", "--fail-on=critical", approve}, exitInput, "", "given twice"},
		{"a setting given twice with one value", "", []string{"check", approve, "--no-llm", "--fail-on", "critical", "--fail-on=critical"}, exitOK, "VERDICT: DANGER", ""},
		{"MetaMask's record with a second transaction in it", `{"id": 7, "rawTx": "0x02", "txParams": ` + request + `}`, []string{"check", "--no-llm"}, exitInput, "", `holds "rawTx" beside txParams`},
		{"MetaMask's record: its chain is the transaction's", `{"id": 7, "chainId": "0x1", "txParams": {"from": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": "0x1"}}`, []string{"check", "--no-llm", "--chain", "base", "--json"}, exitBlocked, `"rule": "TG602"`, "blocked"},
		{"--from another account than the one that signed", readFile(t, "fixtures/tx/dynamicfee-signed.hex"), []string{"check", "--no-llm", "--json", "--from", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}, exitBlocked, `"rule": "TG610"`, "blocked"},
		{"--from the account that signed, in lower case", readFile(t, "fixtures/tx/dynamicfee-signed.hex"), []string{"check", "--no-llm", "--json", "--from", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"}, exitOK, `"level": "ok"`, ""},
		{"an empty --from (an unset variable) is refused, not ignored", readFile(t, "fixtures/tx/dynamicfee-signed.hex"), []string{"check", "--no-llm", "--from", ""}, exitInput, "", "--from: empty: it wants a 0x-prefixed 20-byte address"},
		{"--batch --from: each line held to it", strings.TrimSpace(readFile(t, "fixtures/tx/dynamicfee-signed.hex")) + "\n" + `{"from": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "to": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "value": "0x1", "chainId": "0x1"}` + "\n", []string{"check", "--batch", "--from", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"}, exitBlocked, `{"line":2,"level":"danger","rulesLevel":"danger","findings":[{"rule":"TG610"`, "blocked: 1 verdicts"},
		{"MetaMask's record: two chains", `{"id": 7, "chainId": "0x2105", "txParams": {"chainId": "0x1", "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "value": "0x1"}}`, []string{"check", "--no-llm"}, exitInput, "", "which one the wallet uses is not clear"},
		{"--batch --kind calldata judges nothing as ok", "0xa9059cbb" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("00", 31) + "01\n", []string{"check", "--batch", "--kind", "calldata"}, exitInput, `"error":"calldata alone`, "could not be decoded"},
		{"an empty --batch is no pass", "\n\n", []string{"check", "--batch"}, exitInput, "", "no line to judge"},
		{"bare hex lines in --batch", readFile(t, approve) + "\n" + readFile(t, "fixtures/benign/weth-wrap.hex") + "\n", []string{"check", "--batch"}, exitBlocked, `{"line":3,"level":"ok"`, "blocked: 1 verdicts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBinary(t, tc.stdin, tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.wantCode, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.wantStderr)
			}
			if strings.Contains(r.stdout, "rules and model") || strings.Contains(r.stdout, "map[") {
				t.Errorf("a second table equal to the first, or a Go map:\n%s", r.stdout)
			}
			if tc.wantCode == exitInput && !slices.Contains(tc.args, "--batch") {
				line := strings.TrimSuffix(r.stderr, "\n")
				if strings.Contains(line, "\n") {
					t.Errorf("stderr is not one line: %q", r.stderr)
				}
				for _, goWord := range []string{"map[", "json.RawMessage", "hexutil.", "decode: ", "tx: ", "prompts: ", "label: ", " -no-llm", "Go value", "Go struct"} {
					if strings.Contains(line, goWord) {
						t.Errorf("stderr %q has %q: not for people", line, goWord)
					}
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := runBinary(t, "", args...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		for _, want := range []string{"txguard devel\n", "rules:        " + guard.RulesetVersion, "go-ethereum:  v1.", "commit:       unknown"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, r.stdout)
			}
		}
	}
}

// TestCompletionAndMan: each script is valid in its shell (when the shell
// is here), completes the commands and flags, and the man page renders.
func TestCompletionAndMan(t *testing.T) {
	for _, tc := range []struct {
		shell string
		check []string // the shell's syntax check
		want  []string
	}{
		{"bash", []string{"bash", "-n"}, []string{"complete -o filenames -F _txguard txguard", "check) flags=", "--fail-on) COMPREPLY=($(compgen -W \"ok info caution danger critical\""}},
		{"zsh", []string{"zsh", "-n"}, []string{"#compdef txguard", "'--no-llm[rules only]'", "'check:decode the input, judge it with the rules, and show the verdict screen'"}},
		{"fish", []string{"fish", "-n"}, []string{"complete -c txguard -n __fish_use_subcommand -a check", "-l fail-on -x -a 'ok info caution danger critical'"}},
	} {
		t.Run(tc.shell, func(t *testing.T) {
			r := runBinary(t, "", "completion", tc.shell)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("script lacks %q", w)
				}
			}
			if _, err := exec.LookPath(tc.check[0]); err != nil {
				t.Logf("no %s here: syntax not checked", tc.check[0])
				return
			}
			path := filepath.Join(t.TempDir(), "script")
			os.WriteFile(path, []byte(r.stdout), 0o644)
			if out, err := exec.Command(tc.check[0], append(tc.check[1:], path)...).CombinedOutput(); err != nil {
				t.Errorf("%s rejects the script: %v\n%s", tc.shell, err, out)
			}
		})
	}
	t.Run("bash completes a command and its flags", func(t *testing.T) {
		r := runBinary(t, "", "completion", "bash")
		script := r.stdout + `
COMP_WORDS=(txguard che); COMP_CWORD=1; _txguard; echo "1:${COMPREPLY[*]}"
COMP_WORDS=(txguard check tx.hex --fail); COMP_CWORD=3; _txguard; echo "2:${COMPREPLY[*]}"
COMP_WORDS=(txguard check --fail-on c); COMP_CWORD=3; _txguard; echo "3:${COMPREPLY[*]}"
COMP_WORDS=(txguard check my\ t); COMP_CWORD=2; _txguard; printf '4:'; printf '%s|' "${COMPREPLY[@]}"; echo
COMP_WORDS=(txguard check --addressbook my\ b); COMP_CWORD=3; _txguard; printf '5:'; printf '%s|' "${COMPREPLY[@]}"; echo
COMP_WORDS=(txguard rules my); COMP_CWORD=2; _txguard; printf '6:'; printf '%s|' "${COMPREPLY[@]}"; echo
COMP_WORDS=(txguard --config my\ b); COMP_CWORD=2; _txguard; printf '7:'; printf '%s|' "${COMPREPLY[@]}"; echo
`
		// File names with a space are one completion each, not two.
		dir := t.TempDir()
		for _, f := range []string{"my tx.hex", "my book.tsv"} {
			os.WriteFile(filepath.Join(dir, f), nil, 0o644)
		}
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{"1:check\n", "2:--fail-on\n", "3:caution critical\n", "4:my tx.hex|\n", "5:my book.tsv|\n", "6:|\n", "7:my book.tsv|\n"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("completion output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("unknown shell", func(t *testing.T) {
		if r := runBinary(t, "", "completion", "tcsh"); r.code != exitInput || !strings.Contains(r.stderr, "bash, zsh or fish") {
			t.Errorf("exit %d, %q", r.code, r.stderr)
		}
	})
	t.Run("man", func(t *testing.T) {
		// As a packager's build user makes it: its own home must not be
		// in the page every reader gets.
		// A relative config dir, a trailing slash and a config file that
		// is not there change nothing: the page is the same for everyone.
		r := runBinaryEnv(t, "", []string{"HOME=/home/builder/", "XDG_CONFIG_HOME=rel/cfg", "TXGUARD_CONFIG=/nonexistent"}, "man")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, ".TH TXGUARD 1") {
			t.Fatalf("exit %d, %q", r.code, r.stdout[:min(len(r.stdout), 80)])
		}
		for _, want := range []string{".SS txguard check", `\fB\-\-fail\-on\fR \fIFAIL\-ON\fR`, ".SH EXIT STATUS", "config.toml",
			`(default: ${XDG_CONFIG_HOME:\-~/.config}/txguard/addressbook)`, ".SH FILES\n.TP\n${XDG_CONFIG_HOME:\\-~/.config}/txguard/config.toml\n"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("man page lacks %q", want)
			}
		}
		if strings.Contains(r.stdout, "/home/builder") || strings.Contains(r.stdout, "rel/cfg") {
			t.Error("man page has the home of whoever made it")
		}
		if _, err := exec.LookPath("groff"); err != nil {
			return
		}
		cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
		cmd.Stdin = strings.NewReader(r.stdout)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff: %v\n%s", err, out)
		}
	})
}

// FuzzReorderArgs: reordering only moves words: the same words come out
// (a "--" may be added), flags keep their order, arguments keep theirs,
// and the command word stays where it was.
func FuzzReorderArgs(f *testing.F) {
	for _, s := range []string{"check tx.hex --fail-on caution", "decode -- -x --json", "check - --chain", "--config c check a b --no-llm", "diff --git a..b -- p", "chek x -y"} {
		f.Add(s)
	}
	app := newApp(nil, io.Discard, io.Discard, noTerminal)
	app.Setup()
	f.Fuzz(func(t *testing.T, s string) {
		args := append([]string{"txguard"}, strings.Fields(s)...)
		got, err := reorderArgs(app, args)
		if err != nil {
			if !strings.HasSuffix(err.Error(), "needs a value") {
				t.Fatalf("error %v", err)
			}
			return
		}
		trimmed := slices.Clone(got)
		if len(trimmed) != len(args) {
			// Only a "--" may be added.
			i := slices.Index(trimmed, "--")
			if len(trimmed) != len(args)+1 || i < 0 {
				t.Fatalf("%q -> %q", args, got)
			}
			trimmed = slices.Delete(trimmed, i, i+1)
		}
		a, b := slices.Clone(args), slices.Clone(trimmed)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Fatalf("words changed: %q -> %q", args, got)
		}
		if at := commandIndex(app, args); at >= 0 && got[at] != args[at] {
			t.Fatalf("command moved: %q -> %q", args, got)
		}
	})
}
