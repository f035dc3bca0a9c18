package codediff

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	godiff "github.com/sourcegraph/go-diff/diff"

	"github.com/txguard/txguard/decode/solc"
	"github.com/txguard/txguard/decode/solidity"
)

// File statuses.
const (
	Added     = "added"
	Removed   = "removed"
	Modified  = "modified"
	Unchanged = "unchanged"
)

// Diff is what changed between two versions.
type Diff struct {
	// Files is every audited file and how it changed, sorted by path.
	Files []FileStatus `json:"files"`
	// Source is what changed in Solidity sources.
	Source []solidity.Change `json:"source,omitempty"`
	// Build is what changed in the compiler's facts (diff --build).
	Build []solc.Change `json:"build,omitempty"`
	// Workflows are CI workflow files the change edits: the check's own
	// configuration, which a pull request should not quietly change.
	Workflows []string `json:"workflows,omitempty"`
	// Code is what changed in bytecode.
	Code []CodeChange `json:"code,omitempty"`
	// Unread lists files the audit could not read, and why: they are not
	// audited, and guard says so.
	Unread []Unread `json:"unread,omitempty"`
	// Notes say what the audit could see only in part (a file of a
	// unified diff read hunk by hunk).
	Notes []string `json:"notes,omitempty"`
}

// FileStatus is one file of a diff.
type FileStatus struct {
	Path   string `json:"path"`
	Status string `json:"status"` // Added, Removed, Modified or Unchanged
}

// Unread is a file the audit could not read.
type Unread struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// status names how a file changed.
func status(inOld, inNew, same bool) string {
	switch {
	case !inOld:
		return Added
	case !inNew:
		return Removed
	case same:
		return Unchanged
	}
	return Modified
}

// Compare compares two sides file by file: Solidity structurally (a
// contract that moved between files is matched by name), bytecode by its
// analysis.
func Compare(old, new Side) *Diff {
	d := &Diff{}
	oldSol, newSol := map[string]*solidity.File{}, map[string]*solidity.File{}
	moved := movedFiles(old, new)
	for _, p := range paths(old, new) {
		o, inOld := old[p]
		n, inNew := new[p]
		same := bytes.Equal(o, n)
		if reason := concern(p); reason != "" {
			// Not read, and not silently passed when it changed.
			if !same {
				d.Files = append(d.Files, FileStatus{p, status(inOld, inNew, false)})
				d.Unread = append(d.Unread, Unread{p, reason})
			}
			continue
		}
		d.Files = append(d.Files, FileStatus{p, status(inOld, inNew, same)})
		if path.Ext(p) != ".sol" {
			if !moved[p] {
				d.compareCode(p, o, n, inOld, inNew)
			}
			continue
		}
		if inOld {
			d.scan(oldSol, p, o, "the old version")
		}
		if inNew {
			d.scan(newSol, p, n, "the new version")
		}
	}
	d.Source = solidity.DiffSet(oldSol, newSol)
	return d
}

// movedFiles are the paths of files only one side has whose very bytes
// the other side has under another path: a move, not code added and
// removed. (Solidity needs no such care: DiffSet matches contracts by name.)
func movedFiles(old, new Side) map[string]bool {
	gone := map[string]bool{}
	for p, b := range old {
		if _, ok := new[p]; !ok {
			gone[string(b)] = true
		}
	}
	moved := map[string]bool{}
	came := map[string]bool{}
	for p, b := range new {
		if _, ok := old[p]; !ok && gone[string(b)] {
			moved[p], came[string(b)] = true, true
		}
	}
	for p, b := range old {
		if _, ok := new[p]; !ok && came[string(b)] {
			moved[p] = true
		}
	}
	return moved
}

// scan reads one Solidity file into files, or records why it could not.
func (d *Diff) scan(files map[string]*solidity.File, p string, src []byte, side string) {
	f, err := solidity.Scan(src)
	if err != nil {
		d.Unread = append(d.Unread, Unread{p, fmt.Sprintf("%s does not scan: %v", side, err)})
		return
	}
	f.Path = p
	files[p] = f
}

// FromUnified reads a unified diff (git diff, diff -u). A Solidity file
// the diff holds whole is compared structurally; any other is read hunk by
// hunk, which sees less, and a note says so. A bytecode file (.hex, .bin:
// one line of hex) is always whole in a diff, and is compared as Compare
// does.
func FromUnified(diff []byte) (*Diff, error) {
	fcs, err := solidity.DiffUnified(diff)
	if err != nil {
		return nil, fmt.Errorf("codediff: %v", err)
	}
	d := &Diff{}
	if err := d.unifiedCode(diff); err != nil {
		return nil, err
	}
	d.Workflows = workflowsIn(diff)
	for _, fc := range fcs {
		d.Files = append(d.Files, FileStatus{fc.Path, status(fc.OldPath != "", !fc.Deleted, false)})
		d.Source = append(d.Source, fc.Changes...)
		if fc.Unread != "" {
			d.Unread = append(d.Unread, Unread{fc.Path, fc.Unread})
		}
		if !fc.Whole {
			note := fc.Path + ": read hunk by hunk"
			if fc.Note != "" {
				note += " (" + fc.Note + ")"
			}
			d.Notes = append(d.Notes, note+"; for a structural comparison give both versions, e.g. txguard diff --git BASE..HEAD")
		}
	}
	slices.SortFunc(d.Files, func(a, b FileStatus) int { return cmp.Compare(a.Path, b.Path) })
	return d, nil
}

// unifiedCode compares the bytecode files of a unified diff. Both versions
// are rebuilt from the hunks; a hunk that does not start at the first line
// means the file is not one line of hex, and it is not read.
func (d *Diff) unifiedCode(diff []byte) error {
	fds, err := godiff.ParseMultiFileDiff(diff)
	if err != nil {
		return fmt.Errorf("codediff: %v", err)
	}
	if len(fds) == 0 {
		// Text with no file in it (a --stat, a log, a wrong paste) is not
		// an empty change to pass.
		return fmt.Errorf("codediff: no file in the diff: want a unified diff (git diff, diff -u)")
	}
	for _, fd := range fds {
		if len(fd.Hunks) == 0 {
			continue // a rename or a mode change: the content is the same
		}
		name := strings.TrimPrefix(fd.NewName, "b/")
		if fd.NewName == "/dev/null" {
			name = strings.TrimPrefix(fd.OrigName, "a/")
		}
		if path.Ext(name) == ".sol" || !audited(name) {
			continue
		}
		var old, new bytes.Buffer
		whole := true
		for _, h := range fd.Hunks {
			whole = whole && h.OrigStartLine <= 1 && h.NewStartLine <= 1
			for _, l := range bytes.SplitAfter(h.Body, []byte("\n")) {
				if len(l) == 0 {
					continue
				}
				switch l[0] {
				case ' ':
					old.Write(l[1:])
					new.Write(l[1:])
				case '-':
					old.Write(l[1:])
				case '+':
					new.Write(l[1:])
				}
			}
		}
		inOld, inNew := fd.OrigName != "/dev/null", fd.NewName != "/dev/null"
		d.Files = append(d.Files, FileStatus{name, status(inOld, inNew, false)})
		if !whole {
			d.Unread = append(d.Unread, Unread{name, "the diff shows only part of it: bytecode is compared whole, so give both versions (txguard diff OLD NEW)"})
			continue
		}
		d.compareCode(name, old.Bytes(), new.Bytes(), inOld, inNew)
	}
	return nil
}
