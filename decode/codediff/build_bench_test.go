package codediff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFromBuildsOZ times `diff --build` of all of OpenZeppelin
// Contracts 4.9.6 against 5.0.2 (compiled by .ci/build-diffpairs; the
// issue's budget is 1 s), beside its floor: decoding the two build files'
// JSON and nothing else.
func BenchmarkFromBuildsOZ(b *testing.B) {
	dir := os.Getenv("TXGUARD_DIFF_BUILDS")
	old, new := filepath.Join(dir, "oz", "4.9.6.json"), filepath.Join(dir, "oz", "5.0.2.json")
	if _, err := os.Stat(old); dir == "" || err != nil {
		b.Skip("TXGUARD_DIFF_BUILDS does not hold the OpenZeppelin builds (.ci/build-diffpairs makes them)")
	}
	b.Run("floor-json-decode", func(b *testing.B) {
		for b.Loop() {
			for _, f := range []string{old, new} {
				raw, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(raw, &v); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("diff-build", func(b *testing.B) {
		for b.Loop() {
			if _, err := FromBuilds(old, new); err != nil {
				b.Fatal(err)
			}
		}
	})
}
