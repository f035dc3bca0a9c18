package clip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	tests := []struct {
		have string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 4, "abcd…"},
		{"ééééé", 3, "é…"}, // 3 bytes would split the second é
		{"ééééé", 4, "éé…"},
		{"\U0001F600x", 2, "…"}, // no whole rune fits
		{"abc", 0, "…"},
	}
	for _, tt := range tests {
		if got := Cut(tt.have, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.have, tt.n, got, tt.want)
		}
	}
}

func FuzzPrefix(f *testing.F) {
	f.Add("ééé\xff\U0001F600", 5)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 100
		p := Prefix(s, n)
		switch {
		case !strings.HasPrefix(s, p):
			t.Fatalf("%q is not a prefix of %q", p, s)
		case len(s) > max(n, 0) && len(p) > max(n, 0):
			t.Fatalf("Prefix(%q, %d) = %q, longer than %d", s, n, p, n)
		case len(s) <= n && p != s:
			t.Fatalf("Prefix(%q, %d) = %q, want all of it", s, n, p)
		case utf8.ValidString(s) && !utf8.ValidString(p):
			t.Fatalf("Prefix(%q, %d) = %q cuts a rune", s, n, p)
		}
	})
}
