package message

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/label"
)

// SIWE is a Sign-In with Ethereum (EIP-4361) message. Times are RFC 3339
// as written; Address is not labelled (the caller's Labeler can).
type SIWE struct {
	Scheme         string     `json:"scheme,omitempty"`
	Domain         string     `json:"domain"`
	Address        label.Addr `json:"address"`
	Statement      string     `json:"statement,omitempty"`
	URI            string     `json:"uri"`
	Version        string     `json:"version"`
	ChainID        string     `json:"chainId"`
	Nonce          string     `json:"nonce"`
	IssuedAt       string     `json:"issuedAt"`
	ExpirationTime string     `json:"expirationTime,omitempty"`
	NotBefore      string     `json:"notBefore,omitempty"`
	RequestID      string     `json:"requestId,omitempty"`
	Resources      []string   `json:"resources,omitempty"`
}

// siwePhrase ends the first line of every sign-in request.
const siwePhrase = " wants you to sign in with your Ethereum account:"

// claimsSIWE reports text that presents itself as a sign-in, to the person
// reading it as much as to us: the phrase in any case, on any line.
func claimsSIWE(line string) bool {
	return strings.Contains(strings.ToLower(line), "wants you to sign in with your ethereum account")
}

// ParseSIWE parses an EIP-4361 message. Text that does not present itself
// as one (it never says "wants you to sign in with your Ethereum account")
// is not SIWE: nil, nil. Text that does but breaks the grammar is an error
// naming the line, because servers verify sign-ins strictly: a malformed
// one cannot log anybody in, and can only mislead the person reading it.
//
// The grammar is EIP-4361's ABNF, with two allowances real dapps need:
// without a statement, one blank line before "URI:" is accepted as well as
// the ABNF's two (siwe libraries wrote one for years), and one trailing
// newline is ignored. The statement may hold any printable text.
func ParseSIWE(text string) (*SIWE, error) {
	if !claimsSIWE(text) {
		return nil, nil
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		if strings.ContainsRune(l, '\r') {
			return nil, lineErr(i, "carriage return: SIWE lines end with a bare newline")
		}
		if i > 0 && claimsSIWE(l) {
			return nil, lineErr(i, "the sign-in header must be the first line")
		}
	}
	p := &siweParser{lines: lines}
	return p.parse()
}

type siweParser struct {
	lines []string
	n     int // index of the next line
}

func lineErr(i int, format string, args ...any) error {
	return fmt.Errorf("message: SIWE line %d: %s", i+1, fmt.Sprintf(format, args...))
}

// next returns the next line, or an error saying what was due there.
func (p *siweParser) next(want string) (string, error) {
	if p.n >= len(p.lines) {
		return "", lineErr(p.n, "message ends where %s is due", want)
	}
	p.n++
	return p.lines[p.n-1], nil
}

func (p *siweParser) blank() error {
	l, err := p.next("a blank line")
	if err == nil && l != "" {
		err = lineErr(p.n-1, "want a blank line, have %s", quote(l))
	}
	return err
}

// tagged reads a required "Tag: value" line and checks the value.
func (p *siweParser) tagged(tag string, check func(string) error) (string, error) {
	l, err := p.next(strconv.Quote(tag + ": "))
	if err != nil {
		return "", err
	}
	v, ok := strings.CutPrefix(l, tag+": ")
	if !ok {
		return "", lineErr(p.n-1, "want %q, have %s", tag+": ", quote(l))
	}
	if err := check(v); err != nil {
		return "", lineErr(p.n-1, "%s: %v", tag, err)
	}
	return v, nil
}

// optional reads "Tag: value" if it is the next line.
func (p *siweParser) optional(tag string, check func(string) error) (string, error) {
	if p.n >= len(p.lines) || !strings.HasPrefix(p.lines[p.n], tag+": ") {
		return "", nil
	}
	return p.tagged(tag, check)
}

func (p *siweParser) parse() (*SIWE, error) {
	var m SIWE
	header, _ := p.next("")
	prefix, ok := strings.CutSuffix(header, siwePhrase)
	if !ok {
		return nil, lineErr(0, "want %q", "<domain>"+siwePhrase)
	}
	if scheme, rest, ok := strings.Cut(prefix, "://"); ok {
		if !schemeRE().MatchString(scheme) {
			return nil, lineErr(0, "scheme %s is not a URI scheme", quote(scheme))
		}
		m.Scheme, prefix = scheme, rest
	}
	if err := checkAuthority(prefix); err != nil {
		return nil, lineErr(0, "domain %s: %v", quote(prefix), err)
	}
	m.Domain = prefix

	addr, err := p.next("the address")
	if err != nil {
		return nil, err
	}
	if !addressRE().MatchString(addr) {
		return nil, lineErr(1, "want a 0x-prefixed 40-digit hex address, have %s", quote(addr))
	}
	if a := common.HexToAddress(addr); a.Hex() != addr {
		return nil, lineErr(1, "address %s is not EIP-55 checksummed (want %s)", addr, a.Hex())
	}
	m.Address = label.Addr{Address: common.HexToAddress(addr)}

	if err := p.blank(); err != nil {
		return nil, err
	}
	// Line 4 is a statement, the ABNF's second blank line, or (as older
	// siwe libraries wrote it) already the URI.
	switch l, err := p.next(`a statement or "URI: "`); {
	case err != nil:
		return nil, err
	case l == "":
	case strings.HasPrefix(l, "URI: "):
		p.n--
	default:
		if err := checkText(l); err != nil {
			return nil, lineErr(p.n-1, "statement: %v", err)
		}
		m.Statement = l
		if err := p.blank(); err != nil {
			return nil, err
		}
	}

	for _, f := range []struct {
		tag   string
		dst   *string
		check func(string) error
	}{
		{"URI", &m.URI, checkURI},
		{"Version", &m.Version, checkVersion},
		{"Chain ID", &m.ChainID, match(digitsRE, "want decimal digits")},
		{"Nonce", &m.Nonce, match(nonceRE, "want at least 8 letters or digits")},
		{"Issued At", &m.IssuedAt, checkTime},
	} {
		if *f.dst, err = p.tagged(f.tag, f.check); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct {
		tag   string
		dst   *string
		check func(string) error
	}{
		{"Expiration Time", &m.ExpirationTime, checkTime},
		{"Not Before", &m.NotBefore, checkTime},
		{"Request ID", &m.RequestID, match(pcharRE, "want URI path characters")},
	} {
		if *f.dst, err = p.optional(f.tag, f.check); err != nil {
			return nil, err
		}
	}
	if p.n < len(p.lines) && p.lines[p.n] == "Resources:" {
		p.n++
		for ; p.n < len(p.lines); p.n++ {
			r, ok := strings.CutPrefix(p.lines[p.n], "- ")
			if !ok {
				return nil, lineErr(p.n, "want a resource %q, have %s", "- <uri>", quote(p.lines[p.n]))
			}
			if err := checkURI(r); err != nil {
				return nil, lineErr(p.n, "resource: %v", err)
			}
			m.Resources = append(m.Resources, r)
		}
	}
	if p.n < len(p.lines) {
		l := p.lines[p.n]
		for _, tag := range []string{"URI: ", "Version: ", "Chain ID: ", "Nonce: ", "Issued At: ", "Expiration Time: ", "Not Before: ", "Request ID: ", "Resources:"} {
			if strings.HasPrefix(l, tag) {
				return nil, lineErr(p.n, "%q is out of order or repeated", strings.TrimSpace(tag))
			}
		}
		return nil, lineErr(p.n, "unexpected line %s", quote(l))
	}
	return &m, nil
}

// The patterns are compiled on first use: a process that reads no SIWE
// message (nearly all) does not pay for them at start-up (issue 17).
var (
	schemeRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`) })
	addressRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`) })
	digitsRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+$`) })
	nonceRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]{8,}$`) })
	// pchar (RFC 3986): unreserved, percent-encoded, sub-delims, ":" and "@".
	pcharRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$`) })
	// An RFC 3986 authority, piece by piece: userinfo, host, port.
	userinfoRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$`) })
	regNameRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$`) })
	ipLiteral  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[[0-9A-Fa-f:.vV\-._~!$&'()*+,;=]+\]$`) })
)

func match(re func() *regexp.Regexp, why string) func(string) error {
	return func(s string) error {
		if !re().MatchString(s) {
			return fmt.Errorf("%s, have %s", why, quote(s))
		}
		return nil
	}
}

// checkAuthority checks an RFC 3986 authority: [userinfo "@"] host [":" port].
func checkAuthority(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	hostport := s
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		if !userinfoRE().MatchString(s[:at]) {
			return fmt.Errorf("bad user info")
		}
		hostport = s[at+1:]
	}
	host := hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host = hostport[:i]
		if !digitsRE().MatchString(hostport[i+1:]) {
			return fmt.Errorf("bad port")
		}
	}
	if !regNameRE().MatchString(host) && !ipLiteral().MatchString(host) {
		return fmt.Errorf("bad host")
	}
	return nil
}

// checkURI wants an absolute RFC 3986 URI.
func checkURI(s string) error {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return fmt.Errorf("%s holds spaces or characters a URI cannot", quote(s))
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("%s is not an absolute URI", quote(s))
	}
	return nil
}

func checkVersion(s string) error {
	if s != "1" {
		return fmt.Errorf("want 1, have %s", quote(s))
	}
	return nil
}

func checkTime(s string) error {
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return fmt.Errorf("%s is not an RFC 3339 date-time", quote(s))
	}
	return nil
}

// checkText wants a statement that prints as it reads.
func checkText(s string) error {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' {
			return fmt.Errorf("holds control character %U", r)
		}
	}
	if !printable([]byte(s)) {
		return fmt.Errorf("holds a bidirectional override")
	}
	return nil
}

// quote shows a piece of the message in an error: quoted, so invisible
// characters show, and short.
func quote(s string) string { return strconv.Quote(clip.Cut(s, 64)) }
