package prompts

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/txguard/txguard/guard"
)

func TestResolveHost(t *testing.T) {
	tests := []struct {
		name        string
		flag, env   string
		from        string // Config.HostFrom
		allowRemote bool
		want        string // the URL, or "error: <part of the message>"
	}{
		{name: "default", want: "http://127.0.0.1:11434"},
		{name: "blank flag and env", flag: "  ", env: " ", want: "http://127.0.0.1:11434"},
		{name: "env", env: "127.0.0.1:9999", want: "http://127.0.0.1:9999"},
		{name: "flag wins over env", flag: "localhost:1234", env: "127.0.0.1:9999", want: "http://localhost:1234"},
		{name: "host alone", flag: "localhost", want: "http://localhost:11434"},
		{name: "ipv4 loopback range", flag: "127.1.2.3", want: "http://127.1.2.3:11434"},
		{name: "scheme and port", flag: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{name: "http without port is 80, as Ollama reads it", flag: "http://localhost", want: "http://localhost:80"},
		{name: "https without port is 443", flag: "https://localhost", want: "https://localhost:443"},
		{name: "path kept for a proxy", flag: "http://localhost:8080/ollama", want: "http://localhost:8080/ollama"},
		{name: "ipv6 with port", flag: "[::1]:11434", want: "http://[::1]:11434"},
		{name: "ipv6 bracketed", flag: "[::1]", want: "http://[::1]:11434"},
		{name: "ipv6 bare", flag: "::1", want: "http://[::1]:11434"},
		{name: "ipv6 scheme", flag: "http://[::1]:7000", want: "http://[::1]:7000"},
		{name: "server bind address means here", env: "0.0.0.0", want: "http://127.0.0.1:11434"},
		{name: "ipv6 unspecified means here", flag: "[::]:11434", want: "http://[::1]:11434"},
		{name: "empty host", flag: ":11434", want: "http://127.0.0.1:11434"},
		{name: "LOCALHOST", flag: "LOCALHOST:1", want: "http://LOCALHOST:1"},

		{name: "remote ip refused", flag: "10.0.0.5:11434", want: "error: prompts: Ollama host 10.0.0.5:11434 (from --ollama-host) is not this machine"},
		{name: "remote from env names env", env: "192.168.1.20", want: "error: (from $OLLAMA_HOST) is not this machine"},
		{name: "remote from the config file names it", flag: "192.168.1.20", from: "/home/u/.config/txguard/config", want: "error: Ollama host 192.168.1.20:11434 (from /home/u/.config/txguard/config) is not this machine"},
		{name: "unreadable from the config file names it", flag: "ftp://x", from: "/home/u/.config/txguard/config", want: `error: Ollama host "ftp://x" (from /home/u/.config/txguard/config): scheme "ftp"`},
		{name: "a config file path is escaped", flag: "10.0.0.5", from: "/tmp/\x1b]0;x\x07/config", want: `error: (from /tmp/\u001b]0;x\u0007/config)`},
		{name: "an unreadable host is quoted and cut", flag: "\x1b[2J" + strings.Repeat("a", 500), want: `error: Ollama host "\x1b[2Jaaa`},

		// Only what needs no lookup is this machine: any other spelling
		// would send a DNS query off it.
		{name: "localhost with a trailing dot refused", flag: "localhost.", want: "error: Ollama host localhost.:11434 (from --ollama-host) needs a name lookup, which could take transaction data off this machine: use 127.0.0.1 or localhost"},
		{name: "LOCALHOST with a trailing dot refused", flag: "LOCALHOST.:11434", want: "error: needs a name lookup"},
		{name: "loopback IP with a trailing dot refused", flag: "127.0.0.1.", want: "error: needs a name lookup"},
		{name: "a name that resolves to loopback refused", flag: "127.0.0.1.nip.io", want: "error: needs a name lookup"},
		{name: "a subdomain of localhost refused", flag: "a.localhost", want: "error: needs a name lookup"},
		{name: "hex IPv4 refused", flag: "0x7f.1", want: "error: needs a name lookup"},
		{name: "short IPv4 refused", flag: "127.1", want: "error: needs a name lookup"},
		{name: "decimal IPv4 refused", flag: "2130706433", want: "error: needs a name lookup"},
		{name: "octal IPv4 refused", flag: "0177.0.0.1", want: "error: needs a name lookup"},
		{name: "IPv4-mapped non-loopback refused", flag: "[::ffff:10.0.0.5]:11434", want: "error: is not this machine"},
		{name: "IPv4-mapped loopback is loopback", flag: "[::ffff:127.0.0.1]:11434", want: "http://127.0.0.1:11434"},
		{name: "localhost. allowed as a remote name", flag: "localhost.", allowRemote: true, want: "http://localhost.:11434"},
		{name: "remote name refused", flag: "gpu-box.lan:11434", want: "error: --allow-remote-model"},
		{name: "localhost look-alike refused", flag: "localhost.evil.example", want: "error: needs a name lookup"},
		{name: "link-local ipv6 refused", flag: "[fe80::1]:11434", want: "error: is not this machine"},
		{name: "remote allowed", flag: "10.0.0.5:11434", allowRemote: true, want: "http://10.0.0.5:11434"},
		{name: "remote name allowed", flag: "https://gpu-box.lan", allowRemote: true, want: "https://gpu-box.lan:443"},
		{name: "hosted service refused even when allowed", flag: "https://ollama.com", allowRemote: true, want: "error: hosted service"},
		{name: "hosted subdomain refused", flag: "api.Ollama.com:443", allowRemote: true, want: "error: hosted service"},

		{name: "bad scheme", flag: "ftp://localhost:1", want: `error: scheme "ftp" is not http or https`},
		{name: "bad port", flag: "localhost:http", want: `error: port "http"`},
		{name: "port zero", flag: "localhost:0", want: `error: port "0"`},
		{name: "port too big", flag: "localhost:70000", want: `error: port "70000"`},
		{name: "user info", flag: "http://user:pw@localhost:1", want: "error: is not a host name"},
		{name: "garbage", flag: "local host", want: "error: is not a host name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "OLLAMA_HOST" {
					return tt.env
				}
				return ""
			}
			u, err := ResolveHost(Config{Host: tt.flag, HostFrom: tt.from, AllowRemote: tt.allowRemote}, getenv)
			var have string
			if err != nil {
				have = "error: " + err.Error()
				if !strings.HasPrefix(err.Error(), "prompts: ") || strings.Contains(err.Error(), "\n") || len(err.Error()) > 500 {
					t.Errorf("error %q: want one line starting with \"prompts: \"", err)
				}
				assertEscaped(t, "error", err.Error())
			} else {
				have = u.String()
			}
			if strings.HasPrefix(tt.want, "error: ") {
				if !strings.HasPrefix(have, "error: ") || !strings.Contains(have, strings.TrimPrefix(tt.want, "error: ")) {
					t.Errorf("ResolveHost(%q, env %q, %v) = %s, want %s", tt.flag, tt.env, tt.allowRemote, have, tt.want)
				}
			} else if have != tt.want {
				t.Errorf("ResolveHost(%q, env %q, %v) = %s, want %s", tt.flag, tt.env, tt.allowRemote, have, tt.want)
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		have string
		want bool // allowed
	}{
		{"127.0.0.1:11434", true},
		{"127.9.9.9:1", true},
		{"[::1]:11434", true},
		{"10.0.0.5:11434", false},
		{"[fe80::1]:11434", false},
		{"0.0.0.0:11434", false}, // resolved addresses only: ResolveHost rewrites 0.0.0.0
	}
	for _, tt := range tests {
		err := LoopbackOnly("tcp", tt.have, nil)
		if (err == nil) != tt.want {
			t.Errorf("LoopbackOnly(%s) = %v, want allowed %v", tt.have, err, tt.want)
		}
	}
}

// TestDialLocalhost: "localhost" is dialed as the loopback addresses, so
// no resolver (hosts file or DNS) is asked about it; other addresses are
// dialed as they are.
func TestDialLocalhost(t *testing.T) {
	tests := []struct {
		have string
		want []string // what is dialed, in order, when nothing answers
	}{
		{"localhost:11434", []string{"127.0.0.1:11434", "[::1]:11434"}},
		{"LocalHost:1", []string{"127.0.0.1:1", "[::1]:1"}},
		{"127.0.0.1:11434", []string{"127.0.0.1:11434"}},
		{"[::1]:11434", []string{"[::1]:11434"}},
		{"gpu-box.lan:11434", []string{"gpu-box.lan:11434"}}, // with --allow-remote-model
	}
	for _, tt := range tests {
		var dialed []string
		dial := dialLocalhost(func(_ context.Context, _, address string) (net.Conn, error) {
			dialed = append(dialed, address)
			return nil, errors.New("connection refused")
		})
		if _, err := dial(context.Background(), "tcp", tt.have); err == nil || !reflect.DeepEqual(dialed, tt.want) {
			t.Errorf("dial(%s) dialed %v (%v), want %v", tt.have, dialed, err, tt.want)
		}
	}

	// And a review through "localhost" reaches a server on 127.0.0.1.
	f := newFake(t, answerStream(goodAnswer))
	cfg := testConfig(t, f)
	cfg.Host = "localhost:" + f.URL[strings.LastIndex(f.URL, ":")+1:]
	if r := mustAuditor(t, cfg).Review(context.Background(), approvalVerdict(t, ""), nil); r.Status != guard.StatusOK {
		t.Errorf("Review through localhost = %s: %s", r.Status, r.Reason)
	}
}

// FuzzResolveHost: whatever the value, a host accepted without
// --allow-remote-model needs no lookup (localhost or a loopback IP), and a
// refusal is one short, escaped line.
func FuzzResolveHost(f *testing.F) {
	for _, s := range []string{"localhost", "localhost.", "127.0.0.1:11434", "[::1]", "http://[::ffff:127.0.0.1]:80/x",
		"0x7f.1", "127.1", "2130706433", "127.0.0.1.nip.io", "ftp://x", ":0", "\x1b[2J\u202e", "https://ollama.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		u, err := ResolveHost(Config{Host: host, HostFrom: "/config"}, nil)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 1000 {
				t.Errorf("error of %d bytes: %q", len(msg), msg)
			}
			assertEscaped(t, "error", err.Error())
			return
		}
		h := u.Hostname()
		if ip := net.ParseIP(h); !strings.EqualFold(h, "localhost") && (ip == nil || !ip.IsLoopback()) {
			t.Errorf("ResolveHost(%q) = %s: not localhost or a loopback IP", host, u)
		}
	})
}
