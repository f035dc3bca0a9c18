package solidity

import (
	"fmt"
	"slices"
	"strings"
)

// hunkChanges reads a file's hunks one by one (see DiffUnified). unread
// says why the reading cannot be trusted, when it cannot.
func hunkChanges(path string, hs []hunk) (changes []Change, unread string) {
	d := newDiffer(nil, nil)
	var olds, news []*hunkSide
	for _, h := range hs {
		sec := sectionContract(h.section)
		o, n := newHunkSide(h, '-', sec), newHunkSide(h, '+', sec)
		if o.ambiguous || n.ambiguous {
			unread = fmt.Sprintf("the hunk at line %d opens with changed code before a */ that may end a comment or sit in one: read by hunks, it cannot be told which", h.newFrom)
		}
		olds, news = append(olds, o), append(news, n)
	}
	d.hunkContracts(path, olds, news)
	d.hunkFunctions(path, olds, news)
	d.hunkConcerns(path, olds, news)
	d.hunkStorage(path, olds, news)
	return d.sorted(), unread
}

// hunkContracts compares contract headers and struct definitions that
// are in view on a changed line.
func (d *differ) hunkContracts(path string, olds, news []*hunkSide) {
	type at struct {
		s *hunkSide
		c sideContract
	}
	collect := func(sides []*hunkSide) (all, changed []at) {
		for _, s := range sides {
			for _, c := range s.contracts {
				all = append(all, at{s, c})
				// A base inserted in a multi-line `is` list changes a line
				// of the header, not the `contract` line.
				if s.isChanged(c.line, max(c.line, c.end)) {
					changed = append(changed, at{s, c})
				}
			}
		}
		return all, changed
	}
	oldAll, oldChanged := collect(olds)
	newAll, newChanged := collect(news)
	index := func(ls []at) map[string]*at {
		m := map[string]*at{}
		for i := range ls {
			if m[ls[i].c.c.Name] == nil {
				m[ls[i].c.c.Name] = &ls[i]
			}
		}
		return m
	}
	oldIndex, newIndex := index(oldAll), index(newAll)
	find := func(m map[string]*at, name string) *at { return m[name] }
	for _, n := range newChanged {
		c := n.c.c
		o := find(oldIndex, c.Name)
		switch {
		case o == nil:
			d.add(Change{Kind: ContractAdded, Path: path, Contract: c.Name, Line: n.s.file(n.c.line), Detail: c.Kind + " `" + c.Name + "` added"})
		case !slices.Equal(o.c.c.Bases, c.Bases):
			d.add(Change{Kind: BasesChanged, Path: path, Contract: c.Name, Line: n.s.file(n.c.line),
				Detail: fmt.Sprintf("bases changed from `%s` to `%s`: inherited storage is laid out in this order", strings.Join(o.c.c.Bases, ", "), strings.Join(c.Bases, ", "))})
		case o.c.c.Layout != c.Layout:
			d.add(layoutChange(path, o.c.c, c, n.s.file(n.c.line)))
		}
	}
	for _, o := range oldChanged {
		if find(newIndex, o.c.c.Name) == nil {
			d.add(Change{Kind: ContractRemoved, Path: path, Contract: o.c.c.Name, Line: o.s.file(o.c.line), Detail: o.c.c.Kind + " `" + o.c.c.Name + "` removed"})
		}
	}

	// Struct definitions: only a change that is not an append is reported,
	// as the hunk cannot show whether storage holds the struct.
	oldStructs := map[string][]sideStruct{}
	for _, os := range olds {
		for _, o := range os.structs {
			oldStructs[o.s.Name] = append(oldStructs[o.s.Name], o)
		}
	}
	for _, ns := range news {
		for _, n := range ns.structs {
			if !ns.isChanged(n.from, n.to) {
				continue
			}
			for _, o := range oldStructs[n.s.Name] {
				{
					if o.contract != n.contract || slices.Equal(o.s.Fields, n.s.Fields) {
						continue
					}
					if len(n.s.Fields) > len(o.s.Fields) && slices.Equal(o.s.Fields, n.s.Fields[:len(o.s.Fields)]) {
						continue
					}
					d.add(Change{Kind: StructChanged, Path: path, Contract: n.contract, Line: ns.file(n.from),
						Detail: fmt.Sprintf("struct `%s` changed from {%s} to {%s}: storage that holds it changes layout", n.s.Name, fields(o.s), fields(n.s))})
				}
			}
		}
	}
}

func fields(s *Struct) string {
	var out []string
	for _, f := range s.Fields {
		out = append(out, f.Type+" "+f.Name)
	}
	return strings.Join(out, "; ")
}

type located struct {
	side *hunkSide
	h    sideHeader
}

func (d *differ) hunkFunctions(path string, olds, news []*hunkSide) {
	var oh, nh []located
	for _, s := range olds {
		for _, h := range s.headers {
			oh = append(oh, located{s, h})
		}
	}
	for _, s := range news {
		for _, h := range s.headers {
			nh = append(nh, located{s, h})
		}
	}
	touched := func(l located) bool { return l.side.isChanged(l.h.fn.Line, l.h.endLine) }
	type idx struct{ byKey, byName map[string][]int }
	index := func(ls []located) idx {
		x := idx{map[string][]int{}, map[string][]int{}}
		for i, l := range ls {
			x.byKey[key(l.h.fn)] = append(x.byKey[key(l.h.fn)], i)
			x.byName[l.h.fn.Kind+" "+l.h.fn.Name] = append(x.byName[l.h.fn.Kind+" "+l.h.fn.Name], i)
		}
		return x
	}
	oi, ni := index(oh), index(nh)
	// find prefers a header whose lines changed, among those of key k.
	find := func(ls []located, x idx, k string) *located {
		var found *located
		for _, i := range x.byKey[k] {
			if found == nil || touched(ls[i]) {
				found = &ls[i]
			}
		}
		return found
	}
	sameName := func(ls []located, x idx, other []located, ox idx, f *Function) (*located, int) {
		var m *located
		n := 0
		for _, i := range x.byName[f.Kind+" "+f.Name] {
			if find(other, ox, key(ls[i].h.fn)) == nil {
				m, n = &ls[i], n+1
			}
		}
		return m, n
	}
	for _, n := range nh {
		if !touched(n) {
			continue
		}
		at := *n.h.fn // a copy, to carry the line in the file
		fn := &at
		fn.Line = n.side.file(n.h.fn.Line)
		contract := n.side.contractName(n.h.fn.Line)
		if o := find(oh, oi, key(fn)); o != nil {
			d.function(path, contract, o.h.fn, fn, nil, nil)
			continue
		}
		if o, c := sameName(oh, oi, nh, ni, fn); c == 1 {
			if _, c2 := sameName(nh, ni, oh, oi, fn); c2 == 1 {
				d.function(path, contract, o.h.fn, fn, nil, nil)
			}
		}
		if entry(fn) {
			d.add(Change{Kind: FunctionAdded, Path: path, Contract: contract, Function: fn.Signature(), Line: fn.Line,
				Detail: fmt.Sprintf("%s %s `%s` added", fn.Visibility, fn.Kind, fn.Signature())})
		}
	}
	for _, o := range oh {
		fn := o.h.fn
		if touched(o) && find(nh, ni, key(fn)) == nil && entry(fn) {
			d.add(Change{Kind: FunctionRemoved, Path: path, Contract: o.side.contractName(fn.Line), Function: fn.Signature(), Line: o.side.file(fn.Line),
				Detail: fmt.Sprintf("%s %s `%s` removed", fn.Visibility, fn.Kind, fn.Signature())})
		}
	}
	// A removed line that only applies a guard, in a header whose start is
	// out of view (long multi-line headers), unless the line was re-added.
	// What added lines name, token by token: a guard re-added with a
	// comment after it, or onto one line with `external override`, is
	// still there.
	added := map[string]int{}
	for _, s := range news {
		for i, ch := range s.changed {
			if !ch {
				continue
			}
			toks, _ := lex(s.p.lineTextRaw(i+1), true)
			for _, t := range toks {
				if t.kind == tokIdent {
					added[t.text]++
				}
			}
		}
	}
	for _, s := range olds {
		for i, ch := range s.changed {
			line := i + 1
			if !ch || s.inHeader(line) {
				continue
			}
			text := strings.TrimSpace(s.p.lineTextRaw(line))
			name, ok := modifierLine(text, s.nearHeaderWord(line))
			if !ok {
				continue
			}
			if added[name] > 0 {
				added[name]--
				continue
			}
			d.add(Change{Kind: ModifierRemoved, Path: path, Contract: s.contractName(line), Line: s.file(line),
				Detail: fmt.Sprintf("modifier `%s` removed from a function header whose start is not in the diff", name)})
		}
	}
}

// hunkConcerns reports constructs of concern on added lines, net of those
// on removed lines: the count per kind must grow, and a construct whose
// line text was removed elsewhere in the file counts as moved.
func (d *differ) hunkConcerns(path string, olds, news []*hunkSide) {
	removed := map[Concern]int{}
	seen := map[string]int{}
	for _, s := range olds {
		for _, o := range s.occ {
			if s.isChanged(o.Line, o.Line) {
				removed[o.Kind]++
				seen[string(o.Kind)+"\x00"+o.Source]++
			}
		}
	}
	type at struct {
		s *hunkSide
		o Occurrence
	}
	added := map[Concern][]at{}
	for _, s := range news {
		for _, o := range s.occ {
			if s.isChanged(o.Line, o.Line) {
				added[o.Kind] = append(added[o.Kind], at{s, o})
			}
		}
	}
	for kind, list := range added {
		budget := len(list) - removed[kind]
		for _, a := range list {
			if budget <= 0 {
				break
			}
			k := string(kind) + "\x00" + a.o.Source
			if seen[k] > 0 {
				seen[k]--
				continue
			}
			budget--
			fn := a.s.functionAt(a.o.Line)
			where := ""
			if fn != "" {
				where = " in `" + fn + "`"
			}
			d.add(Change{Kind: addedKind[kind], Path: path, Contract: a.s.contractName(a.o.Line), Function: fn, Line: a.s.file(a.o.Line),
				Detail: fmt.Sprintf("%s added%s: %s", a.o.Text, where, sourceLine(a.o.Source))})
		}
	}
}

// hunkStorage compares the state variables on changed lines. Neighbours
// are the storage variables beside one in view that exist on both sides.
func (d *differ) hunkStorage(path string, olds, news []*hunkSide) {
	type sv struct {
		s   *hunkSide
		i   int // index in s.vars
		use bool
	}
	collect := func(sides []*hunkSide, changed bool) []*sv {
		var out []*sv
		for _, s := range sides {
			for i, v := range s.vars {
				if v.v.Storage() && v.changed == changed {
					out = append(out, &sv{s: s, i: i})
				}
			}
		}
		return out
	}
	removed, added := collect(olds, true), collect(news, true)
	name := func(x *sv) *StateVar { return x.s.vars[x.i].v }
	names := func(xs []*sv) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[name(x).Name]++
		}
		return m
	}
	removedNames, addedNames := names(removed), names(added)
	// neighbour is the nearest storage variable before (dir -1) or after
	// (dir +1) at the same level that is not only on this side. Both are
	// worked out once per side, in one pass each way.
	type pair struct{ prev, next []string }
	near := map[*hunkSide]pair{}
	neighbours := func(sd *hunkSide, onlyHere, other map[string]int) pair {
		if nb, ok := near[sd]; ok {
			return nb
		}
		nb := pair{make([]string, len(sd.vars)), make([]string, len(sd.vars))}
		counts := func(w *sideVar) bool {
			return w.v.Storage() && !(w.changed && onlyHere[w.v.Name] > 0 && other[w.v.Name] == 0)
		}
		last := map[int]string{}
		for k, w := range sd.vars {
			nb.prev[k] = last[w.level]
			if counts(w) {
				last[w.level] = w.v.Name
			}
		}
		last = map[int]string{}
		for k := len(sd.vars) - 1; k >= 0; k-- {
			w := sd.vars[k]
			nb.next[k] = last[w.level]
			if counts(w) {
				last[w.level] = w.v.Name
			}
		}
		near[sd] = nb
		return nb
	}
	neighbour := func(x *sv, dir int, onlyHere map[string]int, other map[string]int) string {
		nb := neighbours(x.s, onlyHere, other)
		if dir < 0 {
			return nb.prev[x.i]
		}
		return nb.next[x.i]
	}
	byName := map[string][]*sv{}
	for _, x := range removed {
		byName[name(x).Name] = append(byName[name(x).Name], x)
	}
	gapTaken := map[*sv]bool{}
	for _, w := range added {
		newSize, ok1 := isGap(name(w))
		if !ok1 {
			continue
		}
		for _, r := range removed {
			oldSize, ok2 := isGap(name(r))
			if !ok2 || name(r).Name != name(w).Name || newSize >= oldSize {
				continue
			}
			var run []*sv
			var types []string
			for k := w.i - 1; k >= 0; k-- {
				x := w.s.vars[k]
				if !x.v.Storage() {
					continue
				}
				if !x.changed || removedNames[x.v.Name] > 0 {
					break
				}
				for _, a := range added {
					if a.s == w.s && a.i == k {
						run = append(run, a)
					}
				}
				types = append([]string{x.v.Type}, types...)
			}
			slots, known := d.slots(types, 0)
			if len(run) > 0 && (known && slots == oldSize-newSize || !known && len(run) <= oldSize-newSize) {
				gapTaken[w] = true
				for _, x := range run {
					gapTaken[x] = true
				}
			}
		}
	}
	for _, w := range added {
		nv := name(w)
		contract := w.s.contractName(w.s.vars[w.i].line)
		var r *sv
		if q := byName[nv.Name]; len(q) > 0 {
			r, byName[nv.Name] = q[0], q[1:]
		}
		if r != nil {
			r.use = true
			ov := name(r)
			switch {
			case d.layoutType(ov.Type) != d.layoutType(nv.Type):
				if !gapTaken[w] {
					d.add(Change{Kind: StorageRetyped, Path: path, Contract: contract, Line: nv.Line,
						Detail: fmt.Sprintf("state variable `%s` changed type from %s to %s: its slot and the ones after it may no longer line up", nv.Name, ov.Type, nv.Type)})
				}
			case neighbour(r, -1, removedNames, addedNames) != neighbour(w, -1, addedNames, removedNames) ||
				neighbour(r, 1, removedNames, addedNames) != neighbour(w, 1, addedNames, removedNames):
				d.add(Change{Kind: StorageReordered, Path: path, Contract: contract, Line: nv.Line,
					Detail: fmt.Sprintf("state variable `%s` (%s) moved: it now sits between `%s` and `%s`", nv.Name, nv.Type,
						orStart(neighbour(w, -1, addedNames, removedNames)), orStart(neighbour(w, 1, addedNames, removedNames)))})
			}
			continue
		}
		// A removed variable of the same type in the same place, whose name
		// is not re-added, was renamed: the slot is unchanged.
		for _, x := range removed {
			if !x.use && addedNames[name(x).Name] == 0 && d.layoutType(name(x).Type) == d.layoutType(nv.Type) &&
				neighbour(x, -1, removedNames, addedNames) == neighbour(w, -1, addedNames, removedNames) {
				x.use, r = true, x
				break
			}
		}
		if r != nil {
			continue
		}
		next := neighbour(w, 1, addedNames, removedNames)
		switch {
		case gapTaken[w]:
			d.add(Change{Kind: StorageAppended, Path: path, Contract: contract, Line: nv.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) added, taking its slot from the storage gap", nv.Name, nv.Type)})
		case next != "":
			d.add(Change{Kind: StorageInserted, Path: path, Contract: contract, Line: nv.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) inserted before `%s`: every later slot shifts", nv.Name, nv.Type, next)})
		case w.s.vars[w.i].closed:
			d.add(Change{Kind: StorageAppended, Path: path, Contract: contract, Line: nv.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) appended after the existing ones", nv.Name, nv.Type)})
		default:
			d.add(Change{Kind: StorageAdded, Path: path, Contract: contract, Line: nv.Line,
				Detail: fmt.Sprintf("state variable `%s` (%s) added; the diff does not show whether storage variables follow it", nv.Name, nv.Type)})
		}
	}
	for _, r := range removed {
		if r.use {
			continue
		}
		ov := name(r)
		d.add(Change{Kind: StorageRemoved, Path: path, Contract: r.s.contractName(r.s.vars[r.i].line), Line: ov.Line,
			Detail: fmt.Sprintf("state variable `%s` (%s) removed: later slots shift", ov.Name, ov.Type)})
	}
}

func orStart(s string) string {
	if s == "" {
		return "(edge of the diff)"
	}
	return s
}
