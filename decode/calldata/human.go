package calldata

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// Argument names whose integers are token amounts or points in time. The
// curated ABIs and the Universal Router table use these names; a reading
// from the 4byte table (arg0, arg1...) gets only "unlimited". One map for
// all of them: every integer argument of every call is looked up once.
var intRoles = func() map[string]intRole {
	m := map[string]intRole{}
	for role, names := range map[intRole][]string{
		roleAmount: {"amount", "value", "wad", "amountMin", "minBalance", "addedValue",
			"subtractedValue", "rawAmount"},
		roleAmountIn:  {"amountIn", "amountInMax", "amountInMaximum"},
		roleAmountOut: {"amountOut", "amountOutMin", "amountOutMinimum"},
		roleTime: {"deadline", "expiration", "sigDeadline", "expiry", "validBefore",
			"validAfter", "startTime", "endTime", "validUntil"},
	} {
		for _, n := range names {
			m[n] = role
		}
	}
	return m
}()

type intRole uint8

const (
	roleNone intRole = iota
	roleAmount
	roleAmountIn
	roleAmountOut
	roleTime
)

// tokenFamilies are ABIs whose amounts are in the target's own token.
var tokenFamilies = set("erc20", "weth", "dai")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// annotate fills the Human form of c's arguments.
func (d *Decoder) annotate(c *Call) {
	var token *common.Address
	if c.Kind == KindCall && c.Target != nil && tokenFamilies[c.Source] {
		token = &c.Target.Address
	}
	exactOut := containsFold(c.Name, "exactout") || strings.Contains(c.Name, "EXACT_OUT")
	d.annotateArgs(c.Args, token, exactOut)
}

// containsFold is strings.Contains(strings.ToLower(s), sub) without
// building the lower-cased copy, for a lower-case ASCII sub none of whose
// letters is what a non-ASCII rune lowers to (the Kelvin sign lowers to
// "k"): "exactout" is one.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// annotateArgs works one tuple level at a time: a "token" member names the
// token of its sibling amounts, as in Permit2's PermitDetails or the
// Universal Router's SWEEP.
func (d *Decoder) annotateArgs(args []Arg, token *common.Address, exactOut bool) {
	if t, ok := findArg(args, "token"); ok && t.isAddr {
		token = t.addr()
	}
	// The swap's tokens are worked out when an amount in or out needs them.
	var ends swapEnds
	swapDone := false
	swap := func() {
		if !swapDone {
			ends, swapDone = swapTokens(args, exactOut), true
		}
	}
	for i := range args {
		a := &args[i]
		var role intRole
		if a.big != nil {
			role = intRoles[a.Name]
		}
		if role == roleAmountIn || role == roleAmountOut {
			swap()
		}
		switch {
		case role == roleTime:
			a.Human = when(a.big)
		case role == roleAmountIn && ends.hasIn:
			a.Human = d.amount(ends.in, a.big)
		case role == roleAmountOut && ends.hasOut:
			a.Human = d.amount(ends.out, a.big)
		case role == roleAmount && token != nil:
			a.Human = d.amount(*token, a.big)
		case a.big != nil && label.Unlimited(a.big):
			a.Human = "unlimited"
		case a.Name == "path" && a.raw != nil && !a.isAddr:
			a.Human = d.v3Path(a.raw)
		case a.Name == "path" && len(a.Elems) > 0:
			a.Human = d.v2Path(a.Elems)
		}
		if len(a.Elems) > 0 {
			d.annotateArgs(a.Elems, token, exactOut)
		}
	}
}

// amount formats an amount of token, or says only "unlimited" when the
// token is not on the list: a raw integer in unknown units is no help.
func (d *Decoder) amount(token common.Address, v *big.Int) string {
	if _, ok := d.labels().Token(token); ok || label.Unlimited(v) {
		return d.labels().Amount(token, v)
	}
	return ""
}

// swapEnds are a swap's input and output tokens, where known.
type swapEnds struct {
	in, out       common.Address
	hasIn, hasOut bool
}

// swapTokens finds the input and output tokens of a swap's arguments: the
// tokenIn/tokenOut members of V3 single-hop params, or the ends of a path.
// V3 encodes exact-output paths backwards, output token first.
func swapTokens(args []Arg, exactOut bool) (e swapEnds) {
	if a, ok := findArg(args, "tokenIn"); ok && a.isAddr {
		e.in, e.hasIn = *a.addr(), true
	}
	if a, ok := findArg(args, "tokenOut"); ok && a.isAddr {
		e.out, e.hasOut = *a.addr(), true
	}
	p, ok := findArg(args, "path")
	switch {
	case !ok:
	case p.raw != nil && !p.isAddr:
		// A V3 path: only its ends matter here.
		if b := p.raw; validV3Path(b) {
			e.in, e.out = common.Address(b[:20]), common.Address(b[len(b)-20:])
			if exactOut {
				e.in, e.out = e.out, e.in
			}
			e.hasIn, e.hasOut = true, true
		}
	default:
		// A V2 path: an address[] from the input token to the output one.
		var first, last *common.Address
		for i := range p.Elems {
			if a := p.Elems[i].addr(); a != nil && first == nil {
				first = a
			} else if a != nil {
				last = a
			}
		}
		if last != nil {
			e.in, e.out, e.hasIn, e.hasOut = *first, *last, true, true
		}
	}
	return e
}

// validV3Path reports a V3 path, token (20) | fee (3) | token (20) | ...,
// of at least two tokens.
func validV3Path(b []byte) bool { return len(b) >= 43 && (len(b)-20)%23 == 0 }

func (d *Decoder) v3Path(b []byte) string {
	if !validV3Path(b) {
		return ""
	}
	var s strings.Builder
	for off := 0; ; off += 23 {
		s.WriteString(d.tokenName(common.Address(b[off : off+20])))
		if off+20 == len(b) {
			return s.String()
		}
		// Fees are in hundredths of a basis point: 3000 is 0.3%.
		fee := uint32(b[off+20])<<16 | uint32(b[off+21])<<8 | uint32(b[off+22])
		s.WriteString(" →(")
		s.WriteString(strconv.FormatFloat(float64(fee)/10000, 'f', -1, 64))
		s.WriteString("%) ")
	}
}

func (d *Decoder) v2Path(elems []Arg) string {
	names := make([]string, 0, len(elems))
	for _, e := range elems {
		if !e.isAddr {
			return ""
		}
		names = append(names, d.tokenName(common.Address(e.raw)))
	}
	return strings.Join(names, " → ")
}

func (d *Decoder) tokenName(a common.Address) string {
	if tok, ok := d.labels().Token(a); ok {
		return tok.Symbol
	}
	return shortHex(a)
}

func shortHex(a common.Address) string {
	h := a.Hex()
	return h[:6] + "…" + h[len(h)-4:]
}

// when formats a unix time; the sentinels people meet are spelled out.
func when(v *big.Int) string {
	switch {
	case v.Sign() == 0:
		return "0 (not set)"
	case !v.IsInt64() || v.Int64() > 253402300799: // after 9999-12-31
		return "never (far future)"
	}
	return formatUTC(time.Unix(v.Int64(), 0).UTC())
}

// formatUTC is t.Format("2006-01-02 15:04:05 UTC") for years 1000-9999,
// written digit by digit: a swap's deadline is formatted in every
// decoding, and the layout interpreter was a fiftieth of one.
func formatUTC(t time.Time) string {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b := []byte("0000-00-00 00:00:00 UTC")
	put := func(at, n, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, y, 4)
	put(5, int(mo), 2)
	put(8, d, 2)
	put(11, h, 2)
	put(14, mi, 2)
	put(17, s, 2)
	return string(b)
}
