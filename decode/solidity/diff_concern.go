package solidity

import (
	"fmt"

	"github.com/txguard/txguard/decode/clip"
)

// concerns reports the constructs of concern in new functions that have
// no old counterpart (a contract that did not exist before).
func (d *differ) concerns(path, contract string, old, new []*Function) {
	d.concernsPaired(path, contract, old, new, nil)
}

// concernsPaired reports constructs of concern that a contract gained. A
// construct counts as added only when (1) the contract as a whole has more
// of that kind than before, (2) its function has more than its old self,
// and (3) its source line is not one the old contract already had. So code
// moved between functions, reformatted lines and renamed functions stay
// quiet, and a contract that gains one delegatecall gets one change.
func (d *differ) concernsPaired(path, contract string, old, new []*Function, pairs map[*Function]*Function) {
	type tally map[Concern]int
	count := func(fs []*Function) (t tally, lines map[Concern][]string) {
		t, lines = tally{}, map[Concern][]string{}
		for _, f := range fs {
			for _, o := range f.Concerns {
				t[o.Kind]++
				lines[o.Kind] = append(lines[o.Kind], o.Source)
			}
		}
		return t, lines
	}
	oldT, oldLines := count(old)
	newT, _ := count(new)
	d.takeovers(path, contract, old, new, pairs)
	for _, kind := range []Concern{ConcernTxOrigin, ConcernAssembly,
		ConcernUnchecked, ConcernLowLevelCall, ConcernCreate2} {
		budget := newT[kind] - oldT[kind]
		if budget <= 0 {
			continue
		}
		seen := map[string]int{}
		for _, s := range oldLines[kind] {
			seen[s]++
		}
		for _, f := range new {
			had := 0
			if o := pairs[f]; o != nil {
				had = countKind(o, kind)
			}
			if countKind(f, kind) <= had {
				for _, o := range f.Concerns {
					if o.Kind == kind && seen[o.Source] > 0 {
						seen[o.Source]-- // consume, so a copy elsewhere still counts as new
					}
				}
			}
		}
		for _, f := range new {
			had := 0
			if o := pairs[f]; o != nil {
				had = countKind(o, kind)
			}
			extra := countKind(f, kind) - had
			for _, o := range f.Concerns {
				if o.Kind != kind || budget == 0 || extra <= 0 {
					continue
				}
				if seen[o.Source] > 0 {
					seen[o.Source]--
					continue
				}
				budget--
				extra--
				fn := f.Signature()
				d.add(Change{Kind: addedKind[kind], Path: path, Contract: contract, Function: fn, Line: o.Line,
					Detail: fmt.Sprintf("%s added in `%s`: %s", o.Text, fn, sourceLine(o.Source))})
			}
		}
	}
}

// takeovers reports the constructs that hand the contract to other code
// (delegatecall, callcode, selfdestruct) more strictly than the rest: one
// counts as added unless its own function had it before (the same target,
// so renaming the variables the result goes into is no change), so a
// delegatecall retargeted (address(this) to a caller's address) or moved
// out of a guarded function into a new one cannot hide behind the count of
// another that went away. Only one that left its function, moved as it
// was into a private or internal helper, stays quiet: the function that
// calls the helper is what a caller reaches. A copy of one that stayed is
// new.
func (d *differ) takeovers(path, contract string, old, new []*Function, pairs map[*Function]*Function) {
	for _, kind := range []Concern{ConcernDelegatecall, ConcernCallcode, ConcernSelfdestruct} {
		keys := func(f *Function) map[string]int {
			m := map[string]int{}
			if f != nil {
				for _, c := range f.Concerns {
					if c.Kind == kind {
						m[c.Key]++
					}
				}
			}
			return m
		}
		moved := map[string]int{}
		for _, f := range old {
			for k, n := range keys(f) {
				moved[k] += n
			}
		}
		for _, f := range new {
			kept, mine := keys(pairs[f]), keys(f)
			for k, n := range mine {
				moved[k] -= min(n, kept[k])
			}
		}
		for _, f := range new {
			had := keys(pairs[f])
			for _, o := range f.Concerns {
				switch {
				case o.Kind != kind:
					continue
				case had[o.Key] > 0:
					had[o.Key]--
					continue
				case moved[o.Key] > 0 && !entry(f):
					moved[o.Key]--
					continue
				}
				fn := f.Signature()
				d.add(Change{Kind: addedKind[kind], Path: path, Contract: contract, Function: fn, Line: o.Line,
					Detail: fmt.Sprintf("%s added in `%s`: %s", o.Text, fn, sourceLine(o.Source))})
			}
		}
	}
}

func countKind(f *Function, k Concern) int {
	n := 0
	for _, o := range f.Concerns {
		if o.Kind == k {
			n++
		}
	}
	return n
}

// sourceLine keeps a quoted source line to one readable line.
func sourceLine(s string) string { return clip.Cut(s, 100) }
