package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigFile: the config file's settings are every flag's default,
// the command line wins, and a malformed file is exit 2 with file:line.
func TestConfigFile(t *testing.T) {
	approve := "fixtures/calls/erc20-approve-unlimited.hex"
	for _, tc := range []struct {
		name       string
		file       string // config.toml under XDG_CONFIG_HOME/txguard; "legacy:" for the first format
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
		noStderr   string // must not be on stderr
	}{
		{"fail-on from the file", "fail-on = \"critical\"\nno-llm = true\n", []string{"check", approve}, exitOK, "VERDICT: DANGER", "", "blocked"},
		{"the command line wins over the file", "fail-on = \"critical\"\nno-llm = true\n", []string{"check", approve, "--fail-on", "danger"}, exitBlocked, "VERDICT: DANGER", "blocked", ""},
		{"no-llm once, and no word about the model", "no-llm = true\n", []string{"check", "fixtures/benign/weth-wrap.hex"}, exitOK, "VERDICT: OK", "", "model"},
		{"without no-llm, the model's lines are there", "", []string{"check", "fixtures/benign/weth-wrap.hex"}, exitOK, "VERDICT: OK", "start it with `ollama serve` (to run rules-only without this line, put no-llm = true in ", ""},
		{"format from the file", "format = \"json\"\nno-llm = true\n", []string{"check", "fixtures/benign/weth-wrap.hex"}, exitOK, `"level": "ok"`, "", ""},
		{"a format a command lacks is not its", "format = \"sarif\"\n", []string{"decode", approve}, exitOK, "kind: transaction", "", ""},
		{"chain by name", "chain = \"base\"\nno-llm = true\nformat = \"json\"\n", []string{"check", "fixtures/tx/dynamicfee-signed.hex"}, exitBlocked, `"rule": "TG602"`, "blocked", ""},
		{"chain by id", "chain = 8453\nno-llm = true\nformat = \"json\"\n", []string{"check", "fixtures/tx/dynamicfee-signed.hex"}, exitBlocked, `"rule": "TG602"`, "blocked", ""},
		{"addressbook from the file", "addressbook = \"" + abs(t, "fixtures/addressbook") + "\"\nno-llm = true\n", []string{"decode", "fixtures/benign/usdc-to-contact.hex"}, exitOK, "", "", ""},
		{"malformed TOML", "no-llm = true\nfail-on = caution\n", []string{"check", approve}, exitInput, "", "config.toml:2: not valid TOML", ""},
		{"an unknown key", "no-llm = true\n\nmodle = \"x\"\n", []string{"check", approve}, exitInput, "", `config.toml:3: unknown setting "modle"`, ""},
		{"a value of the wrong kind", "no-llm = \"yes\"\n", []string{"check", approve}, exitInput, "", "config.toml:1: no-llm wants a bool, as in no-llm = true", ""},
		{"a bad level", "fail-on = \"severe\"\n", []string{"check", approve}, exitInput, "", `config.toml:1: unknown level "severe"`, ""},
		{"a bad chain", "chain = \"narnia\"\n", []string{"rules"}, exitOK, "TG101", "", ""},
		{"a bad chain where chain is read", "chain = \"narnia\"\n", []string{"decode", approve}, exitInput, "", `config.toml:1: chain = "narnia" is not a chain id`, ""},
		{"a remote model host from the file names the file", "ollama-host = \"192.0.2.7:11434\"\n", []string{"check", "fixtures/benign/weth-wrap.hex"}, exitOK, "config.toml:1) is not this machine", "", ""},
		{"the node from the file names the file", "rpc = \"http://192.0.2.1:8545\"\n", []string{"check", "--no-llm", "fixtures/benign/weth-wrap.hex"}, exitInput, "", "is not this machine", ""},
		{"the proxy's node from the file names the file", "rpc = \"http://192.0.2.1:8545\"\n", []string{"proxy", "--headless"}, exitInput, "", "config.toml:1)", "--upstream"},
		{"the first format is still read", "legacy:model = my-model\nno-llm = true\n", []string{"config"}, exitOK, "my-model", "", ""},
		{"the first format's errors have a line too", "legacy:model\n", []string{"check", approve}, exitInput, "", "txguard/config:1: want key = value", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			if err := os.MkdirAll(filepath.Join(home, "txguard"), 0o755); err != nil {
				t.Fatal(err)
			}
			name, body := "config.toml", tc.file
			if b, ok := strings.CutPrefix(body, "legacy:"); ok {
				name, body = "config", b
			}
			if err := os.WriteFile(filepath.Join(home, "txguard", name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runBinaryEnv(t, "", []string{"XDG_CONFIG_HOME=" + home}, tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.wantCode, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.wantStderr)
			}
			if tc.noStderr != "" && strings.Contains(r.stderr, tc.noStderr) {
				t.Errorf("stderr = %q, want nothing about %q", r.stderr, tc.noStderr)
			}
		})
	}
}

func abs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestConfigCommand(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "txguard"), 0o755)
	os.WriteFile(filepath.Join(home, "txguard", "config.toml"), []byte("# mine\nno-llm = true\nchain = \"base\"\n"), 0o644)
	r := runBinaryEnv(t, "", []string{"XDG_CONFIG_HOME=" + home, "ETH_RPC_URL=http://127.0.0.1:8545"}, "config")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	path := filepath.Join(home, "txguard", "config.toml")
	if !strings.HasPrefix(r.stdout, "config file: "+path+"\n") {
		t.Errorf("config output does not start with the file:\n%s", r.stdout)
	}
	for _, want := range []string{
		"no-llm true " + path + ":2",
		"chain base " + path + ":3",
		"ollama-host 127.0.0.1:1 $OLLAMA_HOST",
		"rpc http://127.0.0.1:8545 $ETH_RPC_URL",
		"fail-on danger default",
	} {
		if got := row(r.stdout, strings.Fields(want)[0]); got != want {
			t.Errorf("row %q, want %q:\n%s", got, want, r.stdout)
		}
	}

	t.Run("--config names another file, and it must exist", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other.toml")
		os.WriteFile(other, []byte("fail-on = \"caution\"\n"), 0o644)
		r := runBinaryEnv(t, "", []string{"XDG_CONFIG_HOME=" + home}, "config", "--config", other)
		if row(r.stdout, "fail-on") != "fail-on caution "+other+":1" || row(r.stdout, "chain") != "chain (none) default" {
			t.Errorf("--config %s:\n%s", other, r.stdout)
		}
		r = runBinaryEnv(t, "", []string{"XDG_CONFIG_HOME=" + home}, "--config", other, "config")
		if row(r.stdout, "fail-on") != "fail-on caution "+other+":1" {
			t.Errorf("txguard --config %s config:\n%s", other, r.stdout)
		}
		r = runBinaryEnv(t, "", []string{"XDG_CONFIG_HOME=" + home, "TXGUARD_CONFIG=" + other}, "config")
		if row(r.stdout, "fail-on") != "fail-on caution "+other+":1" {
			t.Errorf("TXGUARD_CONFIG=%s txguard config:\n%s", other, r.stdout)
		}
		r = runBinaryEnv(t, "", nil, "check", "fixtures/benign/weth-wrap.hex", "--config", "no/such.toml")
		if r.code != exitInput || !strings.Contains(r.stderr, "--config no/such.toml: there is no such file") {
			t.Errorf("exit %d, %q", r.code, r.stderr)
		}
	})
}

// row is the table row of key in `txguard config`'s output, its columns
// joined by one space.
func row(out, key string) string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == key {
			return strings.Join(f, " ")
		}
	}
	return ""
}

// TestConfigHostile: `txguard config` prints what a file and the
// environment hold escaped and without credentials, and a file shaped to
// make the TOML parser work for minutes is refused with its line.
func TestConfigHostile(t *testing.T) {
	dir := t.TempDir()
	esc := filepath.Join(dir, "esc.toml")
	os.WriteFile(esc, []byte("model = \"\\u001b]0;pwned\\u0007\\u202ex\"\n"), 0o644)
	r := runBinaryEnv(t, "", []string{"ETH_RPC_URL=https://u:pw@eth.example/v2/SECRETKEY?token=ABC"}, "config", "--config", esc)
	if r.code != exitOK || strings.ContainsAny(r.stdout, "\x1b\x07\u202e") {
		t.Errorf("exit %d, raw controls in:\n%q", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "pw@") || strings.Contains(r.stdout, "SECRETKEY") || !strings.Contains(r.stdout, "https://eth.example/…") {
		t.Errorf("credentials printed, or the host not:\n%s", r.stdout)
	}
	for name, body := range map[string]string{
		"format.toml": "format = \"bogus\"\n",
		"deep.toml":   "x = " + strings.Repeat("{a = ", 200) + "1" + strings.Repeat("}", 200) + "\n",
		"long.toml":   strings.Repeat("a.", 10000) + "b = 1\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		start := time.Now()
		r := runBinaryEnv(t, "", nil, "config", "--config", p)
		if r.code != exitInput || !strings.Contains(r.stderr, p+":1:") || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d in %s, %q", name, r.code, time.Since(start), r.stderr)
		}
	}
}
