package prompts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadFileConfig(t *testing.T) {
	for _, tc := range []struct {
		name, file, have string
		want             FileConfig
		wantErr          string
	}{
		{"legacy: both", "config", "# mine\nmodel = llama3.2:3b\n\nollama-host = 127.0.0.1:11500\n", FileConfig{Model: "llama3.2:3b", Host: "127.0.0.1:11500"}, ""},
		{"legacy: model only", "config", "model=qwen2.5-coder:1.5b", FileConfig{Model: "qwen2.5-coder:1.5b"}, ""},
		{"legacy: unknown key", "config", "modle = x\n", FileConfig{}, `config:1: unknown setting "modle"`},
		{"legacy: no value", "config", "model =\n", FileConfig{}, "config:1: want key = value"},
		{"legacy: a bool", "config", "no-llm = yes\n", FileConfig{}, "config:1: no-llm wants true or false"},
		{"toml", "config.toml", "# mine\nmodel = \"llama3.2:3b\"\nollama-host = '127.0.0.1:11500'\nrpc = \"http://127.0.0.1:8545\"\n", FileConfig{Model: "llama3.2:3b", Host: "127.0.0.1:11500", RPC: "http://127.0.0.1:8545"}, ""},
		{"toml: unquoted", "config.toml", "\nmodel = llama3.2:3b\n", FileConfig{}, "config.toml:2: not valid TOML"},
		{"toml: unknown key", "config.toml", "model = \"x\"\n\"modle\" = \"y\"\n", FileConfig{}, `config.toml:2: unknown setting "modle"`},
		{"toml: a table", "config.toml", "model = \"x\"\n[ollama]\nhost = \"y\"\n", FileConfig{}, `config.toml:2: unknown setting "ollama"`},
		{"toml: wrong kind", "config.toml", "no-llm = 1\n", FileConfig{}, "config.toml:1: no-llm wants a bool"},
		{"toml: chain as a number", "config.toml", "chain = 8453\n", FileConfig{}, ""},
		{"toml: chain as a float", "config.toml", "chain = 8453.0\n", FileConfig{}, "config.toml:1: chain wants a string or integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.have), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadFileConfig(path)
			if tc.wantErr != "" {
				var ce *ConfigError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ce) {
					t.Fatalf("error %v, want a ConfigError with %q", err, tc.wantErr)
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

func TestLoadFileValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte("# defaults\nno-llm = true\n\nchain = 8453\nfail-on = \"caution\"  # a comment\n"), 0o600)
	f, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Value{"no-llm": {"true", 2}, "chain": {"8453", 4}, "fail-on": {"caution", 5}}
	if len(f.Values) != len(want) || !f.Found || f.Legacy {
		t.Fatalf("got %+v", f)
	}
	for k, v := range want {
		if f.Values[k] != v {
			t.Errorf("%s = %+v, want %+v", k, f.Values[k], v)
		}
	}
}

func TestDefaultConfigPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_CONFIG_DIRS", filepath.Join(home, "system"))
	if got, want := DefaultConfigPath(), filepath.Join(home, "txguard", "config.toml"); got != want {
		t.Errorf("no file: %s, want %s", got, want)
	}
	os.MkdirAll(filepath.Join(home, "txguard"), 0o755)
	legacy := filepath.Join(home, "txguard", "config")
	os.WriteFile(legacy, []byte("model = x\n"), 0o600)
	if got := DefaultConfigPath(); got != legacy {
		t.Errorf("only the legacy file: %s, want %s", got, legacy)
	}
	toml := filepath.Join(home, "txguard", "config.toml")
	os.WriteFile(toml, []byte("model = \"x\"\n"), 0o600)
	if got := DefaultConfigPath(); got != toml {
		t.Errorf("both: %s, want %s", got, toml)
	}
}

// FuzzLoadFile: any file is a config or a ConfigError that names a line
// of the file (or none), never a panic.
func FuzzLoadFile(f *testing.F) {
	for _, s := range []string{"", "no-llm = true\n", "model = x", "[a]\nb = 1", "chain = 8453\nchain = 1\n", "'no-llm' = true", "a.b = 1", "x = [1, 2]"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := LoadFile(path)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Line < 0 || ce.Line > strings.Count(s, "\n")+1 || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q", err)
			}
			return
		}
		for k := range got.Values {
			if _, ok := settingOf(k); !ok {
				t.Fatalf("unknown key %q accepted", k)
			}
		}
	})
}
