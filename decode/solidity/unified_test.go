package solidity

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	corpus "github.com/txguard/txguard/fixtures"
)

// corpusDiff returns the case's diff at the given context size, stored
// next to it; -update regenerates it with git diff --no-index.
func corpusDiff(t *testing.T, dir, name, context string) []byte {
	t.Helper()
	path := filepath.Join(dir, name)
	if *update {
		cmd := exec.Command("git", "diff", "--no-index", "--no-color", context, "old", "new")
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil && cmd.ProcessState.ExitCode() != 1 { // 1: the trees differ
			t.Fatalf("git diff: %v", err)
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	return b
}

func flatten(fcs []FileChanges) []Change {
	var out []Change
	for _, fc := range fcs {
		out = append(out, fc.Changes...)
	}
	return (&differ{out: out}).sorted()
}

// TestCorpusUnified feeds every corpus case to DiffUnified twice: as a
// full-context diff, which must give exactly what DiffSet gives
// (expected.txt), and as a default 3-line-context diff, read by hunks,
// whose result is kept in expected-hunks.txt. Quiet cases must stay quiet
// in both modes (appended or position-unknown storage aside).
func TestCorpusUnified(t *testing.T) {
	cases, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() || c.Name() == "testdata" {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(corpusDir, c.Name())
			quiet := strings.HasPrefix(c.Name(), "quiet-")

			full, err := DiffUnified(corpusDiff(t, dir, "full.diff", "-U100000"))
			if err != nil {
				t.Fatal(err)
			}
			for _, fc := range full {
				if !fc.Whole {
					t.Errorf("%s: full-context diff read by hunks: %s", fc.Path, fc.Note)
				}
			}
			want, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if got := expected(flatten(full)); string(got) != string(want) {
				t.Errorf("full-context diff:\ngot:\n%s\nwant:\n%s", got, want)
			}

			hunks, err := DiffUnified(corpusDiff(t, dir, "hunks.diff", "-U3"))
			if err != nil {
				t.Fatal(err)
			}
			changes := flatten(hunks)
			for _, ch := range changes {
				t.Log(ch)
				if quiet && ch.Kind != StorageAppended && ch.Kind != StorageAdded {
					t.Errorf("quiet case reports %s in hunk mode", ch)
				}
			}
			if !quiet && len(changes) == 0 {
				t.Errorf("mistake case reports nothing in hunk mode")
			}
			corpus.Golden(t, filepath.Join(dir, "expected-hunks.txt"), expected(changes), *update)
		})
	}
}

func TestDiffUnifiedHunks(t *testing.T) {
	tests := []struct {
		name, diff, want string
	}{
		{
			name: "guard removed from a long header whose start is out of view",
			diff: `diff --git a/V.sol b/V.sol
--- a/V.sol
+++ b/V.sol
@@ -40,7 +40,6 @@ contract Vault is Ownable {
         address c
     )
         external
-        onlyOwner
         whenNotPaused
     {
         _set(a, b, c);
`,
			want: "modifier-removed Vault - 43\n",
		},
		{
			// OpenZeppelin's AccessManaged guard is named restricted; a base
			// goes into a multi-line is list below the contract line.
			name: "any guard name in a long header; a base inserted in a multi-line is list",
			diff: `--- a/V.sol
+++ b/V.sol
@@ -9,6 +9,7 @@ contract Vault is
 contract Vault is
     Initializable,
+    FeeCollector,
     OwnableUpgradeable
 {
@@ -38,7 +39,6 @@ contract Vault is
     )
         external
         override
-        restricted
     {
         fee = newFee;
`,
			want: "bases-changed Vault - 9\nmodifier-removed Vault - 41\n",
		},
		{
			name: "a guard re-added with a comment, or onto one line, is no guard removed",
			diff: `--- a/V.sol
+++ b/V.sol
@@ -38,7 +38,6 @@ contract Vault is
     )
-        external
-        override
-        restricted
+        external override restricted // AccessManager: FEE_ROLE
     {
         fee = newFee;
`,
			want: "",
		},
		{
			name: "call moved between hunks is quiet; a local variable is not storage",
			diff: `--- a/V.sol
+++ b/V.sol
@@ -10,6 +10,5 @@ contract Vault {
     function a(address to) external {
         uint256 fee = 1;
-        (bool ok, ) = to.call{value: fee}("");
         emit A(to);
     }
@@ -80,5 +79,7 @@ contract Vault {
     function b(address to) external {
+        uint256 fee = 1;
+        (bool ok, ) = to.call{value: fee}("");
         emit B(to);
     }
`,
			want: "",
		},
		{
			name: "hunk starting inside a block comment",
			diff: `--- a/V.sol
+++ b/V.sol
@@ -20,6 +20,7 @@ contract Vault {
      * @dev Never use tx.origin or delegatecall here {
+     * selfdestruct( is forbidden too
      */
     function a() external {
         b();
`,
			want: "",
		},
		{
			name: "new external function with delegatecall, contract from the hunk heading",
			diff: `--- a/R.sol
+++ b/R.sol
@@ -50,6 +50,10 @@ contract Router is Ownable {
         emit X();
     }
 
+    function exec(address t, bytes calldata d) external {
+        t.delegatecall(d);
+    }
+
     function rescue() external onlyOwner {
         _rescue();
     }
`,
			want: "function-added Router exec(address,bytes) 53\ndelegatecall-added Router exec(address,bytes) 54\n",
		},
		{
			name: "state variables beside a function: inserted, retyped, appended at the closing brace",
			diff: `--- a/S.sol
+++ b/S.sol
@@ -8,9 +8,10 @@ contract S {
     uint256 public a;
+    uint256 public inserted;
     address public b;
-    uint128 public c;
+    uint256 public c;
 
     function f() external {}
 
     uint256 public d;
+    bool public last;
 }
`,
			want: "storage-inserted S - 9\nstorage-retyped S - 11\nstorage-appended S - 16\n",
		},
		{
			name: "new file is read whole; other files are ignored",
			diff: `diff --git a/N.sol b/N.sol
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/N.sol
@@ -0,0 +1,5 @@
+pragma solidity ^0.8.20;
+contract N {
+    uint256 x;
+    function k() external { selfdestruct(payable(msg.sender)); }
+}
diff --git a/README.md b/README.md
--- a/README.md
+++ b/README.md
@@ -1 +1 @@
-delegatecall
+selfdestruct(
`,
			want: "contract-added N - 2\nselfdestruct-added N k() 4\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fcs, err := DiffUnified([]byte(tt.diff))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(expected(flatten(fcs))); got != tt.want {
				t.Errorf("\ngot:\n%s\nwant:\n%s", got, tt.want)
				for _, fc := range fcs {
					t.Logf("%s whole=%v note=%q", fc.Path, fc.Whole, fc.Note)
				}
			}
		})
	}
}

// TestDiffUnifiedAmbiguousComment: a hunk whose first */ may close a
// comment the hunk starts in, or sit in a // comment of code, cannot be
// read with confidence; a real comment tail can.
func TestDiffUnifiedAmbiguousComment(t *testing.T) {
	for _, tc := range []struct{ name, diff, want string }{
		{"changed code before a */ in a // comment", `--- a/R.sol
+++ b/R.sol
@@ -12,8 +12,8 @@ contract Router {
     function hook(address target, bytes calldata data) external {
         calls += 1;
-        target;
+        (bool ok, ) = target.delegatecall(data);
+        require(ok, "hook failed"); // see (*/ marks optional args)
     }
`, "the hunk at line 12 opens with changed code before a */"},
		{"code and the */ on one changed line", `--- a/R.sol
+++ b/R.sol
@@ -12,4 +12,4 @@ contract Router {
     function hook(address target, bytes calldata data) external {
-        target;
+        target.delegatecall(data); // */
     }
`, "the hunk at line 12 opens with changed code before a */"},
		{"a doc comment's tail edited", `--- a/R.sol
+++ b/R.sol
@@ -12,5 +12,5 @@ contract Router {
-     * @notice Old words.
+     * @notice New words.
      */
     function hook() external {}
 }
`, ""},
	} {
		fcs, err := DiffUnified([]byte(tc.diff))
		if err != nil || len(fcs) != 1 {
			t.Fatalf("%s: %v, %d files", tc.name, err, len(fcs))
		}
		if got := fcs[0].Unread; !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%s: unread %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDiffUnifiedError(t *testing.T) {
	_, err := DiffUnified([]byte("--- a/V.sol\n+++ b/V.sol\n@@ -x +y @@\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "solidity: unified diff: ") {
		t.Errorf("got %v, want a solidity: unified diff: error", err)
	}
}
