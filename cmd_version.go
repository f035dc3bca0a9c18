package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/txguard/txguard/guard"
)

// buildInfo is what `txguard version` reports: the module's own version as
// the go command recorded it, so `go install …@v1.2.0` says v1.2.0 and a
// `go build` in a checkout says its commit and whether the tree was dirty.
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Time     string `json:"commitTime,omitempty"`
	Dirty    bool   `json:"dirty,omitempty"`
	Ruleset  string `json:"ruleset"`
	Geth     string `json:"goEthereum"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// version is set at link time by release builds (-ldflags "-X
// main.version=v1.2.3"); otherwise the build info says.
var version = ""

var readBuild = sync.OnceValue(func() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return buildInfoOf(bi, version)
})

// buildInfoOf reads what the go command recorded (bi may be nil: a binary
// built without module support); linked, when set, is the version a
// release build linked in, and wins.
func buildInfoOf(bi *debug.BuildInfo, linked string) buildInfo {
	b := buildInfo{Version: "(devel)", Ruleset: guard.RulesetVersion, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Geth: "unknown"}
	if bi != nil {
		if v := bi.Main.Version; v != "" {
			b.Version = v // "(devel)" for go build, "v1.2.3" or a pseudo-version for go install
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Dirty = s.Value == "true"
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/ethereum/go-ethereum" {
				b.Geth = d.Version
				if d.Replace != nil {
					b.Geth = d.Replace.Version + " (replaced)"
				}
			}
		}
	}
	if linked != "" {
		b.Version = linked
	}
	return b
}

// toolVersion is the one-word version: for SARIF's tool.driver.version and
// the first line of `txguard version`.
func toolVersion() string { return versionOf(readBuild()) }

func versionOf(b buildInfo) string {
	v := b.Version
	switch {
	case v == "(devel)" && b.Commit != "":
		v = "devel-" + shortCommit(b.Commit)
	case v == "(devel)":
		v = "devel" // go build without VCS stamping: nothing more is known
	}
	// Go 1.24 and later stamp a go build from a checkout with a
	// pseudo-version that already says +dirty.
	if b.Dirty && !strings.HasSuffix(v, "+dirty") {
		v += "+dirty"
	}
	return v
}

func shortCommit(c string) string { return c[:min(len(c), 12)] }

// versionText is `txguard version` and `txguard --version`.
func versionText() string {
	b := readBuild()
	var s strings.Builder
	fmt.Fprintf(&s, "txguard %s\n", toolVersion())
	if b.Commit != "" {
		fmt.Fprintf(&s, "commit:       %s", b.Commit)
		if b.Time != "" {
			fmt.Fprintf(&s, " (%s)", b.Time)
		}
		if b.Dirty {
			s.WriteString(", with uncommitted changes")
		}
		s.WriteString("\n")
	} else {
		// go build -buildvcs=false, or a build outside a checkout.
		s.WriteString("commit:       unknown (built without version control information)\n")
	}
	fmt.Fprintf(&s, "rules:        %s\ngo-ethereum:  %s\ngo:           %s %s\n", b.Ruleset, b.Geth, b.Go, b.Platform)
	return s.String()
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print txguard's version, commit, ruleset and go-ethereum versions",
		Flags: []cli.Flag{formatFlag, jsonFlag},
		Action: func(c *cli.Context) error {
			format, err := outputFormat(c, "text", "json")
			if err != nil {
				return err
			}
			if format == "json" {
				b, _ := json.MarshalIndent(readBuild(), "", "  ")
				return writeOut(c, append(b, '\n'))
			}
			return writeOut(c, []byte(versionText()))
		},
	}
}
