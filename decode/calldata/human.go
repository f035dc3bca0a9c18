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
	if t, ok := findArg(args, "token"); ok && t.addr != nil {
		token = t.addr
	}
	// The swap's tokens are worked out when an amount in or out needs them.
	var tokenIn, tokenOut *common.Address
	swapDone := false
	swap := func() {
		if !swapDone {
			tokenIn, tokenOut = swapTokens(args, exactOut)
			swapDone = true
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
		case role == roleAmountIn && tokenIn != nil:
			a.Human = d.amount(*tokenIn, a.big)
		case role == roleAmountOut && tokenOut != nil:
			a.Human = d.amount(*tokenOut, a.big)
		case role == roleAmount && token != nil:
			a.Human = d.amount(*token, a.big)
		case a.big != nil && label.Unlimited(a.big):
			a.Human = "unlimited"
		case a.Name == "path" && a.raw != nil:
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

// swapTokens finds the input and output tokens of a swap's arguments: the
// tokenIn/tokenOut members of V3 single-hop params, or the ends of a path.
// V3 encodes exact-output paths backwards, output token first.
func swapTokens(args []Arg, exactOut bool) (in, out *common.Address) {
	if a, ok := findArg(args, "tokenIn"); ok {
		in = a.addr
	}
	if a, ok := findArg(args, "tokenOut"); ok {
		out = a.addr
	}
	p, ok := findArg(args, "path")
	if !ok {
		return in, out
	}
	if b := p.raw; b != nil {
		// Only the ends matter here: no need to split the whole path.
		if !validV3Path(b) {
			return in, out
		}
		first, last := common.Address(b[:20]), common.Address(b[len(b)-20:])
		if exactOut {
			first, last = last, first
		}
		return &first, &last
	}
	// A V2 path: an address[] from the input token to the output one.
	var first, last *common.Address
	n := 0
	for _, e := range p.Elems {
		if e.addr != nil {
			if first == nil {
				first = e.addr
			}
			last, n = e.addr, n+1
		}
	}
	if n >= 2 {
		in, out = first, last
	}
	return in, out
}

// validV3Path reports a path of at least two tokens with fees between.
func validV3Path(b []byte) bool { return len(b) >= 43 && (len(b)-20)%23 == 0 }

// splitV3Path splits token (20) | fee (3) | token (20) | ...
func splitV3Path(b []byte) (tokens []common.Address, fees []uint32) {
	if !validV3Path(b) {
		return nil, nil
	}
	for off := 0; ; off += 23 {
		tokens = append(tokens, common.BytesToAddress(b[off:off+20]))
		if off+20 == len(b) {
			return tokens, fees
		}
		fees = append(fees, uint32(b[off+20])<<16|uint32(b[off+21])<<8|uint32(b[off+22]))
	}
}

func (d *Decoder) v3Path(b []byte) string {
	tokens, fees := splitV3Path(b)
	if tokens == nil {
		return ""
	}
	var s strings.Builder
	for i, t := range tokens {
		if i > 0 {
			// Fees are in hundredths of a basis point: 3000 is 0.3%.
			s.WriteString(" →(" + strconv.FormatFloat(float64(fees[i-1])/10000, 'f', -1, 64) + "%) ")
		}
		s.WriteString(d.tokenName(t))
	}
	return s.String()
}

func (d *Decoder) v2Path(elems []Arg) string {
	names := make([]string, 0, len(elems))
	for _, e := range elems {
		if e.addr == nil {
			return ""
		}
		names = append(names, d.tokenName(*e.addr))
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
	return time.Unix(v.Int64(), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}
