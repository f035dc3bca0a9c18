package label

import (
	"bytes"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Labeler names addresses on one chain. Chain 0 means "not known": then
// only the address book and contracts deployed at the same address on every
// chain are named, because a per-chain label on the wrong chain is a lie.
type Labeler struct {
	chain uint64
	book  *AddressBook
}

// New returns a Labeler for a chain; book may be nil.
func New(chain uint64, book *AddressBook) *Labeler {
	return &Labeler{chain: chain, book: book}
}

// Chain is the chain this Labeler names addresses on (0: unknown).
func (l *Labeler) Chain() uint64 { return l.chain }

// OnChain returns a Labeler for another chain with the same address book.
// A Labeler never changes, so one for its own chain is itself.
func (l *Labeler) OnChain(chain uint64) *Labeler {
	if chain == l.chain {
		return l
	}
	return New(chain, l.book)
}

// Addr labels an address: address book first, then tokens, then contracts.
func (l *Labeler) Addr(a common.Address) Addr {
	if l.book != nil {
		if name, ok := l.book.Lookup(a); ok {
			return Addr{a, name, SourceAddressBook}
		}
	}
	for _, e := range labelsOf(a) {
		if e.chain == anyChain || l.chain != 0 && e.chain == l.chain {
			return Addr{a, e.label, e.source}
		}
	}
	return Addr{Address: a}
}

// Token returns the token at a on this chain, if it is on the list.
func (l *Labeler) Token(a common.Address) (Token, bool) {
	if l.chain == 0 {
		return Token{}, false
	}
	for _, e := range labelsOf(a) {
		if e.source == SourceToken && e.chain == l.chain {
			return e.token, true
		}
	}
	return Token{}, false
}

// Native is the symbol of the chain's native currency ("ETH" when unknown,
// since nearly every chain txguard meets settles gas in ETH).
func (l *Labeler) Native() string {
	if c, ok := ChainByID(l.chain); ok {
		return c.Native
	}
	return "ETH"
}

// WellKnown lists the contracts and tokens named on this chain (and those
// at one address on every chain), in no particular order: what an address
// poisoner imitates besides your contacts. Built once per chain.
func (l *Labeler) WellKnown() []Entry {
	return wellKnown(l.chain)
}

var wellKnownByChain sync.Map // uint64 -> []Entry

// Ends is what an address-poisoning look-alike shares with the address it
// imitates, at the least: its first two and last two bytes (four hex
// digits at each end).
type Ends [4]byte

// EndsOf is an address's Ends.
func EndsOf(a common.Address) Ends {
	return Ends{a[0], a[1], a[18], a[19]}
}

var wellKnownEnds sync.Map // uint64 -> map[Ends][]Entry

// WellKnownEnding lists the well-known contracts and tokens of this chain
// whose address has the given ends: the ones a look-alike with those ends
// could imitate. An index built once per chain, so that checking every
// address of every input does not scan the whole table.
func (l *Labeler) WellKnownEnding(e Ends) []Entry {
	if v, ok := wellKnownEnds.Load(l.chain); ok {
		return v.(map[Ends][]Entry)[e]
	}
	idx := map[Ends][]Entry{}
	for _, w := range wellKnown(l.chain) {
		k := EndsOf(w.Address)
		idx[k] = append(idx[k], w)
	}
	for _, es := range idx {
		slices.SortFunc(es, func(a, b Entry) int { return bytes.Compare(a.Address[:], b.Address[:]) })
	}
	wellKnownEnds.Store(l.chain, idx)
	return idx[e]
}

func wellKnown(chain uint64) []Entry {
	if v, ok := wellKnownByChain.Load(chain); ok {
		return v.([]Entry)
	}
	var out []Entry
	for _, a := range builtinAddrs {
		for _, e := range builtinRows[a.first : a.first+a.n] {
			if e.chain == anyChain || chain != 0 && e.chain == chain {
				out = append(out, Entry{a.addr, e.label})
			}
		}
	}
	wellKnownByChain.Store(chain, out)
	return out
}
