package codediff

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/txguard/txguard/decode/userfile"
)

// Side is one side of a diff: file contents by slash-separated path. A
// path missing from a side is a file added or removed.
type Side map[string][]byte

// paths lists the paths of both sides, sorted.
func paths(old, new Side) []string {
	var ps []string
	for p := range old {
		ps = append(ps, p)
	}
	for p := range new {
		if _, ok := old[p]; !ok {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

// audited reports whether a file is one a diff audit reads: Solidity
// source or bytecode in hex.
func audited(name string) bool {
	switch path.Ext(name) {
	case ".sol", ".hex", ".bin":
		return true
	}
	return false
}

// maxFile is the largest file a side holds: contracts are far smaller, and
// a CI job must not be made to read a disk image.
const maxFile = 8 << 20

// LoadPair reads the two sides of `txguard diff OLD NEW`, each a file or a
// directory as load reads it. Two single files are one file's two
// versions, whatever their names, reported under NEW's path; two
// directories are compared file by file, paths relative to the roots
// (src/Vault.sol in both), which the report says.
func LoadPair(oldRoot, newRoot string) (old, new Side, err error) {
	old, oldFile, err := load(oldRoot)
	if err != nil {
		return nil, nil, err
	}
	new, newFile, err := load(newRoot)
	if err != nil {
		return nil, nil, err
	}
	dir := newRoot
	if newFile {
		dir = filepath.Dir(newRoot)
		if oldFile {
			if (path.Ext(oldRoot) == ".sol") != (path.Ext(newRoot) == ".sol") {
				return nil, nil, fmt.Errorf("codediff: %s and %s are not two versions of one file: one is Solidity, the other bytecode", oldRoot, newRoot)
			}
			old = Side{filepath.Base(newRoot): old[filepath.Base(oldRoot)]}
		}
	}
	if !newFile {
		return old, new, nil
	}
	return old.under(dir), new.under(dir), nil
}

// skipDir: what a directory side leaves out: git's store, and installed
// packages (their versions are pinned by package.json and its lock, which
// are compared: see concern). A project's lib/ is read: Foundry keeps its
// dependencies there as submodules, and a patched copy is a change like
// any other.
func skipDir(name string) bool {
	return name == ".git" || name == "node_modules"
}

// under moves every path of s under dir.
func (s Side) under(dir string) Side {
	out := make(Side, len(s))
	for p, b := range s {
		out[path.Join(filepath.ToSlash(dir), p)] = b
	}
	return out
}

// load reads one side from the file system, and says whether root is a
// single file: a file (Solidity or bytecode hex) under its base name, or
// every such file under a directory, by its path relative to the
// directory. .git, node_modules and a top-level lib/ (dependencies,
// audited where they come from) are skipped. A file named on the command
// line must be one an audit reads: a README or a mistyped path is a usage
// error, not a change that passes or a file "not audited".
func load(root string) (Side, bool, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, false, fmt.Errorf("codediff: %v", err)
	}
	if !st.IsDir() {
		if !audited(root) {
			return nil, true, fmt.Errorf("codediff: %s is not a .sol, .hex or .bin file (bytecode hex goes in .hex or .bin)", root)
		}
		b, err := readFile(root)
		if err != nil {
			return nil, true, err
		}
		if path.Ext(root) != ".sol" {
			if code, err := parseHex(b); err != nil {
				return nil, true, fmt.Errorf("codediff: %s is not bytecode hex: %v", root, err)
			} else if len(code) == 0 {
				return nil, true, fmt.Errorf("codediff: %s holds no bytecode", root)
			}
		}
		return Side{filepath.Base(root): b}, true, nil
	}
	s := Side{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !audited(d.Name()) && concern(d.Name()) == "" {
			return nil
		}
		b, err := readFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		s[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("codediff: %v", err)
	}
	if len(s) == 0 {
		return nil, false, fmt.Errorf("codediff: %s holds no .sol, .hex or .bin file", root)
	}
	return s, false, nil
}

// readFile reads a regular file of at most maxFile bytes. A FIFO or a
// symlink to a device in a pull request must not hang or exhaust CI.
func readFile(name string) ([]byte, error) {
	// Checked on the opened file, not the path: a link swapped between a
	// stat and an open must not reach a FIFO or a device.
	b, err := userfile.Read(name, maxFile)
	if err != nil {
		return nil, fmt.Errorf("codediff: %v", err)
	}
	return b, nil
}

// readLimited reads r to its end, refusing more than maxFile bytes.
func readLimited(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("codediff: %s: %v", name, err)
	}
	if len(b) > maxFile {
		return nil, fmt.Errorf("codediff: %s is more than %d bytes, more than a contract file could be", name, maxFile)
	}
	return b, nil
}

// FromGit reads both sides of a revision range (see ResolveRange) from
// the git repository at dir. Only files the range changes and that an
// audit reads are loaded, limited to paths when given.
func FromGit(dir string, r Range, paths []string) (old, new Side, err error) {
	base, head := r.Base, r.Head
	args := append([]string{"diff", "--name-status", "--no-renames", "-z", "--end-of-options", base, head, "--"}, paths...)
	out, err := git(dir, args...)
	if err != nil {
		return nil, nil, err
	}
	old, new = Side{}, Side{}
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		status, name := fields[i], fields[i+1]
		if !audited(name) {
			continue
		}
		if status != "A" {
			if old[name], err = gitShow(dir, base, name); err != nil {
				return nil, nil, err
			}
		}
		if status != "D" {
			if new[name], err = gitShow(dir, head, name); err != nil {
				return nil, nil, err
			}
		}
	}
	return old, new, nil
}

// gitShow reads one file of one revision, at most maxFile bytes of it.
func gitShow(dir, rev, name string) ([]byte, error) {
	return git(dir, "show", "--end-of-options", rev+":"+name)
}

// git runs git in dir and returns its stdout, read no further than an
// audit would (maxFile bytes); its stderr's first line makes the error. A
// missing git is ErrNoGit: the environment's fault, not the input's.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("codediff: git: %v", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoGit, err)
	}
	out, readErr := readLimited(stdout, "git "+args[0])
	if readErr != nil {
		cmd.Process.Kill()
	}
	err = cmd.Wait()
	switch {
	case readErr != nil:
		return nil, readErr
	case err != nil:
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, fmt.Errorf("codediff: git %s: %s", args[0], cmp.Or(line, err.Error()))
	}
	return out, nil
}

// ErrNoGit says git could not be run at all.
var ErrNoGit = errors.New("codediff: cannot run git")
