package guard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXferDump(t *testing.T) {
	pat := os.Getenv("XDUMP")
	if pat == "" {
		t.Skip()
	}
	cfg := fixtureConfig(t)
	for _, group := range []string{"rules", "benign", "calls", "tx", "request", "sign", "bytecode"} {
		for _, path := range inputs(t, group) {
			if !strings.HasPrefix(filepath.Base(path), pat) && pat != "all" {
				continue
			}
			v := checkFile(t, path, cfg)
			fmt.Printf("== %s/%s  level=%s\n", group, filepath.Base(path), v.Level)
			for _, f := range v.Findings {
				if f.Rule < "TG301" || f.Rule > "TG499" {
					fmt.Printf("   (%s %s)\n", f.Rule, f.Severity)
					continue
				}
				fmt.Printf("   %s %s %q\n      %s\n      ev=%s\n      adv=%s\n", f.Rule, f.Severity, f.Title, f.Explanation, f.Evidence, f.Advice)
			}
		}
	}
}
