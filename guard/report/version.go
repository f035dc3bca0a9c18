package report

import (
	"runtime/debug"
	"strings"
)

// toolVersion is the version SARIF names as tool.driver.version: the one
// main was given, else what the Go toolchain recorded in the binary (the
// module version of `go install …@v1.2.3`, and the commit of a build from
// a checkout). "dev" is what an unreleased main calls itself, which says
// nothing a code-scanning reader can look up. "" when the binary knows
// nothing either: no version at all is better than a made-up one.
func toolVersion(given string) string {
	if given != "" && given != "dev" {
		return given
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	return buildVersion(bi)
}

// buildVersion reads a version from build info: the main module's version
// ("(devel)" when built from a directory, which is no version), with the
// VCS revision added as semver build metadata when the version does not
// already carry it (Go puts the short revision in a pseudo-version), and
// "dirty" when the tree had uncommitted changes.
func buildVersion(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "(devel)" {
		v = ""
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(len(s.Value), 12)]
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var meta []string
	if rev != "" && !strings.Contains(v, rev) {
		meta = append(meta, rev)
	}
	if dirty && !strings.HasSuffix(v, "+dirty") {
		meta = append(meta, "dirty")
	}
	switch {
	case len(meta) == 0:
		return v
	case v == "":
		return "devel+" + strings.Join(meta, ".")
	case strings.Contains(v, "+"):
		return v + "." + strings.Join(meta, ".")
	}
	return v + "+" + strings.Join(meta, ".")
}
