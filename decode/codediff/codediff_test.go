package codediff

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	vaultV1 = "pragma solidity ^0.8.20;\ncontract Vault {\n    address owner;\n    uint256 total;\n    function f() external {}\n}\n"
	vaultV2 = "pragma solidity ^0.8.20;\ncontract Vault {\n    uint256 fee;\n    address owner;\n    uint256 total;\n    function f() external {}\n}\n"
	// PUSH1 0x80 PUSH1 0x40 MSTORE STOP, then with a DELEGATECALL to a
	// caller's choice.
	codeV1 = "0x608060405200\n"
	codeV2 = "0x60806040526000600036600060043560005af400\n"
)

func kinds(d *Diff) []string {
	var out []string
	for _, c := range d.Source {
		out = append(out, string(c.Kind))
	}
	for _, c := range d.Code {
		out = append(out, c.Kind)
	}
	for _, u := range d.Unread {
		out = append(out, "unread "+u.Path)
	}
	return out
}

func TestCompareDirectories(t *testing.T) {
	old, new := t.TempDir(), t.TempDir()
	write(t, old, "src/Vault.sol", vaultV1)
	write(t, new, "src/Vault.sol", vaultV2)
	write(t, old, "build/Vault.hex", codeV1)
	write(t, new, "build/Vault.hex", codeV2)
	write(t, new, "src/Broken.sol", "contract Broken {\n")
	write(t, new, "node_modules/x/Dep.sol", "contract Dep {}")  // skipped: installed packages (their pins are compared)
	write(t, new, "lib/forge-std/Test.sol", "contract Test {}") // Foundry's dependencies: audited
	write(t, new, "src/lib/Math.sol", "library Math {}")        // the project's own: audited
	write(t, new, "README.md", "not audited")
	write(t, old, "package.json", `{"dependencies": {"@openzeppelin/contracts": "5.0.2"}}`)
	write(t, new, "package.json", `{"dependencies": {"@openzeppelin/contracts": "github:someone/oz#patched"}}`)
	write(t, old, "src/Pool.vy", "# @version 0.3.10\n")
	write(t, new, "src/Pool.vy", "# @version 0.3.10\n@external\ndef drain(): pass\n")
	write(t, old, "foundry.toml", "[profile.default]\n")
	write(t, new, "foundry.toml", "[profile.default]\n") // unchanged: nothing to say
	o, _, err := load(old)
	if err != nil {
		t.Fatal(err)
	}
	n, _, err := load(new)
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(o, n)
	var files []string
	for _, f := range d.Files {
		files = append(files, f.Path+" "+f.Status)
	}
	if want := []string{"build/Vault.hex modified", "lib/forge-std/Test.sol added", "package.json modified", "src/Broken.sol added", "src/Pool.vy modified", "src/Vault.sol modified", "src/lib/Math.sol added"}; !slices.Equal(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	got := kinds(d)
	for _, want := range []string{"storage-inserted", ConcernAdded, "unread src/Broken.sol", "unread package.json", "unread src/Pool.vy"} {
		if !slices.Contains(got, want) {
			t.Errorf("changes %q lack %q", got, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct{ have, want string }{
		{filepath.Join(empty, "nope"), "no such file"},
		{empty, "holds no .sol, .hex or .bin file"},
	} {
		if _, _, err := load(tc.have); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("load(%s) = %v, want %q", tc.have, err, tc.want)
		}
	}
}

func TestFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	write(t, dir, "src/Vault.sol", vaultV1)
	write(t, dir, "src/Gone.sol", "contract Gone { function g() external {} }\n")
	git("add", ".")
	git("commit", "-qm", "v1")
	git("checkout", "-qb", "feature")
	write(t, dir, "src/Vault.sol", vaultV2)
	write(t, dir, "notes.txt", "not audited")
	os.Remove(filepath.Join(dir, "src/Gone.sol"))
	git("add", "-A")
	git("commit", "-qm", "v2")
	fromGit := func(revs string, paths []string) (Side, Side, error) {
		r, err := ResolveRange(dir, revs)
		if err != nil {
			return nil, nil, err
		}
		return FromGit(dir, r, paths)
	}
	for _, rng := range []string{"main..feature", "main...feature", "main"} {
		old, new, err := fromGit(rng, nil)
		if err != nil {
			t.Fatalf("%s: %v", rng, err)
		}
		got := kinds(Compare(old, new))
		if !slices.Contains(got, "storage-inserted") || !slices.Contains(got, "contract-removed") {
			t.Errorf("%s: changes %q", rng, got)
		}
		if _, ok := new["notes.txt"]; ok {
			t.Errorf("%s: a text file was read", rng)
		}
	}
	// Limited to paths: the other file is not read.
	old, _, err := fromGit("main..feature", []string{"src/Gone.sol"})
	if err != nil || len(old) != 1 {
		t.Errorf("paths: %v, %d files", err, len(old))
	}
	for _, bad := range []string{"nope..feature", "--output=x..HEAD", "--all...HEAD", "main...--all", ".."} {
		if _, _, err := fromGit(bad, nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestFromUnifiedBytecode(t *testing.T) {
	diff := "diff --git a/build/V.hex b/build/V.hex\n--- a/build/V.hex\n+++ b/build/V.hex\n@@ -1 +1 @@\n-" + codeV1 + "+" + codeV2
	d, err := FromUnified([]byte(diff))
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(d); !slices.Contains(got, ConcernAdded) {
		t.Errorf("changes %q", got)
	}
	// A hunk in the middle of a many-line file is not bytecode read whole.
	diff = "diff --git a/b/V.hex b/b/V.hex\n--- a/b/V.hex\n+++ b/b/V.hex\n@@ -5 +5 @@\n-00\n+ff\n"
	if d, err = FromUnified([]byte(diff)); err != nil {
		t.Fatal(err)
	} else if len(d.Unread) != 1 {
		t.Errorf("partial hex diff: unread %v", d.Unread)
	}
	// A rename or a mode change has no hunks: nothing changed, nothing to say.
	for _, diff := range []string{
		"diff --git a/b/V.hex b/c/V.hex\nsimilarity index 100%\nrename from b/V.hex\nrename to c/V.hex\n",
		"diff --git a/b/V.hex b/b/V.hex\nold mode 100644\nnew mode 100755\n",
	} {
		if d, err := FromUnified([]byte(diff)); err != nil || len(d.Unread)+len(d.Code) != 0 {
			t.Errorf("%q: %v, unread %v, code %v", diff, err, d.Unread, d.Code)
		}
	}
}

// A unified diff says whether a source file is new, changed or deleted.
func TestFromUnifiedFileStatus(t *testing.T) {
	for _, tc := range []struct {
		name, have, want string
	}{
		{"added", "diff --git a/V.sol b/V.sol\nnew file mode 100644\n--- /dev/null\n+++ b/V.sol\n@@ -0,0 +1,1 @@\n+contract V {}\n", Added},
		{"removed", "diff --git a/V.sol b/V.sol\ndeleted file mode 100644\n--- a/V.sol\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-contract V {}\n", Removed},
		{"modified", "diff --git a/V.sol b/V.sol\n--- a/V.sol\n+++ b/V.sol\n@@ -1,1 +1,1 @@\n-contract V {}\n+contract V { uint x; }\n", Modified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := FromUnified([]byte(tc.have))
			if err != nil {
				t.Fatal(err)
			}
			if want := []FileStatus{{"V.sol", tc.want}}; !slices.Equal(d.Files, want) {
				t.Errorf("files %v, want %v", d.Files, want)
			}
		})
	}
}

// Text that holds no file is not an empty change that passes.
func TestFromUnifiedNotADiff(t *testing.T) {
	for _, in := range []string{"hello\n", " contracts/Vault.sol | 2 +-\n 1 file changed\n"} {
		if _, err := FromUnified([]byte(in)); err == nil || !strings.Contains(err.Error(), "no file in the diff") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// TestLoadPair: `diff OLD NEW` pairs two single files whatever their
// names, reported at NEW's path; directories are compared by paths
// relative to their roots.
func TestLoadPair(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "v1/Vault.hex", codeV1)
	write(t, dir, "v2/Vault-next.hex", codeV2)
	write(t, dir, "old/src/Vault.sol", vaultV1)
	write(t, dir, "new/src/Vault.sol", vaultV2)
	write(t, dir, "new/Vault.sol", vaultV2)
	at := func(p string) string { return filepath.Join(dir, p) }
	for _, tc := range []struct {
		name, old, new string
		files          []string // in Files: path (relative to dir for single files) and status
		kinds          []string
	}{
		{"two files, two names", "v1/Vault.hex", "v2/Vault-next.hex",
			[]string{"v2/Vault-next.hex modified"}, []string{ConcernAdded}},
		{"two directories", "old", "new",
			[]string{"Vault.sol added", "src/Vault.sol modified"}, []string{"storage-inserted"}},
		{"a file against a directory", "old/src/Vault.sol", "new",
			[]string{"Vault.sol modified", "src/Vault.sol added"}, []string{"storage-inserted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, new, err := LoadPair(at(tc.old), at(tc.new))
			if err != nil {
				t.Fatal(err)
			}
			d := Compare(old, new)
			var files []string
			for _, f := range d.Files {
				rel := f.Path
				if filepath.IsAbs(rel) {
					rel, _ = filepath.Rel(dir, f.Path)
				}
				files = append(files, rel+" "+f.Status)
			}
			if !slices.Equal(files, tc.files) {
				t.Errorf("files %q, want %q", files, tc.files)
			}
			got := kinds(d)
			for _, want := range tc.kinds {
				if !slices.Contains(got, want) {
					t.Errorf("changes %q lack %q", got, want)
				}
			}
		})
	}
}

// A file named on the command line must be one the audit reads.
func TestLoadPairErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "V.hex", codeV1)
	write(t, dir, "notes.txt", "hello")
	write(t, dir, "empty.hex", "\n")
	write(t, dir, "odd.hex", "0xabc")
	write(t, dir, "junk.bin", "\x00\x01garbage")
	write(t, dir, "V.sol", vaultV1)
	for _, tc := range []struct{ have, want string }{
		{"notes.txt", "is not a .sol, .hex or .bin file"},
		{"empty.hex", "holds no bytecode"},
		{"odd.hex", "is not bytecode hex: encoding/hex: odd length"},
		{"junk.bin", "is not bytecode hex"},
		{"V.sol", "are not two versions of one file: one is Solidity, the other bytecode"},
	} {
		for _, args := range [][2]string{{tc.have, "V.hex"}, {"V.hex", tc.have}} {
			_, _, err := LoadPair(filepath.Join(dir, args[0]), filepath.Join(dir, args[1]))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "codediff: ") {
				t.Errorf("LoadPair(%s, %s) = %v, want %q", args[0], args[1], err, tc.want)
			}
		}
	}
}

// The compiler a bytecode file records (its CBOR metadata) is compared.
func TestCompareCompiler(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "bytecode", "oz-erc20-runtime.hex"))
	if err != nil {
		t.Fatal(err)
	}
	code := strings.TrimSpace(string(b))
	const solc0813 = "64736f6c634300080d0033" // "solc": 0.8.13, then the trailer's length
	if !strings.HasSuffix(code, solc0813) {
		t.Fatalf("fixture does not end in %s", solc0813)
	}
	newer := strings.TrimSuffix(code, solc0813) + "64736f6c63430008110033" // 0.8.17
	for _, tc := range []struct {
		name, old, new string
		want           []CodeChange
	}{
		{"0.8.13 to 0.8.17", code, newer, []CodeChange{{CompilerChanged, "T.hex", "compiled with solc 0.8.13, now solc 0.8.17"}}},
		{"same compiler", code, code, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Compare(Side{"T.hex": []byte(tc.old)}, Side{"T.hex": []byte(tc.new)})
			if !slices.Equal(d.Code, tc.want) {
				t.Errorf("code changes %v, want %v", d.Code, tc.want)
			}
		})
	}
}

// A bytecode file moved unchanged is not code removed and added.
func TestCompareMovedCode(t *testing.T) {
	d := Compare(Side{"build/V.hex": []byte(codeV2)}, Side{"out/V.hex": []byte(codeV2)})
	if len(d.Code) != 0 {
		t.Errorf("changes %v", d.Code)
	}
}

// A FIFO (or a symlink to a device) named like a contract must not hang.
func TestLoadIrregularFile(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "Evil.sol"), 0o644); err != nil {
		t.Skip(err)
	}
	if _, _, err := load(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("load = %v", err)
	}
}

// FuzzFromUnified: any text is a diff or an error, never a panic.
func FuzzFromUnified(f *testing.F) {
	for _, name := range []string{"TG902-fire-onlyowner-lost-hunks.diff", "TG922-fire-delegatecall-added.diff", "TG901-fire-storage-slot-shift.diff"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "rules", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := FromUnified(b)
		if err == nil && d == nil {
			t.Fatal("no diff and no error")
		}
	})
}
