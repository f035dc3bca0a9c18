package codediff

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestModesAgree: on every diff fixture, the three ways to give a change
// — two directories, a git range, a unified diff of whole files on stdin
// — find the same changes. (A diff with three lines of context is read
// hunk by hunk, sees less, and says so: TG911.)
func TestModesAgree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	cases, _ := filepath.Glob("../../fixtures/diff/*/old")
	if len(cases) == 0 {
		t.Fatal("no diff fixtures")
	}
	for _, oldDir := range cases {
		dir := filepath.Dir(oldDir)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			old, new, err := LoadPair(oldDir, filepath.Join(dir, "new"))
			if err != nil {
				t.Fatal(err)
			}
			want := sorted(kindsWhere(Compare(old.under("x"), new.under("x"))))

			repo := t.TempDir()
			git := func(args ...string) string {
				t.Helper()
				cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main"}, args...)...)
				cmd.Dir = repo
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("git %v: %v", args, err)
				}
				return string(out)
			}
			git("init", "-q")
			copyTree(t, oldDir, repo)
			git("add", "-A")
			git("commit", "-qm", "old", "--allow-empty")
			clear(t, repo)
			copyTree(t, filepath.Join(dir, "new"), repo)
			git("add", "-A")
			git("commit", "-qm", "new", "--allow-empty")

			gOld, gNew, err := FromGit(repo, Range{"HEAD~1", "HEAD"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if have := sorted(kindsWhere(Compare(gOld, gNew))); !slices.Equal(have, want) {
				t.Errorf("--git found %q, the directories %q", have, want)
			}
			u, err := FromUnified([]byte(git("diff", "--unified=1000000", "HEAD~1", "HEAD")))
			if err != nil {
				if len(want) == 0 && strings.Contains(err.Error(), "no file in the diff") {
					return // nothing changed that a diff shows
				}
				t.Fatal(err)
			}
			if have := sorted(kindsWhere(u)); !slices.Equal(have, want) {
				t.Errorf("stdin found %q, the directories %q", have, want)
			}
		})
	}
}

// kindsWhere are the changes as kind, contract and function: what a
// verdict reports, without the paths (each mode roots them elsewhere).
func kindsWhere(d *Diff) []string {
	var out []string
	for _, c := range d.Source {
		out = append(out, string(c.Kind)+" "+c.Contract+"."+c.Function)
	}
	for _, c := range d.Code {
		out = append(out, c.Kind)
	}
	for _, u := range d.Unread {
		out = append(out, "unread "+filepath.Base(u.Path))
	}
	return out
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		write(t, to, rel, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// clear empties a work tree but for .git.
func clear(t *testing.T, dir string) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if e.Name() != ".git" {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
