package main

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/txguard/txguard/fixtures"
)

var updateCommands = flag.Bool("update", false, "rewrite the golden outputs in fixtures/golden/commands")

// TestCommandGoldens: what inspect and diff print, in every format, for
// the real binary.
func TestCommandGoldens(t *testing.T) {
	formats := map[string]string{"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif"}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"inspect-erc20-runtime", "", []string{"inspect", "fixtures/bytecode/oz-erc20-runtime.hex"}, exitOK},
		{"inspect-oz-erc20-creation", "", []string{"inspect", "fixtures/bytecode/oz-erc20-creation.hex"}, exitOK},
		{"inspect-delegatecall-from-calldata", "", []string{"inspect", "fixtures/rules/TG802-fire-delegatecall-from-calldata.hex"}, exitBlocked},
		{"inspect-eip1967-proxy", "", []string{"inspect", "fixtures/rules/TG806-fire-eip1967-proxy.hex"}, exitOK},
		{"diff-storage-slot-shift", "", []string{"diff", "fixtures/diff/storage-slot-shift/old", "fixtures/diff/storage-slot-shift/new"}, exitBlocked},
		{"diff-onlyrole-removed", "", []string{"diff", "fixtures/diff/onlyrole-removed/old", "fixtures/diff/onlyrole-removed/new"}, exitBlocked},
		{"diff-quiet-formatting", "", []string{"diff", "fixtures/diff/quiet-formatting/old", "fixtures/diff/quiet-formatting/new"}, exitOK},
		{"diff-unified-hunks", readFile(t, "fixtures/rules/TG902-fire-onlyowner-lost-hunks.diff"), []string{"diff"}, exitBlocked},
		{"diff-bytecode-delegatecall-added", readFile(t, "fixtures/rules/TG922-fire-delegatecall-added.diff"), []string{"diff", "-"}, exitBlocked},
	} {
		for format, ext := range formats {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				args := append([]string{tc.args[0], "--no-llm", "--format", format}, tc.args[1:]...)
				r := runBinary(t, tc.stdin, args...)
				if r.code != tc.code {
					t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.stderr)
				}
				fixtures.Golden(t, filepath.Join("fixtures", "golden", "commands", tc.name+"."+ext), []byte(r.stdout), *updateCommands)
			})
		}
	}
}
