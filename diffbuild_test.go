package main

import (
	"encoding/json"
	"os"
	"os/exec"
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
	// pairs/: OpenZeppelin-based pairs; uniswap/: patches to Uniswap
	// v2-core's own release (compiled with solc 0.5.16).
	var cases []string
	for _, dir := range []string{"fixtures/diffbuild/pairs", "fixtures/diffbuild/uniswap"} {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			cases = append(cases, filepath.Join(dir, e.Name()))
		}
	}
	var caught, backdoors, quiet, refactors int
	for _, c := range cases {
		name := filepath.Base(c)
		old, new := sideFile(builds, name, "old"), sideFile(builds, name, "new")
		if old == "" || new == "" {
			continue
		}
		expect := strings.Fields(readFile(t, filepath.Join(c, "expect")))
		t.Run(name, func(t *testing.T) {
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

// TestDiffGitBuildCmd: --git with --build-cmd builds each side in a
// worktree of its own (here the "build" copies a build-info file kept in
// the repository) and compares the compiler's facts; what the range
// changes besides — a Vyper file, the CI workflow — is said too. A build
// that fails is not audited, at danger.
func TestDiffGitBuildCmd(t *testing.T) {
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	put := func(name string, b []byte) {
		t.Helper()
		p := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pair := "fixtures/diffbuild/testdata/token-mint-through-helper/"
	git("init", "-q")
	put("prebuilt/b.json.gz", []byte(readFile(t, pair+"old.json.gz")))
	put("src/Pool.vy", []byte("# @version 0.3.10\n"))
	git("add", "-A")
	git("commit", "-qm", "base")
	put("prebuilt/b.json.gz", []byte(readFile(t, pair+"new.json.gz")))
	put("src/Pool.vy", []byte("# @version 0.3.10\n@external\ndef drain():\n    pass\n"))
	put(".github/workflows/ci.yml", []byte("on: pull_request\n"))
	git("add", "-A")
	git("commit", "-qm", "head")

	build := "mkdir -p out/build-info && cp prebuilt/b.json.gz out/build-info/"
	for _, tc := range []struct {
		name, cmd string
		wantExit  int
		want      []string
	}{
		{"built", build, 1, []string{"TG913 danger", "TG918 caution", "TG911 danger src/Pool.vy"}},
		{"the build fails", "echo 'Compiler run failed' >&2; exit 1", 1, []string{"TG911 danger HEAD~1", "TG911 danger HEAD"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(txguardBin, "diff", "--no-llm", "--format", "json", "--git", "HEAD~1..HEAD", "--build-cmd", tc.cmd)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "OLLAMA_HOST=127.0.0.1:1")
			out, _ := cmd.Output()
			if cmd.ProcessState.ExitCode() != tc.wantExit {
				t.Fatalf("exit %d, want %d\n%s", cmd.ProcessState.ExitCode(), tc.wantExit, out)
			}
			var v struct {
				Findings []struct {
					Rule     string `json:"rule"`
					Severity string `json:"severity"`
					Title    string `json:"title"`
					File     string `json:"file"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatal(err)
			}
			var have []string
			for _, f := range v.Findings {
				have = append(have, f.Rule+" "+f.Severity+" "+f.File+" "+f.Title)
			}
			for _, w := range tc.want {
				found := false
				for _, h := range have {
					id, rest, _ := strings.Cut(w, " ")
					sev, file, _ := strings.Cut(rest, " ")
					found = found || strings.HasPrefix(h, id+" "+sev+" ") && strings.Contains(h, file)
				}
				if !found {
					t.Errorf("no %q in %q", w, have)
				}
			}
		})
	}
}
