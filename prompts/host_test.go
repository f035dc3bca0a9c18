package prompts

import (
	"strings"
	"testing"
)

func TestResolveHost(t *testing.T) {
	tests := []struct {
		name        string
		flag, env   string
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
		{name: "remote from env names env", env: "192.168.1.20", want: "error: (from OLLAMA_HOST) is not this machine"},
		{name: "remote name refused", flag: "gpu-box.lan:11434", want: "error: --allow-remote-model"},
		{name: "localhost look-alike refused", flag: "localhost.evil.example", want: "error: is not this machine"},
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
			u, err := ResolveHost(tt.flag, getenv, tt.allowRemote)
			var have string
			if err != nil {
				have = "error: " + err.Error()
				if !strings.HasPrefix(err.Error(), "prompts: ") || strings.Contains(err.Error(), "\n") {
					t.Errorf("error %q: want one line starting with \"prompts: \"", err)
				}
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
		err := loopbackOnly("tcp", tt.have, nil)
		if (err == nil) != tt.want {
			t.Errorf("loopbackOnly(%s) = %v, want allowed %v", tt.have, err, tt.want)
		}
	}
}
