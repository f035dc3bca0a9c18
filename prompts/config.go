package prompts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/txguard/txguard/decode/userfile"
)

// FileConfig is what the user's config file may set: the model and the
// Ollama host, so they need not be typed on every check.
//
//	# ~/.config/txguard/config
//	model = qwen2.5-coder:3b
//	ollama-host = 127.0.0.1:11434
//	rpc = http://127.0.0.1:8545
type FileConfig struct {
	Model string
	Host  string
	RPC   string // the user's node, for check's simulation
}

// DefaultConfigPath is txguard/config under the user config directory.
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "txguard", "config")
}

// LoadFileConfig reads a config file; a missing file is an empty config.
func LoadFileConfig(path string) (FileConfig, error) {
	var fc FileConfig
	if path == "" {
		return fc, nil
	}
	b, err := userfile.Read(path, 1<<20)
	if errors.Is(err, os.ErrNotExist) {
		return fc, nil
	}
	if err != nil {
		return fc, fmt.Errorf("prompts: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || value == "" {
			return fc, fmt.Errorf("prompts: %s:%d: want key = value", path, n)
		}
		switch key {
		case "model":
			fc.Model = value
		case "ollama-host":
			fc.Host = value
		case "rpc":
			fc.RPC = value
		default:
			return fc, fmt.Errorf("prompts: %s:%d: unknown setting %q (known: model, ollama-host, rpc)", path, n, key)
		}
	}
	if err := sc.Err(); err != nil {
		return fc, fmt.Errorf("prompts: %s: %v", path, err)
	}
	return fc, nil
}
