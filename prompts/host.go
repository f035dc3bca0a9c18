package prompts

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// DefaultHost is where `ollama serve` listens unless told otherwise.
const DefaultHost = "127.0.0.1:11434"

// ResolveHost picks the Ollama server: cfg.Host (--ollama-host, or the
// config file's), else OLLAMA_HOST from getenv, else DefaultHost. It reads
// the value as Ollama's envconfig.Host does ("host", "host:port",
// "http://host:port/path", "[::1]:port"; no port means 11434, or 80/443
// with an http/https scheme), but fails on what it cannot read instead of
// guessing. A host that is not this machine is refused unless
// cfg.AllowRemote: the prompt describes the transaction, and it must not
// leave the machine by accident, not even as a DNS query. So this machine
// is a loopback IP literal (127.0.0.0/8, ::1; 0.0.0.0 and ::, what servers
// bind to, mean it too) or the name localhost, which is dialed without
// being looked up; any other spelling ("localhost.", "0x7f.1",
// "127.0.0.1.nip.io") would be resolved. Ollama's hosted service is
// refused even with AllowRemote. Errors name where the host came from.
func ResolveHost(cfg Config, getenv func(string) string) (*url.URL, error) {
	raw, from := strings.TrimSpace(cfg.Host), cmp.Or(cfg.HostFrom, "--ollama-host")
	if raw == "" && getenv != nil {
		raw, from = strings.TrimSpace(getenv("OLLAMA_HOST")), "$OLLAMA_HOST"
	}
	if raw == "" {
		raw, from = DefaultHost, "the default"
	}
	from = oneLine(from) // a config file's path
	u, err := parseHost(raw)
	if err != nil {
		return nil, fmt.Errorf("prompts: Ollama host %q (from %s): %s", clip(raw, 100), from, oneLine(err.Error()))
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "ollama.com" || strings.HasSuffix(h, ".ollama.com") {
		return nil, fmt.Errorf("prompts: Ollama host %s (from %s) is Ollama's hosted service: txguard only asks a server you run", u.Host, from)
	}
	switch {
	case cfg.AllowRemote || IsLoopbackHost(u.Hostname()):
	case net.ParseIP(u.Hostname()) == nil:
		return nil, fmt.Errorf("prompts: Ollama host %s (from %s) needs a name lookup, which could take transaction data off this machine: use 127.0.0.1 or localhost, or pass --allow-remote-model if you mean to", u.Host, from)
	default:
		return nil, fmt.Errorf("prompts: Ollama host %s (from %s) is not this machine and transaction data would leave it: use a local server, or pass --allow-remote-model if you mean to", u.Host, from)
	}
	return u, nil
}

// parseHost reads a host as envconfig.Host does. It is not envconfig.Host
// itself, on purpose: that reads only $OLLAMA_HOST (not the flag or the
// config file), and a value it cannot read becomes the default with a
// slog line on stderr ("invalid port, using default"), so a typo would
// send the prompt to another server than the one named. Here a typo is an
// error that names where the value came from.
func parseHost(s string) (*url.URL, error) {
	defaultPort := "11434"
	scheme, hostport, ok := strings.Cut(s, "://")
	switch {
	case !ok:
		scheme, hostport = "http", s
	case scheme == "http":
		defaultPort = "80"
	case scheme == "https":
		defaultPort = "443"
	default:
		return nil, fmt.Errorf("scheme %q is not http or https", scheme)
	}
	hostport, path, _ := strings.Cut(hostport, "/")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil { // no port: "host", "[::1]" or "::1"
		host, port = strings.Trim(hostport, "[]"), defaultPort
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	if ip := net.ParseIP(host); ip != nil {
		switch {
		case ip.Equal(net.IPv4zero):
			host = "127.0.0.1"
		case ip.Equal(net.IPv6unspecified):
			host = "::1"
		default:
			host = ip.String()
		}
	} else if host == "" {
		host = "127.0.0.1" // ":11434", as Go dials it
	} else if !isHostName(host) {
		return nil, fmt.Errorf("%q is not a host name or IP address", host)
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port)}
	if path != "" {
		u.Path = "/" + path
	}
	return u, nil
}

func isHostName(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return len(s) <= 253
}

// IsLoopbackHost says whether h (no brackets) names this machine without
// a lookup: see ResolveHost.
func IsLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true // dialLocalhost dials it
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// notLoopbackError is the dialer's refusal: "localhost" (or a redirect)
// led to an address that is not this machine.
type notLoopbackError struct{ addr string }

func (e *notLoopbackError) Error() string { return e.addr + " is not a loopback address" }

// LoopbackOnly is a net.Dialer Control: it runs on the resolved address,
// so a hosts file or resolver cannot send a "localhost" request elsewhere.
func LoopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return &notLoopbackError{host}
	}
	return nil
}
