package tui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/txguard/txguard/decode"
)

// node is one line of the decoded input and the lines nested under it.
type node struct {
	text  string // as decode's text form wrote it: complete, already escaped
	depth int
	kids  []*node
	open  bool
}

// buildTree reads decode's text form back into a tree: that form is the
// one description of a decoded input people read, indented two spaces a
// level, and the screen shows the same lines so the two never disagree.
func buildTree(d *decode.Result) ([]*node, error) {
	var b bytes.Buffer
	if err := d.WriteText(&b); err != nil {
		return nil, err
	}
	var roots, stack []*node
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		roots, stack = addLine(roots, stack, line)
	}
	return group(roots), nil
}

// group folds the top-level lines without children (kind, nonce, gas,
// hashes: the header says the main ones) into one closed node, so the
// screen opens on what the input does: the call tree, the typed message,
// the text. Without any nested part there is nothing to fold them for.
func group(roots []*node) []*node {
	var nested, leaves []*node
	for _, n := range roots {
		if len(n.kids) > 0 {
			nested = append(nested, n)
		} else {
			leaves = append(leaves, n)
		}
	}
	if len(nested) == 0 || len(leaves) < 2 {
		return roots
	}
	for _, n := range leaves {
		n.depth = 1
	}
	g := &node{text: fmt.Sprintf("fields: %d more lines (enter opens)", len(leaves)), kids: leaves}
	return append([]*node{g}, nested...)
}

// addLine adds one line of decode's text form to the tree. stack holds
// the last node seen at each depth.
func addLine(roots, stack []*node, line string) ([]*node, []*node) {
	text := strings.TrimLeft(line, " ")
	// Never skip a level, whatever the indentation says.
	depth := min((len(line)-len(text))/2, len(stack))
	n := &node{text: text, depth: depth, open: true}
	stack = stack[:depth]
	if depth == 0 {
		roots = append(roots, n)
	} else {
		p := stack[depth-1]
		p.kids = append(p.kids, n)
	}
	return roots, append(stack, n)
}

// visible flattens the open part of the tree, in order.
func visible(roots []*node) []*node {
	var out []*node
	var walk func([]*node)
	walk = func(ns []*node) {
		for _, n := range ns {
			out = append(out, n)
			if n.open {
				walk(n.kids)
			}
		}
	}
	walk(roots)
	return out
}

var (
	// 40 hex digits and more: addresses, hashes, long byte strings.
	longHex = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`0x[0-9a-fA-F]{40,}`) })
	// "amount (uint160): 1461501…975 = unlimited USDC": the raw integer
	// before decode's human reading of it. Anchored on an argument's name
	// and type so that text from the input (a message, a string field)
	// cannot borrow the shape and have its own words shown as a reading.
	rawThenHuman = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([A-Za-z0-9_$\[\]]+ \([a-z0-9\[\](),]+\)): -?[0-9]{5,} = `)
	})
)

// short is a line as the screen shows it by default: every long hex string
// cut the same way, six digits each end (0x1234ab…cdef12: poisoned
// look-alike addresses usually match four or five), and a raw
// integer dropped where decode gave a human reading ("unlimited USDC",
// "3,000 USDC", a date). The full line is one key away (f, or the detail
// pane).
func short(s string) string {
	s = longHex().ReplaceAllStringFunc(s, shortHex)
	return rawThenHuman().ReplaceAllString(s, "$1: ")
}

func shortHex(h string) string { return h[:8] + "…" + h[len(h)-6:] }
