package label

import (
	"bytes"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
)

var (
	// MaxUint256 and MaxUint160 are the "infinite approval" sentinels: ERC-20
	// approvals use the first, Permit2 allowances the second.
	MaxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	MaxUint160 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 160), big.NewInt(1))
)

// Unlimited reports whether v is one of the infinite-approval sentinels.
func Unlimited(v *big.Int) bool {
	return v != nil && (v.Cmp(MaxUint256) == 0 || v.Cmp(MaxUint160) == 0)
}

// Units formats v scaled down by 10^decimals with thousands separators and
// no trailing zeros: Units(1500000, 6) = "1.5", Units(10^21, 18) = "1,000".
func Units(v *big.Int, decimals uint8) string {
	return units(v, decimals)
}

// units is Units followed by suffix, made in stack buffers and copied out
// once: amounts are formatted for every value, fee and token amount of
// every call, and building them rune by rune, or the number and then the
// number with its unit, showed in profiles.
func units(v *big.Int, decimals uint8, suffix ...string) string {
	var buf, outBuf [128]byte
	var digits []byte
	if v.IsUint64() {
		digits = strconv.AppendUint(buf[:0], v.Uint64(), 10)
	} else {
		digits = new(big.Int).Abs(v).Append(buf[:0], 10)
	}
	d := int(decimals)
	if len(digits) <= d { // 0.000123: pad to one whole digit
		pad := d - len(digits) + 1
		digits = append(digits, make([]byte, pad)...)
		copy(digits[pad:], digits[:len(digits)-pad])
		for i := range pad {
			digits[i] = '0'
		}
	}
	whole, frac := digits[:len(digits)-d], bytes.TrimRight(digits[len(digits)-d:], "0")
	out := outBuf[:0]
	if v.Sign() < 0 {
		out = append(out, '-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if len(frac) > 0 {
		out = append(append(out, '.'), frac...)
	}
	for _, s := range suffix {
		out = append(out, s...)
	}
	return string(out)
}

// Ether formats wei in the chain's native currency: "0.25 ETH".
func (l *Labeler) Ether(wei *big.Int) string {
	return units(wei, 18, " ", l.Native())
}

// Gwei formats a gas price: "12.5 gwei".
func Gwei(wei *big.Int) string {
	return units(wei, 9, " gwei")
}

// Amount formats a token amount: "1,000 USDC", "unlimited USDC", or the raw
// integer with "(unknown token)" when the token is not on the list.
func (l *Labeler) Amount(token common.Address, v *big.Int) string {
	tok, ok := l.Token(token)
	switch {
	case Unlimited(v) && ok:
		return "unlimited " + tok.Symbol
	case Unlimited(v):
		return "unlimited"
	case ok:
		return units(v, tok.Decimals, " ", tok.Symbol)
	default:
		return v.String() + " (raw units of an unknown token)"
	}
}
