package label

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func bigInt(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad test integer %q", s)
	}
	return v
}

func TestUnits(t *testing.T) {
	tests := []struct {
		name     string
		have     string
		decimals uint8
		want     string
	}{
		{"zero", "0", 18, "0"},
		{"zero no decimals", "0", 0, "0"},
		{"one wei", "1", 18, "0.000000000000000001"},
		{"fraction", "1500000", 6, "1.5"},
		{"trailing zeros dropped", "1230000", 6, "1.23"},
		{"exactly one", "1000000000000000000", 18, "1"},
		{"thousands", "1000000000000000000000", 18, "1,000"},
		{"thousands with fraction", "1234567891234", 6, "1,234,567.891234"},
		{"no separator below 1000", "999000000", 6, "999"},
		{"negative", "-1500000", 6, "-1.5"},
		{"negative thousands", "-1234000000", 3, "-1,234,000"},
		{"negative below one", "-5", 2, "-0.05"},
		{"decimals 0", "1234567", 0, "1,234,567"},
		{"decimals 0 small", "7", 0, "7"},
		{"gusd cents", "12345", 2, "123.45"},
		{"max uint256 wei", MaxUint256.String(), 18, "115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Units(bigInt(t, tt.have), tt.decimals); got != tt.want {
				t.Errorf("Units(%s, %d) = %q, want %q", tt.have, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestUnlimited(t *testing.T) {
	minus1 := func(v *big.Int) *big.Int { return new(big.Int).Sub(v, big.NewInt(1)) }
	plus1 := func(v *big.Int) *big.Int { return new(big.Int).Add(v, big.NewInt(1)) }
	tests := []struct {
		name string
		have *big.Int
		want bool
	}{
		{"max uint256", MaxUint256, true},
		{"max uint160", MaxUint160, true},
		{"max uint256 minus one", minus1(MaxUint256), false},
		{"max uint160 minus one", minus1(MaxUint160), false},
		{"max uint160 plus one", plus1(MaxUint160), false},
		{"zero", big.NewInt(0), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unlimited(tt.have); got != tt.want {
				t.Errorf("Unlimited(%v) = %v, want %v", tt.have, got, tt.want)
			}
		})
	}
}

func TestSentinels(t *testing.T) {
	if got, want := MaxUint256.Text(16), "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"; got != want {
		t.Errorf("MaxUint256 = %s, want %s", got, want)
	}
	if got, want := MaxUint160.Text(16), "ffffffffffffffffffffffffffffffffffffffff"; got != want {
		t.Errorf("MaxUint160 = %s, want %s", got, want)
	}
}

var (
	mainnetUSDC = common.HexToAddress("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
	bscUSDC     = common.HexToAddress("0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d")
	unknownAddr = common.HexToAddress("0x00000000000000000000000000000000DeaDBeef")
)

func TestAmount(t *testing.T) {
	tests := []struct {
		name  string
		chain uint64
		token common.Address
		have  *big.Int
		want  string
	}{
		{"known token", 1, mainnetUSDC, big.NewInt(1_500_000), "1.5 USDC"},
		{"known token thousands", 1, mainnetUSDC, big.NewInt(1_000_000_000_000), "1,000,000 USDC"},
		{"same symbol other decimals", 56, bscUSDC, bigInt(t, "2500000000000000000"), "2.5 USDC"},
		{"unlimited known token", 1, mainnetUSDC, MaxUint256, "unlimited USDC"},
		{"permit2 unlimited known token", 1, mainnetUSDC, MaxUint160, "unlimited USDC"},
		{"unlimited unknown token", 1, unknownAddr, MaxUint256, "unlimited"},
		{"unknown token", 1, unknownAddr, big.NewInt(12345), "12345 (raw units of an unknown token)"},
		{"known token on another chain", 10, mainnetUSDC, big.NewInt(1_500_000), "1500000 (raw units of an unknown token)"},
		{"unknown chain", 0, mainnetUSDC, big.NewInt(1_500_000), "1500000 (raw units of an unknown token)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.chain, nil).Amount(tt.token, tt.have); got != tt.want {
				t.Errorf("Amount = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEther(t *testing.T) {
	quarter := bigInt(t, "250000000000000000")
	tests := []struct {
		name  string
		chain uint64
		want  string
	}{
		{"ethereum", 1, "0.25 ETH"},
		{"base", 8453, "0.25 ETH"},
		{"polygon", 137, "0.25 POL"},
		{"bnb", 56, "0.25 BNB"},
		{"gnosis", 100, "0.25 XDAI"},
		{"avalanche", 43114, "0.25 AVAX"},
		{"mantle", 5000, "0.25 MNT"},
		{"celo", 42220, "0.25 CELO"},
		{"unknown chain", 0, "0.25 ETH"},
		{"chain not on the list", 999_999_999_999, "0.25 ETH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.chain, nil).Ether(quarter); got != tt.want {
				t.Errorf("Ether on %d = %q, want %q", tt.chain, got, tt.want)
			}
		})
	}
}

func TestGwei(t *testing.T) {
	if got, want := Gwei(big.NewInt(12_500_000_000)), "12.5 gwei"; got != want {
		t.Errorf("Gwei = %q, want %q", got, want)
	}
}

// unitsReference is Units written the plain way (decimal string, pad,
// split, group): FuzzUnits holds the fast one to it.
func unitsReference(v *big.Int, decimals uint8) string {
	digits := new(big.Int).Abs(v).String()
	d := int(decimals)
	if len(digits) <= d {
		digits = strings.Repeat("0", d-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-d], strings.TrimRight(digits[len(digits)-d:], "0")
	var b strings.Builder
	if v.Sign() < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func FuzzUnits(f *testing.F) {
	for _, s := range []string{"0", "1", "-1", "1000000", "123456789012345678901234567890", "-5000000000000000000"} {
		for _, d := range []uint8{0, 6, 18, 77} {
			f.Add(s, d)
		}
	}
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || v.BitLen() > 300 {
			return
		}
		if have, want := Units(v, d), unitsReference(v, d); have != want {
			t.Errorf("Units(%s, %d) = %q, want %q", v, d, have, want)
		}
	})
}
