package calldata

import (
	"strings"
	"testing"
)

// containsFold must say what the lower-cased copy said.
func TestContainsFold(t *testing.T) {
	for _, have := range []string{"exactOutputSingle", "V3_SWAP_EXACT_OUT", "swapExactTokensForETH", "EXACTOUT",
		"exactou", "", "xexactoutx", "exact out", "ExAcToUt", "\u212aexactout", "éexactout", "exactOu\xff"} {
		want := strings.Contains(strings.ToLower(have), "exactout")
		if got := containsFold(have, "exactout"); got != want {
			t.Errorf("containsFold(%q) = %v, want %v", have, got, want)
		}
	}
}
