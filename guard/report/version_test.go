package report

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	const rev = "3e3250f1a2b3c4d5e6f708192a3b4c5d6e7f8091"
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, c := range []struct {
		name     string
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{"go install of a release", "v1.4.0", nil, "v1.4.0"},
		{"a release built from its checkout", "v1.4.0", settings("vcs.revision", rev, "vcs.modified", "false"), "v1.4.0+3e3250f1a2b3"},
		{"a pseudo-version already names the commit", "v0.0.0-20261207032811-3e3250f1a2b3", settings("vcs.revision", rev),
			"v0.0.0-20261207032811-3e3250f1a2b3"},
		{"a dirty pseudo-version", "v0.0.0-20261207032811-3e3250f1a2b3+dirty", settings("vcs.revision", rev, "vcs.modified", "true"),
			"v0.0.0-20261207032811-3e3250f1a2b3+dirty"},
		{"a tag with build metadata", "v1.4.0+incompatible", settings("vcs.revision", rev), "v1.4.0+incompatible.3e3250f1a2b3"},
		{"a checkout with no version", "(devel)", settings("vcs.revision", rev, "vcs.modified", "true"), "devel+3e3250f1a2b3.dirty"},
		{"a short revision", "(devel)", settings("vcs.revision", "abc"), "devel+abc"},
		{"nothing known", "(devel)", nil, ""},
		{"a test binary", "", nil, ""},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/txguard/txguard", Version: c.version}, Settings: c.settings}
		if got := buildVersion(bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestToolVersion(t *testing.T) {
	if got := toolVersion("v2.0.1"); got != "v2.0.1" {
		t.Errorf("a given version: %q", got)
	}
	// A test binary records no module version and no VCS stamp, so "dev"
	// and "" fall through to whatever it has, and that is never "dev".
	bi, _ := debug.ReadBuildInfo()
	for _, given := range []string{"", "dev"} {
		if got, want := toolVersion(given), buildVersion(bi); got != want || got == "dev" {
			t.Errorf("toolVersion(%q) = %q, want the build's %q", given, got, want)
		}
	}
}
