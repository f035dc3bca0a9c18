package solidity

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// storageVars are the variables that take slots, in slot order.
func storageVars(c *Contract) []*StateVar {
	var out []*StateVar
	for _, v := range c.StateVars {
		if v.Storage() {
			out = append(out, v)
		}
	}
	return out
}

// layoutType is the part of a type that decides its storage layout:
// `address payable` is an address in storage.
func (d *differ) layoutType(t string) string {
	return interfaceName().ReplaceAllStringFunc(strings.ReplaceAll(t, "address payable", "address"), func(name string) string {
		if d.oldStructs[name] != nil || d.newStructs[name] != nil || d.newEnums[name] {
			return name // a struct or enum named like an interface is not one
		}
		return "address"
	})
}

// interfaceName matches a type named as interfaces are (IERC20,
// IERC20Upgradeable): a contract type, stored as an address, so that
// OpenZeppelin's v5 migration (IERC20Upgradeable to IERC20) moves nothing.
// Compiled on first use: most runs of txguard never diff storage.
var interfaceName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bI[A-Z][A-Za-z0-9_]*\b`) })

// storage compares the storage variables a contract declares itself, in
// order. Variables are matched by name; an unmatched pair at the same
// place with the same type is a rename, which leaves every slot alone.
// Appending after the last variable is benign, and so is taking slots
// from an OpenZeppelin-style `__gap` array that shrinks by as much.
func (d *differ) storage(path string, oc, nc *Contract) {
	ov, nv := storageVars(oc), storageVars(nc)
	toNew := make([]int, len(ov)) // old index -> new index, -1 if none
	toOld := make([]int, len(nv))
	for i := range toOld {
		toOld[i] = -1
	}
	byName := map[string][]int{}
	for j, w := range nv {
		byName[w.Name] = append(byName[w.Name], j)
	}
	for i, v := range ov {
		toNew[i] = -1
		if q := byName[v.Name]; len(q) > 0 {
			toNew[i], toOld[q[0]], byName[v.Name] = q[0], i, q[1:]
		}
	}
	for i, v := range ov {
		if toNew[i] >= 0 {
			continue
		}
		j := 0
		if i > 0 {
			if toNew[i-1] < 0 {
				continue
			}
			j = toNew[i-1] + 1
		}
		if j < len(nv) && toOld[j] < 0 && d.layoutType(nv[j].Type) == d.layoutType(v.Type) {
			toNew[i], toOld[j] = j, i // renamed in place
		}
	}

	gapTaken := d.gapUse(ov, nv, toNew, toOld)

	for i, v := range ov {
		j := toNew[i]
		if j < 0 {
			d.add(Change{Kind: StorageRemoved, Path: path, Contract: nc.Name, Line: v.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) removed%s", v.Name, v.Type, shiftNote(i < len(ov)-1))})
			continue
		}
		w := nv[j]
		switch {
		case d.layoutType(w.Type) != d.layoutType(v.Type):
			if gapTaken[j] {
				continue
			}
			d.add(Change{Kind: StorageRetyped, Path: path, Contract: nc.Name, Line: w.Line,
				Detail: fmt.Sprintf("state variable `%s` changed type from %s to %s: its slot and the ones after it may no longer line up", w.Name, v.Type, w.Type)})
		default:
			if why := d.structChange(oc, nc, v.Type, w.Type, j == len(nv)-1); why != "" {
				d.add(Change{Kind: StorageRetyped, Path: path, Contract: nc.Name, Line: w.Line,
					Detail: fmt.Sprintf("state variable `%s` (%s): %s", w.Name, w.Type, why)})
			}
		}
	}

	// Matched variables whose relative order changed: those outside the
	// longest run that kept its order moved.
	var seq []int
	for _, j := range toNew {
		if j >= 0 {
			seq = append(seq, j)
		}
	}
	keep := lis(seq)
	for _, j := range seq {
		if keep[j] {
			continue
		}
		w := nv[j]
		d.add(Change{Kind: StorageReordered, Path: path, Contract: nc.Name, Line: w.Line,
			Detail: fmt.Sprintf("state variable `%s` (%s) moved from position %d to %d: the variables take each other's slots", w.Name, w.Type, toOld[j]+1, j+1)})
	}

	for j, w := range nv {
		if toOld[j] >= 0 {
			continue
		}
		next := ""
		for k := j + 1; k < len(nv); k++ {
			if toOld[k] >= 0 {
				next = nv[k].Name
				break
			}
		}
		switch {
		case gapTaken[j]:
			d.add(Change{Kind: StorageAppended, Path: path, Contract: nc.Name, Line: w.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) added, taking its slot from the storage gap", w.Name, w.Type)})
		case next == "":
			d.add(Change{Kind: StorageAppended, Path: path, Contract: nc.Name, Line: w.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) appended after the existing ones", w.Name, w.Type)})
		default:
			d.add(Change{Kind: StorageInserted, Path: path, Contract: nc.Name, Line: w.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) inserted before `%s`: every later slot shifts", w.Name, w.Type, next)})
		}
	}
}

func shiftNote(notLast bool) string {
	if notLast {
		return ": every later slot shifts"
	}
	return ""
}

// isGap recognises OpenZeppelin's reserved-slots array, `uint256[N] __gap`,
// and returns N.
func isGap(v *StateVar) (int, bool) {
	if !strings.Contains(strings.ToLower(v.Name), "gap") {
		return 0, false
	}
	n, ok := strings.CutPrefix(v.Type, "uint256[")
	if !ok || !strings.HasSuffix(n, "]") {
		return 0, false
	}
	size, err := strconv.Atoi(strings.TrimSuffix(n, "]"))
	return size, err == nil
}

// gapUse finds new variables inserted right before a gap that shrank by
// exactly the slots they take (when their types are known; otherwise by
// at least one slot each). It marks them, and the gap itself, as taken:
// that is the documented way to extend an upgradeable contract.
func (d *differ) gapUse(ov, nv []*StateVar, toNew, toOld []int) map[int]bool {
	taken := map[int]bool{}
	for j, w := range nv {
		i := toOld[j]
		if i < 0 {
			continue
		}
		newSize, ok1 := isGap(w)
		oldSize, ok2 := isGap(ov[i])
		if !ok1 || !ok2 || newSize >= oldSize {
			continue
		}
		k := j
		for k > 0 && toOld[k-1] < 0 {
			k--
		}
		if k == j {
			continue
		}
		var types []string
		for _, v := range nv[k:j] {
			types = append(types, v.Type)
		}
		slots, known := d.slots(types, 0)
		if known && slots != oldSize-newSize || !known && j-k > oldSize-newSize {
			continue
		}
		taken[j] = true
		for x := k; x < j; x++ {
			taken[x] = true
		}
	}
	return taken
}

// lis marks the members of a longest increasing subsequence of seq (seq
// holds distinct values), by patience sorting: O(n log n).
func lis(seq []int) map[int]bool {
	var tails []int // tails[k]: index in seq ending the best run of length k+1
	prev := make([]int, len(seq))
	for i, x := range seq {
		k := sort.Search(len(tails), func(k int) bool { return seq[tails[k]] >= x })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	keep := map[int]bool{}
	if len(tails) == 0 {
		return keep
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep[seq[i]] = true
	}
	return keep
}

// structChange explains how a struct held by a storage variable changed
// shape, or returns "". Fields appended to a struct are harmless where
// the struct's size does not matter: as a mapping value, or in the last
// variable when it is held inline.
func (d *differ) structChange(oc, nc *Contract, oldType, newType string, last bool) string {
	// A contract's own struct first: another file's struct of the same
	// name (a decoy in a library) must not stand in for it.
	own := func(c *Contract, name string, all map[string]*Struct) *Struct {
		for _, s := range c.Structs {
			if s.Name == name {
				return s
			}
		}
		return all[name]
	}
	// The structs the type holds, and the structs they hold, and so on: a
	// struct nested in another shifts its fields too.
	top := identifiers(newType)
	names, seen := slices.Clone(top), map[string]bool{}
	for k := 0; k < len(names) && k < 256; k++ {
		name := names[k]
		if seen[name] {
			continue
		}
		seen[name] = true
		os, ns := own(oc, name, d.oldStructs), own(nc, name, d.newStructs)
		if os == nil || ns == nil {
			continue
		}
		for _, f := range ns.Fields {
			for _, n := range identifiers(f.Type) {
				if !seen[n] && !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
		if d.sameFields(os.Fields, ns.Fields) {
			continue
		}
		appended := len(ns.Fields) > len(os.Fields) && d.sameFields(os.Fields, ns.Fields[:len(os.Fields)])
		if k < len(top) && appended && (strings.HasSuffix(newType, "=> "+name+")") || last && newType == name) {
			continue
		}
		return fmt.Sprintf("struct `%s` changed from {%s} to {%s}", name, fields(os), fields(ns))
	}
	return ""
}

// sameFields reports struct fields laid out alike: the same types in the
// same order, each keeping its name or renamed in place (a name that
// neither side has elsewhere), as state variables may be.
func (d *differ) sameFields(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	has := func(fs []Field, name string) bool {
		return slices.ContainsFunc(fs, func(f Field) bool { return f.Name == name })
	}
	for i := range a {
		if d.layoutType(a[i].Type) != d.layoutType(b[i].Type) ||
			a[i].Name != b[i].Name && (has(b, a[i].Name) || has(a, b[i].Name)) {
			return false
		}
	}
	return true
}

func identifiers(t string) []string {
	return strings.FieldsFunc(t, func(r rune) bool { return r >= 128 || !isIdentPart(byte(r)) })
}

// slots is how many storage slots a run of variables takes when laid out
// from the start of a slot, following the compiler's packing rules; known
// is false when a type's size cannot be told from the source at hand
// (contract, enum from elsewhere, user-defined value type, function type).
func (d *differ) slots(types []string, depth int) (n int, known bool) {
	used := 0 // bytes used in the current slot
	for _, t := range types {
		size, whole, ok := d.size(t, depth)
		if !ok {
			return 0, false
		}
		if whole > 0 {
			if used > 0 {
				n++
			}
			n += whole
			used = 0
			continue
		}
		if used+size > 32 {
			n++
			used = 0
		}
		used += size
	}
	if used > 0 {
		n++
	}
	return n, true
}

// size returns the bytes of a packable value type, or the whole slots of
// anything that starts and ends on a slot boundary.
func (d *differ) size(t string, depth int) (bytes, slots int, ok bool) {
	if depth > 8 {
		return 0, 0, false // recursive struct through a fixed array
	}
	t = d.layoutType(t)
	if strings.HasPrefix(t, "mapping(") || strings.HasSuffix(t, "[]") || t == "string" || t == "bytes" {
		return 0, 1, true
	}
	if strings.HasSuffix(t, "]") {
		open := strings.LastIndexByte(t, '[')
		count, err := strconv.Atoi(t[open+1 : len(t)-1])
		if err != nil || count <= 0 || count > 1<<20 {
			return 0, 0, false
		}
		eb, es, ok := d.size(t[:open], depth+1)
		if !ok {
			return 0, 0, false
		}
		if es > 0 {
			return 0, es * count, true
		}
		per := 32 / eb
		return 0, (count + per - 1) / per, true
	}
	switch {
	case t == "bool":
		return 1, 0, true
	case t == "address":
		return 20, 0, true
	}
	for _, prefix := range []string{"uint", "int", "bytes"} {
		if rest, found := strings.CutPrefix(t, prefix); found {
			if n, err := strconv.Atoi(rest); err == nil && n > 0 {
				if prefix != "bytes" {
					n /= 8
				}
				if n >= 1 && n <= 32 {
					return n, 0, true
				}
			}
		}
	}
	if d.newEnums[t] {
		return 1, 0, true
	}
	if s := d.newStructs[t]; s != nil {
		var fields []string
		for _, f := range s.Fields {
			fields = append(fields, f.Type)
		}
		n, ok := d.slots(fields, depth+1)
		return 0, n, ok
	}
	return 0, 0, false
}
