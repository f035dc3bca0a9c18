package prompts

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"

	"github.com/txguard/txguard/guard"
)

func cacheFiles(t *testing.T, dir string) ([]string, error) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, answerStream(goodAnswer))
	cfg := testConfig(t, f)
	a := mustAuditor(t, cfg)
	first := a.Review(ctx, approvalVerdict(t, ""), nil)
	if first.Status != guard.StatusOK || first.Record["cache"] != "miss" {
		t.Fatalf("first review = %s (%s), cache %v; want ok, miss", first.Status, first.Reason, first.Record["cache"])
	}
	files, err := cacheFiles(t, cfg.CacheDir)
	if err != nil || len(files) != 1 {
		t.Fatalf("cache holds %v (%v), want one file", files, err)
	}
	path := filepath.Join(cfg.CacheDir, files[0])
	if st, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v (%v), want 0600", st.Mode(), err)
	}

	// The same auditor: a hit without touching the server at all.
	requests, _ := f.counts()
	hit := a.Review(ctx, approvalVerdict(t, ""), nil)
	if after, _ := f.counts(); after != requests {
		t.Errorf("a cache hit made %d requests", after-requests)
	}
	if hit.Status != guard.StatusOK || hit.Record["cache"] != "hit" || hit.Summary != first.Summary || *hit.Level != *first.Level || len(hit.Findings) != len(first.Findings) {
		t.Errorf("second review = %+v, want the first from the cache", hit)
	}

	// A new auditor (the next run): only the model list, no chat.
	_, chats := f.counts()
	if r := mustAuditor(t, cfg).Review(ctx, approvalVerdict(t, ""), nil); r.Record["cache"] != "hit" {
		t.Errorf("next run: cache %v, want hit", r.Record["cache"])
	}
	if _, after := f.counts(); after != chats {
		t.Errorf("next run chatted %d times, want 0", after-chats)
	}

	tests := []struct {
		name   string
		setup  func(t *testing.T, f *fakeOllama, cfg *Config) // changes the server or the config
		intent string
		want   string // cache record
		chats  int    // chat requests it makes
	}{
		{name: "same input", want: "hit", chats: 0},
		{name: "another intent misses", intent: "revoke my approval", want: "miss", chats: 1},
		{name: "another model digest misses", setup: func(t *testing.T, f *fakeOllama, cfg *Config) {
			f.models = []api.ListModelResponse{listed(DefaultModel, "ffff")}
		}, want: "miss", chats: 1},
		{name: "another num_predict misses", setup: func(t *testing.T, f *fakeOllama, cfg *Config) {
			cfg.NumPredict = 300
		}, want: "miss", chats: 1},
		{name: "a corrupt file is ignored", setup: func(t *testing.T, f *fakeOllama, cfg *Config) {
			if err := os.WriteFile(path, []byte(`{"key":`), 0o600); err != nil {
				t.Fatal(err)
			}
		}, want: "miss", chats: 1},
		{name: "then rewritten", want: "hit", chats: 0},
		{name: "a file for another key is ignored", setup: func(t *testing.T, f *fakeOllama, cfg *Config) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(string(b), files[0][:8], "00000000", 1)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, want: "miss", chats: 1},
		{name: "--no-cache neither reads nor writes", setup: func(t *testing.T, f *fakeOllama, cfg *Config) {
			cfg.NoCache = true
		}, want: "off", chats: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := goodAnswer
			if tt.intent != "" {
				ans = strings.Replace(ans, `"intent_match":null`, `"intent_match":"no"`, 1)
			}
			f := newFake(t, answerStream(ans))
			c := cfg
			c.Host = f.URL
			if tt.setup != nil {
				tt.setup(t, f, &c)
			}
			r := mustAuditor(t, c).Review(ctx, approvalVerdict(t, tt.intent), nil)
			if r.Status != guard.StatusOK || r.Record["cache"] != tt.want {
				t.Errorf("Review = %s (%s), cache %v; want ok, %s", r.Status, r.Reason, r.Record["cache"], tt.want)
			}
			if _, chats := f.counts(); chats != tt.chats {
				t.Errorf("%d chat requests, want %d", chats, tt.chats)
			}
		})
	}
}

func TestCacheMissing(t *testing.T) {
	c := &cache{dir: t.TempDir()}
	if ans, e := c.load("k", false); ans != nil || e != nil {
		t.Errorf("load = %+v, want a miss", ans)
	}
}
