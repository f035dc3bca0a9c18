package typeddata

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// domainType is the struct every domain separator is built from.
const domainType = "EIP712Domain"

// identifier is what a struct or member name may look like. EIP-712 borrows
// Solidity's identifiers; holding names to them keeps encodeType unambiguous
// (a "(" or "," in a name could make two different type sets encode alike)
// and keeps Lookup paths ("a.b[0].c") unambiguous.
var identifier = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`) })

// member is one field of a struct type, in declaration order.
type member struct {
	Name, Type string
}

// schema is the validated "types" object.
type schema map[string][]member

// parseTypes reads the "types" object. It is decoded member by member
// rather than into apitypes.Types because encoding/json matches struct keys
// case-insensitively, and a wallet in JavaScript does not: {"Name": "a",
// "name": "b"} must mean what the wallet thinks it means.
func parseTypes(raw json.RawMessage) (schema, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("typeddata: types is not an object")
	}
	s := make(schema, len(obj))
	for _, name := range sortedKeys(obj) {
		if !identifier().MatchString(name) {
			return nil, fmt.Errorf("typeddata: types: %q is not a valid type name", name)
		}
		if _, ok := atomic(name); ok {
			return nil, fmt.Errorf("typeddata: types: %s redefines an atomic type", name)
		}
		var list []map[string]json.RawMessage
		if err := json.Unmarshal(obj[name], &list); err != nil || list == nil {
			return nil, fmt.Errorf("typeddata: types.%s is not a list of {name, type} objects", name)
		}
		members := make([]member, 0, len(list))
		for i, m := range list {
			var mb member
			if json.Unmarshal(m["name"], &mb.Name) != nil || json.Unmarshal(m["type"], &mb.Type) != nil {
				return nil, fmt.Errorf("typeddata: types.%s[%d]: want string \"name\" and \"type\"", name, i)
			}
			if !identifier().MatchString(mb.Name) {
				return nil, fmt.Errorf("typeddata: types.%s[%d]: %q is not a valid member name", name, i, mb.Name)
			}
			if slices.ContainsFunc(members, func(o member) bool { return o.Name == mb.Name }) {
				return nil, fmt.Errorf("typeddata: types.%s: member %s is declared twice", name, mb.Name)
			}
			members = append(members, mb)
		}
		s[name] = members
	}
	// Check references only once every name is known.
	for _, name := range sortedKeys(s) {
		for _, m := range s[name] {
			if err := s.check(m.Type); err != nil {
				return nil, fmt.Errorf("typeddata: types.%s.%s: %v", name, m.Name, err)
			}
		}
	}
	return s, nil
}

// check reports whether t names an atomic type, a declared struct or an
// array of either.
func (s schema) check(t string) error {
	for {
		elem, _, isArray, err := splitArray(t)
		if err != nil {
			return err
		}
		if !isArray {
			break
		}
		t = elem
	}
	if _, ok := atomic(t); ok {
		return nil
	}
	if _, ok := s[t]; ok {
		return nil
	}
	return fmt.Errorf("undefined type %q", t)
}

// splitArray splits "T[n]" into T and n, and "T[]" into T and -1. Only the
// last dimension is split: "T[2][]" is a dynamic array of T[2].
func splitArray(t string) (elem string, n int, isArray bool, err error) {
	if !strings.HasSuffix(t, "]") {
		return t, 0, false, nil
	}
	open := strings.LastIndexByte(t, '[')
	if open <= 0 {
		return "", 0, false, fmt.Errorf("malformed type %q", t)
	}
	size := t[open+1 : len(t)-1]
	if size == "" {
		return t[:open], -1, true, nil
	}
	n, err = strconv.Atoi(size)
	if err != nil || n < 0 || size[0] == '+' || (size[0] == '0' && len(size) > 1) {
		return "", 0, false, fmt.Errorf("malformed array size in %q", t)
	}
	return t[:open], n, true, nil
}

// atomicKind is the family of an atomic type; size is bits for integers
// and bytes for bytesN.
type atomicKind int

const (
	kindAddress atomicKind = iota + 1
	kindBool
	kindString
	kindBytes
	kindFixedBytes
	kindUint
	kindInt
)

type atomicType struct {
	kind atomicKind
	size int
}

// atomic parses an atomic type name. "uint" and "int" are accepted as the
// 256-bit aliases because wallets hash the type string as written.
func atomic(t string) (atomicType, bool) {
	switch t {
	case "address":
		return atomicType{kindAddress, 20}, true
	case "bool":
		return atomicType{kindBool, 0}, true
	case "string":
		return atomicType{kindString, 0}, true
	case "bytes":
		return atomicType{kindBytes, 0}, true
	case "uint":
		return atomicType{kindUint, 256}, true
	case "int":
		return atomicType{kindInt, 256}, true
	}
	for _, f := range []struct {
		prefix    string
		kind      atomicKind
		step, max int
	}{{"bytes", kindFixedBytes, 1, 32}, {"uint", kindUint, 8, 256}, {"int", kindInt, 8, 256}} {
		rest, ok := strings.CutPrefix(t, f.prefix)
		if !ok || rest == "" || rest[0] == '0' || rest[0] == '+' {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < f.step || n > f.max || n%f.step != 0 {
			continue
		}
		return atomicType{f.kind, n}, true
	}
	return atomicType{}, false
}

// encodeType is the EIP-712 type string: the type itself, then every struct
// it reaches, sorted by name, each as "Name(type1 name1,type2 name2)".
// go-ethereum's EncodeType gives the same string (the tests hold us to it),
// but its dependency walk scans slices at every step: 2,000 chained types
// take it some 18 seconds, a stall any dapp could cause.
func (s schema) encodeType(name string) string {
	var b strings.Builder
	write := func(t string) {
		b.WriteString(t)
		b.WriteByte('(')
		for i, m := range s[t] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(m.Type)
			b.WriteByte(' ')
			b.WriteString(m.Name)
		}
		b.WriteByte(')')
	}
	write(name)
	for _, t := range s.reachable(name) {
		if t != name {
			write(t)
		}
	}
	return b.String()
}

// base is a type with every array dimension removed.
func base(t string) string {
	if i := strings.IndexByte(t, '['); i >= 0 {
		return t[:i]
	}
	return t
}

// recursive lists the struct types reachable from root that can reach
// themselves again, sorted: the members of a cycle, found as Tarjan's
// strongly connected components in one linear pass. Strict libraries
// refuse such types; we only report them.
func (s schema) recursive(root string) []string {
	var (
		index   = map[string]int{}
		low     = map[string]int{}
		onStack = map[string]bool{}
		stack   []string
		out     []string
		visit   func(string)
	)
	visit = func(t string) {
		index[t], low[t] = len(index), len(index)
		stack = append(stack, t)
		onStack[t] = true
		self := false
		for _, m := range s[t] {
			u := base(m.Type)
			if _, ok := s[u]; !ok {
				continue
			}
			self = self || u == t
			if _, seen := index[u]; !seen {
				visit(u)
				low[t] = min(low[t], low[u])
			} else if onStack[u] {
				low[t] = min(low[t], index[u])
			}
		}
		if low[t] != index[t] {
			return
		}
		i := len(stack) - 1
		for stack[i] != t {
			i--
		}
		component := stack[i:]
		stack = stack[:i]
		for _, u := range component {
			onStack[u] = false
		}
		if len(component) > 1 || self {
			out = append(out, component...)
		}
	}
	visit(root)
	sort.Strings(out)
	return out
}

// reachable lists root and every struct type it refers to, sorted.
func (s schema) reachable(root string) []string {
	seen := map[string]bool{root: true}
	stack := []string{root}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, m := range s[t] {
			if b := base(m.Type); !seen[b] {
				if _, ok := s[b]; ok {
					seen[b] = true
					stack = append(stack, b)
				}
			}
		}
	}
	return sortedKeys(seen)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
