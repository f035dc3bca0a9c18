package codediff

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Side is one side of a diff: file contents by slash-separated path. A
// path missing from a side is a file added or removed.
type Side map[string][]byte

// Paths lists the paths of both sides, sorted.
func Paths(old, new Side) []string {
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

// Load reads one side from the file system: a single file (Solidity or
// bytecode hex) under its base name, or every such file under a directory,
// by its path relative to the directory. Hidden directories,
// node_modules and lib/ (dependencies, audited where they come from) are
// skipped.
func Load(root string) (Side, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("codediff: %v", err)
	}
	if !st.IsDir() {
		b, err := readFile(root)
		if err != nil {
			return nil, err
		}
		return Side{filepath.Base(root): b}, nil
	}
	s := Side{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "lib") {
				return filepath.SkipDir
			}
			return nil
		}
		if !audited(d.Name()) {
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
		return nil, fmt.Errorf("codediff: %v", err)
	}
	if len(s) == 0 {
		return nil, fmt.Errorf("codediff: %s holds no .sol, .hex or .bin file", root)
	}
	return s, nil
}

func readFile(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("codediff: %v", err)
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("codediff: %s is %d bytes, more than a contract file could be", name, st.Size())
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("codediff: %v", err)
	}
	return b, nil
}

// FromGit reads both sides of a revision range from the git repository
// at dir: "BASE..HEAD", "BASE...HEAD" (from their merge base, as a pull
// request is compared) or "BASE" (to HEAD). Only files the range changes
// and that an audit reads are loaded, limited to paths when given.
func FromGit(dir, revs string, paths []string) (old, new Side, err error) {
	base, head, ok := strings.Cut(revs, "..")
	if !ok {
		head = "HEAD"
	}
	if strings.HasPrefix(head, ".") { // BASE...HEAD
		head = head[1:]
		mb, err := git(dir, "merge-base", base, head)
		if err != nil {
			return nil, nil, err
		}
		base = strings.TrimSpace(string(mb))
	}
	if base == "" || head == "" || strings.HasPrefix(base, "-") || strings.HasPrefix(head, "-") {
		return nil, nil, fmt.Errorf("codediff: %q is not a revision range (want BASE..HEAD)", revs)
	}
	args := append([]string{"diff", "--name-status", "--no-renames", "-z", base, head, "--"}, paths...)
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
			if old[name], err = git(dir, "show", base+":"+name); err != nil {
				return nil, nil, err
			}
		}
		if status != "D" {
			if new[name], err = git(dir, "show", head+":"+name); err != nil {
				return nil, nil, err
			}
		}
	}
	return old, new, nil
}

// git runs git in dir and returns its stdout; its stderr's first line
// makes the error.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
			return nil, fmt.Errorf("codediff: git %s: %s", args[0], line)
		}
		return nil, fmt.Errorf("codediff: git: %v", err)
	}
	if len(out) > 4*maxFile {
		return nil, fmt.Errorf("codediff: git %s printed %d bytes, more than an audit reads", args[0], len(out))
	}
	return out, nil
}
