// Package clip shortens text from the input for messages people read:
// attacker-chosen strings are cut to a bound, on a rune boundary, so what
// quotes them stays short and valid UTF-8.
package clip

import "unicode/utf8"

// Prefix is s cut to at most n bytes, never inside a UTF-8 sequence.
func Prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Cut is s, or when longer than n bytes its Prefix followed by "…".
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Prefix(s, n) + "…"
}
