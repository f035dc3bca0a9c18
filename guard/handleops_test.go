package guard

import (
	"strings"
	"testing"
)

// TestHandleOpsUnread: a bundler's handleOps transaction whose operation
// deploys its account through an unknown factory, or hands a paymaster
// data, is not OK with nothing unread (a black-box review found it was):
// TG609 names each part, as it does for the operation signed on its own;
// a bundle of operations with neither stays OK.
func TestHandleOpsUnread(t *testing.T) {
	tests := []struct {
		file  string
		level Level
		parts []string // what TG609 findings name, in order
	}{
		{"../fixtures/calls/entrypoint-handleops.hex", OK, nil},
		{"../decode/testdata/shown/handleops-unknown-factory.hex", Caution, []string{"not a known account factory", "setup data"}},
		{"../decode/testdata/shown/handleops-initcode-paymaster.hex", Caution, []string{"not a known account factory", "setup data", "paymasterData"}},
		{"../decode/testdata/shown/handleops-v06.hex", Caution, []string{"not a known account factory", "setup data", "paymasterData"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			v := checkFile(t, tt.file, Config{Chain: 1, Now: fixedNow})
			if v.Level != tt.level {
				t.Errorf("level %s, want %s", v.Level, tt.level)
			}
			var got []Finding
			for _, f := range v.Findings {
				if f.Rule == "TG609" {
					got = append(got, f)
				}
			}
			if len(got) != len(tt.parts) {
				t.Fatalf("%d TG609 findings, want %d: %+v", len(got), len(tt.parts), got)
			}
			for i, part := range tt.parts {
				if !strings.Contains(got[i].Explanation, part) || got[i].Evidence != "tx.call.args.ops[0]" {
					t.Errorf("finding %d: %q at %s, want it to name %q at tx.call.args.ops[0]", i, got[i].Explanation, got[i].Evidence, part)
				}
			}
			if len(tt.parts) > 0 && len(v.Coverage.NotRead) != len(tt.parts) {
				t.Errorf("coverage not read: %q", v.Coverage.NotRead)
			}
		})
	}
}
