package label

import (
	_ "embed"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// The tables are tab-separated text so that a reviewer can check every row
// against its source in a diff. Chain "*" marks contracts deployed at the
// same address on every chain (CREATE2 deployments such as Permit2).
var (
	//go:embed data/chains.tsv
	chainsTSV string
	//go:embed data/contracts.tsv
	contractsTSV string
	//go:embed data/tokens.tsv
	tokensTSV string
)

// anyChain keys the rows marked "*".
const anyChain = ^uint64(0)

type key struct {
	chain uint64
	addr  common.Address
}

// Chain is a network txguard knows by name.
type Chain struct {
	ID     uint64
	Name   string
	Native string // symbol of the native currency, e.g. ETH
}

// Token is an ERC-20 token txguard can format amounts of.
type Token struct {
	Symbol   string
	Decimals uint8
	Name     string
}

type tables struct {
	chains    map[uint64]Chain
	contracts map[key]string
	tokens    map[key]Token
	// byAddr holds every label of an address, in the order Labeler.Addr
	// prefers them (a token on its chain, a contract on its chain, a
	// contract on every chain): one lookup for an address, which for most
	// addresses finds nothing, instead of three.
	byAddr map[common.Address][]addrEntry
}

type addrEntry struct {
	chain  uint64
	label  string // a token's is "Name (Symbol)"
	source string
}

// index builds byAddr from the parsed tables.
func (t *tables) index() {
	t.byAddr = make(map[common.Address][]addrEntry, len(t.contracts)+len(t.tokens))
	for k, tok := range t.tokens {
		t.byAddr[k.addr] = append(t.byAddr[k.addr], addrEntry{k.chain, tok.Name + " (" + tok.Symbol + ")", SourceToken})
	}
	for _, everyChain := range []bool{false, true} {
		for k, name := range t.contracts {
			if (k.chain == anyChain) == everyChain {
				t.byAddr[k.addr] = append(t.byAddr[k.addr], addrEntry{k.chain, name, SourceBuiltin})
			}
		}
	}
}

var (
	loadOnce sync.Once
	loaded   tables
)

// builtin parses the embedded tables once. They ship with the binary, so a
// malformed row is a build defect: the tests parse them strictly, and here
// we panic. The EIP-55 checksums are the tests' to verify: a keccak per
// row was a fifth of a one-shot decode's process time.
func builtin() *tables {
	loadOnce.Do(func() {
		t, err := parse(chainsTSV, contractsTSV, tokensTSV, false)
		if err != nil {
			panic(err)
		}
		t.index()
		loaded = t
	})
	return &loaded
}

// parseTables parses tables as a reviewer would: every row well formed and
// every mixed-case address with a correct EIP-55 checksum.
func parseTables(chains, contracts, tokens string) (tables, error) {
	return parse(chains, contracts, tokens, true)
}

func parse(chains, contracts, tokens string, checksums bool) (tables, error) {
	// Sized from the line counts: growing the maps row by row was a third
	// of parsing them.
	t := tables{
		chains:    make(map[uint64]Chain, strings.Count(chains, "\n")),
		contracts: make(map[key]string, strings.Count(contracts, "\n")),
		tokens:    make(map[key]Token, strings.Count(tokens, "\n")),
	}
	err := eachRow("chains.tsv", chains, 3, func(f []string) error {
		id, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return err
		}
		if _, dup := t.chains[id]; dup {
			return fmt.Errorf("duplicate chain %d", id)
		}
		t.chains[id] = Chain{ID: id, Name: f[1], Native: f[2]}
		return nil
	})
	if err != nil {
		return t, err
	}
	err = eachRow("contracts.tsv", contracts, 3, func(f []string) error {
		k, err := parseKey(f[0], f[1], checksums)
		if err != nil {
			return err
		}
		if _, dup := t.contracts[k]; dup {
			return fmt.Errorf("duplicate %s", f[1])
		}
		t.contracts[k] = f[2]
		return nil
	})
	if err != nil {
		return t, err
	}
	err = eachRow("tokens.tsv", tokens, 5, func(f []string) error {
		k, err := parseKey(f[0], f[1], checksums)
		if err != nil {
			return err
		}
		if k.chain == anyChain {
			return fmt.Errorf("tokens need a chain")
		}
		d, err := strconv.ParseUint(f[3], 10, 8)
		if err != nil {
			return err
		}
		if _, dup := t.tokens[k]; dup {
			return fmt.Errorf("duplicate %s", f[1])
		}
		t.tokens[k] = Token{Symbol: f[2], Decimals: uint8(d), Name: f[4]}
		return nil
	})
	return t, err
}

func parseKey(chain, addr string, checksum bool) (key, error) {
	var k key
	if chain == "*" {
		k.chain = anyChain
	} else {
		id, err := strconv.ParseUint(chain, 10, 64)
		if err != nil {
			return k, err
		}
		k.chain = id
	}
	var a common.Address
	if len(addr) != 2+2*common.AddressLength || addr[:2] != "0x" {
		return k, fmt.Errorf("bad address %q", addr)
	}
	if _, err := hex.Decode(a[:], []byte(addr[2:])); err != nil {
		return k, fmt.Errorf("bad address %q", addr)
	}
	// A mistyped checksum is the one error a reviewer cannot see by eye.
	if checksum && strings.ToLower(addr) != addr && a.Hex() != addr {
		return k, fmt.Errorf("bad checksum %q (want %s)", addr, a.Hex())
	}
	k.addr = a
	return k, nil
}

func eachRow(name, text string, fields int, fn func([]string) error) error {
	var f [8]string // the widest table has 5 fields
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		have := strings.Count(line, "\t") + 1
		if have != fields || fields > len(f) {
			return fmt.Errorf("label: %s:%d: want %d tab-separated fields, have %d", name, n, fields, have)
		}
		for i := range fields - 1 {
			f[i], line, _ = strings.Cut(line, "\t")
		}
		f[fields-1] = line
		if err := fn(f[:fields]); err != nil {
			return fmt.Errorf("label: %s:%d: %v", name, n, err)
		}
	}
	return nil
}

// ChainByID returns the chain with this id, if txguard knows it.
func ChainByID(id uint64) (Chain, bool) {
	c, ok := builtin().chains[id]
	return c, ok
}

// ChainName is the chain's name, or "chain N" when it is not known.
func ChainName(id uint64) string {
	if c, ok := ChainByID(id); ok {
		return c.Name
	}
	return "chain " + strconv.FormatUint(id, 10)
}

// ChainIDs lists the ids of every chain txguard knows, in no order.
func ChainIDs() []uint64 {
	var out []uint64
	for id := range builtin().chains {
		out = append(out, id)
	}
	return out
}
