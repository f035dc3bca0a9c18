package solc

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Build is what the compiler knew about one side of a change.
type Build struct {
	// Sources are the files the compiler read, by the path it read them
	// under (remapped, as in imports).
	Sources map[string]*Source
	// Contracts are the compiled contracts, by "path:Name".
	Contracts map[string]*Compiled
	// Errors are the compiler's errors (not warnings): a build with any
	// did not compile, and what it says is not the code that will ship.
	Errors []string
	// Version is the compiler's version, when the file says.
	Version string
	// From names the files the build was read from.
	From []string
}

// unit is one compilation's AST nodes by id: ids are unique within a
// compilation, not across the build files of a project.
type unit map[int]*Node

// Source is one file the compiler read.
type Source struct {
	Path string
	// Hash identifies the content (of the text when the build holds it,
	// else of the AST).
	Hash string
	AST  *Node
	text []byte
	unit unit
	// lines are the offsets where text's lines start, made on first use:
	// every entry point and function asks for its line.
	lines []int
}

// Compiled is what the compiler output for one contract.
type Compiled struct {
	Path, Name string
	unit       unit
	Layout     *StorageLayout `json:"storageLayout"`
	EVM        struct {
		MethodIdentifiers map[string]string `json:"methodIdentifiers"`
	} `json:"evm"`
}

// StorageLayout is solc's storageLayout output.
type StorageLayout struct {
	Storage []struct {
		Label  string `json:"label"`
		Slot   string `json:"slot"`
		Offset int    `json:"offset"`
		Type   string `json:"type"`
	} `json:"storage"`
	Types map[string]struct {
		Label         string `json:"label"`
		NumberOfBytes string `json:"numberOfBytes"`
		Encoding      string `json:"encoding"`
		Base          string `json:"base"`
		Key           string `json:"key"`
		Value         string `json:"value"`
		Members       []struct {
			Label  string `json:"label"`
			Slot   string `json:"slot"`
			Offset int    `json:"offset"`
			Type   string `json:"type"`
		} `json:"members"`
	} `json:"types"`
}

// MaxFile bounds one build file: a whole OpenZeppelin build with ASTs is
// tens of megabytes; a CI job must not be made to read a disk image.
const MaxFile = 512 << 20

// ErrNoBuild means a path holds no compiler output txguard recognises.
var ErrNoBuild = errors.New("no compiler output found")

// output is solc's standard-JSON output.
type output struct {
	Sources map[string]struct {
		AST *Node `json:"ast"`
	} `json:"sources"`
	Contracts map[string]map[string]*Compiled `json:"contracts"`
	Errors    []struct {
		Severity         string `json:"severity"`
		FormattedMessage string `json:"formattedMessage"`
		Message          string `json:"message"`
	} `json:"errors"`
}

// input is solc's standard-JSON input, as build-info files hold it.
type input struct {
	Language string `json:"language"`
	Sources  map[string]struct {
		Content *string `json:"content"`
	} `json:"sources"`
}

// buildFile is any of the shapes a build file has: standard-JSON output
// (sources, contracts), or a build-info (input and output: Foundry,
// Hardhat, `solc --standard-json` wrapped by a script).
type buildFile struct {
	output
	Input       *input  `json:"input"`
	Output      *output `json:"output"`
	SolcVersion string  `json:"solcVersion"`
	Long        string  `json:"solcLongVersion"`
}

// Load reads one side: a standard-JSON output or build-info file, or a
// directory holding them (a project root with out/build-info or
// artifacts/build-info, or the build-info directory itself).
func Load(path string) (*Build, error) {
	files, err := buildFiles(path)
	if err != nil {
		return nil, err
	}
	b := &Build{Sources: map[string]*Source{}, Contracts: map[string]*Compiled{}}
	// Files are decoded in parallel (a Foundry build has one per compiler
	// profile) and merged in name order, so the result does not depend on
	// which finished first.
	parsed := make([]*buildFile, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parsed[i], errs[i] = readBuildFile(f)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, bf := range parsed {
		if bf == nil {
			continue
		}
		if err := b.add(files[i], bf); err != nil {
			return nil, err
		}
	}
	if len(b.Sources) == 0 {
		return nil, fmt.Errorf("%s: %w (want solc --standard-json output with the ast selected, or a build-info file)", path, ErrNoBuild)
	}
	return b, nil
}

// buildFiles lists the build files a path stands for.
func buildFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", path)
		}
		return []string{path}, nil
	}
	// Every build directory the project has: Foundry's and Hardhat's
	// both, if both are there (they must then agree).
	var all []string
	for _, dir := range []string{path, filepath.Join(path, "out", "build-info"), filepath.Join(path, "artifacts", "build-info"), filepath.Join(path, "build-info")} {
		ms, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		gz, _ := filepath.Glob(filepath.Join(dir, "*.json.gz"))
		for _, m := range append(ms, gz...) {
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
				all = append(all, m)
			}
		}
		if dir == path && len(all) > 0 {
			break // the build-info directory itself
		}
	}
	if len(all) > 0 {
		slices.Sort(all)
		return all, nil
	}
	return nil, fmt.Errorf("%s: %w: no *.json in it, nor in out/build-info or artifacts/build-info (build with `forge build --build-info --extra-output storageLayout`, or `npx hardhat compile`)", path, ErrNoBuild)
}

// readBuildFile decodes one file; nil without error for a JSON file that
// is not compiler output (a Hardhat 3 *.output.json is read with its input
// file instead).
func readBuildFile(name string) (*buildFile, error) {
	if strings.HasSuffix(name, ".output.json") {
		if _, err := os.Stat(strings.TrimSuffix(name, ".output.json") + ".json"); err == nil {
			return nil, nil
		}
	}
	raw, err := readCapped(name)
	if err != nil {
		return nil, err
	}
	var bf buildFile
	if err := json.Unmarshal(raw, &bf); err != nil {
		return nil, fmt.Errorf("%s: not compiler output: %v", name, jsonReason(err))
	}
	if bf.Input != nil && bf.Output == nil {
		// Hardhat 3 keeps the output beside the input.
		if out, err := readCapped(strings.TrimSuffix(name, ".json") + ".output.json"); err == nil {
			var o struct {
				Output *output `json:"output"`
			}
			if json.Unmarshal(out, &o) == nil {
				bf.Output = o.Output
			}
		}
	}
	return &bf, nil
}

func readCapped(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, errors.Unwrap(err))
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		// Build files are large and compress tenfold; fixtures keep them so.
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		r = z
	}
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(raw) > MaxFile {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a build file", name, MaxFile>>20)
	}
	return raw, nil
}

// jsonReason is a JSON error in words, without Go's type names.
func jsonReason(err error) string {
	if strings.Contains(err.Error(), "exceeded max depth") {
		return "nested too deeply to be a compiler's output"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("unexpected %s at %s", te.Value, cmp.Or(te.Field, "the top"))
	}
	return "invalid JSON"
}

// add merges one decoded file into the build.
func (b *Build) add(name string, bf *buildFile) error {
	out := bf.Output
	if out == nil {
		out = &bf.output
	}
	if bf.Input != nil && bf.Input.Language != "" && bf.Input.Language != "Solidity" {
		return fmt.Errorf("%s: a %s build: txguard reads Solidity's compiler output only", name, bf.Input.Language)
	}
	if len(out.Sources) == 0 {
		return nil
	}
	b.From = append(b.From, name)
	u := unit{}
	b.Version = cmp.Or(bf.Long, bf.SolcVersion, b.Version)
	for _, e := range out.Errors {
		if e.Severity == "error" {
			b.Errors = append(b.Errors, strings.TrimSpace(cmp.Or(e.FormattedMessage, e.Message)))
		}
	}
	for p, s := range out.Sources {
		if prev, ok := b.Sources[p]; ok && prev.text != nil && bf.Input != nil {
			if in, ok := bf.Input.Sources[p]; ok && in.Content != nil && *in.Content != string(prev.text) {
				// Two builds of one side that disagree (a stale build-info
				// beside a fresh one): which is the code that ships?
				return fmt.Errorf("%s and %s hold different versions of %s: give one build (clean the build-info directory and build again)", b.From[0], name, p)
			}
		}
		if s.AST == nil {
			return fmt.Errorf("%s: %s has no AST: compile with the ast output selected (Foundry and Hardhat build-info files have it)", name, p)
		}
		src := &Source{Path: p, AST: s.AST, unit: u}
		if bf.Input != nil {
			if in, ok := bf.Input.Sources[p]; ok && in.Content != nil {
				src.text = []byte(*in.Content)
			}
		}
		src.Hash = hashOf(src.text, s.AST)
		b.Sources[p] = src
		u.index(s.AST)
	}
	for p, cs := range out.Contracts {
		for n, c := range cs {
			c.Path, c.Name, c.unit = p, n, u
			b.Contracts[p+":"+n] = c
		}
	}
	return nil
}

// hashOf identifies a source: its text, or without it the AST with the
// node ids and positions left out (they shift when another file changes).
func hashOf(text []byte, ast *Node) string {
	h := sha256.New()
	if text != nil {
		h.Write(text)
	} else {
		var buf bytes.Buffer
		walk(ast, func(n *Node) bool {
			fmt.Fprintf(&buf, "%s %s %s %s %s|", n.NodeType, n.Name, n.MemberName, n.Operator, n.LiteralValue())
			return true
		})
		h.Write(buf.Bytes())
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// index records every node by id, so that references resolve.
func (u unit) index(ast *Node) {
	walk(ast, func(n *Node) bool {
		if n.NodeType != "" {
			u[n.ID] = n
		}
		return true
	})
}

// Line is the 1-based line of a node in its source, when the build holds
// the text; 0 otherwise.
func (b *Build) Line(path string, n *Node) int {
	s := b.Sources[path]
	if s == nil || s.text == nil || n == nil {
		return 0
	}
	if s.lines == nil {
		s.lines = []int{0}
		for i, c := range s.text {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	line, _ := slices.BinarySearch(s.lines, n.offset()+1)
	return line
}
