package prompts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadFileConfig(t *testing.T) {
	for _, tc := range []struct {
		name, have string
		want       FileConfig
		wantErr    string
	}{
		{"both", "# mine\nmodel = llama3.2:3b\n\nollama-host = 127.0.0.1:11500\n", FileConfig{Model: "llama3.2:3b", Host: "127.0.0.1:11500"}, ""},
		{"model only", "model=qwen2.5-coder:1.5b", FileConfig{Model: "qwen2.5-coder:1.5b"}, ""},
		{"unknown key", "modle = x\n", FileConfig{}, `config:1: unknown setting "modle"`},
		{"no value", "model =\n", FileConfig{}, "config:1: want key = value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(path, []byte(tc.have), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadFileConfig(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if got, err := LoadFileConfig(filepath.Join(t.TempDir(), "missing")); err != nil || got != (FileConfig{}) {
		t.Errorf("missing file: %+v, %v", got, err)
	}
}
