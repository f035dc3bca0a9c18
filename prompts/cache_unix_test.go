//go:build unix

package prompts

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/txguard/txguard/guard"
)

// TestCachePlanted: whatever is planted at an entry's path, the check
// goes on: a miss (and a fresh review) unless it is a small regular file
// holding an answer that passes the same validation as a fresh one. No
// wait on a FIFO, no endless read of /dev/zero, no error.
func TestCachePlanted(t *testing.T) {
	f := newFake(t, answerStream(goodAnswer))
	cfg := testConfig(t, f)
	if r := mustAuditor(t, cfg).Review(context.Background(), approvalVerdict(t, ""), nil); r.Record["cache"] != "miss" {
		t.Fatalf("first review: cache %v, want miss", r.Record["cache"])
	}
	files, err := cacheFiles(t, cfg.CacheDir)
	if err != nil || len(files) != 1 {
		t.Fatalf("cache holds %v (%v), want one file", files, err)
	}
	path := filepath.Join(cfg.CacheDir, files[0])
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// entry writes the stored entry back with some fields changed.
	entry := func(t *testing.T, edit func(m map[string]any)) {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	withAnswer := func(edit func(m map[string]any)) func(t *testing.T) {
		return func(t *testing.T) {
			entry(t, func(m map[string]any) { m["answer"] = answerJSON(t, false, edit) })
		}
	}
	elsewhere := filepath.Join(t.TempDir(), "entry.json")
	if err := os.WriteFile(elsewhere, good, 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		plant func(t *testing.T)
		want  string // cache record
	}{
		{"the stored entry", func(t *testing.T) { os.WriteFile(path, good, 0o600) }, "hit"},
		{"a FIFO", func(t *testing.T) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Skip(err)
			}
		}, "miss"},
		{"a symlink to /dev/zero", func(t *testing.T) { symlink(t, "/dev/zero", path) }, "miss"},
		{"a symlink to a good entry", func(t *testing.T) { symlink(t, elsewhere, path) }, "miss"},
		{"a directory", func(t *testing.T) { os.Mkdir(path, 0o700) }, "miss"},
		{"an oversized entry", func(t *testing.T) {
			os.WriteFile(path, append(bytes.Clone(good), bytes.Repeat([]byte(" "), maxEntry)...), 0o600)
		}, "miss"},
		{"a level outside the enum", withAnswer(func(m map[string]any) { m["level"] = "safe" }), "miss"},
		{"a severity outside the enum", withAnswer(func(m map[string]any) { m["findings"].([]any)[0].(map[string]any)["severity"] = "none" }), "miss"},
		{"an overlong summary", withAnswer(func(m map[string]any) { m["summary"] = strings.Repeat("a", maxSummary+1) }), "miss"},
		{"findings beyond the bound", withAnswer(func(m map[string]any) {
			f := m["findings"].([]any)
			for len(f) <= maxFindings {
				f = append(f, f[0])
			}
			m["findings"] = f
		}), "miss"},
		{"an extra field", withAnswer(func(m map[string]any) { m["verdict"] = "approve" }), "miss"},
		{"an intent match when none was asked", withAnswer(func(m map[string]any) { m["intent_match"] = "yes" }), "miss"},
		{"not an answer", func(t *testing.T) { entry(t, func(m map[string]any) { m["answer"] = "ok" }) }, "miss"},
		{"attempts out of range", func(t *testing.T) { entry(t, func(m map[string]any) { m["attempts"] = 1e9 }) }, "miss"},
		{"a valid planted answer", withAnswer(func(m map[string]any) { m["summary"] = "planted" }), "hit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.RemoveAll(path)
			tt.plant(t)
			f := newFake(t, answerStream(goodAnswer))
			c := cfg
			c.Host = f.URL
			done := make(chan *guard.ModelReview, 1)
			go func() { done <- mustAuditor(t, c).Review(context.Background(), approvalVerdict(t, ""), nil) }()
			var r *guard.ModelReview
			select {
			case r = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Review hangs on the cache entry")
			}
			if r.Status != guard.StatusOK || r.Record["cache"] != tt.want {
				t.Fatalf("Review = %s (%s), cache %v; want ok, %s", r.Status, r.Reason, r.Record["cache"], tt.want)
			}
			wantChats, wantSummary := 1, "You are giving an unknown address unlimited access to your USDC."
			if tt.want == "hit" {
				wantChats = 0
				if strings.Contains(tt.name, "planted") {
					wantSummary = "planted"
				}
			}
			if _, chats := f.counts(); chats != wantChats {
				t.Errorf("%d chat requests, want %d", chats, wantChats)
			}
			if r.Summary != wantSummary {
				t.Errorf("summary %q, want %q", r.Summary, wantSummary)
			}
		})
	}
}

func symlink(t *testing.T, target, path string) {
	if err := os.Symlink(target, path); err != nil {
		t.Skip(err)
	}
}
