package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/txguard/txguard/prompts"
)

// DefaultTimeout bounds one simulation, every request to the node in it:
// a local node answers in milliseconds, and the verdict must not wait on
// one that hangs.
const DefaultTimeout = 5 * time.Second

// Config says which node to ask and how.
type Config struct {
	// URL is the node: http(s)://, ws(s):// or the path of its IPC socket.
	URL string
	// AllowRemote allows a node that is not this machine (--allow-remote-rpc):
	// the unsigned transaction is sent to it.
	AllowRemote bool
	Timeout     time.Duration // 0: DefaultTimeout
	// Block is the block to simulate on (--block); nil: the latest.
	Block *uint64
}

// Client talks to the user's node.
type Client struct {
	rpc  *rpc.Client
	eth  *ethclient.Client
	name string // the URL without credentials or path: safe to print
	cfg  Config
	conn net.Conn // an IPC connection, closed with the client
}

// Name is the node as it may be printed: no credentials, no path (API
// keys live there), no query.
func (c *Client) Name() string { return c.name }

// Close ends the connection.
func (c *Client) Close() {
	c.rpc.Close()
	if c.conn != nil {
		c.conn.Close()
	}
}

// AddressError is a node address that is refused before anything is sent:
// it does not parse, or it is not this machine and --allow-remote-rpc was
// not given. A usage error, unlike a node that is down.
type AddressError struct{ msg string }

func (e *AddressError) Error() string { return e.msg }

func refuse(format string, args ...any) error { return &AddressError{fmt.Sprintf(format, args...)} }

// Dial checks the node's address against the privacy policy and connects.
// No request is sent yet: an HTTP node that is down is found by the first
// request. Errors are one line for a person, without the URL's secrets.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	raw := strings.TrimSpace(cfg.URL)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if raw == "" {
		return nil, refuse("the node's URL is empty")
	}
	if !strings.Contains(raw, "://") {
		return dialIPC(ctx, raw, cfg)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, refuse("the node's URL does not parse: give http://127.0.0.1:8545 or the path of geth.ipc")
	}
	name := Redact(u)
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	case "unix", "ipc":
		return dialIPC(ctx, u.Path, cfg)
	default:
		return nil, refuse("node %s: the scheme %q is not http, https, ws or wss", name, u.Scheme)
	}
	host := u.Hostname()
	switch {
	case cfg.AllowRemote || prompts.IsLoopbackHost(host):
	case net.ParseIP(host) == nil:
		return nil, refuse("node %s needs a name lookup and may not be this machine; simulating sends it the unsigned transaction: use 127.0.0.1, localhost or an IPC path, or pass --allow-remote-rpc if you mean to", name)
	default:
		return nil, refuse("node %s is not this machine, and simulating sends it the unsigned transaction: use a node of your own here, or pass --allow-remote-rpc if you mean to", name)
	}
	var opts []rpc.ClientOption
	if u.Scheme == "http" || u.Scheme == "https" {
		opts = append(opts, rpc.WithHTTPClient(prompts.LocalHTTPClient(cfg.Timeout, cfg.AllowRemote)))
	} else if strings.EqualFold(host, "localhost") {
		// A websocket dials on its own: never let "localhost" be looked up.
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
		raw = u.String()
	}
	dctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	rc, err := rpc.DialOptions(dctx, raw, opts...)
	if err != nil {
		return nil, fmt.Errorf("node %s: %s", name, Reason(err, cfg.Timeout))
	}
	return &Client{rpc: rc, eth: ethclient.NewClient(rc), name: name, cfg: cfg}, nil
}

func dialIPC(ctx context.Context, path string, cfg Config) (*Client, error) {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("node %q: no such IPC socket: is the node running?", path)
	case st.Mode()&os.ModeSocket == 0:
		return nil, refuse("node %q is not a socket: give http://127.0.0.1:8545 or the path of geth.ipc", path)
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("node %q: %s", path, Reason(err, cfg.Timeout))
	}
	// go-ethereum's IPC client reads without a bound: the socket's reader
	// is capped here, as the HTTP client's responses are.
	rc, err := rpc.DialIO(ctx, &cappedReader{r: conn, left: maxIPC}, conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("node %q: %s", path, Reason(err, cfg.Timeout))
	}
	return &Client{rpc: rc, eth: ethclient.NewClient(rc), name: path, cfg: cfg, conn: conn}, nil
}

// maxIPC bounds what one check reads from an IPC node: a few answers of
// at most a few MiB each.
const maxIPC = 16 << 20

// cappedReader fails once more than left bytes were read.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("the node sent more than 16 MiB in one response")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// Redact is a node URL as it may be printed: scheme and host, and "/…"
// for a path, which often carries an API key.
func Redact(u *url.URL) string {
	s := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		s += "/…"
	}
	return s
}

// Reason is an error from the node in words, without the URL the
// transport quotes (it may hold credentials).
func Reason(err error, timeout time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var re rpc.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return fmt.Sprintf("no answer within %s (--rpc-timeout)", timeout)
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: is the node running?"
	case errors.As(err, &re):
		return "the node answered with error " + fmt.Sprint(re.ErrorCode()) + ": " + clip(re.Error(), 160)
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return "cannot connect: " + clip(ne.Err.Error(), 160)
	}
	return clip(err.Error(), 200)
}

// clip shortens s to n bytes of printable text on one line: the node's
// words reach a terminal.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return ' '
		}
		return r
	}, s)
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
