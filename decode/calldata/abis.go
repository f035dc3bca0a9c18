package calldata

import (
	"bytes"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// The curated ABIs live in abis/*.json, as their sources publish them. At
// run time only abis/index.tsv is embedded: one function a line,
//
//	selector <TAB> family <TAB> the function's JSON ABI entry
//
// in priority order, so a process parses the ABI of the functions it meets
// and nothing else (parsing every file costs milliseconds at each start).
// go generate ./decode/calldata rebuilds it; a test keeps it current.
//
//go:generate go test -run ^TestABIIndex$ -update .
//go:embed abis/index.tsv
var abiIndex string

// families lists the curated ABIs in priority order: where two families
// share a signature (ERC-20 and ERC-721 approve), the earlier one is the
// default reading unless the target says otherwise.
var families = []string{
	"erc20", "weth", "dai", "erc721", "erc1155", "permit2",
	"uniswap_v2_router", "uniswap_v3_router", "universal_router",
	"seaport", "multicall3", "safe", "safe_multisend", "safe_4337_module",
	"proxy", "ownable", "entrypoint", "erc7821", "smart_account", "grants",
}

// candidate is one reading of a selector.
type candidate struct {
	method *abi.Method
	source string
}

type indexEntry struct {
	family, json string
}

var (
	indexOnce sync.Once
	index     map[[4]byte][]indexEntry
	parsed    sync.Map // index entry JSON -> *abi.Method
)

// curatedIndex splits the embedded index once; it parses no JSON.
func curatedIndex() map[[4]byte][]indexEntry {
	indexOnce.Do(func() {
		index = map[[4]byte][]indexEntry{}
		for line := range strings.Lines(abiIndex) {
			sel, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
			family, js, _ := strings.Cut(rest, "\t")
			b, err := hex.DecodeString(sel)
			if err != nil || len(b) != 4 {
				continue // the index test rejects such a line
			}
			k := [4]byte(b)
			index[k] = append(index[k], indexEntry{family, js})
		}
	})
	return index
}

// curated returns the curated readings of a selector, parsing each
// function's ABI entry the first time it is met.
func curated(sel [4]byte) []candidate {
	entries := curatedIndex()[sel]
	out := make([]candidate, 0, len(entries))
	for _, e := range entries {
		if m, ok := parsed.Load(e.json); ok {
			out = append(out, candidate{m.(*abi.Method), e.family})
			continue
		}
		a, err := abi.JSON(strings.NewReader("[" + e.json + "]"))
		if err != nil || len(a.Methods) != 1 {
			continue // the index test parses every entry
		}
		for _, m := range a.Methods {
			parsed.Store(e.json, &m)
			out = append(out, candidate{&m, e.family})
		}
	}
	return out
}

func addMethods(m map[[4]byte][]candidate, a *abi.ABI, source string) {
	names := make([]string, 0, len(a.Methods))
	for n := range a.Methods {
		names = append(names, n)
	}
	slices.Sort(names) // abi.ABI holds a map: keep the order stable
	for _, n := range names {
		meth := a.Methods[n]
		sel := [4]byte(meth.ID)
		m[sel] = append(m[sel], candidate{&meth, source})
	}
}

// fourbyte builds a method from a signature of the selector table; its
// parameters have no names, so they are called arg0, arg1, ...
func fourbyte(sig string) (*abi.Method, bool) {
	parsed, err := abi.ParseSelector(sig)
	if err != nil {
		return nil, false
	}
	args := make(abi.Arguments, len(parsed.Inputs))
	for i, in := range parsed.Inputs {
		t, err := abi.NewType(in.Type, "", in.Components)
		if err != nil {
			return nil, false
		}
		args[i] = abi.Argument{Name: fmt.Sprintf("arg%d", i), Type: t}
	}
	m := abi.NewMethod(parsed.Name, parsed.Name, abi.Function, "", false, false, args, nil)
	return &m, true
}

// ParseABI reads a user's ABI: a JSON ABI array, or a Foundry or Hardhat
// artifact object whose "abi" field holds one.
func ParseABI(b []byte) (*abi.ABI, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var artifact struct {
			ABI json.RawMessage `json:"abi"`
		}
		if err := json.Unmarshal(b, &artifact); err != nil {
			return nil, fmt.Errorf("calldata: ABI artifact: %v", err)
		}
		if len(artifact.ABI) == 0 {
			return nil, fmt.Errorf("calldata: JSON object has no \"abi\" field; want a JSON ABI array or a Foundry/Hardhat artifact")
		}
		b = artifact.ABI
	}
	parsed, err := abi.JSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("calldata: ABI: %v", strings.TrimPrefix(err.Error(), "abi: "))
	}
	if len(parsed.Methods) == 0 {
		return nil, fmt.Errorf("calldata: ABI has no functions")
	}
	return &parsed, nil
}
