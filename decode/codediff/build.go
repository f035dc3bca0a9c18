package codediff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	godiff "github.com/sourcegraph/go-diff/diff"

	"github.com/txguard/txguard/decode/solc"
)

// TextLevel is the note every verdict of a reading from source text (not
// from the compiler's output) carries.
const TextLevel = "read from the source text, not from the compiler's output: no call graph, no resolved inheritance or constants; for that, give build outputs (txguard diff --build OLD NEW, or --git with --build-cmd)"

// FromBuilds compares two builds (solc standard-JSON output, build-info
// files or the directories holding them) by the compiler's facts.
func FromBuilds(oldPath, newPath string) (*Diff, error) {
	// The two sides decode at once: decoding is most of the time.
	var o, n *solc.Build
	var oErr, nErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		o, oErr = solc.Load(oldPath)
	}()
	n, nErr = solc.Load(newPath)
	<-done
	if oErr != nil {
		return nil, fmt.Errorf("the old build: %v", oErr)
	}
	if nErr != nil {
		return nil, fmt.Errorf("the new build: %v", nErr)
	}
	return compareBuilds(o, n), nil
}

func compareBuilds(o, n *solc.Build) *Diff {
	d := &Diff{}
	var unjudged []string
	for _, c := range solc.Compare(o, n) {
		switch c.Kind {
		case solc.LayoutUnread:
			// Not read is not passed: an upgradeable contract's layout
			// the build does not hold is a part of the change unaudited.
			d.Unread = append(d.Unread, Unread{c.Path, c.Detail})
			continue
		case solc.SourceUnjudged:
			unjudged = append(unjudged, c.Path)
			continue
		}
		d.Build = append(d.Build, c)
	}
	if len(unjudged) > 0 {
		// One line for them all: an upgrade of a library touches dozens.
		d.Notes = append(d.Notes, fmt.Sprintf("%d changed files hold code no deployable contract of the build inherits or calls, so no rule judged them (audit them where they are deployed): %s",
			len(unjudged), strings.Join(unjudged, ", ")))
	}
	for _, side := range []struct {
		b    *solc.Build
		name string
	}{{o, "old"}, {n, "new"}} {
		if len(side.b.Errors) > 0 {
			first, _, _ := strings.Cut(side.b.Errors[0], "\n")
			d.Unread = append(d.Unread, Unread{strings.Join(side.b.From, ", "),
				fmt.Sprintf("the %s build has %d compiler errors (first: %s): what it says is not the code that would ship", side.name, len(side.b.Errors), first)})
		}
	}
	for _, p := range sortedUnion(o.Sources, n.Sources) {
		oldSrc, inOld := o.Sources[p]
		newSrc, inNew := n.Sources[p]
		d.Files = append(d.Files, FileStatus{p, status(inOld, inNew, inOld && inNew && oldSrc.Hash == newSrc.Hash)})
	}
	return d
}

func sortedUnion[V any](a, b map[string]V) []string {
	m := maps.Clone(a)
	for k, v := range b {
		m[k] = v
	}
	return slices.Sorted(maps.Keys(m))
}

// pins are files that choose which dependency code a build compiles: a
// change to one is a change to the code, unseen without the build.
var pins = map[string]bool{
	"foundry.toml": true, "remappings.txt": true, "package.json": true, "package-lock.json": true,
	"yarn.lock": true, "pnpm-lock.yaml": true, ".gitmodules": true, "hardhat.config.js": true, "hardhat.config.ts": true,
}

const (
	vyperReason = "a Vyper file: txguard reads Solidity only, so this change is not audited"
	pinReason   = "a dependency pin or build setting: the code it selects is not in the change; give build outputs (--build or --build-cmd) to audit it"
)

func isVyper(name string) bool { return path.Ext(name) == ".vy" || path.Ext(name) == ".vyi" }

// concern is why a file of a directory side is not read but matters when
// it changes (Vyper, a dependency pin); "" for other files.
func concern(name string) string {
	switch {
	case isVyper(name):
		return vyperReason
	case pins[path.Base(name)]:
		return pinReason
	}
	return ""
}

// Concerns are what a git range changes besides the sources a reading
// compares: files no reader reads (Vyper), dependency pins and submodule
// bumps (unseen without build outputs), and the CI workflows that run
// this check.
func Concerns(dir string, r Range, paths []string, haveBuild bool) (unread []Unread, workflows []string, err error) {
	args := append([]string{"diff", "--raw", "--no-renames", "-z", "--end-of-options", r.Base, r.Head, "--"}, paths...)
	out, err := git(dir, args...)
	if err != nil {
		return nil, nil, err
	}
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		meta, name := strings.Fields(fields[i]), fields[i+1]
		submodule := len(meta) >= 2 && (meta[0] == ":160000" || meta[1] == "160000")
		switch {
		case isWorkflow(name):
			workflows = append(workflows, name)
		case isVyper(name):
			unread = append(unread, Unread{name, vyperReason})
		case haveBuild:
			// The builds hold every source the compiler read, the
			// dependencies' included: a pin or submodule change shows
			// there as changed sources.
		case submodule:
			unread = append(unread, Unread{name, "a submodule bump: the dependency code it brings is not in the range; give build outputs (--build or --build-cmd) to audit it"})
		case pins[path.Base(name)]:
			unread = append(unread, Unread{name, pinReason})
		}
	}
	return unread, workflows, nil
}

// Range is a git revision range resolved once (a merge base looked up),
// so that everything read of it reads the same two revisions.
type Range struct{ Base, Head string }

// ResolveRange reads BASE..HEAD, BASE...HEAD (from their merge base, as a
// pull request is compared) or BASE (to HEAD) in the repository at dir.
func ResolveRange(dir, revs string) (Range, error) {
	base, head, err := resolveRange(dir, revs)
	return Range{base, head}, err
}

func resolveRange(dir, revs string) (base, head string, err error) {
	base, head, ok := strings.Cut(revs, "..")
	if !ok {
		head = "HEAD"
	}
	mergeBase := strings.HasPrefix(head, ".") // BASE...HEAD
	head = strings.TrimPrefix(head, ".")
	if base == "" || head == "" || strings.HasPrefix(base, "-") || strings.HasPrefix(head, "-") {
		return "", "", fmt.Errorf("codediff: %q is not a revision range (want BASE..HEAD)", revs)
	}
	if mergeBase {
		mb, err := git(dir, "merge-base", "--end-of-options", base, head)
		if err != nil {
			return "", "", err
		}
		base = strings.TrimSpace(string(mb))
	}
	return base, head, nil
}

// BuildGit builds both sides of a git range with a command (`forge build
// --build-info --extra-output storageLayout`, `npx hardhat compile`) in
// temporary worktrees and compares the builds. Progress and the build's
// own output go to log. A side that does not build is a finding (not
// audited), not an error: the change may be what broke it.
func BuildGit(ctx context.Context, dir string, r Range, cmd string, timeout time.Duration, log *os.File) (*Diff, error) {
	base, head := r.Base, r.Head
	tmp, err := os.MkdirTemp("", "txguard-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var builds [2]*solc.Build
	var unread []Unread
	for i, rev := range []string{base, head} {
		wt := filepath.Join(tmp, []string{"base", "head"}[i])
		if _, err := git(dir, "worktree", "add", "--detach", "--force", wt, rev); err != nil {
			return nil, err
		}
		defer git(dir, "worktree", "remove", "--force", wt)
		fmt.Fprintf(log, "txguard: building %s in %s: %s\n", rev, wt, cmd)
		if reason := runBuild(ctx, wt, cmd, timeout, log); reason != "" {
			unread = append(unread, Unread{rev, "the build failed: " + reason})
			continue
		}
		b, err := solc.Load(wt)
		if err != nil {
			unread = append(unread, Unread{rev, fmt.Sprintf("the build left no compiler output txguard reads: %v", err)})
			continue
		}
		builds[i] = b
	}
	if builds[0] == nil || builds[1] == nil {
		return &Diff{Unread: unread}, nil
	}
	d := compareBuilds(builds[0], builds[1])
	d.Unread = append(d.Unread, unread...)
	return d, nil
}

// runBuild runs the build command; "" when it succeeded, else why not.
func runBuild(ctx context.Context, dir, cmdline string, timeout time.Duration, log *os.File) string {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Dir = dir
	var tail bytes.Buffer
	cmd.Stdout = log
	cmd.Stderr = &tailWriter{w: log, tail: &tail}
	err := cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Sprintf("it took longer than %s", timeout)
	case err != nil:
		last := strings.TrimSpace(tail.String())
		if i := strings.LastIndexByte(last, '\n'); i >= 0 {
			last = last[i+1:]
		}
		return fmt.Sprintf("%v: %s", err, last)
	}
	return ""
}

// tailWriter copies to w and keeps the last few KiB.
type tailWriter struct {
	w    *os.File
	tail *bytes.Buffer
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.w.Write(p)
	t.tail.Write(p)
	if t.tail.Len() > 8<<10 {
		b := t.tail.Bytes()[t.tail.Len()-4<<10:]
		t.tail.Reset()
		t.tail.Write(b)
	}
	return len(p), nil
}

// isWorkflow: a CI workflow or action definition.
func isWorkflow(name string) bool {
	return strings.HasPrefix(name, ".github/workflows/") || path.Base(name) == "action.yml" || path.Base(name) == "action.yaml"
}

// workflowsIn lists the workflow files a unified diff edits.
func workflowsIn(diff []byte) []string {
	fds, err := godiff.ParseMultiFileDiff(diff)
	if err != nil {
		return nil
	}
	var out []string
	for _, fd := range fds {
		name := strings.TrimPrefix(fd.NewName, "b/")
		if fd.NewName == "/dev/null" {
			name = strings.TrimPrefix(fd.OrigName, "a/")
		}
		if isWorkflow(name) {
			out = append(out, name)
		}
	}
	return out
}
