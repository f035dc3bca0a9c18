package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unicode"
)

var txguardBin string

// noTerminal is the terminal of in-process runs: none, so check is headless.
func noTerminal() (*os.File, error) { return nil, errors.New("no terminal in tests") }

// TestMain builds the real binary once: exit codes and the stdout contract
// are properties of the process, so they are tested on a process.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "txguard-test")
	if err != nil {
		panic(err)
	}
	txguardBin = filepath.Join(dir, "txguard")
	// -buildvcs=false: the goldens' SARIF version is "devel", whatever the
	// checkout's commit and state.
	if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", txguardBin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(txguardBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	// No user address book may leak into the tests.
	// No real Ollama either: port 1 on loopback is closed.
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(), "OLLAMA_HOST=127.0.0.1:1")
	// A session of its own has no controlling terminal: these tests are
	// the headless contract, even when go test runs in a terminal.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errOut.String()}
}

func readFile(t *testing.T, name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compactJSON is a JSON fixture on one line, as --batch reads it.
func compactJSON(t *testing.T, name string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(readFile(t, name))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string // substring; "" means stdout must be empty
		wantStderr string // substring of the one stderr line
	}{
		{"decode a fixture", "", []string{"decode", "fixtures/tx/dynamicfee-signed.hex"}, exitOK, "dynamic-fee (EIP-1559)", ""},
		{"decode stdin with -", "0x" + strings.Repeat("ab", 32), []string{"decode", "--kind", "hash", "-"}, exitOK, "blind signing", ""},
		{"decode: a bare hash is a hash to look up", "0x" + strings.Repeat("ab", 32), []string{"decode"}, exitInput, "", "this is a 32-byte hash, not a transaction"},
		{"decode --kind calldata", "0xa9059cbb" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("00", 31) + "01", []string{"decode", "--kind", "calldata"}, exitOK, "transfer(address,uint256)", ""},
		{"decode stdin without argument", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}`, []string{"decode", "--json"}, exitOK, `"kind": "request"`, ""},
		{"malformed transaction", "0xf86b", []string{"decode"}, exitInput, "", "txguard: legacy transaction: the input ends before the value it announces (cut short?)"},
		{"empty input", "", []string{"decode"}, exitInput, "", "txguard: empty input"},
		{"missing file", "", []string{"decode", "no/such/file"}, exitInput, "", "no such file or directory"},
		{"two files", "", []string{"decode", "a", "b"}, exitInput, "", "want one input file, have 2 arguments"},
		{"unknown flag", "", []string{"decode", "--bogus"}, exitInput, "", "txguard: decode has no flag --bogus"},
		{"unknown kind", "0x00", []string{"decode", "--kind", "nft"}, exitInput, "", `unknown kind "nft"`},
		{"bad address book", "0x00", []string{"decode", "--addressbook", "fixtures/tx/dynamicfee-signed.hex"}, exitInput, "", "is not a 0x-prefixed 20-byte address"},
		{"bad abi file", "0x00", []string{"decode", "--abi", "fixtures/addressbook"}, exitInput, "", "fixtures/addressbook: ABI"},
		{"unknown command", "", []string{"sign"}, exitInput, "", ""},

		{"check: benign, below --fail-on", "", []string{"check", "--no-llm", "fixtures/benign/usdc-to-contact.hex"}, exitOK, "VERDICT: OK", ""},
		{"check: danger blocks", "", []string{"check", "--no-llm", "fixtures/calls/erc20-approve-unlimited.hex"}, exitBlocked, "VERDICT: DANGER", "blocked: the verdict is danger, at or above --fail-on danger"},
		{"check: --fail-on critical lets danger pass", "", []string{"check", "--no-llm", "--fail-on", "critical", "fixtures/calls/erc20-approve-unlimited.hex"}, exitOK, "TG101", ""},
		{"check: blind signing is critical", "", []string{"check", "--no-llm", "--kind", "hash", "--format", "json", "fixtures/sign/blind-hash.hash"}, exitBlocked, `"level": "critical"`, "blocked"},
		{"check: without a model server it says so, and the rules verdict stands", "", []string{"check", "fixtures/benign/weth-wrap.hex"}, exitOK, "model: unavailable — no Ollama server at 127.0.0.1:1", ""},
		{"check: a remote model host is refused", "", []string{"check", "--ollama-host", "192.0.2.7:11434", "fixtures/calls/erc20-approve-unlimited.hex"}, exitBlocked, "is not this machine", "blocked"},
		{"doctor without a server", "", []string{"doctor"}, exitInternal, "FAIL  no Ollama server at 127.0.0.1:1", "the local model is not ready"},
		{"check: sarif", "", []string{"check", "--no-llm", "--format", "sarif", "fixtures/benign/weth-wrap.hex"}, exitOK, `"version": "2.1.0"`, ""},
		{"check: markdown", "", []string{"check", "--no-llm", "--format", "markdown", "fixtures/benign/weth-wrap.hex"}, exitOK, "#", ""},
		{"check: bad input, nothing on stdout", "0xf86b", []string{"check", "--no-llm"}, exitInput, "", "txguard: legacy transaction"},
		{"check: bad --fail-on", "", []string{"check", "--fail-on", "severe", "fixtures/benign/weth-wrap.hex"}, exitInput, "", `--fail-on: unknown level "severe"`},
		{"check: bad --format", "", []string{"check", "--format", "pdf", "fixtures/benign/weth-wrap.hex"}, exitInput, "", `--format "pdf": txguard check prints text, json, sarif, markdown`},
		{"check: bad --from", "", []string{"check", "--from", "0x12", "fixtures/benign/weth-wrap.hex"}, exitInput, "", "--from:"},
		{"check: missing deny list", "", []string{"check", "--denylist", "no/such", "fixtures/benign/weth-wrap.hex"}, exitInput, "", "no such file"},
		{"rules: an argument", "", []string{"rules", "TG101"}, exitInput, "", `rules takes no arguments, have "TG101"`},
		{"version: an argument", "", []string{"version", "extra"}, exitInput, "", `version takes no arguments, have "extra"`},
		{"proxy: the node as an argument", "", []string{"proxy", "http://127.0.0.1:8545"}, exitInput, "", `proxy takes no arguments, have "http://127.0.0.1:8545"`},
		{"check: batch", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}` + "\n\n" + compactJSON(t, "fixtures/sign/eth-sign-envelope.json") + "\n", []string{"check", "--batch"}, exitBlocked, `{"line":3,"level":"critical"`, "blocked: 1 verdicts at or above --fail-on danger"},
		{"check: batch with a bad line", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}` + "\nnot json at all {\n", []string{"check", "--batch"}, exitInput, `{"line":2,"error":"this is text, not a transaction`, "txguard: line 2: this is text, not a transaction"},
		{"check: batch, a line with duplicate keys", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","to":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}` + "\n", []string{"check", "--batch"}, exitInput, `{"line":1,"error":"JSON key \"to\" appears twice`, "line 1"},
		{"rules", "", []string{"rules"}, exitOK, "TG101", ""},
		{"eval, rules only", "", []string{"eval", "--no-llm", "--addressbook", "fixtures/addressbook", "fixtures/eval"}, exitOK, "rules alone: 35 inputs, 0 rated below their label", ""},
		{"eval without a corpus", "", []string{"eval", "--no-llm", "fixtures"}, exitInput, "", "labels.tsv"},
		{"rules as markdown", "", []string{"rules", "--format", "markdown"}, exitOK, "| TG607 |", ""},

		{"inspect: an ERC-20's functions", "", []string{"inspect", "--no-llm", "fixtures/bytecode/oz-erc20-runtime.hex"}, exitOK, "0xa9059cbb transfer(address,uint256)", ""},
		{"inspect --json: selectors on top", "", []string{"inspect", "--no-llm", "--json", "fixtures/bytecode/oz-erc20-runtime.hex"}, exitOK, "{\n  \"selectors\": [\n    \"0x06fdde03\",", ""},
		{"inspect: delegatecall to a caller's choice blocks", "", []string{"inspect", "--no-llm", "fixtures/rules/TG802-fire-delegatecall-from-calldata.hex"}, exitBlocked, "TG802", "blocked"},
		{"inspect: stdin, code without solc's prologue", "0x600160020100", []string{"inspect", "--no-llm", "--format", "json"}, exitOK, `"form": "runtime"`, ""},
		{"inspect: not hex", "hello", []string{"inspect", "--no-llm"}, exitInput, "", "txguard: 'h' at offset 0 is not a hex digit"},
		{"check --code: the delegate's code is audited with the authorization", "", []string{"check", "--no-llm", "--fail-on", "critical", "--code", "fixtures/rules/TG802-fire-delegatecall-from-calldata.hex", "fixtures/rules/TG502-quiet-address-book-delegate.hex"}, exitBlocked, "The code your account would delegate to DELEGATECALLs", "blocked"},
		{"check --code with a message", "", []string{"check", "--no-llm", "--kind", "message", "--code", "fixtures/bytecode/oz-erc20-runtime.hex", "fixtures/sign/personal-text.txt"}, exitInput, "", "--code goes with a transaction"},
		{"check --code that is a transaction", "", []string{"check", "--no-llm", "--code", "fixtures/tx/dynamicfee-signed.hex", "fixtures/calls/erc20-transfer.hex"}, exitInput, "", "this is a transaction, not bytecode"},
		{"inspect: an address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n", []string{"inspect", "--no-llm"}, exitInput, "", "this is an address, not bytecode"},
		{"inspect: a transaction", "", []string{"inspect", "--no-llm", "fixtures/tx/dynamicfee-signed.hex"}, exitInput, "", "this is a transaction, not bytecode"},
		{"check: bare calldata", "0xa9059cbb" + strings.Repeat("00", 12) + strings.Repeat("11", 20) + strings.Repeat("00", 31) + "01", []string{"check", "--no-llm"}, exitInput, "", "decode --kind calldata"},
		{"check --kind calldata is refused", "0xa9059cbb" + strings.Repeat("00", 64), []string{"check", "--no-llm", "--kind", "calldata"}, exitInput, "", "nothing to sign"},
		{"check: a URL", "https://app.uniswap.org/#/swap\n", []string{"check", "--no-llm"}, exitInput, "", "this is a URL"},
		{"check: a Solidity file", "", []string{"check", "--no-llm", "fixtures/diff/quiet-formatting/new/Vault.sol"}, exitInput, "", "this is Solidity source"},
		{"check: a transaction hash", "0x" + strings.Repeat("5e", 32), []string{"check", "--no-llm"}, exitInput, "", "cast tx --raw HASH"},
		{"check: text is refused unless --kind message", "Sign to authorize 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n", []string{"check", "--no-llm"}, exitInput, "", "add --kind message"},
		{"check: a BOM before a raw transaction changes nothing", "\ufeff\u200b" + readFile(t, "fixtures/calls/erc20-approve-unlimited.hex"), []string{"check", "--no-llm"}, exitBlocked, "VERDICT: DANGER", "blocked"},
		{"check: a zero-width space before a request changes nothing", "\u200b\u2060" + `{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","data":"0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bcffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}`, []string{"check", "--no-llm"}, exitBlocked, "TG101", "blocked"},
		{"check: a Safe service JSON whose safeTxHash is not its fields'", strings.Replace(readFile(t, "fixtures/benign/safe-service-usdc-to-contact.json"), `"nonce": 41`, `"nonce": 42`, 1), []string{"check", "--no-llm"}, exitInput, "", "is not the hash of its fields"},
		{"check: the Bybit pattern from the Safe service", "", []string{"check", "--no-llm", "fixtures/rules/TG401-fire-safe-service-delegatecall.json"}, exitBlocked, "CRITICAL", "blocked"},
		{"check: to and To", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","To":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","value":"0x1"}`, []string{"check", "--no-llm"}, exitInput, "", `JSON key "To" differs from "to" only in case`},
		{"check: data twice", `{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","data":"0x","data":"0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bcffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}`, []string{"check", "--no-llm"}, exitInput, "", `JSON key "data" appears twice`},
		{"check: a lone DATA", `{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","DATA":"0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bcffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}`, []string{"check", "--no-llm"}, exitInput, "", `JSON key "DATA" is "data" in another case`},
		{"check: params twice in an envelope", `{"method":"eth_sendTransaction","params":[{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}],"Params":[{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"}]}`, []string{"check", "--no-llm"}, exitInput, "", `JSON key "Params" differs from "params"`},
		{"check --abi /dev/zero", "", []string{"check", "--no-llm", "--abi", "/dev/zero", "fixtures/calls/erc20-transfer.hex"}, exitInput, "", "is not a regular file (a character device)"},
		{"check --code /dev/zero", "", []string{"check", "--no-llm", "--code", "/dev/zero", "fixtures/calls/erc20-transfer.hex"}, exitInput, "", "is not a regular file"},
		{"check --addressbook /dev/zero", "", []string{"check", "--no-llm", "--addressbook", "/dev/zero", "fixtures/calls/erc20-transfer.hex"}, exitInput, "", "is not a regular file"},
		{"check: /dev/zero", "", []string{"check", "--no-llm", "--kind", "message", "/dev/zero"}, exitInput, "", "larger than 4 MiB"},
		{"decode: /dev/zero", "", []string{"decode", "--kind", "diff", "/dev/zero"}, exitInput, "", "larger than 64 MiB"},
		{"check: a message too large", strings.Repeat("word ", 1<<19), []string{"check", "--no-llm", "--kind", "message"}, exitInput, "", "txguard reads at most 1.0 MiB of message"},
		{"check: a typed data request too large", `{"types":{},"primaryType":"X","domain":{},"message":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`, []string{"check", "--no-llm"}, exitInput, "", "txguard reads at most 1.0 MiB of typeddata"},
		{"check --code that is not code", "", []string{"check", "--no-llm", "--code", "fixtures/addressbook", "fixtures/calls/erc20-transfer.hex"}, exitInput, "", "--code fixtures/addressbook:"},
		{"diff: two directories, storage slot shift", "", []string{"diff", "--no-llm", "fixtures/diff/storage-slot-shift/old", "fixtures/diff/storage-slot-shift/new"}, exitBlocked, "TG901 storage-layout-changed", "blocked"},
		{"diff: a harmless refactor passes", "", []string{"diff", "--no-llm", "fixtures/diff/quiet-formatting/old", "fixtures/diff/quiet-formatting/new"}, exitOK, "VERDICT: INFO", ""},
		{"diff: a unified diff on stdin", readFile(t, "fixtures/rules/TG902-fire-onlyowner-lost-on-setter.diff"), []string{"diff", "--no-llm", "--format", "sarif"}, exitBlocked, `"startLine":`, "blocked"},
		{"diff: nothing on stdin", "", []string{"diff", "--no-llm"}, exitInput, "", "nothing on stdin"},
		{"diff: text that is no diff", " contracts/Vault.sol | 2 +-\n", []string{"diff", "--no-llm"}, exitInput, "", "no file in the diff"},
		{"check: text shaped like a diff is a message to sign, and judged as one", "--- a\n+++ b\nSign to authorize 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n", []string{"check", "--no-llm", "--kind", "message"}, exitBlocked, "personal message", "blocked"},
		{"check: text shaped like a diff is not detected as a message", "--- a\n+++ b\nSign to authorize 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n", []string{"check", "--no-llm"}, exitInput, "", "this is a unified diff"},
		{"check: a diff is for txguard diff", "", []string{"check", "--no-llm", "--kind", "diff", "fixtures/rules/TG901-fire-storage-slot-shift.diff"}, exitInput, "", "audited with txguard diff"},
		{"check: --code with --batch", `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}`, []string{"check", "--batch", "--code", "fixtures/bytecode/oz-erc20-runtime.hex"}, exitInput, "", "--code belongs to one transaction"},
		{"diff: one argument", "", []string{"diff", "--no-llm", "fixtures/diff"}, exitInput, "", "diff wants OLD and NEW"},
		{"diff: a missing side", "", []string{"diff", "--no-llm", "no/such", "fixtures/diff"}, exitInput, "", "no such file"},
		{"diff: two bytecode files of different names are one contract's versions", "", []string{"diff", "--no-llm", "fixtures/bytecode/eip1167-proxy.hex", "fixtures/rules/TG806-fire-eip1967-proxy.hex"}, exitOK, "proxy eip-1167 to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, now\n    eip-1967", ""},
		{"diff: a file that is not code", "", []string{"diff", "--no-llm", "README.md", "README.md"}, exitInput, "", "txguard: README.md is not a .sol, .hex or .bin file"},
		{"diff: a message is not a contract file", "", []string{"diff", "--no-llm", "fixtures/bytecode/eip1167-proxy.hex", "fixtures/sign/personal-text.txt"}, exitInput, "", "is not a .sol, .hex or .bin file"},
		{"diff: a range git does not know", "", []string{"diff", "--no-llm", "--git", "no-such-rev..HEAD"}, exitInput, "", "txguard: git diff: fatal: bad revision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBinary(t, tc.stdin, tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", r.code, tc.wantCode, r.stderr)
			}
			if tc.wantStdout == "" && r.stdout != "" && !slices.Contains(tc.args, "--batch") {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			batch := slices.Contains(tc.args, "--batch")
			if tc.wantCode == exitInput && r.stdout != "" && !batch {
				t.Errorf("bad input wrote to stdout: %q", r.stdout)
			}
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, r.stdout)
			}
			if tc.wantCode != exitOK {
				// A batch reports each bad line, then sums up.
				if strings.Count(strings.TrimRight(r.stderr, "\n"), "\n") != 0 && !batch {
					t.Errorf("stderr is not one line: %q", r.stderr)
				}
				if !strings.Contains(r.stderr, tc.wantStderr) {
					t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.wantStderr)
				}
			}
		})
	}
}

// TestREADMERules keeps the rules table in README.md equal to what
// `txguard rules --format markdown` prints.
func TestREADMERules(t *testing.T) {
	readme := readFile(t, "README.md")
	start := strings.Index(readme, "<!-- rules:")
	end := strings.Index(readme, "<!-- /rules -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no rules table markers")
	}
	table := strings.TrimSpace(readme[strings.Index(readme[start:], "\n")+start : end])
	r := runBinary(t, "", "rules", "--format", "markdown")
	if want := strings.TrimSpace(r.stdout); table != want {
		t.Errorf("README.md rules table is stale; replace it with the output of txguard rules --format markdown:\n%s", want)
	}
}

// endless is an input stream that never ends: no newline, ever.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestBatchEndlessLine: a line that never ends is reported and ends the
// batch (exit 2) after a bounded read, instead of reading forever.
func TestBatchEndlessLine(t *testing.T) {
	in := &endless{}
	var stdout, stderr bytes.Buffer
	code := run([]string{"txguard", "check", "--batch"}, io.MultiReader(strings.NewReader(`{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}`+"\n"), in), &stdout, &stderr, noTerminal)
	if code != exitInput || !strings.Contains(stdout.String(), `{"line":2,"error":"the line runs past 64 MiB without ending`) {
		t.Errorf("exit %d, stdout %q", code, stdout.String())
	}
	if in.n > 80<<20 {
		t.Errorf("read %d MiB of an endless line", in.n>>20)
	}
}

// TestBatchIntegrity: every non-blank input line gets exactly one whole
// JSON line on stdout, in order, whatever the line holds: an over-long
// line, a bad one, an ambiguous one or a good one; and a bad line makes the
// exit code 2.
func TestBatchIntegrity(t *testing.T) {
	good := `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"0x1"}`
	lines := []string{
		good,
		`"0x` + strings.Repeat("00", 5<<20) + `"`, // over the 4 MiB line bound
		good,
		`{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","To":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}`,
		"not json",
		`"hello"`,
		good,
		strings.Repeat("x", 5<<20), // long and no JSON, last and without a newline
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"txguard", "check", "--batch"}, strings.NewReader(strings.Join(lines, "\n")), &stdout, &stderr, noTerminal)
	if code != exitInput {
		t.Errorf("exit code %d, want %d (stderr %q)", code, exitInput, stderr.String())
	}
	out := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(out) != len(lines) {
		t.Fatalf("%d output lines for %d input lines:\n%s", len(out), len(lines), stdout.String())
	}
	for i, l := range out {
		var v struct {
			Line  int    `json:"line"`
			Level string `json:"level"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("output line %d is not whole JSON: %v: %.80q", i+1, err, l)
		}
		if v.Line != i+1 {
			t.Errorf("output line %d is for input line %d", i+1, v.Line)
		}
		if wantVerdict := lines[i] == good; wantVerdict != (v.Level != "") || wantVerdict == (v.Error != "") {
			t.Errorf("line %d: level %q error %q", i+1, v.Level, v.Error)
		}
	}
	if !strings.Contains(out[1], "longer than 4 MiB") {
		t.Errorf("the over-long line's error: %.200s", out[1])
	}
}

// TestLongKeyErrorBounded: an unknown key as long as the input (here 1 MiB
// of DEL, each quoted as four characters) gives a short error, on stderr
// and in a batch line, and quickly: quoted whole, a 4 MiB key made a 16 MiB
// error that the message rewrites took seconds over (black-box review).
func TestLongKeyErrorBounded(t *testing.T) {
	line := `{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","` + strings.Repeat("\u007f", 1<<20) + `":"1"}`
	for _, args := range [][]string{{"check", "--no-llm"}, {"check", "--no-llm", "--batch"}} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"txguard"}, args...), strings.NewReader(line+"\n"), &stdout, &stderr, noTerminal)
		if code != exitInput {
			t.Errorf("%v: exit %d, want %d", args, code, exitInput)
		}
		if stdout.Len() > 4<<10 || stderr.Len() > 4<<10 {
			t.Errorf("%v: %d bytes on stdout, %d on stderr: %.200q", args, stdout.Len(), stderr.Len(), stderr.String())
		}
		if !strings.Contains(stderr.String(), "bytes)") {
			t.Errorf("%v: the error does not say how long the key is: %.300q", args, stderr.String())
		}
	}
}

// TestOutputsEscaped: text from the input (here a message to sign holding
// ESC, a C1 CSI, BEL and a bidi override) reaches no output raw: not the
// report in any format, not decode's JSON, not stderr.
func TestOutputsEscaped(t *testing.T) {
	msg := "Sign in\x1b]52;c;cGF5bG9hZA==\x07 \u009b2J \u202eneve\u200b"
	env, _ := json.Marshal(map[string]any{"method": "personal_sign", "params": []string{msg, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}})
	raw := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool {
			return r == 0x1b || r == 0x07 || r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Cf, r)
		})
	}
	for _, args := range [][]string{
		{"check", "--no-llm"}, {"check", "--no-llm", "--format", "json"}, {"check", "--no-llm", "--format", "sarif"},
		{"check", "--no-llm", "--format", "markdown"}, {"check", "--batch"}, {"decode"}, {"decode", "--json"},
	} {
		var stdout, stderr bytes.Buffer
		run(append([]string{"txguard"}, args...), bytes.NewReader(env), &stdout, &stderr, noTerminal)
		if stdout.Len() == 0 {
			t.Errorf("%v: nothing on stdout (stderr %q)", args, stderr.String())
		}
		if raw(stdout.String()) || raw(stderr.String()) {
			t.Errorf("%v: a control or format character reached the output:\nstdout %q\nstderr %q", args, stdout.String(), stderr.String())
		}
	}
	// An error that quotes the input is escaped too.
	var stdout, stderr bytes.Buffer
	run([]string{"txguard", "check", "--no-llm"}, strings.NewReader(`{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","t\u202eo\u001b[2J":1,"T\u202eO\u001b[2J":2}`), &stdout, &stderr, noTerminal)
	if raw(stderr.String()) || !strings.Contains(stderr.String(), "only in case") {
		t.Errorf("error line %q: want it escaped and about the keys", stderr.String())
	}
}

// TestHostileFixtures: every input built to cost more to read than it is
// worth (fixtures/hostile) ends blocked or refused, with bounded output:
// never approved, never a flood. .ci/measure-hostile times them.
func TestHostileFixtures(t *testing.T) {
	files, err := filepath.Glob("fixtures/hostile/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"txguard", "check", "--no-llm", f}, nil, &stdout, &stderr, noTerminal)
			if code != exitBlocked && code != exitInput {
				t.Errorf("exit %d, want blocked (1) or refused (2); stderr %q", code, stderr.String())
			}
			in, _ := os.ReadFile(f)
			// The decode budgets allow a unit per input byte plus a base
			// of 4,096; a unit prints a line of tens of bytes.
			if limit := 64 * (len(in) + 4096); stdout.Len() > limit {
				t.Errorf("%d bytes of report for %d bytes of input", stdout.Len(), len(in))
			}
		})
	}
}
