package tui

import (
	"strings"
	"testing"
)

func TestShort(t *testing.T) {
	for _, tc := range []struct{ have, want string }{
		{"to: 0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af (Uniswap Universal Router 2.0)",
			"to: 0x66a989…dBA8Af (Uniswap Universal Router 2.0)"},
		{"hash: 0x9c287a28fda47bc9b65ba77b35781d335ad7c67b610b0a68e9711d7176b14fde", "hash: 0x9c287a…b14fde"},
		{"amount (uint160): 1461501637330902918203684832716283019655932542975 = unlimited USDC", "amount (uint160): unlimited USDC"},
		{"deadline (uint256): 1767225600 = 2026-01-01 00:00:00 UTC", "deadline (uint256): 2026-01-01 00:00:00 UTC"},
		{"path (bytes): 0xc02aaa39b223fe8d…3606eb48 (43 bytes) = WETH →(0.05%) USDC", "path (bytes): 0xc02aaa39b223fe8d…3606eb48 (43 bytes) = WETH →(0.05%) USDC"},
		// Small numbers stay: a raw 0 or 42 says more than any reading.
		{"nonce (uint48): 0", "nonce (uint48): 0"},
		// Text from the input that borrows the shape keeps its number: only
		// decode's own "name (type): N = reading" loses it.
		{"Pay 1000000 = 1 USDC: 1000000 = 1 USDC", "Pay 1000000 = 1 USDC: 1000000 = 1 USDC"},
		{"memo (string): note: 99999 = 1 ETH", "memo (string): note: 99999 = 1 ETH"},
		// Too short to be an address: left alone.
		{"selector: 0xa9059cbb", "selector: 0xa9059cbb"},
	} {
		if got := short(tc.have); got != tc.want {
			t.Errorf("short(%q)\n got %q\nwant %q", tc.have, got, tc.want)
		}
	}
}

func TestTreeFromText(t *testing.T) {
	// parse builds the tree from text in decode's form.
	parse := func(text string) []*node {
		var roots []*node
		var stack []*node
		for _, line := range strings.Split(text, "\n") {
			roots, stack = addLine(roots, stack, line)
		}
		return group(roots)
	}
	for _, tc := range []struct {
		name string
		have string
		want string // visible rows as depth:text, after grouping
	}{
		{"flat lines stay flat", "kind: hash\nhash: 0x01", "0:kind: hash|0:hash: 0x01"},
		{"nested lines nest", "call:\n  f()\n    a (uint256): 1\n  g()", "0:call:|1:f()|2:a (uint256): 1|1:g()"},
		{"a level skipped in the text is not skipped in the tree", "call:\n      deep", "0:call:|1:deep"},
		{"top-level fields fold before the nested part", "kind: tx\nnonce: 1\ncall:\n  f()", "0:fields: 2 more lines (enter opens)|0:call:|1:f()"},
		{"one field is not worth a fold", "kind: tx\ncall:\n  f()", "0:kind: tx|0:call:|1:f()"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, n := range visible(parse(tc.have)) {
				got = append(got, itoa(n.depth)+":"+n.text)
			}
			if g := strings.Join(got, "|"); g != tc.want {
				t.Errorf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
