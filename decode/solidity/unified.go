package solidity

import (
	"bytes"
	"fmt"
	"strings"

	godiff "github.com/sourcegraph/go-diff/diff"
)

// FileChanges is what a unified diff tells about one .sol file.
type FileChanges struct {
	Path    string // the new path; the old one for a deleted file
	OldPath string // "" for a new file
	Deleted bool   // the diff removes the file
	// Whole is true when both versions (or the one that exists) could be
	// rebuilt from the diff and were compared structurally with Diff.
	Whole bool
	// Note says why a file was read hunk by hunk, when it was.
	Note string
	// Unread says why that reading cannot be trusted: the file is not
	// audited.
	Unread  string
	Changes []Change
}

// DiffUnified reads a unified diff (git diff, diff -u) and reports, for
// every .sol file in it, what can be known.
//
// A file is compared whole (exactly as Diff does) when the diff holds all
// of it: a new or deleted file, or a single hunk that starts at line 1 on
// both sides and whose two sides scan cleanly (git diff -U100000). A single
// hunk from line 1 that merely reaches a balanced point is treated the same:
// what it does not show is unchanged text after the last closed contract.
//
// Every other file is read hunk by hunk, lexically, on the lines the hunks
// show (changed lines and their context). Hunk mode sees:
//   - constructs of concern on added lines (delegatecall, selfdestruct,
//     tx.origin, assembly, unchecked, low-level calls, callcode, create2),
//     minus as many as removed lines had, matched by line text;
//   - function headers that are fully inside a hunk: added or removed
//     public/external functions, lost or gained modifiers, widened
//     visibility; and a removed line that is nothing but a guard-like
//     modifier (onlyX, whenX, nonReentrant, initializer, ...auth...) of a
//     header whose start is out of view;
//   - state variables on changed lines at contract level, when the hunk
//     shows that level (a function, event or other member beside them, a
//     visibility keyword on the line, or one-level indentation under a
//     contract named in the hunk header): removed, retyped, moved, inserted
//     before a variable in view, appended before the contract's closing
//     brace, or storage-added when the hunk shows neither.
//
// Hunk mode cannot see: anything outside the shown lines (which contract or
// function a change sits in, unless the hunk or git's section heading names
// it; whether a variable is declared later; inherited bases declared
// elsewhere), constructs of concern inside a hunk that starts in the
// middle of an assembly block (bare Yul call(...) is then not counted),
// struct shape changes, and per-function counts (moved code is recognised
// only by identical line text within the same file). Its Changes carry no
// Function when the enclosing header is out of view.
//
// The error is for a diff that cannot be parsed at all; a .sol file that
// does not scan is still read by hunks, with Note saying why.
func DiffUnified(diff []byte) ([]FileChanges, error) {
	fds, err := godiff.ParseMultiFileDiff(diff)
	if err != nil {
		return nil, fmt.Errorf("solidity: unified diff: %w", err)
	}
	var out []FileChanges
	oldWhole, newWhole := map[string]*File{}, map[string]*File{}
	wholeAt := map[string]int{} // key -> index in out
	for _, fd := range fds {
		oldPath, newPath := diffName(fd.OrigName), diffName(fd.NewName)
		if !strings.HasSuffix(oldPath, ".sol") && !strings.HasSuffix(newPath, ".sol") {
			continue
		}
		fc := FileChanges{Path: newPath, OldPath: oldPath}
		if newPath == "" {
			fc.Path, fc.Deleted = oldPath, true
		}
		hunks := readHunks(fd.Hunks)
		old, new, note := whole(hunks, oldPath, newPath, fc.Path)
		if note == "" {
			fc.Whole = true
			if old != nil {
				oldWhole[fc.Path] = old
			}
			if new != nil {
				newWhole[fc.Path] = new
			}
			wholeAt[fc.Path] = len(out)
		} else {
			fc.Note = note
			fc.Changes, fc.Unread = hunkChanges(fc.Path, hunks)
		}
		out = append(out, fc)
	}
	for _, c := range DiffSet(oldWhole, newWhole) {
		if i, ok := wholeAt[c.Path]; ok {
			out[i].Changes = append(out[i].Changes, c)
		}
	}
	return out, nil
}

// diffName strips git's a/ and b/ prefixes; /dev/null means no file.
func diffName(name string) string {
	if name == "/dev/null" {
		return ""
	}
	for _, p := range []string{"a/", "b/"} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return rest
		}
	}
	return name
}

// hline is one line of a hunk: op is ' ', '-' or '+'.
type hline struct {
	op       byte
	text     string
	old, new int // line numbers on each side; 0 where the line is absent
}

type hunk struct {
	lines   []hline
	section string // git's heading after @@ ... @@ (often the enclosing contract)
	oldFrom int
	newFrom int
}

func readHunks(hs []*godiff.Hunk) []hunk {
	var out []hunk
	for _, h := range hs {
		hk := hunk{section: h.Section, oldFrom: int(h.OrigStartLine), newFrom: int(h.NewStartLine)}
		o, n := int(h.OrigStartLine), int(h.NewStartLine)
		body := strings.Split(strings.TrimSuffix(string(h.Body), "\n"), "\n")
		if len(h.Body) == 0 {
			body = nil
		}
		for _, l := range body {
			l = strings.TrimSuffix(l, "\r")
			op, text := byte(' '), l
			if l != "" {
				op, text = l[0], l[1:]
			}
			switch op {
			case '+':
				hk.lines = append(hk.lines, hline{op: op, text: text, new: n})
				n++
			case '-':
				hk.lines = append(hk.lines, hline{op: op, text: text, old: o})
				o++
			case '\\':
				// "\ No newline at end of file"
			default:
				hk.lines = append(hk.lines, hline{op: ' ', text: text, old: o, new: n})
				o++
				n++
			}
		}
		out = append(out, hk)
	}
	return out
}

// whole rebuilds and scans both sides when the diff holds them entirely;
// otherwise it says why not.
func whole(hs []hunk, oldPath, newPath, path string) (old, new *File, note string) {
	if len(hs) != 1 {
		return nil, nil, fmt.Sprintf("%d hunks: only the changed regions are in the diff", len(hs))
	}
	h := hs[0]
	if h.oldFrom > 1 || h.newFrom > 1 {
		return nil, nil, "the hunk does not start at line 1"
	}
	var err error
	if oldPath != "" {
		if old, err = Scan(side(h, '-')); err != nil {
			return nil, nil, "old side does not scan as a whole file: " + err.Error()
		}
		old.Path = path
	}
	if newPath != "" {
		if new, err = Scan(side(h, '+')); err != nil {
			return nil, nil, "new side does not scan as a whole file: " + err.Error()
		}
		new.Path = path
	}
	return old, new, ""
}

// side is the text of one side of a hunk: context plus the op's lines.
func side(h hunk, op byte) []byte {
	var b bytes.Buffer
	for _, l := range h.lines {
		if l.op == ' ' || l.op == op {
			b.WriteString(l.text)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
