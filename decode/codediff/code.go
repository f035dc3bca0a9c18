package codediff

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/evm"
)

// Kinds of CodeChange.
const (
	SelectorsAdded   = "selectors-added"
	SelectorsRemoved = "selectors-removed"
	ConcernAdded     = "concern-added" // more SELFDESTRUCT, DELEGATECALL or CALLCODE than before
	ProxyChanged     = "proxy-changed" // the proxy kind, or a fixed proxy target, changed
	CompilerChanged  = "compiler-changed"
	CodeAdded        = "code-added"
	CodeRemoved      = "code-removed"
)

// CodeChange is one fact about how bytecode changed.
type CodeChange struct {
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// compareCode compares one bytecode file's two versions by their analysis.
func (d *Diff) compareCode(p string, o, n []byte, inOld, inNew bool) {
	var old, new *evm.Analysis
	if inOld {
		if old = d.analyze(p, o, "the old version"); old == nil {
			return
		}
	}
	if inNew {
		if new = d.analyze(p, n, "the new version"); new == nil {
			return
		}
	}
	add := func(kind, detail string) { d.Code = append(d.Code, CodeChange{kind, p, detail}) }
	switch {
	case old == nil:
		add(CodeAdded, fmt.Sprintf("new %s code, %d bytes, %d functions", new.Form, new.Size, len(new.Selectors)))
		old = &evm.Analysis{} // and every concern in it is new
	case new == nil:
		add(CodeRemoved, fmt.Sprintf("%s code removed", old.Form))
		return
	}
	if s := missing(new.Selectors, old.Selectors); len(s) > 0 {
		add(SelectorsAdded, "functions added: "+strings.Join(s, " "))
	}
	if s := missing(old.Selectors, new.Selectors); len(s) > 0 {
		add(SelectorsRemoved, "functions removed: "+strings.Join(s, " "))
	}
	for _, op := range []string{"SELFDESTRUCT", "DELEGATECALL", "CALLCODE"} {
		if a, b := count(old, op), count(new, op); b > a {
			add(ConcernAdded, fmt.Sprintf("%s: %d before, %d now", op, a, b))
		}
	}
	if !slices.Equal(old.Proxy, new.Proxy) || !sameTarget(old.Target, new.Target) {
		add(ProxyChanged, fmt.Sprintf("proxy %s, now %s", proxyWords(old), proxyWords(new)))
	}
	if ov, nv := compiler(old), compiler(new); ov != nv && old.Size > 0 {
		add(CompilerChanged, fmt.Sprintf("compiled with %s, now %s", ov, nv))
	}
}

// analyze reads bytecode hex, or records why it could not.
func (d *Diff) analyze(p string, b []byte, side string) *evm.Analysis {
	code, err := parseHex(b)
	if err == nil {
		var a *evm.Analysis
		if a, err = evm.Analyze(code); err == nil {
			return a
		}
	}
	d.Unread = append(d.Unread, Unread{p, fmt.Sprintf("%s is not bytecode hex: %v", side, err)})
	return nil
}

// parseHex reads a bytecode file: hex, 0x or not, in one line.
func parseHex(b []byte) ([]byte, error) {
	s := strings.TrimSpace(string(b))
	return hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
}

// missing lists what of a is not in b (both sorted).
func missing(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, found := slices.BinarySearch(b, s); !found {
			out = append(out, s)
		}
	}
	return out
}

func count(a *evm.Analysis, op string) int {
	n := 0
	for _, c := range a.Concerns {
		if c.Op == op {
			n++
		}
	}
	return n
}

func sameTarget(a, b *common.Address) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func proxyWords(a *evm.Analysis) string {
	s := "none"
	if len(a.Proxy) > 0 {
		s = strings.Join(a.Proxy, ", ")
	}
	if a.Target != nil {
		s += " to " + a.Target.Hex()
	}
	return s
}

func compiler(a *evm.Analysis) string {
	if a.Metadata == nil {
		return "an unrecorded compiler"
	}
	return strings.TrimSpace(a.Metadata.Compiler + " " + a.Metadata.Version)
}
