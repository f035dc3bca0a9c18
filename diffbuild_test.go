package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffBuildPairs runs `txguard diff --build` on pairs of real
// contracts compiled by solc (fixtures/diffbuild): each backdoor must be
// danger for its rule, each refactor quiet (nothing at caution or above).
// The tests here read the compiled subset kept in the repository;
// .ci/run compiles every pair with solc-js and points
// TXGUARD_DIFF_BUILDS at the result.
func TestDiffBuildPairs(t *testing.T) {
	builds := os.Getenv("TXGUARD_DIFF_BUILDS")
	if builds == "" {
		builds = "fixtures/diffbuild/testdata"
	}
	pairs, err := os.ReadDir("fixtures/diffbuild/pairs")
	if err != nil {
		t.Fatal(err)
	}
	var caught, backdoors, quiet, refactors int
	for _, p := range pairs {
		old, new := sideFile(builds, p.Name(), "old"), sideFile(builds, p.Name(), "new")
		if old == "" || new == "" {
			continue
		}
		expect := strings.Fields(readFile(t, filepath.Join("fixtures/diffbuild/pairs", p.Name(), "expect")))
		t.Run(p.Name(), func(t *testing.T) {
			r := runBinary(t, "", "diff", "--build", "--no-llm", "--format", "json", old, new)
			var v struct {
				Level    string `json:"level"`
				Findings []struct {
					Rule  string `json:"rule"`
					Level string `json:"severity"`
					Title string `json:"title"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
				t.Fatalf("exit %d, stdout not JSON: %v\n%s", r.code, err, r.stderr)
			}
			var loud []string
			for _, f := range v.Findings {
				if f.Level != "info" && f.Level != "ok" {
					loud = append(loud, f.Rule+" "+f.Level+": "+f.Title)
				}
			}
			if expect[0] == "quiet" {
				refactors++
				if len(loud) > 0 || r.code != 0 {
					t.Errorf("a refactor, want quiet; have exit %d:\n%s", r.code, strings.Join(loud, "\n"))
					return
				}
				quiet++
				return
			}
			backdoors++
			want := expect[1]
			hit := false
			for _, f := range v.Findings {
				hit = hit || f.Rule == want && (f.Level == "danger" || f.Level == "critical")
			}
			if !hit || r.code != 1 {
				t.Errorf("a backdoor, want %s at danger and exit 1; have exit %d:\n%s", want, r.code, strings.Join(loud, "\n"))
				return
			}
			caught++
		})
	}
	if backdoors+refactors == 0 {
		t.Fatalf("no compiled pairs under %s", builds)
	}
	t.Logf("backdoors flagged at danger for the expected rule: %d/%d; refactors quiet: %d/%d", caught, backdoors, quiet, refactors)
}

// sideFile is a pair side's build file, plain or gzipped; "" if absent.
func sideFile(dir, pair, side string) string {
	for _, ext := range []string{".json", ".json.gz"} {
		p := filepath.Join(dir, pair, side+ext)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
